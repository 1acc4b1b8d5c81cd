#include "searchsnippet.h"

namespace quire::store
{

void setSnippet(const QString &marked, SearchHit &hit)
{
    QString out;
    out.reserve(marked.size());
    int highlightStart = -1;
    for (const QChar c : marked) {
        if (c == QChar(0x02)) {
            highlightStart = static_cast<int>(out.size());
        } else if (c == QChar(0x03)) {
            if (highlightStart >= 0)
                hit.highlights.emplace_back(highlightStart, static_cast<int>(out.size()) - highlightStart);
            highlightStart = -1;
        } else {
            out.append(c);
        }
    }
    hit.snippet = out;
}

} // namespace quire::store
