#include "ui/loadeddocument.h"

#include <QStringList>

namespace quire::ui
{

namespace
{

// Word offsets are stored relative to the document text; a page whose first word starts before the
// page's own range was stored relative to the page and is shifted here.
void normaliseWordOffsets(store::PageRecord &page)
{
    if (page.words.empty() || page.start == 0 || page.words.front().start >= page.start)
        return;
    for (store::WordBox &w : page.words) {
        w.start += page.start;
        w.end += page.start;
    }
}

} // namespace

bool LoadedDocument::isPaged() const
{
    for (const store::PageRecord &p : pages) {
        if (p.width > 0 && p.height > 0)
            return true;
    }
    return false;
}

int LoadedDocument::pageOfOffset(int offset) const
{
    for (std::size_t i = 0; i < pages.size(); ++i) {
        if (offset < pages[i].end)
            return int(i);
    }
    return pages.empty() ? 0 : int(pages.size()) - 1;
}

Expected<std::shared_ptr<const LoadedDocument>> LoadedDocument::load(store::Library &library, std::int64_t id)
{
    auto record = library.document(id);
    if (!record)
        return std::unexpected(record.error());
    if (!*record)
        return fail(Error::Code::NotFound, "document #" + std::to_string(id) + " is no longer in the library");
    auto doc = std::make_shared<LoadedDocument>();
    doc->record = std::move(**record);
    auto text = library.documentText(id);
    if (!text)
        return std::unexpected(text.error());
    doc->text = std::move(*text);
    auto pages = library.pages(id, true);
    if (!pages)
        return std::unexpected(pages.error());
    doc->pages = std::move(*pages);
    for (store::PageRecord &p : doc->pages)
        normaliseWordOffsets(p);
    auto sections = library.sections(id);
    if (!sections)
        return std::unexpected(sections.error());
    doc->sections = std::move(*sections);
    return std::shared_ptr<const LoadedDocument>(std::move(doc));
}

std::vector<Highlight> citationHighlights(const QString &text, int start, int end, const QStringList &terms)
{
    start = qBound(0, start, int(text.size()));
    end = qBound(start, end, int(text.size()));
    std::vector<Highlight> out { { start, end, Highlight::Kind::Citation } };
    const QStringView range = QStringView(text).mid(start, end - start);
    for (const QString &term : terms) {
        if (term.isEmpty())
            continue;
        for (qsizetype at = range.indexOf(term, 0, Qt::CaseInsensitive); at >= 0;
             at = range.indexOf(term, at + term.size(), Qt::CaseInsensitive))
            out.push_back({ start + int(at), start + int(at + term.size()), Highlight::Kind::SearchTerm });
    }
    return out;
}

} // namespace quire::ui
