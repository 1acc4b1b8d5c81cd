#include "analysis/passageretriever.h"

#include "analysis/lexicon.h"
#include "analysis/questionquery.h"
#include "analysis/wordbreaker.h"
#include "store/library.h"
#include "store/rankedsearch.h"
#include "util/textutil.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QHash>
#include <QSet>
#include <algorithm>
#include <map>

namespace quire::analysis
{

std::vector<std::int64_t> Passage::sentenceIds() const
{
    std::vector<std::int64_t> ids;
    for (const PassageSentence &s : sentences)
        ids.push_back(s.id);
    return ids;
}

std::vector<std::int64_t> Passage::hitSentenceIds() const
{
    std::vector<std::int64_t> ids;
    for (const PassageSentence &s : sentences) {
        if (s.hit)
            ids.push_back(s.id);
    }
    return ids;
}

namespace
{

// A passage while hits are grouped: its sentences by id (ids are consecutive within a document).
struct Group {
    store::SearchHit first; // its best hit: document, title, path, page
    int section = -1;
    std::map<std::int64_t, store::SentenceRecord> sentences;
    QSet<std::int64_t> hits;
    double score = 0;

    bool holds(std::int64_t id) const { return sentences.count(id) > 0; }
    bool touches(std::int64_t low, std::int64_t high) const
    {
        return !sentences.empty() && low <= sentences.rbegin()->first + 1 && high >= sentences.begin()->first - 1;
    }
};

bool cjkAt(const QString &text, qsizetype i)
{
    return i >= 0 && i < text.size() && util::isCjk(text.at(i).unicode());
}

} // namespace

struct PassageRetriever::Impl {
    explicit Impl(store::Library &lib)
        : library(lib)
    {
    }

    Expected<std::vector<store::SearchHit>> rank(const QuestionQuery &query, int limit, int offset, Retrieval &r);
    Expected<int> sectionOf(std::int64_t documentId, int start);
    Expected<bool> addHit(const store::SearchHit &hit, double weight, const RetrievalOptions &o);
    Expected<std::vector<store::SentenceRecord>> window(const store::SentenceRecord &hit, int section, int k);
    Passage finish(const Group &group, const QuestionQuery &query);

    store::Library &library;
    int candidateLimit = 0;
    WordBreaker words;
    QHash<std::int64_t, std::vector<store::SectionRecord>> sections;
    std::vector<Group> groups;
    QSet<QString> seenTexts;
};

PassageRetriever::PassageRetriever(store::Library &library)
    : d(std::make_unique<Impl>(library))
{
}

PassageRetriever::~PassageRetriever() = default;

// bm25 over every match of any term; when that is too many matches to rank, the sentences with every
// term (or the question's word pairs) come first, then the rest in the order the store gave.
Expected<std::vector<store::SearchHit>> PassageRetriever::Impl::rank(
    const QuestionQuery &query, int limit, int offset, Retrieval &r)
{
    store::RankedSearchOptions options;
    options.limit = limit;
    options.offset = offset;
    options.candidateLimit = candidateLimit;
    r.query = query.anyTermQuery();
    auto any = store::rankedSearch(library, r.query, options);
    if (!any)
        return std::unexpected(any.error());
    r.matches = any->candidates;
    if (!any->truncated)
        return std::move(any->hits);
    auto all = store::rankedSearch(library, query.allTermsQuery(), options);
    if (!all)
        return std::unexpected(all.error());
    if (all->hits.empty())
        return std::move(any->hits);
    r.narrowed = true;
    r.query = query.allTermsQuery();
    r.matches = all->candidates;
    std::vector<store::SearchHit> hits = std::move(all->hits);
    for (store::SearchHit &hit : any->hits) {
        const bool known = std::any_of(
            hits.cbegin(), hits.cend(), [&](const store::SearchHit &h) { return h.sentenceId == hit.sentenceId; });
        if (!known)
            hits.push_back(std::move(hit));
    }
    return hits;
}

Expected<int> PassageRetriever::Impl::sectionOf(std::int64_t documentId, int start)
{
    auto it = sections.find(documentId);
    if (it == sections.end()) {
        auto list = library.sections(documentId);
        if (!list)
            return std::unexpected(list.error());
        it = sections.insert(documentId, std::move(*list));
    }
    int found = -1;
    for (std::size_t i = 0; i < it->size(); ++i) {
        const store::SectionRecord &s = (*it)[i];
        if (s.start <= start && start < std::max(s.end, s.start + 1))
            found = static_cast<int>(i);
    }
    return found;
}

// The hit and up to k sentences on each side, in the same document and section.
Expected<std::vector<store::SentenceRecord>> PassageRetriever::Impl::window(
    const store::SentenceRecord &hit, int section, int k)
{
    std::vector<store::SentenceRecord> out { hit };
    for (int step : { -1, 1 }) {
        for (int i = 1; i <= k; ++i) {
            auto s = library.sentence(hit.id + step * i);
            if (!s)
                return std::unexpected(s.error());
            if (!*s || (*s)->documentId != hit.documentId)
                break;
            auto sec = sectionOf(hit.documentId, (*s)->start);
            if (!sec)
                return std::unexpected(sec.error());
            if (*sec != section)
                break;
            out.push_back(std::move(**s));
        }
    }
    return out;
}

// Adds a ranked hit: to the passage that holds or touches it, or as a new passage. False when it
// was dropped (a copy of a passage's text, or no room for another passage).
Expected<bool> PassageRetriever::Impl::addHit(const store::SearchHit &hit, double weight, const RetrievalOptions &o)
{
    for (Group &g : groups) {
        if (g.first.documentId == hit.documentId && g.holds(hit.sentenceId)) {
            g.hits.insert(hit.sentenceId);
            g.score += weight;
            return true;
        }
    }
    auto sentence = library.sentence(hit.sentenceId);
    if (!sentence)
        return std::unexpected(sentence.error());
    if (!*sentence)
        return false;
    const QString key = foldKey(QStringView((*sentence)->text.simplified()));
    if (seenTexts.contains(key))
        return false;
    auto section = sectionOf(hit.documentId, (*sentence)->start);
    if (!section)
        return std::unexpected(section.error());
    auto around = window(**sentence, *section, o.neighbours);
    if (!around)
        return std::unexpected(around.error());
    for (const store::SentenceRecord &s : *around)
        seenTexts.insert(foldKey(QStringView(s.text.simplified())));
    for (Group &g : groups) {
        const bool sameSection = g.first.documentId == hit.documentId && g.section == *section;
        if (sameSection && g.touches(hit.sentenceId - o.neighbours, hit.sentenceId + o.neighbours)
            && static_cast<int>(g.sentences.size()) < o.maxSentences) {
            // Sentences between the passage and the hit keep it contiguous; those beyond only while there is room.
            const std::int64_t low = std::min(g.sentences.begin()->first, hit.sentenceId);
            const std::int64_t high = std::max(g.sentences.rbegin()->first, hit.sentenceId);
            for (store::SentenceRecord &s : *around) {
                if ((s.id >= low && s.id <= high) || static_cast<int>(g.sentences.size()) < o.maxSentences)
                    g.sentences.emplace(s.id, std::move(s));
            }
            g.hits.insert(hit.sentenceId);
            g.score += weight;
            return true;
        }
    }
    if (static_cast<int>(groups.size()) >= o.passages)
        return false;
    Group g { hit, *section, {}, { hit.sentenceId }, weight };
    for (store::SentenceRecord &s : *around) {
        const bool taken = std::any_of(groups.cbegin(), groups.cend(), [&](const Group &other) {
            return other.first.documentId == hit.documentId && other.holds(s.id);
        });
        if (!taken)
            g.sentences.emplace(s.id, std::move(s));
    }
    groups.push_back(std::move(g));
    return true;
}

Passage PassageRetriever::Impl::finish(const Group &g, const QuestionQuery &query)
{
    Passage p;
    p.documentId = g.first.documentId;
    p.title = g.first.title.isEmpty() ? QFileInfo(g.first.path).fileName() : g.first.title;
    p.path = g.first.path;
    p.page = g.first.page;
    p.score = g.score;
    p.citedSentenceId = g.first.sentenceId;
    if (g.section >= 0)
        p.section = sections.value(g.first.documentId).at(static_cast<std::size_t>(g.section)).title;
    for (const auto &[id, s] : g.sentences) {
        if (!p.text.isEmpty() && !(cjkAt(p.text, p.text.size() - 1) && cjkAt(s.text, 0)))
            p.text += QLatin1Char(' ');
        p.sentences.push_back({ id, s.page, s.start, s.end, int(p.text.size()), g.hits.contains(id) });
        p.text += s.text;
    }
    p.highlights = query.matches(p.text, words);
    return p;
}

Expected<Retrieval> PassageRetriever::retrieve(const QString &question, const RetrievalOptions &options)
{
    QElapsedTimer timer;
    timer.start();
    d->candidateLimit = options.candidateLimit;
    const QuestionQuery query = QuestionQuery::parse(question, d->words);
    if (query.isEmpty())
        return fail(Error::Code::Empty,
            "the question has no words to search for: name what it is about (\"Who is Captain Ahab?\")");
    Retrieval r;
    r.terms = query.words();
    d->sections.clear();
    d->groups.clear();
    d->seenTexts.clear();
    // An archive full of copies can spend the best candidates on one text: then the next ones are ranked.
    int done = 0;
    for (int round = 0; round < 2; ++round) {
        const int wanted = round == 0 ? options.candidates : 3 * options.candidates;
        auto hits = d->rank(query, wanted, done, r);
        if (!hits)
            return std::unexpected(hits.error());
        for (std::size_t i = 0; i < hits->size(); ++i) {
            auto added = d->addHit((*hits)[i], 1.0 / (10.0 + done + static_cast<double>(i)), options);
            if (!added)
                return std::unexpected(added.error());
        }
        done += static_cast<int>(hits->size());
        if (static_cast<int>(d->groups.size()) >= options.passages || static_cast<int>(hits->size()) < wanted
            || r.narrowed)
            break;
    }
    std::stable_sort(
        d->groups.begin(), d->groups.end(), [](const Group &a, const Group &b) { return a.score > b.score; });
    for (const Group &g : d->groups)
        r.passages.push_back(d->finish(g, query));
    d->groups.clear();
    r.elapsedMs = timer.elapsed();
    return r;
}

} // namespace quire::analysis
