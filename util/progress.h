#pragma once

#include <cstdint>
#include <string>

namespace quire
{

// Receives progress from long jobs. The CLI draws a bar on stderr, the GUI a jobs panel; jobs only call this.
// Implementations must be thread-safe: workers may report from several threads.
class Progress
{
public:
    virtual ~Progress() = default;
    // Starts a phase of `total` units (0 when unknown), e.g. ("ingest", 1200).
    virtual void begin(const std::string &phase, std::int64_t total) = 0;
    // `done` units of the phase are finished; `item` names the current one (a file name, say).
    virtual void update(std::int64_t done, const std::string &item = {}) = 0;
    // A line worth keeping (a file that failed, a summary).
    virtual void message(const std::string &text) = 0;
    virtual void end() = 0;
};

// Swallows everything: the default when nobody is watching.
class NullProgress final : public Progress
{
public:
    void begin(const std::string &, std::int64_t) override { }
    void update(std::int64_t, const std::string &) override { }
    void message(const std::string &) override { }
    void end() override { }
};

} // namespace quire
