#include "legalfinder.h"

#include "analysis/aliasresolver.h"
#include "analysis/lexicon.h"

#include <QHash>
#include <QRegularExpression>

namespace quire::analysis
{

namespace
{

using Sentences = std::vector<store::SentenceRecord>;

struct Rule {
    QRegularExpression re;
    EntityType type;
};

const std::vector<Rule> &rules()
{
    static const std::vector<Rule> list = [] {
        const auto ci = QRegularExpression::CaseInsensitiveOption;
        std::vector<Rule> r;
        r.push_back(
            { QRegularExpression(QStringLiteral("(?:US\\$|[$€£¥])\\s?\\d[\\d,]*(?:\\.\\d+)?(?:\\s?(?:million|"
                                                "billion|thousand))?|\\b\\d[\\d,]*(?:\\.\\d+)?\\s?(?:dollars|"
                                                "euros|USD|EUR|GBP)\\b|\\b(?:USD|EUR|GBP)\\s?\\d[\\d,]*(?:\\.\\d+)?"),
                  ci),
                EntityType::Money });
        r.push_back({ QRegularExpression(QStringLiteral("\\b\\d[\\d,]*(?:\\.\\d+)?\\s?(?:%|percent\\b|per cent\\b|"
                                                        "shares\\b|miles\\b|feet\\b|inches\\b|yards\\b|tons\\b|"
                                                        "barrels\\b|gallons\\b|fathoms\\b|leagues\\b|kg\\b|km\\b|"
                                                        "lbs\\b|hours\\b|days\\b|weeks\\b|months\\b|years\\b)"),
                          ci),
            EntityType::Quantity });
        r.push_back(
            { QRegularExpression(QStringLiteral("\\b(?:Case|Civil Action|Docket|Criminal Case|Appeal)\\s+"
                                                "No\\.?\\s*[0-9][\\w:.\\-]*\\d|\\b\\d{1,2}:\\d{2}-[a-z]{2,3}-\\d{3,6}"
                                                "(?:-[A-Z]{1,4})*\\b")),
                EntityType::CaseNumber });
        r.push_back(
            { QRegularExpression(QStringLiteral("\\b\\d+\\s+U\\.\\s?S\\.\\s?C\\.(?:\\s?A\\.)?\\s*§*\\s*[\\w.\\-]+"
                                                "(?:\\([\\w]+\\))*|§§?\\s*\\d[\\w.\\-]*(?:\\([\\w]+\\))*|"
                                                "\\bRule\\s+\\d+[\\w.]*(?:\\([\\w]+\\))*(?:\\s+of\\s+Regulation"
                                                "\\s+[A-Z](?:-[A-Z])?)?|\\b(?:[A-Z][a-z]+\\.\\s){1,3}Code\\s§*\\s*"
                                                "\\d[\\w.\\-]*")),
                EntityType::Statute });
        return r;
    }();
    return list;
}

const QRegularExpression &organisationPattern()
{
    static const QRegularExpression re(QStringLiteral(
        "((?:[A-Z][\\w'’\\-]*|&|\\(Pty\\)|Co\\.)(?:\\s+(?:[A-Z][\\w'’\\-]*|&|\\(Pty\\)|Co\\.)){0,5}?),?\\s+(Inc\\.|"
        "Inc\\b|LLC\\b|L\\.L\\.C\\.|Ltd\\.|"
        "Ltd\\b|"
        "Limited\\b|Corp\\.|Corporation\\b|LLP\\b|L\\.P\\.|GmbH\\b|plc\\b|PLC\\b|S\\.A\\.|N\\.V\\.|AG\\b)"));
    return re;
}

// The defined term right after a party's name: ("Company"), (the "Company"), (hereinafter referred to as "CRO").
const QRegularExpression &definedTermPattern()
{
    static const QRegularExpression re(QStringLiteral(
        "^[^()]{0,200}?\\((?:hereinafter(?:\\s+referred\\s+to\\s+as)?\\s*)?(?:the\\s+)?[\"“]([^\"”]{1,40})[\"”]\\)"));
    return re;
}

QString cleanOrganisation(QString name)
{
    static const QStringList leading = { QStringLiteral("The "),
        QStringLiteral("This "),
        QStringLiteral("And "),
        QStringLiteral("By "),
        QStringLiteral("Between ") };
    name = name.simplified();
    for (bool again = true; again;) {
        again = false;
        for (const QString &l : leading) {
            if (name.startsWith(l)) {
                name = name.mid(l.size());
                again = true;
            }
        }
    }
    return name;
}

Mention makeMention(const store::SentenceRecord &s, int index, int from, int to, EntityType type)
{
    Mention m;
    m.sentenceId = s.id;
    m.sentenceIndex = index;
    m.start = s.start + from;
    m.end = s.start + to;
    m.surface = m.name = m.canonical = s.text.mid(from, to - from).simplified();
    m.type = type;
    m.typed = true;
    return m;
}

bool isPreamble(const QString &text)
{
    static const QRegularExpression cue(QStringLiteral("\\b(?:by and between|by and among|between|among|"
                                                       "entered into)\\b"),
        QRegularExpression::CaseInsensitiveOption);
    return cue.match(text).hasMatch();
}

void findOrganisations(const Sentences &sentences, std::vector<Mention> &out, QHash<QString, QString> &roles)
{
    QHash<QString, QString> parties; // folded name -> name
    int preambleFrom = -1;
    for (int index = 0; index < static_cast<int>(sentences.size()); ++index) {
        const store::SentenceRecord &s = sentences[index];
        if (preambleFrom < 0 && index < 12 && isPreamble(s.text))
            preambleFrom = index;
        // The parties' sentence may be cut at "Inc." by the segmenter: a few sentences after the cue count.
        const bool preamble = preambleFrom >= 0 && index < preambleFrom + 4;
        // The segmenter may cut "Farids & Co. LLC" after "Co.": read on into the next sentence.
        QString window = s.text;
        if (index + 1 < static_cast<int>(sentences.size()) && sentences[index + 1].start >= s.end)
            window += QString(sentences[index + 1].start - s.end, QLatin1Char(' ')) + sentences[index + 1].text;
        auto it = organisationPattern().globalMatch(window);
        while (it.hasNext()) {
            const auto m = it.next();
            const QString raw = m.captured();
            const QString name = cleanOrganisation(raw);
            if (name.size() < 4 || (name.count(QLatin1Char(' ')) == 0 && name.size() < 6))
                continue;
            const int from = int(m.capturedEnd() - name.size());
            if (from >= s.text.size())
                break; // the next sentence's own
            Mention mention = makeMention(s, index, from, int(m.capturedEnd()), EntityType::Organisation);
            mention.surface = mention.name = mention.canonical = name;
            const QString folded = foldKey(name);
            if (preamble) {
                parties.insert(folded, name);
                const auto term = definedTermPattern().match(QStringView(window).mid(m.capturedEnd()));
                if (term.hasMatch())
                    roles.insert(term.captured(1).trimmed(), name);
            }
            if (parties.contains(folded)) {
                mention.type = EntityType::Party;
                mention.canonical = parties.value(folded);
            }
            out.push_back(std::move(mention));
        }
    }
}

void findRoleMentions(const Sentences &sentences, const QHash<QString, QString> &roles, std::vector<Mention> &out)
{
    for (auto role = roles.constBegin(); role != roles.constEnd(); ++role) {
        if (role.key().compare(QLatin1String("Agreement"), Qt::CaseInsensitive) == 0)
            continue;
        const QRegularExpression re(
            QStringLiteral("\\b") + QRegularExpression::escape(role.key()) + QStringLiteral("\\b"));
        for (int index = 0; index < static_cast<int>(sentences.size()); ++index) {
            auto it = re.globalMatch(sentences[index].text);
            while (it.hasNext()) {
                const auto m = it.next();
                Mention mention = makeMention(
                    sentences[index], index, int(m.capturedStart()), int(m.capturedEnd()), EntityType::Party);
                mention.canonical = role.value();
                out.push_back(std::move(mention));
            }
        }
    }
}

} // namespace

std::vector<Mention> LegalFinder::find(const Sentences &sentences) const
{
    std::vector<Mention> out;
    for (int index = 0; index < static_cast<int>(sentences.size()); ++index) {
        const store::SentenceRecord &s = sentences[index];
        for (const Rule &rule : rules()) {
            auto it = rule.re.globalMatch(s.text);
            while (it.hasNext()) {
                const auto m = it.next();
                out.push_back(makeMention(s, index, int(m.capturedStart()), int(m.capturedEnd()), rule.type));
            }
        }
    }
    QHash<QString, QString> roles;
    findOrganisations(sentences, out, roles);
    findRoleMentions(sentences, roles, out);
    for (Mention &m : out) {
        if (m.type == EntityType::Money || m.type == EntityType::Quantity)
            m.normalized = QString(m.canonical).remove(QLatin1Char(','));
        m.key = AliasResolver::makeKey(m.type, m.canonical);
    }
    return out;
}

} // namespace quire::analysis
