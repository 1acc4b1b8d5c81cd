#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace quire::inference::cpu
{

// A fixed set of worker threads for data-parallel loops. The calling thread takes part as worker 0.
// Workers spin briefly between jobs (a forward pass issues hundreds of small jobs per token) and then
// sleep, so an idle pool costs nothing.
class ThreadPool
{
public:
    explicit ThreadPool(int threads);
    ~ThreadPool();
    ThreadPool(const ThreadPool &) = delete;
    ThreadPool &operator=(const ThreadPool &) = delete;

    int size() const { return m_size; }

    // Runs fn(thread, threads) on every thread and returns when all have finished.
    void run(const std::function<void(int thread, int threads)> &fn);

    // Splits [0, n) into chunks of `grain` handed out dynamically; fn(begin, end, thread).
    void parallelFor(std::int64_t n,
        std::int64_t grain,
        const std::function<void(std::int64_t begin, std::int64_t end, int thread)> &fn);

private:
    void workerLoop(int index);

    int m_size = 1;
    std::vector<std::thread> m_workers;
    const std::function<void(int, int)> *m_job = nullptr;
    std::atomic<std::uint64_t> m_generation { 0 };
    std::atomic<int> m_pending { 0 };
    std::atomic<bool> m_stop { false };
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::atomic<int> m_sleepers { 0 };
};

} // namespace quire::inference::cpu
