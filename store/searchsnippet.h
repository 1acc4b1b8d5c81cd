#pragma once

// The snippet of a search hit, shared by Library::search and rankedSearch.

#include "store/library.h"

namespace quire::store
{

// The SQL expression of a hit's snippet: up to 32 tokens of the sentence around the matches, each match
// between char(2) and char(3). Valid in a query on sentences_fts with a MATCH constraint.
inline constexpr const char *SnippetSql = "snippet(sentences_fts, 0, char(2), char(3), '…', 32)";

// Sets hit.snippet to `marked` without its marks and hit.highlights to the ranges they enclosed.
void setSnippet(const QString &marked, SearchHit &hit);

} // namespace quire::store
