#pragma once

#include "util/error.h"

#include <QString>
#include <QStringList>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace quire::store
{
class Library;
}

namespace quire::analysis
{

class WordBreaker;

struct PassageSentence {
    std::int64_t id = 0;
    int page = 1;
    int start = 0; // in the document's text
    int end = 0;
    int offset = 0; // where it starts in Passage::text
    bool hit = false; // matched the question (the others are its neighbours)
};

// A few consecutive sentences of one document (and one section) around sentences that match a question.
struct Passage {
    std::int64_t documentId = 0;
    QString title;
    QString path;
    QString section; // title of the section it lies in, if any
    int page = 1; // of its first hit
    QString text; // its sentences, joined
    std::vector<PassageSentence> sentences;
    std::vector<std::pair<int, int>> highlights; // (offset, length) of the question's terms in text
    double score = 0; // higher is better
    std::int64_t citedSentenceId = 0; // its best-ranked hit: where a citation of it opens the reader

    std::vector<std::int64_t> sentenceIds() const;
    std::vector<std::int64_t> hitSentenceIds() const;
};

struct RetrievalOptions {
    int passages = 8; // at most this many
    int neighbours = 1; // sentences on each side of a hit, within its document and section
    int maxSentences = 6; // per passage, when hits next to each other merge
    int candidates = 80; // best-ranked sentences grouped into passages
    // Queries with more matches than this are not ranked by bm25 over every match (see
    // store::RankedSearchOptions::candidateLimit): the retriever first narrows to sentences with every term.
    int candidateLimit = 20000;
};

struct Retrieval {
    QStringList terms; // the question's content words
    QString query; // the FTS5 query that ranked the sentences
    std::int64_t matches = 0; // sentences ranked
    bool narrowed = false; // the any-term query matched too much, so every term was required
    std::vector<Passage> passages;
    qint64 elapsedMs = 0;
};

// Retrieval for questions over a whole library: the question becomes an FTS5 query (QuestionQuery),
// bm25 ranks sentences, the best are grouped with their neighbours into passages, passages with the same
// text (copies of a document) are kept once. One per thread (it holds the library connection).
class PassageRetriever
{
public:
    explicit PassageRetriever(store::Library &library);
    ~PassageRetriever();
    PassageRetriever(const PassageRetriever &) = delete;
    PassageRetriever &operator=(const PassageRetriever &) = delete;

    // A question without content words (only "what is it?") fails with Error::Code::Empty.
    Expected<Retrieval> retrieve(const QString &question, const RetrievalOptions &options = {});

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace quire::analysis
