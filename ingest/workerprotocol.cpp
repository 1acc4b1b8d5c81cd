#include "workerprotocol.h"

#include <QDataStream>
#include <QIODevice>
#include <QJsonDocument>
#include <QtEndian>

namespace quire::ingest
{

namespace
{

constexpr QDataStream::Version StreamVersion = QDataStream::Qt_6_4;

QDataStream &operator<<(QDataStream &out, const ReadOptions &o)
{
    return out << o.password << o.ocr << o.maxBytes << o.maxExpandedBytes << o.maxCompressionRatio
               << qint32(o.maxMembers) << qint32(o.depth) << qint32(o.maxDepth) << qint32(o.threads) << qint32(o.part)
               << qint32(o.parts);
}
QDataStream &operator>>(QDataStream &in, ReadOptions &o)
{
    return in >> o.password >> o.ocr >> o.maxBytes >> o.maxExpandedBytes >> o.maxCompressionRatio >> o.maxMembers
        >> o.depth >> o.maxDepth >> o.threads >> o.part >> o.parts;
}

// Word boxes are most of a PDF's result: packed as one block (24 bytes each, little-endian), so that the
// pipeline's single thread decodes them with a copy instead of six stream reads each.
constexpr int PackedWordSize = 24;

void writeWords(QDataStream &out, const std::vector<store::WordBox> &words)
{
    QByteArray packed(qsizetype(words.size()) * PackedWordSize, Qt::Uninitialized);
    char *p = packed.data();
    for (const store::WordBox &w : words) {
        qToLittleEndian<qint32>(w.start, p);
        qToLittleEndian<qint32>(w.end, p + 4);
        qToLittleEndian<float>(w.x0, p + 8);
        qToLittleEndian<float>(w.y0, p + 12);
        qToLittleEndian<float>(w.x1, p + 16);
        qToLittleEndian<float>(w.y1, p + 20);
        p += PackedWordSize;
    }
    out << quint32(words.size());
    out.writeRawData(packed.constData(), int(packed.size()));
}

void writeContent(QDataStream &out, const store::DocumentContent &c)
{
    out << c.text << quint32(c.pages.size());
    for (const store::PageRecord &p : c.pages) {
        out << qint32(p.page) << qint32(p.start) << qint32(p.end) << p.width << p.height << p.ocr;
        writeWords(out, p.words);
    }
    out << quint32(c.sections.size());
    for (const store::SectionRecord &s : c.sections)
        out << qint32(s.level) << s.title << qint32(s.start) << qint32(s.end) << qint32(s.page);
    out << quint32(c.sentences.size());
    for (const store::SentenceRecord &s : c.sentences)
        out << qint32(s.page) << qint32(s.start) << qint32(s.end);
}

// Counts come from another process: bound them by what the stream can still hold.
bool plausible(const QDataStream &in, quint32 count, int bytesPerItem)
{
    return in.status() == QDataStream::Ok && qint64(count) * bytesPerItem <= in.device()->bytesAvailable();
}

bool readWords(QDataStream &in, std::vector<store::WordBox> &words)
{
    quint32 count = 0;
    in >> count;
    if (!plausible(in, count, PackedWordSize))
        return false;
    QByteArray packed(qsizetype(count) * PackedWordSize, Qt::Uninitialized);
    if (in.readRawData(packed.data(), int(packed.size())) != packed.size())
        return false;
    words.resize(count);
    const char *p = packed.constData();
    for (store::WordBox &w : words) {
        w.start = qFromLittleEndian<qint32>(p);
        w.end = qFromLittleEndian<qint32>(p + 4);
        w.x0 = qFromLittleEndian<float>(p + 8);
        w.y0 = qFromLittleEndian<float>(p + 12);
        w.x1 = qFromLittleEndian<float>(p + 16);
        w.y1 = qFromLittleEndian<float>(p + 20);
        p += PackedWordSize;
    }
    return true;
}

bool readContent(QDataStream &in, store::DocumentContent &c)
{
    quint32 n = 0;
    in >> c.text >> n;
    if (!plausible(in, n, 40))
        return false;
    c.pages.resize(n);
    for (store::PageRecord &p : c.pages) {
        in >> p.page >> p.start >> p.end >> p.width >> p.height >> p.ocr;
        if (!readWords(in, p.words))
            return false;
    }
    in >> n;
    if (!plausible(in, n, 20))
        return false;
    c.sections.resize(n);
    for (store::SectionRecord &s : c.sections)
        in >> s.level >> s.title >> s.start >> s.end >> s.page;
    in >> n;
    if (!plausible(in, n, 12))
        return false;
    c.sentences.resize(n);
    const int textSize = static_cast<int>(c.text.size());
    for (store::SentenceRecord &s : c.sentences) {
        in >> s.page >> s.start >> s.end;
        if (s.start < 0 || s.end < s.start || s.end > textSize)
            return false;
        s.text = c.text.mid(s.start, s.end - s.start);
    }
    return in.status() == QDataStream::Ok;
}

template <typename Write> QByteArray payload(FrameKind kind, Write write)
{
    QByteArray bytes;
    QDataStream out(&bytes, QIODevice::WriteOnly);
    out.setVersion(StreamVersion);
    out << static_cast<quint8>(kind);
    write(out);
    return bytes;
}

template <typename T, typename Read> std::optional<T> decodePayload(const QByteArray &bytes, FrameKind kind, Read read)
{
    QDataStream in(bytes);
    in.setVersion(StreamVersion);
    quint8 k = 0;
    in >> k;
    if (k != static_cast<quint8>(kind))
        return std::nullopt;
    T value;
    if (!read(in, value) || in.status() != QDataStream::Ok)
        return std::nullopt;
    return value;
}

} // namespace

QByteArray encode(const WorkRequest &r)
{
    return payload(FrameKind::Request, [&](QDataStream &out) {
        out << r.id << r.path << r.data << r.name << r.knownHash << r.options << qint32(r.maxSentenceLength);
    });
}

QByteArray encode(const WorkHashed &h)
{
    return payload(FrameKind::Hashed, [&](QDataStream &out) { out << h.id << h.contentHash << h.size; });
}

QByteArray encode(const WorkResult &r)
{
    return payload(FrameKind::Result, [&](QDataStream &out) {
        out << r.id << r.unchanged << r.contentHash << r.size << qint32(r.status) << r.error;
        out << r.type << r.title << r.author << r.created << r.modified << r.language;
        out << QJsonDocument(r.metadata).toJson(QJsonDocument::Compact);
        writeContent(out, r.content);
        out << r.minhash << quint32(r.children.size());
        for (const ChildDocument &c : r.children)
            out << c.name << c.data << c.mimeType;
        out << qint32(r.firstPage) << qint32(r.totalPages);
        writeWords(out, r.nextPageWords);
    });
}

std::optional<FrameKind> frameKind(const QByteArray &payload)
{
    if (payload.isEmpty())
        return std::nullopt;
    const auto k = static_cast<quint8>(payload.at(0));
    if (k < 1 || k > 4)
        return std::nullopt;
    return static_cast<FrameKind>(k);
}

std::optional<WorkRequest> decodeRequest(const QByteArray &bytes)
{
    return decodePayload<WorkRequest>(bytes, FrameKind::Request, [](QDataStream &in, WorkRequest &r) {
        qint32 maxSentence = 0;
        in >> r.id >> r.path >> r.data >> r.name >> r.knownHash >> r.options >> maxSentence;
        r.maxSentenceLength = maxSentence;
        return true;
    });
}

std::optional<WorkHashed> decodeHashed(const QByteArray &bytes)
{
    return decodePayload<WorkHashed>(bytes, FrameKind::Hashed, [](QDataStream &in, WorkHashed &h) {
        in >> h.id >> h.contentHash >> h.size;
        return true;
    });
}

std::optional<WorkResult> decodeResult(const QByteArray &bytes)
{
    return decodePayload<WorkResult>(bytes, FrameKind::Result, [](QDataStream &in, WorkResult &r) {
        qint32 status = 0;
        QByteArray metadata;
        in >> r.id >> r.unchanged >> r.contentHash >> r.size >> status >> r.error;
        in >> r.type >> r.title >> r.author >> r.created >> r.modified >> r.language >> metadata;
        if (status < 0 || status > static_cast<qint32>(store::DocumentStatus::Duplicate))
            return false;
        r.status = static_cast<store::DocumentStatus>(status);
        r.metadata = QJsonDocument::fromJson(metadata).object();
        if (!readContent(in, r.content))
            return false;
        quint32 children = 0;
        in >> r.minhash >> children;
        if (!plausible(in, children, 12))
            return false;
        r.children.resize(children);
        for (ChildDocument &c : r.children)
            in >> c.name >> c.data >> c.mimeType;
        in >> r.firstPage >> r.totalPages;
        return readWords(in, r.nextPageWords);
    });
}

QByteArray outOfMemoryFrame(quint64 id)
{
    return frame(payload(FrameKind::OutOfMemory, [&](QDataStream &out) { out << id; }));
}

std::optional<quint64> decodeOutOfMemory(const QByteArray &bytes)
{
    return decodePayload<quint64>(bytes, FrameKind::OutOfMemory, [](QDataStream &in, quint64 &id) {
        in >> id;
        return true;
    });
}

QByteArray frame(const QByteArray &payload)
{
    QByteArray out(FrameHeaderSize, Qt::Uninitialized);
    qToLittleEndian<quint64>(static_cast<quint64>(payload.size()), out.data());
    return out + payload;
}

std::vector<QByteArray> takeFrames(QByteArray &buffer)
{
    std::vector<QByteArray> frames;
    qsizetype offset = 0;
    while (buffer.size() - offset >= FrameHeaderSize) {
        const auto length = qFromLittleEndian<quint64>(buffer.constData() + offset);
        if (static_cast<quint64>(buffer.size() - offset - FrameHeaderSize) < length)
            break;
        frames.push_back(buffer.mid(offset + FrameHeaderSize, static_cast<qsizetype>(length)));
        offset += FrameHeaderSize + static_cast<qsizetype>(length);
    }
    if (offset > 0)
        buffer.remove(0, offset);
    return frames;
}

} // namespace quire::ingest
