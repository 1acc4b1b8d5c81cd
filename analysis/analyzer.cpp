#include "analyzer.h"

#include "analysis/entityextractor.h"
#include "analysis/lexicon.h"
#include "store/analysisstore.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QRegularExpression>
#include <algorithm>
#include <future>

namespace quire::analysis
{

namespace
{

#define QUIRE_TRY(expr)                                                                                                \
    if (auto &&quire_ok = (expr); !quire_ok)                                                                           \
        return std::unexpected(quire_ok.error());

using store::SentenceRecord;

QString sentencesHash(const std::vector<SentenceRecord> &sentences)
{
    QCryptographicHash hash(QCryptographicHash::Sha1);
    for (const SentenceRecord &s : sentences) {
        hash.addData(QByteArray(QByteArray::number(s.id) + ':' + QByteArray::number(s.start) + ':'));
        hash.addData(s.text.toUtf8());
    }
    return QString::fromLatin1(hash.result().toHex());
}

// Sections of the top level present (chapters, not their subsections), in text order.
std::vector<store::SectionRecord> topSections(std::vector<store::SectionRecord> sections)
{
    if (sections.empty())
        return sections;
    int level = sections.front().level;
    for (const auto &s : sections)
        level = std::min(level, s.level);
    std::erase_if(sections, [level](const store::SectionRecord &s) { return s.level != level; });
    std::sort(sections.begin(), sections.end(), [](const auto &a, const auto &b) { return a.start < b.start; });
    return sections;
}

struct Positions {
    std::vector<int> section; // per sentence: 1-based ordinal of its top-level section, 0 before the first
    std::vector<int> paragraph;
};

Positions positions(const std::vector<SentenceRecord> &sentences,
    const std::vector<store::SectionRecord> &sections,
    const QString &text)
{
    std::vector<int> breaks;
    static const QRegularExpression blank(QStringLiteral("\\n[ \\t\\r]*\\n"));
    for (auto it = blank.globalMatch(text); it.hasNext();)
        breaks.push_back(int(it.next().capturedStart()));
    if (breaks.size() * 50 < sentences.size()) { // one paragraph per line (Chinese novels, some exports)
        breaks.clear();
        for (qsizetype at = text.indexOf(QLatin1Char('\n')); at >= 0; at = text.indexOf(QLatin1Char('\n'), at + 1))
            breaks.push_back(int(at));
    }
    Positions p;
    for (const SentenceRecord &s : sentences) {
        const auto sec = std::upper_bound(
            sections.begin(), sections.end(), s.start, [](int v, const auto &r) { return v < r.start; });
        p.section.push_back(int(sec - sections.begin()));
        p.paragraph.push_back(int(std::lower_bound(breaks.begin(), breaks.end(), s.start) - breaks.begin()));
    }
    return p;
}

std::vector<store::SummaryRow> rows(const std::vector<SummarySentence> &chosen)
{
    std::vector<store::SummaryRow> out;
    for (const SummarySentence &s : chosen)
        out.push_back({ s.sentenceId, s.rank, s.score });
    return out;
}

struct Summaries {
    std::vector<store::SummaryRow> document;
    std::vector<std::pair<std::int64_t, std::vector<store::SummaryRow>>> sections;
};

Summaries summarizeDocument(const std::vector<SentenceRecord> &sentences,
    const std::vector<store::SectionRecord> &sections,
    const Positions &pos,
    const QString &language,
    const SummaryOptions &options)
{
    Summaries out;
    out.document = rows(Summarizer::summarize(sentences, language, options));
    for (std::size_t k = 0; k < sections.size(); ++k) {
        std::vector<SentenceRecord> members;
        for (std::size_t i = 0; i < sentences.size(); ++i) {
            if (pos.section[i] == int(k) + 1)
                members.push_back(sentences[i]);
        }
        SummaryOptions o = options;
        o.maxSentences = std::min(options.maxSentences, 10);
        out.sections.push_back({ sections[k].id, rows(Summarizer::summarize(members, language, o)) });
    }
    return out;
}

std::vector<store::MentionRow> mentionRows(const std::vector<Mention> &mentions, const Positions &pos)
{
    std::vector<store::MentionRow> out;
    out.reserve(mentions.size());
    for (const Mention &m : mentions) {
        store::MentionRow r;
        r.sentenceId = m.sentenceId;
        r.section = pos.section[m.sentenceIndex];
        r.paragraph = pos.paragraph[m.sentenceIndex];
        r.start = m.start;
        r.end = m.end;
        r.surface = m.surface;
        r.canonical = m.canonical;
        r.type = typeName(m.type);
        r.key = m.key;
        r.normalized = m.normalized;
        out.push_back(std::move(r));
    }
    return out;
}

Expected<bool> analyseDocument(
    store::Library &library, const store::DocumentRecord &doc, const AnalyzeOptions &options, AnalyzeResult &result)
{
    auto sentences = library.sentences(doc.id);
    QUIRE_TRY(sentences);
    store::AnalysisStore analysis(library);
    const QString hash = sentencesHash(*sentences);
    auto state = analysis.state(doc.id);
    QUIRE_TRY(state);
    if (!options.force && *state && (*state)->version == Analyzer::Version && (*state)->contentHash == hash)
        return false;
    auto sections = library.sections(doc.id);
    QUIRE_TRY(sections);
    auto text = library.documentText(doc.id);
    QUIRE_TRY(text);
    const std::vector<store::SectionRecord> top = topSections(*sections);
    const Positions pos = positions(*sentences, top, *text);
    const QString language = !doc.language.isEmpty()
        ? doc.language.left(2).toLower()
        : Lexicon::instance().detectLanguage(QStringView(*text).left(20000));
    auto summaries = std::async(
        std::launch::async, [&] { return summarizeDocument(*sentences, top, pos, language, options.summary); });
    const QDate date = QDate::fromString(doc.created.left(10), Qt::ISODate);
    const std::vector<Mention> mentions = EntityExtractor::extract(*sentences, language, date);
    const Summaries s = summaries.get();
    const auto mentionTable = mentionRows(mentions, pos);
    QUIRE_TRY(
        analysis.replaceDocument(doc.id, { Analyzer::Version, hash, language }, mentionTable, s.sections, s.document));
    result.mentions += std::int64_t(mentions.size());
    return true;
}

Expected<void> summarizeLibrary(
    store::Library &library, const std::vector<store::DocumentRecord> &docs, const SummaryOptions &options)
{
    store::AnalysisStore analysis(library);
    std::vector<SentenceRecord> pool;
    for (const auto &doc : docs) {
        auto rows = analysis.summary(doc.id);
        QUIRE_TRY(rows);
        for (const auto &r : *rows) {
            auto s = library.sentence(r.sentenceId);
            QUIRE_TRY(s);
            if (*s)
                pool.push_back(**s);
        }
    }
    const QString language
        = pool.empty() ? QStringLiteral("en") : Lexicon::instance().detectLanguage(pool.front().text);
    return analysis.replaceLibrarySummary(rows(Summarizer::summarize(pool, language, options)));
}

} // namespace

Expected<AnalyzeResult> Analyzer::run(
    store::Library &library, const AnalyzeOptions &options, Progress &progress, const CancelToken &cancel)
{
    QElapsedTimer timer;
    timer.start();
    auto all = library.documents();
    QUIRE_TRY(all);
    std::vector<store::DocumentRecord> docs;
    for (const auto &d : *all) {
        if ((!options.documentId || d.id == *options.documentId) && d.status == store::DocumentStatus::Ok)
            docs.push_back(d);
    }
    if (options.documentId && docs.empty())
        return fail(Error::Code::NotFound, "no analysable document with id " + std::to_string(*options.documentId));
    QJsonObject args;
    if (options.documentId)
        args.insert(QStringLiteral("document"), double(*options.documentId));
    auto job = library.startJob(QStringLiteral("analyze"), args);
    QUIRE_TRY(job);
    AnalyzeResult result;
    progress.begin("analyze", std::int64_t(docs.size()));
    for (std::size_t i = 0; i < docs.size(); ++i) {
        if (cancel.isCancelled()) {
            progress.end();
            (void)library.finishJob(*job, QStringLiteral("cancelled"));
            return fail(Error::Code::Cancelled, "analysis stopped; run it again to resume");
        }
        progress.update(
            std::int64_t(i), docs[i].title.isEmpty() ? docs[i].path.toStdString() : docs[i].title.toStdString());
        auto changed = analyseDocument(library, docs[i], options, result);
        if (!changed) {
            progress.end();
            (void)library.finishJob(*job, QStringLiteral("failed"), QString::fromStdString(changed.error().message));
            return std::unexpected(changed.error());
        }
        ++(*changed ? result.analysed : result.unchanged);
        (void)library.updateJob(*job, std::int64_t(i + 1), std::int64_t(docs.size()));
    }
    progress.update(std::int64_t(docs.size()));
    progress.end();
    store::AnalysisStore analysis(library);
    QUIRE_TRY(analysis.rebuildEntities());
    if (result.analysed > 0)
        QUIRE_TRY(summarizeLibrary(library, *all, options.summary));
    auto entities = analysis.entities({ QString(), -1, std::nullopt });
    QUIRE_TRY(entities);
    result.entities = std::int64_t(entities->size());
    result.seconds = timer.elapsed() / 1000.0;
    QUIRE_TRY(library.finishJob(*job, QStringLiteral("done")));
    return result;
}

} // namespace quire::analysis
