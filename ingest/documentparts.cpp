#include "documentparts.h"

#include "contentbuilder.h"
#include "ingestworker.h"
#include "minhash.h"

namespace quire::ingest
{

namespace
{

void shift(std::vector<store::WordBox> &words, int offset)
{
    for (store::WordBox &w : words) {
        w.start += offset;
        w.end += offset;
    }
}

// Appends a part's content; `pending` holds the boxes that belong to this part's first page (from the
// previous part) and receives those for the next part's.
void append(store::DocumentContent &content, WorkResult &part, std::vector<store::WordBox> &pending)
{
    if (part.content.pages.empty())
        return;
    if (!content.pages.empty())
        content.text += PageSeparator;
    const int offset = int(content.text.size());
    const int pageBase = int(content.pages.size());
    content.text += part.content.text;
    for (store::PageRecord &page : part.content.pages) {
        page.page += pageBase;
        page.start += offset;
        page.end += offset;
        shift(page.words, offset);
    }
    std::vector<store::WordBox> &first = part.content.pages.front().words;
    first.insert(first.end(), pending.begin(), pending.end());
    pending = std::move(part.nextPageWords);
    shift(pending, offset);
    std::move(part.content.pages.begin(), part.content.pages.end(), std::back_inserter(content.pages));
    for (store::SentenceRecord &s : part.content.sentences) {
        s.page += pageBase;
        s.start += offset;
        s.end += offset;
        content.sentences.push_back(std::move(s));
    }
    for (store::SectionRecord &s : part.content.sections) {
        s.page += pageBase;
        s.start += offset;
        content.sections.push_back(std::move(s));
    }
}

void setCount(QJsonObject &metadata, const QString &key, int count)
{
    if (count > 0)
        metadata.insert(key, count);
    else
        metadata.remove(key);
}

} // namespace

DocumentParts::DocumentParts(int count)
    : m_parts(size_t(std::max(1, count)))
    , m_outstanding(int(m_parts.size()))
{
}

bool DocumentParts::add(int part, WorkResult result)
{
    if (part >= 0 && part < int(m_parts.size()) && !m_parts[size_t(part)]) {
        m_parts[size_t(part)] = std::move(result);
        --m_outstanding;
    }
    return m_outstanding == 0;
}

WorkResult DocumentParts::assemble()
{
    WorkResult &head = *m_parts.front();
    for (std::optional<WorkResult> &part : m_parts) {
        if (part->status != store::DocumentStatus::Ok)
            return std::move(*part);
    }
    const bool sameBytes = std::all_of(m_parts.begin(), m_parts.end(), [&](const auto &p) {
        return p->contentHash == head.contentHash && p->unchanged == head.unchanged;
    });
    if (!sameBytes) {
        WorkResult out { head.id, false, head.contentHash, head.size, store::DocumentStatus::Error };
        out.error = QStringLiteral("the file changed while it was read: ingest it again");
        return out;
    }
    if (head.unchanged)
        return std::move(head);
    WorkResult out = std::move(head);
    WorkResult first; // the first part's content, moved out of `out`
    std::swap(first.content, out.content);
    std::swap(first.nextPageWords, out.nextPageWords);
    first.metadata = out.metadata;
    m_parts.front() = std::move(first);
    std::vector<store::WordBox> pending;
    int ocrPages = 0, lowPages = 0;
    for (std::optional<WorkResult> &part : m_parts) {
        ocrPages += part->metadata.value(QStringLiteral("ocrPages")).toInt();
        lowPages += part->metadata.value(QStringLiteral("lowTextYieldPages")).toInt();
        append(out.content, *part, pending);
    }
    closeSections(out.content.sections, int(out.content.text.size()));
    setCount(out.metadata, QStringLiteral("ocrPages"), ocrPages);
    setCount(out.metadata, QStringLiteral("lowTextYieldPages"), lowPages);
    out.firstPage = 1;
    out.minhash.clear();
    if (auto signature = MinHash::of(out.content.text))
        out.minhash = MinHash::toBytes(*signature);
    if (isBlank(out.content) && out.children.empty()) {
        out.status = store::DocumentStatus::Empty;
        out.error = emptyReason(lowPages > 0);
    }
    return out;
}

} // namespace quire::ingest
