#pragma once

#include "ingest/parseddocument.h"
#include "util/error.h"

#include <QByteArray>
#include <QString>
#include <vector>

namespace quire::ingest
{

struct ArchiveMember {
    QString path; // as stored, "./" removed; always relative and inside the archive
    QByteArray data;
};

struct ArchiveContents {
    QString format; // zip, tar, 7z, cpio, iso9660, rar, or gzip/bzip2/xz/zstd for one compressed file
    QString compression; // gzip, bzip2, xz ... when a filter wraps the format
    std::vector<ArchiveMember> members;
    qint64 expandedBytes = 0;
    int skippedLinks = 0; // symbolic and hard links inside the archive (not followed, not ingested)
};

// zip, tar (plain, gz, bz2, xz, zstd), 7z, cpio, iso9660, rar through libarchive, entirely in memory.
// Members become `children`; nested archives stay children (the pipeline recurses with childOptions()).
// Refused with a reason: absolute paths, ".." components and links pointing outside the archive
// (Corrupt, "unsafe path"); over ReadOptions::maxExpandedBytes, maxBytes per member, maxCompressionRatio
// per member or overall, maxMembers, or nested deeper than maxDepth (TooLarge); encrypted members
// (PasswordRequired). The parsed document has no pages; metadata holds members/expandedBytes/format.
class ArchiveReader
{
public:
    static Expected<ParsedDocument> read(const QByteArray &data, const QString &name, const ReadOptions &options);
    static Expected<ArchiveContents> extract(const QByteArray &data, const QString &name, const ReadOptions &options);
    // True when `path` stays inside the archive root (no absolute path, drive letter or escaping "..").
    static bool isSafePath(const QString &path);
    // True when a link at `linkPath` pointing at `target` resolves inside the archive root.
    static bool isSafeLink(const QString &linkPath, const QString &target);
};

} // namespace quire::ingest
