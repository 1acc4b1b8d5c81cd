#pragma once

// Test fixtures for the GUI: libraries built directly with store::Library, without the ingest
// pipeline. Paged documents get a simple synthetic layout (Letter pages, 11 pt lines, fixed advance
// per character) so that the page view, word-box selection and highlights can be exercised; the text
// itself is real (the bundled public-domain samples) or given by the test.

#include "store/library.h"
#include "util/textutil.h"

#include <QFile>
#include <QRegularExpression>
#include <QStringList>

namespace quire::ui::test
{

struct SampleDocument {
    QString path;
    QString title;
    QString author;
    QString type; // "text" or "pdf" (laid out on pages)
    QString text;
};

inline bool isSentenceEnd(const QString &text, qsizetype i)
{
    const QChar c = text.at(i);
    if (c == QChar(0x3002) || c == QChar(0xFF01) || c == QChar(0xFF1F))
        return true;
    if (c != QLatin1Char('.') && c != QLatin1Char('!') && c != QLatin1Char('?'))
        return false;
    return i + 1 >= text.size() || text.at(i + 1).isSpace() || text.at(i + 1) == QLatin1Char('"');
}

// Sentences: ends at . ! ? (before a space) and 。！？, never across a blank line.
inline std::vector<store::SentenceRecord> segmentSentences(const QString &text)
{
    std::vector<store::SentenceRecord> out;
    qsizetype start = 0;
    auto flush = [&](qsizetype end) {
        while (start < end && text.at(start).isSpace())
            ++start;
        qsizetype e = end;
        while (e > start && text.at(e - 1).isSpace())
            --e;
        if (e > start)
            out.push_back({ 0, 0, 1, int(start), int(e), text.mid(start, e - start) });
        start = end;
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (isSentenceEnd(text, i))
            flush(i + 1);
        else if (text.at(i) == QLatin1Char('\n') && i + 1 < text.size() && text.at(i + 1) == QLatin1Char('\n'))
            flush(i);
    }
    flush(text.size());
    return out;
}

// Lays the text out on Letter pages; every word (every CJK character) gets a box.
inline std::vector<store::PageRecord> layOut(const QString &text)
{
    constexpr double Width = 612, Height = 792, Margin = 72, Line = 14, Font = 11;
    std::vector<store::PageRecord> pages;
    store::PageRecord page;
    double x = Margin, y = Margin;
    auto newPage = [&](int at) {
        page.end = at;
        pages.push_back(std::move(page));
        page = store::PageRecord { int(pages.size()) + 1, at, at, Width, Height, false, {} };
        y = Margin;
    };
    page = store::PageRecord { 1, 0, 0, Width, Height, false, {} };
    auto newLine = [&](int at) {
        x = Margin;
        y += Line;
        if (y + Line > Height - Margin)
            newPage(at);
    };
    qsizetype i = 0;
    while (i < text.size()) {
        if (text.at(i) == QLatin1Char('\n')) {
            newLine(int(i));
            ++i;
            continue;
        }
        if (text.at(i).isSpace()) {
            x += Font * 0.3;
            ++i;
            continue;
        }
        qsizetype j = i + 1;
        if (!util::isCjk(text.at(i).unicode()))
            while (j < text.size() && !text.at(j).isSpace() && !util::isCjk(text.at(j).unicode()))
                ++j;
        const double advance = util::isCjk(text.at(i).unicode()) ? Font : Font * 0.5 * double(j - i);
        if (x + advance > Width - Margin && x > Margin)
            newLine(int(i));
        page.words.push_back({ int(i), int(j), float(x), float(y), float(x + advance), float(y + Font * 1.2) });
        x += advance;
        i = j;
    }
    page.end = int(text.size());
    pages.push_back(std::move(page));
    return pages;
}

inline store::DocumentContent contentFor(const SampleDocument &doc, const QRegularExpression &heading)
{
    store::DocumentContent c;
    c.text = doc.text;
    c.sentences = segmentSentences(doc.text);
    if (doc.type == QLatin1String("pdf"))
        c.pages = layOut(doc.text);
    else
        c.pages.push_back({ 1, 0, int(doc.text.size()), 0, 0, false, {} });
    for (auto &s : c.sentences) {
        for (const auto &p : c.pages) {
            if (s.start >= p.start && s.start < qMax(p.end, p.start + 1))
                s.page = p.page;
        }
    }
    auto it = heading.globalMatch(doc.text);
    while (it.hasNext()) {
        const auto m = it.next();
        store::SectionRecord s { 0, 1, m.captured(0).trimmed(), int(m.capturedStart()), int(doc.text.size()), 1 };
        for (const auto &p : c.pages) {
            if (s.start >= p.start)
                s.page = p.page;
        }
        if (!c.sections.empty())
            c.sections.back().end = s.start;
        c.sections.push_back(s);
    }
    return c;
}

inline Expected<std::int64_t> addDocument(store::Library &lib,
    const SampleDocument &doc,
    const QRegularExpression &heading
    = QRegularExpression(QStringLiteral("^(CHAPTER \\d+\\..*|第\\d+章.*)$"), QRegularExpression::MultilineOption))
{
    store::DocumentRecord r;
    r.path = doc.path;
    r.title = doc.title;
    r.author = doc.author;
    r.type = doc.type;
    r.size = doc.text.toUtf8().size();
    r.status = store::DocumentStatus::Ok;
    r.contentHash = QString::number(qHash(doc.text), 16);
    store::DocumentContent content = contentFor(doc, heading);
    r.pageCount = int(content.pages.size());
    return lib.saveDocument(r, content);
}

// Chapters [from, to] of a bundled text ("CHAPTER N." or "第N章" headings; the last match wins, which
// skips a table of contents).
inline QString chapters(const QString &text, int from, int to)
{
    auto start = [&](int n) {
        const QRegularExpression re(
            QStringLiteral("^(CHAPTER %1\\.|第%1章)").arg(n), QRegularExpression::MultilineOption);
        qsizetype found = -1;
        for (auto it = re.globalMatch(text); it.hasNext();)
            found = it.next().capturedStart();
        return found;
    };
    const qsizetype a = start(from);
    const qsizetype b = start(to + 1);
    if (a < 0)
        return {};
    return text.mid(a, b > a ? b - a : -1).trimmed();
}

inline QString readSample(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QString text = QString::fromUtf8(f.readAll());
    text.remove(QChar(0xFEFF));
    text.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    return text;
}

// The sample library: Moby Dick chapters as text and as a paged document, and Three Kingdoms chapters,
// plus one document that failed (password) and one duplicate, so every status has a row.
inline Expected<void> buildSampleLibrary(store::Library &lib, const QString &samplesDir)
{
    const QString moby = readSample(samplesDir + QStringLiteral("/moby-dick.txt"));
    const QString sanguo = readSample(samplesDir + QStringLiteral("/sanguoyanyi-1-10.txt"));
    if (moby.isEmpty() || sanguo.isEmpty())
        return fail(Error::Code::NotFound, "the bundled samples are missing from " + samplesDir.toStdString());
    const QString melville = QStringLiteral("Herman Melville");
    const SampleDocument docs[] = {
        { samplesDir + QStringLiteral("/moby-dick.txt#1-12"),
            QStringLiteral("Moby Dick, chapters 1–12"),
            melville,
            QStringLiteral("text"),
            chapters(moby, 1, 12) },
        { samplesDir + QStringLiteral("/moby-dick-ch28-36.pdf"),
            QStringLiteral("Moby Dick, chapters 28–36"),
            melville,
            QStringLiteral("pdf"),
            chapters(moby, 28, 36) },
        { samplesDir + QStringLiteral("/sanguoyanyi-1-10.txt"),
            QStringLiteral("三国演义 第一至十回"),
            QStringLiteral("罗贯中"),
            QStringLiteral("text"),
            chapters(sanguo, 1, 10) },
    };
    std::int64_t first = 0;
    for (const SampleDocument &d : docs) {
        auto id = addDocument(lib, d);
        if (!id)
            return std::unexpected(id.error());
        if (!first)
            first = *id;
    }
    store::DocumentRecord locked;
    locked.path = samplesDir + QStringLiteral("/contracts/lease-2019.pdf");
    locked.title = QStringLiteral("lease-2019.pdf");
    locked.type = QStringLiteral("pdf");
    locked.status = store::DocumentStatus::PasswordRequired;
    locked.error = QStringLiteral("password required: retry with the document's password");
    if (auto r = lib.upsertDocument(locked); !r)
        return std::unexpected(r.error());
    store::DocumentRecord copy;
    copy.path = samplesDir + QStringLiteral("/copies/moby-dick-1-12.txt");
    copy.title = QStringLiteral("Moby Dick, chapters 1–12 (copy)");
    copy.type = QStringLiteral("text");
    copy.status = store::DocumentStatus::Duplicate;
    copy.duplicateOf = first;
    if (auto r = lib.upsertDocument(copy); !r)
        return std::unexpected(r.error());
    return {};
}

// A small library for unit tests: two text documents, one paged document, one that needs a password
// and one duplicate. Returns the ids of the three readable documents in that order.
inline Expected<std::vector<std::int64_t>> buildSmallLibrary(store::Library &lib)
{
    const SampleDocument docs[] = {
        { QStringLiteral("/archive/contract.txt"),
            QStringLiteral("Contract of Sale"),
            QStringLiteral("Clerk"),
            QStringLiteral("text"),
            QStringLiteral("CHAPTER 1. Parties\nThe buyer shall pay the seller in full. The harbour master witnessed "
                           "the deed.\n\nCHAPTER 2. Terms\nDelivery happens at the harbour in spring. Payment "
                           "follows delivery within thirty days.") },
        { QStringLiteral("/archive/letters.md"),
            QStringLiteral("Letters"),
            QString(),
            QStringLiteral("markdown"),
            QStringLiteral("Dear Ishmael, the whale was seen near the harbour. Write soon.") },
        { QStringLiteral("/archive/minutes.pdf"),
            QStringLiteral("Minutes of the Board"),
            QString(),
            QStringLiteral("pdf"),
            QStringLiteral("CHAPTER 1. Opening\nThe board met on the first of March. The chair opened the meeting. "
                           "A whale of a budget was proposed by the treasurer and debated at length.\n\n"
                           "CHAPTER 2. Votes\nThe motion carried. The meeting closed at noon.") },
    };
    std::vector<std::int64_t> ids;
    for (const SampleDocument &d : docs) {
        auto id = addDocument(lib, d);
        if (!id)
            return std::unexpected(id.error());
        ids.push_back(*id);
    }
    store::DocumentRecord locked;
    locked.path = QStringLiteral("/archive/secret.pdf");
    locked.title = QStringLiteral("secret.pdf");
    locked.type = QStringLiteral("pdf");
    locked.status = store::DocumentStatus::PasswordRequired;
    locked.error = QStringLiteral("password required");
    if (auto r = lib.upsertDocument(locked); !r)
        return std::unexpected(r.error());
    store::DocumentRecord copy;
    copy.path = QStringLiteral("/archive/copy-of-contract.txt");
    copy.title = QStringLiteral("Contract of Sale (copy)");
    copy.type = QStringLiteral("text");
    copy.status = store::DocumentStatus::Duplicate;
    copy.duplicateOf = ids.front();
    if (auto r = lib.upsertDocument(copy); !r)
        return std::unexpected(r.error());
    return ids;
}

} // namespace quire::ui::test
