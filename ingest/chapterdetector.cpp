#include "ingest/chapterdetector.h"

#include <QRegularExpression>
#include <QSet>

namespace quire::ingest
{

namespace
{

enum class Kind { None, Part, Chapter, Standalone, Numeral };

struct Candidate {
    Kind kind = Kind::None;
    qsizetype offset = 0;
    int line = 0; // index among non-blank lines, to find runs with nothing between them
    QString title;
};

constexpr qsizetype MaxHeadingLength = 90;
constexpr int MinTocRun = 3;

// What may follow "Chapter": a number, a roman numeral or a number written out ("primero", "the Last").
const QString &chapterNumber()
{
    static const QString number
        = QString::fromUtf8("([0-9]+|[IVXLCDM]+|(?i:(?:the\\s+)?(?:one|two|three|four|five|six|seven|eight|nine|ten|"
                            "eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|"
                            "forty|fifty|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|primero|"
                            "primera|segundo|segunda|tercero|tercera|cuarto|quinto|sexto|s[eé]ptimo|octavo|noveno|d[eé]"
                            "cimo|premier|premi[eè]re|deuxi[eè]me|troisi[eè]me|erstes|zweites|drittes)))");
    return number;
}

const QRegularExpression &partPattern()
{
    static const QRegularExpression re(QStringLiteral(
        "^(BOOK|Book|PART|Part|VOLUME|Volume|LIBRO|Libro|PARTE|Parte|LIVRE|Livre|TEIL|Teil|ЧАСТЬ|Часть|КНИГА|Книга)"
        "\\s+%1\\b[.:]?(\\s.*)?$")
                                           .arg(chapterNumber()));
    return re;
}

const QRegularExpression &chapterPattern()
{
    static const QRegularExpression re(
        QStringLiteral("^(CHAPTER|Chapter|CAP[IÍ]TULO|Cap[ií]tulo|CHAPITRE|Chapitre|KAPITEL|Kapitel|ГЛАВА|Глава)"
                       "\\s+%1\\b[.:]?(\\s.*)?$")
            .arg(chapterNumber()));
    return re;
}

const QRegularExpression &standalonePattern()
{
    static const QRegularExpression re(
        QStringLiteral("^(PROLOGUE|Prologue|EPILOGUE|Epilogue|ETYMOLOGY|Etymology|EXTRACTS|Extracts|PREFACE|Preface|"
                       "INTRODUCTION|Introduction|APPENDIX|Appendix|AFTERWORD|Afterword|FOREWORD|Foreword|"
                       "PR[OÓ]LOGO|Pr[oó]logo|EP[IÍ]LOGO|Ep[ií]logo)[.:]?(\\s*\\([^)]*\\)\\.?)?$"));
    return re;
}

const QRegularExpression &cjkPattern()
{
    static const QRegularExpression re(
        QStringLiteral("^第([0-9０-９一二三四五六七八九十百千零〇两]+)([回章卷节節部篇集話话])(\\s.*|　.*)?$"));
    return re;
}

const QRegularExpression &numeralPattern()
{
    static const QRegularExpression re(QStringLiteral("^([IVXLC]+|[0-9]{1,3})\\.?$"));
    return re;
}

Kind classify(const QString &line, bool isolated)
{
    if (line.size() > MaxHeadingLength)
        return Kind::None;
    if (const auto m = cjkPattern().match(line); m.hasMatch()) {
        const QString unit = m.captured(2);
        return (unit == QLatin1String("卷") || unit == QLatin1String("部") || unit == QLatin1String("篇")
                   || unit == QLatin1String("集"))
            ? Kind::Part
            : Kind::Chapter;
    }
    if (!isolated)
        return Kind::None;
    if (chapterPattern().match(line).hasMatch())
        return Kind::Chapter;
    if (partPattern().match(line).hasMatch())
        return Kind::Part;
    if (standalonePattern().match(line).hasMatch())
        return Kind::Standalone;
    if (const auto m = numeralPattern().match(line); m.hasMatch()) {
        const QString n = m.captured(1);
        if (n.front().isDigit() || romanToInt(n) > 0)
            return Kind::Numeral;
    }
    return Kind::None;
}

struct Line {
    qsizetype offset;
    QString text; // trimmed; empty for a blank line
};

std::vector<Line> splitLines(const QString &text, qsizetype begin, qsizetype end)
{
    std::vector<Line> lines;
    qsizetype pos = begin;
    while (pos < end) {
        qsizetype eol = text.indexOf(QLatin1Char('\n'), pos);
        if (eol < 0 || eol > end)
            eol = end;
        QString line = text.mid(pos, eol - pos).trimmed();
        while (line.startsWith(QChar(0x3000)) || line.endsWith(QChar(0x3000)))
            line = (line.startsWith(QChar(0x3000)) ? line.mid(1) : line.chopped(1)).trimmed();
        lines.push_back({ pos, std::move(line) });
        pos = eol + 1;
    }
    return lines;
}

// A heading stands alone: a few continuation lines at most (a wrapped title) before a blank line.
bool endsSoon(const std::vector<Line> &lines, size_t i, int maxContinuation)
{
    for (size_t k = i + 1; k <= i + size_t(maxContinuation) + 1; ++k)
        if (k >= lines.size() || lines[k].text.isEmpty())
            return true;
    return false;
}

std::vector<Candidate> collectCandidates(const QString &text, qsizetype begin, qsizetype end)
{
    const std::vector<Line> lines = splitLines(text, begin, end);
    std::vector<Candidate> out;
    int lineIndex = 0;
    for (size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].text.isEmpty())
            continue;
        const bool isolated = i == 0 || lines[i - 1].text.isEmpty();
        Kind k = classify(lines[i].text, isolated);
        // CJK novels put no blank line after a heading; Latin ones do, except after a paragraph that merely
        // starts like a heading ("BOOK I. (Folio), CHAPTER I. (Sperm Whale).—This whale ...").
        const bool cjk = lines[i].text.startsWith(QChar(0x7B2C));
        if (k != Kind::None && !cjk && !endsSoon(lines, i, k == Kind::Chapter ? 3 : 1))
            k = Kind::None;
        if (k != Kind::None)
            out.push_back({ k, lines[i].offset, lineIndex, lines[i].text.simplified() });
        ++lineIndex;
    }
    return out;
}

// A table of contents is a run of headings with at most one other line (a wrapped title) between them.
// The last heading of a run opens the body when text follows it and no later heading repeats its title.
bool startsBody(const std::vector<Candidate> &cands, size_t k)
{
    constexpr int MinBodyLines = 3;
    if (k + 1 < cands.size() && cands[k + 1].line - cands[k].line < MinBodyLines)
        return false;
    const QString key = cands[k].title.toUpper();
    return std::none_of(
        cands.begin() + qsizetype(k) + 1, cands.end(), [&key](const Candidate &c) { return c.title.toUpper() == key; });
}

void dropTocRuns(std::vector<Candidate> &cands)
{
    std::vector<bool> drop(cands.size(), false);
    size_t i = 0;
    while (i < cands.size()) {
        size_t j = i;
        // Latin titles wrap onto a second line in tables of contents; CJK ones do not, and there a line
        // between two headings is a running header before the first chapter ("吴承恩--西游记--第一回").
        auto gap = [&](size_t k) { return cands[k].title.startsWith(QChar(0x7B2C)) ? 1 : 2; };
        while (j + 1 < cands.size() && cands[j + 1].line <= cands[j].line + gap(j))
            ++j;
        if (j - i + 1 >= size_t(MinTocRun)) {
            std::fill(drop.begin() + i, drop.begin() + j + 1, true);
            drop[j] = !startsBody(cands, j); // a contents page may run straight into chapter one
        }
        i = j + 1;
    }
    std::vector<Candidate> kept;
    for (size_t k = 0; k < cands.size(); ++k)
        if (!drop[k])
            kept.push_back(std::move(cands[k]));
    cands = std::move(kept);
}

} // namespace

int romanToInt(QStringView roman)
{
    static const QRegularExpression valid(QStringLiteral("^M{0,4}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$"),
        QRegularExpression::CaseInsensitiveOption);
    if (roman.isEmpty() || !valid.match(roman.toString()).hasMatch())
        return 0;
    auto value = [](QChar c) {
        switch (c.toUpper().unicode()) {
        case 'I':
            return 1;
        case 'V':
            return 5;
        case 'X':
            return 10;
        case 'L':
            return 50;
        case 'C':
            return 100;
        case 'D':
            return 500;
        case 'M':
            return 1000;
        default:
            return 0;
        }
    };
    int total = 0;
    for (qsizetype i = 0; i < roman.size(); ++i) {
        const int v = value(roman[i]);
        total += (i + 1 < roman.size() && value(roman[i + 1]) > v) ? -v : v;
    }
    return total;
}

std::vector<ParsedSection> detectChapters(const QString &text, qsizetype begin, qsizetype end)
{
    if (end < 0 || end > text.size())
        end = text.size();
    std::vector<Candidate> cands = collectCandidates(text, begin, end);
    dropTocRuns(cands);
    const bool hasKeywordChapters
        = std::any_of(cands.begin(), cands.end(), [](const Candidate &c) { return c.kind == Kind::Chapter; });
    const bool hasParts
        = std::any_of(cands.begin(), cands.end(), [](const Candidate &c) { return c.kind == Kind::Part; });
    std::vector<ParsedSection> sections;
    QSet<QString> standaloneSeen;
    for (const Candidate &c : cands) {
        if (c.kind == Kind::Numeral && hasKeywordChapters)
            continue; // bare numbers are only trusted when a book has no other headings
        if (c.kind == Kind::Standalone) {
            // "EXTRACTS (Supplied by ...)" then "EXTRACTS.": one section per keyword.
            QString key = c.title.section(QLatin1Char(' '), 0, 0).toUpper();
            key.remove(QLatin1Char('.'));
            if (standaloneSeen.contains(key))
                continue;
            standaloneSeen.insert(key);
        }
        ParsedSection s;
        s.level = (c.kind == Kind::Part || !hasParts) ? 1 : 2;
        s.title = c.title;
        s.page = 1;
        s.offset = int(c.offset);
        sections.push_back(std::move(s));
    }
    return sections;
}

} // namespace quire::ingest
