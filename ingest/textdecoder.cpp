#include "ingest/textdecoder.h"

#include <memory>
#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>
#include <unicode/unorm2.h>

namespace quire::ingest
{

namespace
{

struct ConverterCloser {
    void operator()(UConverter *c) const { ucnv_close(c); }
};
struct DetectorCloser {
    void operator()(UCharsetDetector *d) const { ucsdet_close(d); }
};
using ConverterPtr = std::unique_ptr<UConverter, ConverterCloser>;
using DetectorPtr = std::unique_ptr<UCharsetDetector, DetectorCloser>;

// ICU's detector does not need a whole novel to decide; this bounds its cost.
constexpr qsizetype DetectionSampleBytes = 256 * 1024;

const UChar *uchars(const QString &s)
{
    return reinterpret_cast<const UChar *>(s.utf16());
}

QString normalizeWith(const UNormalizer2 *norm, const QString &text)
{
    UErrorCode status = U_ZERO_ERROR;
    const int32_t span = unorm2_spanQuickCheckYes(norm, uchars(text), int32_t(text.size()), &status);
    if (U_FAILURE(status) || span == text.size())
        return text;
    QString out(text.size() + text.size() / 4 + 16, Qt::Uninitialized);
    status = U_ZERO_ERROR;
    int32_t len = unorm2_normalize(
        norm, uchars(text), int32_t(text.size()), reinterpret_cast<UChar *>(out.data()), int32_t(out.size()), &status);
    if (status == U_BUFFER_OVERFLOW_ERROR) {
        out.resize(len);
        status = U_ZERO_ERROR;
        len = unorm2_normalize(norm,
            uchars(text),
            int32_t(text.size()),
            reinterpret_cast<UChar *>(out.data()),
            int32_t(out.size()),
            &status);
    }
    if (U_FAILURE(status))
        return text;
    out.resize(len);
    return out;
}

// UTF-16 without a byte-order mark: one byte of most pairs is zero for Latin text.
QString guessBomlessUtf16(const QByteArray &data)
{
    const qsizetype n = std::min<qsizetype>(data.size() & ~qsizetype(1), 8192);
    if (n < 4)
        return {};
    int evenZero = 0, oddZero = 0;
    for (qsizetype i = 0; i < n; i += 2) {
        evenZero += data[i] == 0;
        oddZero += data[i + 1] == 0;
    }
    const int pairs = int(n / 2);
    if (oddZero > pairs * 3 / 10 && evenZero < pairs / 20)
        return QStringLiteral("UTF-16LE");
    if (evenZero > pairs * 3 / 10 && oddZero < pairs / 20)
        return QStringLiteral("UTF-16BE");
    return {};
}

bool hasGb18030FourByteSequences(const QByteArray &data)
{
    for (qsizetype i = 0; i + 1 < data.size(); ++i) {
        const auto b = uchar(data[i]);
        if (b < 0x80)
            continue;
        const auto c = uchar(data[i + 1]);
        if (b >= 0x81 && b <= 0xFE && c >= 0x30 && c <= 0x39)
            return true;
        ++i; // skip the trail byte of a two-byte character
    }
    return false;
}

bool hasC1Bytes(const QByteArray &data)
{
    for (char c : data)
        if (uchar(c) >= 0x80 && uchar(c) <= 0x9F)
            return true;
    return false;
}

// Share of characters that should not appear in text: U+FFFD and control characters other than whitespace.
double junkRatio(const QString &text)
{
    if (text.isEmpty())
        return 0;
    qsizetype junk = 0;
    for (QChar c : text) {
        const char16_t u = c.unicode();
        if (u == 0xFFFD || (u < 0x20 && u != '\n' && u != '\r' && u != '\t' && u != '\f') || (u >= 0x80 && u < 0xA0))
            ++junk;
    }
    return double(junk) / double(text.size());
}

// ICU names the charset; the sanity checks refine what it says about legacy single- and double-byte sets.
QString refineDetectedName(const QString &name, const QByteArray &data)
{
    if (name == QLatin1String("ISO-8859-1") && hasC1Bytes(data))
        return QStringLiteral("windows-1252"); // C1 controls are never text: those bytes are cp1252 punctuation
    if (name == QLatin1String("GB18030") && !hasGb18030FourByteSequences(data))
        return QStringLiteral("GBK");
    return name;
}

QString icuConverterName(const QString &name)
{
    // GB18030 is a superset of GBK; decoding with it also accepts the few GBK files with GB18030 characters.
    if (name == QLatin1String("GBK"))
        return QStringLiteral("GB18030");
    return name;
}

bool detectAndConvert(const QByteArray &data, DecodedText *result)
{
    UErrorCode status = U_ZERO_ERROR;
    DetectorPtr detector(ucsdet_open(&status));
    if (U_FAILURE(status))
        return false;
    const QByteArray sample = data.left(DetectionSampleBytes);
    ucsdet_setText(detector.get(), sample.constData(), int32_t(sample.size()), &status);
    int32_t count = 0;
    const UCharsetMatch **matches = ucsdet_detectAll(detector.get(), &count, &status);
    if (U_FAILURE(status))
        return false;
    for (int32_t i = 0; i < count && i < 6; ++i) {
        UErrorCode s = U_ZERO_ERROR;
        const char *rawName = ucsdet_getName(matches[i], &s);
        if (U_FAILURE(s) || !rawName)
            continue;
        const QString name = refineDetectedName(QString::fromLatin1(rawName), data);
        if (name == QLatin1String("UTF-8"))
            continue; // already known to be invalid UTF-8
        QString text;
        bool replaced = false;
        if (!convertWithCharset(data, icuConverterName(name), &text, &replaced) || junkRatio(text) > 0.01)
            continue;
        *result = DecodedText { std::move(text), name, replaced };
        return true;
    }
    return false;
}

struct BomInfo {
    const char *bytes;
    int size;
    const char *charset;
};

} // namespace

bool isValidUtf8(const QByteArray &data)
{
    const auto *p = reinterpret_cast<const unsigned char *>(data.constData());
    const auto *end = p + data.size();
    while (p < end) {
        if (*p < 0x80) {
            ++p;
            continue;
        }
        int extra;
        char32_t cp;
        if ((*p & 0xE0) == 0xC0) {
            extra = 1;
            cp = *p & 0x1F;
        } else if ((*p & 0xF0) == 0xE0) {
            extra = 2;
            cp = *p & 0x0F;
        } else if ((*p & 0xF8) == 0xF0) {
            extra = 3;
            cp = *p & 0x07;
        } else {
            return false;
        }
        if (end - p <= extra)
            return false;
        for (int k = 1; k <= extra; ++k) {
            if ((p[k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (p[k] & 0x3F);
        }
        static constexpr char32_t minimum[] = { 0, 0x80, 0x800, 0x10000 };
        if (cp < minimum[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        p += extra + 1;
    }
    return true;
}

bool convertWithCharset(const QByteArray &data, const QString &charset, QString *out, bool *replaced)
{
    UErrorCode status = U_ZERO_ERROR;
    ConverterPtr conv(ucnv_open(charset.toLatin1().constData(), &status));
    if (U_FAILURE(status) || !conv)
        return false;
    QString text(data.size() * 2 + 16, Qt::Uninitialized);
    int32_t len = ucnv_toUChars(conv.get(),
        reinterpret_cast<UChar *>(text.data()),
        int32_t(text.size()),
        data.constData(),
        int32_t(data.size()),
        &status);
    if (U_FAILURE(status))
        return false;
    text.resize(len);
    if (replaced)
        *replaced = text.contains(QChar(0xFFFD));
    *out = std::move(text);
    return true;
}

QString normalizeText(QString text)
{
    if (text.startsWith(QChar(0xFEFF)))
        text.remove(0, 1);
    if (text.contains(QLatin1Char('\r'))) {
        text.replace(QLatin1String("\r\n"), QLatin1String("\n"));
        text.replace(QLatin1Char('\r'), QLatin1Char('\n'));
    }
    for (char16_t sep : { char16_t(0x0085), char16_t(0x2028), char16_t(0x2029) })
        if (text.contains(QChar(sep)))
            text.replace(QChar(sep), QLatin1Char('\n'));
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&status);
    return U_SUCCESS(status) ? normalizeWith(nfc, text) : text;
}

QString normalizeExtractedText(const QString &text)
{
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&status);
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&status);
    if (U_FAILURE(status))
        return text;
    QString out;
    bool changed = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t u = text[i].unicode();
        const bool presentation = (u >= 0xFB00 && u <= 0xFDFF) || (u >= 0xFE70 && u <= 0xFEFE);
        if (!presentation && u != 0xFEFF && u != 0x00AD) {
            if (changed)
                out.append(text[i]);
            continue;
        }
        if (!changed) {
            out = text.left(i);
            changed = true;
        }
        if (presentation)
            out.append(normalizeWith(nfkc, QString(QChar(u))));
        // U+FEFF (zero-width no-break space) and U+00AD (soft hyphen) carry nothing for search: dropped.
    }
    return normalizeWith(nfc, changed ? out : text);
}

DecodedText decodeText(const QByteArray &data, const QString &hint)
{
    static constexpr BomInfo boms[] = {
        { "\xEF\xBB\xBF", 3, "UTF-8" },
        { "\xFF\xFE\x00\x00", 4, "UTF-32LE" },
        { "\x00\x00\xFE\xFF", 4, "UTF-32BE" },
        { "\xFF\xFE", 2, "UTF-16LE" },
        { "\xFE\xFF", 2, "UTF-16BE" },
    };
    for (const BomInfo &bom : boms) {
        if (data.startsWith(QByteArray::fromRawData(bom.bytes, bom.size))) {
            DecodedText r { {}, QString::fromLatin1(bom.charset) };
            convertWithCharset(data.mid(bom.size), r.encoding, &r.text, &r.replaced);
            r.text = normalizeText(std::move(r.text));
            return r;
        }
    }
    DecodedText r;
    if (const QString utf16 = guessBomlessUtf16(data); !utf16.isEmpty()) {
        r.encoding = utf16;
        convertWithCharset(data, utf16, &r.text, &r.replaced);
    } else if (isValidUtf8(data)) {
        r = DecodedText { QString::fromUtf8(data), QStringLiteral("UTF-8") };
    } else if (!hint.isEmpty() && hint.compare(QLatin1String("utf-8"), Qt::CaseInsensitive) != 0
        && convertWithCharset(data, icuConverterName(hint), &r.text, &r.replaced)) {
        r.encoding = hint;
    } else if (!detectAndConvert(data, &r)) {
        r.encoding = QStringLiteral("windows-1252"); // every byte decodes; the least surprising fallback
        convertWithCharset(data, r.encoding, &r.text, &r.replaced);
    }
    r.text = normalizeText(std::move(r.text));
    return r;
}

} // namespace quire::ingest
