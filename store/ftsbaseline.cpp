#include "ftsbaseline.h"

#include "database.h"

#include <QElapsedTimer>
#include <QFile>

namespace quire::store
{

Expected<double> bareFtsInsertSeconds(const QString &path, const std::vector<QString> &rows)
{
    QFile::remove(path);
    QElapsedTimer timer;
    timer.start();
    auto db = Database::open(path, true);
    if (!db)
        return std::unexpected(db.error());
    const char *setup = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                        "CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');";
    if (auto ok = (*db)->exec(setup); !ok)
        return std::unexpected(ok.error());
    {
        Database::Transaction tx(**db);
        auto insert = (*db)->prepare("INSERT INTO t(body) VALUES (?1)");
        if (!insert)
            return std::unexpected(insert.error());
        for (const QString &row : rows) {
            if (auto ok = insert->bind(1, row).run(); !ok)
                return std::unexpected(ok.error());
        }
        if (auto ok = tx.commit(); !ok)
            return std::unexpected(ok.error());
    }
    const double seconds = timer.elapsed() / 1000.0;
    db->reset();
    QFile::remove(path);
    QFile::remove(path + QStringLiteral("-wal"));
    QFile::remove(path + QStringLiteral("-shm"));
    return seconds;
}

} // namespace quire::store
