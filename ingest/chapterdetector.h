#pragma once

#include "ingest/parseddocument.h"

#include <QString>
#include <vector>

namespace quire::ingest
{

// Finds chapter headings in plain text: "CHAPTER XII.", "Chapter 1", "BOOK II", "Capítulo primero.",
// "第十二回", "第1章", stand-alone "EPILOGUE" / "ETYMOLOGY." and, when a book has none of those,
// lines holding only a roman numeral. Tables of contents (a run of headings with no text between them)
// are skipped. Sections point at page 1; `begin`/`end` bound the search (a Gutenberg body).
std::vector<ParsedSection> detectChapters(const QString &text, qsizetype begin = 0, qsizetype end = -1);

// Parses "XII" / "xii" as 12; 0 when it is not a well-formed roman numeral.
int romanToInt(QStringView roman);

} // namespace quire::ingest
