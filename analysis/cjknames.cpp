#include "cjknames.h"

#include "analysis/aliasresolver.h"
#include "analysis/lexicon.h"
#include "util/textutil.h"

#include <QHash>
#include <QRegularExpression>
#include <algorithm>

namespace quire::analysis
{

namespace
{

using Sentences = std::vector<store::SentenceRecord>;

bool isHan(QChar c)
{
    return util::isCjk(c.unicode());
}

// Characters that never occur in a personal name here: particles, pronouns, verbs of speech.
bool isFunctionChar(QChar c)
{
    static const QString chars = QStringLiteral("之也不了而其此乃是有无在于以为与将皆又亦遂便却只曰道人众等我你他吾汝们"
                                                "这那何谁若被把说问答笑叹怒喜惊令请见闻知使听");
    return chars.contains(c);
}

// Words between a name and its cue ("孔明笑曰"): stripped from the end of the clause start.
const QStringList &cueModifiers()
{
    static const QStringList list = { QStringLiteral("大喜"),
        QStringLiteral("大怒"),
        QStringLiteral("大惊"),
        QStringLiteral("笑"),
        QStringLiteral("问"),
        QStringLiteral("答"),
        QStringLiteral("叹"),
        QStringLiteral("怒"),
        QStringLiteral("喜"),
        QStringLiteral("惊"),
        QStringLiteral("乃"),
        QStringLiteral("又"),
        QStringLiteral("亦"),
        QStringLiteral("遂"),
        QStringLiteral("便"),
        QStringLiteral("却"),
        QStringLiteral("谓"),
        QStringLiteral("对"),
        QStringLiteral("告"),
        QStringLiteral("急"),
        QStringLiteral("应"),
        QStringLiteral("复"),
        QStringLiteral("再"),
        QStringLiteral("因"),
        QStringLiteral("即"),
        QStringLiteral("低声"),
        QStringLiteral("大叫"),
        QStringLiteral("叫"),
        QStringLiteral("回"),
        QStringLiteral("骂") };
    return list;
}

bool plausibleName(const QString &name)
{
    if (name.size() < 2 || name.size() > 4 || Lexicon::instance().isCjkNonName(name))
        return false;
    for (QChar c : name) {
        if (!isHan(c) || isFunctionChar(c))
            return false;
    }
    return true;
}

class Finder
{
public:
    explicit Finder(const Sentences &sentences)
        : m_sentences(sentences)
    {
    }
    std::vector<Mention> run();

private:
    void discoverFromCues(const QString &text);
    void discoverIntroductions(const QString &text);
    void addAlias(const QString &alias, const QString &canonical);
    void collectNames();
    void addSurnameHonorifics(const QHash<QString, int> &counts);
    void scan(std::vector<Mention> &out) const;

    const Sentences &m_sentences;
    QHash<QString, int> m_cueCounts;
    QHash<QString, QString> m_aliasOf; // alias -> canonical
    QHash<QString, QString> m_nameOf; // every accepted form -> canonical
};

void Finder::discoverFromCues(const QString &text)
{
    static const QStringList cues = { QStringLiteral("曰"),
        QStringLiteral("道："),
        QStringLiteral("大喜"),
        QStringLiteral("大怒"),
        QStringLiteral("大惊") };
    for (const QString &cue : cues) {
        for (qsizetype at = text.indexOf(cue); at >= 0; at = text.indexOf(cue, at + 1)) {
            qsizetype from = at;
            while (from > 0 && at - from < 6 && isHan(text.at(from - 1)))
                --from;
            if (from > 0 && isHan(text.at(from - 1)))
                continue; // the clause is longer than a name and a cue
            QString run = text.mid(from, at - from);
            for (bool stripped = true; stripped;) {
                stripped = false;
                for (const QString &m : cueModifiers()) {
                    if (run.size() > m.size() + 1 && run.endsWith(m)) {
                        run.chop(m.size());
                        stripped = true;
                    }
                }
            }
            if (plausibleName(run) && run.size() <= 3)
                ++m_cueCounts[run];
        }
    }
}

void Finder::discoverIntroductions(const QString &text)
{
    static const QRegularExpression intro(QStringLiteral(
        "(?:复姓|姓)(\\p{Han}{1,2})[，,]?名(\\p{Han}{1,2})[，,]?字(\\p{Han}{2})(?:[，,]后改(\\p{Han}{2}))?"));
    auto it = intro.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        const QString surname = m.captured(1);
        const QString full = surname + m.captured(2);
        m_nameOf.insert(full, full);
        for (const QString &courtesy : { m.captured(3), m.captured(4) }) {
            if (courtesy.isEmpty())
                continue;
            addAlias(courtesy, full);
            addAlias(surname + courtesy, full);
        }
    }
}

void Finder::addAlias(const QString &alias, const QString &canonical)
{
    if (!m_aliasOf.contains(alias))
        m_aliasOf.insert(alias, canonical);
}

void Finder::collectNames()
{
    const Lexicon &lexicon = Lexicon::instance();
    for (auto it = m_cueCounts.constBegin(); it != m_cueCounts.constEnd(); ++it) {
        const QString &name = it.key();
        const bool surname = lexicon.isCjkSurname(QStringView(name).left(1))
            || (name.size() > 2 && lexicon.isCjkSurname(QStringView(name).left(2)));
        if (it.value() >= (surname ? 2 : 4))
            m_nameOf.insert(name, name);
    }
    for (auto it = m_aliasOf.constBegin(); it != m_aliasOf.constEnd(); ++it)
        m_nameOf.insert(it.key(), it.value());
    // "关云长": a surname in front of a known courtesy name is that person.
    for (auto it = m_cueCounts.constBegin(); it != m_cueCounts.constEnd(); ++it) {
        const QString &name = it.key();
        const QString rest = name.mid(1);
        if (name.size() == 3 && m_aliasOf.contains(rest) && m_aliasOf.value(rest).startsWith(name.at(0)))
            m_nameOf.insert(name, m_aliasOf.value(rest));
    }
}

// 关公, 曹公: the surname with an honorific, when one person of that surname dominates.
void Finder::addSurnameHonorifics(const QHash<QString, int> &counts)
{
    QHash<QString, std::vector<std::pair<int, QString>>> bySurname;
    for (auto it = counts.constBegin(); it != counts.constEnd(); ++it) {
        if (it.key().size() >= 2 && !it.key().endsWith(QStringLiteral("公"))
            && Lexicon::instance().isCjkSurname(QStringView(it.key()).left(1)))
            bySurname[it.key().left(1)].push_back({ it.value(), it.key() });
    }
    for (auto it = bySurname.begin(); it != bySurname.end(); ++it) {
        auto &list = it.value();
        std::sort(list.begin(), list.end(), std::greater<>());
        // Only where the form is used as a name (关公曰), not as a title of others (诸公, 魏公).
        const QString form = it.key() + QStringLiteral("公");
        if (m_cueCounts.value(form) >= 3 && (list.size() == 1 || list[0].first >= 3 * list[1].first))
            m_nameOf.insert(form, list[0].second);
    }
}

void Finder::scan(std::vector<Mention> &out) const
{
    QHash<QChar, std::vector<QString>> byFirst;
    for (auto it = m_nameOf.constBegin(); it != m_nameOf.constEnd(); ++it)
        byFirst[it.key().at(0)].push_back(it.key());
    for (auto &list : byFirst)
        std::sort(list.begin(), list.end(), [](const QString &a, const QString &b) { return a.size() > b.size(); });
    for (int index = 0; index < static_cast<int>(m_sentences.size()); ++index) {
        const store::SentenceRecord &s = m_sentences[index];
        for (qsizetype i = 0; i < s.text.size(); ++i) {
            auto found = byFirst.constFind(s.text.at(i));
            if (found == byFirst.constEnd())
                continue;
            for (const QString &name : *found) {
                if (QStringView(s.text).mid(i, name.size()) != name)
                    continue;
                Mention m;
                m.sentenceId = s.id;
                m.sentenceIndex = index;
                m.start = s.start + int(i);
                m.end = m.start + int(name.size());
                m.surface = m.name = name;
                m.type = EntityType::Person;
                m.typed = true;
                m.canonical = m_nameOf.value(name);
                m.key = AliasResolver::makeKey(EntityType::Person, m.canonical);
                out.push_back(std::move(m));
                i += name.size() - 1;
                break;
            }
        }
    }
}

std::vector<Mention> Finder::run()
{
    for (const store::SentenceRecord &s : m_sentences) {
        discoverFromCues(s.text);
        discoverIntroductions(s.text);
    }
    collectNames();
    std::vector<Mention> mentions;
    scan(mentions);
    QHash<QString, int> counts;
    for (const Mention &m : mentions)
        ++counts[m.canonical];
    addSurnameHonorifics(counts);
    mentions.clear();
    scan(mentions);
    return mentions;
}

} // namespace

std::vector<Mention> CjkNameFinder::find(const std::vector<store::SentenceRecord> &sentences)
{
    return Finder(sentences).run();
}

} // namespace quire::analysis
