#pragma once

#include "store/library.h"

#include <QRectF>
#include <QSet>
#include <QString>
#include <vector>

namespace quire::ingest
{

// Words as Poppler gives them, in its reading order (columns already separated), grouped into lines.
struct PdfWord {
    QString text; // as extracted: ligatures and soft hyphens not yet handled
    QRectF box; // points, origin top-left
    bool spaceAfter = true;
};
struct PdfLine {
    std::vector<PdfWord> words;
};

// Which words a document writes with a hyphen ("well-known") and without ("consequence"), to decide
// whether a hyphen at a line end is a break to remove or part of the word.
class HyphenLexicon
{
public:
    void add(const std::vector<PdfLine> &lines);
    // True when "prefix-suffix" should keep its hyphen once the line break is removed.
    bool keepsHyphen(const QString &prefix, const QString &suffix) const;

private:
    QSet<QString> m_plain;
    QSet<QString> m_hyphenated;
};

struct PdfPageText {
    QString text; // lines joined by "\n", blocks by "\n\n"; ligatures expanded, NFC, hyphenation repaired
    std::vector<store::WordBox> words;
};

// Joins the lines of one page: words separated as Poppler says, lines by "\n", a vertical jump (a new
// column or a gap of more than a line) by "\n\n"; a line ending in a hyphen is joined to the next when it
// starts in lower case, dropping the hyphen unless the lexicon says the word is written with one.
PdfPageText layoutPage(const std::vector<PdfLine> &lines, const HyphenLexicon &lexicon);

} // namespace quire::ingest
