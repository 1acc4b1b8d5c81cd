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

// Light, language-blind inflections: enough for plurals and verb forms to meet ("whales" → whale, whales,
// whaled, whaling …). Forms that no text has cost nothing in the index.
QueryTerm latinTerm(const QString &folded)
{
    QueryTerm term { folded, { folded }, false };
    if (!allLetters(folded) || folded.size() < 3)
        return term;
    if (folded.size() < 5) {
        const bool plural = folded.endsWith(QLatin1Char('s')) && !folded.endsWith(QLatin1String("ss"));
        term.forms << (plural ? folded.chopped(1) : folded + QLatin1Char('s'));
        return term;
    }
    QString stem = folded;
    {
        if (folded.endsWith(QLatin1String("ies"))) {
            term.forms << folded.chopped(3) + QLatin1Char('y');
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
    }
    const bool silentE = stem.endsWith(QLatin1Char('e'));
    const QString base = silentE ? stem.chopped(1) : stem;
    QStringList forms { stem, stem + QLatin1Char('s'), base + QLatin1String("ed"), base + QLatin1String("ing") };
    if (!silentE && stem != folded)
        forms << stem + QLatin1Char('e') << stem + QLatin1String("es");
    for (const QString &form : forms) {
        if (!term.forms.contains(form))
            term.forms << form;
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
        QueryTerm term = cjk ? QueryTerm { folded, { folded }, true } : latinTerm(folded);
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
    if (term.forms.size() == 1)
        return quoted(term.forms.front());
    QStringList alternatives;
    for (const QString &form : term.forms)
        alternatives << quoted(form);
    return QLatin1Char('(') + alternatives.join(QStringLiteral(" OR ")) + QLatin1Char(')');
}

// Neighbours in the question, as typed: one phrase (for CJK words, adjacent characters in the index).
QString QuestionQuery::pairQuery(std::size_t first) const
{
    const QueryTerm &a = m_terms[first];
    const QueryTerm &b = m_terms[first + 1];
    return quoted(a.word + (a.cjk && b.cjk ? QString() : QStringLiteral(" ")) + b.word);
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
            QString folded = foldKey(QStringView(text).mid(w.start, w.length()));
            if (folded.endsWith(QLatin1String("'s")))
                folded.chop(2);
            const bool hit = std::any_of(m_terms.cbegin(), m_terms.cend(), [&](const QueryTerm &t) {
                return !t.cjk && t.forms.contains(folded);
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
