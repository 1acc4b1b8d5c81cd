#pragma once

#include "util/progress.h"

#include <chrono>
#include <mutex>

namespace quire::cli
{

// Progress on stderr. On a terminal: one line redrawn in place with a bar, rate and ETA, at most
// ten times a second. Elsewhere (logs, CI): a plain line every few percent.
class ProgressBar final : public Progress
{
public:
    explicit ProgressBar(bool terminal);
    void begin(const std::string &phase, std::int64_t total) override;
    void update(std::int64_t done, const std::string &item) override;
    void message(const std::string &text) override;
    void end() override;

private:
    void draw(bool force);

    std::mutex m_mutex;
    bool m_terminal;
    std::string m_phase;
    std::string m_item;
    std::int64_t m_total = 0;
    std::int64_t m_done = 0;
    int m_lastPercent = -1;
    bool m_lineOpen = false;
    std::chrono::steady_clock::time_point m_start;
    std::chrono::steady_clock::time_point m_lastDraw;
};

} // namespace quire::cli
