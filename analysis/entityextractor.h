#pragma once

#include "analysis/entitytypes.h"
#include "store/library.h"

#include <QDate>
#include <vector>

namespace quire::analysis
{

// All entity mentions of one document, aliases resolved: names (LatinNameFinder or CjkNameFinder by
// language), dates and times (DateFinder, relative to `documentDate`), money, quantities and legal
// entities (LegalFinder). Where spans overlap, patterns win over names. Sorted by position.
// Thread-safe: each call builds its own ICU objects.
class EntityExtractor
{
public:
    static std::vector<Mention> extract(
        const std::vector<store::SentenceRecord> &sentences, const QString &language, QDate documentDate = {});
};

} // namespace quire::analysis
