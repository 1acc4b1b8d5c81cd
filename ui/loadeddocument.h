#pragma once

#include "store/library.h"

#include <memory>
#include <vector>

namespace quire::ui
{

// What the reader needs of one document, read in a worker. Word boxes carry offsets into `text`.
struct LoadedDocument {
    store::DocumentRecord record;
    QString text;
    std::vector<store::PageRecord> pages;
    std::vector<store::SectionRecord> sections;

    // PDFs (and anything else with laid-out pages) are shown page by page; the rest as text.
    bool isPaged() const;
    // The 0-based index of the page holding text offset `offset` (the last page when past the end).
    int pageOfOffset(int offset) const;

    static Expected<std::shared_ptr<const LoadedDocument>> load(store::Library &library, std::int64_t id);
};

// A range of the document text to mark in the reader.
struct Highlight {
    enum class Kind { Citation, SearchTerm };
    int start = 0;
    int end = 0;
    Kind kind = Kind::Citation;
};

// Highlights for a cited range plus every occurrence of `terms` inside it (case-insensitive).
std::vector<Highlight> citationHighlights(const QString &text, int start, int end, const QStringList &terms);

} // namespace quire::ui
