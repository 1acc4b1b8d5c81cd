#include "ingest/documentreader.h"

#include "ingest/archivereader.h"
#include "ingest/epubreader.h"
#include "ingest/htmlreader.h"
#include "ingest/mailreader.h"
#include "ingest/markdownreader.h"
#include "ingest/ocrengine.h"
#include "ingest/pdfreader.h"
#include "ingest/textreader.h"

#include <QFile>
#include <QFileInfo>

namespace quire::ingest
{

namespace
{

constexpr qsizetype HeadBytes = 4096;

bool startsWithAt(const QByteArray &head, qsizetype at, const char *magic, qsizetype size)
{
    return head.size() >= at + size && std::memcmp(head.constData() + at, magic, size_t(size)) == 0;
}

QString lowerSuffix(const QString &name)
{
    const QString file = name.section(QLatin1Char('/'), -1);
    const qsizetype dot = file.indexOf(QLatin1Char('.'));
    return dot < 0 ? QString() : file.mid(dot + 1).toLower();
}

QString detectArchive(const QByteArray &head, const QString &name)
{
    if (startsWithAt(head, 0, "PK\x03\x04", 4) || startsWithAt(head, 0, "PK\x05\x06", 4)) {
        // EPUB's first member is "mimetype", stored, holding "application/epub+zip" (some writers add an extra field).
        const bool epubMimetype
            = startsWithAt(head, 30, "mimetype", 8) && head.mid(38, 128).contains("application/epub+zip");
        if (epubMimetype || lowerSuffix(name).endsWith(QLatin1String("epub")))
            return QStringLiteral("epub");
        return QStringLiteral("zip");
    }
    if (startsWithAt(head, 0, "7z\xBC\xAF\x27\x1C", 6))
        return QStringLiteral("7z");
    if (startsWithAt(head, 257, "ustar", 5))
        return QStringLiteral("tar");
    if (startsWithAt(head, 0, "\x1F\x8B", 2))
        return QStringLiteral("gzip");
    if (startsWithAt(head, 0, "BZh", 3) && head.size() > 3 && head[3] >= '1' && head[3] <= '9')
        return QStringLiteral("bzip2");
    if (startsWithAt(head,
            0,
            "\xFD"
            "7zXZ\x00",
            6))
        return QStringLiteral("xz");
    if (startsWithAt(head, 0, "\x28\xB5\x2F\xFD", 4))
        return QStringLiteral("zstd");
    if (startsWithAt(head, 0, "Rar!\x1A\x07", 6))
        return QStringLiteral("rar");
    return {};
}

bool looksLikeHtml(const QByteArray &head)
{
    QByteArray h = head.left(1024).trimmed().toLower();
    if (h.startsWith("\xEF\xBB\xBF"))
        h = h.mid(3).trimmed();
    if (h.startsWith("<?xml"))
        return h.contains("<html") || h.contains("<!doctype html");
    return h.startsWith("<!doctype html") || h.startsWith("<html") || h.startsWith("<head") || h.startsWith("<body")
        || (h.startsWith("<!--") && h.contains("<html"));
}

bool looksLikeMail(const QByteArray &head)
{
    if (head.startsWith("From ") && head.indexOf('\n') > 0)
        return head.mid(head.indexOf('\n') + 1, 200).contains(':');
    static const char *const fields[]
        = { "\nfrom:", "\nto:", "\nsubject:", "\ndate:", "\nmessage-id:", "\nreceived:", "\nmime-version:" };
    const QByteArray h = '\n' + head.toLower();
    const qsizetype colon = h.indexOf(':'), newline = h.indexOf('\n', 1);
    if (colon < 0 || (newline >= 0 && colon > newline) || h.mid(1, colon - 1).contains(' '))
        return false; // the first line must be a header field
    int found = 0;
    for (const char *f : fields)
        found += h.contains(f);
    return found >= 2;
}

bool looksBinary(const QByteArray &head)
{
    if (head.startsWith("\xFF\xFE") || head.startsWith("\xFE\xFF"))
        return false;
    int zeros = 0;
    for (char c : head)
        zeros += c == 0;
    if (zeros == 0)
        return false;
    // UTF-16 without a byte-order mark has zeros in every other byte; anything else with NULs is binary.
    int evenZero = 0, oddZero = 0;
    for (qsizetype i = 0; i + 1 < head.size(); i += 2) {
        evenZero += head[i] == 0;
        oddZero += head[i + 1] == 0;
    }
    return !(evenZero > head.size() / 8 && oddZero == 0) && !(oddZero > head.size() / 8 && evenZero == 0);
}

QString detectByExtension(const QString &suffix)
{
    const QString last = suffix.section(QLatin1Char('.'), -1);
    if (last == QLatin1String("md") || last == QLatin1String("markdown") || last == QLatin1String("mkd"))
        return QStringLiteral("markdown");
    if (last == QLatin1String("html") || last == QLatin1String("htm") || last == QLatin1String("xhtml"))
        return QStringLiteral("html");
    if (last == QLatin1String("eml"))
        return QStringLiteral("eml");
    if (last == QLatin1String("mbox") || last == QLatin1String("mbx"))
        return QStringLiteral("mbox");
    return QStringLiteral("text");
}

QString unsupportedReason(const QByteArray &head, const QString &suffix)
{
    static const QStringList office = { QStringLiteral("docx"),
        QStringLiteral("xlsx"),
        QStringLiteral("pptx"),
        QStringLiteral("odt"),
        QStringLiteral("ods"),
        QStringLiteral("odp"),
        QStringLiteral("doc"),
        QStringLiteral("xls"),
        QStringLiteral("ppt") };
    if (office.contains(suffix.section(QLatin1Char('.'), -1)))
        return QStringLiteral("office documents (%1) are not supported yet; export them to PDF").arg(suffix);
    if (head.startsWith("{\\rtf"))
        return QStringLiteral("RTF is not supported yet; export it to PDF or text");
    if (head.startsWith("\x89PNG") || head.startsWith("\xFF\xD8\xFF") || head.startsWith("GIF8")
        || head.startsWith("II*\0") || head.startsWith("MM\0*"))
        return QStringLiteral("images are not read on their own; put scans in a PDF to have them OCR'd");
    return {};
}

Expected<ParsedDocument> dispatch(
    const QString &type, const QByteArray &data, const QString &name, const ReadOptions &o)
{
    if (type == QLatin1String("pdf"))
        return PdfReader::read(data, name, o);
    if (type == QLatin1String("markdown"))
        return MarkdownReader::read(data, name, o);
    if (type == QLatin1String("html"))
        return HtmlReader::read(data, name, o);
    if (type == QLatin1String("epub"))
        return EpubReader::read(data, name, o);
    if (type == QLatin1String("eml"))
        return MailReader::readMessage(data, name, o);
    if (type == QLatin1String("mbox"))
        return MailReader::readMbox(data, name, o);
    if (type == QLatin1String("text"))
        return TextReader::read(data, name, o);
    return ArchiveReader::read(data, name, o);
}

} // namespace

QString detectType(const QByteArray &head, const QString &name)
{
    const QString suffix = lowerSuffix(name);
    if (head.left(1024).contains("%PDF-"))
        return QStringLiteral("pdf");
    if (const QString reason = unsupportedReason(head, suffix); !reason.isEmpty())
        return {};
    if (const QString archive = detectArchive(head, name); !archive.isEmpty())
        return archive;
    if (looksBinary(head))
        return {};
    if (looksLikeHtml(head))
        return QStringLiteral("html");
    if (looksLikeMail(head))
        return head.startsWith("From ") ? QStringLiteral("mbox") : QStringLiteral("eml");
    return detectByExtension(suffix);
}

QString detectFileType(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return detectType(file.read(HeadBytes), path);
}

Expected<ParsedDocument> readData(const QByteArray &data, const QString &name, const ReadOptions &options)
{
    if (data.isEmpty())
        return fail(Error::Code::Empty, QStringLiteral("%1 is empty (0 bytes)").arg(name).toStdString());
    if (data.size() > options.maxBytes)
        return fail(Error::Code::TooLarge,
            QStringLiteral("%1 is %2 MB, over the %3 MB limit")
                .arg(name)
                .arg(data.size() >> 20)
                .arg(options.maxBytes >> 20)
                .toStdString());
    const QByteArray head = data.left(HeadBytes);
    const QString type = detectType(head, name);
    if (type.isEmpty()) {
        QString reason = unsupportedReason(head, lowerSuffix(name));
        if (reason.isEmpty())
            reason = QStringLiteral("unsupported file type (binary content)");
        return fail(Error::Code::Unsupported, QStringLiteral("%1: %2").arg(name, reason).toStdString());
    }
    return dispatch(type, data, name, options);
}

Expected<ParsedDocument> readFile(const QString &path, const ReadOptions &options)
{
    const QFileInfo info(path);
    if (!info.exists())
        return fail(Error::Code::NotFound, QStringLiteral("%1 does not exist").arg(path).toStdString());
    if (!info.isFile())
        return fail(Error::Code::Unsupported, QStringLiteral("%1 is not a regular file").arg(path).toStdString());
    if (info.size() > options.maxBytes)
        return fail(Error::Code::TooLarge,
            QStringLiteral("%1 is %2 MB, over the %3 MB limit")
                .arg(path)
                .arg(info.size() >> 20)
                .arg(options.maxBytes >> 20)
                .toStdString());
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(Error::Code::Io, QStringLiteral("cannot read %1: %2").arg(path, file.errorString()).toStdString());
    const QByteArray data = file.readAll();
    if (data.size() != info.size())
        return fail(Error::Code::Io, QStringLiteral("cannot read %1: short read").arg(path).toStdString());
    return readData(data, info.fileName(), options);
}

ReadOptions childOptions(const ReadOptions &parent, const ParsedDocument &container)
{
    ReadOptions child = parent;
    child.depth = parent.depth + 1;
    const qint64 used = container.metadata.value(QStringLiteral("expandedBytes")).toInteger();
    child.maxExpandedBytes = std::max<qint64>(0, parent.maxExpandedBytes - used);
    return child;
}

bool ocrAvailable()
{
    return OcrEngine::available();
}

} // namespace quire::ingest
