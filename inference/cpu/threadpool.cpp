#include "inference/cpu/threadpool.h"

#include <algorithm>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace quire::inference::cpu
{

namespace
{

inline void cpuRelax()
{
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#else
    std::this_thread::yield();
#endif
}

constexpr int kSpinRounds = 20000;
constexpr std::uint64_t kClosed = 1ull << 31;
constexpr std::uint64_t kInsideMask = kClosed - 1;

} // namespace

ThreadPool::ThreadPool(int threads)
    : m_size(std::max(1, threads))
{
    for (int i = 1; i < m_size; ++i)
        m_workers.emplace_back([this, i] { workerLoop(i); });
}

ThreadPool::~ThreadPool()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop.store(true);
        m_generation.fetch_add(1);
    }
    m_wake.notify_all();
    for (std::thread &t : m_workers)
        t.join();
}

void ThreadPool::workerLoop(int index)
{
    std::uint64_t seen = 0;
    for (;;) {
        int spins = 0;
        while (m_generation.load(std::memory_order_acquire) == seen) {
            if (++spins < kSpinRounds) {
                cpuRelax();
                continue;
            }
            std::unique_lock lock(m_mutex);
            m_sleepers.fetch_add(1);
            m_wake.wait(lock, [&] { return m_generation.load(std::memory_order_acquire) != seen; });
            m_sleepers.fetch_sub(1);
            break;
        }
        seen = m_generation.load(std::memory_order_acquire);
        if (m_stop.load())
            return;
        std::uint64_t c = m_control.load(std::memory_order_acquire);
        while ((c >> 32) == (seen & 0xffffffffu) && !(c & kClosed)) {
            if (m_control.compare_exchange_weak(c, c + 1, std::memory_order_acq_rel)) {
                (*m_job)(index, m_size);
                m_control.fetch_sub(1, std::memory_order_acq_rel);
                break;
            }
        }
    }
}

void ThreadPool::run(const std::function<void(int, int)> &fn)
{
    if (m_size == 1) {
        fn(0, 1);
        return;
    }
    m_job = &fn;
    const std::uint64_t job = (m_generation.load(std::memory_order_relaxed) + 1) & 0xffffffffu;
    m_control.store(job << 32, std::memory_order_release);
    {
        // Publishing under the mutex means a worker about to sleep cannot miss the new generation.
        std::lock_guard lock(m_mutex);
        m_generation.fetch_add(1, std::memory_order_acq_rel);
    }
    if (m_sleepers.load() > 0)
        m_wake.notify_all();
    fn(0, m_size);
    m_control.fetch_or(kClosed, std::memory_order_acq_rel);
    // On a busy machine a worker may be descheduled: stop burning the core it needs after a while.
    for (int spins = 0; m_control.load(std::memory_order_acquire) & kInsideMask; ++spins) {
        if (spins < kSpinRounds)
            cpuRelax();
        else
            std::this_thread::yield();
    }
    m_job = nullptr;
}

void ThreadPool::parallelFor(
    std::int64_t n, std::int64_t grain, const std::function<void(std::int64_t, std::int64_t, int)> &fn)
{
    if (n <= 0)
        return;
    grain = std::max<std::int64_t>(1, grain);
    if (m_size == 1 || n <= grain) {
        fn(0, n, 0);
        return;
    }
    std::atomic<std::int64_t> next { 0 };
    run([&](int thread, int) {
        for (;;) {
            const std::int64_t begin = next.fetch_add(grain, std::memory_order_relaxed);
            if (begin >= n)
                return;
            fn(begin, std::min(n, begin + grain), thread);
        }
    });
}

} // namespace quire::inference::cpu
