#pragma once

#include <QString>

namespace quire::ingest
{

// The text of an HTML character reference without '&' and ';': "amp", "#233", "#xE9". Empty when unknown.
QString htmlEntity(QStringView name);

} // namespace quire::ingest
