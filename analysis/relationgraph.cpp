#include "relationgraph.h"

#include "store/analysisstore.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace quire::analysis
{

namespace
{

using Pair = std::pair<std::int64_t, std::int64_t>;

struct Counts {
    std::map<Pair, GraphEdge> edges;
    QHash<std::int64_t, int> windowsOf; // paragraph windows containing the entity
    std::map<Pair, int> together; // paragraph windows containing both
    int windows = 0;
};

void countWindow(Counts &c, const std::vector<const store::MentionRow *> &window)
{
    if (window.empty())
        return;
    ++c.windows;
    QSet<std::int64_t> present;
    for (const auto *m : window)
        present.insert(m->entityId);
    for (std::int64_t e : present)
        ++c.windowsOf[e];
    std::set<Pair> pairs;
    for (std::size_t i = 0; i < window.size(); ++i) {
        for (std::size_t j = i + 1; j < window.size(); ++j) {
            const auto *a = window[i];
            const auto *b = window[j];
            if (a->entityId == b->entityId)
                continue;
            const Pair key = std::minmax(a->entityId, b->entityId);
            if (pairs.insert(key).second)
                ++c.together[key];
            GraphEdge &e = c.edges[key];
            e.source = key.first;
            e.target = key.second;
            if (a->sentenceId == b->sentenceId) {
                ++e.sentences;
                e.evidence.push_back(a->sentenceId);
            } else {
                ++e.paragraphs;
                e.evidence.push_back(a->sentenceId);
                e.evidence.push_back(b->sentenceId);
            }
        }
    }
}

QString escaped(QString s)
{
    return s.replace(QLatin1Char('&'), QLatin1String("&amp;"))
        .replace(QLatin1Char('<'), QLatin1String("&lt;"))
        .replace(QLatin1Char('>'), QLatin1String("&gt;"))
        .replace(QLatin1Char('"'), QLatin1String("&quot;"));
}

} // namespace

Expected<RelationGraph> GraphBuilder::build(store::Library &library, const GraphOptions &options)
{
    store::AnalysisStore analysis(library);
    auto all = analysis.mentions(std::nullopt, options.documentId);
    if (!all)
        return std::unexpected(all.error());
    auto entities = analysis.entities({ QString(), -1, std::nullopt });
    if (!entities)
        return std::unexpected(entities.error());
    QHash<std::int64_t, const store::EntityRow *> byId;
    for (const auto &e : *entities) {
        if (options.types.isEmpty() || options.types.contains(e.type))
            byId.insert(e.id, &e);
    }
    QHash<std::int64_t, int> counts;
    std::vector<const store::MentionRow *> slice;
    for (const auto &m : *all) {
        if (m.entityId == 0 || m.section < options.firstSection || m.section > options.lastSection
            || !byId.contains(m.entityId))
            continue;
        slice.push_back(&m);
        ++counts[m.entityId];
    }
    std::vector<std::pair<int, std::int64_t>> ranked;
    for (auto it = counts.constBegin(); it != counts.constEnd(); ++it)
        ranked.push_back({ it.value(), it.key() });
    std::sort(ranked.begin(), ranked.end(), std::greater<>());
    ranked.resize(std::min<std::size_t>(ranked.size(), std::size_t(std::max(options.maxNodes, 0))));
    RelationGraph graph;
    QSet<std::int64_t> kept;
    for (const auto &[n, id] : ranked) {
        kept.insert(id);
        graph.nodes.push_back({ id, byId.value(id)->name, byId.value(id)->type, n });
    }
    Counts c;
    std::vector<const store::MentionRow *> window;
    for (std::size_t i = 0; i <= slice.size(); ++i) {
        const bool boundary = i == slice.size()
            || (!window.empty()
                && (slice[i]->documentId != window.back()->documentId
                    || slice[i]->paragraph != window.back()->paragraph));
        if (boundary) {
            countWindow(c, window);
            window.clear();
        }
        if (i < slice.size() && kept.contains(slice[i]->entityId))
            window.push_back(slice[i]);
    }
    for (auto &[key, e] : c.edges) {
        const double pxy = double(c.together[key]) / std::max(c.windows, 1);
        const double px = double(c.windowsOf.value(e.source)) / std::max(c.windows, 1);
        const double py = double(c.windowsOf.value(e.target)) / std::max(c.windows, 1);
        e.npmi = pxy >= 1.0 ? 1.0 : std::log(pxy / (px * py)) / -std::log(pxy);
        e.weight = e.sentences + 0.5 * e.paragraphs;
        std::sort(e.evidence.begin(), e.evidence.end());
        e.evidence.erase(std::unique(e.evidence.begin(), e.evidence.end()), e.evidence.end());
        if (e.sentences + e.paragraphs >= options.minCount && e.npmi >= options.minPmi)
            graph.edges.push_back(std::move(e));
    }
    std::sort(graph.edges.begin(), graph.edges.end(), [](const auto &a, const auto &b) { return a.weight > b.weight; });
    return graph;
}

QString toGraphMl(const RelationGraph &g)
{
    QString out = QStringLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                 "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
                                 "  <key id=\"name\" for=\"node\" attr.name=\"name\" attr.type=\"string\"/>\n"
                                 "  <key id=\"type\" for=\"node\" attr.name=\"type\" attr.type=\"string\"/>\n"
                                 "  <key id=\"mentions\" for=\"node\" attr.name=\"mentions\" attr.type=\"int\"/>\n"
                                 "  <key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n"
                                 "  <key id=\"npmi\" for=\"edge\" attr.name=\"npmi\" attr.type=\"double\"/>\n"
                                 "  <key id=\"evidence\" for=\"edge\" attr.name=\"evidence\" attr.type=\"string\"/>\n"
                                 "  <graph id=\"entities\" edgedefault=\"undirected\">\n");
    for (const GraphNode &n : g.nodes)
        out += QStringLiteral("    <node id=\"e%1\"><data key=\"name\">%2</data><data key=\"type\">%3</data>"
                              "<data key=\"mentions\">%4</data></node>\n")
                   .arg(n.entityId)
                   .arg(escaped(n.name), n.type)
                   .arg(n.mentions);
    for (const GraphEdge &e : g.edges) {
        QStringList ids;
        for (std::int64_t s : e.evidence)
            ids << QString::number(s);
        out += QStringLiteral("    <edge source=\"e%1\" target=\"e%2\"><data key=\"weight\">%3</data>"
                              "<data key=\"npmi\">%4</data><data key=\"evidence\">%5</data></edge>\n")
                   .arg(e.source)
                   .arg(e.target)
                   .arg(e.weight)
                   .arg(e.npmi, 0, 'f', 4)
                   .arg(ids.join(QLatin1Char(' ')));
    }
    return out + QStringLiteral("  </graph>\n</graphml>\n");
}

QString toGexf(const RelationGraph &g)
{
    QString out = QStringLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                 "<gexf xmlns=\"http://gexf.net/1.3\" version=\"1.3\">\n"
                                 "  <graph defaultedgetype=\"undirected\">\n"
                                 "    <attributes class=\"node\"><attribute id=\"0\" title=\"type\" type=\"string\"/>"
                                 "<attribute id=\"1\" title=\"mentions\" type=\"integer\"/></attributes>\n"
                                 "    <attributes class=\"edge\"><attribute id=\"0\" title=\"evidence\" "
                                 "type=\"string\"/></attributes>\n    <nodes>\n");
    for (const GraphNode &n : g.nodes)
        out += QStringLiteral("      <node id=\"e%1\" label=\"%2\"><attvalues><attvalue for=\"0\" value=\"%3\"/>"
                              "<attvalue for=\"1\" value=\"%4\"/></attvalues></node>\n")
                   .arg(n.entityId)
                   .arg(escaped(n.name), n.type)
                   .arg(n.mentions);
    out += QStringLiteral("    </nodes>\n    <edges>\n");
    int id = 0;
    for (const GraphEdge &e : g.edges) {
        QStringList ids;
        for (std::int64_t s : e.evidence)
            ids << QString::number(s);
        out += QStringLiteral("      <edge id=\"%1\" source=\"e%2\" target=\"e%3\" weight=\"%4\"><attvalues>"
                              "<attvalue for=\"0\" value=\"%5\"/></attvalues></edge>\n")
                   .arg(id++)
                   .arg(e.source)
                   .arg(e.target)
                   .arg(e.weight)
                   .arg(ids.join(QLatin1Char(' ')));
    }
    return out + QStringLiteral("    </edges>\n  </graph>\n</gexf>\n");
}

QString toJson(const RelationGraph &g)
{
    QJsonArray nodes, edges;
    for (const GraphNode &n : g.nodes)
        nodes.append(QJsonObject { { QStringLiteral("id"), double(n.entityId) },
            { QStringLiteral("name"), n.name },
            { QStringLiteral("type"), n.type },
            { QStringLiteral("mentions"), n.mentions } });
    for (const GraphEdge &e : g.edges) {
        QJsonArray evidence;
        for (std::int64_t s : e.evidence)
            evidence.append(double(s));
        edges.append(QJsonObject { { QStringLiteral("source"), double(e.source) },
            { QStringLiteral("target"), double(e.target) },
            { QStringLiteral("sentences"), e.sentences },
            { QStringLiteral("paragraphs"), e.paragraphs },
            { QStringLiteral("weight"), e.weight },
            { QStringLiteral("npmi"), e.npmi },
            { QStringLiteral("evidence"), evidence } });
    }
    const QJsonObject root { { QStringLiteral("nodes"), nodes }, { QStringLiteral("edges"), edges } };
    return QString::fromUtf8(QJsonDocument(root).toJson(QJsonDocument::Indented));
}

QString toDot(const RelationGraph &g)
{
    QString out = QStringLiteral("graph entities {\n  node [shape=ellipse, fontname=\"sans-serif\"];\n");
    double top = 1;
    for (const GraphEdge &e : g.edges)
        top = std::max(top, e.weight);
    for (const GraphNode &n : g.nodes)
        out += QStringLiteral("  e%1 [label=\"%2\", tooltip=\"%3 mentions\"];\n")
                   .arg(n.entityId)
                   .arg(QString(n.name).replace(QLatin1Char('"'), QLatin1String("\\\"")))
                   .arg(n.mentions);
    for (const GraphEdge &e : g.edges)
        out += QStringLiteral("  e%1 -- e%2 [penwidth=%3, tooltip=\"%4 shared sentences\"];\n")
                   .arg(e.source)
                   .arg(e.target)
                   .arg(0.5 + 4.5 * e.weight / top, 0, 'f', 2)
                   .arg(e.sentences);
    return out + QStringLiteral("}\n");
}

} // namespace quire::analysis
