#include "report.h"

#include "analysis/graphlayout.h"
#include "analysis/timeline.h"
#include "store/analysisstore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QUrl>
#include <map>

namespace quire::analysis
{

namespace
{

// Writes either Markdown or HTML through the same small set of calls.
class Writer
{
public:
    explicit Writer(bool html)
        : m_html(html)
    {
    }
    void heading(int level, const QString &text)
    {
        m_out += m_html ? QStringLiteral("<h%1>%2</h%1>\n").arg(level).arg(text.toHtmlEscaped())
                        : QString(level, QLatin1Char('#')) + QLatin1Char(' ') + text + QStringLiteral("\n\n");
    }
    // An item citing sentence `id`: links to the Sources entry.
    void item(const QString &text, std::int64_t sentenceId)
    {
        m_cited[sentenceId] = true;
        m_out += m_html
            ? QStringLiteral("<li>%1 <a href=\"#s%2\">[%2]</a></li>\n").arg(text.toHtmlEscaped()).arg(sentenceId)
            : QStringLiteral("- %1 [[%2]](#s%2)\n").arg(markdown(text)).arg(sentenceId);
    }
    void beginList() { m_out += m_html ? QStringLiteral("<ul>\n") : QString(); }
    void endList() { m_out += m_html ? QStringLiteral("</ul>\n") : QStringLiteral("\n"); }
    void raw(const QString &html, const QString &md) { m_out += m_html ? html : md; }
    const std::map<std::int64_t, bool> &cited() const { return m_cited; }
    QString text() const { return m_out; }
    bool html() const { return m_html; }
    static QString markdown(QString s)
    {
        return s.replace(QLatin1Char('\n'), QLatin1Char(' ')).replace(QLatin1Char('*'), QLatin1String("\\*"));
    }

private:
    bool m_html;
    QString m_out;
    std::map<std::int64_t, bool> m_cited;
};

Expected<QString> sentenceText(store::Library &library, std::int64_t id)
{
    auto s = library.sentence(id);
    if (!s)
        return std::unexpected(s.error());
    return *s ? (*s)->text.simplified() : QString();
}

Expected<void> writeSummaries(store::Library &library, Writer &w)
{
    store::AnalysisStore analysis(library);
    auto docs = library.documents();
    if (!docs)
        return std::unexpected(docs.error());
    w.heading(2, QStringLiteral("Summary of the library"));
    for (std::optional<std::int64_t> doc : std::vector<std::optional<std::int64_t>> { std::nullopt }) {
        auto rows = analysis.summary(doc);
        if (!rows)
            return std::unexpected(rows.error());
        w.beginList();
        for (const auto &r : *rows) {
            auto t = sentenceText(library, r.sentenceId);
            if (!t)
                return std::unexpected(t.error());
            w.item(*t, r.sentenceId);
        }
        w.endList();
    }
    for (const auto &d : *docs) {
        auto rows = analysis.summary(d.id);
        if (!rows)
            return std::unexpected(rows.error());
        if (rows->empty())
            continue;
        w.heading(3, d.title.isEmpty() ? QFileInfo(d.path).fileName() : d.title);
        w.beginList();
        for (const auto &r : *rows) {
            auto t = sentenceText(library, r.sentenceId);
            if (!t)
                return std::unexpected(t.error());
            w.item(*t, r.sentenceId);
        }
        w.endList();
    }
    return {};
}

Expected<void> writeEntities(store::Library &library, Writer &w, int top)
{
    store::AnalysisStore analysis(library);
    w.heading(2, QStringLiteral("Top entities"));
    auto entities = analysis.entities({ QString(), top, std::nullopt });
    if (!entities)
        return std::unexpected(entities.error());
    w.beginList();
    for (const auto &e : *entities) {
        auto first = analysis.mentions(e.id);
        if (!first)
            return std::unexpected(first.error());
        const QString label = QStringLiteral("%1 (%2, %3 mentions; also %4)")
                                  .arg(e.name, e.type)
                                  .arg(e.mentions)
                                  .arg(e.aliases.mid(0, 5).join(QStringLiteral(", ")));
        w.item(label, first->empty() ? 0 : first->front().sentenceId);
    }
    w.endList();
    return {};
}

Expected<void> writeGraph(store::Library &library, Writer &w, const ReportOptions &options)
{
    w.heading(2, QStringLiteral("Relations"));
    auto graph = GraphBuilder::build(library, options.graph);
    if (!graph)
        return std::unexpected(graph.error());
    auto svg = renderSvg(toDot(*graph));
    if (!svg) {
        w.raw(QStringLiteral("<p>%1</p>\n").arg(QString::fromStdString(svg.error().message).toHtmlEscaped()),
            QString::fromStdString(svg.error().message) + QStringLiteral("\n\n"));
        return {};
    }
    if (w.html()) {
        const qsizetype svgStart = svg->indexOf(QLatin1String("<svg"));
        w.raw(QStringLiteral("<div class=\"graph\">%1</div>\n").arg(svg->mid(std::max<qsizetype>(svgStart, 0))), {});
    } else {
        const QFileInfo out(options.outputPath);
        const QString svgPath = out.dir().filePath(out.completeBaseName() + QStringLiteral(".svg"));
        QFile file(svgPath);
        if (!file.open(QIODevice::WriteOnly) || file.write(svg->toUtf8()) < 0)
            return fail(Error::Code::Io, "cannot write " + svgPath.toStdString());
        w.raw({}, QStringLiteral("![relation graph](%1)\n\n").arg(QFileInfo(svgPath).fileName()));
    }
    w.beginList();
    QHash<std::int64_t, QString> names;
    for (const auto &n : graph->nodes)
        names.insert(n.entityId, n.name);
    for (std::size_t i = 0; i < std::min<std::size_t>(graph->edges.size(), 20); ++i) {
        const auto &e = graph->edges[i];
        w.item(QStringLiteral("%1 — %2: %3 sentences together")
                   .arg(names.value(e.source), names.value(e.target))
                   .arg(e.sentences),
            e.evidence.empty() ? 0 : e.evidence.front());
    }
    w.endList();
    return {};
}

Expected<void> writeTimeline(store::Library &library, Writer &w, int limit)
{
    w.heading(2, QStringLiteral("Timeline"));
    auto events = timeline(library);
    if (!events)
        return std::unexpected(events.error());
    w.beginList();
    for (std::size_t i = 0; i < std::min<std::size_t>(events->size(), std::size_t(limit)); ++i)
        w.item(QStringLiteral("%1 — “%2”").arg((*events)[i].date, (*events)[i].text), (*events)[i].sentenceId);
    w.endList();
    return {};
}

Expected<void> writeSources(store::Library &library, Writer &w)
{
    w.heading(2, QStringLiteral("Sources"));
    QHash<std::int64_t, store::DocumentRecord> docs;
    auto all = library.documents();
    if (!all)
        return std::unexpected(all.error());
    for (const auto &d : *all)
        docs.insert(d.id, d);
    for (const auto &[id, unused] : w.cited()) {
        auto s = library.sentence(id);
        if (!s)
            return std::unexpected(s.error());
        if (!*s)
            continue;
        const store::DocumentRecord d = docs.value((*s)->documentId);
        const QString where
            = QStringLiteral("%1, page %2, sentence %3").arg(QFileInfo(d.path).fileName()).arg((*s)->page).arg(id);
        const QString url = QUrl::fromLocalFile(d.path).toString() + QStringLiteral("#page=%1").arg((*s)->page);
        w.raw(QStringLiteral("<p id=\"s%1\"><a href=\"%2\">%3</a>: %4</p>\n")
                  .arg(id)
                  .arg(url.toHtmlEscaped(), where.toHtmlEscaped(), (*s)->text.simplified().toHtmlEscaped()),
            QStringLiteral("<a id=\"s%1\"></a>[%2](%3): %4\n\n")
                .arg(id)
                .arg(where, url, Writer::markdown((*s)->text.simplified())));
    }
    return {};
}

} // namespace

Expected<void> writeReport(store::Library &library, const ReportOptions &options)
{
    Writer w(options.format == ReportOptions::Format::Html);
    w.raw(QStringLiteral("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Quire report</title><style>"
                         "body{font-family:sans-serif;max-width:60em;margin:auto}.graph svg{max-width:100%;height:auto}"
                         "</style></head><body>\n"),
        {});
    w.heading(1, QStringLiteral("Report on ") + QFileInfo(library.path()).fileName());
    for (auto step : { writeSummaries(library, w),
             writeEntities(library, w, options.topEntities),
             writeGraph(library, w, options),
             writeTimeline(library, w, options.timelineLimit),
             writeSources(library, w) }) {
        if (!step)
            return step;
    }
    w.raw(QStringLiteral("</body></html>\n"), {});
    QFile file(options.outputPath);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(w.text().toUtf8()) < 0)
        return fail(Error::Code::Io, "cannot write " + options.outputPath.toStdString());
    return {};
}

} // namespace quire::analysis
