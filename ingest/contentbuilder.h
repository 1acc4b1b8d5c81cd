#pragma once

#include "ingest/parseddocument.h"
#include "store/library.h"

#include <QStringView>

namespace quire::ingest
{

class Segmenter;

// What separates pages in a document's stored text.
inline constexpr QStringView PageSeparator = u"\n\n";

// Assembles what the library stores for a parsed document: the full text (pages joined by PageSeparator),
// page ranges, word boxes (moved to offsets into the full text; a page's continuedWords follow its own words,
// with offsets into the previous page's range), sections with their ranges (a section
// ends where the next one of the same or a higher level starts) and the sentences of every page with
// their page number. Sentence texts are filled in (text.mid(start, end - start)).
store::DocumentContent buildContent(const ParsedDocument &document, Segmenter &segmenter);

// Sorts sections by start (stable) and ends each where the next one of the same or a higher level starts,
// the last ones at textEnd.
void closeSections(std::vector<store::SectionRecord> &sections, int textEnd);

// True when the content holds no letter or digit at all.
bool isBlank(const store::DocumentContent &content);

} // namespace quire::ingest
