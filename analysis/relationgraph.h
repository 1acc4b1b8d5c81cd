#pragma once

#include "store/library.h"
#include "util/error.h"

#include <QString>
#include <QStringList>
#include <cstdint>
#include <optional>
#include <vector>

namespace quire::analysis
{

struct GraphOptions {
    std::optional<std::int64_t> documentId; // unset: the whole library
    int firstSection = 0; // chapter range, inclusive; a reader at chapter 10 sets lastSection = 10
    int lastSection = 1 << 30;
    QStringList types = { QStringLiteral("person") }; // empty: every named type
    int maxNodes = 50; // the most-mentioned entities of the slice
    int minCount = 2; // co-occurrences an edge needs
    double minPmi = 0.0; // normalised PMI an edge needs (-1..1)
};

struct GraphNode {
    std::int64_t entityId = 0;
    QString name;
    QString type;
    int mentions = 0; // in the slice
};

struct GraphEdge {
    std::int64_t source = 0; // entity ids
    std::int64_t target = 0;
    int sentences = 0; // windows of one sentence where both occur
    int paragraphs = 0; // paragraph windows (sentence windows excluded)
    double npmi = 0; // normalised PMI over paragraph windows
    double weight = 0; // sentences + 0.5 * paragraphs
    std::vector<std::int64_t> evidence; // sentence ids, in text order
};

struct RelationGraph {
    std::vector<GraphNode> nodes;
    std::vector<GraphEdge> edges;
};

// Co-occurrence graph of entities over sentence and paragraph windows, from the stored mentions (so
// user edits are reflected), sliced by document and chapter range: nothing outside the slice is read.
class GraphBuilder
{
public:
    static Expected<RelationGraph> build(store::Library &library, const GraphOptions &options);
};

// Exports. GraphML and GEXF for Gephi/yEd, JSON for scripts, DOT for Graphviz.
QString toGraphMl(const RelationGraph &graph);
QString toGexf(const RelationGraph &graph);
QString toJson(const RelationGraph &graph);
QString toDot(const RelationGraph &graph);

} // namespace quire::analysis
