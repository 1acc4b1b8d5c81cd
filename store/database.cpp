#include "database.h"

#include "ftstokenizer.h"

#include <sqlite3.h>
#include <utility>

namespace quire::store
{

namespace
{

std::unexpected<Error> sqliteError(sqlite3 *db, const char *what)
{
    const int code = db ? sqlite3_extended_errcode(db) : SQLITE_ERROR;
    const std::string message = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "out of memory");
    switch (code & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return fail(Error::Code::Corrupt, message);
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_BUSY:
        return fail(Error::Code::Io, message);
    case SQLITE_INTERRUPT:
        return fail(Error::Code::Cancelled, message);
    default:
        return fail(Error::Code::Internal, message);
    }
}

} // namespace

Statement::Statement(sqlite3_stmt *statement, sqlite3 *db)
    : m_statement(statement)
    , m_db(db)
{
}

Statement::Statement(Statement &&other) noexcept
    : m_statement(std::exchange(other.m_statement, nullptr))
    , m_db(other.m_db)
{
}

Statement &Statement::operator=(Statement &&other) noexcept
{
    if (this != &other) {
        sqlite3_finalize(m_statement);
        m_statement = std::exchange(other.m_statement, nullptr);
        m_db = other.m_db;
    }
    return *this;
}

Statement::~Statement()
{
    sqlite3_finalize(m_statement);
}

Statement &Statement::bind(int index, std::int64_t value)
{
    sqlite3_bind_int64(m_statement, index, value);
    return *this;
}

Statement &Statement::bind(int index, double value)
{
    sqlite3_bind_double(m_statement, index, value);
    return *this;
}

Statement &Statement::bind(int index, const QString &value)
{
    if (value.isNull())
        return bind(index, nullptr);
    const QByteArray utf8 = value.toUtf8();
    sqlite3_bind_text(m_statement, index, utf8.constData(), static_cast<int>(utf8.size()), SQLITE_TRANSIENT);
    return *this;
}

Statement &Statement::bind(int index, const QByteArray &value)
{
    sqlite3_bind_blob(m_statement, index, value.constData(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
    return *this;
}

Statement &Statement::bind(int index, std::nullptr_t)
{
    sqlite3_bind_null(m_statement, index);
    return *this;
}

Expected<bool> Statement::step()
{
    const int rc = sqlite3_step(m_statement);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    auto error = sqliteError(m_db, "database query failed");
    sqlite3_reset(m_statement);
    return error;
}

Expected<void> Statement::run()
{
    for (;;) {
        auto row = step();
        if (!row)
            return std::unexpected(row.error());
        if (!*row)
            break;
    }
    reset();
    return {};
}

void Statement::reset()
{
    sqlite3_reset(m_statement);
    sqlite3_clear_bindings(m_statement);
}

std::int64_t Statement::int64(int column) const
{
    return sqlite3_column_int64(m_statement, column);
}

double Statement::real(int column) const
{
    return sqlite3_column_double(m_statement, column);
}

QString Statement::text(int column) const
{
    const auto *data = reinterpret_cast<const char *>(sqlite3_column_text(m_statement, column));
    if (!data)
        return {};
    return QString::fromUtf8(data, sqlite3_column_bytes(m_statement, column));
}

QByteArray Statement::blob(int column) const
{
    const void *data = sqlite3_column_blob(m_statement, column);
    return QByteArray(static_cast<const char *>(data), sqlite3_column_bytes(m_statement, column));
}

bool Statement::isNull(int column) const
{
    return sqlite3_column_type(m_statement, column) == SQLITE_NULL;
}

Database::Database(sqlite3 *db, QString path)
    : m_db(db)
    , m_path(std::move(path))
{
}

Database::~Database()
{
    sqlite3_close_v2(m_db);
}

Expected<std::unique_ptr<Database>> Database::open(const QString &path, bool create)
{
    sqlite3 *raw = nullptr;
    const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path.toUtf8().constData(), &raw, flags, nullptr);
    std::unique_ptr<Database> db(new Database(raw, path));
    if (rc != SQLITE_OK)
        return sqliteError(raw, "cannot open library");
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, 10000);
    if (auto ok = registerFtsTokenizer(raw); !ok)
        return std::unexpected(ok.error());
    return db;
}

Expected<Statement> Database::prepare(const char *sql)
{
    sqlite3_stmt *statement = nullptr;
    if (sqlite3_prepare_v2(m_db, sql, -1, &statement, nullptr) != SQLITE_OK)
        return sqliteError(m_db, "cannot prepare query");
    return Statement(statement, m_db);
}

Expected<void> Database::exec(const char *sql)
{
    char *message = nullptr;
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        sqlite3_free(message);
        return sqliteError(m_db, "database statement failed");
    }
    return {};
}

Expected<void> Database::exec(const QString &sql)
{
    return exec(sql.toUtf8().constData());
}

std::int64_t Database::lastInsertRowId() const
{
    return sqlite3_last_insert_rowid(m_db);
}

int Database::changes() const
{
    return sqlite3_changes(m_db);
}

QString Database::lastError() const
{
    return QString::fromUtf8(sqlite3_errmsg(m_db));
}

Database::Transaction::Transaction(Database &db)
    : m_db(db)
{
    // Savepoints nest, so a typed query that needs atomicity works inside a caller's transaction too.
    auto begun = m_db.exec("SAVEPOINT quire");
    m_active = begun.has_value();
    if (!begun)
        m_error = begun.error();
}

Database::Transaction::~Transaction()
{
    if (m_active)
        (void)m_db.exec("ROLLBACK TO quire; RELEASE quire");
}

Expected<void> Database::Transaction::commit()
{
    if (!m_active)
        return std::unexpected(m_error);
    auto done = m_db.exec("RELEASE quire");
    if (done)
        m_active = false;
    return done;
}

} // namespace quire::store
