#include "ggufvalue.h"

#include "gguffile.h"
#include "strformat.h"

#include <cstring>
#include <limits>

namespace quire::inference
{

namespace
{

template <typename T> T load(const std::uint8_t *p)
{
    T v;
    std::memcpy(&v, p, sizeof(T));
    return v;
}

std::string hexEscape(unsigned char c)
{
    static constexpr char kDigits[] = "0123456789abcdef";
    return std::string { '\\', 'x', kDigits[c >> 4], kDigits[c & 15] };
}

std::string quoted(std::string_view s, std::size_t maxChars)
{
    std::string out = "\"";
    for (std::size_t i = 0; i < s.size() && i < maxChars; ++i) {
        const char c = s[i];
        if (c == '\n')
            out += "\\n";
        else if (c == '\t')
            out += "\\t";
        else if (c == '"' || c == '\\')
            out += std::string("\\") + c;
        else if (static_cast<unsigned char>(c) < 0x20)
            out += hexEscape(static_cast<unsigned char>(c));
        else
            out += c;
    }
    out += s.size() > maxChars ? "\"…" : "\"";
    return out;
}

} // namespace

std::string_view ggufValueTypeName(GgufValueType type)
{
    switch (type) {
    case GgufValueType::UInt8:
        return "uint8";
    case GgufValueType::Int8:
        return "int8";
    case GgufValueType::UInt16:
        return "uint16";
    case GgufValueType::Int16:
        return "int16";
    case GgufValueType::UInt32:
        return "uint32";
    case GgufValueType::Int32:
        return "int32";
    case GgufValueType::Float32:
        return "float32";
    case GgufValueType::Bool:
        return "bool";
    case GgufValueType::String:
        return "string";
    case GgufValueType::Array:
        return "array";
    case GgufValueType::UInt64:
        return "uint64";
    case GgufValueType::Int64:
        return "int64";
    case GgufValueType::Float64:
        return "float64";
    }
    return "unknown";
}

std::size_t ggufValueTypeSize(GgufValueType type)
{
    switch (type) {
    case GgufValueType::UInt8:
    case GgufValueType::Int8:
    case GgufValueType::Bool:
        return 1;
    case GgufValueType::UInt16:
    case GgufValueType::Int16:
        return 2;
    case GgufValueType::UInt32:
    case GgufValueType::Int32:
    case GgufValueType::Float32:
        return 4;
    case GgufValueType::UInt64:
    case GgufValueType::Int64:
    case GgufValueType::Float64:
        return 8;
    case GgufValueType::String:
    case GgufValueType::Array:
        return 0;
    }
    return 0;
}

std::optional<std::int64_t> GgufValue::scalarInt(GgufValueType type, const std::uint8_t *p)
{
    switch (type) {
    case GgufValueType::UInt8:
        return load<std::uint8_t>(p);
    case GgufValueType::Int8:
        return load<std::int8_t>(p);
    case GgufValueType::UInt16:
        return load<std::uint16_t>(p);
    case GgufValueType::Int16:
        return load<std::int16_t>(p);
    case GgufValueType::UInt32:
        return load<std::uint32_t>(p);
    case GgufValueType::Int32:
        return load<std::int32_t>(p);
    case GgufValueType::Int64:
        return load<std::int64_t>(p);
    case GgufValueType::UInt64: {
        const auto v = load<std::uint64_t>(p);
        if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            return std::nullopt;
        return static_cast<std::int64_t>(v);
    }
    default:
        return std::nullopt;
    }
}

std::optional<double> GgufValue::scalarFloat(GgufValueType type, const std::uint8_t *p)
{
    if (type == GgufValueType::Float32)
        return load<float>(p);
    if (type == GgufValueType::Float64)
        return load<double>(p);
    if (type == GgufValueType::UInt64)
        return static_cast<double>(load<std::uint64_t>(p));
    if (auto i = scalarInt(type, p))
        return static_cast<double>(*i);
    return std::nullopt;
}

std::uint64_t GgufValue::asU64() const
{
    switch (type) {
    case GgufValueType::UInt8:
    case GgufValueType::Bool:
        return load<std::uint8_t>(raw);
    case GgufValueType::UInt16:
        return load<std::uint16_t>(raw);
    case GgufValueType::UInt32:
        return load<std::uint32_t>(raw);
    case GgufValueType::UInt64:
        return load<std::uint64_t>(raw);
    default:
        return static_cast<std::uint64_t>(scalarInt(type, raw).value_or(0));
    }
}

std::optional<std::int64_t> GgufValue::intAt(std::uint64_t i) const
{
    const GgufValueType t = type == GgufValueType::Array ? elemType : type;
    if (!raw || i >= count)
        return std::nullopt;
    if (t == GgufValueType::Bool)
        return raw[i] != 0 ? 1 : 0;
    return scalarInt(t, raw + i * ggufValueTypeSize(t));
}

std::optional<double> GgufValue::floatAt(std::uint64_t i) const
{
    const GgufValueType t = type == GgufValueType::Array ? elemType : type;
    if (!raw || i >= count)
        return std::nullopt;
    return scalarFloat(t, raw + i * ggufValueTypeSize(t));
}

std::optional<std::vector<float>> GgufValue::floatArray() const
{
    if (type != GgufValueType::Array || !raw || elemType == GgufValueType::Bool)
        return std::nullopt;
    std::vector<float> out;
    out.reserve(count);
    for (std::uint64_t i = 0; i < count; ++i) {
        auto v = floatAt(i);
        if (!v)
            return std::nullopt;
        out.push_back(static_cast<float>(*v));
    }
    return out;
}

std::optional<std::vector<std::int64_t>> GgufValue::intArray() const
{
    if (type != GgufValueType::Array || !raw)
        return std::nullopt;
    std::vector<std::int64_t> out;
    out.reserve(count);
    for (std::uint64_t i = 0; i < count; ++i) {
        auto v = intAt(i);
        if (!v)
            return std::nullopt;
        out.push_back(*v);
    }
    return out;
}

std::string GgufValue::describe(std::size_t maxElements) const
{
    switch (type) {
    case GgufValueType::String:
        return quoted(str, 200);
    case GgufValueType::Bool:
        return *raw ? "true" : "false";
    case GgufValueType::Float32:
        return strFormat("{}", load<float>(raw)); // shortest text that reads back as this float32
    case GgufValueType::Float64:
        return strFormat("{}", load<double>(raw));
    case GgufValueType::UInt64:
        return strFormat("{}", asU64());
    case GgufValueType::Array:
        break;
    default:
        return strFormat("{}", scalarInt(type, raw).value_or(0));
    }
    if (count > maxElements)
        return strFormat("[{} {}]", count, elemType == GgufValueType::String ? "strings" : ggufValueTypeName(elemType));
    std::string out = "[";
    for (std::uint64_t i = 0; i < count; ++i) {
        if (i)
            out += ", ";
        if (elemType == GgufValueType::String) {
            out += quoted(strings[i], 40);
        } else if (elemType == GgufValueType::Array) {
            out += nested[i].describe(maxElements);
        } else {
            GgufValue e;
            e.type = elemType;
            e.raw = raw + i * ggufValueTypeSize(elemType);
            e.count = 1;
            out += e.describe(maxElements);
        }
    }
    return out + "]";
}

} // namespace quire::inference
