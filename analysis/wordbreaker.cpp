#include "wordbreaker.h"

#include <unicode/brkiter.h>
#include <unicode/utext.h>

namespace quire::analysis
{

struct WordBreaker::Impl {
    std::unique_ptr<icu::BreakIterator> iterator;
};

WordBreaker::WordBreaker()
    : d(std::make_unique<Impl>())
{
    UErrorCode status = U_ZERO_ERROR;
    d->iterator.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
    if (U_FAILURE(status))
        d->iterator.reset();
}

WordBreaker::~WordBreaker() = default;

std::vector<WordToken> WordBreaker::words(QStringView text)
{
    std::vector<WordToken> out;
    if (text.isEmpty())
        return out;
    if (!d->iterator) {
        // Without ICU data: runs of letters and digits, which is still right for space-separated scripts.
        int start = -1;
        for (int i = 0; i <= text.size(); ++i) {
            const bool inWord = i < text.size() && text[i].isLetterOrNumber();
            if (inWord && start < 0)
                start = i;
            else if (!inWord && start >= 0) {
                out.push_back({ start, i, false });
                start = -1;
            }
        }
        return out;
    }
    UErrorCode status = U_ZERO_ERROR;
    UText *ut = utext_openUChars(nullptr, reinterpret_cast<const UChar *>(text.utf16()), text.size(), &status);
    if (U_FAILURE(status))
        return out;
    std::unique_ptr<UText, decltype(&utext_close)> guard(ut, &utext_close);
    d->iterator->setText(ut, status);
    int start = d->iterator->first();
    for (int end = d->iterator->next(); end != icu::BreakIterator::DONE; start = end, end = d->iterator->next()) {
        const int rule = d->iterator->getRuleStatus();
        if (rule == UBRK_WORD_NONE)
            continue;
        out.push_back({ start, end, rule >= UBRK_WORD_KANA && rule < UBRK_WORD_IDEO_LIMIT });
    }
    return out;
}

} // namespace quire::analysis
