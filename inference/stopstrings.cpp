#include "inference/stopstrings.h"

#include <algorithm>

namespace quire::inference
{

namespace
{

// The length of the character that `lead` starts, or 0 when it cannot start one.
int sequenceLength(unsigned char lead)
{
    if (lead < 0x80)
        return 1;
    if (lead >= 0xC2 && lead <= 0xDF)
        return 2;
    if (lead >= 0xE0 && lead <= 0xEF)
        return 3;
    if (lead >= 0xF0 && lead <= 0xF4)
        return 4;
    return 0;
}

// Whether bytes[1..n) may follow bytes[0] in a valid character (no overlong forms, no surrogates,
// nothing past U+10FFFF), for the n bytes that are present.
bool validContinuation(std::string_view bytes, int n)
{
    const auto lead = static_cast<unsigned char>(bytes[0]);
    for (int i = 1; i < n; ++i) {
        const auto b = static_cast<unsigned char>(bytes[std::size_t(i)]);
        if ((b & 0xC0) != 0x80)
            return false;
        if (i == 1) {
            if ((lead == 0xE0 && b < 0xA0) || (lead == 0xED && b > 0x9F) || (lead == 0xF0 && b < 0x90)
                || (lead == 0xF4 && b > 0x8F))
                return false;
        }
    }
    return true;
}

const std::string kReplacement = "\xEF\xBF\xBD";

} // namespace

std::string sanitiseUtf8(std::string_view bytes)
{
    std::string out;
    out.reserve(bytes.size());
    std::size_t i = 0;
    while (i < bytes.size()) {
        const int length = sequenceLength(static_cast<unsigned char>(bytes[i]));
        if (length > 0 && i + std::size_t(length) <= bytes.size() && validContinuation(bytes.substr(i), length)) {
            out.append(bytes.substr(i, std::size_t(length)));
            i += std::size_t(length);
        } else {
            out += kReplacement;
            ++i;
        }
    }
    return out;
}

std::size_t incompleteUtf8Tail(std::string_view bytes)
{
    const std::size_t limit = std::min<std::size_t>(bytes.size(), 3);
    for (std::size_t back = 1; back <= limit; ++back) {
        const std::size_t start = bytes.size() - back;
        const auto b = static_cast<unsigned char>(bytes[start]);
        if ((b & 0xC0) == 0x80)
            continue;
        const int length = sequenceLength(b);
        if (length > int(back) && validContinuation(bytes.substr(start), int(back)))
            return back;
        return 0;
    }
    return 0;
}

StopStrings::StopStrings(std::vector<std::string> stops)
{
    for (std::string &stop : stops) {
        if (!stop.empty())
            m_stops.push_back(std::move(stop));
    }
}

// The longest suffix of the pending text that is a proper prefix of some stop string.
std::size_t StopStrings::stopPrefixSuffix() const
{
    std::size_t best = 0;
    const std::string_view pending = m_pending;
    for (const std::string &stop : m_stops) {
        const std::size_t longest = std::min(stop.size() - 1, pending.size());
        for (std::size_t k = longest; k > best; --k) {
            if (pending.substr(pending.size() - k) == std::string_view(stop).substr(0, k)) {
                best = k;
                break;
            }
        }
    }
    return best;
}

std::string StopStrings::push(std::string_view piece)
{
    if (m_stopped)
        return {};
    m_pending.append(piece);
    std::size_t cut = std::string::npos;
    for (const std::string &stop : m_stops) {
        const std::size_t at = m_pending.find(stop);
        if (at < cut || (at == cut && at != std::string::npos && stop.size() > m_matched.size())) {
            cut = at;
            m_matched = stop;
        }
    }
    if (cut != std::string::npos) {
        std::string out = sanitiseUtf8(std::string_view(m_pending).substr(0, cut));
        m_pending.clear();
        m_stopped = true;
        return out;
    }
    std::size_t hold = stopPrefixSuffix();
    const std::string_view releasable = std::string_view(m_pending).substr(0, m_pending.size() - hold);
    hold += incompleteUtf8Tail(releasable);
    std::string out = sanitiseUtf8(std::string_view(m_pending).substr(0, m_pending.size() - hold));
    m_pending.erase(0, m_pending.size() - hold);
    return out;
}

std::string StopStrings::flush()
{
    std::string out = sanitiseUtf8(m_pending);
    m_pending.clear();
    return out;
}

void StopStrings::reset()
{
    m_pending.clear();
    m_matched.clear();
    m_stopped = false;
}

} // namespace quire::inference
