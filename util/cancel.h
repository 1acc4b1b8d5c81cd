#pragma once

#include <atomic>

namespace quire
{

// A flag that long jobs poll between units of work. Setting it never interrupts a transaction half-way:
// the job finishes the unit it is in, commits, and returns Error::Code::Cancelled.
class CancelToken
{
public:
    void cancel() { m_cancelled.store(true, std::memory_order_relaxed); }
    void reset() { m_cancelled.store(false, std::memory_order_relaxed); }
    bool isCancelled() const { return m_cancelled.load(std::memory_order_relaxed); }

private:
    std::atomic<bool> m_cancelled { false };
};

} // namespace quire
