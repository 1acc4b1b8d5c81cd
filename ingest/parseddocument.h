#pragma once

#include "store/library.h"
#include "util/error.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <vector>

namespace quire::ingest
{

// One page as a reader extracted it. Text documents have a single page.
struct ParsedPage {
    QString text; // NFC, "\n" line ends, ligatures expanded, hyphenation repaired
    double width = 0; // points (PDF); 0 for text
    double height = 0;
    std::vector<store::WordBox> words; // offsets relative to this page's text; boxes in points, origin top-left
    // Boxes on this page of text that lies at the end of the previous page's text (the second half of a word
    // hyphenated across the page break, joined there); offsets relative to the previous page's text.
    std::vector<store::WordBox> continuedWords;
    bool ocr = false; // text came from OCR
    bool lowTextYield = false; // looks scanned / garbage and OCR was not possible
};

struct ParsedSection {
    int level = 1;
    QString title;
    int page = 1; // 1-based
    int offset = 0; // UTF-16 offset into that page's text where the section starts
};

// A document found inside another: a mail attachment, an mbox message, an archive member.
struct ChildDocument {
    QString name; // member path or attachment file name; becomes "parent!/name"
    QByteArray data; // the bytes (bounded by the reader's limits)
    QString mimeType; // when the container says
};

struct ParsedDocument {
    QString type; // pdf, text, markdown, html, epub, eml, mbox, zip, tar, 7z ...
    QString title;
    QString author;
    QString created; // ISO 8601
    QString modified;
    QString language; // BCP 47 when known
    QJsonObject metadata;
    std::vector<ParsedPage> pages;
    std::vector<ParsedSection> sections;
    std::vector<ChildDocument> children;
    // A part of a document read by page range (ReadOptions::part): the number of pages[0], the document's
    // page count, and the boxes on the page after the range of a word joined onto the range's last page
    // (offsets relative to that page's text).
    int firstPage = 1;
    int totalPages = 0;
    std::vector<store::WordBox> nextPageWords;
};

struct ReadOptions {
    QString password; // user password for encrypted PDFs
    bool ocr = true; // OCR pages without text when Tesseract is available
    qint64 maxBytes = 2LL << 30; // refuse larger inputs (too_large)
    qint64 maxExpandedBytes = 8LL << 30; // archives: total bytes after decompression
    double maxCompressionRatio = 200; // archives: expanded / compressed, per member and overall
    int maxMembers = 100000; // archives: members of one archive (directories included)
    int depth = 0; // nesting of this input: 0 for a file the user gave
    int maxDepth = 16; // containers nested deeper are refused (too_large)
    int threads = 0; // PDF pages extracted in parallel: 0 = one per core, 1 = serial
    // PDF: read only the part-th (0-based) of `parts` page ranges, so that workers share a large file. Parts
    // hold at least PdfReader::MinPagesPerPart pages: a part past the last one has no pages.
    int part = 0;
    int parts = 1;
};

} // namespace quire::ingest
