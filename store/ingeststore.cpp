#include "ingeststore.h"

#include "database.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace quire::store
{

namespace
{

Expected<void> runWithId(Database &db, const char *sql, std::int64_t id)
{
    auto st = db.prepare(sql);
    if (!st)
        return std::unexpected(st.error());
    return st->bind(1, id).run();
}

// Escapes LIKE wildcards so that a path is matched literally (with ESCAPE '\').
QString likePrefix(const QString &path)
{
    QString escaped = path;
    escaped.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    escaped.replace(QLatin1Char('%'), QLatin1String("\\%"));
    escaped.replace(QLatin1Char('_'), QLatin1String("\\_"));
    return escaped + QLatin1String("!/%");
}

} // namespace

Expected<std::int64_t> saveIngested(Library &library,
    const DocumentRecord &record,
    const DocumentContent &content,
    const QByteArray &signature,
    bool removeChildren)
{
    Database &db = library.database();
    Database::Transaction tx(db);
    if (!tx.isActive())
        return std::unexpected(tx.error());
    auto id = library.saveDocument(record, content);
    if (!id)
        return id;
    if (signature.isEmpty()) {
        if (auto ok = runWithId(db, "DELETE FROM document_signatures WHERE document_id = ?1", *id); !ok)
            return std::unexpected(ok.error());
    } else {
        auto st = db.prepare("INSERT OR REPLACE INTO document_signatures(document_id, minhash) VALUES (?1, ?2)");
        if (!st)
            return std::unexpected(st.error());
        if (auto ok = st->bind(1, *id).bind(2, signature).run(); !ok)
            return std::unexpected(ok.error());
    }
    if (removeChildren) {
        if (auto ok = runWithId(db, "DELETE FROM documents WHERE parent_id = ?1", *id); !ok)
            return std::unexpected(ok.error());
    }
    if (auto ok = tx.commit(); !ok)
        return std::unexpected(ok.error());
    return id;
}

Expected<void> finishContainer(
    Library &library, std::int64_t id, const QSet<QString> &childPaths, DocumentStatus status, const QString &error)
{
    Database &db = library.database();
    Database::Transaction tx(db);
    if (!tx.isActive())
        return std::unexpected(tx.error());
    auto children = library.children(id);
    if (!children)
        return std::unexpected(children.error());
    for (const DocumentRecord &child : *children) {
        if (childPaths.contains(child.path))
            continue;
        if (auto ok = library.removeDocument(child.id); !ok)
            return ok;
    }
    if (auto ok = library.setStatus(id, status, error); !ok)
        return ok;
    return tx.commit();
}

Expected<bool> hasDescendantWithStatus(Library &library, const QString &path, DocumentStatus status)
{
    auto st = library.database().prepare(
        "SELECT EXISTS (SELECT 1 FROM documents WHERE path LIKE ?1 ESCAPE '\\' AND status = ?2)");
    if (!st)
        return std::unexpected(st.error());
    auto row = st->bind(1, likePrefix(path)).bind(2, statusName(status)).step();
    if (!row)
        return std::unexpected(row.error());
    return *row && st->int64(0) != 0;
}

Expected<std::int64_t> updateExactDuplicates(Library &library)
{
    Database &db = library.database();
    Database::Transaction tx(db);
    if (!tx.isActive())
        return std::unexpected(tx.error());
    const char *clearOthers = "UPDATE documents SET duplicate_of = NULL WHERE duplicate_of IS NOT NULL "
                              "AND status NOT IN ('ok', 'duplicate')";
    const char *mark
        = "WITH originals AS (SELECT d.id AS id, d.content_hash AS hash FROM documents d JOIN "
          "(SELECT content_hash AS hash, min(path) AS path FROM documents WHERE status IN ('ok', 'duplicate') "
          "AND coalesce(content_hash, '') <> '' GROUP BY content_hash) g ON d.path = g.path) "
          "UPDATE documents SET status = CASE WHEN documents.id = o.id THEN 'ok' ELSE 'duplicate' END, "
          "duplicate_of = CASE WHEN documents.id = o.id THEN NULL ELSE o.id END, updated_at = unixepoch() "
          "FROM originals o WHERE documents.content_hash = o.hash AND documents.status IN ('ok', 'duplicate') "
          "AND (documents.status IS NOT (CASE WHEN documents.id = o.id THEN 'ok' ELSE 'duplicate' END) "
          "OR documents.duplicate_of IS NOT (CASE WHEN documents.id = o.id THEN NULL ELSE o.id END))";
    if (auto ok = db.exec(clearOthers); !ok)
        return std::unexpected(ok.error());
    if (auto ok = db.exec(mark); !ok)
        return std::unexpected(ok.error());
    auto count = db.prepare("SELECT count(*) FROM documents WHERE status = 'duplicate'");
    if (!count)
        return std::unexpected(count.error());
    if (auto row = count->step(); !row)
        return std::unexpected(row.error());
    const std::int64_t duplicates = count->int64(0);
    if (auto ok = tx.commit(); !ok)
        return std::unexpected(ok.error());
    return duplicates;
}

Expected<std::vector<SignatureRow>> nearDuplicateSignatures(Library &library)
{
    auto st = library.database().prepare(
        "SELECT s.document_id, s.minhash, d.near_duplicate_group FROM document_signatures s "
        "JOIN documents d ON d.id = s.document_id WHERE d.status IN ('ok', 'duplicate') ORDER BY s.document_id");
    if (!st)
        return std::unexpected(st.error());
    std::vector<SignatureRow> rows;
    for (;;) {
        auto row = st->step();
        if (!row)
            return std::unexpected(row.error());
        if (!*row)
            break;
        SignatureRow r { st->int64(0), st->blob(1), std::nullopt };
        if (!st->isNull(2))
            r.group = st->int64(2);
        rows.push_back(std::move(r));
    }
    return rows;
}

Expected<void> setNearDuplicateGroups(
    Library &library, const std::vector<std::pair<std::int64_t, std::int64_t>> &groups)
{
    Database &db = library.database();
    Database::Transaction tx(db);
    if (!tx.isActive())
        return std::unexpected(tx.error());
    if (auto ok = db.exec("CREATE TEMP TABLE IF NOT EXISTS near_groups(id INTEGER PRIMARY KEY, grp INTEGER NOT NULL);"
                          "DELETE FROM near_groups");
        !ok)
        return ok;
    auto insert = db.prepare("INSERT INTO near_groups(id, grp) VALUES (?1, ?2)");
    if (!insert)
        return std::unexpected(insert.error());
    for (const auto &[id, group] : groups) {
        if (auto ok = insert->bind(1, id).bind(2, group).run(); !ok)
            return ok;
    }
    const char *apply = "UPDATE documents SET near_duplicate_group = (SELECT grp FROM near_groups g WHERE g.id = "
                        "documents.id) WHERE near_duplicate_group IS NOT (SELECT grp FROM near_groups g WHERE g.id = "
                        "documents.id)";
    if (auto ok = db.exec(apply); !ok)
        return ok;
    if (auto ok = db.exec("DELETE FROM near_groups"); !ok)
        return ok;
    return tx.commit();
}

Expected<std::vector<MailRow>> mailDocuments(Library &library)
{
    auto st = library.database().prepare("SELECT id, metadata, coalesce(thread_id, '') FROM documents "
                                         "WHERE json_extract(metadata, '$.messageId') <> '' ORDER BY id");
    if (!st)
        return std::unexpected(st.error());
    std::vector<MailRow> rows;
    for (;;) {
        auto row = st->step();
        if (!row)
            return std::unexpected(row.error());
        if (!*row)
            break;
        const QJsonObject m = QJsonDocument::fromJson(st->text(1).toUtf8()).object();
        MailRow r;
        r.documentId = st->int64(0);
        r.messageId = m.value(QLatin1String("messageId")).toString();
        r.inReplyTo = m.value(QLatin1String("inReplyTo")).toString();
        for (const QJsonValue &v : m.value(QLatin1String("references")).toArray())
            r.references << v.toString();
        r.subject = m.value(QLatin1String("subject")).toString();
        r.threadId = st->text(2);
        rows.push_back(std::move(r));
    }
    return rows;
}

Expected<void> setThreadIds(Library &library, const std::vector<std::pair<std::int64_t, QString>> &threads)
{
    Database &db = library.database();
    Database::Transaction tx(db);
    if (!tx.isActive())
        return std::unexpected(tx.error());
    auto st = db.prepare("UPDATE documents SET thread_id = nullif(?2, '') WHERE id = ?1");
    if (!st)
        return std::unexpected(st.error());
    for (const auto &[id, thread] : threads) {
        if (auto ok = st->bind(1, id).bind(2, thread).run(); !ok)
            return ok;
    }
    return tx.commit();
}

} // namespace quire::store
