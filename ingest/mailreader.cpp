#include "ingest/mailreader.h"

#include "ingest/htmlreader.h"
#include "ingest/textdecoder.h"

#include <QJsonArray>

// GLib names a struct member `signals`, which Qt defines as a keyword macro.
#undef signals
#include <gmime/gmime.h>
#include <memory>
#include <mutex>

namespace quire::ingest
{

namespace
{

struct GObjectUnref {
    void operator()(gpointer p) const
    {
        if (p)
            g_object_unref(p);
    }
};
template <typename T> using GPtr = std::unique_ptr<T, GObjectUnref>;
struct GFree {
    void operator()(gpointer p) const { g_free(p); }
};
using GCharPtr = std::unique_ptr<char, GFree>;

void ensureGMime()
{
    static std::once_flag once;
    std::call_once(once, [] { g_mime_init(); });
}

QString fromUtf8(const char *s)
{
    return s ? QString::fromUtf8(s).trimmed() : QString();
}

GPtr<GMimeStream> memoryStream(const QByteArray &data)
{
    return GPtr<GMimeStream>(g_mime_stream_mem_new_with_buffer(data.constData(), size_t(data.size())));
}

// Bytes of a part with its transfer encoding (base64, quoted-printable) undone.
QByteArray decodedContent(GMimePart *part)
{
    GMimeDataWrapper *wrapper = g_mime_part_get_content(part);
    if (!wrapper)
        return {};
    GPtr<GMimeStream> out(g_mime_stream_mem_new());
    g_mime_data_wrapper_write_to_stream(wrapper, out.get());
    GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out.get()));
    return QByteArray(reinterpret_cast<const char *>(bytes->data), qsizetype(bytes->len));
}

QByteArray serialized(GMimeObject *object)
{
    GPtr<GMimeStream> out(g_mime_stream_mem_new());
    g_mime_object_write_to_stream(object, nullptr, out.get());
    GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out.get()));
    return QByteArray(reinterpret_cast<const char *>(bytes->data), qsizetype(bytes->len));
}

QString partText(GMimePart *part)
{
    const QByteArray bytes = decodedContent(part);
    const QString charset = fromUtf8(g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset"));
    QString text;
    if (!charset.isEmpty() && !isValidUtf8(bytes) && convertWithCharset(bytes, charset, &text))
        return normalizeText(text);
    return decodeText(bytes, charset).text;
}

bool isType(GMimeObject *object, const char *type, const char *subtype)
{
    GMimeContentType *ct = g_mime_object_get_content_type(object);
    return ct && g_mime_content_type_is_type(ct, type, subtype);
}

struct Body {
    QString plain;
    QString html;
    std::vector<ChildDocument> attachments;
};

void collectParts(GMimeObject *object, Body *body);

void collectLeaf(GMimePart *part, Body *body)
{
    GMimeObject *object = GMIME_OBJECT(part);
    GMimeContentDisposition *disposition = g_mime_object_get_content_disposition(object);
    const bool attachment = disposition && g_mime_content_disposition_is_attachment(disposition);
    const QString filename = fromUtf8(g_mime_part_get_filename(part));
    const bool plain = isType(object, "text", "plain"), html = isType(object, "text", "html");
    if (!attachment && filename.isEmpty() && (plain || html)) {
        QString &target = plain ? body->plain : body->html;
        if (!target.isEmpty())
            target += QStringLiteral("\n\n");
        target += partText(part);
        return;
    }
    GMimeContentType *ct = g_mime_object_get_content_type(object);
    GCharPtr mime(ct ? g_mime_content_type_get_mime_type(ct) : nullptr);
    const QString name
        = filename.isEmpty() ? QStringLiteral("attachment-%1").arg(body->attachments.size() + 1) : filename;
    body->attachments.push_back({ name, decodedContent(part), fromUtf8(mime.get()) });
}

void collectParts(GMimeObject *object, Body *body)
{
    if (GMIME_IS_MULTIPART(object)) {
        GMimeMultipart *multipart = GMIME_MULTIPART(object);
        const int count = g_mime_multipart_get_count(multipart);
        if (isType(object, "multipart", "alternative")) {
            // Alternatives say the same thing: keep one plain and one HTML rendering at most.
            Body alt;
            for (int i = 0; i < count; ++i)
                collectParts(g_mime_multipart_get_part(multipart, i), &alt);
            body->plain += alt.plain;
            if (alt.plain.isEmpty())
                body->html += alt.html;
            std::move(alt.attachments.begin(), alt.attachments.end(), std::back_inserter(body->attachments));
            return;
        }
        for (int i = 0; i < count; ++i)
            collectParts(g_mime_multipart_get_part(multipart, i), body);
    } else if (GMIME_IS_MESSAGE_PART(object)) {
        GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
        if (inner) {
            const QString subject = fromUtf8(g_mime_message_get_subject(inner));
            body->attachments.push_back(
                { (subject.isEmpty() ? QStringLiteral("message") : subject) + QStringLiteral(".eml"),
                    serialized(GMIME_OBJECT(inner)),
                    QStringLiteral("message/rfc822") });
        }
    } else if (GMIME_IS_PART(object)) {
        collectLeaf(GMIME_PART(object), body);
    }
}

QString addresses(GMimeMessage *message, GMimeAddressType type)
{
    static const char *const headers[] = { "Sender", "From", "Reply-To", "To", "Cc", "Bcc" };
    InternetAddressList *list = g_mime_message_get_addresses(message, type);
    if (list && internet_address_list_length(list) > 0) {
        GCharPtr text(internet_address_list_to_string(list, nullptr, FALSE));
        const QString parsed = fromUtf8(text.get()).simplified();
        if (parsed.contains(QLatin1Char('@')))
            return parsed;
    }
    // Addresses GMime cannot parse (Enron's "c..gossett@enron.com"): the header as written.
    const int index = int(type);
    const char *raw
        = index >= 0 && index < 6 ? g_mime_object_get_header(GMIME_OBJECT(message), headers[index]) : nullptr;
    if (!raw)
        return {};
    GCharPtr decoded(g_mime_utils_header_decode_text(nullptr, raw));
    return fromUtf8(decoded.get()).simplified();
}

// Real mail breaks the RFCs in every way; be as lenient as GMime allows.
struct ParserOptionsFree {
    void operator()(GMimeParserOptions *o) const { g_mime_parser_options_free(o); }
};
std::unique_ptr<GMimeParserOptions, ParserOptionsFree> lenientOptions()
{
    std::unique_ptr<GMimeParserOptions, ParserOptionsFree> options(g_mime_parser_options_new());
    g_mime_parser_options_set_address_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_parameter_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_rfc2047_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_allow_addresses_without_domain(options.get(), TRUE);
    return options;
}

void fillHeaders(GMimeMessage *message, ParsedDocument *doc)
{
    QJsonObject &m = doc->metadata;
    const QString from = addresses(message, GMIME_ADDRESS_TYPE_FROM);
    const QString subject = fromUtf8(g_mime_message_get_subject(message));
    m.insert(QStringLiteral("from"), from);
    m.insert(QStringLiteral("to"), addresses(message, GMIME_ADDRESS_TYPE_TO));
    m.insert(QStringLiteral("cc"), addresses(message, GMIME_ADDRESS_TYPE_CC));
    m.insert(QStringLiteral("subject"), subject);
    m.insert(QStringLiteral("messageId"), fromUtf8(g_mime_message_get_message_id(message)));
    GMimeObject *object = GMIME_OBJECT(message);
    const char *inReplyTo = g_mime_object_get_header(object, "In-Reply-To");
    if (GMimeReferences *refs = inReplyTo ? g_mime_references_parse(nullptr, inReplyTo) : nullptr) {
        if (g_mime_references_length(refs) > 0)
            m.insert(QStringLiteral("inReplyTo"), fromUtf8(g_mime_references_get_message_id(refs, 0)));
        g_mime_references_free(refs);
    }
    QJsonArray references;
    if (const char *header = g_mime_object_get_header(object, "References")) {
        GMimeReferences *refs = g_mime_references_parse(nullptr, header);
        for (int i = 0; refs && i < g_mime_references_length(refs); ++i)
            references.append(fromUtf8(g_mime_references_get_message_id(refs, i)));
        if (refs)
            g_mime_references_free(refs);
    }
    m.insert(QStringLiteral("references"), references);
    if (GDateTime *date = g_mime_message_get_date(message)) {
        GCharPtr iso(g_date_time_format_iso8601(date));
        doc->created = fromUtf8(iso.get());
        m.insert(QStringLiteral("date"), doc->created);
    }
    doc->title = subject;
    doc->author = from;
}

QString headerBlock(const ParsedDocument &doc)
{
    QString out;
    for (const char *key : { "from", "to", "cc", "date", "subject" }) {
        const QString value = doc.metadata.value(QLatin1String(key)).toString();
        if (value.isEmpty())
            continue;
        QString label = QString::fromLatin1(key);
        label[0] = label[0].toUpper();
        out += label + QStringLiteral(": ") + value + QLatin1Char('\n');
    }
    return out;
}

} // namespace

Expected<ParsedDocument> MailReader::readMessage(const QByteArray &data, const QString &name, const ReadOptions &)
{
    ensureGMime();
    GPtr<GMimeStream> stream = memoryStream(data);
    GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
    GPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), lenientOptions().get()));
    if (!message)
        return fail(Error::Code::Corrupt, QStringLiteral("%1 is not a readable mail message").arg(name).toStdString());
    ParsedDocument doc;
    doc.type = QStringLiteral("eml");
    fillHeaders(message.get(), &doc);
    Body body;
    if (GMimeObject *root = g_mime_message_get_mime_part(message.get()))
        collectParts(root, &body);
    QString text = body.plain.trimmed().isEmpty() ? HtmlReader::extract(body.html).text : body.plain;
    ParsedPage page;
    page.text = headerBlock(doc) + QLatin1Char('\n') + text.trimmed();
    if (page.text.trimmed().isEmpty() && body.attachments.empty())
        return fail(Error::Code::Empty, QStringLiteral("%1: the message is empty").arg(name).toStdString());
    doc.pages.push_back(std::move(page));
    doc.metadata.insert(QStringLiteral("attachments"), qint64(body.attachments.size()));
    doc.children = std::move(body.attachments);
    return doc;
}

Expected<ParsedDocument> MailReader::readMbox(const QByteArray &data, const QString &name, const ReadOptions &options)
{
    ensureGMime();
    GPtr<GMimeStream> stream = memoryStream(data);
    GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
    g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MBOX);
    const auto parserOptions = lenientOptions();
    ParsedDocument doc;
    doc.type = QStringLiteral("mbox");
    std::vector<std::pair<qint64, qint64>> ranges; // (headers begin, "From " line) of each message
    while (!g_mime_parser_eos(parser.get())) {
        GPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), parserOptions.get()));
        if (!message)
            break;
        ranges.emplace_back(
            g_mime_parser_get_headers_begin(parser.get()), g_mime_parser_get_mbox_marker_offset(parser.get()));
        if (qsizetype(ranges.size()) > options.maxMembers)
            return fail(Error::Code::TooLarge,
                QStringLiteral("%1: refused, more than %2 messages").arg(name).arg(options.maxMembers).toStdString());
    }
    if (ranges.empty())
        return fail(Error::Code::Corrupt, QStringLiteral("%1 holds no mail messages").arg(name).toStdString());
    for (size_t i = 0; i < ranges.size(); ++i) {
        const qint64 begin = ranges[i].first;
        const qint64 end = i + 1 < ranges.size() ? ranges[i + 1].second : data.size();
        doc.children.push_back({ QStringLiteral("message-%1.eml").arg(i + 1, 4, 10, QLatin1Char('0')),
            data.mid(begin, std::max<qint64>(0, end - begin)),
            QStringLiteral("message/rfc822") });
    }
    doc.metadata.insert(QStringLiteral("messages"), qint64(ranges.size()));
    return doc;
}

} // namespace quire::ingest
