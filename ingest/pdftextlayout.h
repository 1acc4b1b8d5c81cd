#pragma once

#include "store/library.h"

#include <QRectF>
#include <QSet>
#include <QString>
#include <optional>
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
    QSet<quint64> m_plain; // case-folded words, hashed
    QSet<quint64> m_hyphenated;
};

struct PdfPageText {
    QString text; // lines joined by "\n", blocks by "\n\n"; ligatures expanded, NFC, hyphenation repaired
    std::vector<store::WordBox> words;
    // Boxes on the next page of the word continued there (PageContinuation); offsets into `text`.
    std::vector<store::WordBox> nextPageWords;
};

// A word hyphenated across a page break: the last body line of a page ends in "conse-" and the first body
// line of the next starts with "quence" (running heads, page numbers and margin numbers, lines without a
// lower-case letter, may lie between). The next page's first word then belongs to this page's text, its
// box stays on the next page.
struct PageContinuation {
    std::size_t line = 0; // this page's line the word is joined to
    PdfWord word; // the next page's first word
};
struct PageJoin {
    std::size_t lastLine = 0; // of the page
    std::size_t firstLine = 0; // of the next page: its first word is the continuation
};
// Depends on the two pages' lines only (not on a lexicon), so that workers reading neighbouring page
// ranges agree on it.
std::optional<PageJoin> findPageJoin(const std::vector<PdfLine> &page, const std::vector<PdfLine> &next);

// Joins the lines of one page: words separated as Poppler says, lines by "\n", a vertical jump (a new
// column or a gap of more than a line) by "\n\n"; a line ending in a hyphen is joined to the next when it
// starts in lower case, dropping the hyphen unless the lexicon says the word is written with one. The same
// for the continuation from the next page, when there is one.
PdfPageText layoutPage(const std::vector<PdfLine> &lines,
    const HyphenLexicon &lexicon,
    const std::optional<PageContinuation> &continuation = std::nullopt);

} // namespace quire::ingest
