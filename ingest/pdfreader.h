#pragma once

#include "ingest/parseddocument.h"
#include "util/error.h"

#include <QByteArray>
#include <QString>

namespace quire::ingest
{

// PDF through Poppler: one ParsedPage per page (text in Poppler's reading order with columns separated,
// word boxes in points, hyphenation repaired, ligatures expanded), outline as sections, Info dictionary
// as metadata (title, author, subject, keywords, creator, producer, dates as ISO 8601).
// Pages with little or garbled text are OCR'd (Tesseract, 300 dpi) when ReadOptions::ocr and Tesseract is
// available (page.ocr); otherwise they are flagged page.lowTextYield. Blank pages are left alone.
// Errors: PasswordRequired ("password required" / "wrong password"), Corrupt, Empty (no pages).
class PdfReader
{
public:
    static Expected<ParsedDocument> read(const QByteArray &data, const QString &name, const ReadOptions &options);

    // Good; Sparse: fewer than 200 letters (a scan, maybe under a stamped header, or a short title page: the
    // ink outside the words decides); Garbage: mostly replacement, private-use or control characters, or mostly
    // symbols.
    enum class TextYield { Good, Sparse, Garbage };
    static TextYield assessText(const QString &text);
    static bool isLowYield(const QString &text);
};

} // namespace quire::ingest
