#include "termmarks.h"

namespace quire::cli
{

QString markTerms(const QString &text, const std::vector<std::pair<int, int>> &highlights, bool terminal)
{
    const QString open = terminal ? QStringLiteral("\033[1m") : QStringLiteral("«");
    const QString close = terminal ? QStringLiteral("\033[0m") : QStringLiteral("»");
    QString out = text;
    for (auto it = highlights.rbegin(); it != highlights.rend(); ++it) {
        out.insert(it->first + it->second, close);
        out.insert(it->first, open);
    }
    return out.simplified();
}

} // namespace quire::cli
