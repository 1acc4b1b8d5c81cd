#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace quire::inference
{

// Applies stop strings to streamed token text. Text that might be the start of a stop string is held
// back until the next pieces show it is not; a stop string ends the stream and is never shown, nor is
// anything after it. Matching is on bytes, across any number of token boundaries.
// What push() and flush() return is always whole, valid UTF-8: a character split across tokens is held
// until it is complete, and bytes that can never form a character become U+FFFD.
class StopStrings
{
public:
    explicit StopStrings(std::vector<std::string> stops = {});

    // Feeds the next token's text; returns the text that is now safe to show (possibly empty).
    std::string push(std::string_view piece);
    // Ends the stream (end-of-generation or length limit): returns whatever was held back.
    std::string flush();

    // A stop string was seen; further pushes return nothing.
    bool isStopped() const { return m_stopped; }
    // The stop string that ended the stream, or empty.
    const std::string &matchedStop() const { return m_matched; }
    // Bytes currently held back.
    std::size_t heldBytes() const { return m_pending.size(); }
    const std::vector<std::string> &stops() const { return m_stops; }
    void reset();

private:
    std::vector<std::string> m_stops;
    std::string m_pending;
    std::string m_matched;
    bool m_stopped = false;

    std::size_t stopPrefixSuffix() const;
};

// Replaces every byte that is not part of a valid UTF-8 character with U+FFFD.
std::string sanitiseUtf8(std::string_view bytes);
// Length of an unfinished (but so far valid) UTF-8 character at the end of `bytes`, 0 if none.
std::size_t incompleteUtf8Tail(std::string_view bytes);

} // namespace quire::inference
