#pragma once

#include <QString>
#include <utility>
#include <vector>

namespace quire::cli
{

// `text` with the (offset, length) ranges of `highlights` in bold on a terminal, «between guillemets»
// otherwise, whitespace simplified: how search hits and ask passages show their matched terms.
QString markTerms(const QString &text, const std::vector<std::pair<int, int>> &highlights, bool terminal);

} // namespace quire::cli
