#pragma once

// The messages between `quire ingest` and its worker processes (`quire ingest-worker`). Each message is a
// frame: an 8-byte little-endian length, then a QDataStream payload whose first byte is the frame kind.
// Parent -> worker: Request. Worker -> parent: Hashed (as soon as the content hash is known, so that a crash
// while parsing still records which bytes crashed), OutOfMemory (when an allocation was refused by the
// worker's memory limit, so that a crash that follows is reported as such), then Result.

#include "ingest/parseddocument.h"
#include "store/library.h"

#include <QByteArray>
#include <QString>
#include <optional>

namespace quire::ingest
{

struct WorkRequest {
    quint64 id = 0;
    QString path; // a file to read, or empty when `data` holds the bytes
    QByteArray data; // an archive member or attachment
    QString name; // its file name (type detection, messages)
    QString knownHash; // when the content hashes to this, the worker answers `unchanged` without parsing
    ReadOptions options;
    int maxSentenceLength = 1000;
};

struct WorkHashed {
    quint64 id = 0;
    QString contentHash;
    qint64 size = 0;
};

struct WorkResult {
    quint64 id = 0;
    bool unchanged = false;
    QString contentHash;
    qint64 size = 0;
    store::DocumentStatus status = store::DocumentStatus::Error;
    QString error;
    // Filled when the reader succeeded (status ok or empty):
    QString type;
    QString title;
    QString author;
    QString created;
    QString modified;
    QString language;
    QJsonObject metadata;
    store::DocumentContent content; // sentences travel as ranges; decode() fills their text
    QByteArray minhash; // empty for a part (the pipeline computes it over the whole text)
    std::vector<ChildDocument> children;
    // A part of a document (WorkRequest::options.part): the number of its first page, the document's page
    // count, and the boxes on the next part's first page of a word joined onto this part's last page
    // (offsets into this part's text). Pages, sentences and sections are numbered within the part.
    qint32 firstPage = 1;
    qint32 totalPages = 0;
    std::vector<store::WordBox> nextPageWords;
};

enum class FrameKind : quint8 { Request = 1, Hashed = 2, Result = 3, OutOfMemory = 4 };

QByteArray encode(const WorkRequest &request);
QByteArray encode(const WorkHashed &hashed);
QByteArray encode(const WorkResult &result);
// The OutOfMemory frame of request `id`, length prefix included (written as is from a signal handler).
QByteArray outOfMemoryFrame(quint64 id);

// The kind of a payload (without its length prefix), or nothing when it is not a frame we know.
std::optional<FrameKind> frameKind(const QByteArray &payload);
std::optional<WorkRequest> decodeRequest(const QByteArray &payload);
std::optional<WorkHashed> decodeHashed(const QByteArray &payload);
std::optional<WorkResult> decodeResult(const QByteArray &payload);
std::optional<quint64> decodeOutOfMemory(const QByteArray &payload);

// Adds the length prefix.
QByteArray frame(const QByteArray &payload);
constexpr int FrameHeaderSize = 8;
// Splits complete frames off the front of `buffer`; returns the payloads.
std::vector<QByteArray> takeFrames(QByteArray &buffer);

} // namespace quire::ingest
