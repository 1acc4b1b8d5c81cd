// quire summary LIB [--doc ID] [--section N] [--sentences N | --ratio R]: extractive summaries.
#include "analysis/lexicon.h"
#include "analysis/summarizer.h"
#include "command.h"
#include "store/analysisstore.h"
#include "store/library.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTextStream>
#include <algorithm>

namespace
{

using namespace quire;

struct Scope {
    std::optional<std::int64_t> documentId;
    std::optional<std::int64_t> sectionId;
    std::vector<store::SentenceRecord> sentences; // only filled when a summary is computed now
};

// The N-th (1-based) top-level section, as `quire analyze` numbers chapters.
Expected<store::SectionRecord> sectionByOrdinal(store::Library &library, std::int64_t documentId, int n)
{
    auto sections = library.sections(documentId);
    if (!sections)
        return std::unexpected(sections.error());
    int level = 1 << 30;
    for (const auto &s : *sections)
        level = std::min(level, s.level);
    std::vector<store::SectionRecord> top;
    for (const auto &s : *sections) {
        if (s.level == level)
            top.push_back(s);
    }
    std::sort(top.begin(), top.end(), [](const auto &a, const auto &b) { return a.start < b.start; });
    if (n < 1 || n > int(top.size()))
        return fail(Error::Code::NotFound,
            "document " + std::to_string(documentId) + " has " + std::to_string(top.size())
                + " sections; there is no section " + std::to_string(n));
    return top[n - 1];
}

QJsonObject toJson(const store::SentenceRecord &s, int rank)
{
    return QJsonObject { { QStringLiteral("sentence"), qint64(s.id) },
        { QStringLiteral("document"), qint64(s.documentId) },
        { QStringLiteral("page"), s.page },
        { QStringLiteral("start"), s.start },
        { QStringLiteral("end"), s.end },
        { QStringLiteral("rank"), rank },
        { QStringLiteral("text"), s.text } };
}

int print(cli::Context &ctx, store::Library &library, const std::vector<std::pair<std::int64_t, int>> &chosen)
{
    QJsonArray array;
    QTextStream out(stdout);
    for (const auto &[id, rank] : chosen) {
        auto s = library.sentence(id);
        if (!s)
            return ctx.fail(s.error());
        if (!*s)
            continue;
        if (ctx.json())
            array.append(toJson(**s, rank));
        else
            out << "[doc " << (*s)->documentId << " p." << (*s)->page << " s." << id << "] " << (*s)->text.simplified()
                << '\n';
    }
    if (ctx.json())
        ctx.printJson(array);
    return cli::ExitOk;
}

int run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Print an extractive summary of the library, a document or one of its sections (chapters). Each line names "
        "its source: document, page and sentence id. Without --sentences/--ratio the summary stored by "
        "'quire analyze' is shown; with them it is computed now."));
    parser.addPositionalArgument(QStringLiteral("LIB"), QStringLiteral("The library file."));
    parser.addOption({ QStringLiteral("doc"), QStringLiteral("Summarise document ID."), QStringLiteral("ID") });
    parser.addOption(
        { QStringLiteral("section"), QStringLiteral("Only section N (1-based) of --doc."), QStringLiteral("N") });
    parser.addOption({ QStringLiteral("sentences"), QStringLiteral("Length in sentences."), QStringLiteral("N") });
    parser.addOption(
        { QStringLiteral("ratio"), QStringLiteral("Length as a share of the sentences (0-1)."), QStringLiteral("R") });
    cli::Context ctx;
    int code = 0;
    if (!ctx.parse(parser, arguments, 1, &code))
        return code;
    auto library = store::Library::open(parser.positionalArguments().at(0));
    if (!library)
        return ctx.fail(library.error());
    Scope scope;
    if (parser.isSet(QStringLiteral("doc")))
        scope.documentId = parser.value(QStringLiteral("doc")).toLongLong();
    if (parser.isSet(QStringLiteral("section"))) {
        if (!scope.documentId)
            return ctx.fail(cli::ExitUsage, QStringLiteral("--section needs --doc"));
        auto section = sectionByOrdinal(**library, *scope.documentId, parser.value(QStringLiteral("section")).toInt());
        if (!section)
            return ctx.fail(section.error());
        scope.sectionId = section->id;
    }
    const bool computeNow = parser.isSet(QStringLiteral("sentences")) || parser.isSet(QStringLiteral("ratio"));
    std::vector<std::pair<std::int64_t, int>> chosen;
    if (!computeNow || !scope.documentId) {
        auto rows = store::AnalysisStore(**library).summary(scope.documentId, scope.sectionId);
        if (!rows)
            return ctx.fail(rows.error());
        if (rows->empty())
            return ctx.fail(cli::ExitNotFound, QStringLiteral("no summary stored: run 'quire analyze' first"));
        std::vector<store::SummaryRow> sorted = *rows;
        analysis::SummaryOptions o;
        o.sentences = parser.value(QStringLiteral("sentences")).toInt();
        o.ratio = parser.isSet(QStringLiteral("ratio")) ? parser.value(QStringLiteral("ratio")).toDouble() : 1.0;
        o.maxSentences = int(sorted.size());
        sorted.resize(computeNow ? analysis::Summarizer::targetLength(int(sorted.size()), o) : sorted.size());
        for (const auto &r : sorted)
            chosen.push_back({ r.sentenceId, r.rank });
        std::sort(chosen.begin(), chosen.end());
        return print(ctx, **library, chosen);
    }
    auto sentences = (*library)->sentences(*scope.documentId);
    if (!sentences)
        return ctx.fail(sentences.error());
    if (scope.sectionId) {
        auto section = sectionByOrdinal(**library, *scope.documentId, parser.value(QStringLiteral("section")).toInt());
        std::erase_if(*sentences, [&](const auto &s) { return s.start < section->start || s.start >= section->end; });
    }
    analysis::SummaryOptions o;
    o.sentences = parser.value(QStringLiteral("sentences")).toInt();
    if (parser.isSet(QStringLiteral("ratio"))) {
        o.ratio = parser.value(QStringLiteral("ratio")).toDouble();
        o.maxSentences = 1 << 20;
    }
    QString language;
    for (std::size_t i = 0; i < std::min<std::size_t>(sentences->size(), 200); ++i)
        language += (*sentences)[i].text + QLatin1Char(' ');
    for (const auto &s :
        analysis::Summarizer::summarize(*sentences, analysis::Lexicon::instance().detectLanguage(language), o))
        chosen.push_back({ s.sentenceId, s.rank });
    return print(ctx, **library, chosen);
}

const bool registered = cli::registerCommand(
    { QStringLiteral("summary"), QStringLiteral("Extractive summary of the library, a document or a chapter"), run });

} // namespace
