#pragma once

#include "util/error.h"

#include <QString>
#include <vector>

namespace quire::store
{

// The reference for `quire bench ingest`: a bare SQLite FTS5 insert of `rows` (same tokenizer as the
// library's index, WAL, one transaction) into a new database at `path`. Returns the seconds it took.
Expected<double> bareFtsInsertSeconds(const QString &path, const std::vector<QString> &rows);

} // namespace quire::store
