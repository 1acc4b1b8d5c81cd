#include "pipelinequeue.h"

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <algorithm>

namespace quire::ingest
{

namespace
{

bool isLibraryFile(const QString &path, const QString &libraryPath)
{
    return !libraryPath.isEmpty() && path.startsWith(libraryPath)
        && (path.size() == libraryPath.size() || path.mid(libraryPath.size()).startsWith(QLatin1Char('-')));
}

} // namespace

Expansion expandPaths(const QStringList &paths, const QString &libraryPath)
{
    Expansion out;
    const QString library = libraryPath.isEmpty() ? QString() : QFileInfo(libraryPath).absoluteFilePath();
    QStringList files;
    for (const QString &path : paths) {
        const QFileInfo info(path);
        if (!info.exists()) {
            out.missing.push_back({ info.absoluteFilePath(),
                0,
                DocumentOutcome::Action::Failed,
                store::DocumentStatus::Error,
                QStringLiteral("no such file or folder") });
            continue;
        }
        if (!info.isDir()) {
            files << info.absoluteFilePath();
            continue;
        }
        QStringList found;
        QDirIterator it(info.absoluteFilePath(), QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
        while (it.hasNext())
            found << QDir::cleanPath(it.next());
        found.sort();
        files << found;
    }
    files.removeDuplicates();
    for (const QString &file : files) {
        if (isLibraryFile(file, library))
            continue;
        Task task;
        task.path = file;
        task.filePath = file;
        task.mtime = QFileInfo(file).lastModified().toSecsSinceEpoch();
        out.files.push_back(std::move(task));
    }
    return out;
}

void TaskQueue::reset(std::vector<Task> files)
{
    m_queue.clear();
    m_containers.clear();
    m_finishedTopLevel = 0;
    for (Task &t : files) {
        t.id = m_nextId++;
        m_queue.push_back(std::move(t));
    }
}

Task TaskQueue::take()
{
    Task t = std::move(m_queue.front());
    m_queue.pop_front();
    return t;
}

void TaskQueue::addChildren(
    const Task &container, std::int64_t documentId, std::vector<ChildDocument> children, DocumentOutcome outcome)
{
    Container c;
    c.self = container;
    c.self.data.clear();
    c.outcome = std::move(outcome);
    c.outstanding = static_cast<int>(children.size());
    QSet<QString> used;
    std::vector<Task> tasks;
    tasks.reserve(children.size());
    for (ChildDocument &child : children) {
        QString name = child.name.isEmpty() ? QStringLiteral("unnamed") : child.name;
        const QString base = name;
        for (int n = 2; used.contains(name); ++n)
            name = base + QStringLiteral(" (%1)").arg(n);
        used.insert(name);
        Task t;
        t.id = m_nextId++;
        t.path = container.path + QStringLiteral("!/") + name;
        t.data = std::move(child.data);
        t.name = name;
        t.parentId = documentId;
        t.mtime = container.mtime;
        t.container = container.id;
        t.depth = container.depth + 1;
        tasks.push_back(std::move(t));
    }
    m_containers.emplace(container.id, std::move(c));
    for (auto it = tasks.rbegin(); it != tasks.rend(); ++it)
        m_queue.push_front(std::move(*it));
}

std::vector<FinishedContainer> TaskQueue::finish(const Task &task)
{
    std::vector<FinishedContainer> done;
    const Task *current = &task;
    Task parentSelf;
    while (current->container != 0) {
        auto it = m_containers.find(current->container);
        if (it == m_containers.end())
            break;
        Container &c = it->second;
        c.childPaths.insert(current->path);
        if (--c.outstanding > 0)
            return done;
        done.push_back({ c.outcome, std::move(c.childPaths) });
        parentSelf = std::move(c.self);
        m_containers.erase(it);
        current = &parentSelf;
    }
    ++m_finishedTopLevel;
    return done;
}

} // namespace quire::ingest
