#pragma once

#include <QString>
#include <memory>
#include <vector>

namespace quire::analysis
{

// A word of a text: [start, end) in UTF-16 code units.
struct WordToken {
    int start = 0;
    int end = 0;
    bool cjk = false; // ideographs or kana (ICU's dictionary words)
    int length() const { return end - start; }
};

// ICU word boundaries (dictionary-based for Chinese and Japanese), keeping only words: letters, numbers,
// ideographs; spaces and punctuation are skipped. Not thread-safe: one per thread.
class WordBreaker
{
public:
    WordBreaker();
    ~WordBreaker();
    WordBreaker(const WordBreaker &) = delete;
    WordBreaker &operator=(const WordBreaker &) = delete;

    std::vector<WordToken> words(QStringView text);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace quire::analysis
