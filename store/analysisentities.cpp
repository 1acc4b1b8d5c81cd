// AnalysisStore::rebuildEntities: entities from mentions, with the user's edit log re-applied.
#include "analysisstore.h"
#include "database.h"
#include "library.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

namespace quire::store
{

namespace
{

struct Group {
    QString name;
    QString type;
    std::vector<std::int64_t> mentions; // mention ids
    QHash<QString, int> forms;
    QSet<std::int64_t> documents;
    QSet<std::pair<std::int64_t, int>> sections;
};

struct Light {
    std::int64_t id;
    std::int64_t documentId;
    int section;
    QString surface;
    QString canonical;
    QString type;
    QString key;
};

QString mostFrequent(const QHash<QString, int> &forms)
{
    QString best;
    int n = -1;
    for (auto it = forms.constBegin(); it != forms.constEnd(); ++it) {
        if (it.value() > n || (it.value() == n && it.key().size() > best.size())) {
            best = it.key();
            n = it.value();
        }
    }
    return best;
}

void addTo(Group &g, const Light &m)
{
    g.mentions.push_back(m.id);
    ++g.forms[m.surface];
    g.documents.insert(m.documentId);
    g.sections.insert({ m.documentId, m.section });
}

void applySplit(QHash<QString, Group> &groups,
    const QString &key,
    const QStringList &forms,
    const QHash<std::int64_t, const Light *> &byId)
{
    auto it = groups.find(key);
    if (it == groups.end() || forms.isEmpty())
        return;
    const QString newKey = key + QStringLiteral("#") + forms.first().toCaseFolded();
    Group moved;
    moved.name = forms.first();
    moved.type = it->type;
    Group kept = *it;
    kept.mentions.clear();
    kept.forms.clear();
    kept.documents.clear();
    kept.sections.clear();
    for (std::int64_t id : it->mentions) {
        const Light *m = byId.value(id);
        const bool leaves = forms.contains(m->surface, Qt::CaseInsensitive);
        addTo(leaves ? moved : kept, *m);
    }
    *it = kept;
    if (!moved.mentions.empty())
        groups.insert(newKey, moved);
}

void applyEdit(QHash<QString, Group> &groups, const EntityEdit &e, const QHash<std::int64_t, const Light *> &byId)
{
    auto it = groups.find(e.key);
    if (e.op == QLatin1String("split")) {
        QStringList forms;
        for (const auto &v : QJsonDocument::fromJson(e.argument.toUtf8()).array())
            forms << v.toString();
        applySplit(groups, e.key, forms, byId);
        return;
    }
    if (it == groups.end())
        return;
    if (e.op == QLatin1String("rename"))
        it->name = e.argument;
    else if (e.op == QLatin1String("retype"))
        it->type = e.argument;
    else if (e.op == QLatin1String("delete"))
        groups.erase(it);
    else if (e.op == QLatin1String("merge") && groups.contains(e.argument) && e.argument != e.key) {
        Group absorbed = *it;
        groups.erase(it);
        Group &target = groups[e.argument];
        for (std::int64_t id : absorbed.mentions)
            addTo(target, *byId.value(id));
    }
}

// A name left untyped in one document ("other:ahab") joins the same name typed in another ("person:ahab").
void mergeUntyped(QHash<QString, Group> &groups, const QHash<std::int64_t, const Light *> &byId)
{
    static const QString other = QStringLiteral("other:");
    QHash<QString, QString> typed; // name part of the key -> the most mentioned typed key
    for (auto it = groups.constBegin(); it != groups.constEnd(); ++it) {
        if (it.key().startsWith(other))
            continue;
        const QString name = it.key().section(QLatin1Char(':'), 1);
        const QString current = typed.value(name);
        if (current.isEmpty() || groups.value(current).mentions.size() < it->mentions.size())
            typed.insert(name, it.key());
    }
    for (auto it = groups.begin(); it != groups.end();) {
        const QString target = it.key().startsWith(other) ? typed.value(it.key().mid(other.size())) : QString();
        if (target.isEmpty()) {
            ++it;
            continue;
        }
        const Group absorbed = *it;
        it = groups.erase(it);
        for (std::int64_t id : absorbed.mentions)
            addTo(groups[target], *byId.value(id));
    }
}

Expected<std::vector<Light>> loadMentions(Database &db)
{
    auto st = db.prepare("SELECT id, document_id, section, surface, canonical, type, key FROM mentions");
    if (!st)
        return std::unexpected(st.error());
    std::vector<Light> out;
    for (;;) {
        auto row = st->step();
        if (!row)
            return std::unexpected(row.error());
        if (!*row)
            break;
        out.push_back(
            { st->int64(0), st->int64(1), int(st->int64(2)), st->text(3), st->text(4), st->text(5), st->text(6) });
    }
    return out;
}

Expected<void> writeGroups(Database &db, const QHash<QString, Group> &groups)
{
    auto gen = db.prepare("SELECT COALESCE(MAX(generation), 0) + 1 FROM entities");
    if (!gen)
        return std::unexpected(gen.error());
    if (auto r = gen->step(); !r)
        return std::unexpected(r.error());
    const std::int64_t generation = gen->int64(0);
    auto upsert = db.prepare(
        "INSERT INTO entities(key, name, type, mentions, documents, spread, aliases, generation) VALUES (?1, ?2, ?3, "
        "?4, "
        "?5, ?6, ?7, ?8) ON CONFLICT(key) DO UPDATE SET name = excluded.name, type = excluded.type, mentions = "
        "excluded.mentions, documents = excluded.documents, spread = excluded.spread, aliases = excluded.aliases, "
        "generation = excluded.generation RETURNING id");
    auto link = db.prepare("UPDATE mentions SET entity_id = ?1 WHERE id = ?2");
    if (!upsert || !link)
        return std::unexpected(!upsert ? upsert.error() : link.error());
    if (auto ok = db.exec("UPDATE mentions SET entity_id = NULL"); !ok)
        return ok;
    for (auto it = groups.constBegin(); it != groups.constEnd(); ++it) {
        QJsonArray aliases;
        for (auto f = it->forms.constBegin(); f != it->forms.constEnd(); ++f)
            aliases.append(f.key());
        upsert->bind(1, it.key()).bind(2, it->name).bind(3, it->type).bind(4, std::int64_t(it->mentions.size()));
        upsert->bind(5, std::int64_t(it->documents.size())).bind(6, std::int64_t(it->sections.size()));
        upsert->bind(7, QString::fromUtf8(QJsonDocument(aliases).toJson(QJsonDocument::Compact))).bind(8, generation);
        auto row = upsert->step();
        if (!row)
            return std::unexpected(row.error());
        const std::int64_t id = upsert->int64(0);
        upsert->reset();
        for (std::int64_t mention : it->mentions) {
            if (auto ok = link->bind(1, id).bind(2, mention).run(); !ok)
                return ok;
        }
    }
    auto prune = db.prepare("DELETE FROM entities WHERE generation <> ?1");
    if (!prune)
        return std::unexpected(prune.error());
    return prune->bind(1, generation).run();
}

} // namespace

Expected<void> AnalysisStore::rebuildEntities()
{
    Database &db = m_library.database();
    Database::Transaction tx(db);
    if (!tx.isActive())
        return std::unexpected(tx.error());
    auto mentions = loadMentions(db);
    if (!mentions)
        return std::unexpected(mentions.error());
    auto log = edits();
    if (!log)
        return std::unexpected(log.error());
    QHash<QString, Group> groups;
    QHash<QString, QHash<QString, int>> canonicals;
    QHash<std::int64_t, const Light *> byId;
    for (const Light &m : *mentions) {
        byId.insert(m.id, &m);
        Group &g = groups[m.key];
        g.type = m.type;
        ++canonicals[m.key][m.canonical];
        addTo(g, m);
    }
    for (auto it = groups.begin(); it != groups.end(); ++it)
        it->name = mostFrequent(canonicals.value(it.key()));
    mergeUntyped(groups, byId);
    for (const EntityEdit &e : *log)
        applyEdit(groups, e, byId);
    if (auto ok = writeGroups(db, groups); !ok)
        return ok;
    return tx.commit();
}

} // namespace quire::store
