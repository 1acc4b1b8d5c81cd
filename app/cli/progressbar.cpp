#include "progressbar.h"

#include <cstdio>
#include <string>

namespace quire::cli
{

namespace
{

std::string formatDuration(double seconds)
{
    if (seconds < 0 || seconds > 360000)
        return "--:--";
    const int s = static_cast<int>(seconds + 0.5);
    char buf[32];
    if (s >= 3600)
        std::snprintf(buf, sizeof buf, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    else
        std::snprintf(buf, sizeof buf, "%02d:%02d", s / 60, s % 60);
    return buf;
}

} // namespace

ProgressBar::ProgressBar(bool terminal)
    : m_terminal(terminal)
{
}

void ProgressBar::begin(const std::string &phase, std::int64_t total)
{
    std::lock_guard lock(m_mutex);
    m_phase = phase;
    m_total = total;
    m_done = 0;
    m_lastPercent = -1;
    m_item.clear();
    m_start = std::chrono::steady_clock::now();
    m_lastDraw = {};
    draw(true);
}

void ProgressBar::update(std::int64_t done, const std::string &item)
{
    std::lock_guard lock(m_mutex);
    m_done = done;
    if (!item.empty())
        m_item = item;
    draw(false);
}

void ProgressBar::message(const std::string &text)
{
    std::lock_guard lock(m_mutex);
    if (m_lineOpen)
        std::fputs("\r\033[K", stderr);
    std::fprintf(stderr, "%s\n", text.c_str());
    m_lineOpen = false;
    draw(true);
}

void ProgressBar::end()
{
    std::lock_guard lock(m_mutex);
    if (m_total > 0)
        m_done = m_total;
    draw(true);
    if (m_terminal && m_lineOpen)
        std::fputc('\n', stderr);
    m_lineOpen = false;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    if (!m_terminal)
        std::fprintf(stderr, "%s: done in %.1f s\n", m_phase.c_str(), elapsed);
    m_phase.clear();
}

void ProgressBar::draw(bool force)
{
    if (m_phase.empty())
        return;
    const auto now = std::chrono::steady_clock::now();
    const double elapsed = std::chrono::duration<double>(now - m_start).count();
    const int percent = m_total > 0 ? static_cast<int>(100 * m_done / m_total) : -1;
    if (!m_terminal) {
        // Plain lines: one at each 10 %, or per 100 items when the total is unknown.
        const bool step = m_total > 0 ? percent / 10 != m_lastPercent / 10 : (m_done % 100 == 0);
        if (!force && !step)
            return;
        m_lastPercent = percent;
        if (m_total > 0)
            std::fprintf(
                stderr, "%s: %lld/%lld (%d%%)\n", m_phase.c_str(), (long long)m_done, (long long)m_total, percent);
        else
            std::fprintf(stderr, "%s: %lld\n", m_phase.c_str(), (long long)m_done);
        return;
    }
    if (!force && now - m_lastDraw < std::chrono::milliseconds(100))
        return;
    m_lastDraw = now;
    std::string line = "\r\033[K" + m_phase + " ";
    if (m_total > 0) {
        const int width = 30;
        const int filled = static_cast<int>(width * m_done / m_total);
        line += "[" + std::string(filled, '#') + std::string(width - filled, '-') + "] ";
        line += std::to_string(m_done) + "/" + std::to_string(m_total);
        const double eta = m_done > 0 ? elapsed * (m_total - m_done) / m_done : -1;
        line += "  ETA " + formatDuration(eta);
    } else {
        line += std::to_string(m_done) + "  " + formatDuration(elapsed);
    }
    if (!m_item.empty())
        line += "  " + m_item.substr(0, 40);
    std::fputs(line.c_str(), stderr);
    std::fflush(stderr);
    m_lineOpen = true;
}

} // namespace quire::cli
