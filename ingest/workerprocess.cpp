#include "workerprocess.h"

#include "workerprotocol.h"

#include <QtEndian>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace quire::ingest
{

namespace
{

struct SpawnActions {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    SpawnActions()
    {
        posix_spawn_file_actions_init(&actions);
        posix_spawnattr_init(&attributes);
    }
    ~SpawnActions()
    {
        posix_spawnattr_destroy(&attributes);
        posix_spawn_file_actions_destroy(&actions);
    }
};

} // namespace

WorkerProcess::WorkerProcess(pid_t pid, int fd)
    : m_pid(pid)
    , m_fd(fd)
{
}

Expected<std::unique_ptr<WorkerProcess>> WorkerProcess::start(const QString &program, const QStringList &arguments)
{
    int sockets[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sockets) != 0)
        return fail(
            Error::Code::Io, std::string("cannot create a socket for an ingest worker: ") + std::strerror(errno));
    SpawnActions spawn;
    posix_spawn_file_actions_adddup2(&spawn.actions, sockets[1], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&spawn.actions, sockets[1], STDOUT_FILENO);
    if (qEnvironmentVariableIsEmpty("QUIRE_INGEST_WORKER_STDERR"))
        posix_spawn_file_actions_addopen(&spawn.actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    // A process group of its own: Ctrl-C in the terminal reaches the pipeline, which finishes the documents
    // in flight, and not the workers, which would die half-way.
    posix_spawnattr_setflags(&spawn.attributes, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&spawn.attributes, 0);
    const QByteArray programBytes = program.toLocal8Bit();
    std::vector<QByteArray> argumentBytes { programBytes };
    for (const QString &a : arguments)
        argumentBytes.push_back(a.toLocal8Bit());
    std::vector<char *> argv;
    for (QByteArray &a : argumentBytes)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, programBytes.constData(), &spawn.actions, &spawn.attributes, argv.data(), environ);
    ::close(sockets[1]);
    if (rc != 0) {
        ::close(sockets[0]);
        return fail(
            Error::Code::Io, "cannot start the ingest worker " + program.toStdString() + ": " + std::strerror(rc));
    }
    fcntl(sockets[0], F_SETFL, fcntl(sockets[0], F_GETFL) | O_NONBLOCK);
    return std::unique_ptr<WorkerProcess>(new WorkerProcess(pid, sockets[0]));
}

WorkerProcess::~WorkerProcess()
{
    kill();
}

Expected<void> WorkerProcess::send(const QByteArray &payload)
{
    char header[FrameHeaderSize];
    qToLittleEndian<quint64>(static_cast<quint64>(payload.size()), header);
    for (const auto &[data, size] : { std::pair<const char *, qint64>(header, FrameHeaderSize),
             std::pair<const char *, qint64>(payload.constData(), payload.size()) }) {
        qint64 sent = 0;
        while (sent < size) {
            const ssize_t n = ::send(m_fd, data + sent, static_cast<std::size_t>(size - sent), MSG_NOSIGNAL);
            if (n > 0) {
                sent += n;
                continue;
            }
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                pollfd p { m_fd, POLLOUT, 0 };
                ::poll(&p, 1, 1000);
                continue;
            }
            return fail(Error::Code::Io, std::string("the ingest worker is gone: ") + std::strerror(errno));
        }
    }
    return {};
}

bool WorkerProcess::readAvailable()
{
    char chunk[1 << 16];
    for (;;) {
        const ssize_t n = ::read(m_fd, chunk, sizeof chunk);
        if (n > 0) {
            m_buffer.append(chunk, n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    }
}

std::vector<QByteArray> WorkerProcess::takeFrames()
{
    return ingest::takeFrames(m_buffer);
}

void WorkerProcess::kill()
{
    if (m_pid > 0) {
        ::kill(m_pid, SIGKILL);
        reap();
    }
    if (m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
    }
}

QString WorkerProcess::reap()
{
    if (m_pid <= 0)
        return QStringLiteral("ended");
    int status = 0;
    pid_t r;
    do {
        r = ::waitpid(m_pid, &status, 0);
    } while (r < 0 && errno == EINTR);
    m_pid = -1;
    if (r < 0)
        return QStringLiteral("ended");
    if (WIFSIGNALED(status)) {
        const int signal = WTERMSIG(status);
        const char *name = sigabbrev_np(signal);
        return QStringLiteral("crashed (signal %1%2)")
            .arg(signal)
            .arg(name ? QStringLiteral(", SIG") + QString::fromLatin1(name) : QString());
    }
    return QStringLiteral("exited with code %1").arg(WEXITSTATUS(status));
}

} // namespace quire::ingest
