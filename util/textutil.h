#pragma once

#include <QString>

namespace quire::util
{

// True for ideographs, kana and hangul: scripts written without spaces between words.
bool isCjk(char32_t c);

// The form of a text that goes into the full-text index: CJK characters are spaced apart so that
// SQLite's unicode61 tokenizer sees each as a token and a query for 刘备 becomes the phrase "刘 备".
QString searchForm(const QString &text);

// Turns a user's query into an FTS5 query over searchForm() text: CJK runs become phrases,
// the rest (phrases, AND/OR/NOT, prefix*) is passed through.
QString ftsQuery(const QString &userQuery);

} // namespace quire::util
