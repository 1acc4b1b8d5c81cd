#pragma once

#include "ingest/parseddocument.h"
#include "util/error.h"

#include <QByteArray>
#include <QString>
#include <utility>

namespace quire::ingest
{

// PDF through Poppler: one ParsedPage per page (text in Poppler's reading order with columns separated,
// word boxes in points, hyphenation repaired, ligatures expanded), outline as sections, Info dictionary
// as metadata (title, author, subject, keywords, creator, producer, dates as ISO 8601).
// Pages with little or garbled text are OCR'd (Tesseract, 300 dpi) when ReadOptions::ocr and Tesseract is
// available (page.ocr); otherwise they are flagged page.lowTextYield. Blank pages are left alone.
// A word hyphenated across a page break is joined on the first page (ParsedPage::continuedWords keep the
// second half's box on the next). ReadOptions::part/parts read one page range (ParsedDocument::firstPage);
// hyphenation across the range's edges is repaired as in a whole read.
// Errors: PasswordRequired ("password required" / "wrong password"), Corrupt, Empty (no pages; not for a part).
class PdfReader
{
public:
    static Expected<ParsedDocument> read(const QByteArray &data, const QString &name, const ReadOptions &options);

    static constexpr int MinPagesPerPart = 24;
    // Pages [first, last) (0-based) of `part` among `parts` in a document of pageCount pages: as many parts
    // as hold MinPagesPerPart pages; the ones past those are empty.
    static std::pair<int, int> partRange(int pageCount, int part, int parts);

    // Good; Sparse: fewer than 200 letters (a scan, maybe under a stamped header, or a short title page: the
    // ink outside the words decides); Garbage: mostly replacement, private-use or control characters, or mostly
    // symbols.
    enum class TextYield { Good, Sparse, Garbage };
    static TextYield assessText(const QString &text);
    static bool isLowYield(const QString &text);
};

} // namespace quire::ingest
