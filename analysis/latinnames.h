#pragma once

#include "analysis/entitytypes.h"
#include "store/library.h"

#include <vector>

namespace quire::analysis
{

// Finds names in space-separated scripts (Latin, Cyrillic, Greek): capitalised spans whose words are,
// over the whole document, capitalised mostly in mid-sentence (so "Flask" is a name in Moby-Dick and
// "White" is not), honorifics ("Captain Ahab", "Mrs. Bennet"), speech cues ("said Stubb"), gazetteers
// of given names and places, and place/organisation marker words. Each mention carries type votes;
// AliasResolver clusters and types them.
class LatinNameFinder
{
public:
    explicit LatinNameFinder(QString language);
    std::vector<Mention> find(const std::vector<store::SentenceRecord> &sentences);

private:
    QString m_language;
};

} // namespace quire::analysis
