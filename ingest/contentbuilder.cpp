#include "contentbuilder.h"

#include "segmenter.h"

#include <algorithm>

namespace quire::ingest
{

namespace
{

void addSections(const ParsedDocument &document, store::DocumentContent &content)
{
    const int pageCount = static_cast<int>(content.pages.size());
    for (const ParsedSection &s : document.sections) {
        if (pageCount == 0)
            break;
        const int page = std::clamp(s.page, 1, pageCount);
        const store::PageRecord &p = content.pages[static_cast<std::size_t>(page - 1)];
        store::SectionRecord section;
        section.level = std::max(1, s.level);
        section.title = s.title.trimmed();
        section.page = page;
        section.start = std::clamp(p.start + s.offset, p.start, p.end);
        content.sections.push_back(std::move(section));
    }
    closeSections(content.sections, static_cast<int>(content.text.size()));
}

} // namespace

void closeSections(std::vector<store::SectionRecord> &sections, int textEnd)
{
    std::stable_sort(sections.begin(), sections.end(), [](const auto &a, const auto &b) { return a.start < b.start; });
    for (std::size_t i = 0; i < sections.size(); ++i) {
        store::SectionRecord &s = sections[i];
        s.end = textEnd;
        for (std::size_t j = i + 1; j < sections.size(); ++j) {
            if (sections[j].level <= s.level) {
                s.end = sections[j].start;
                break;
            }
        }
    }
}

store::DocumentContent buildContent(const ParsedDocument &document, Segmenter &segmenter)
{
    store::DocumentContent content;
    qsizetype total = 0;
    for (const ParsedPage &page : document.pages)
        total += page.text.size() + PageSeparator.size();
    content.text.reserve(total);
    content.pages.reserve(document.pages.size());
    for (std::size_t i = 0; i < document.pages.size(); ++i) {
        const ParsedPage &page = document.pages[i];
        if (i > 0)
            content.text += PageSeparator;
        store::PageRecord record;
        record.page = static_cast<int>(i + 1);
        record.start = static_cast<int>(content.text.size());
        content.text += page.text;
        record.end = static_cast<int>(content.text.size());
        record.width = page.width;
        record.height = page.height;
        record.ocr = page.ocr;
        record.words = page.words;
        for (store::WordBox &w : record.words) {
            w.start += record.start;
            w.end += record.start;
        }
        // After the page's own words, so that the first word of a page still lies in its range.
        const int previousStart = content.pages.empty() ? 0 : content.pages.back().start;
        for (store::WordBox w : page.continuedWords) {
            w.start += previousStart;
            w.end += previousStart;
            record.words.push_back(w);
        }
        for (const TextRange &r : segmenter.sentences(content.text, record.start, record.end)) {
            store::SentenceRecord s;
            s.page = record.page;
            s.start = r.start;
            s.end = r.end;
            content.sentences.push_back(std::move(s));
        }
        content.pages.push_back(std::move(record));
    }
    for (store::SentenceRecord &s : content.sentences)
        s.text = content.text.mid(s.start, s.end - s.start);
    addSections(document, content);
    return content;
}

bool isBlank(const store::DocumentContent &content)
{
    return std::none_of(content.text.cbegin(), content.text.cend(), [](QChar c) {
        return c.isLetterOrNumber() || c.isHighSurrogate();
    });
}

} // namespace quire::ingest
