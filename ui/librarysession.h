#pragma once

#include "store/library.h"
#include "util/error.h"

#include <QFuture>
#include <QString>
#include <QtConcurrent/QtConcurrentRun>
#include <memory>
#include <mutex>
#include <type_traits>
#include <vector>

class QThreadPool;

namespace quire::ui
{

// The open library as the GUI sees it: its path and a small pool of SQLite connections that worker
// threads borrow, one thread at a time per connection. The UI thread never queries the store: it calls
// run() and receives the result through QFuture::then(context, ...).
class LibrarySession : public std::enable_shared_from_this<LibrarySession>
{
public:
    // `first` is the connection that opened (and migrated) the library; it seeds the pool.
    LibrarySession(const QString &path, std::unique_ptr<store::Library> first);
    ~LibrarySession();

    QString path() const { return m_path; }

    // Opens or creates a library in a worker; resolves to a session, or to the error a person can read.
    static QFuture<Expected<std::shared_ptr<LibrarySession>>> open(const QString &path, bool create);

    // Runs `work(Library &)` in a worker with a pooled connection. `work` returns an Expected<T>.
    template <typename Work> auto run(Work work) -> QFuture<std::invoke_result_t<Work, store::Library &>>
    {
        using Result = std::invoke_result_t<Work, store::Library &>;
        return QtConcurrent::run(pool(), [self = shared_from_this(), work = std::move(work)]() mutable -> Result {
            auto connection = self->acquire();
            if (!connection)
                return std::unexpected(connection.error());
            Result result = work(**connection);
            self->release(std::move(*connection));
            return result;
        });
    }

    // The thread pool every read of the GUI runs on (kept apart from long jobs so search stays quick).
    static QThreadPool *pool();

private:
    Expected<std::unique_ptr<store::Library>> acquire();
    void release(std::unique_ptr<store::Library> connection);

    QString m_path;
    std::mutex m_mutex;
    std::vector<std::unique_ptr<store::Library>> m_idle;
};

// A person-readable message for an error that crossed into the GUI.
QString errorText(const Error &error);

} // namespace quire::ui
