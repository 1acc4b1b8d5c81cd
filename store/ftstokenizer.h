#pragma once

// The full-text index's tokenizer, "quire": SQLite's unicode61 (its arguments passed on, e.g.
// remove_diacritics 2) except that every CJK character (util::isCjk) is a token of its own, so that text
// without spaces between words can be searched for any run of characters (a query for 刘备 is the phrase
// 刘 备). Offsets stay those of the original text, so snippet() marks the original words.

#include "util/error.h"

struct sqlite3;

namespace quire::store
{

inline constexpr const char *FtsTokenizerName = "quire";

// Makes the tokenizer known to one connection; needed before any full-text table is read or written.
Expected<void> registerFtsTokenizer(sqlite3 *db);

} // namespace quire::store
