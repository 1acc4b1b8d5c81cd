#pragma once

#include "analysis/relationgraph.h"
#include "store/library.h"
#include "util/error.h"

namespace quire::analysis
{

struct ReportOptions {
    enum class Format { Markdown, Html };
    Format format = Format::Html;
    QString outputPath; // Markdown also writes the graph next to it as <name>.svg
    int topEntities = 25;
    int timelineLimit = 200;
    GraphOptions graph;
};

// A self-contained report of a library: the library and document summaries, the top entities, the
// relation graph laid out by Graphviz (inline SVG in HTML; a linked .svg file for Markdown) and the
// timeline. Every item links to its source in the "Sources" list: document, page and sentence.
Expected<void> writeReport(store::Library &library, const ReportOptions &options);

} // namespace quire::analysis
