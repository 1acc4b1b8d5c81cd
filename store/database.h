#pragma once

#include "util/error.h"

#include <QByteArray>
#include <QString>
#include <cstdint>
#include <memory>
#include <optional>

struct sqlite3;
struct sqlite3_stmt;

namespace quire::store
{

// A prepared statement. Parameters are bound by 1-based index; columns are read by 0-based index.
class Statement
{
public:
    Statement(Statement &&other) noexcept;
    Statement &operator=(Statement &&other) noexcept;
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;
    ~Statement();

    Statement &bind(int index, std::int64_t value);
    Statement &bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement &bind(int index, double value);
    Statement &bind(int index, const QString &value);
    Statement &bind(int index, const QByteArray &value); // as a blob
    Statement &bind(int index, std::nullptr_t);
    template <typename T> Statement &bind(int index, const std::optional<T> &value)
    {
        return value ? bind(index, *value) : bind(index, nullptr);
    }

    // Advances: true when a row is ready, false when done.
    Expected<bool> step();
    // Runs to completion, then resets so the statement can be bound and run again.
    Expected<void> run();
    void reset();

    std::int64_t int64(int column) const;
    double real(int column) const;
    QString text(int column) const;
    QByteArray blob(int column) const;
    bool isNull(int column) const;

private:
    friend class Database;
    Statement(sqlite3_stmt *statement, sqlite3 *db);
    sqlite3_stmt *m_statement = nullptr;
    sqlite3 *m_db = nullptr;
};

// Steps through every row of `st`, calling f(st) for each; stops at the first error.
template <typename F> Expected<void> forEachRow(Statement &st, F &&f)
{
    for (;;) {
        auto row = st.step();
        if (!row)
            return std::unexpected(row.error());
        if (!*row)
            return {};
        f(st);
    }
}

// One SQLite connection. Owns the handle; closes it on destruction.
class Database
{
public:
    // ":memory:" for a private in-memory database.
    static Expected<std::unique_ptr<Database>> open(const QString &path, bool create);
    ~Database();

    Expected<Statement> prepare(const char *sql);
    // Runs one or more statements that take no parameters.
    Expected<void> exec(const char *sql);
    Expected<void> exec(const QString &sql);
    std::int64_t lastInsertRowId() const;
    int changes() const;
    QString path() const { return m_path; }
    QString lastError() const;

    // A savepoint: begins on construction, rolls back on destruction unless commit() succeeded. Nests.
    class Transaction
    {
    public:
        explicit Transaction(Database &db);
        ~Transaction();
        Transaction(const Transaction &) = delete;
        Transaction &operator=(const Transaction &) = delete;
        bool isActive() const { return m_active; }
        const Error &error() const { return m_error; }
        Expected<void> commit();

    private:
        Database &m_db;
        bool m_active = false;
        Error m_error;
    };

private:
    Database(sqlite3 *db, QString path);
    sqlite3 *m_db;
    QString m_path;
};

} // namespace quire::store
