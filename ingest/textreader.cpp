#include "ingest/textreader.h"

#include "ingest/chapterdetector.h"
#include "ingest/textdecoder.h"

#include <QRegularExpression>

namespace quire::ingest
{

namespace
{

struct GutenbergInfo {
    qsizetype bodyStart = -1;
    qsizetype bodyEnd = -1;
    QString title, author, language;
};

QString headerField(const QString &header, const QString &field)
{
    const QRegularExpression re(QStringLiteral("^%1:[ \\t]*(.+)$").arg(field), QRegularExpression::MultilineOption);
    const auto m = re.match(header);
    return m.hasMatch() ? m.captured(1).trimmed() : QString();
}

GutenbergInfo findGutenberg(const QString &text)
{
    GutenbergInfo info;
    static const QRegularExpression start(QStringLiteral("^\\*\\*\\* ?START OF (THE|THIS) PROJECT GUTENBERG[^\n]*$"),
        QRegularExpression::MultilineOption);
    static const QRegularExpression end(
        QStringLiteral("^\\*\\*\\* ?END OF (THE|THIS) PROJECT GUTENBERG[^\n]*$"), QRegularExpression::MultilineOption);
    const auto s = start.match(text);
    if (!s.hasMatch())
        return info;
    info.bodyStart = s.capturedEnd() + 1;
    const auto e = end.match(text, info.bodyStart);
    info.bodyEnd = e.hasMatch() ? e.capturedStart() : text.size();
    const QString header = text.left(s.capturedStart());
    info.title = headerField(header, QStringLiteral("Title"));
    info.author = headerField(header, QStringLiteral("Author"));
    const QString language = headerField(header, QStringLiteral("Language"));
    static const QHash<QString, QString> codes = {
        { QStringLiteral("English"), QStringLiteral("en") },
        { QStringLiteral("Spanish"), QStringLiteral("es") },
        { QStringLiteral("French"), QStringLiteral("fr") },
        { QStringLiteral("German"), QStringLiteral("de") },
        { QStringLiteral("Italian"), QStringLiteral("it") },
        { QStringLiteral("Chinese"), QStringLiteral("zh") },
    };
    info.language = codes.value(language);
    return info;
}

bool isBlank(const QString &text)
{
    return std::all_of(text.begin(), text.end(), [](QChar c) { return c.isSpace(); });
}

} // namespace

Expected<ParsedDocument> TextReader::read(const QByteArray &data, const QString &name, const ReadOptions &)
{
    DecodedText decoded = decodeText(data);
    if (isBlank(decoded.text))
        return fail(Error::Code::Empty, QStringLiteral("%1 holds no text").arg(name).toStdString());
    ParsedDocument doc;
    doc.type = QStringLiteral("text");
    doc.metadata.insert(QStringLiteral("encoding"), decoded.encoding);
    if (decoded.replaced)
        doc.metadata.insert(QStringLiteral("invalidBytes"), true);
    const GutenbergInfo pg = findGutenberg(decoded.text);
    if (pg.bodyStart >= 0) {
        doc.metadata.insert(QStringLiteral("gutenbergBodyStart"), qint64(pg.bodyStart));
        doc.metadata.insert(QStringLiteral("gutenbergBodyEnd"), qint64(pg.bodyEnd));
        doc.title = pg.title;
        doc.author = pg.author;
        doc.language = pg.language;
        doc.sections = detectChapters(decoded.text, pg.bodyStart, pg.bodyEnd);
    } else {
        doc.sections = detectChapters(decoded.text);
    }
    ParsedPage page;
    page.text = std::move(decoded.text);
    doc.pages.push_back(std::move(page));
    return doc;
}

} // namespace quire::ingest
