#include "ingest/markdownreader.h"

#include "ingest/htmlreader.h"
#include "ingest/textdecoder.h"

#include <QRegularExpression>

namespace quire::ingest
{

namespace
{

struct Block {
    QString text;
    int headingLevel = 0;
};

bool isFence(const QString &line)
{
    return line.startsWith(QLatin1String("```")) || line.startsWith(QLatin1String("~~~"));
}

bool isSetextUnderline(const QString &line, QChar c)
{
    const QString t = line.trimmed();
    return t.size() >= 2 && std::all_of(t.begin(), t.end(), [c](QChar x) { return x == c; });
}

bool isRule(const QString &line)
{
    QString t = line.trimmed();
    t.remove(QLatin1Char(' '));
    return t.size() >= 3
        && (isSetextUnderline(t, QLatin1Char('-')) || isSetextUnderline(t, QLatin1Char('*'))
            || isSetextUnderline(t, QLatin1Char('_')));
}

// Turns one source line into output text, stripping block-level markers.
Block convertLine(const QString &line)
{
    static const QRegularExpression atx(QStringLiteral("^ {0,3}(#{1,6})[ \\t]+(.*?)[ \\t]*#*[ \\t]*$"));
    static const QRegularExpression quote(QStringLiteral("^ {0,3}(> ?)+"));
    static const QRegularExpression bullet(QStringLiteral("^(\\s*)([-*+]|[0-9]{1,9}[.)])[ \\t]+(\\[[ xX]\\][ \\t]+)?"));
    if (const auto m = atx.match(line); m.hasMatch())
        return { MarkdownReader::stripInline(m.captured(2)), int(m.capturedLength(1)) };
    QString text = line;
    text.remove(quote);
    if (const auto m = bullet.match(text); m.hasMatch())
        text = m.captured(1) + text.mid(m.capturedEnd());
    return { MarkdownReader::stripInline(text), 0 };
}

} // namespace

QString MarkdownReader::stripInline(const QString &line)
{
    static const QRegularExpression image(QStringLiteral("!\\[([^\\]]*)\\]\\([^)]*\\)"));
    static const QRegularExpression link(QStringLiteral("\\[([^\\]]*)\\](\\([^)]*\\)|\\[[^\\]]*\\])"));
    static const QRegularExpression autolink(QStringLiteral("<((?:https?|mailto|ftp):[^>\\s]+)>"));
    static const QRegularExpression tag(QStringLiteral("</?[A-Za-z][^>]*>"));
    static const QRegularExpression code(QStringLiteral("(`+)(.+?)\\1"));
    static const QRegularExpression strong(QStringLiteral("(\\*\\*|__)(?=\\S)(.+?)(?<=\\S)\\1"));
    static const QRegularExpression emphasis(QStringLiteral("(?<![\\w*])([*_])(?=\\S)(.+?)(?<=\\S)\\1(?![\\w*])"));
    static const QRegularExpression strike(QStringLiteral("~~(.+?)~~"));
    // Escaped characters are parked in the private-use area so no other rule sees them, then restored.
    QString s;
    s.reserve(line.size());
    for (qsizetype i = 0; i < line.size(); ++i) {
        if (line[i] == QLatin1Char('\\') && i + 1 < line.size()
            && QStringView(u"\\`*_{}[]()#+-.!>~|").contains(line[i + 1])) {
            s += QChar(0xE000 + line[i + 1].unicode());
            ++i;
        } else {
            s += line[i];
        }
    }
    s.replace(image, QStringLiteral("\\1"));
    s.replace(link, QStringLiteral("\\1"));
    s.replace(autolink, QStringLiteral("\\1"));
    s.replace(code, QStringLiteral("\\2"));
    s.replace(tag, QString());
    s.replace(strong, QStringLiteral("\\2"));
    s.replace(emphasis, QStringLiteral("\\2"));
    s.replace(strike, QStringLiteral("\\1"));
    for (QChar &c : s)
        if (c.unicode() >= 0xE000 && c.unicode() < 0xE080)
            c = QChar(c.unicode() - 0xE000);
    return HtmlReader::decodeEntities(s);
}

Expected<ParsedDocument> MarkdownReader::read(const QByteArray &data, const QString &name, const ReadOptions &)
{
    DecodedText decoded = decodeText(data);
    const QStringList lines = decoded.text.split(QLatin1Char('\n'));
    static const QRegularExpression referenceDefinition(QStringLiteral("^ {0,3}\\[[^\\]]+\\]:\\s+\\S+.*$"));
    ParsedDocument doc;
    doc.type = QStringLiteral("markdown");
    doc.metadata.insert(QStringLiteral("encoding"), decoded.encoding);
    QString out;
    bool inFence = false;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString &line = lines[i];
        if (isFence(line.trimmed())) {
            inFence = !inFence;
            continue;
        }
        if (inFence) {
            out += line + QLatin1Char('\n');
            continue;
        }
        const bool underlined = i + 1 < lines.size() && !line.trimmed().isEmpty()
            && (isSetextUnderline(lines[i + 1], QLatin1Char('=')) || isSetextUnderline(lines[i + 1], QLatin1Char('-')));
        if (referenceDefinition.match(line).hasMatch() || (!underlined && isRule(line)))
            continue;
        Block block = convertLine(line);
        if (underlined) {
            block.headingLevel = lines[i + 1].trimmed().startsWith(QLatin1Char('=')) ? 1 : 2;
            ++i;
        }
        if (block.headingLevel > 0 && !block.text.trimmed().isEmpty())
            doc.sections.push_back({ block.headingLevel, block.text.simplified(), 1, int(out.size()) });
        out += block.text + QLatin1Char('\n');
    }
    while (!out.isEmpty() && out.back().isSpace())
        out.chop(1);
    if (out.trimmed().isEmpty())
        return fail(Error::Code::Empty, QStringLiteral("%1 holds no text").arg(name).toStdString());
    if (!doc.sections.empty() && doc.sections.front().level == 1)
        doc.title = doc.sections.front().title;
    ParsedPage page;
    page.text = std::move(out);
    doc.pages.push_back(std::move(page));
    return doc;
}

} // namespace quire::ingest
