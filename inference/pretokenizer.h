#pragma once

// The regex pre-tokenizers of byte-level BPE vocabularies (internal to quire_inference).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace quire::inference
{

// Splits text into the pieces that BPE then merges independently, the way llama.cpp applies the
// `tokenizer.ggml.pre` regexes: each pass splits every piece of the previous one into its matches and
// the unmatched runs between them. The regexes are hand-written matchers (no regex engine): each
// alternative is tried in order at each position, with the regex's greedy and backtracking behaviour.
class PreTokenizer
{
public:
    struct Piece {
        std::size_t offset; // bytes into the text
        std::size_t length;
    };
    // A matcher returns how many code points of cps[pos, end) the regex matches at pos, 0 for none.
    struct Text {
        std::vector<char32_t> cps;
        std::vector<std::uint8_t> flags;
    };
    using Matcher = std::size_t (*)(const Text &text, std::size_t pos, std::size_t end);

    // nullopt when `pre` names a pre-tokenizer we do not know.
    static std::optional<PreTokenizer> forName(std::string_view pre);

    // Appends the pieces of text to out.
    void split(std::string_view text, std::vector<Piece> &out) const;

private:
    std::vector<Matcher> m_passes;
};

} // namespace quire::inference
