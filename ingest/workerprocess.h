#pragma once

#include "util/error.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <memory>
#include <sys/types.h>
#include <vector>

namespace quire::ingest
{

// One worker child process, spawned with posix_spawn, its stdin and stdout both one end of a Unix socket
// pair (so that writing to a dead worker fails with EPIPE instead of raising SIGPIPE). Usable from any
// thread without an event loop: the pipeline polls fd() itself. The destructor kills and reaps the child.
class WorkerProcess
{
public:
    static Expected<std::unique_ptr<WorkerProcess>> start(const QString &program, const QStringList &arguments);
    ~WorkerProcess();
    WorkerProcess(const WorkerProcess &) = delete;
    WorkerProcess &operator=(const WorkerProcess &) = delete;

    int fd() const { return m_fd; }
    pid_t pid() const { return m_pid; }

    // Sends one frame (length prefix + payload); blocks until written. Fails when the worker is gone.
    Expected<void> send(const QByteArray &payload);
    // Reads what has arrived without blocking. False once the worker closed its end (exit or crash).
    bool readAvailable();
    // Complete frames received so far.
    std::vector<QByteArray> takeFrames();

    // Kills the worker (SIGKILL) and waits for it.
    void kill();
    // Waits for the worker to end and says how it ended: "exited with code 3", "crashed (signal 11, SIGSEGV)".
    QString reap();

private:
    WorkerProcess(pid_t pid, int fd);
    pid_t m_pid = -1;
    int m_fd = -1;
    QByteArray m_buffer;
};

} // namespace quire::ingest
