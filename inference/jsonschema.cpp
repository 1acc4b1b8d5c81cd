#include "inference/jsonschema.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

namespace quire::inference
{

namespace
{

using json = nlohmann::ordered_json;

constexpr int kMaxDepth = 64;
constexpr long long kMaxCount = 10000; // the grammar parser's repetition limit

// Lexical rules shared by every JSON grammar.
constexpr const char *kPrimitives = R"(ws ::= [ \t\n]{0,20}
json-string ::= "\"" json-char* "\""
json-char ::= [^"\\\x00-\x1F] | "\\" (["\\/bfnrt] | "u" json-hex-escape)
json-hex-escape ::= [0-9a-cA-Ce-fE-F] [0-9a-fA-F]{3} | [dD] [0-7] [0-9a-fA-F]{2}
json-integer ::= "-"? ("0" | [1-9] [0-9]{0,15})
json-number ::= json-integer ("." [0-9]{1,16})? ([eE] [-+]? [0-9]{1,2})?
json-unsigned-number ::= ("0" | [1-9] [0-9]{0,15}) ("." [0-9]{1,16})? ([eE] [-+]? [0-9]{1,2})?
json-date ::= [0-9]{4} "-" ("0" [1-9] | "1" [0-2]) "-" ("0" [1-9] | [12] [0-9] | "3" [01])
json-time ::= ([01] [0-9] | "2" [0-3]) ":" [0-5] [0-9] ":" [0-5] [0-9] ("." [0-9]{1,9})? ("Z" | [+-] ([01] [0-9] | "2" [0-3]) ":" [0-5] [0-9])
json-boolean ::= "true" | "false"
json-null ::= "null"
json-value ::= json-object | json-array | json-string | json-number | json-boolean | json-null
json-object ::= "{" ws (json-member ("," ws json-member)*)? "}"
json-member ::= json-string ws ":" ws json-value ws
json-array ::= "[" ws (json-value ws ("," ws json-value ws)*)? "]"
)";

std::string literal(std::string_view text)
{
    std::string out = "\"";
    for (unsigned char c : text) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (c < 0x20) {
                static const char hex[] = "0123456789ABCDEF";
                out += "\\x";
                out += hex[c >> 4];
                out += hex[c & 15];
            } else {
                out += char(c);
            }
        }
    }
    return out + "\"";
}

std::string sanitise(std::string_view name)
{
    std::string out;
    for (char c : name) {
        const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        out += word ? c : '-';
    }
    return out.substr(0, 40);
}

std::string repetition(long long min, long long max)
{
    if (max < 0)
        return "{" + std::to_string(min) + ",}";
    return "{" + std::to_string(min) + "," + std::to_string(max) + "}";
}

constexpr long long kLargestInteger = 9999999999999999LL; // json-integer allows 16 digits

std::string digits(char lo, char hi)
{
    return lo == hi ? std::string("\"") + lo + "\"" : std::string("[") + lo + "-" + hi + "]";
}

// The numbers whose decimal digit strings (same length, a <= b) lie between a and b, as a GBNF expression.
std::string sameLengthRange(const std::string &a, const std::string &b)
{
    const std::size_t rest = a.size() - 1;
    const std::string any = rest ? " [0-9]{" + std::to_string(rest) + "}" : "";
    if (a.substr(1) == std::string(rest, '0') && b.substr(1) == std::string(rest, '9'))
        return digits(a[0], b[0]) + any;
    if (a[0] == b[0])
        return digits(a[0], a[0]) + " " + sameLengthRange(a.substr(1), b.substr(1));
    std::string out = "(" + digits(a[0], a[0]) + " (" + sameLengthRange(a.substr(1), std::string(rest, '9')) + ")";
    if (b[0] - a[0] > 1)
        out += " | " + digits(char(a[0] + 1), char(b[0] - 1)) + any;
    return out + " | " + digits(b[0], b[0]) + " (" + sameLengthRange(std::string(rest, '0'), b.substr(1)) + "))";
}

// Non-negative integers in [lo, hi] without leading zeros.
std::string unsignedRange(long long lo, long long hi)
{
    std::string out;
    long long power = 1; // 10^(length - 1)
    for (std::size_t length = 1; length <= 16; ++length, power *= 10) {
        const long long from = std::max(lo, length == 1 ? 0 : power);
        const long long to = std::min(hi, power * 10 - 1);
        if (from > to)
            continue;
        out += (out.empty() ? "" : " | ") + sameLengthRange(std::to_string(from), std::to_string(to));
    }
    return "(" + out + ")";
}

// Integers in [lo, hi], both within +-kLargestInteger.
std::string integerRange(long long lo, long long hi)
{
    std::string out;
    if (hi >= 0)
        out = unsignedRange(std::max(lo, 0LL), hi);
    if (lo < 0)
        out += (out.empty() ? "" : " | ") + std::string("\"-\" ") + unsignedRange(std::max(1LL, -hi), -lo);
    return "(" + out + ")";
}

class Converter
{
public:
    explicit Converter(const json &root)
        : m_root(root)
    {
    }

    Expected<std::string> run();

private:
    const json &m_root;
    std::vector<std::pair<std::string, std::string>> m_rules;
    std::map<std::string, std::string> m_refs;
    std::optional<Error> m_error;
    int m_depth = 0;

    std::string reserveRule(const std::string &hint);
    std::string fail(Error::Code code, std::string message);
    std::string visit(const json &schema, const std::string &hint);
    std::string visitTyped(const json &schema, const std::string &type, const std::string &hint);
    std::string visitObject(const json &schema, const std::string &hint);
    std::string visitArray(const json &schema, const std::string &hint);
    std::string visitString(const json &schema);
    std::string visitNumber(const json &schema, bool integer);
    std::string visitRef(const std::string &ref);
    std::string alternatives(const json &list, const std::string &hint);
    std::optional<long long> count(const json &schema, const char *key);
};

std::string Converter::fail(Error::Code code, std::string message)
{
    if (!m_error)
        m_error = Error { code, "JSON schema: " + std::move(message) };
    return "json-null";
}

std::string Converter::reserveRule(const std::string &hint)
{
    std::string name = "s-" + sanitise(hint) + "-" + std::to_string(m_rules.size());
    m_rules.emplace_back(name, "\"\"");
    return name;
}

std::optional<long long> Converter::count(const json &schema, const char *key)
{
    auto it = schema.find(key);
    if (it == schema.end())
        return std::nullopt;
    if (!it->is_number_integer() || it->get<long long>() < 0 || it->get<long long>() > kMaxCount) {
        fail(Error::Code::Unsupported,
            std::string("'") + key + "' must be an integer from 0 to " + std::to_string(kMaxCount));
        return std::nullopt;
    }
    return it->get<long long>();
}

std::string Converter::alternatives(const json &list, const std::string &hint)
{
    if (!list.is_array() || list.empty())
        return fail(Error::Code::InvalidArgument, "'anyOf'/'oneOf'/'type' needs a non-empty array");
    std::string body;
    for (std::size_t i = 0; i < list.size(); ++i)
        body += (i ? " | " : "") + visit(list[i], hint + "-" + std::to_string(i));
    return "(" + body + ")";
}

std::string Converter::visitRef(const std::string &ref)
{
    if (auto it = m_refs.find(ref); it != m_refs.end())
        return it->second;
    if (ref.rfind("#", 0) != 0)
        return fail(Error::Code::Unsupported, "only local $ref (\"#/...\") is supported, not '" + ref + "'");
    json::json_pointer pointer;
    try {
        pointer = json::json_pointer(ref.substr(1));
    } catch (const json::exception &) {
        return fail(Error::Code::InvalidArgument, "malformed $ref '" + ref + "'");
    }
    if (!m_root.contains(pointer))
        return fail(Error::Code::NotFound, "$ref '" + ref + "' points at nothing");
    const std::string name = reserveRule(ref.substr(ref.find_last_of('/') + 1));
    const std::size_t index = m_rules.size() - 1;
    m_refs[ref] = name;
    std::string body = visit(m_root.at(pointer), name);
    m_rules[index].second = std::move(body);
    return name;
}

std::string Converter::visit(const json &schema, const std::string &hint)
{
    if (m_error)
        return "json-null";
    if (schema.is_boolean())
        return schema.get<bool>() ? "json-value" : fail(Error::Code::Unsupported, "a `false` schema matches nothing");
    if (!schema.is_object())
        return fail(Error::Code::InvalidArgument, "a schema must be an object or a boolean");
    if (++m_depth > kMaxDepth) {
        --m_depth;
        return fail(Error::Code::TooLarge, "the schema is nested too deeply");
    }
    std::string result;
    if (auto it = schema.find("$ref"); it != schema.end() && it->is_string())
        result = visitRef(it->get<std::string>());
    else if (auto it = schema.find("const"); it != schema.end())
        result = literal(it->dump());
    else if (auto it = schema.find("enum"); it != schema.end()) {
        if (!it->is_array() || it->empty())
            result = fail(Error::Code::InvalidArgument, "'enum' needs a non-empty array");
        for (std::size_t i = 0; !m_error && i < it->size(); ++i)
            result += (i ? " | " : "(") + literal((*it)[i].dump());
        result += ")";
    } else if (auto it = schema.find("anyOf"); it != schema.end())
        result = alternatives(*it, hint);
    else if (auto it = schema.find("oneOf"); it != schema.end())
        result = alternatives(*it, hint);
    else if (auto it = schema.find("allOf"); it != schema.end()) {
        result = it->is_array() && it->size() == 1
            ? visit((*it)[0], hint)
            : fail(Error::Code::Unsupported, "'allOf' with more than one schema");
    } else if (auto it = schema.find("type"); it != schema.end()) {
        if (it->is_array()) {
            json list = json::array();
            for (const json &type : *it) {
                json copy = schema;
                copy["type"] = type;
                list.push_back(std::move(copy));
            }
            result = alternatives(list, hint);
        } else if (it->is_string()) {
            result = visitTyped(schema, it->get<std::string>(), hint);
        } else {
            result = fail(Error::Code::InvalidArgument, "'type' must be a string or an array of strings");
        }
    } else if (schema.contains("properties")) {
        result = visitObject(schema, hint);
    } else if (schema.contains("items")) {
        result = visitArray(schema, hint);
    } else {
        result = "json-value";
    }
    --m_depth;
    return result;
}

std::string Converter::visitTyped(const json &schema, const std::string &type, const std::string &hint)
{
    if (type == "object")
        return visitObject(schema, hint);
    if (type == "array")
        return visitArray(schema, hint);
    if (type == "string")
        return visitString(schema);
    if (type == "number")
        return visitNumber(schema, false);
    if (type == "integer")
        return visitNumber(schema, true);
    if (type == "boolean")
        return "json-boolean";
    if (type == "null")
        return "json-null";
    return fail(Error::Code::Unsupported, "unknown type '" + type + "'");
}

// Integer bounds are enforced exactly; for numbers only the sign is (minimum >= 0: no minus sign).
std::string Converter::visitNumber(const json &schema, bool integer)
{
    auto bound = [&schema](const char *key) -> std::optional<double> {
        auto it = schema.find(key);
        return it != schema.end() && it->is_number() ? std::optional<double>(it->get<double>()) : std::nullopt;
    };
    const auto minimum = bound("minimum");
    const auto maximum = bound("maximum");
    const auto exclusiveMinimum = bound("exclusiveMinimum");
    const auto exclusiveMaximum = bound("exclusiveMaximum");
    if (!minimum && !maximum && !exclusiveMinimum && !exclusiveMaximum)
        return integer ? "json-integer" : "json-number";
    if (!integer) {
        const bool nonNegative = (minimum && *minimum >= 0) || (exclusiveMinimum && *exclusiveMinimum >= 0);
        return nonNegative ? "json-unsigned-number" : "json-number";
    }
    double lo = -double(kLargestInteger);
    double hi = double(kLargestInteger);
    if (minimum)
        lo = std::max(lo, std::ceil(*minimum));
    if (exclusiveMinimum)
        lo = std::max(lo, std::floor(*exclusiveMinimum) + 1);
    if (maximum)
        hi = std::min(hi, std::floor(*maximum));
    if (exclusiveMaximum)
        hi = std::min(hi, std::ceil(*exclusiveMaximum) - 1);
    if (lo > hi)
        return fail(Error::Code::InvalidArgument, "no integer lies between the minimum and the maximum");
    // Doubles cannot hold 16 nines exactly: clamp as integers.
    auto clamp = [](double v) {
        return v <= -double(kLargestInteger) ? -kLargestInteger
            : v >= double(kLargestInteger)   ? kLargestInteger
                                             : static_cast<long long>(v);
    };
    return integerRange(clamp(lo), clamp(hi));
}

std::string Converter::visitString(const json &schema)
{
    if (schema.contains("pattern"))
        return fail(Error::Code::Unsupported, "string 'pattern' is not supported");
    if (auto format = schema.find("format"); format != schema.end() && format->is_string()) {
        static const std::map<std::string, std::string> formats = {
            { "date", "json-date" },
            { "time", "json-time" },
            { "date-time", "json-date \"T\" json-time" },
            { "uuid", "[0-9a-fA-F]{8} \"-\" ([0-9a-fA-F]{4} \"-\"){3} [0-9a-fA-F]{12}" },
        };
        if (auto it = formats.find(format->get<std::string>()); it != formats.end())
            return "(\"\\\"\" " + it->second + " \"\\\"\")";
    }
    const auto min = count(schema, "minLength");
    const auto max = count(schema, "maxLength");
    if (!min && !max)
        return "json-string";
    if (min && max && *max < *min)
        return fail(Error::Code::InvalidArgument, "maxLength is below minLength");
    return "(\"\\\"\" json-char" + repetition(min.value_or(0), max.value_or(-1)) + " \"\\\"\")";
}

// Properties in schema order; each optional one may be skipped. Rule chain(i, any) produces properties
// i.. given whether one was already written (so it knows whether a comma comes first).
std::string Converter::visitObject(const json &schema, const std::string &hint)
{
    auto properties = schema.find("properties");
    if (properties == schema.end() || !properties->is_object() || properties->empty())
        return schema.contains("required") && !schema.at("required").empty()
            ? fail(Error::Code::Unsupported, "'required' names properties that 'properties' does not describe")
            : "json-object";
    std::vector<std::string> required;
    if (auto it = schema.find("required"); it != schema.end() && it->is_array()) {
        for (const json &name : *it) {
            if (!name.is_string() || !properties->contains(name.get<std::string>()))
                return fail(Error::Code::Unsupported, "a required property is not described in 'properties'");
            required.push_back(name.get<std::string>());
        }
    }
    struct Member {
        std::string key;
        std::string value;
        bool required;
    };
    std::vector<Member> members;
    for (auto it = properties->begin(); it != properties->end(); ++it) {
        const bool isRequired = std::find(required.begin(), required.end(), it.key()) != required.end();
        members.push_back({ it.key(), visit(it.value(), hint + "-" + it.key()), isRequired });
    }
    const std::size_t n = members.size();
    std::vector<std::array<std::string, 2>> chain(n + 1);
    for (std::size_t i = 0; i <= n; ++i)
        chain[i] = { reserveRule(hint + "-p" + std::to_string(i)), reserveRule(hint + "-q" + std::to_string(i)) };
    auto ruleIndex = [this](const std::string &name) {
        for (std::size_t k = m_rules.size(); k-- > 0;) {
            if (m_rules[k].first == name)
                return k;
        }
        return std::size_t(0);
    };
    for (std::size_t i = 0; i < n; ++i) {
        const Member &m = members[i];
        const std::string member = literal(json(m.key).dump()) + " ws \":\" ws " + m.value + " ws ";
        for (int any = 0; any < 2; ++any) {
            std::string body = (any ? "\",\" ws " : "") + member + chain[i + 1][1];
            if (!m.required)
                body = "(" + body + ") | " + chain[i + 1][std::size_t(any)];
            m_rules[ruleIndex(chain[i][std::size_t(any)])].second = std::move(body);
        }
    }
    return "(\"{\" ws " + chain[0][0] + " \"}\")";
}

std::string Converter::visitArray(const json &schema, const std::string &hint)
{
    auto items = schema.find("items");
    const std::string item = items == schema.end() ? "json-value" : visit(*items, hint + "-item");
    const long long min = count(schema, "minItems").value_or(0);
    const auto max = count(schema, "maxItems");
    if (max && *max < min)
        return fail(Error::Code::InvalidArgument, "maxItems is below minItems");
    if (max && *max == 0)
        return "(\"[\" ws \"]\")";
    const std::string more = "(\",\" ws " + item + " ws)";
    const std::string tail = more + repetition(min > 0 ? min - 1 : 0, max ? *max - 1 : -1);
    const std::string body = item + " ws " + tail;
    return min > 0 ? "(\"[\" ws " + body + " \"]\")" : "(\"[\" ws (" + body + ")? \"]\")";
}

Expected<std::string> Converter::run()
{
    const std::string top = visit(m_root, "root");
    if (m_error)
        return std::unexpected(*m_error);
    std::string gbnf = "root ::= ws " + top + " ws\n";
    for (const auto &[name, body] : m_rules)
        gbnf += name + " ::= " + body + "\n";
    return gbnf + kPrimitives;
}

} // namespace

Expected<std::string> jsonSchemaToGrammar(std::string_view schemaJson)
{
    json schema;
    try {
        schema = json::parse(schemaJson);
    } catch (const json::exception &e) {
        return fail(Error::Code::InvalidArgument, std::string("JSON schema does not parse: ") + e.what());
    }
    try {
        return Converter(schema).run();
    } catch (const json::exception &e) {
        return fail(Error::Code::InvalidArgument, std::string("JSON schema: ") + e.what());
    }
}

std::string jsonGrammar()
{
    return std::string("root ::= ws json-value ws\n") + kPrimitives;
}

} // namespace quire::inference
