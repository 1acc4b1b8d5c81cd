#pragma once

#include "analysis/entitytypes.h"
#include "store/library.h"

#include <vector>

namespace quire::analysis
{

// Pattern entities: money, quantities, case numbers, cited statutes, organisations with a legal
// suffix ("Driven Deliveries, Inc.", "CRO Consulting (Pty) Limited") and contract parties: the
// organisations named in a preamble ("by and between X ("Company") and Y") together with the defined
// term each is given, whose later uses ("the Company") become mentions of that party.
class LegalFinder
{
public:
    std::vector<Mention> find(const std::vector<store::SentenceRecord> &sentences) const;
};

} // namespace quire::analysis
