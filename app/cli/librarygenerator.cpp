#include "librarygenerator.h"

#include "ingest/documentreader.h"
#include "ingest/segmenter.h"
#include "store/database.h"
#include "store/ingeststore.h"
#include "util/textutil.h"

#include <algorithm>
#include <cmath>

namespace quire::cli::bench
{

namespace
{

constexpr const char *Syllables[] = { "ka",
    "lo",
    "mi",
    "ne",
    "ru",
    "sa",
    "ti",
    "vo",
    "ber",
    "dan",
    "gor",
    "hul",
    "jen",
    "mar",
    "pol",
    "quin",
    "ser",
    "tal",
    "win",
    "zed" };
constexpr int SyllableCount = static_cast<int>(std::size(Syllables));
constexpr int SuffixKinds = SyllableCount * SyllableCount; // one or two syllables
constexpr int SentencesPerPage = 40;
constexpr qsizetype DocumentChars = 64 * 1024;

bool isCjkAt(const QString &text, qsizetype i)
{
    return util::isCjk(text.at(i).unicode());
}

} // namespace

Expected<LibraryGenerator> LibraryGenerator::fromNovels(const QStringList &paths)
{
    LibraryGenerator g;
    ingest::ReadOptions options;
    options.ocr = false;
    for (const QString &path : paths) {
        auto document = ingest::readFile(path, options);
        if (!document)
            return std::unexpected(document.error());
        ingest::Segmenter segmenter(document->language);
        Novel novel;
        for (const ingest::ParsedPage &page : document->pages) {
            for (const ingest::TextRange &r : segmenter.sentences(page.text))
                novel.sentences.push_back(page.text.mid(r.start, r.length()).simplified());
            for (qsizetype i = 0; i < page.text.size(); ++i) {
                if (isCjkAt(page.text, i))
                    novel.characters.append(page.text.at(i));
            }
        }
        if (!novel.sentences.empty())
            g.m_novels.push_back(std::move(novel));
    }
    if (g.m_novels.empty())
        return fail(Error::Code::Empty, "the novels hold no sentences to generate a library from");
    double sum = 0;
    for (int i = 0; i < SuffixKinds; ++i) {
        sum += 1.0 / std::pow(i + 1.0, 1.1);
        g.m_suffixWeights.push_back(sum);
    }
    for (double &w : g.m_suffixWeights)
        w /= sum;
    return g;
}

QString LibraryGenerator::suffix()
{
    const double u = m_random.generateDouble();
    const auto k = static_cast<int>(
        std::lower_bound(m_suffixWeights.begin(), m_suffixWeights.end(), u) - m_suffixWeights.begin());
    const int kind = std::min(k, SuffixKinds - 1);
    QString s = QString::fromLatin1(Syllables[kind % SyllableCount]);
    if (kind >= SyllableCount)
        s += QString::fromLatin1(Syllables[kind / SyllableCount - 1]);
    return s;
}

QString LibraryGenerator::perturbed(const QString &sentence, const Novel &novel)
{
    QString out;
    out.reserve(sentence.size() + 16);
    for (qsizetype i = 0; i < sentence.size(); ++i) {
        const QChar c = sentence.at(i);
        if (isCjkAt(sentence, i) && !novel.characters.isEmpty() && m_random.bounded(20) == 0) {
            out.append(novel.characters.at(m_random.bounded(novel.characters.size())));
            continue;
        }
        out.append(c);
        const bool wordEnds
            = c.isLetter() && !isCjkAt(sentence, i) && (i + 1 == sentence.size() || !sentence.at(i + 1).isLetter());
        if (wordEnds && m_random.bounded(10) == 0)
            out += suffix();
    }
    return out;
}

// About DocumentChars of consecutive sentences of one novel from a random place, perturbed, in pages of
// SentencesPerPage sentences and paragraphs of one to eight; now and then a Japanese sentence.
store::DocumentContent LibraryGenerator::document(const Novel &novel)
{
    store::DocumentContent content;
    auto next = static_cast<std::size_t>(m_random.bounded(static_cast<quint32>(novel.sentences.size())));
    store::PageRecord page;
    while (content.text.size() < DocumentChars) {
        QString sentence = perturbed(novel.sentences[next], novel);
        next = (next + 1) % novel.sentences.size();
        if (m_random.bounded(50) == 0)
            sentence = QString::fromUtf8("私は東京に住んでいます。");
        store::SentenceRecord s;
        s.page = page.page;
        s.start = static_cast<int>(content.text.size());
        content.text += sentence;
        s.end = static_cast<int>(content.text.size());
        s.text = std::move(sentence);
        content.sentences.push_back(std::move(s));
        if (content.sentences.size() % SentencesPerPage == 0) {
            page.end = static_cast<int>(content.text.size());
            content.pages.push_back(page);
            content.text += QStringLiteral("\n\n");
            page.page += 1;
            page.start = static_cast<int>(content.text.size());
        } else {
            content.text += m_random.bounded(8) == 0 ? QStringLiteral("\n\n") : QStringLiteral(" ");
        }
    }
    page.end = static_cast<int>(content.text.size());
    content.pages.push_back(page);
    return content;
}

Expected<void> LibraryGenerator::fill(store::Library &library, int megabytes, Progress &progress)
{
    const qint64 target = static_cast<qint64>(megabytes) << 20;
    progress.begin("generate", megabytes);
    qint64 written = 0;
    auto existing = library.stats();
    const std::int64_t first = existing ? existing->documents : 0;
    for (std::int64_t n = first; written < target; ++n) {
        const Novel &novel = m_novels[static_cast<std::size_t>(n) % m_novels.size()];
        const store::DocumentContent content = document(novel);
        store::DocumentRecord record;
        record.path = QStringLiteral("/generated/doc%1.txt").arg(n, 8, 10, QLatin1Char('0'));
        record.type = QStringLiteral("text");
        record.status = store::DocumentStatus::Ok;
        record.contentHash = QString::number(n);
        record.pageCount = static_cast<int>(content.pages.size());
        record.size = content.text.toUtf8().size();
        if (auto id = store::saveIngested(library, record, content, {}, false); !id)
            return std::unexpected(id.error());
        written += record.size;
        progress.update(written >> 20);
    }
    progress.end();
    return {};
}

} // namespace quire::cli::bench
