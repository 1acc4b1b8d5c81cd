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

// Strips punctuation around a word and folds case, keeping inner hyphens.
QString lexiconKey(const QString &word)
{
    qsizetype b = 0, e = word.size();
    while (b < e && !word[b].isLetter())
        ++b;
    while (e > b && !word[e - 1].isLetter())
        --e;
    return word.mid(b, e - b).toLower();
}

enum class LineJoin { Newline, Paragraph, DropHyphen, KeepHyphen };

LineJoin joinKind(const PdfLine &line, const PdfLine &next, const HyphenLexicon &lexicon)
{
    const QRectF a = line.words.back().box, b = next.words.front().box;
    const double height = std::max(a.height(), 1.0);
    const bool sameBlock = b.top() >= a.top() - 0.5 * height && b.top() <= a.bottom() + 1.0 * height;
    if (!sameBlock)
        return LineJoin::Paragraph;
    const QString &last = line.words.back().text;
    const QString &first = next.words.front().text;
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

void appendWord(PdfPageText *out, const PdfWord &word, bool dropTrailingHyphen)
{
    QString text = word.text;
    if (dropTrailingHyphen)
        text.chop(1);
    text = normalizeExtractedText(text);
    const auto start = std::int32_t(out->text.size());
    out->text += text;
    if (text.isEmpty())
        return;
    out->words.push_back({ start,
        std::int32_t(out->text.size()),
        float(word.box.left()),
        float(word.box.top()),
        float(word.box.right()),
        float(word.box.bottom()) });
}

} // namespace

void HyphenLexicon::add(const std::vector<PdfLine> &lines)
{
    for (const PdfLine &line : lines) {
        for (size_t i = 0; i < line.words.size(); ++i) {
            const QString &text = line.words[i].text;
            if (i + 1 == line.words.size() && !text.isEmpty() && isHyphen(text.back()))
                continue; // a line-end hyphen says nothing about the word
            const QString key = lexiconKey(text);
            if (key.size() < 2)
                continue;
            if (key.contains(QLatin1Char('-')))
                m_hyphenated.insert(key);
            else
                m_plain.insert(key);
        }
    }
}

bool HyphenLexicon::keepsHyphen(const QString &prefix, const QString &suffix) const
{
    const QString joined = (prefix + suffix).toLower();
    const QString hyphenated = prefix.toLower() + QLatin1Char('-') + suffix.toLower();
    if (m_plain.contains(joined))
        return false;
    if (m_hyphenated.contains(hyphenated))
        return true;
    // Prefixes English keeps hyphenated even when the document never shows the word elsewhere.
    static const QSet<QString> prefixes = {
        "self", "non", "well", "ill", "half", "cross", "ex", "quasi", "pseudo", "all", "anti", "co", "post", "pre"
    };
    return prefixes.contains(prefix.toLower()) && !m_plain.contains(joined);
}

PdfPageText layoutPage(const std::vector<PdfLine> &lines, const HyphenLexicon &lexicon)
{
    PdfPageText out;
    for (size_t l = 0; l < lines.size(); ++l) {
        const PdfLine &line = lines[l];
        if (line.words.empty())
            continue;
        const bool hasNext = l + 1 < lines.size() && !lines[l + 1].words.empty();
        const LineJoin join = hasNext ? joinKind(line, lines[l + 1], lexicon) : LineJoin::Newline;
        for (size_t w = 0; w < line.words.size(); ++w) {
            const bool lastWord = w + 1 == line.words.size();
            appendWord(&out, line.words[w], lastWord && join == LineJoin::DropHyphen);
            if (!lastWord && line.words[w].spaceAfter)
                out.text += QLatin1Char(' ');
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
