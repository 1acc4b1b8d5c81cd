#include "workermemorylimit.h"

#include "workerprotocol.h"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <new>
#include <sys/resource.h>
#include <unistd.h>

namespace quire::ingest
{

namespace
{

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

qint64 g_limit = 0;
int g_outFd = -1;
QByteArray g_frame; // the OutOfMemory frame of the request in flight
std::atomic<const char *> g_frameData { nullptr };
std::atomic<qsizetype> g_frameSize { 0 };
std::atomic<bool> g_reported { false };
alignas(16) char g_alternateStack[64 * 1024]; // handlers must run even when the stack is what overflowed

// Async-signal-safe: writes the prepared frame once per request.
void report()
{
    const char *data = g_frameData.load();
    if (!data || g_reported.exchange(true))
        return;
    qsizetype left = g_frameSize.load();
    while (left > 0) {
        const ssize_t n = ::write(g_outFd, data, size_t(left));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        data += n;
        left -= n;
    }
}

// Async-signal-safe: the peak address space from /proc/self/status, in bytes (0 when unknown).
qint64 peakAddressSpace()
{
    char buffer[4096];
    const int fd = ::open("/proc/self/status", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    const ssize_t n = ::read(fd, buffer, sizeof buffer - 1);
    ::close(fd);
    if (n <= 0)
        return 0;
    buffer[n] = '\0';
    const char *p = std::strstr(buffer, "VmPeak:");
    if (!p)
        return 0;
    p += 7;
    while (*p == ' ' || *p == '\t')
        ++p;
    qint64 kib = 0;
    for (; *p >= '0' && *p <= '9'; ++p)
        kib = kib * 10 + (*p - '0');
    return kib * 1024;
}

// A crash close to the limit is taken for a refused allocation that the library did not check.
void onFatalSignal(int signal)
{
    const qint64 margin = std::max<qint64>(g_limit / 8, 128LL << 20);
    if (g_limit > 0 && peakAddressSpace() >= g_limit - margin)
        report();
    std::signal(signal, SIG_DFL);
    std::raise(signal);
}

void onRefusedAllocation()
{
    report();
    throw std::bad_alloc();
}

void installHandlers()
{
    stack_t stack {};
    stack.ss_sp = g_alternateStack;
    stack.ss_size = sizeof g_alternateStack;
    ::sigaltstack(&stack, nullptr);
    struct sigaction action {
    };
    action.sa_handler = onFatalSignal;
    action.sa_flags = SA_ONSTACK | SA_RESETHAND;
    sigemptyset(&action.sa_mask);
    for (int s : { SIGSEGV, SIGBUS, SIGABRT })
        ::sigaction(s, &action, nullptr);
    std::set_new_handler(onRefusedAllocation);
}

} // namespace

bool WorkerMemoryLimit::apply(qint64 bytes, int outFd)
{
    g_outFd = outFd;
    // AddressSanitizer reserves terabytes of shadow address space at start: a limit on the address
    // space would make every allocation of a sanitized worker fail, so sanitized builds run without one.
    if (bytes <= 0 || kSanitized)
        return true;
    rlimit limit {};
    if (::getrlimit(RLIMIT_AS, &limit) != 0)
        return false;
    const rlim_t wanted = rlim_t(bytes);
    limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, limit.rlim_max);
    if (::setrlimit(RLIMIT_AS, &limit) != 0)
        return false;
    g_limit = qint64(limit.rlim_cur);
    installHandlers();
    return true;
}

qint64 WorkerMemoryLimit::bytes()
{
    return g_limit;
}

void WorkerMemoryLimit::beginRequest(quint64 id)
{
    endRequest();
    g_frame = outOfMemoryFrame(id);
    g_frameSize = g_frame.size();
    g_reported = false;
    g_frameData = g_frame.constData();
}

void WorkerMemoryLimit::endRequest()
{
    g_frameData = nullptr;
    g_frame.clear();
}

} // namespace quire::ingest
