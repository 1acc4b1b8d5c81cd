#include "analysis/questionquery.h"

#include "analysis/lexicon.h"
#include "analysis/wordbreaker.h"
#include "util/textutil.h"

#include <QRegularExpression>
#include <QSet>
#include <algorithm>

namespace quire::analysis
{

namespace
{

const QSet<QString> &questionWords()
{
    static const QSet<QString> words = [] {
        QSet<QString> set;
        static const QRegularExpression space(QStringLiteral("\\s+"));
        for (const QString &line : Lexicon::entries(QStringLiteral("stoplists/questions.txt"))) {
            for (const QString &word : line.split(space, Qt::SkipEmptyParts))
                set.insert(foldKey(word));
        }
        return set;
    }();
    return words;
}

bool allLetters(const QString &word)
{
    return std::all_of(word.cbegin(), word.cend(), [](QChar c) { return c.isLetter(); });
}

bool endsWithAny(const QString &word, std::initializer_list<const char *> endings)
{
    return std::any_of(endings.begin(), endings.end(), [&](const char *e) { return word.endsWith(QLatin1String(e)); });
}

// A light, language-blind stem: enough for plurals and verb forms to meet as a prefix ("whales",
// "whaling" → "whal"... but not shorter than four letters).
QueryTerm latinTerm(const QString &folded)
{
    QueryTerm term { folded, folded, {}, false, false };
    if (!allLetters(folded))
        return term;
    QString stem = folded;
    if (folded.size() >= 5) {
        if (folded.endsWith(QLatin1String("ies"))) {
            term.forms = { folded, folded.chopped(3) + QLatin1Char('y') };
            return term;
        }
        if (folded.size() >= 6 && folded.endsWith(QLatin1String("ing")))
            stem = folded.chopped(3);
        else if (folded.endsWith(QLatin1String("ed")))
            stem = folded.chopped(2);
        else if (folded.endsWith(QLatin1String("es")) && endsWithAny(folded.chopped(2), { "s", "x", "z", "ch", "sh" }))
            stem = folded.chopped(2);
        else if (folded.endsWith(QLatin1Char('s')) && !folded.endsWith(QLatin1String("ss")))
            stem = folded.chopped(1);
        else if (folded.endsWith(QLatin1String("ly")))
            stem = folded.chopped(2);
    }
    if (stem.size() >= 4) {
        term.stem = stem;
        term.prefix = true;
    }
    return term;
}

QString quoted(const QString &text)
{
    QString escaped = text;
    escaped.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + escaped + QLatin1Char('"');
}

} // namespace

QuestionQuery QuestionQuery::parse(const QString &question, WordBreaker &words)
{
    QuestionQuery q;
    const Lexicon &lexicon = Lexicon::instance();
    // The question's own language: "sea" is a Spanish function word but an English noun.
    const QString language = lexicon.detectLanguage(question);
    int previousEnd = -1;
    for (const WordToken &t : words.words(question)) {
        const QString folded = foldKey(QStringView(question).mid(t.start, t.length()));
        const bool cjk = util::isCjk(QStringView(question).mid(t.start).toUcs4().value(0));
        const bool neighbour = previousEnd >= 0 && question.mid(previousEnd, t.start - previousEnd).trimmed().isEmpty();
        previousEnd = -1;
        if (lexicon.isStopword(cjk ? QStringLiteral("zh") : language, folded) || questionWords().contains(folded))
            continue;
        if (!cjk && folded.size() < 2 && !folded.at(0).isDigit())
            continue;
        const bool seen = std::any_of(
            q.m_terms.cbegin(), q.m_terms.cend(), [&](const QueryTerm &other) { return other.word == folded; });
        if (seen)
            continue;
        QueryTerm term = cjk ? QueryTerm { folded, folded, {}, false, true } : latinTerm(folded);
        if (neighbour)
            q.m_pairs.push_back(q.m_terms.size() - 1);
        q.m_terms.push_back(std::move(term));
        previousEnd = t.end;
    }
    return q;
}

QStringList QuestionQuery::words() const
{
    QStringList out;
    for (const QueryTerm &t : m_terms)
        out << t.word;
    return out;
}

QString QuestionQuery::termQuery(const QueryTerm &term) const
{
    if (!term.forms.isEmpty()) {
        QStringList alternatives;
        for (const QString &form : term.forms)
            alternatives << quoted(form);
        return QLatin1Char('(') + alternatives.join(QStringLiteral(" OR ")) + QLatin1Char(')');
    }
    return term.prefix ? quoted(term.stem) + QLatin1Char('*') : quoted(term.stem);
}

// Neighbours in the question: CJK words as one phrase (adjacent characters in the index), other words
// within one token of each other.
QString QuestionQuery::pairQuery(std::size_t first) const
{
    const QueryTerm &a = m_terms[first];
    const QueryTerm &b = m_terms[first + 1];
    if (a.cjk && b.cjk)
        return quoted(a.word + b.word);
    auto near = [](const QueryTerm &t) { return t.prefix ? quoted(t.stem) + QLatin1Char('*') : quoted(t.word); };
    return QStringLiteral("NEAR(%1 %2, 1)").arg(near(a), near(b));
}

QString QuestionQuery::anyTermQuery() const
{
    QStringList parts;
    for (std::size_t i : m_pairs)
        parts << pairQuery(i);
    for (const QueryTerm &t : m_terms)
        parts << termQuery(t);
    return parts.join(QStringLiteral(" OR "));
}

QString QuestionQuery::allTermsQuery() const
{
    if (m_terms.size() < 2)
        return anyTermQuery();
    QStringList parts;
    for (std::size_t i : m_pairs)
        parts << pairQuery(i);
    QStringList all;
    for (const QueryTerm &t : m_terms)
        all << termQuery(t);
    parts << QLatin1Char('(') + all.join(QStringLiteral(" AND ")) + QLatin1Char(')');
    return parts.join(QStringLiteral(" OR "));
}

std::vector<std::pair<int, int>> QuestionQuery::matches(const QString &text, WordBreaker &words) const
{
    std::vector<std::pair<int, int>> out;
    const bool anyLatin = std::any_of(m_terms.cbegin(), m_terms.cend(), [](const QueryTerm &t) { return !t.cjk; });
    if (anyLatin) {
        for (const WordToken &w : words.words(text)) {
            const QString folded = foldKey(QStringView(text).mid(w.start, w.length()));
            const bool hit = std::any_of(m_terms.cbegin(), m_terms.cend(), [&](const QueryTerm &t) {
                return !t.cjk
                    && (t.forms.contains(folded) || (t.prefix ? folded.startsWith(t.stem) : folded == t.stem));
            });
            if (hit)
                out.emplace_back(w.start, w.length());
        }
    }
    for (const QueryTerm &t : m_terms) {
        if (!t.cjk)
            continue;
        for (qsizetype at = text.indexOf(t.word); at >= 0; at = text.indexOf(t.word, at + t.word.size()))
            out.emplace_back(int(at), int(t.word.size()));
    }
    std::sort(out.begin(), out.end());
    std::vector<std::pair<int, int>> merged;
    for (const auto &m : out) {
        if (merged.empty() || m.first >= merged.back().first + merged.back().second)
            merged.push_back(m);
    }
    return merged;
}

} // namespace quire::analysis
