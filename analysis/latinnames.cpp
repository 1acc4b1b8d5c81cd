#include "latinnames.h"

#include "analysis/lexicon.h"
#include "analysis/wordbreaker.h"

#include <QHash>

namespace quire::analysis
{

namespace
{

struct Token {
    int start = 0; // in the sentence
    int end = 0; // possessive "'s" excluded
    QString folded;
    bool capital = false;
    bool initial = false; // first word of a sentence or clause: capitalisation says nothing there
};

struct WordStats {
    int midCapital = 0;
    int lower = 0;
    int initialCapital = 0;
};

using Sentences = std::vector<store::SentenceRecord>;

bool startsClause(QStringView gap)
{
    for (QChar c : gap) {
        if (QStringView(u".!?:;\"“”‘(—[").contains(c))
            return true;
    }
    return false;
}

std::vector<Token> tokenize(WordBreaker &breaker, const QString &text)
{
    std::vector<Token> tokens;
    int previousEnd = 0;
    for (const WordToken &w : breaker.words(text)) {
        Token t;
        t.start = w.start;
        t.end = w.end;
        QStringView view = QStringView(text).mid(w.start, w.end - w.start);
        if (view.size() > 2 && (view.endsWith(u"'s") || view.endsWith(u"’s") || view.endsWith(u"'S")))
            t.end -= 2;
        const QChar first = text.at(w.start);
        if (!first.isLetter())
            t.capital = false;
        else
            t.capital = first.isUpper() || first.isTitleCase();
        t.folded = foldKey(QStringView(text).mid(t.start, t.end - t.start));
        t.initial = tokens.empty() || startsClause(QStringView(text).mid(previousEnd, w.start - previousEnd));
        previousEnd = w.end;
        tokens.push_back(std::move(t));
    }
    return tokens;
}

class Finder
{
public:
    Finder(const QString &language, const Sentences &sentences)
        : m_language(language)
        , m_sentences(sentences)
        , m_lexicon(Lexicon::instance())
    {
    }

    std::vector<Mention> run();

private:
    void countStats();
    bool isNameWord(const Token &t) const;
    bool isMarkerWord(const Token &t) const;
    void scanSentence(int index);
    int spanEnd(const std::vector<Token> &tokens, const QString &text, int from) const;
    void addMention(int index, int honorific, int first, int last);
    TypeVotes contextVotes(const std::vector<Token> &tokens, int before, int after, int first, int last) const;

    const QString &m_language;
    const Sentences &m_sentences;
    const Lexicon &m_lexicon;
    std::vector<std::vector<Token>> m_tokens;
    QHash<QString, WordStats> m_stats;
    std::vector<Mention> m_mentions;
};

void Finder::countStats()
{
    WordBreaker breaker;
    m_tokens.reserve(m_sentences.size());
    for (const store::SentenceRecord &s : m_sentences) {
        m_tokens.push_back(tokenize(breaker, s.text));
        for (const Token &t : m_tokens.back()) {
            WordStats &st = m_stats[t.folded];
            if (!t.capital)
                ++st.lower;
            else if (t.initial)
                ++st.initialCapital;
            else
                ++st.midCapital;
        }
    }
}

bool Finder::isNameWord(const Token &t) const
{
    if (!t.capital || t.folded.size() < 2 || m_lexicon.isNonName(t.folded))
        return false;
    if (m_lexicon.isStopword(m_language, t.folded) || m_lexicon.isAnyStopword(t.folded))
        return false;
    if (m_lexicon.honorific(t.folded) != Lexicon::HonorificKind::None)
        return false;
    const qsizetype apostrophe = t.folded.indexOf(QLatin1Char('\''));
    if (apostrophe > 0 && m_lexicon.isAnyStopword(t.folded.left(apostrophe))) // I'll, I've
        return false;
    const WordStats st = m_stats.value(t.folded);
    if (st.midCapital == 0) // seen capitalised only where any word is: a name only if we know it
        return st.lower == 0 && (m_lexicon.isGivenName(t.folded) || m_lexicon.isPlace(t.folded));
    return st.midCapital >= 2 * st.lower;
}

// Words that may sit inside a name though they are common: "Cape", "River", "Inc".
bool Finder::isMarkerWord(const Token &t) const
{
    return t.capital && (m_lexicon.isPlaceWord(t.folded) || m_lexicon.isOrgSuffix(t.folded));
}

bool isConnector(const QString &folded)
{
    static const QStringList connectors = { QStringLiteral("of"),
        QStringLiteral("de"),
        QStringLiteral("del"),
        QStringLiteral("van"),
        QStringLiteral("von"),
        QStringLiteral("da"),
        QStringLiteral("la") };
    return connectors.contains(folded);
}

// Index one past the last token of the name starting at `from`.
int Finder::spanEnd(const std::vector<Token> &tokens, const QString &text, int from) const
{
    int end = from + 1;
    while (end < static_cast<int>(tokens.size())) {
        const Token &next = tokens[end];
        const QStringView gap = QStringView(text).mid(tokens[end - 1].end, next.start - tokens[end - 1].end);
        const QString g = gap.trimmed().toString();
        const bool plainGap = g.isEmpty() || g == QLatin1String("&") || g == QLatin1String(".");
        if (isNameWord(next) || isMarkerWord(next)) {
            if (!plainGap && !(g == QLatin1String(",") && m_lexicon.isOrgSuffix(next.folded)))
                break;
            ++end;
            continue;
        }
        if (g.isEmpty() && isConnector(next.folded) && !next.capital && end + 1 < static_cast<int>(tokens.size())
            && isNameWord(tokens[end + 1])) {
            end += 2;
            continue;
        }
        break;
    }
    return end;
}

void Finder::scanSentence(int index)
{
    const std::vector<Token> &tokens = m_tokens[index];
    const QString &text = m_sentences[index].text;
    int capitals = 0;
    for (const Token &t : tokens)
        capitals += t.capital ? 1 : 0;
    if (tokens.size() >= 4 && capitals * 10 >= int(tokens.size()) * 7)
        return; // a title-case heading or a table of contents: capitals say nothing about names there
    for (int i = 0; i < static_cast<int>(tokens.size()); ++i) {
        int honorific = -1;
        int first = i;
        const Lexicon::HonorificKind kind = m_lexicon.honorific(tokens[i].folded);
        if (tokens[i].capital && kind != Lexicon::HonorificKind::None && i + 1 < static_cast<int>(tokens.size())) {
            const QString gap = text.mid(tokens[i].end, tokens[i + 1].start - tokens[i].end).trimmed();
            if ((gap.isEmpty() || gap == QLatin1String(".")) && tokens[i + 1].capital
                && (isNameWord(tokens[i + 1]) || !tokens[i + 1].initial)) {
                honorific = i;
                first = i + 1;
            }
        }
        if (honorific < 0 && !isNameWord(tokens[i])
            && !(isMarkerWord(tokens[i]) && i + 1 < int(tokens.size()) && isNameWord(tokens[i + 1])
                && !tokens[i + 1].initial))
            continue;
        if (honorific < 0 && isMarkerWord(tokens[i]) && !isNameWord(tokens[i])
            && m_lexicon.isOrgSuffix(tokens[i].folded))
            continue;
        int last = spanEnd(tokens, text, first) - 1;
        // Trailing connectors never end a name.
        while (last > first && isConnector(tokens[last].folded))
            --last;
        addMention(index, honorific, first, last);
        i = last;
    }
}

TypeVotes Finder::contextVotes(const std::vector<Token> &tokens, int before, int after, int first, int last) const
{
    TypeVotes v;
    if (before >= 0) {
        const QString &p = tokens[before].folded;
        if (m_lexicon.isSpeechVerb(p))
            v.person += 1;
        else if (p == QLatin1String("the"))
            v.other += 0.7f;
        else if (p == QLatin1String("in") || p == QLatin1String("at") || p == QLatin1String("from")
            || p == QLatin1String("into") || p == QLatin1String("near") || p == QLatin1String("en"))
            v.place += 0.6f;
    }
    if (after < static_cast<int>(tokens.size()) && m_lexicon.isSpeechVerb(tokens[after].folded))
        v.person += 1;
    if (m_lexicon.isGivenName(tokens[first].folded))
        v.person += 1.5f;
    QString whole;
    for (int i = first; i <= last; ++i) {
        if (m_lexicon.isPlaceWord(tokens[i].folded))
            v.place += 2;
        whole += (i > first ? QStringLiteral(" ") : QString()) + tokens[i].folded;
    }
    if (m_lexicon.isOrgSuffix(tokens[last].folded))
        v.organisation += 3;
    if (m_lexicon.isPlace(whole))
        v.place += 3;
    return v;
}

void Finder::addMention(int index, int honorific, int first, int last)
{
    const std::vector<Token> &tokens = m_tokens[index];
    const store::SentenceRecord &s = m_sentences[index];
    Mention m;
    m.sentenceId = s.id;
    m.sentenceIndex = index;
    const int surfaceStart = tokens[honorific >= 0 ? honorific : first].start;
    m.start = s.start + surfaceStart;
    m.end = s.start + tokens[last].end;
    m.surface = s.text.mid(surfaceStart, tokens[last].end - surfaceStart).simplified();
    m.name = s.text.mid(tokens[first].start, tokens[last].end - tokens[first].start).simplified();
    m.votes = contextVotes(tokens, (honorific >= 0 ? honorific : first) - 1, last + 1, first, last);
    if (honorific >= 0) {
        m.honorific = tokens[honorific].folded;
        const bool family = m_lexicon.honorific(m.honorific) == Lexicon::HonorificKind::Family;
        m.votes.person += family ? 3 : 2;
    }
    m_mentions.push_back(std::move(m));
}

std::vector<Mention> Finder::run()
{
    countStats();
    for (int i = 0; i < static_cast<int>(m_sentences.size()); ++i)
        scanSentence(i);
    return std::move(m_mentions);
}

} // namespace

LatinNameFinder::LatinNameFinder(QString language)
    : m_language(std::move(language))
{
}

std::vector<Mention> LatinNameFinder::find(const std::vector<store::SentenceRecord> &sentences)
{
    return Finder(m_language, sentences).run();
}

} // namespace quire::analysis
