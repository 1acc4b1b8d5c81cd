// Library: documents, their content and full-text search.
#include "database.h"
#include "library.h"
#include "rankedsearch.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QtEndian>

namespace quire::store
{

namespace
{

constexpr const char *DocumentColumns
    = "id, parent_id, path, content_hash, type, size, mtime, title, author, created, modified, language, status, "
      "error, page_count, duplicate_of, near_duplicate_group, thread_id, metadata, added_at, updated_at";

std::optional<std::int64_t> optionalInt(const Statement &st, int column)
{
    return st.isNull(column) ? std::nullopt : std::optional<std::int64_t>(st.int64(column));
}

DocumentRecord readDocument(const Statement &st)
{
    DocumentRecord d;
    d.id = st.int64(0);
    d.parentId = optionalInt(st, 1);
    d.path = st.text(2);
    d.contentHash = st.text(3);
    d.type = st.text(4);
    d.size = st.int64(5);
    d.mtime = st.int64(6);
    d.title = st.text(7);
    d.author = st.text(8);
    d.created = st.text(9);
    d.modified = st.text(10);
    d.language = st.text(11);
    d.status = statusFromName(st.text(12)).value_or(DocumentStatus::Error);
    d.error = st.text(13);
    d.pageCount = static_cast<int>(st.int64(14));
    d.duplicateOf = optionalInt(st, 15);
    d.nearDuplicateGroup = optionalInt(st, 16);
    d.threadId = st.text(17);
    d.metadata = QJsonDocument::fromJson(st.text(18).toUtf8()).object();
    d.addedAt = st.int64(19);
    d.updatedAt = st.int64(20);
    return d;
}

Expected<std::vector<DocumentRecord>> queryDocuments(
    Database &db, const QString &where, const std::optional<QString> &arg = {})
{
    const QString sql
        = QStringLiteral("SELECT ") + QLatin1String(DocumentColumns) + QStringLiteral(" FROM documents ") + where;
    auto st = db.prepare(sql.toUtf8().constData());
    if (!st)
        return std::unexpected(st.error());
    if (arg)
        st->bind(1, *arg);
    std::vector<DocumentRecord> list;
    if (auto ok = forEachRow(*st, [&](Statement &) { list.push_back(readDocument(*st)); }); !ok)
        return std::unexpected(ok.error());
    return list;
}

QByteArray packWords(const std::vector<WordBox> &words)
{
    QByteArray out(static_cast<qsizetype>(words.size() * 24), Qt::Uninitialized);
    char *p = out.data();
    for (const WordBox &w : words) {
        qToLittleEndian<qint32>(w.start, p);
        qToLittleEndian<qint32>(w.end, p + 4);
        qToLittleEndian<float>(w.x0, p + 8);
        qToLittleEndian<float>(w.y0, p + 12);
        qToLittleEndian<float>(w.x1, p + 16);
        qToLittleEndian<float>(w.y1, p + 20);
        p += 24;
    }
    return out;
}

std::vector<WordBox> unpackWords(const QByteArray &blob)
{
    std::vector<WordBox> words(static_cast<std::size_t>(blob.size() / 24));
    const char *p = blob.constData();
    for (WordBox &w : words) {
        w.start = qFromLittleEndian<qint32>(p);
        w.end = qFromLittleEndian<qint32>(p + 4);
        w.x0 = qFromLittleEndian<float>(p + 8);
        w.y0 = qFromLittleEndian<float>(p + 12);
        w.x1 = qFromLittleEndian<float>(p + 16);
        w.y1 = qFromLittleEndian<float>(p + 20);
        p += 24;
    }
    return words;
}

} // namespace

Expected<std::optional<DocumentRecord>> Library::document(std::int64_t id)
{
    auto list = queryDocuments(*m_db, QStringLiteral("WHERE id = ?1"), QString::number(id));
    if (!list)
        return std::unexpected(list.error());
    return list->empty() ? std::nullopt : std::optional(list->front());
}

Expected<std::optional<DocumentRecord>> Library::documentByPath(const QString &path)
{
    auto list = queryDocuments(*m_db, QStringLiteral("WHERE path = ?1"), path);
    if (!list)
        return std::unexpected(list.error());
    return list->empty() ? std::nullopt : std::optional(list->front());
}

Expected<std::vector<DocumentRecord>> Library::documents()
{
    return queryDocuments(*m_db, QStringLiteral("ORDER BY path"));
}

Expected<std::vector<DocumentRecord>> Library::documentsByHash(const QString &contentHash)
{
    return queryDocuments(*m_db, QStringLiteral("WHERE content_hash = ?1 ORDER BY id"), contentHash);
}

Expected<std::vector<DocumentRecord>> Library::children(std::int64_t parentId)
{
    return queryDocuments(*m_db, QStringLiteral("WHERE parent_id = ?1 ORDER BY id"), QString::number(parentId));
}

Expected<std::int64_t> Library::upsertDocument(const DocumentRecord &d)
{
    auto st = m_db->prepare(
        "INSERT INTO documents(parent_id, path, content_hash, type, size, mtime, title, author, created, modified, "
        "language, status, error, page_count, duplicate_of, near_duplicate_group, thread_id, metadata) "
        "VALUES (?1, ?2, ?3, coalesce(?4, ''), ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18) "
        "ON CONFLICT(path) DO UPDATE SET parent_id = excluded.parent_id, content_hash = excluded.content_hash, "
        "type = excluded.type, size = excluded.size, mtime = excluded.mtime, title = excluded.title, "
        "author = excluded.author, created = excluded.created, modified = excluded.modified, "
        "language = excluded.language, status = excluded.status, error = excluded.error, "
        "page_count = excluded.page_count, duplicate_of = excluded.duplicate_of, "
        "near_duplicate_group = excluded.near_duplicate_group, thread_id = excluded.thread_id, "
        "metadata = excluded.metadata, updated_at = unixepoch() "
        "RETURNING id");
    if (!st)
        return std::unexpected(st.error());
    st->bind(1, d.parentId).bind(2, d.path).bind(3, d.contentHash).bind(4, d.type).bind(5, d.size);
    st->bind(6, d.mtime).bind(7, d.title).bind(8, d.author).bind(9, d.created).bind(10, d.modified);
    st->bind(11, d.language).bind(12, statusName(d.status)).bind(13, d.error).bind(14, d.pageCount);
    st->bind(15, d.duplicateOf).bind(16, d.nearDuplicateGroup).bind(17, d.threadId);
    st->bind(18, QString::fromUtf8(QJsonDocument(d.metadata).toJson(QJsonDocument::Compact)));
    auto row = st->step();
    if (!row)
        return std::unexpected(row.error());
    return st->int64(0);
}

Expected<void> Library::setStatus(std::int64_t id, DocumentStatus status, const QString &error)
{
    auto st = m_db->prepare("UPDATE documents SET status = ?2, error = ?3, updated_at = unixepoch() WHERE id = ?1");
    if (!st)
        return std::unexpected(st.error());
    return st->bind(1, id).bind(2, statusName(status)).bind(3, error).run();
}

Expected<void> Library::storeContent(std::int64_t id, const DocumentContent &content)
{
    Database::Transaction tx(*m_db);
    if (!tx.isActive())
        return std::unexpected(tx.error());
    for (const char *sql : { "DELETE FROM sentences WHERE document_id = ?1",
             "DELETE FROM sections WHERE document_id = ?1",
             "DELETE FROM pages WHERE document_id = ?1",
             "DELETE FROM document_text WHERE document_id = ?1" }) {
        auto st = m_db->prepare(sql);
        if (!st)
            return std::unexpected(st.error());
        if (auto ok = st->bind(1, id).run(); !ok)
            return ok;
    }
    auto text = m_db->prepare("INSERT INTO document_text(document_id, text) VALUES (?1, coalesce(?2, ''))");
    auto page = m_db->prepare(
        "INSERT INTO pages(document_id, page, start, end, width, height, ocr, words) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)");
    auto section = m_db->prepare("INSERT INTO sections(document_id, level, title, start, end, page) VALUES (?1, ?2, "
                                 "coalesce(?3, ''), ?4, ?5, ?6)");
    auto sentence = m_db->prepare(
        "INSERT INTO sentences(document_id, page, start, end, text) VALUES (?1, ?2, ?3, ?4, coalesce(?5, ''))");
    auto index
        = m_db->prepare("INSERT INTO sentences_fts(rowid, text) SELECT id, text FROM sentences WHERE document_id = ?1");
    for (auto *st : { &text, &page, &section, &sentence, &index }) {
        if (!*st)
            return std::unexpected(st->error());
    }
    if (auto ok = text->bind(1, id).bind(2, content.text).run(); !ok)
        return ok;
    for (const PageRecord &p : content.pages) {
        page->bind(1, id).bind(2, p.page).bind(3, p.start).bind(4, p.end).bind(5, p.width).bind(6, p.height);
        page->bind(7, p.ocr ? 1 : 0);
        if (p.words.empty())
            page->bind(8, nullptr);
        else
            page->bind(8, packWords(p.words));
        if (auto ok = page->run(); !ok)
            return ok;
    }
    for (const SectionRecord &s : content.sections) {
        section->bind(1, id).bind(2, s.level).bind(3, s.title).bind(4, s.start).bind(5, s.end).bind(6, s.page);
        if (auto ok = section->run(); !ok)
            return ok;
    }
    for (const SentenceRecord &s : content.sentences) {
        sentence->bind(1, id).bind(2, s.page).bind(3, s.start).bind(4, s.end).bind(5, s.text);
        if (auto ok = sentence->run(); !ok)
            return ok;
    }
    // One statement indexes the whole document: a row-by-row insert into the index costs three times as
    // much (and a trigger doing it makes FTS5 flush its pending terms after every row).
    if (auto ok = index->bind(1, id).run(); !ok)
        return ok;
    return tx.commit();
}

Expected<std::int64_t> Library::saveDocument(const DocumentRecord &record, const DocumentContent &content)
{
    Database::Transaction tx(*m_db);
    if (!tx.isActive())
        return std::unexpected(tx.error());
    auto id = upsertDocument(record);
    if (!id)
        return id;
    if (auto ok = storeContent(*id, content); !ok)
        return std::unexpected(ok.error());
    if (auto ok = tx.commit(); !ok)
        return std::unexpected(ok.error());
    return id;
}

Expected<void> Library::removeDocument(std::int64_t id)
{
    auto st = m_db->prepare("DELETE FROM documents WHERE id = ?1");
    if (!st)
        return std::unexpected(st.error());
    return st->bind(1, id).run();
}

Expected<QString> Library::documentText(std::int64_t id)
{
    auto st = m_db->prepare("SELECT text FROM document_text WHERE document_id = ?1");
    if (!st)
        return std::unexpected(st.error());
    auto row = st->bind(1, id).step();
    if (!row)
        return std::unexpected(row.error());
    return *row ? st->text(0) : QString();
}

Expected<std::vector<PageRecord>> Library::pages(std::int64_t documentId, bool withWords)
{
    auto st = m_db->prepare(withWords
            ? "SELECT page, start, end, width, height, ocr, words FROM pages WHERE document_id = ?1 "
              "ORDER BY page"
            : "SELECT page, start, end, width, height, ocr FROM pages WHERE document_id = ?1 "
              "ORDER BY page");
    if (!st)
        return std::unexpected(st.error());
    st->bind(1, documentId);
    std::vector<PageRecord> list;
    if (auto ok = forEachRow(*st,
            [&](Statement &) {
                PageRecord p;
                p.page = static_cast<int>(st->int64(0));
                p.start = static_cast<int>(st->int64(1));
                p.end = static_cast<int>(st->int64(2));
                p.width = st->real(3);
                p.height = st->real(4);
                p.ocr = st->int64(5) != 0;
                if (withWords)
                    p.words = unpackWords(st->blob(6));
                list.push_back(std::move(p));
            });
        !ok)
        return std::unexpected(ok.error());
    return list;
}

Expected<std::vector<SectionRecord>> Library::sections(std::int64_t documentId)
{
    auto st = m_db->prepare(
        "SELECT id, level, title, start, end, page FROM sections WHERE document_id = ?1 ORDER BY start, id");
    if (!st)
        return std::unexpected(st.error());
    st->bind(1, documentId);
    std::vector<SectionRecord> list;
    if (auto ok = forEachRow(*st,
            [&](Statement &) {
                list.push_back({ st->int64(0),
                    static_cast<int>(st->int64(1)),
                    st->text(2),
                    static_cast<int>(st->int64(3)),
                    static_cast<int>(st->int64(4)),
                    static_cast<int>(st->int64(5)) });
            });
        !ok)
        return std::unexpected(ok.error());
    return list;
}

Expected<std::vector<SentenceRecord>> Library::sentences(std::int64_t documentId)
{
    auto st = m_db->prepare(
        "SELECT id, document_id, page, start, end, text FROM sentences WHERE document_id = ?1 ORDER BY start");
    if (!st)
        return std::unexpected(st.error());
    st->bind(1, documentId);
    std::vector<SentenceRecord> list;
    if (auto ok = forEachRow(*st,
            [&](Statement &) {
                list.push_back({ st->int64(0),
                    st->int64(1),
                    static_cast<int>(st->int64(2)),
                    static_cast<int>(st->int64(3)),
                    static_cast<int>(st->int64(4)),
                    st->text(5) });
            });
        !ok)
        return std::unexpected(ok.error());
    return list;
}

Expected<std::optional<SentenceRecord>> Library::sentence(std::int64_t id)
{
    auto st = m_db->prepare("SELECT id, document_id, page, start, end, text FROM sentences WHERE id = ?1");
    if (!st)
        return std::unexpected(st.error());
    auto row = st->bind(1, id).step();
    if (!row)
        return std::unexpected(row.error());
    if (!*row)
        return std::optional<SentenceRecord>();
    return std::optional<SentenceRecord>(SentenceRecord { st->int64(0),
        st->int64(1),
        static_cast<int>(st->int64(2)),
        static_cast<int>(st->int64(3)),
        static_cast<int>(st->int64(4)),
        st->text(5) });
}

// The same two-phase search as rankedSearch (bounded cost, snippets only for the hits returned), with
// duplicates included.
Expected<std::vector<SearchHit>> Library::search(const QString &query, const SearchOptions &options)
{
    RankedSearchOptions ranked;
    ranked.limit = options.limit;
    ranked.offset = options.offset;
    ranked.filter.documentId = options.documentId;
    ranked.filter.type = options.type;
    ranked.includeDuplicates = true;
    auto result = rankedSearch(*this, query, ranked);
    if (!result)
        return std::unexpected(result.error());
    return std::move(result->hits);
}

Expected<LibraryStats> Library::stats()
{
    LibraryStats s;
    s.schemaVersion = m_schemaVersion;
    auto byStatus = m_db->prepare("SELECT status, count(*), coalesce(sum(size), 0), coalesce(sum(page_count), 0) "
                                  "FROM documents GROUP BY status");
    if (!byStatus)
        return std::unexpected(byStatus.error());
    if (auto ok = forEachRow(*byStatus,
            [&](Statement &) {
                s.byStatus[byStatus->text(0)] = byStatus->int64(1);
                s.documents += byStatus->int64(1);
                s.bytes += byStatus->int64(2);
                s.pages += byStatus->int64(3);
            });
        !ok)
        return std::unexpected(ok.error());
    auto byType = m_db->prepare("SELECT type, count(*) FROM documents GROUP BY type");
    if (!byType)
        return std::unexpected(byType.error());
    if (auto ok = forEachRow(*byType, [&](Statement &) { s.byType[byType->text(0)] = byType->int64(1); }); !ok)
        return std::unexpected(ok.error());
    auto exact = m_db->prepare("SELECT count(*) FROM sentences");
    if (!exact)
        return std::unexpected(exact.error());
    if (auto row = exact->step(); !row)
        return std::unexpected(row.error());
    s.sentences = exact->int64(0);
    s.fileBytes = QFileInfo(path()).size();
    return s;
}

} // namespace quire::store
