#include "segmenter.h"

#include <algorithm>
#include <unicode/brkiter.h>
#include <unicode/filteredbrk.h>
#include <unicode/ubrk.h>
#include <unicode/uloc.h>
#include <unicode/utext.h>

namespace quire::ingest
{

namespace
{

struct BreakIteratorCloser {
    void operator()(UBreakIterator *iterator) const { ubrk_close(iterator); }
};
using BreakIteratorPtr = std::unique_ptr<UBreakIterator, BreakIteratorCloser>;

QByteArray icuLocale(const QString &locale)
{
    QByteArray id = "en";
    if (!locale.isEmpty()) {
        char buffer[ULOC_FULLNAME_CAPACITY] = {};
        UErrorCode status = U_ZERO_ERROR;
        int32_t parsed = 0;
        const QByteArray tag = locale.toLatin1();
        uloc_forLanguageTag(tag.constData(), buffer, sizeof buffer, &parsed, &status);
        if (U_SUCCESS(status) && buffer[0] != '\0')
            id = buffer;
    }
    return id;
}

// Abbreviations ICU's English list lacks but that rarely end a sentence in contracts, filings and novels.
constexpr const char16_t *ExtraEnglishAbbreviations[] = { u"Dr.",
    u"St.",
    u"Jr.",
    u"Sr.",
    u"Messrs.",
    u"Mmes.",
    u"Gen.",
    u"Gov.",
    u"Sen.",
    u"Hon.",
    u"Rt.",
    u"Fig.",
    u"fig.",
    u"Figs.",
    u"Sec.",
    u"Secs.",
    u"Art.",
    u"Para.",
    u"para.",
    u"Vol.",
    u"vol.",
    u"Ch.",
    u"ch.",
    u"No.",
    u"Nos.",
    u"e.g.",
    u"i.e.",
    u"cf.",
    u"Cf.",
    u"viz.",
    u"approx.",
    u"v.",
    u"vs.",
    u"Bros.",
    u"Cir.",
    u"Cal.",
    u"Supp.",
    u"F.2d",
    u"F.3d" };

// ICU's sentence iterator wrapped in a filter that suppresses breaks after the locale's abbreviations
// (ICU's "ss=standard" data: "Mr.", "e.g." ...) and, for English, after ExtraEnglishAbbreviations.
std::unique_ptr<icu::BreakIterator> openSentenceIterator(const QByteArray &locale)
{
    const icu::Locale where(locale.constData());
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> base(icu::BreakIterator::createSentenceInstance(where, status));
    if (U_FAILURE(status))
        return nullptr;
    std::unique_ptr<icu::FilteredBreakIteratorBuilder> builder(
        icu::FilteredBreakIteratorBuilder::createInstance(where, status));
    if (U_FAILURE(status) || !builder)
        return base;
    if (qstrcmp(where.getLanguage(), "en") == 0) {
        for (const char16_t *abbreviation : ExtraEnglishAbbreviations) {
            UErrorCode ignored = U_ZERO_ERROR;
            builder->suppressBreakAfter(icu::UnicodeString(abbreviation), ignored);
        }
    }
    std::unique_ptr<icu::BreakIterator> filtered(builder->build(base.release(), status));
    return U_SUCCESS(status) ? std::move(filtered) : nullptr;
}

BreakIteratorPtr openIterator(UBreakIteratorType type, const QByteArray &locale)
{
    UErrorCode status = U_ZERO_ERROR;
    BreakIteratorPtr iterator(ubrk_open(type, locale.constData(), nullptr, 0, &status));
    if (U_FAILURE(status))
        return nullptr;
    return iterator;
}

const UChar *icuChars(const QChar *chars)
{
    return reinterpret_cast<const UChar *>(chars);
}

bool hasLetterOrDigit(const QChar *chars, int start, int end)
{
    for (int i = start; i < end; ++i) {
        if (chars[i].isLetterOrNumber() || chars[i].isHighSurrogate())
            return true;
    }
    return false;
}

bool isCjkPause(QChar c)
{
    return c == QChar(0xFF0C) || c == QChar(0x3001) || c == QChar(0xFF1B) || c == QChar(0xFF1A) || c == QChar(0x3002);
}

} // namespace

struct Segmenter::Impl {
    QByteArray locale;
    std::unique_ptr<icu::BreakIterator> sentences;
    BreakIteratorPtr words;
    int maxLength = DefaultMaxSentenceLength;
    QString buffer; // the range with lone line breaks turned into spaces

    void appendPieces(const QChar *chars, int start, int end, int base, std::vector<TextRange> &out) const;
    int cutPoint(const QChar *chars, int start, int end) const;
};

Segmenter::Segmenter(const QString &locale)
    : d(std::make_unique<Impl>())
{
    d->locale = icuLocale(locale);
    d->sentences = openSentenceIterator(d->locale);
    d->words = openIterator(UBRK_WORD, d->locale);
}

Segmenter::~Segmenter() = default;

bool Segmenter::isValid() const
{
    return d->sentences && d->words;
}

QString Segmenter::locale() const
{
    return QString::fromLatin1(d->locale);
}

void Segmenter::setMaxSentenceLength(int units)
{
    d->maxLength = std::max(16, units);
}

int Segmenter::maxSentenceLength() const
{
    return d->maxLength;
}

// Where to cut a run-on sentence [start, end) that is longer than maxLength: after the last line break,
// space or CJK pause in the second half of the window, else at the bound itself (never inside a
// surrogate pair).
int Segmenter::Impl::cutPoint(const QChar *chars, int start, int end) const
{
    const int limit = std::min(end, start + maxLength);
    const int floor = start + maxLength / 2;
    for (auto accept : { +[](QChar c) { return c == QLatin1Char('\n'); },
             +[](QChar c) { return c.isSpace(); },
             +[](QChar c) { return isCjkPause(c) || c == QLatin1Char(',') || c == QLatin1Char(';'); } }) {
        for (int i = limit - 1; i > floor; --i) {
            if (accept(chars[i]))
                return i + 1;
        }
    }
    return chars[limit - 1].isHighSurrogate() ? limit - 1 : limit;
}

// Trims [start, end) (relative to chars), splits it when too long and appends the pieces (offset by base).
void Segmenter::Impl::appendPieces(const QChar *chars, int start, int end, int base, std::vector<TextRange> &out) const
{
    while (start < end) {
        while (start < end && chars[start].isSpace())
            ++start;
        while (end > start && chars[end - 1].isSpace())
            --end;
        if (start >= end)
            return;
        const int cut = end - start > maxLength ? cutPoint(chars, start, end) : end;
        int pieceEnd = cut;
        while (pieceEnd > start && chars[pieceEnd - 1].isSpace())
            --pieceEnd;
        if (hasLetterOrDigit(chars, start, pieceEnd))
            out.push_back({ base + start, base + pieceEnd });
        start = cut;
    }
}

std::vector<TextRange> Segmenter::sentences(const QString &text, int from, int to)
{
    std::vector<TextRange> out;
    if (to < 0 || to > text.size())
        to = static_cast<int>(text.size());
    from = std::clamp(from, 0, to);
    const int length = to - from;
    if (length == 0)
        return out;
    const QChar *original = text.constData() + from;
    if (!d->sentences) {
        d->appendPieces(original, 0, length, from, out);
        return out;
    }
    // ICU ends a sentence at every line break; only paragraph breaks (empty lines) should.
    d->buffer.resize(length);
    QChar *buffer = d->buffer.data();
    std::copy(original, original + length, buffer);
    for (int i = 0; i < length; ++i) {
        if (buffer[i] == QLatin1Char('\n') || buffer[i] == QLatin1Char('\r')) {
            const bool previousBreak = i > 0 && original[i - 1] == QLatin1Char('\n');
            const bool nextBreak = i + 1 < length && original[i + 1] == QLatin1Char('\n');
            if (!previousBreak && !nextBreak)
                buffer[i] = QLatin1Char(' ');
        }
    }
    UErrorCode status = U_ZERO_ERROR;
    UText utext = UTEXT_INITIALIZER;
    utext_openUChars(&utext, icuChars(buffer), length, &status);
    d->sentences->setText(&utext, status);
    if (U_FAILURE(status)) {
        utext_close(&utext);
        d->appendPieces(original, 0, length, from, out);
        return out;
    }
    int start = d->sentences->first();
    for (int end = d->sentences->next(); end != icu::BreakIterator::DONE; end = d->sentences->next()) {
        d->appendPieces(original, start, end, from, out);
        start = end;
    }
    // The iterator keeps a shallow clone of the UText; drop it before the buffer changes.
    d->sentences->setText(icu::UnicodeString());
    utext_close(&utext);
    return out;
}

std::vector<TextRange> Segmenter::words(const QString &text, int from, int to)
{
    std::vector<TextRange> out;
    if (to < 0 || to > text.size())
        to = static_cast<int>(text.size());
    from = std::clamp(from, 0, to);
    if (to == from || !d->words)
        return out;
    UErrorCode status = U_ZERO_ERROR;
    UBreakIterator *iterator = d->words.get();
    ubrk_setText(iterator, icuChars(text.constData() + from), to - from, &status);
    if (U_FAILURE(status))
        return out;
    int start = ubrk_first(iterator);
    for (int end = ubrk_next(iterator); end != UBRK_DONE; end = ubrk_next(iterator)) {
        if (ubrk_getRuleStatus(iterator) >= UBRK_WORD_NONE_LIMIT)
            out.push_back({ from + start, from + end });
        start = end;
    }
    return out;
}

} // namespace quire::ingest
