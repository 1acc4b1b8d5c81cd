#pragma once

#include "util/error.h"

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace quire::store
{

class Database;

enum class DocumentStatus { Pending, Ok, Error, PasswordRequired, Unsupported, Empty, TooLarge, Timeout, Duplicate };
QString statusName(DocumentStatus status); // "password_required"
std::optional<DocumentStatus> statusFromName(const QString &name);

struct DocumentRecord {
    std::int64_t id = 0;
    std::optional<std::int64_t> parentId;
    QString path; // absolute; "outer!/inner" inside archives and mail
    QString contentHash; // hex SHA-256
    QString type; // pdf, text, markdown, html, epub, eml, mbox, archive ...
    std::int64_t size = 0;
    std::int64_t mtime = 0;
    QString title;
    QString author;
    QString created; // ISO 8601
    QString modified;
    QString language;
    DocumentStatus status = DocumentStatus::Pending;
    QString error;
    int pageCount = 0;
    std::optional<std::int64_t> duplicateOf;
    std::optional<std::int64_t> nearDuplicateGroup;
    QString threadId;
    QJsonObject metadata;
    std::int64_t addedAt = 0;
    std::int64_t updatedAt = 0;
};

// A word on a rendered page: its text range and its box in PDF points (origin top-left).
struct WordBox {
    std::int32_t start = 0;
    std::int32_t end = 0;
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};

struct PageRecord {
    int page = 1; // 1-based
    int start = 0; // text range of the page
    int end = 0;
    double width = 0; // points
    double height = 0;
    bool ocr = false;
    std::vector<WordBox> words;
};

struct SectionRecord {
    std::int64_t id = 0;
    int level = 1;
    QString title;
    int start = 0;
    int end = 0;
    int page = 1;
};

struct SentenceRecord {
    std::int64_t id = 0;
    std::int64_t documentId = 0;
    int page = 1;
    int start = 0;
    int end = 0;
    QString text;
};

// Everything extracted from one document; offsets are UTF-16 code units into `text`.
struct DocumentContent {
    QString text;
    std::vector<PageRecord> pages;
    std::vector<SectionRecord> sections;
    std::vector<SentenceRecord> sentences;
};

struct SearchOptions {
    int limit = 20;
    int offset = 0;
    std::optional<std::int64_t> documentId;
    QString type;
};

struct SearchHit {
    std::int64_t sentenceId = 0;
    std::int64_t documentId = 0;
    int page = 1;
    int start = 0;
    int end = 0;
    QString path;
    QString title;
    QString snippet;
    std::vector<std::pair<int, int>> highlights; // (offset, length) of matched terms in snippet
    double score = 0; // higher is better
};

struct LibraryStats {
    int schemaVersion = 0;
    std::int64_t documents = 0;
    QMap<QString, std::int64_t> byStatus;
    QMap<QString, std::int64_t> byType;
    std::int64_t pages = 0;
    std::int64_t sentences = 0;
    std::int64_t bytes = 0;
    std::int64_t fileBytes = 0;
};

struct JobRecord {
    std::int64_t id = 0;
    QString kind;
    QJsonObject arguments;
    QString state; // running, done, failed, cancelled
    std::int64_t done = 0;
    std::int64_t total = 0;
    QString message;
    std::int64_t startedAt = 0;
    std::int64_t updatedAt = 0;
};

// A Quire library: one SQLite file (NAME.quire) in WAL mode. Opening runs pending migrations,
// each in its own transaction; a file written by a newer Quire is refused (Error::Code::TooNew).
// One Library object per thread; SQLite serialises writers across processes.
class Library
{
public:
    enum class OpenMode { OpenExisting, CreateIfMissing };
    static Expected<std::unique_ptr<Library>> open(const QString &path, OpenMode mode = OpenMode::OpenExisting);
    static Expected<std::unique_ptr<Library>> openInMemory();
    ~Library();

    static int latestSchemaVersion();
    // Brings a database to schema version `target` (tests use it to build every older version).
    static Expected<void> migrate(Database &db, int target);
    int schemaVersion() const;
    QString path() const;
    Database &database();

    // Documents
    Expected<std::optional<DocumentRecord>> document(std::int64_t id);
    Expected<std::optional<DocumentRecord>> documentByPath(const QString &path);
    Expected<std::vector<DocumentRecord>> documents();
    Expected<std::vector<DocumentRecord>> documentsByHash(const QString &contentHash);
    Expected<std::vector<DocumentRecord>> children(std::int64_t parentId);
    // Inserts, or updates the row with the same path (keeping its id). Returns the id.
    Expected<std::int64_t> upsertDocument(const DocumentRecord &record);
    Expected<void> setStatus(std::int64_t id, DocumentStatus status, const QString &error = {});
    // Replaces text, pages, sections, sentences and their index entries, in one transaction.
    Expected<void> storeContent(std::int64_t id, const DocumentContent &content);
    // Record and content together, atomically: what ingest calls once per document.
    Expected<std::int64_t> saveDocument(const DocumentRecord &record, const DocumentContent &content);
    Expected<void> removeDocument(std::int64_t id);

    Expected<QString> documentText(std::int64_t id);
    Expected<std::vector<PageRecord>> pages(std::int64_t documentId, bool withWords = false);
    Expected<std::vector<SectionRecord>> sections(std::int64_t documentId);
    Expected<std::vector<SentenceRecord>> sentences(std::int64_t documentId);
    Expected<std::optional<SentenceRecord>> sentence(std::int64_t id);

    // Full-text search: FTS5 syntax (phrases, AND/OR/NOT, prefix*); CJK works (see util::ftsQuery).
    Expected<std::vector<SearchHit>> search(const QString &query, const SearchOptions &options = {});
    Expected<LibraryStats> stats();

    // Jobs: long work recorded so it can be shown, resumed or reported.
    Expected<std::int64_t> startJob(const QString &kind, const QJsonObject &arguments);
    Expected<void> updateJob(std::int64_t id, std::int64_t done, std::int64_t total, const QString &message = {});
    Expected<void> finishJob(std::int64_t id, const QString &state, const QString &message = {});
    Expected<std::vector<JobRecord>> jobs(int limit = 50);

    Expected<std::optional<QString>> setting(const QString &key);
    Expected<void> setSetting(const QString &key, const QString &value);

private:
    explicit Library(std::unique_ptr<Database> db);
    Expected<void> initialise();
    std::unique_ptr<Database> m_db;
    int m_schemaVersion = 0;
};

} // namespace quire::store
