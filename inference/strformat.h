#pragma once

#include <charconv>
#include <concepts>
#include <string>
#include <string_view>

namespace quire::inference
{

// A minimal std::format stand-in (GCC 12 has no <format>): each "{}" in `pattern` is replaced by the
// next argument. Integers and floats use std::to_chars (shortest round-trip form for floats).
namespace detail
{

inline void appendArg(std::string &out, std::string_view s)
{
    out += s;
}
inline void appendArg(std::string &out, const char *s)
{
    out += s;
}
inline void appendArg(std::string &out, const std::string &s)
{
    out += s;
}
inline void appendArg(std::string &out, char c)
{
    out += c;
}
inline void appendArg(std::string &out, bool b)
{
    out += b ? "true" : "false";
}

template <typename T>
requires(std::integral<T> || std::floating_point<T>)
    && (!std::same_as<T, bool>)&&(!std::same_as<T, char>)void appendArg(std::string &out, T v)
{
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, res.ptr);
}

inline void appendPattern(std::string &out, std::string_view &pattern)
{
    const auto pos = pattern.find("{}");
    if (pos == std::string_view::npos) {
        out += pattern;
        pattern = {};
        return;
    }
    out += pattern.substr(0, pos);
    pattern.remove_prefix(pos + 2);
}

} // namespace detail

template <typename... Args> std::string strFormat(std::string_view pattern, const Args &...args)
{
    std::string out;
    out.reserve(pattern.size() + 16 * sizeof...(args));
    ((detail::appendPattern(out, pattern), detail::appendArg(out, args)), ...);
    out += pattern;
    return out;
}

} // namespace quire::inference
