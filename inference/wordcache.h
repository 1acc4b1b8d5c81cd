#pragma once

// A thread-safe cache of the ids of encoded words, shared by every encode() call of one tokenizer
// (internal to quire_inference). Archives are tokenised in many small calls that repeat the same words;
// merging a word costs microseconds, a cache hit tens of nanoseconds.

#include "flatstringmap.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

namespace quire::inference
{

class WordCache
{
public:
    // Appends the cached ids of word to out; false when it is not cached.
    bool lookup(std::string_view word, std::vector<std::int32_t> &out) const;
    void store(std::string_view word, std::span<const std::int32_t> ids) const;
    // Appends the ids of word, from the cache or from encode(word, out) (then cached).
    template <typename Encode> void append(std::string_view word, std::vector<std::int32_t> &out, Encode &&encode) const
    {
        if (lookup(word, out))
            return;
        const std::size_t before = out.size();
        encode(word, out);
        store(word, std::span<const std::int32_t>(out).subspan(before));
    }

    // Longer words are rare and not worth the memory.
    static constexpr std::size_t MaxWordBytes = 48;

private:
    // Words and ids live in arenas; a full shard starts afresh.
    struct Shard {
        std::mutex mutex;
        FlatStringMap<std::pair<std::uint32_t, std::uint32_t>> index; // word -> [begin, end) in ids
        std::vector<std::unique_ptr<char[]>> blocks;
        std::size_t blockUsed = BlockBytes;
        std::vector<std::int32_t> ids;
    };
    static constexpr std::size_t ShardCount = 32;
    static constexpr std::size_t MaxWordsPerShard = 8192;
    static constexpr std::size_t BlockBytes = 64 * 1024;

    Shard &shardOf(std::string_view word) const
    {
        std::uint64_t h = 0;
        std::memcpy(&h, word.data(), std::min<std::size_t>(word.size(), 8));
        h = (h ^ word.size()) * 0x9E3779B97F4A7C15ull;
        return m_shards[(h >> 40) % ShardCount];
    }

    mutable std::array<Shard, ShardCount> m_shards;
};

inline bool WordCache::lookup(std::string_view word, std::vector<std::int32_t> &out) const
{
    if (word.size() > MaxWordBytes)
        return false;
    Shard &shard = shardOf(word);
    std::lock_guard lock(shard.mutex);
    const auto *range = shard.index.find(word);
    if (!range)
        return false;
    out.insert(out.end(), shard.ids.begin() + range->first, shard.ids.begin() + range->second);
    return true;
}

inline void WordCache::store(std::string_view word, std::span<const std::int32_t> ids) const
{
    if (word.size() > MaxWordBytes || word.empty())
        return;
    Shard &shard = shardOf(word);
    std::lock_guard lock(shard.mutex);
    if (shard.index.size() >= MaxWordsPerShard) {
        shard.index = {};
        shard.blocks.clear();
        shard.blockUsed = BlockBytes;
        shard.ids.clear();
    }
    if (shard.index.find(word))
        return; // another thread was first
    if (shard.blockUsed + word.size() > BlockBytes) {
        shard.blocks.push_back(std::make_unique<char[]>(BlockBytes));
        shard.blockUsed = 0;
    }
    char *copy = shard.blocks.back().get() + shard.blockUsed;
    std::memcpy(copy, word.data(), word.size());
    shard.blockUsed += word.size();
    const auto begin = static_cast<std::uint32_t>(shard.ids.size());
    shard.ids.insert(shard.ids.end(), ids.begin(), ids.end());
    shard.index.insertOrAssign(
        std::string_view(copy, word.size()), { begin, static_cast<std::uint32_t>(shard.ids.size()) });
}

} // namespace quire::inference
