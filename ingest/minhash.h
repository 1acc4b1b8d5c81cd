#pragma once

#include <QByteArray>
#include <QString>
#include <array>
#include <cstdint>
#include <optional>

namespace quire::ingest
{

// A MinHash signature of a text's 3-word shingles, for near-duplicate detection. One-permutation hashing
// (each shingle is hashed once and lands in one of Size bins; empty bins are filled from their neighbours)
// keeps it at one hash per word, so it runs over whole archives. Words are runs of letters and digits,
// lower-cased; every CJK character is a word of its own.
class MinHash
{
public:
    static constexpr int Size = 128;
    using Signature = std::array<std::uint32_t, Size>;

    // Nothing when the text has no word.
    static std::optional<Signature> of(const QString &text);
    // The estimated Jaccard similarity of the two shingle sets: the fraction of equal bins.
    static double similarity(const Signature &a, const Signature &b);

    static QByteArray toBytes(const Signature &signature); // little-endian, 4 * Size bytes
    static std::optional<Signature> fromBytes(const QByteArray &bytes);
};

} // namespace quire::ingest
