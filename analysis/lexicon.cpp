#include "lexicon.h"

#include "util/textutil.h"

#include <QRegularExpression>

namespace quire::analysis
{

namespace
{

struct LexiconFile {
    const char *path;
    const char *text;
};

const LexiconFile lexiconFiles[] = {
#include "lexicon.inc"
};

// Lines of the file; with `splitWords`, whitespace-separated words (stop lists are written that way).
QStringList readList(const QString &path, bool splitWords)
{
    for (const LexiconFile &file : lexiconFiles) {
        if (QLatin1String(file.path) != path)
            continue;
        QStringList out;
        const QStringList lines = QString::fromUtf8(file.text).split(QLatin1Char('\n'));
        for (const QString &raw : lines) {
            const QString line = raw.trimmed();
            if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
                continue;
            if (splitWords)
                out += line.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
            else
                out += line;
        }
        return out;
    }
    return {};
}

QSet<QString> foldedSet(const QString &path, bool splitWords = false)
{
    QSet<QString> set;
    for (const QString &entry : readList(path, splitWords))
        set.insert(foldKey(entry));
    return set;
}

} // namespace

QString foldKey(QStringView text)
{
    bool ascii = true;
    for (QChar c : text)
        ascii = ascii && c.unicode() < 0x80;
    if (ascii)
        return text.toString().toLower();
    QString decomposed = text.toString().normalized(QString::NormalizationForm_KD);
    QString out;
    out.reserve(decomposed.size());
    for (QChar c : decomposed) {
        if (c.category() == QChar::Mark_NonSpacing)
            continue;
        if (c == QChar(0x2019))
            c = QLatin1Char('\'');
        out.append(c);
    }
    return out.toCaseFolded();
}

QStringList Lexicon::entries(const QString &path)
{
    return readList(path, false);
}

const Lexicon &Lexicon::instance()
{
    static const Lexicon lexicon;
    return lexicon;
}

Lexicon::Lexicon()
{
    for (const char *language : { "en", "es", "fr", "de", "zh" }) {
        const QString code = QLatin1String(language);
        m_stopwords.insert(code, foldedSet(QStringLiteral("stoplists/") + code + QStringLiteral(".txt"), true));
        m_allStopwords.unite(m_stopwords.value(code));
    }
    m_givenNames = foldedSet(QStringLiteral("gazetteers/given_names.txt"));
    m_places = foldedSet(QStringLiteral("gazetteers/places.txt"));
    m_placeWords = foldedSet(QStringLiteral("gazetteers/place_words.txt"));
    m_orgSuffixes = foldedSet(QStringLiteral("gazetteers/org_suffixes.txt"));
    m_speechVerbs = foldedSet(QStringLiteral("gazetteers/speech_verbs.txt"));
    m_nonNames = foldedSet(QStringLiteral("gazetteers/non_names.txt"));
    for (const QString &line : readList(QStringLiteral("gazetteers/honorifics.txt"), false)) {
        const QStringList parts = line.split(QLatin1Char('\t'));
        if (parts.size() == 2)
            m_honorifics.insert(
                foldKey(parts[0]), parts[1] == QLatin1String("family") ? HonorificKind::Family : HonorificKind::Title);
    }
    for (const QString &s : readList(QStringLiteral("gazetteers/cjk_surnames.txt"), true))
        m_cjkSurnames.insert(s);
    for (const QString &s : readList(QStringLiteral("gazetteers/cjk_nonnames.txt"), true))
        m_cjkNonNames.insert(s);
}

bool Lexicon::isStopword(const QString &language, const QString &folded) const
{
    auto it = m_stopwords.constFind(language);
    if (it == m_stopwords.constEnd())
        it = m_stopwords.constFind(QStringLiteral("en"));
    return it->contains(folded);
}

QString Lexicon::detectLanguage(QStringView sample) const
{
    qsizetype cjk = 0, letters = 0;
    for (QChar c : sample) {
        if (c.isLetter())
            ++letters;
        if (util::isCjk(c.unicode()))
            ++cjk;
    }
    if (letters > 0 && cjk * 3 > letters)
        return QStringLiteral("zh");
    static const QRegularExpression word(QStringLiteral("\\w+"), QRegularExpression::UseUnicodePropertiesOption);
    QHash<QString, int> hits;
    auto it = word.globalMatch(sample);
    int seen = 0;
    while (it.hasNext() && seen < 5000) {
        const QString w = foldKey(it.next().capturedView());
        ++seen;
        for (const char *language : { "en", "es", "fr", "de" }) {
            if (m_stopwords.value(QLatin1String(language)).contains(w))
                ++hits[QLatin1String(language)];
        }
    }
    QString best = QStringLiteral("en");
    for (auto h = hits.constBegin(); h != hits.constEnd(); ++h) {
        if (h.value() > hits.value(best))
            best = h.key();
    }
    return best;
}

} // namespace quire::analysis
