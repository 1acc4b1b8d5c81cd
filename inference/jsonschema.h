#pragma once

#include "util/error.h"

#include <string>
#include <string_view>

namespace quire::inference
{

// A GBNF grammar (see grammar.h) whose sentences are exactly the JSON texts that match a JSON schema,
// for the subset analysis uses: type (string, number, integer, boolean, null, object, array, or a list of
// them), properties + required (properties come in schema order; optional ones may be left out; no extra
// properties are produced), items + minItems/maxItems, string minLength/maxLength, enum, const,
// anyOf/oneOf (oneOf is treated as anyOf), allOf with one member, local $ref (#/$defs/..., #/definitions/...,
// recursion allowed), `true`/{} for any value, integer minimum/maximum/exclusiveMinimum/exclusiveMaximum
// (exactly; within 16 digits). Numbers: only the sign of a minimum is enforced (>= 0: no minus sign).
// String formats date, time, date-time (RFC 3339) and uuid are enforced (day 31 is allowed in every
// month); other formats are not. Not enforced: multipleOf; `pattern` is refused (Unsupported) rather than silently
// ignored. Whitespace between tokens is allowed but bounded, so that a constrained model cannot ramble in it. Every
// sentence parses as JSON: strings never hold raw control characters, lone surrogate escapes or invalid UTF-8, numbers
// stay within 16 significant digits and two exponent digits.
Expected<std::string> jsonSchemaToGrammar(std::string_view schemaJson);

// A grammar for any JSON value (the same lexical rules as above).
std::string jsonGrammar();

} // namespace quire::inference
