#pragma once

#include "analysis/entitytypes.h"
#include "store/library.h"

#include <QDate>
#include <vector>

namespace quire::analysis
{

// Dates and times in English, Spanish, French, German and Chinese, normalised to ISO 8601
// ("2019-05-01", "2019-05", "1851"). Relative expressions ("yesterday", "last Monday", "3 days ago")
// are resolved against `reference` (the document's own date) when it is valid and left without a
// normalised form otherwise.
class DateFinder
{
public:
    explicit DateFinder(QDate reference = {});
    std::vector<Mention> find(const std::vector<store::SentenceRecord> &sentences) const;
    // The normalised form of one expression, or an empty string.
    QString normalize(const QString &expression) const;

private:
    QDate m_reference;
};

} // namespace quire::analysis
