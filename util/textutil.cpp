#include "textutil.h"

namespace quire::util
{

bool isCjk(char32_t c)
{
    return (c >= 0x3040 && c <= 0x30FF) // hiragana, katakana
        || (c >= 0x3400 && c <= 0x4DBF) // CJK extension A
        || (c >= 0x4E00 && c <= 0x9FFF) // CJK unified ideographs
        || (c >= 0xAC00 && c <= 0xD7AF) // hangul syllables
        || (c >= 0xF900 && c <= 0xFAFF) // compatibility ideographs
        || (c >= 0x20000 && c <= 0x2FA1F); // extensions B and later
}

QString searchForm(const QString &text)
{
    QString out;
    out.reserve(text.size() + text.size() / 2);
    bool previousCjk = false;
    for (auto it = text.cbegin(); it != text.cend(); ++it) {
        char32_t c = it->unicode();
        QString piece(*it);
        if (it->isHighSurrogate() && it + 1 != text.cend() && (it + 1)->isLowSurrogate()) {
            c = QChar::surrogateToUcs4(*it, *(it + 1));
            piece.append(*(it + 1));
            ++it;
        }
        const bool cjk = isCjk(c);
        if (cjk || previousCjk)
            out.append(QLatin1Char(' '));
        out.append(piece);
        previousCjk = cjk;
    }
    return out;
}

QString ftsQuery(const QString &userQuery)
{
    // Inside double quotes the user already wrote a phrase: spacing CJK there keeps it one phrase.
    QString out;
    bool inQuote = false;
    QString run;
    auto flushRun = [&] {
        if (run.isEmpty())
            return;
        const QString spaced = searchForm(run).trimmed();
        out.append(inQuote ? spaced : QStringLiteral("\"") + spaced + QStringLiteral("\""));
        run.clear();
    };
    for (auto it = userQuery.cbegin(); it != userQuery.cend(); ++it) {
        char32_t c = it->unicode();
        QString piece(*it);
        if (it->isHighSurrogate() && it + 1 != userQuery.cend()) {
            c = QChar::surrogateToUcs4(*it, *(it + 1));
            piece.append(*(it + 1));
            ++it;
        }
        if (isCjk(c)) {
            run.append(piece);
            continue;
        }
        flushRun();
        if (c == U'"') {
            if (inQuote)
                out.append(QLatin1Char(' '));
            inQuote = !inQuote;
        }
        out.append(piece);
    }
    flushRun();
    return out;
}

} // namespace quire::util
