#include "ingest/htmlreader.h"

#include "ingest/htmlentities.h"
#include "ingest/textdecoder.h"

#include <QRegularExpression>

namespace quire::ingest
{

namespace
{

enum class Break { None, Space, Line, Paragraph };

// Accumulates text with collapsed whitespace and pending line breaks, so offsets are final when recorded.
class TextBuilder
{
public:
    void text(QStringView chunk, bool preformatted);
    void requestBreak(Break b) { m_pending = std::max(m_pending, b); }
    qsizetype size() const { return m_out.size(); }
    // Appends U+200B where a heading starts (input ZWSPs are dropped, so markers are unambiguous): pending
    // breaks are flushed first, so the marker's offset is the heading text's offset once it is removed.
    qsizetype marker()
    {
        flushPending();
        m_out += QChar(0x200B);
        return m_out.size() - 1;
    }
    QString finish();

private:
    void flushPending();
    QString m_out;
    Break m_pending = Break::None;
};

void TextBuilder::flushPending()
{
    if (m_pending == Break::None)
        return;
    if (m_out.isEmpty()) {
        m_pending = Break::None;
        return;
    }
    while (!m_out.isEmpty() && m_out.back() == QLatin1Char(' '))
        m_out.chop(1);
    if (m_pending == Break::Paragraph)
        m_out += m_out.endsWith(QLatin1Char('\n')) ? QStringLiteral("\n") : QStringLiteral("\n\n");
    else if (m_pending == Break::Line && !m_out.endsWith(QLatin1Char('\n')))
        m_out += QLatin1Char('\n');
    else if (m_pending == Break::Space && !m_out.endsWith(QLatin1Char('\n')))
        m_out += QLatin1Char(' ');
    m_pending = Break::None;
}

void TextBuilder::text(QStringView chunk, bool preformatted)
{
    const QString decoded = normalizeText(HtmlReader::decodeEntities(chunk));
    for (QChar c : decoded) {
        if (c == QChar(0x200B))
            continue;
        const bool space = c == QLatin1Char(' ') || c == QLatin1Char('\n') || c == QLatin1Char('\t')
            || c == QLatin1Char('\f') || c == QChar(0xA0);
        if (preformatted) {
            flushPending();
            m_out += c == QChar(0xA0) ? QChar(QLatin1Char(' ')) : c;
        } else if (space) {
            m_pending = std::max(m_pending, Break::Space);
        } else {
            flushPending();
            m_out += c;
        }
    }
}

QString TextBuilder::finish()
{
    while (!m_out.isEmpty() && m_out.back().isSpace())
        m_out.chop(1);
    return m_out;
}

struct Tag {
    QString name; // lower case
    bool closing = false;
    bool selfClosing = false;
    QString attributes; // raw
};

QString attribute(const QString &attributes, const QString &key)
{
    const QRegularExpression re(QStringLiteral("(?:^|\\s)%1\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s>]+))").arg(key),
        QRegularExpression::CaseInsensitiveOption);
    const auto m = re.match(attributes);
    if (!m.hasMatch())
        return {};
    for (int i = 1; i <= 3; ++i)
        if (m.capturedLength(i) > 0 || m.capturedStart(i) >= 0)
            return HtmlReader::decodeEntities(m.captured(i)).trimmed();
    return {};
}

// Parses the tag starting at html[pos] == '<'; returns the index after '>' (or the end of input).
qsizetype parseTag(const QString &html, qsizetype pos, Tag *tag)
{
    qsizetype i = pos + 1;
    if (i < html.size() && html[i] == QLatin1Char('/')) {
        tag->closing = true;
        ++i;
    }
    const qsizetype nameStart = i;
    while (
        i < html.size() && (html[i].isLetterOrNumber() || html[i] == QLatin1Char(':') || html[i] == QLatin1Char('-')))
        ++i;
    tag->name = html.mid(nameStart, i - nameStart).toLower();
    if (const qsizetype colon = tag->name.lastIndexOf(QLatin1Char(':')); colon >= 0)
        tag->name = tag->name.mid(colon + 1); // xhtml:h1
    const qsizetype attrStart = i;
    QChar quote;
    while (i < html.size()) {
        const QChar c = html[i];
        if (!quote.isNull()) {
            if (c == quote)
                quote = QChar();
        } else if (c == QLatin1Char('"') || c == QLatin1Char('\'')) {
            quote = c;
        } else if (c == QLatin1Char('>')) {
            break;
        }
        ++i;
    }
    tag->attributes = html.mid(attrStart, i - attrStart);
    tag->selfClosing = tag->attributes.endsWith(QLatin1Char('/'));
    return std::min(i + 1, html.size());
}

Break breakFor(const QString &name)
{
    static const QSet<QString> paragraph = { "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "table",
        "ul",
        "ol",
        "dl",
        "hr",
        "section",
        "article",
        "figure",
        "address" };
    static const QSet<QString> line = { "br",
        "div",
        "li",
        "tr",
        "dt",
        "dd",
        "header",
        "footer",
        "nav",
        "aside",
        "main",
        "figcaption",
        "form",
        "fieldset",
        "details",
        "summary",
        "caption",
        "body",
        "legend",
        "option",
        "center" };
    if (paragraph.contains(name))
        return Break::Paragraph;
    if (line.contains(name))
        return Break::Line;
    if (name == QLatin1String("td") || name == QLatin1String("th"))
        return Break::Space;
    return Break::None;
}

bool isRawText(const QString &name)
{
    return name == QLatin1String("script") || name == QLatin1String("style") || name == QLatin1String("template")
        || name == QLatin1String("noscript") || name == QLatin1String("title") || name == QLatin1String("textarea");
}

// Index of "</name" (case-insensitive) at or after pos, or the end of input.
qsizetype findClosing(const QString &html, qsizetype pos, const QString &name)
{
    const qsizetype at = html.indexOf(QLatin1String("</") + name, pos, Qt::CaseInsensitive);
    return at < 0 ? html.size() : at;
}

class Extractor
{
public:
    explicit Extractor(const QString &html)
        : m_html(html)
    {
    }
    HtmlText run();

private:
    qsizetype skipMarkup(qsizetype pos);
    void handleTag(const Tag &tag, qsizetype *pos);
    void closeHeading();

    const QString &m_html;
    TextBuilder m_builder;
    HtmlText m_result;
    int m_preDepth = 0;
    int m_headingLevel = 0;
    qsizetype m_headingStart = -1;
};

qsizetype Extractor::skipMarkup(qsizetype pos)
{
    if (m_html.mid(pos, 4) == QLatin1String("<!--")) {
        const qsizetype end = m_html.indexOf(QLatin1String("-->"), pos + 4);
        return end < 0 ? m_html.size() : end + 3;
    }
    if (m_html.mid(pos, 9) == QLatin1String("<![CDATA[")) {
        const qsizetype end = m_html.indexOf(QLatin1String("]]>"), pos + 9);
        m_builder.text(QStringView(m_html).mid(pos + 9, (end < 0 ? m_html.size() : end) - pos - 9), m_preDepth > 0);
        return end < 0 ? m_html.size() : end + 3;
    }
    const qsizetype end = m_html.indexOf(QLatin1Char('>'), pos);
    return end < 0 ? m_html.size() : end + 1; // <!DOCTYPE>, <?xml?>
}

void Extractor::closeHeading()
{
    if (m_headingLevel == 0)
        return;
    m_result.sections.push_back({ m_headingLevel, QString(), 1, int(m_headingStart) });
    m_headingLevel = 0;
}

void Extractor::handleTag(const Tag &tag, qsizetype *pos)
{
    if (!tag.closing && isRawText(tag.name) && !tag.selfClosing) {
        const qsizetype end = findClosing(m_html, *pos, tag.name);
        if (tag.name == QLatin1String("title") && m_result.title.isEmpty())
            m_result.title = HtmlReader::decodeEntities(QStringView(m_html).mid(*pos, end - *pos)).simplified();
        const qsizetype close = m_html.indexOf(QLatin1Char('>'), end);
        *pos = close < 0 ? m_html.size() : close + 1;
        return;
    }
    if (tag.name == QLatin1String("html") && !tag.closing) {
        m_result.language = attribute(tag.attributes, QStringLiteral("lang"));
        if (m_result.language.isEmpty())
            m_result.language = attribute(tag.attributes, QStringLiteral("xml:lang"));
    } else if (tag.name == QLatin1String("meta")) {
        const QString key = attribute(tag.attributes, QStringLiteral("name")).toLower();
        if (key == QLatin1String("author") || key == QLatin1String("dc.creator"))
            m_result.author = attribute(tag.attributes, QStringLiteral("content"));
    } else if (tag.name == QLatin1String("pre")) {
        m_preDepth = std::max(0, m_preDepth + (tag.closing ? -1 : 1));
    } else if (tag.name == QLatin1String("img") && !tag.closing) {
        m_builder.text(attribute(tag.attributes, QStringLiteral("alt")), false);
    }
    const bool heading = tag.name.size() == 2 && tag.name[0] == QLatin1Char('h') && tag.name[1] >= QLatin1Char('1')
        && tag.name[1] <= QLatin1Char('6');
    if (heading && tag.closing)
        closeHeading();
    m_builder.requestBreak(breakFor(tag.name));
    if (heading && !tag.closing && !tag.selfClosing) {
        closeHeading();
        m_headingStart = m_builder.marker();
        m_headingLevel = tag.name[1].digitValue();
    }
}

HtmlText Extractor::run()
{
    qsizetype pos = 0;
    while (pos < m_html.size()) {
        const qsizetype lt = m_html.indexOf(QLatin1Char('<'), pos);
        const qsizetype textEnd = lt < 0 ? m_html.size() : lt;
        if (textEnd > pos)
            m_builder.text(QStringView(m_html).mid(pos, textEnd - pos), m_preDepth > 0);
        if (lt < 0)
            break;
        const QChar next = lt + 1 < m_html.size() ? m_html[lt + 1] : QChar();
        if (next == QLatin1Char('!') || next == QLatin1Char('?')) {
            pos = skipMarkup(lt);
        } else if (next.isLetter() || next == QLatin1Char('/')) {
            Tag tag;
            pos = parseTag(m_html, lt, &tag);
            handleTag(tag, &pos);
        } else {
            m_builder.text(u"<", m_preDepth > 0);
            pos = lt + 1;
        }
    }
    closeHeading();
    QString text = m_builder.finish();
    // Remove the heading markers (every U+200B left is one, in order), shifting offsets, and read each
    // heading's text.
    text.remove(QChar(0x200B));
    std::vector<ParsedSection> sections;
    int removed = 0;
    for (ParsedSection &s : m_result.sections) {
        s.offset -= removed++;
        const qsizetype eol = text.indexOf(QLatin1Char('\n'), s.offset);
        s.title = text.mid(s.offset, (eol < 0 ? text.size() : eol) - s.offset).simplified();
        if (!s.title.isEmpty())
            sections.push_back(s);
    }
    m_result.sections = std::move(sections);
    m_result.text = std::move(text);
    return std::move(m_result);
}

} // namespace

HtmlText HtmlReader::extract(const QString &html)
{
    return Extractor(html).run();
}

QString HtmlReader::decode(const QByteArray &data, QString *encoding)
{
    static const QRegularExpression charsetRe(
        QStringLiteral("(?:<meta[^>]*charset\\s*=\\s*[\"']?|<\\?xml[^>]*encoding\\s*=\\s*[\"'])([A-Za-z0-9_:.-]+)"),
        QRegularExpression::CaseInsensitiveOption);
    const auto m = charsetRe.match(QString::fromLatin1(data.left(4096)));
    DecodedText decoded = decodeText(data, m.hasMatch() ? m.captured(1) : QString());
    if (encoding)
        *encoding = decoded.encoding;
    return std::move(decoded.text);
}

QString HtmlReader::decodeEntities(QStringView text)
{
    if (!text.contains(QLatin1Char('&')))
        return text.toString();
    QString out;
    out.reserve(text.size());
    qsizetype i = 0;
    while (i < text.size()) {
        const qsizetype amp = text.indexOf(QLatin1Char('&'), i);
        if (amp < 0) {
            out += text.mid(i);
            break;
        }
        out += text.mid(i, amp - i);
        const qsizetype semi = text.indexOf(QLatin1Char(';'), amp + 1);
        QString decoded;
        if (semi > amp + 1 && semi - amp <= 32)
            decoded = htmlEntity(text.mid(amp + 1, semi - amp - 1));
        if (decoded.isEmpty()) {
            out += QLatin1Char('&');
            i = amp + 1;
        } else {
            out += decoded;
            i = semi + 1;
        }
    }
    return out;
}

Expected<ParsedDocument> HtmlReader::read(const QByteArray &data, const QString &name, const ReadOptions &)
{
    QString encoding;
    HtmlText html = extract(decode(data, &encoding));
    if (html.text.trimmed().isEmpty())
        return fail(Error::Code::Empty, QStringLiteral("%1 holds no text").arg(name).toStdString());
    ParsedDocument doc;
    doc.type = QStringLiteral("html");
    doc.title = html.title;
    doc.author = html.author;
    doc.language = html.language;
    doc.metadata.insert(QStringLiteral("encoding"), encoding);
    doc.sections = std::move(html.sections);
    ParsedPage page;
    page.text = std::move(html.text);
    doc.pages.push_back(std::move(page));
    return doc;
}

} // namespace quire::ingest
