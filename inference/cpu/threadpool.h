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

    // Splits [0, n) into chunks of `grain` handed out dynamically; fn(begin, end, thread).
    void parallelFor(std::int64_t n,
        std::int64_t grain,
        const std::function<void(std::int64_t begin, std::int64_t end, int thread)> &fn);

private:
    // Runs fn(thread, threads) on the calling thread and on every worker that joins before the caller
    // has finished its own call; returns when all who joined are done. fn must share work dynamically.
    void run(const std::function<void(int thread, int threads)> &fn);
    void workerLoop(int index);

    int m_size = 1;
    std::vector<std::thread> m_workers;
    const std::function<void(int, int)> *m_job = nullptr;
    std::atomic<std::uint64_t> m_generation { 0 };
    // Job id (high 32 bits), closed flag (bit 31) and the number of workers inside the job (low bits).
    // A worker that arrives after the caller closed the job skips it, so a descheduled worker never
    // holds up the caller on a busy machine.
    std::atomic<std::uint64_t> m_control { 0 };
    std::atomic<bool> m_stop { false };
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::atomic<int> m_sleepers { 0 };
};

} // namespace quire::inference::cpu
