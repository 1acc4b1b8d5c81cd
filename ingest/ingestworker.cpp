#include "ingestworker.h"

#include "contentbuilder.h"
#include "documentreader.h"
#include "minhash.h"
#include "segmenter.h"
#include "workermemorylimit.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QtEndian>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <map>
#include <memory>
#include <sys/prctl.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace quire::ingest
{

namespace
{

bool readFully(int fd, char *data, qint64 size)
{
    while (size > 0) {
        const ssize_t n = ::read(fd, data, static_cast<std::size_t>(std::min<qint64>(size, 1 << 20)));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        data += n;
        size -= n;
    }
    return true;
}

bool writeFully(int fd, const char *data, qint64 size)
{
    while (size > 0) {
        const ssize_t n = ::write(fd, data, static_cast<std::size_t>(std::min<qint64>(size, 1 << 20)));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        data += n;
        size -= n;
    }
    return true;
}

bool writeFrame(int fd, const QByteArray &payload)
{
    char header[FrameHeaderSize];
    qToLittleEndian<quint64>(static_cast<quint64>(payload.size()), header);
    return writeFully(fd, header, FrameHeaderSize) && writeFully(fd, payload.constData(), payload.size());
}

std::optional<QByteArray> readFrame(int fd)
{
    char header[FrameHeaderSize];
    if (!readFully(fd, header, FrameHeaderSize))
        return std::nullopt;
    const auto length = qFromLittleEndian<quint64>(header);
    if (length > (quint64(1) << 40))
        return std::nullopt;
    QByteArray payload(static_cast<qsizetype>(length), Qt::Uninitialized);
    if (!readFully(fd, payload.data(), payload.size()))
        return std::nullopt;
    return payload;
}

// Takes address space in 64 MB blocks until refused (at most 1 TB, so that a missing limit ends the test
// rather than the machine): as a C++ reader would (std::bad_alloc), or as a C library that aborts. Never
// refused (no limit): the blocks are given back and the document is read.
void hogMemory(bool abortWhenRefused)
{
    struct Blocks {
        std::vector<void *> list;
        bool c = false;
        ~Blocks()
        {
            for (void *block : list)
                c ? std::free(block) : ::operator delete(block);
        }
    } blocks;
    blocks.c = abortWhenRefused;
    blocks.list.reserve(1 << 14);
    for (int i = 0; i < (1 << 14); ++i) {
        void *block = abortWhenRefused ? std::malloc(64 << 20) : ::operator new(64 << 20);
        if (!block)
            std::abort();
        blocks.list.push_back(block);
    }
}

// QUIRE_INGEST_FAULT="crash:a.txt,hang:b.pdf": test hooks for crash, timeout and memory limit isolation.
void injectFault(const QString &name)
{
    static const QStringList faults = qEnvironmentVariable("QUIRE_INGEST_FAULT").split(QLatin1Char(','));
    for (const QString &fault : faults) {
        if (fault == QStringLiteral("crash:") + name)
            std::raise(SIGSEGV);
        if (fault == QStringLiteral("hog:") + name || fault == QStringLiteral("hog-abort:") + name)
            hogMemory(fault.startsWith(QStringLiteral("hog-abort:")));
        if (fault == QStringLiteral("hang:") + name) {
            for (;;)
                std::this_thread::sleep_for(std::chrono::hours(1));
        }
    }
}

QString sizeText(qint64 bytes)
{
    return bytes >= (1LL << 30) ? QString::number(bytes / double(1LL << 30), 'f', 1) + QStringLiteral(" GB")
                                : QString::number(bytes / double(1 << 20), 'f', 1) + QStringLiteral(" MB");
}

Segmenter &segmenterFor(const QString &language)
{
    static std::map<QString, std::unique_ptr<Segmenter>> cache;
    auto &slot = cache[language.section(QLatin1Char('-'), 0, 0).toLower()];
    if (!slot)
        slot = std::make_unique<Segmenter>(language);
    return *slot;
}

// Hashes the request's bytes; for files, also checks that they exist and are not too large.
std::optional<QString> hashContent(const WorkRequest &request, WorkResult &result)
{
    if (request.path.isEmpty()) {
        result.size = request.data.size();
        return QString::fromLatin1(QCryptographicHash::hash(request.data, QCryptographicHash::Sha256).toHex());
    }
    QFile file(request.path);
    if (!file.open(QIODevice::ReadOnly)) {
        result.status = store::DocumentStatus::Error;
        result.error = QStringLiteral("cannot read %1: %2").arg(request.path, file.errorString());
        return std::nullopt;
    }
    result.size = file.size();
    if (result.size > request.options.maxBytes) {
        result.status = store::DocumentStatus::TooLarge;
        result.error
            = QStringLiteral("%1 is %2, over the %3 limit")
                  .arg(QFileInfo(request.path).fileName(), sizeText(result.size), sizeText(request.options.maxBytes));
        return std::nullopt;
    }
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&file)) {
        result.status = store::DocumentStatus::Error;
        result.error = QStringLiteral("cannot read %1: %2").arg(request.path, file.errorString());
        return std::nullopt;
    }
    return QString::fromLatin1(hash.result().toHex());
}

void fillFromDocument(ParsedDocument &document, int maxSentenceLength, WorkResult &result)
{
    result.type = document.type;
    result.title = document.title;
    result.author = document.author;
    result.created = document.created;
    result.modified = document.modified;
    result.language = document.language;
    result.metadata = document.metadata;
    Segmenter &segmenter = segmenterFor(document.language);
    segmenter.setMaxSentenceLength(maxSentenceLength);
    result.content = buildContent(document, segmenter);
    result.children = std::move(document.children);
    result.status = store::DocumentStatus::Ok;
    result.firstPage = document.firstPage;
    result.totalPages = document.totalPages;
    if (document.totalPages > int(document.pages.size())) {
        // A part: the pipeline puts the parts together, then signs and judges the whole.
        const int lastStart = result.content.pages.empty() ? 0 : result.content.pages.back().start;
        for (store::WordBox w : document.nextPageWords)
            result.nextPageWords.push_back({ w.start + lastStart, w.end + lastStart, w.x0, w.y0, w.x1, w.y1 });
        return;
    }
    if (auto signature = MinHash::of(result.content.text))
        result.minhash = MinHash::toBytes(*signature);
    if (isBlank(result.content) && result.children.empty()) {
        const bool scanned = std::any_of(
            document.pages.cbegin(), document.pages.cend(), [](const ParsedPage &p) { return p.lowTextYield; });
        result.status = store::DocumentStatus::Empty;
        result.error = emptyReason(scanned);
    }
}

} // namespace

store::DocumentStatus statusForError(Error::Code code)
{
    switch (code) {
    case Error::Code::PasswordRequired:
        return store::DocumentStatus::PasswordRequired;
    case Error::Code::Unsupported:
        return store::DocumentStatus::Unsupported;
    case Error::Code::Empty:
        return store::DocumentStatus::Empty;
    case Error::Code::TooLarge:
        return store::DocumentStatus::TooLarge;
    case Error::Code::Timeout:
        return store::DocumentStatus::Timeout;
    default:
        return store::DocumentStatus::Error;
    }
}

WorkResult processRequest(const WorkRequest &request, const std::function<void(const WorkHashed &)> &onHashed)
{
    WorkResult result;
    result.id = request.id;
    const auto hash = hashContent(request, result);
    if (!hash)
        return result;
    result.contentHash = *hash;
    if (onHashed)
        onHashed({ request.id, result.contentHash, result.size });
    if (!request.knownHash.isEmpty() && request.knownHash == result.contentHash) {
        result.unchanged = true;
        result.status = store::DocumentStatus::Ok;
        return result;
    }
    const QString name = request.path.isEmpty() ? request.name : QFileInfo(request.path).fileName();
    try {
        injectFault(name);
        auto document = request.path.isEmpty() ? readData(request.data, request.name, request.options)
                                               : readFile(request.path, request.options);
        if (!document) {
            result.status = statusForError(document.error().code);
            result.error = QString::fromStdString(document.error().message);
            return result;
        }
        fillFromDocument(*document, request.maxSentenceLength, result);
    } catch (const std::bad_alloc &) {
        result = WorkResult { request.id, false, result.contentHash, result.size, store::DocumentStatus::TooLarge };
        result.error = outOfMemoryReason(name, WorkerMemoryLimit::bytes());
    } catch (const std::exception &e) {
        result = WorkResult { request.id, false, result.contentHash, result.size, store::DocumentStatus::Error };
        result.error = QStringLiteral("the reader failed on %1: %2").arg(name, QString::fromLocal8Bit(e.what()));
    }
    return result;
}

QString emptyReason(bool scanned)
{
    return scanned ? QStringLiteral("no text found: the pages look scanned and OCR was not possible "
                                    "(install tesseract-ocr, or check --no-ocr)")
                   : QStringLiteral("no text found");
}

QString outOfMemoryReason(const QString &name, qint64 limit)
{
    return limit > 0
        ? QStringLiteral("out of memory: %1 needs more than the %2 an ingest worker may use").arg(name, sizeText(limit))
        : QStringLiteral("out of memory: %1 needs more memory than is available").arg(name);
}

int runIngestWorker(int inFd, int outFd, qint64 memoryLimit)
{
    // A worker must not outlive the pipeline (a hung reader would otherwise linger after kill -9).
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() == 1)
        return 1;
    // Stopping is the pipeline's decision: it lets the document in flight finish.
    std::signal(SIGINT, SIG_IGN);
    std::signal(SIGTERM, SIG_IGN);
    if (!WorkerMemoryLimit::apply(memoryLimit, outFd))
        return 4;
    for (;;) {
        const auto payload = readFrame(inFd);
        if (!payload)
            return 0;
        const auto request = decodeRequest(*payload);
        if (!request)
            return 2;
        bool written = true;
        WorkerMemoryLimit::beginRequest(request->id);
        const WorkResult result
            = processRequest(*request, [&](const WorkHashed &hashed) { written = writeFrame(outFd, encode(hashed)); });
        WorkerMemoryLimit::endRequest();
        if (!written || !writeFrame(outFd, encode(result)))
            return 3;
    }
}

} // namespace quire::ingest
