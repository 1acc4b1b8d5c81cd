#pragma once

#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>

namespace quire::analysis
{

// Accent- and case-insensitive form of a word or name: "Natásha" and "NATASHA" both give "natasha".
QString foldKey(QStringView text);

// The stop lists and gazetteers compiled into the library (resources/stoplists, resources/gazetteers).
// Immutable after construction; one shared instance is safe to use from any thread.
class Lexicon
{
public:
    static const Lexicon &instance();

    enum class HonorificKind { None, Family, Title };

    // `language` is an ISO 639-1 code; unknown languages fall back to English.
    bool isStopword(const QString &language, const QString &folded) const;
    // True when the word is a stop word in any language we have (for mixed or undetected text).
    bool isAnyStopword(const QString &folded) const { return m_allStopwords.contains(folded); }
    bool isGivenName(const QString &folded) const { return m_givenNames.contains(folded); }
    bool isPlace(const QString &folded) const { return m_places.contains(folded); }
    bool isPlaceWord(const QString &folded) const { return m_placeWords.contains(folded); }
    bool isOrgSuffix(const QString &folded) const { return m_orgSuffixes.contains(folded); }
    bool isSpeechVerb(const QString &folded) const { return m_speechVerbs.contains(folded); }
    bool isNonName(const QString &folded) const { return m_nonNames.contains(folded); }
    HonorificKind honorific(const QString &folded) const { return m_honorifics.value(folded, HonorificKind::None); }
    bool isCjkSurname(QStringView text) const { return m_cjkSurnames.contains(text.toString()); }
    bool isCjkNonName(const QString &text) const { return m_cjkNonNames.contains(text); }
    // Guesses the language of a sample by stop-word hits (en, es, fr, de) or CJK share (zh).
    QString detectLanguage(QStringView sample) const;

    // A list file by its path under resources/, e.g. "stoplists/en.txt": entries without comments.
    static QStringList entries(const QString &path);

private:
    Lexicon();
    QHash<QString, QSet<QString>> m_stopwords;
    QSet<QString> m_allStopwords;
    QSet<QString> m_givenNames, m_places, m_placeWords, m_orgSuffixes, m_speechVerbs, m_nonNames;
    QHash<QString, HonorificKind> m_honorifics;
    QSet<QString> m_cjkSurnames, m_cjkNonNames;
};

} // namespace quire::analysis
