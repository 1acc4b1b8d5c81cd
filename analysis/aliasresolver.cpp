#include "aliasresolver.h"

#include "analysis/lexicon.h"

#include <QHash>
#include <QStringList>

namespace quire::analysis
{

namespace
{

struct NameInfo {
    QStringList tokens; // folded
    QHash<QString, int> forms; // as written -> count
    QString target; // folded name of the cluster head it joins (itself when none)
};

QString bestForm(const QHash<QString, int> &forms)
{
    QString best;
    int count = -1;
    for (auto it = forms.constBegin(); it != forms.constEnd(); ++it) {
        if (it.value() > count || (it.value() == count && it.key() < best)) {
            best = it.key();
            count = it.value();
        }
    }
    return best;
}

int total(const NameInfo &info)
{
    int n = 0;
    for (int c : info.forms)
        n += c;
    return n;
}

// The single head among `heads` other than `self`, or an empty string when there is none or several.
// A head written once or twice does not absorb a name written hundreds of times ("Parsee Ahab", a
// chance capital after a line break): it must be used at least 3 times or 1/20th as often.
QString uniqueHead(const QStringList &heads, const QString &self, const QHash<QString, NameInfo> &names)
{
    QString found;
    const int selfCount = total(names.value(self));
    for (const QString &h : heads) {
        const int headCount = total(names.value(h));
        if (h == self || (headCount < 3 && headCount * 20 < selfCount))
            continue;
        if (!found.isEmpty())
            return {};
        found = h;
    }
    return found;
}

bool isFamilyHonorific(const QString &folded)
{
    return !folded.isEmpty() && Lexicon::instance().honorific(folded) == Lexicon::HonorificKind::Family;
}

} // namespace

QString AliasResolver::makeKey(EntityType type, const QString &canonical)
{
    return typeName(type) + QLatin1Char(':') + foldKey(canonical.simplified());
}

EntityType AliasResolver::typeFor(const TypeVotes &v)
{
    if (v.person >= 1 && v.person >= v.place && v.person >= v.organisation && v.person > v.other)
        return EntityType::Person;
    if (v.organisation >= 1 && v.organisation >= v.place)
        return EntityType::Organisation;
    if (v.place >= 1)
        return EntityType::Place;
    return EntityType::Other;
}

void AliasResolver::resolve(std::vector<Mention> &mentions)
{
    QHash<QString, NameInfo> names;
    QHash<QString, QStringList> byFirst, byLast;
    for (const Mention &m : mentions) {
        if (m.typed)
            continue;
        const QString folded = foldKey(m.name);
        NameInfo &info = names[folded];
        if (info.tokens.isEmpty()) {
            info.tokens = folded.split(QLatin1Char(' '), Qt::SkipEmptyParts);
            if (info.tokens.size() > 1) {
                byFirst[info.tokens.first()] << folded;
                byLast[info.tokens.last()] << folded;
            }
        }
        ++info.forms[m.name];
    }
    for (auto it = names.begin(); it != names.end(); ++it) {
        it->target = it.key();
        if (it->tokens.size() != 1)
            continue;
        QString head = uniqueHead(byFirst.value(it.key()), it.key(), names);
        if (head.isEmpty() && byFirst.value(it.key()).isEmpty())
            head = uniqueHead(byLast.value(it.key()), it.key(), names);
        if (!head.isEmpty())
            it->target = head;
    }
    // Clusters keyed by head (or by "honorific name" for family members kept apart).
    QHash<QString, TypeVotes> votes;
    QHash<QString, QHash<QString, int>> forms;
    std::vector<QString> clusterOf(mentions.size());
    for (std::size_t i = 0; i < mentions.size(); ++i) {
        const Mention &m = mentions[i];
        if (m.typed)
            continue;
        const QString folded = foldKey(m.name);
        const NameInfo &info = names[folded];
        QString cluster = info.target;
        if (info.tokens.size() == 1 && isFamilyHonorific(m.honorific) && byLast.contains(folded)
            && !byFirst.contains(folded))
            cluster = m.honorific + QLatin1Char(' ') + folded;
        clusterOf[i] = cluster;
        votes[cluster].add(m.votes);
        if (cluster == folded)
            forms[cluster][m.name] += 1;
        else if (cluster != info.target)
            forms[cluster][m.surface.simplified()] += 1;
    }
    for (auto it = names.constBegin(); it != names.constEnd(); ++it) {
        if (it->target == it.key())
            forms[it.key()].insert(it->forms);
    }
    QHash<QString, std::pair<QString, EntityType>> resolved;
    for (auto it = votes.constBegin(); it != votes.constEnd(); ++it) {
        QString canonical = bestForm(forms.value(it.key()));
        if (canonical.isEmpty())
            canonical = it.key();
        EntityType type = typeFor(it.value());
        if (canonical.contains(QLatin1String("Court")))
            type = EntityType::Court;
        resolved.insert(it.key(), { canonical, type });
    }
    for (std::size_t i = 0; i < mentions.size(); ++i) {
        Mention &m = mentions[i];
        if (m.typed)
            continue;
        const auto &r = resolved[clusterOf[i]];
        m.canonical = r.first;
        m.type = r.second;
        m.key = makeKey(m.type, m.canonical);
    }
}

} // namespace quire::analysis
