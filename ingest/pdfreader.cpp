#include "ingest/pdfreader.h"

#include "ingest/ocrengine.h"
#include "ingest/pdfdocument.h"
#include "ingest/pdftextlayout.h"

#include <QDateTime>
#include <QThread>
#include <cstring>
#include <thread>

namespace quire::ingest
{

namespace
{

constexpr double OcrDpi = 300;
constexpr double MaxOcrPixels = 7000;
constexpr double BlankCheckDpi = 24;
constexpr int MinLettersPerPage = 12;
constexpr int MaxLettersOfSparsePage = 200;
constexpr int MinPagesPerThread = 8;
constexpr double MinInkShareEmptyPage = 0.005;
constexpr double MinInkShare = 0.04; // print crop marks and rules cover ~2%; a picture of text or a scan 10% and more

std::vector<PdfLine> readLines(const Poppler::Page &page)
{
    const std::vector<std::unique_ptr<Poppler::TextBox>> boxes = page.textList();
    std::vector<PdfLine> lines;
    PdfLine current;
    for (size_t i = 0; i < boxes.size(); ++i) {
        const Poppler::TextBox *box = boxes[i].get();
        current.words.push_back({ box->text(), box->boundingBox(), box->hasSpaceAfter() });
        const bool lineEnds = !box->nextWord() || i + 1 == boxes.size() || box->nextWord() != boxes[i + 1].get();
        if (lineEnds) {
            lines.push_back(std::move(current));
            current = PdfLine();
        }
    }
    return lines;
}

QString isoDate(const Poppler::Document &doc, const char *key)
{
    const QDateTime date = doc.date(QString::fromLatin1(key));
    return date.isValid() ? date.toString(Qt::ISODate) : QString();
}

void readMetadata(const Poppler::Document &doc, ParsedDocument *out)
{
    out->title = doc.info(QStringLiteral("Title")).trimmed();
    out->author = doc.info(QStringLiteral("Author")).trimmed();
    out->created = isoDate(doc, "CreationDate");
    out->modified = isoDate(doc, "ModDate");
    for (const char *key : { "Subject", "Keywords", "Creator", "Producer" }) {
        const QString value = doc.info(QString::fromLatin1(key)).trimmed();
        if (!value.isEmpty())
            out->metadata.insert(QString::fromLatin1(key).toLower(), value);
    }
    Poppler::Document::PdfVersion version = doc.getPdfVersion();
    out->metadata.insert(QStringLiteral("pdfVersion"), QStringLiteral("%1.%2").arg(version.major).arg(version.minor));
    out->metadata.insert(QStringLiteral("encrypted"), doc.isEncrypted());
}

// Offset of the first word at or below `top` (points) on a page: where an outline entry lands.
int offsetAtTop(const ParsedPage &page, double top)
{
    for (const store::WordBox &w : page.words)
        if (w.y1 >= top)
            return w.start;
    return 0;
}

// Outline entries that point into the pages read (doc->firstPage on): page numbers relative to them.
void readOutline(const QVector<Poppler::OutlineItem> &items, int level, ParsedDocument *doc)
{
    for (const Poppler::OutlineItem &item : items) {
        const QSharedPointer<const Poppler::LinkDestination> dest = item.destination();
        const int pageNumber = (dest ? dest->pageNumber() : 0) - doc->firstPage + 1;
        if (pageNumber >= 1 && pageNumber <= int(doc->pages.size()) && !item.name().trimmed().isEmpty()) {
            const ParsedPage &page = doc->pages[size_t(pageNumber - 1)];
            const int offset = dest->isChangeTop() ? offsetAtTop(page, dest->top() * page.height) : 0;
            doc->sections.push_back({ level, item.name().simplified(), pageNumber, offset });
        }
        if (item.hasChildren() && level < 16)
            readOutline(item.children(), level + 1, doc);
    }
}

// Share of the page's pixels inked outside the extracted words' boxes, at a low resolution: near zero for a
// blank page or a short page of real text (a part title), high for scans and pictures of text.
double inkOutsideWords(const Poppler::Page &page, const std::vector<store::WordBox> &words)
{
    QImage image = page.renderToImage(BlankCheckDpi, BlankCheckDpi).convertToFormat(QImage::Format_Grayscale8);
    if (image.isNull() || image.width() == 0 || image.height() == 0)
        return 0;
    const double scale = BlankCheckDpi / 72.0;
    for (const store::WordBox &w : words) {
        const int x0 = std::max(0, int(w.x0 * scale) - 1), y0 = std::max(0, int(w.y0 * scale) - 1);
        const int x1 = std::min(image.width() - 1, int(w.x1 * scale) + 1);
        const int y1 = std::min(image.height() - 1, int(w.y1 * scale) + 1);
        for (int y = y0; y <= y1; ++y)
            std::memset(image.scanLine(y) + x0, 255, size_t(std::max(0, x1 - x0 + 1)));
    }
    qsizetype dark = 0;
    for (int y = 0; y < image.height(); ++y) {
        const uchar *row = image.constScanLine(y);
        for (int x = 0; x < image.width(); ++x)
            dark += row[x] < 200;
    }
    return double(dark) / (double(image.width()) * image.height());
}

qsizetype letterCount(const QString &s)
{
    return std::count_if(s.begin(), s.end(), [](QChar c) { return c.isLetterOrNumber(); });
}

bool overlaps(const store::WordBox &a, const store::WordBox &b)
{
    const float cx = (a.x0 + a.x1) / 2, cy = (a.y0 + a.y1) / 2;
    return cx >= b.x0 - 2 && cx <= b.x1 + 2 && cy >= b.y0 - 2 && cy <= b.y1 + 2;
}

// Appends the OCR words that lie outside the page's own words (a scan under an e-filing stamp, a figure with
// text): the real text stays exact, the picture's text follows it as a paragraph. Returns false when
// nothing new was found.
bool appendOcrWords(const OcrResult &ocr, ParsedPage *out)
{
    std::vector<store::WordBox> extra;
    qsizetype letters = 0;
    for (const store::WordBox &w : ocr.words) {
        if (std::none_of(
                out->words.begin(), out->words.end(), [&w](const store::WordBox &b) { return overlaps(w, b); })) {
            extra.push_back(w);
            letters += letterCount(ocr.text.mid(w.start, w.end - w.start));
        }
    }
    if (letters < MinLettersPerPage)
        return false;
    out->text += QStringLiteral("\n\n");
    for (size_t k = 0; k < extra.size(); ++k) {
        const store::WordBox &w = extra[k];
        if (k > 0) {
            const store::WordBox &p = extra[k - 1];
            const float overlap = std::min(w.y1, p.y1) - std::max(w.y0, p.y0);
            const bool sameLine = overlap > 0.5f * std::min(w.y1 - w.y0, p.y1 - p.y0) && w.x0 >= p.x1 - 2;
            out->text += sameLine ? QLatin1Char(' ') : QLatin1Char('\n');
        }
        store::WordBox placed = w;
        placed.start = std::int32_t(out->text.size());
        out->text += ocr.text.mid(w.start, w.end - w.start);
        placed.end = std::int32_t(out->text.size());
        out->words.push_back(placed);
    }
    return true;
}

// OCRs a page (300 dpi, boxes scaled to points). Garbage or absent text is replaced by Tesseract's; real
// but sparse text is kept and the words Tesseract finds elsewhere on the page are appended.
void ocrPage(const Poppler::Page &page, OcrEngine &engine, ParsedPage *out)
{
    // Less than 300 dpi for posters and drawings, so that the image stays under MaxOcrPixels on its long side.
    const QSizeF points = page.pageSizeF();
    const double longSide = std::max({ points.width(), points.height(), 1.0 }) / 72.0;
    const double dpi = std::min(OcrDpi, MaxOcrPixels / longSide);
    const QImage image = page.renderToImage(dpi, dpi);
    auto result = image.isNull() ? Expected<OcrResult>(std::unexpected(Error {})) : engine.recognize(image);
    const bool garbage = PdfReader::assessText(out->text) == PdfReader::TextYield::Garbage;
    // Whatever happens next, the page is not unreadable unless its own text is garbage and OCR fails.
    out->lowTextYield = garbage;
    if (!result || PdfReader::assessText(result->text) == PdfReader::TextYield::Garbage)
        return;
    const float scale = float(72.0 / dpi);
    for (store::WordBox &w : result->words) {
        w.x0 *= scale;
        w.y0 *= scale;
        w.x1 *= scale;
        w.y1 *= scale;
    }
    if (!garbage && !out->words.empty()) {
        out->ocr = appendOcrWords(*result, out);
        return;
    }
    if (letterCount(result->text) < MinLettersPerPage)
        return;
    out->text = std::move(result->text);
    out->words = std::move(result->words);
    out->ocr = true;
    out->lowTextYield = false;
}

// Poppler's text extraction is the cost; a Poppler::Document is not thread-safe, so each extra thread opens
// its own from the same bytes and takes every n-th page of [first, last).
std::vector<std::vector<PdfLine>> extractLines(
    Poppler::Document &doc, const QByteArray &data, const ReadOptions &options, int first, int last)
{
    std::vector<std::vector<PdfLine>> lines(static_cast<size_t>(doc.numPages()));
    const int count = last - first;
    const int threads = std::clamp(
        options.threads > 0 ? options.threads : QThread::idealThreadCount(), 1, std::max(1, count / MinPagesPerThread));
    std::vector<std::unique_ptr<Poppler::Document>> copies;
    for (int t = 1; t < threads; ++t) {
        auto copy = openPdfDocument(data, QString(), options.password);
        if (!copy)
            break; // fewer threads then
        copies.push_back(std::move(*copy));
    }
    const int used = int(copies.size()) + 1;
    auto work = [&lines, first, last, used](Poppler::Document *d, int offset) {
        for (int i = first + offset; i < last; i += used)
            if (std::unique_ptr<Poppler::Page> page = d->page(i))
                lines[size_t(i)] = readLines(*page);
    };
    std::vector<std::thread> workers;
    for (int t = 1; t < used; ++t)
        workers.emplace_back(work, copies[size_t(t - 1)].get(), t);
    work(&doc, 0);
    for (std::thread &w : workers)
        w.join();
    return lines;
}

// Pages [first, last) of a document, 0-based.
class PageExtractor
{
public:
    PageExtractor(Poppler::Document &doc, const QByteArray &data, const ReadOptions &options, int first, int last)
        : m_doc(doc)
        , m_data(data)
        , m_options(options)
        , m_first(first)
        , m_last(last)
    {
    }
    std::vector<ParsedPage> run(std::vector<store::WordBox> *nextPageWords);

private:
    void joinAcrossPages(std::vector<std::vector<PdfLine>> &lines);
    void handleLowYield(const Poppler::Page &page, bool mostlyText, ParsedPage *out);

    Poppler::Document &m_doc;
    const QByteArray &m_data;
    const ReadOptions &m_options;
    const int m_first;
    const int m_last;
    std::unique_ptr<OcrEngine> m_ocr;
    std::vector<std::optional<PageContinuation>> m_continuations; // per page of the document
};

void PageExtractor::handleLowYield(const Poppler::Page &page, bool mostlyText, ParsedPage *out)
{
    const bool ocrPossible = m_options.ocr && OcrEngine::available();
    // Without OCR, rendering a page only to flag it costs more than the flag is worth (a book's cover alone
    // costs a tenth of reading the book), unless it is a page without words in pages that are mostly not
    // text: a scan, where "the pages look scanned" tells why no text was found.
    if (!ocrPossible && PdfReader::assessText(out->text) != PdfReader::TextYield::Garbage
        && (!out->words.empty() || mostlyText))
        return;
    // A page with no text at all is a scan as soon as anything is printed on it. One with a few words needs
    // more ink outside them: a scanned filing under its e-filing stamp, a picture of text, not just crop
    // marks and rules around a part title. Only short pages are rendered for this.
    if (PdfReader::assessText(out->text) == PdfReader::TextYield::Sparse) {
        const double threshold = out->words.empty() ? MinInkShareEmptyPage : MinInkShare;
        if (inkOutsideWords(page, out->words) < threshold)
            return;
    }
    if (!ocrPossible) {
        out->lowTextYield = true;
        return;
    }
    if (!m_ocr)
        m_ocr = std::make_unique<OcrEngine>();
    ocrPage(page, *m_ocr, out);
}

// Finds the words hyphenated across page breaks, the range's edges included (the pages on either side
// were extracted for that): the continuation leaves the next page's first line and joins the page's text.
void PageExtractor::joinAcrossPages(std::vector<std::vector<PdfLine>> &lines)
{
    const int count = int(lines.size());
    m_continuations.assign(lines.size(), std::nullopt);
    std::vector<std::optional<PageJoin>> joins(lines.size());
    for (int p = std::max(0, m_first - 1); p < m_last && p + 1 < count; ++p)
        joins[size_t(p)] = findPageJoin(lines[size_t(p)], lines[size_t(p + 1)]);
    for (int p = std::max(0, m_first - 1); p < m_last && p + 1 < count; ++p) {
        const std::optional<PageJoin> &join = joins[size_t(p)];
        if (!join)
            continue;
        std::vector<PdfLine> &next = lines[size_t(p + 1)];
        m_continuations[size_t(p)] = PageContinuation { join->lastLine, next[join->firstLine].words.front() };
        std::vector<PdfWord> &words = next[join->firstLine].words;
        words.erase(words.begin());
        if (words.empty())
            next.erase(next.begin() + std::ptrdiff_t(join->firstLine));
    }
}

std::vector<ParsedPage> PageExtractor::run(std::vector<store::WordBox> *nextPageWords)
{
    const int count = m_doc.numPages();
    // One page more on either side: words hyphenated across the range's edges.
    std::vector<std::vector<PdfLine>> lines
        = extractLines(m_doc, m_data, m_options, std::max(0, m_first - 1), std::min(count, m_last + 1));
    HyphenLexicon lexicon;
    for (int i = m_first; i < m_last; ++i)
        lexicon.add(lines[size_t(i)]);
    joinAcrossPages(lines);
    std::vector<ParsedPage> pages(static_cast<size_t>(m_last - m_first));
    int good = 0;
    for (int i = m_first; i < m_last; ++i) {
        ParsedPage &out = pages[size_t(i - m_first)];
        PdfPageText text = layoutPage(lines[size_t(i)], lexicon, m_continuations[size_t(i)]);
        out.text = std::move(text.text);
        out.words = std::move(text.words);
        if (i + 1 < m_last)
            pages[size_t(i + 1 - m_first)].continuedWords = std::move(text.nextPageWords);
        else
            *nextPageWords = std::move(text.nextPageWords);
        lines[size_t(i)].clear();
        good += !PdfReader::isLowYield(out.text);
    }
    const bool mostlyText = good * 2 > m_last - m_first;
    for (int i = m_first; i < m_last; ++i) {
        std::unique_ptr<Poppler::Page> page = m_doc.page(i);
        if (!page)
            continue;
        ParsedPage &out = pages[size_t(i - m_first)];
        const QSizeF size = page->pageSizeF();
        out.width = size.width();
        out.height = size.height();
        if (PdfReader::isLowYield(out.text))
            handleLowYield(*page, mostlyText, &out);
    }
    return pages;
}

} // namespace

bool PdfReader::isLowYield(const QString &text)
{
    return assessText(text) != TextYield::Good;
}

PdfReader::TextYield PdfReader::assessText(const QString &text)
{
    int letters = 0, bad = 0, visible = 0;
    for (QChar c : text) {
        if (c.isSpace())
            continue;
        ++visible;
        const char16_t u = c.unicode();
        if (c.isLetterOrNumber())
            ++letters;
        else if (u == 0xFFFD || (u >= 0xE000 && u <= 0xF8FF) || u < 0x20 || (u >= 0x80 && u < 0xA0))
            ++bad;
    }
    if (bad * 4 > visible || (visible > 0 && letters * 5 < visible * 2))
        return TextYield::Garbage; // >25% junk, or <40% letters and digits
    return letters < MaxLettersOfSparsePage ? TextYield::Sparse : TextYield::Good;
}

std::pair<int, int> PdfReader::partRange(int pageCount, int part, int parts)
{
    const int used = std::clamp(pageCount / MinPagesPerPart, 1, std::max(1, parts));
    if (part < 0 || part >= used)
        return { pageCount, pageCount };
    return { int(qint64(pageCount) * part / used), int(qint64(pageCount) * (part + 1) / used) };
}

Expected<ParsedDocument> PdfReader::read(const QByteArray &data, const QString &name, const ReadOptions &options)
{
    auto opened = openPdfDocument(data, name, options.password);
    if (!opened)
        return std::unexpected(opened.error());
    Poppler::Document &doc = **opened;
    if (doc.numPages() <= 0)
        return fail(Error::Code::Corrupt, QStringLiteral("%1 is damaged: it has no pages").arg(name).toStdString());
    const auto [first, last] = partRange(doc.numPages(), options.part, options.parts);
    const bool whole = first == 0 && last == doc.numPages();
    ParsedDocument out;
    out.type = QStringLiteral("pdf");
    out.firstPage = first + 1;
    out.totalPages = doc.numPages();
    readMetadata(doc, &out);
    out.pages = PageExtractor(doc, data, options, first, last).run(&out.nextPageWords);
    readOutline(doc.outline(), 1, &out);
    int ocrPages = 0, lowPages = 0;
    for (const ParsedPage &p : out.pages) {
        ocrPages += p.ocr;
        lowPages += p.lowTextYield;
    }
    const bool noText = std::all_of(out.pages.begin(), out.pages.end(), [](const ParsedPage &p) {
        return p.text.trimmed().isEmpty() && !p.lowTextYield;
    });
    if (noText && whole) // a part without text is not an empty document
        return fail(Error::Code::Empty,
            QStringLiteral("%1 holds no text (its pages are blank, or it is damaged)").arg(name).toStdString());
    out.metadata.insert(QStringLiteral("pages"), out.totalPages);
    if (ocrPages > 0)
        out.metadata.insert(QStringLiteral("ocrPages"), ocrPages);
    if (lowPages > 0)
        out.metadata.insert(QStringLiteral("lowTextYieldPages"), lowPages);
    return out;
}

} // namespace quire::ingest
