#pragma once

#include <QString>
#include <QStringList>
#include <utility>
#include <vector>

namespace quire::analysis
{

class WordBreaker;

// A content word of a question, as the full-text search matches it.
struct QueryTerm {
    QString word; // as typed, folded ("whales", "刘备")
    QStringList forms; // the exact words matched: the word and its light inflections ("whale", "whales" ...)
    bool cjk = false;
};

// Turns a natural-language question into full-text queries: ICU words, the function words of the
// question's language (Chinese for CJK words) and question words (resources/stoplists/questions.txt)
// dropped, each word with its light inflections as exact alternatives (whales → whale, whales, whaling …;
// not a prefix query, which costs five times more on a large index), CJK words as phrases; the OR of the
// terms plus the pairs of terms that are neighbours in the question as phrases, so that passages holding
// the question's wording rank first under bm25.
class QuestionQuery
{
public:
    static QuestionQuery parse(const QString &question, WordBreaker &words);

    bool isEmpty() const { return m_terms.empty(); }
    const std::vector<QueryTerm> &terms() const { return m_terms; }
    QStringList words() const;
    // Any term: what ranks best with bm25 when the matches are few enough to rank them all.
    QString anyTermQuery() const;
    // Every term (or a neighbour pair): the narrower query for when anyTermQuery() matches too much.
    QString allTermsQuery() const;
    // (offset, length) of the words of `text` that match a term, in order, not overlapping.
    std::vector<std::pair<int, int>> matches(const QString &text, WordBreaker &words) const;

private:
    QString termQuery(const QueryTerm &term) const;
    QString pairQuery(std::size_t first) const;
    std::vector<QueryTerm> m_terms;
    std::vector<std::size_t> m_pairs; // i: terms i and i + 1 were neighbours in the question
};

} // namespace quire::analysis
