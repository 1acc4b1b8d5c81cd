#include "ui/librarysession.h"

#include <QThreadPool>

namespace quire::ui
{

namespace
{
constexpr std::size_t MaxIdleConnections = 4;
}

LibrarySession::LibrarySession(const QString &path, std::unique_ptr<store::Library> first)
    : m_path(path)
{
    if (first)
        m_idle.push_back(std::move(first));
}

LibrarySession::~LibrarySession() = default;

QThreadPool *LibrarySession::pool()
{
    static QThreadPool *readers = [] {
        auto *p = new QThreadPool;
        p->setMaxThreadCount(4);
        p->setObjectName(QStringLiteral("quire-readers"));
        return p;
    }();
    return readers;
}

QFuture<Expected<std::shared_ptr<LibrarySession>>> LibrarySession::open(const QString &path, bool create)
{
    return QtConcurrent::run(pool(), [path, create]() -> Expected<std::shared_ptr<LibrarySession>> {
        const auto mode = create ? store::Library::OpenMode::CreateIfMissing : store::Library::OpenMode::OpenExisting;
        auto library = store::Library::open(path, mode);
        if (!library)
            return std::unexpected(library.error());
        return std::make_shared<LibrarySession>(path, std::move(*library));
    });
}

Expected<std::unique_ptr<store::Library>> LibrarySession::acquire()
{
    {
        std::lock_guard lock(m_mutex);
        if (!m_idle.empty()) {
            auto connection = std::move(m_idle.back());
            m_idle.pop_back();
            return connection;
        }
    }
    return store::Library::open(m_path);
}

void LibrarySession::release(std::unique_ptr<store::Library> connection)
{
    std::lock_guard lock(m_mutex);
    if (m_idle.size() < MaxIdleConnections)
        m_idle.push_back(std::move(connection));
}

QString errorText(const Error &error)
{
    return QString::fromStdString(error.message);
}

} // namespace quire::ui
