#pragma once

#include "analysis/entitytypes.h"

#include <vector>

namespace quire::analysis
{

// Clusters the name mentions of one document into entities and types each cluster by its summed votes.
// "Elizabeth" and "Miss Elizabeth" join "Elizabeth Bennet" when she is the only full name starting with
// Elizabeth; "Bennet" joins only when one full name ends with it; "Mr. Bennet" stays apart when a full
// name ends with Bennet (a family shares a surname). "Captain Ahab" is "Ahab". Matching ignores accents.
// Sets canonical, key and type of every mention that is not already typed by a pattern.
class AliasResolver
{
public:
    static void resolve(std::vector<Mention> &mentions);
    // Decides a cluster's type from its votes.
    static EntityType typeFor(const TypeVotes &votes);
    // "person:elizabeth bennet": the identity stored with each mention and named by user edits.
    static QString makeKey(EntityType type, const QString &canonical);
};

} // namespace quire::analysis
