#pragma once

#include <QString>
#include <memory>
#include <vector>

namespace quire::ingest
{

// A range of UTF-16 code units [start, end) in a QString.
struct TextRange {
    int start = 0;
    int end = 0;
    int length() const { return end - start; }
    bool operator==(const TextRange &) const = default;
};

// Sentence and word boundaries through ICU's break iterators, locale-aware (CJK included: 。！？ end
// sentences, ideographs are split into words by ICU's dictionary). Abbreviations such as "Mr." or "e.g."
// do not end sentences (ICU's "ss=standard" suppressions for the locale).
//
// A single line break does not end a sentence (hard-wrapped text and PDF lines); an empty line does.
// Sentences are trimmed, those without a letter or digit are dropped, and run-on "sentences" (tables,
// unpunctuated text) are cut at maxSentenceLength(), preferably at a line break or a space.
//
// Not thread-safe: use one Segmenter per thread. Cheap to reuse, costly to create (ICU rule data).
class Segmenter
{
public:
    // `locale`: a BCP 47 tag or ICU id ("en", "de-CH", "zh", "ja"); empty means English rules,
    // which also end sentences at CJK punctuation.
    explicit Segmenter(const QString &locale = {});
    ~Segmenter();
    Segmenter(const Segmenter &) = delete;
    Segmenter &operator=(const Segmenter &) = delete;

    // False when ICU could not build the iterators (missing data); sentences() then splits at line breaks.
    bool isValid() const;
    QString locale() const;

    static constexpr int DefaultMaxSentenceLength = 1000;
    void setMaxSentenceLength(int units);
    int maxSentenceLength() const;

    // Sentences of text[from, to) (to = -1: the end), with offsets into `text`.
    std::vector<TextRange> sentences(const QString &text, int from = 0, int to = -1);
    // Words (letters, numbers, kana, ideographs) of text[from, to); spaces and punctuation skipped.
    std::vector<TextRange> words(const QString &text, int from = 0, int to = -1);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace quire::ingest
