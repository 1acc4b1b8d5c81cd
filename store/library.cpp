#include "library.h"

#include "database.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <algorithm>

namespace quire::store
{

namespace
{

// 'QUIR': marks SQLite files written by Quire, so that another application's database is refused.
constexpr std::int64_t ApplicationId = 0x51554952;

struct Migration {
    int version;
    QString name;
    QString sql;
};

std::vector<Migration> loadMigrations()
{
    struct Raw {
        int version;
        const char *name;
        const char *sql;
    };
    static const Raw raw[] = {
#include "migrations.inc"
    };
    std::vector<Migration> list;
    for (const Raw &r : raw)
        list.push_back({ r.version, QString::fromLatin1(r.name), QString::fromUtf8(r.sql) });
    std::sort(list.begin(), list.end(), [](const Migration &a, const Migration &b) { return a.version < b.version; });
    return list;
}

const std::vector<Migration> &migrations()
{
    static const std::vector<Migration> list = loadMigrations();
    return list;
}

Expected<std::int64_t> pragmaValue(Database &db, const char *sql)
{
    auto st = db.prepare(sql);
    if (!st)
        return std::unexpected(st.error());
    auto row = st->step();
    if (!row)
        return std::unexpected(row.error());
    return *row ? st->int64(0) : 0;
}

} // namespace

QString statusName(DocumentStatus status)
{
    switch (status) {
    case DocumentStatus::Pending:
        return QStringLiteral("pending");
    case DocumentStatus::Ok:
        return QStringLiteral("ok");
    case DocumentStatus::Error:
        return QStringLiteral("error");
    case DocumentStatus::PasswordRequired:
        return QStringLiteral("password_required");
    case DocumentStatus::Unsupported:
        return QStringLiteral("unsupported");
    case DocumentStatus::Empty:
        return QStringLiteral("empty");
    case DocumentStatus::TooLarge:
        return QStringLiteral("too_large");
    case DocumentStatus::Timeout:
        return QStringLiteral("timeout");
    case DocumentStatus::Duplicate:
        return QStringLiteral("duplicate");
    }
    return QStringLiteral("error");
}

std::optional<DocumentStatus> statusFromName(const QString &name)
{
    for (int i = 0; i <= static_cast<int>(DocumentStatus::Duplicate); ++i) {
        const auto status = static_cast<DocumentStatus>(i);
        if (statusName(status) == name)
            return status;
    }
    return std::nullopt;
}

Library::Library(std::unique_ptr<Database> db)
    : m_db(std::move(db))
{
}

Library::~Library() = default;

int Library::latestSchemaVersion()
{
    return migrations().empty() ? 0 : migrations().back().version;
}

Expected<std::unique_ptr<Library>> Library::open(const QString &path, OpenMode mode)
{
    const QFileInfo info(path);
    if (mode == OpenMode::OpenExisting && !info.exists())
        return fail(Error::Code::NotFound, "no library at " + path.toStdString() + " (create one with 'quire init')");
    if (info.exists() && info.isDir())
        return fail(Error::Code::InvalidArgument, path.toStdString() + " is a folder, not a library file");
    auto db = Database::open(path, mode == OpenMode::CreateIfMissing);
    if (!db)
        return std::unexpected(db.error());
    std::unique_ptr<Library> library(new Library(std::move(*db)));
    if (auto ok = library->initialise(); !ok)
        return std::unexpected(ok.error());
    return library;
}

Expected<std::unique_ptr<Library>> Library::openInMemory()
{
    auto db = Database::open(QStringLiteral(":memory:"), true);
    if (!db)
        return std::unexpected(db.error());
    std::unique_ptr<Library> library(new Library(std::move(*db)));
    if (auto ok = library->initialise(); !ok)
        return std::unexpected(ok.error());
    return library;
}

Expected<void> Library::initialise()
{
    Database &db = *m_db;
    const std::string name = QFileInfo(db.path()).fileName().toStdString();
    auto appId = pragmaValue(db, "PRAGMA application_id");
    if (!appId) {
        if (appId.error().code == Error::Code::Corrupt)
            return fail(Error::Code::Corrupt, name + " is not a Quire library (or it is damaged)");
        return std::unexpected(appId.error());
    }
    auto tables = pragmaValue(db, "SELECT count(*) FROM sqlite_master");
    if (!tables)
        return std::unexpected(tables.error());
    if (*appId != ApplicationId && *tables > 0)
        return fail(Error::Code::Corrupt, name + " is an SQLite database of another application, not a Quire library");
    for (const char *pragma : { "PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON", "PRAGMA synchronous=NORMAL" }) {
        auto st = db.prepare(pragma);
        if (!st)
            return std::unexpected(st.error());
        if (auto r = st->step(); !r)
            return std::unexpected(r.error());
    }
    if (*appId != ApplicationId) {
        if (auto ok = db.exec("PRAGMA application_id = 1364543826"); !ok)
            return ok;
    }
    if (auto ok = db.exec("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"); !ok)
        return ok;
    auto version = pragmaValue(db, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'schema_version'");
    if (!version)
        return std::unexpected(version.error());
    if (*version > latestSchemaVersion())
        return fail(Error::Code::TooNew,
            name + " was written by a newer version of Quire (library schema " + std::to_string(*version)
                + ", this version knows up to " + std::to_string(latestSchemaVersion()) + "): update Quire to open it");
    if (auto ok = migrate(db, latestSchemaVersion()); !ok)
        return ok;
    m_schemaVersion = latestSchemaVersion();
    return {};
}

Expected<void> Library::migrate(Database &db, int target)
{
    if (auto ok = db.exec("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"); !ok)
        return ok;
    auto current = pragmaValue(db, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'schema_version'");
    if (!current)
        return std::unexpected(current.error());
    for (const Migration &m : migrations()) {
        if (m.version <= *current || m.version > target)
            continue;
        Database::Transaction tx(db);
        if (!tx.isActive())
            return std::unexpected(tx.error());
        if (auto ok = db.exec(m.sql); !ok)
            return fail(ok.error().code, "migration " + m.name.toStdString() + " failed: " + ok.error().message);
        auto st = db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?1)");
        if (!st)
            return std::unexpected(st.error());
        if (auto ok = st->bind(1, QString::number(m.version)).run(); !ok)
            return ok;
        if (auto ok = tx.commit(); !ok)
            return ok;
    }
    return {};
}

int Library::schemaVersion() const
{
    return m_schemaVersion;
}

QString Library::path() const
{
    return m_db->path();
}

Database &Library::database()
{
    return *m_db;
}

Expected<std::optional<QString>> Library::setting(const QString &key)
{
    auto st = m_db->prepare("SELECT value FROM settings WHERE key = ?1");
    if (!st)
        return std::unexpected(st.error());
    st->bind(1, key);
    auto row = st->step();
    if (!row)
        return std::unexpected(row.error());
    if (!*row)
        return std::optional<QString>();
    return std::optional<QString>(st->text(0));
}

Expected<void> Library::setSetting(const QString &key, const QString &value)
{
    auto st = m_db->prepare("INSERT OR REPLACE INTO settings(key, value) VALUES (?1, ?2)");
    if (!st)
        return std::unexpected(st.error());
    return st->bind(1, key).bind(2, value).run();
}

Expected<std::int64_t> Library::startJob(const QString &kind, const QJsonObject &arguments)
{
    auto st = m_db->prepare("INSERT INTO jobs(kind, arguments) VALUES (?1, ?2)");
    if (!st)
        return std::unexpected(st.error());
    const QString args = QString::fromUtf8(QJsonDocument(arguments).toJson(QJsonDocument::Compact));
    if (auto ok = st->bind(1, kind).bind(2, args).run(); !ok)
        return std::unexpected(ok.error());
    return m_db->lastInsertRowId();
}

Expected<void> Library::updateJob(std::int64_t id, std::int64_t done, std::int64_t total, const QString &message)
{
    auto st = m_db->prepare(
        "UPDATE jobs SET done = ?2, total = ?3, message = coalesce(?4, message), updated_at = unixepoch() "
        "WHERE id = ?1");
    if (!st)
        return std::unexpected(st.error());
    return st->bind(1, id).bind(2, done).bind(3, total).bind(4, message).run();
}

Expected<void> Library::finishJob(std::int64_t id, const QString &state, const QString &message)
{
    auto st = m_db->prepare(
        "UPDATE jobs SET state = ?2, message = coalesce(?3, message), updated_at = unixepoch() WHERE id = ?1");
    if (!st)
        return std::unexpected(st.error());
    return st->bind(1, id).bind(2, state).bind(3, message).run();
}

Expected<std::vector<JobRecord>> Library::jobs(int limit)
{
    auto st = m_db->prepare("SELECT id, kind, arguments, state, done, total, message, started_at, updated_at "
                            "FROM jobs ORDER BY id DESC LIMIT ?1");
    if (!st)
        return std::unexpected(st.error());
    st->bind(1, limit);
    std::vector<JobRecord> list;
    if (auto ok = forEachRow(*st,
            [&](Statement &) {
                list.push_back({ st->int64(0),
                    st->text(1),
                    QJsonDocument::fromJson(st->text(2).toUtf8()).object(),
                    st->text(3),
                    st->int64(4),
                    st->int64(5),
                    st->text(6),
                    st->int64(7),
                    st->int64(8) });
            });
        !ok)
        return std::unexpected(ok.error());
    return list;
}

} // namespace quire::store
