#pragma once

// A thread-safe cache of the ids of encoded words, shared by every encode() call of one tokenizer
// (internal to quire_inference). Archives are tokenised in many small calls that repeat the same words;
// merging a word costs microseconds, a cache hit tens of nanoseconds.

#include <array>
#include <cstdint>
#include <functional>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
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
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view> {}(s); }
    };
    struct Shard {
        std::mutex mutex;
        std::unordered_map<std::string, std::vector<std::int32_t>, Hash, std::equal_to<>> ids;
    };
    static constexpr std::size_t ShardCount = 32;
    static constexpr std::size_t MaxWordsPerShard = 8192; // then the shard starts afresh

    Shard &shardOf(std::string_view word) const { return m_shards[Hash {}(word) % ShardCount]; }

    mutable std::array<Shard, ShardCount> m_shards;
};

inline bool WordCache::lookup(std::string_view word, std::vector<std::int32_t> &out) const
{
    if (word.size() > MaxWordBytes)
        return false;
    Shard &shard = shardOf(word);
    std::lock_guard lock(shard.mutex);
    const auto it = shard.ids.find(word);
    if (it == shard.ids.end())
        return false;
    out.insert(out.end(), it->second.begin(), it->second.end());
    return true;
}

inline void WordCache::store(std::string_view word, std::span<const std::int32_t> ids) const
{
    if (word.size() > MaxWordBytes)
        return;
    Shard &shard = shardOf(word);
    std::lock_guard lock(shard.mutex);
    if (shard.ids.size() >= MaxWordsPerShard)
        shard.ids.clear();
    shard.ids.emplace(std::string(word), std::vector<std::int32_t>(ids.begin(), ids.end()));
}

} // namespace quire::inference
