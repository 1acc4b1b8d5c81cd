#pragma once

// The pipeline's bookkeeping: the files to read, the queue of documents waiting for a worker, and the
// containers (archives, mail) waiting for their children. Internal to ingest/.

#include "ingest/parseddocument.h"
#include "ingest/pipeline.h"

#include <QSet>
#include <deque>
#include <unordered_map>

namespace quire::ingest
{

struct Task {
    quint64 id = 0;
    QString path; // library path: absolute file path, or "outer!/inner"
    QString filePath; // the file to read (top-level files), empty for children
    QByteArray data; // the bytes of a child
    QString name; // file name of a child
    std::optional<std::int64_t> parentId;
    qint64 mtime = 0;
    quint64 container = 0; // task id of the container this document is in; 0 at the top level
    int depth = 0; // containers above this document
    std::int64_t existingId = 0; // the stored document with this path, if any
    int part = 0; // a large PDF is read in `parts` page ranges by several workers (same id)
    int parts = 1;
};

struct Expansion {
    std::vector<Task> files; // sorted, without duplicates, without the library's own files
    std::vector<DocumentOutcome> missing; // paths that do not exist
};

// Files under the given paths: files as given, folders recursively (hidden files and folders, whose name
// starts with a dot, are left out; symbolic links to folders are not followed).
Expansion expandPaths(const QStringList &paths, const QString &libraryPath);

struct FinishedContainer {
    DocumentOutcome outcome;
    QSet<QString> childPaths;
};

class TaskQueue
{
public:
    void reset(std::vector<Task> files);
    bool empty() const { return m_queue.empty(); }
    Task take();
    // Queues a task ahead of the others (the other parts of a document being read).
    void pushFront(Task task) { m_queue.push_front(std::move(task)); }

    // Queues a container's children ahead of other work, so that containers complete early. Children with
    // the same name get a suffix (" (2)") so that none overwrites another.
    void addChildren(
        const Task &container, std::int64_t documentId, std::vector<ChildDocument> children, DocumentOutcome outcome);
    // Marks a task done; returns the containers this completes, innermost first.
    std::vector<FinishedContainer> finish(const Task &task);
    // Top-level files whose documents (children included) are all done.
    std::int64_t finishedTopLevel() const { return m_finishedTopLevel; }

private:
    struct Container {
        Task self; // without its data
        DocumentOutcome outcome;
        QSet<QString> childPaths;
        int outstanding = 0;
    };
    std::deque<Task> m_queue;
    std::unordered_map<quint64, Container> m_containers;
    quint64 m_nextId = 1;
    std::int64_t m_finishedTopLevel = 0;
};

} // namespace quire::ingest
