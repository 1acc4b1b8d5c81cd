#include "ingest/archivereader.h"

#include <archive.h>
#include <archive_entry.h>
#include <memory>

namespace quire::ingest
{

namespace
{

struct ArchiveFree {
    void operator()(archive *a) const { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveFree>;

constexpr qint64 RatioFloorBytes = 1 << 20; // ratios are only judged on members / totals past 1 MiB
constexpr size_t ReadChunk = 256 * 1024;

ArchivePtr openReader(const QByteArray &data)
{
    ArchivePtr a(archive_read_new());
    archive_read_support_filter_all(a.get());
    // Not archive_read_support_format_all(): mtree would read files named inside it from our disk.
    archive_read_support_format_zip(a.get());
    archive_read_support_format_tar(a.get());
    archive_read_support_format_7zip(a.get());
    archive_read_support_format_cpio(a.get());
    archive_read_support_format_iso9660(a.get());
    archive_read_support_format_rar(a.get());
    archive_read_support_format_rar5(a.get());
    archive_read_support_format_raw(a.get());
    if (archive_read_open_memory(a.get(), data.constData(), size_t(data.size())) != ARCHIVE_OK)
        return nullptr;
    return a;
}

QString entryPath(archive_entry *entry)
{
    if (const char *utf8 = archive_entry_pathname_utf8(entry))
        return QString::fromUtf8(utf8);
    if (const char *raw = archive_entry_pathname(entry))
        return QString::fromLocal8Bit(raw);
    return {};
}

QString formatName(archive *a)
{
    switch (archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) {
    case ARCHIVE_FORMAT_ZIP:
        return QStringLiteral("zip");
    case ARCHIVE_FORMAT_TAR:
        return QStringLiteral("tar");
    case ARCHIVE_FORMAT_7ZIP:
        return QStringLiteral("7z");
    case ARCHIVE_FORMAT_CPIO:
        return QStringLiteral("cpio");
    case ARCHIVE_FORMAT_ISO9660:
        return QStringLiteral("iso9660");
    case ARCHIVE_FORMAT_RAR:
    case ARCHIVE_FORMAT_RAR_V5:
        return QStringLiteral("rar");
    case ARCHIVE_FORMAT_RAW:
        return QStringLiteral("raw");
    default:
        return QString::fromLatin1(archive_format_name(a));
    }
}

QString compressionName(archive *a)
{
    if (archive_filter_count(a) < 2)
        return {};
    const int code = archive_filter_code(a, 0);
    switch (code) {
    case ARCHIVE_FILTER_GZIP:
        return QStringLiteral("gzip");
    case ARCHIVE_FILTER_BZIP2:
        return QStringLiteral("bzip2");
    case ARCHIVE_FILTER_XZ:
        return QStringLiteral("xz");
    case ARCHIVE_FILTER_LZMA:
        return QStringLiteral("lzma");
    case ARCHIVE_FILTER_ZSTD:
        return QStringLiteral("zstd");
    default:
        return QString::fromLatin1(archive_filter_name(a, 0));
    }
}

// A compressed single file ("report.txt.gz") has one member named "data": give it the file's name.
QString rawMemberName(const QString &archiveName)
{
    QString base = archiveName.section(QLatin1Char('/'), -1);
    for (const char *suffix : { ".gz", ".bz2", ".xz", ".lzma", ".zst", ".z" })
        if (base.endsWith(QLatin1String(suffix), Qt::CaseInsensitive))
            return base.chopped(qsizetype(strlen(suffix)));
    return base + QStringLiteral(".out");
}

std::unexpected<Error> tooLarge(const QString &name, const QString &why)
{
    return fail(Error::Code::TooLarge, QStringLiteral("%1: refused, %2").arg(name, why).toStdString());
}

class Extractor
{
public:
    Extractor(const QByteArray &data, const QString &name, const ReadOptions &options)
        : m_data(data)
        , m_name(name)
        , m_options(options)
    {
    }
    Expected<ArchiveContents> run();

private:
    Expected<bool> visit(archive_entry *entry);
    Expected<QByteArray> readMember(const QString &path);

    const QByteArray &m_data;
    const QString &m_name;
    const ReadOptions &m_options;
    ArchivePtr m_archive;
    ArchiveContents m_contents;
    int m_entries = 0;
};

Expected<QByteArray> Extractor::readMember(const QString &path)
{
    const la_int64_t consumedBefore = archive_filter_bytes(m_archive.get(), -1);
    QByteArray out;
    std::unique_ptr<char[]> buffer(new char[ReadChunk]);
    for (;;) {
        const la_ssize_t n = archive_read_data(m_archive.get(), buffer.get(), ReadChunk);
        if (n < 0)
            return fail(Error::Code::Corrupt,
                QStringLiteral("%1: member %2 is damaged (%3)")
                    .arg(m_name, path, QString::fromLocal8Bit(archive_error_string(m_archive.get())))
                    .toStdString());
        if (n == 0)
            break;
        if (out.size() + n > m_options.maxBytes)
            return tooLarge(
                m_name, QStringLiteral("member %1 expands past %2 MB").arg(path).arg(m_options.maxBytes >> 20));
        if (m_contents.expandedBytes + n > m_options.maxExpandedBytes)
            return tooLarge(m_name,
                QStringLiteral("members expand past %1 MB in total (decompression bomb?)")
                    .arg(m_options.maxExpandedBytes >> 20));
        out.append(buffer.get(), n);
        m_contents.expandedBytes += n;
        const double consumed
            = double(std::max<la_int64_t>(archive_filter_bytes(m_archive.get(), -1) - consumedBefore, 1));
        if (out.size() > RatioFloorBytes && double(out.size()) / consumed > m_options.maxCompressionRatio)
            return tooLarge(m_name,
                QStringLiteral("member %1 expands more than %2 times (decompression bomb)")
                    .arg(path)
                    .arg(m_options.maxCompressionRatio));
    }
    return out;
}

Expected<bool> Extractor::visit(archive_entry *entry)
{
    QString path = entryPath(entry);
    while (path.startsWith(QLatin1String("./")))
        path.remove(0, 2);
    if (!ArchiveReader::isSafePath(path))
        return fail(Error::Code::Corrupt,
            QStringLiteral("%1: refused, unsafe member path \"%2\" (path traversal)").arg(m_name, path).toStdString());
    const char *hardlink = archive_entry_hardlink(entry);
    const char *symlink = archive_entry_symlink(entry);
    if (hardlink || symlink || archive_entry_filetype(entry) == AE_IFLNK) {
        const QString target = QString::fromUtf8(hardlink ? hardlink : symlink ? symlink : "");
        const bool safe = hardlink ? ArchiveReader::isSafePath(target) : ArchiveReader::isSafeLink(path, target);
        if (!safe)
            return fail(Error::Code::Corrupt,
                QStringLiteral("%1: refused, link \"%2\" points outside the archive (\"%3\")")
                    .arg(m_name, path, target)
                    .toStdString());
        ++m_contents.skippedLinks;
        return true;
    }
    if (archive_entry_filetype(entry) != AE_IFREG)
        return true;
    if (archive_entry_is_encrypted(entry))
        return fail(Error::Code::PasswordRequired,
            QStringLiteral("%1: password required (member %2 is encrypted; encrypted archives are not supported)")
                .arg(m_name, path)
                .toStdString());
    if (archive_entry_size_is_set(entry) && archive_entry_size(entry) > m_options.maxBytes)
        return tooLarge(
            m_name, QStringLiteral("member %1 is larger than %2 MB").arg(path).arg(m_options.maxBytes >> 20));
    auto data = readMember(path);
    if (!data)
        return std::unexpected(data.error());
    if (formatName(m_archive.get()) == QLatin1String("raw"))
        path = rawMemberName(m_name);
    m_contents.members.push_back({ path, std::move(*data) });
    return true;
}

Expected<ArchiveContents> Extractor::run()
{
    if (m_options.depth > m_options.maxDepth)
        return tooLarge(m_name, QStringLiteral("archives nested more than %1 deep").arg(m_options.maxDepth));
    m_archive = openReader(m_data);
    if (!m_archive)
        return fail(Error::Code::Corrupt, QStringLiteral("%1 is not a readable archive").arg(m_name).toStdString());
    archive_entry *entry = nullptr;
    int r;
    while ((r = archive_read_next_header(m_archive.get(), &entry)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
        if (++m_entries > m_options.maxMembers)
            return tooLarge(m_name, QStringLiteral("more than %1 members").arg(m_options.maxMembers));
        if (auto ok = visit(entry); !ok)
            return std::unexpected(ok.error());
    }
    if (r != ARCHIVE_EOF)
        return fail(Error::Code::Corrupt,
            QStringLiteral("%1 is damaged: %2")
                .arg(m_name, QString::fromLocal8Bit(archive_error_string(m_archive.get())))
                .toStdString());
    m_contents.format = formatName(m_archive.get());
    m_contents.compression = compressionName(m_archive.get());
    if (m_contents.format == QLatin1String("raw"))
        m_contents.format = m_contents.compression;
    if (m_contents.expandedBytes > RatioFloorBytes
        && double(m_contents.expandedBytes) / double(m_data.size()) > m_options.maxCompressionRatio)
        return tooLarge(m_name,
            QStringLiteral("expands more than %1 times overall (decompression bomb)")
                .arg(m_options.maxCompressionRatio));
    return std::move(m_contents);
}

} // namespace

bool ArchiveReader::isSafePath(const QString &path)
{
    if (path.isEmpty() || path.startsWith(QLatin1Char('/')) || path.startsWith(QLatin1Char('\\'))
        || path.contains(QChar(0)))
        return false;
    if (path.size() >= 2 && path[1] == QLatin1Char(':'))
        return false; // C:\ or C:relative
    const QStringList parts = QString(path).replace(QLatin1Char('\\'), QLatin1Char('/')).split(QLatin1Char('/'));
    return !parts.contains(QStringLiteral(".."));
}

bool ArchiveReader::isSafeLink(const QString &linkPath, const QString &target)
{
    if (target.isEmpty() || target.startsWith(QLatin1Char('/')) || target.startsWith(QLatin1Char('\\'))
        || (target.size() >= 2 && target[1] == QLatin1Char(':')))
        return false;
    QStringList stack = linkPath.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (!stack.isEmpty())
        stack.removeLast(); // the link's own name
    for (const QString &part : QString(target).replace(QLatin1Char('\\'), QLatin1Char('/')).split(QLatin1Char('/'))) {
        if (part.isEmpty() || part == QLatin1String("."))
            continue;
        if (part == QLatin1String("..")) {
            if (stack.isEmpty())
                return false;
            stack.removeLast();
        } else {
            stack.append(part);
        }
    }
    return true;
}

Expected<ArchiveContents> ArchiveReader::extract(
    const QByteArray &data, const QString &name, const ReadOptions &options)
{
    return Extractor(data, name, options).run();
}

Expected<ParsedDocument> ArchiveReader::read(const QByteArray &data, const QString &name, const ReadOptions &options)
{
    auto contents = extract(data, name, options);
    if (!contents)
        return std::unexpected(contents.error());
    if (contents->members.empty())
        return fail(Error::Code::Empty, QStringLiteral("%1 holds no files").arg(name).toStdString());
    ParsedDocument doc;
    doc.type = contents->format;
    doc.metadata.insert(QStringLiteral("members"), qint64(contents->members.size()));
    doc.metadata.insert(QStringLiteral("expandedBytes"), contents->expandedBytes);
    if (!contents->compression.isEmpty())
        doc.metadata.insert(QStringLiteral("compression"), contents->compression);
    if (contents->skippedLinks > 0)
        doc.metadata.insert(QStringLiteral("skippedLinks"), contents->skippedLinks);
    for (ArchiveMember &m : contents->members)
        doc.children.push_back({ m.path, std::move(m.data), QString() });
    return doc;
}

} // namespace quire::ingest
