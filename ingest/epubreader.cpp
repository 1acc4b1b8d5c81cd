#include "ingest/epubreader.h"

#include "ingest/archivereader.h"
#include "ingest/htmlreader.h"

#include <QDir>
#include <QHash>
#include <QRegularExpression>
#include <QUrl>
#include <QXmlStreamReader>

namespace quire::ingest
{

namespace
{

struct ManifestItem {
    QString path; // resolved inside the archive
    QString mediaType;
    QString properties;
};

struct Package {
    QHash<QString, QString> meta; // title, creator, date, language, publisher, identifier (first of each)
    QHash<QString, ManifestItem> manifest;
    QStringList spine; // manifest ids
    QString tocId; // NCX id from <spine toc="">
};

std::unexpected<Error> corrupt(const QString &name, const QString &why)
{
    return fail(Error::Code::Corrupt, QStringLiteral("%1 is not a valid EPUB: %2").arg(name, why).toStdString());
}

QString resolve(const QString &baseDir, const QString &href)
{
    const QString path = QUrl::fromPercentEncoding(href.section(QLatin1Char('#'), 0, 0).toUtf8());
    return QDir::cleanPath(baseDir.isEmpty() ? path : baseDir + QLatin1Char('/') + path);
}

QString rootfilePath(const QByteArray &container)
{
    QXmlStreamReader xml(container);
    while (!xml.atEnd()) {
        if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == QLatin1String("rootfile"))
            return xml.attributes().value(QLatin1String("full-path")).toString();
    }
    return {};
}

void readOpfElement(QXmlStreamReader &xml, const QString &baseDir, Package *pkg)
{
    const QStringView element = xml.name();
    const QXmlStreamAttributes attrs = xml.attributes();
    static const QStringList dcFields = { "title", "creator", "date", "language", "publisher", "identifier" };
    if (xml.namespaceUri() == QLatin1String("http://purl.org/dc/elements/1.1/") && dcFields.contains(element)) {
        const QString key = element.toString();
        const QString value = xml.readElementText(QXmlStreamReader::IncludeChildElements).simplified();
        if (!pkg->meta.contains(key) && !value.isEmpty())
            pkg->meta.insert(key, value);
    } else if (element == QLatin1String("item")) {
        pkg->manifest.insert(attrs.value(QLatin1String("id")).toString(),
            { resolve(baseDir, attrs.value(QLatin1String("href")).toString()),
                attrs.value(QLatin1String("media-type")).toString(),
                attrs.value(QLatin1String("properties")).toString() });
    } else if (element == QLatin1String("spine")) {
        pkg->tocId = attrs.value(QLatin1String("toc")).toString();
    } else if (element == QLatin1String("itemref")) {
        pkg->spine.append(attrs.value(QLatin1String("idref")).toString());
    }
}

Expected<Package> parseOpf(const QByteArray &opf, const QString &opfPath, const QString &name)
{
    Package pkg;
    const QString baseDir = opfPath.contains(QLatin1Char('/')) ? opfPath.section(QLatin1Char('/'), 0, -2) : QString();
    QXmlStreamReader xml(opf);
    while (!xml.atEnd()) {
        if (xml.readNext() == QXmlStreamReader::StartElement)
            readOpfElement(xml, baseDir, &pkg);
    }
    if (xml.hasError() && pkg.spine.isEmpty())
        return corrupt(name, QStringLiteral("package document %1: %2").arg(opfPath, xml.errorString()));
    if (pkg.spine.isEmpty())
        return corrupt(name, QStringLiteral("the package document lists no chapters"));
    return pkg;
}

QString stripTags(const QString &html)
{
    static const QRegularExpression tag(QStringLiteral("<[^>]*>"));
    return HtmlReader::decodeEntities(QString(html).remove(tag)).simplified();
}

// Chapter titles by path, from the EPUB 3 nav document or the EPUB 2 NCX (the first entry of a file wins).
QHash<QString, QString> tocTitles(const Package &pkg, const QHash<QString, QByteArray> &files)
{
    QHash<QString, QString> titles;
    auto add = [&titles](const QString &baseDir, const QString &href, const QString &title) {
        const QString path = resolve(baseDir, href);
        if (!title.isEmpty() && !titles.contains(path))
            titles.insert(path, title);
    };
    // The EPUB 3 nav document first: its titles win over the NCX kept for EPUB 2 readers.
    std::vector<ManifestItem> sources;
    for (const ManifestItem &item : pkg.manifest) {
        if (item.properties.split(QLatin1Char(' ')).contains(QLatin1String("nav")))
            sources.insert(sources.begin(), item);
        else if (item.mediaType == QLatin1String("application/x-dtbncx+xml"))
            sources.push_back(item);
    }
    for (const ManifestItem &item : sources) {
        const bool nav = item.properties.split(QLatin1Char(' ')).contains(QLatin1String("nav"));
        const QString text = QString::fromUtf8(files.value(item.path));
        const QString dir
            = item.path.contains(QLatin1Char('/')) ? item.path.section(QLatin1Char('/'), 0, -2) : QString();
        if (nav) {
            static const QRegularExpression tocNav(
                QStringLiteral("<nav[^>]*epub:type=\"[^\"]*toc[^\"]*\"[^>]*>(.*?)</nav>"),
                QRegularExpression::DotMatchesEverythingOption);
            static const QRegularExpression link(QStringLiteral("<a[^>]*href=\"([^\"]*)\"[^>]*>(.*?)</a>"),
                QRegularExpression::DotMatchesEverythingOption);
            const auto section = tocNav.match(text);
            for (auto it = link.globalMatch(section.hasMatch() ? section.captured(1) : text); it.hasNext();) {
                const auto m = it.next();
                add(dir, m.captured(1), stripTags(m.captured(2)));
            }
        } else {
            static const QRegularExpression point(
                QStringLiteral("<navLabel>\\s*<text>(.*?)</text>\\s*</navLabel>\\s*<content[^>]*src=\"([^\"]*)\""),
                QRegularExpression::DotMatchesEverythingOption);
            for (auto it = point.globalMatch(text); it.hasNext();) {
                const auto m = it.next();
                add(dir, m.captured(2), stripTags(m.captured(1)));
            }
        }
    }
    return titles;
}

void fillMetadata(const Package &pkg, ParsedDocument *doc)
{
    doc->title = pkg.meta.value(QStringLiteral("title"));
    doc->author = pkg.meta.value(QStringLiteral("creator"));
    doc->created = pkg.meta.value(QStringLiteral("date"));
    doc->language = pkg.meta.value(QStringLiteral("language"));
    for (auto it = pkg.meta.begin(); it != pkg.meta.end(); ++it)
        doc->metadata.insert(it.key(), it.value());
}

} // namespace

Expected<ParsedDocument> EpubReader::read(const QByteArray &data, const QString &name, const ReadOptions &options)
{
    auto contents = ArchiveReader::extract(data, name, options);
    if (!contents)
        return std::unexpected(contents.error());
    QHash<QString, QByteArray> files;
    for (ArchiveMember &m : contents->members)
        files.insert(m.path, std::move(m.data));
    const QString opfPath = rootfilePath(files.value(QStringLiteral("META-INF/container.xml")));
    if (opfPath.isEmpty() || !files.contains(opfPath))
        return corrupt(name, QStringLiteral("META-INF/container.xml does not name a package document"));
    auto pkg = parseOpf(files.value(opfPath), opfPath, name);
    if (!pkg)
        return std::unexpected(pkg.error());
    ParsedDocument doc;
    doc.type = QStringLiteral("epub");
    fillMetadata(*pkg, &doc);
    const QHash<QString, QString> titles = tocTitles(*pkg, files);
    for (const QString &id : pkg->spine) {
        const ManifestItem item = pkg->manifest.value(id);
        if (!files.contains(item.path))
            continue;
        HtmlText html = HtmlReader::extract(HtmlReader::decode(files.value(item.path)));
        if (html.text.trimmed().isEmpty())
            continue; // covers and image-only pages
        QString title = titles.value(item.path);
        if (title.isEmpty())
            title = !html.sections.empty() ? html.sections.front().title : html.title;
        ParsedPage page;
        page.text = std::move(html.text);
        doc.pages.push_back(std::move(page));
        if (!title.isEmpty())
            doc.sections.push_back({ 1, title, int(doc.pages.size()), 0 });
    }
    if (doc.pages.empty())
        return fail(Error::Code::Empty, QStringLiteral("%1: the EPUB holds no text").arg(name).toStdString());
    return doc;
}

} // namespace quire::ingest
