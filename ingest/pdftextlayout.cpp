#include "ingest/pdftextlayout.h"

#include "ingest/textdecoder.h"

namespace quire::ingest
{

namespace
{

bool isHyphen(QChar c)
{
    return c == QLatin1Char('-') || c == QChar(0x2010) || c == QChar(0x00AD);
}

// The letters at the end (or start) of a token: "(conse" -> "conse", "quence," -> "quence".
QString trailingLetters(const QString &s)
{
    qsizetype i = s.size();
    while (i > 0 && s[i - 1].isLetter())
        --i;
    return s.mid(i);
}

QString leadingLetters(const QString &s)
{
    qsizetype i = 0;
    while (i < s.size() && s[i].isLetter())
        ++i;
    return s.left(i);
}

// The letters of a word without the punctuation around it (inner hyphens kept).
QStringView lexiconLetters(QStringView word)
{
    qsizetype b = 0, e = word.size();
    while (b < e && !word[b].isLetter())
        ++b;
    while (e > b && !word[e - 1].isLetter())
        --e;
    return word.mid(b, e - b);
}

// FNV-1a over the case-folded UTF-16 units: the lexicon keeps 64-bit keys, so that learning every word of
// a document allocates nothing per word.
quint64 foldedKey(QStringView word)
{
    quint64 h = 0xcbf29ce484222325ULL;
    for (QChar c : word) {
        char16_t u = c.unicode();
        if (u < 0x80)
            u = (u >= 'A' && u <= 'Z') ? char16_t(u + 32) : u;
        else
            u = c.toLower().unicode();
        h = (h ^ u) * 0x100000001b3ULL;
    }
    return h;
}

bool isRightToLeft(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= 0x0590 && u <= 0x08FF) || (u >= 0xFB1D && u <= 0xFDFF) || (u >= 0xFE70 && u <= 0xFEFC);
}

bool hasRightToLeft(const QString &s)
{
    return std::any_of(s.begin(), s.end(), isRightToLeft);
}

// Reverses characters keeping each base with the combining marks that follow it.
QString reversedClusters(const QString &s)
{
    std::vector<QString> clusters;
    for (QChar c : s) {
        const bool mark = c.category() == QChar::Mark_NonSpacing || c.category() == QChar::Mark_SpacingCombining;
        if (mark && !clusters.empty())
            clusters.back() += c;
        else
            clusters.emplace_back(c);
    }
    QString out;
    for (auto it = clusters.rbegin(); it != clusters.rend(); ++it)
        out += *it;
    return out;
}

// Poppler lists right-to-left lines in visual order (left to right, letters reversed). Arabic and Hebrew
// lines go back to logical order: words reversed, letters of RTL words reversed, and runs of left-to-right
// words (numbers, Latin names) kept in their own order. An approximation of the bidi algorithm that is
// right for lines of one script with embedded numbers and names.
bool isRightToLeftLine(const PdfLine &line)
{
    int rtl = 0, ltr = 0;
    for (const PdfWord &w : line.words)
        for (QChar c : w.text)
            if (c.isLetter())
                ++(isRightToLeft(c) ? rtl : ltr);
    return rtl > ltr;
}

PdfLine logicalOrder(const PdfLine &line)
{
    PdfLine out;
    std::vector<PdfWord> ltrRun;
    auto flushRun = [&] {
        for (PdfWord &w : ltrRun)
            out.words.push_back(std::move(w));
        ltrRun.clear();
    };
    for (auto it = line.words.rbegin(); it != line.words.rend(); ++it) {
        if (hasRightToLeft(it->text)) {
            flushRun();
            PdfWord w = *it;
            w.text = reversedClusters(w.text);
            w.spaceAfter = true;
            out.words.push_back(std::move(w));
        } else {
            ltrRun.insert(ltrRun.begin(), *it);
        }
    }
    flushRun();
    return out;
}

enum class LineJoin { Newline, Paragraph, DropHyphen, KeepHyphen };

// A line ending in "conse-" followed by one starting with "quence": one word, with or without its hyphen.
LineJoin hyphenJoin(const QString &last, const QString &first, const HyphenLexicon &lexicon)
{
    if (last.size() < 3 || !isHyphen(last.back()) || !last[last.size() - 2].isLetter() || first.isEmpty()
        || !first[0].isLower())
        return LineJoin::Newline;
    if (last.back() == QChar(0x00AD))
        return LineJoin::DropHyphen;
    const QString prefix = trailingLetters(last.chopped(1));
    const QString suffix = leadingLetters(first);
    if (prefix.isEmpty() || suffix.isEmpty())
        return LineJoin::Newline;
    return lexicon.keepsHyphen(prefix, suffix) ? LineJoin::KeepHyphen : LineJoin::DropHyphen;
}

LineJoin joinKind(const PdfLine &line, const PdfLine &next, const HyphenLexicon &lexicon)
{
    const QRectF a = line.words.back().box, b = next.words.front().box;
    const double height = std::max(a.height(), 1.0);
    const bool sameBlock = b.top() >= a.top() - 0.5 * height && b.top() <= a.bottom() + 1.0 * height;
    if (!sameBlock)
        return LineJoin::Paragraph;
    return hyphenJoin(line.words.back().text, next.words.front().text, lexicon);
}

store::WordBox appendWord(PdfPageText *out, const PdfWord &word, bool dropTrailingHyphen)
{
    QString text = word.text;
    if (dropTrailingHyphen)
        text.chop(1);
    text = normalizeExtractedText(text);
    const auto start = std::int32_t(out->text.size());
    out->text += text;
    return { start,
        std::int32_t(out->text.size()),
        float(word.box.left()),
        float(word.box.top()),
        float(word.box.right()),
        float(word.box.bottom()) };
}

// Page furniture between a page's body and the next one's: running heads ("18 FREE CULTURE"), page and
// margin numbers. Body lines have lower-case letters.
bool isFurniture(const PdfLine &line)
{
    if (line.words.size() > 6)
        return false;
    for (const PdfWord &w : line.words)
        if (std::any_of(w.text.begin(), w.text.end(), [](QChar c) { return c.isLower(); }))
            return false;
    return true;
}

} // namespace

void HyphenLexicon::add(const std::vector<PdfLine> &lines)
{
    for (const PdfLine &line : lines) {
        for (size_t i = 0; i < line.words.size(); ++i) {
            const QString &text = line.words[i].text;
            if (i + 1 == line.words.size() && !text.isEmpty() && isHyphen(text.back()))
                continue; // a line-end hyphen says nothing about the word
            const QStringView letters = lexiconLetters(text);
            if (letters.size() < 2)
                continue;
            (letters.contains(QLatin1Char('-')) ? m_hyphenated : m_plain).insert(foldedKey(letters));
        }
    }
}

bool HyphenLexicon::keepsHyphen(const QString &prefix, const QString &suffix) const
{
    const bool plain = m_plain.contains(foldedKey(QString(prefix + suffix)));
    if (plain)
        return false;
    if (m_hyphenated.contains(foldedKey(QString(prefix + QLatin1Char('-') + suffix))))
        return true;
    // Prefixes English keeps hyphenated even when the document never shows the word elsewhere.
    static const QSet<QString> prefixes = {
        "self", "non", "well", "ill", "half", "cross", "ex", "quasi", "pseudo", "all", "anti", "co", "post", "pre"
    };
    return prefixes.contains(prefix.toLower());
}

std::optional<PageJoin> findPageJoin(const std::vector<PdfLine> &page, const std::vector<PdfLine> &next)
{
    std::size_t last = page.size();
    while (last > 0 && (page[last - 1].words.empty() || isFurniture(page[last - 1])))
        --last;
    std::size_t first = 0;
    while (first < next.size() && (next[first].words.empty() || isFurniture(next[first])))
        ++first;
    if (last == 0 || first == next.size())
        return std::nullopt;
    // Any lexicon: only whether the two halves make a word matters here, not whether the hyphen stays.
    if (hyphenJoin(page[last - 1].words.back().text, next[first].words.front().text, HyphenLexicon())
        == LineJoin::Newline)
        return std::nullopt;
    return PageJoin { last - 1, first };
}

PdfPageText layoutPage(const std::vector<PdfLine> &lines,
    const HyphenLexicon &lexicon,
    const std::optional<PageContinuation> &continuation)
{
    PdfPageText out;
    for (size_t l = 0; l < lines.size(); ++l) {
        PdfLine reordered;
        if (isRightToLeftLine(lines[l]))
            reordered = logicalOrder(lines[l]);
        const PdfLine &line = reordered.words.empty() ? lines[l] : reordered;
        if (line.words.empty())
            continue;
        const bool continued = continuation && continuation->line == l;
        const bool hasNext = l + 1 < lines.size() && !lines[l + 1].words.empty();
        LineJoin join = hasNext ? joinKind(line, lines[l + 1], lexicon) : LineJoin::Newline;
        const LineJoin pageJoin
            = continued ? hyphenJoin(line.words.back().text, continuation->word.text, lexicon) : LineJoin::Newline;
        if (continued && (join == LineJoin::DropHyphen || join == LineJoin::KeepHyphen))
            join = LineJoin::Newline; // the line already continues on the next page
        for (size_t w = 0; w < line.words.size(); ++w) {
            const bool lastWord = w + 1 == line.words.size();
            const bool drop = lastWord && (join == LineJoin::DropHyphen || pageJoin == LineJoin::DropHyphen);
            const store::WordBox box = appendWord(&out, line.words[w], drop);
            if (box.end > box.start)
                out.words.push_back(box);
            if (!lastWord && line.words[w].spaceAfter)
                out.text += QLatin1Char(' ');
        }
        if (continued) {
            const store::WordBox box = appendWord(&out, continuation->word, false);
            if (box.end > box.start)
                out.nextPageWords.push_back(box);
        }
        if (!hasNext)
            out.text += QLatin1Char('\n');
        else if (join == LineJoin::Paragraph)
            out.text += QStringLiteral("\n\n");
        else if (join == LineJoin::Newline)
            out.text += QLatin1Char('\n');
    }
    while (!out.text.isEmpty() && out.text.back().isSpace())
        out.text.chop(1);
    return out;
}
} // namespace quire::ingest
