#pragma once

#include "ingest/workerprotocol.h"

#include <optional>
#include <vector>

namespace quire::ingest
{

// A large PDF read by several workers, each one page range (ReadOptions::part): collects their results and
// puts them together in page order as one document, as one worker reading it all would have (pages,
// sentences, sections and word boxes renumbered and moved, the word hyphenated across two parts' edge kept
// whole, the MinHash over the whole text, pages/ocrPages/lowTextYieldPages counted over all parts). The
// first part (in page order) that failed decides a failed document's status and reason; parts that saw
// different bytes (the file changed meanwhile) fail it too.
class DocumentParts
{
public:
    explicit DocumentParts(int count);

    // Returns true once every part is in.
    bool add(int part, WorkResult result);
    WorkResult assemble();

private:
    std::vector<std::optional<WorkResult>> m_parts;
    int m_outstanding = 0;
};

} // namespace quire::ingest
