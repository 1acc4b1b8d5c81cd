#include "inference/kvcache.h"

#include "inference/ggmltype.h"

#include <algorithm>
#include <cstring>
#include <new>

namespace quire::inference
{

const char *kvTypeName(KvType type)
{
    switch (type) {
    case KvType::F32:
        return "f32";
    case KvType::F16:
        return "f16";
    case KvType::Q8_0:
        return "q8_0";
    }
    return "?";
}

std::size_t kvRowBytes(KvType type, std::int32_t headDim)
{
    const auto n = static_cast<std::size_t>(headDim);
    switch (type) {
    case KvType::F32:
        return n * 4;
    case KvType::F16:
        return n * 2;
    case KvType::Q8_0:
        return n / QK8_0 * sizeof(BlockQ8_0);
    }
    return 0;
}

KvCache::KvCache(const KvCacheConfig &config)
    : m_config(config)
{
}

KvCache::~KvCache() = default;

Expected<std::unique_ptr<KvCache>> KvCache::create(const KvCacheConfig &config)
{
    if (config.nLayer <= 0 || config.nHeadKv <= 0 || config.headDimK <= 0 || config.headDimV <= 0
        || config.capacity <= 0 || config.blockTokens <= 0)
        return fail(Error::Code::InvalidArgument, "KV cache configuration has a zero or negative size");
    if (config.type == KvType::Q8_0 && (config.headDimK % QK8_0 != 0 || config.headDimV % QK8_0 != 0)) {
        return fail(Error::Code::Unsupported,
            "a q8_0 KV cache needs head sizes that are multiples of 32 (this model has "
                + std::to_string(config.headDimK) + "): use an f16 cache");
    }
    std::unique_ptr<KvCache> cache(new KvCache(config));
    cache->m_kRow = kvRowBytes(config.type, config.headDimK);
    cache->m_vRow = kvRowBytes(config.type, config.headDimV);
    const auto perHead = static_cast<std::size_t>(config.blockTokens);
    cache->m_layerBytes = static_cast<std::size_t>(config.nHeadKv) * perHead * (cache->m_kRow + cache->m_vRow);
    return cache;
}

std::size_t KvCache::bytesAllocated() const
{
    return m_blocks.size() * blockBytes();
}

std::size_t KvCache::bytesBorrowed() const
{
    std::size_t n = 0;
    for (const auto &owned : m_owned)
        n += owned ? 0 : blockBytes();
    return n;
}

namespace
{

std::unique_ptr<std::uint8_t[]> allocateBlock(std::size_t bytes)
{
    return std::unique_ptr<std::uint8_t[]>(new (std::nothrow) std::uint8_t[bytes]);
}

} // namespace

Expected<void> KvCache::reserve(std::int32_t newLength)
{
    if (newLength > m_config.capacity) {
        return fail(Error::Code::TooLarge,
            "context is full: " + std::to_string(newLength) + " tokens needed, the context holds "
                + std::to_string(m_config.capacity) + " (use a larger context or a shorter prompt)");
    }
    const auto needed = static_cast<std::size_t>((newLength + m_config.blockTokens - 1) / m_config.blockTokens);
    // Borrowed blocks about to be written become the cache's own (copy on write).
    for (auto b = static_cast<std::size_t>(m_length / m_config.blockTokens); b < std::min(needed, m_blocks.size());
         ++b) {
        if (m_owned[b])
            continue;
        auto copy = allocateBlock(blockBytes());
        if (!copy)
            return fail(Error::Code::TooLarge, "out of memory for the KV cache");
        // Only a block that still holds valid positions needs its contents.
        if (static_cast<std::int64_t>(b) * m_config.blockTokens < m_length)
            std::memcpy(copy.get(), m_blocks[b], blockBytes());
        m_blocks[b] = copy.get();
        m_owned[b] = std::move(copy);
    }
    while (m_blocks.size() < needed) {
        auto block = allocateBlock(blockBytes());
        if (!block)
            return fail(Error::Code::TooLarge, "out of memory for the KV cache");
        m_blocks.push_back(block.get());
        m_owned.push_back(std::move(block));
    }
    return {};
}

Expected<void> KvCache::adopt(
    std::shared_ptr<const void> backing, std::span<const std::uint8_t *const> blocks, std::int32_t length)
{
    const auto needed = static_cast<std::size_t>((length + m_config.blockTokens - 1) / m_config.blockTokens);
    if (length < 0 || blocks.size() != needed)
        return fail(Error::Code::InvalidArgument, "KV cache snapshot: the block count does not match its length");
    if (length > m_config.capacity) {
        return fail(Error::Code::TooLarge,
            "the saved prefix has " + std::to_string(length) + " tokens but the context holds "
                + std::to_string(m_config.capacity) + ": use a larger context");
    }
    // Read-only memory: every write goes through reserve(), which copies the block first.
    m_blocks.clear();
    for (const std::uint8_t *b : blocks)
        m_blocks.push_back(const_cast<std::uint8_t *>(b));
    m_owned.clear();
    m_owned.resize(m_blocks.size());
    m_backing = std::move(backing);
    m_length = length;
    return {};
}

void KvCache::truncate(std::int32_t length)
{
    if (length < m_length)
        m_length = length < 0 ? 0 : length;
}

std::int32_t KvCache::blockCount() const
{
    return (m_length + m_config.blockTokens - 1) / m_config.blockTokens;
}

std::uint8_t *KvCache::layerBase(int layer, std::int32_t block) const
{
    return m_blocks[static_cast<std::size_t>(block)] + static_cast<std::size_t>(layer) * m_layerBytes;
}

KvBlockView KvCache::block(int layer, std::int32_t index) const
{
    KvBlockView v;
    std::uint8_t *base = layerBase(layer, index);
    v.keys = base;
    v.values
        = base + static_cast<std::size_t>(m_config.nHeadKv) * static_cast<std::size_t>(m_config.blockTokens) * m_kRow;
    v.firstPos = index * m_config.blockTokens;
    v.count = std::min(m_config.blockTokens, m_length - v.firstPos);
    return v;
}

std::uint8_t *KvCache::keyRow(int layer, int head, std::int32_t pos)
{
    const std::int32_t b = pos / m_config.blockTokens;
    const auto slot = static_cast<std::size_t>(head * m_config.blockTokens + pos % m_config.blockTokens);
    return layerBase(layer, b) + slot * m_kRow;
}

std::uint8_t *KvCache::valueRow(int layer, int head, std::int32_t pos)
{
    const std::int32_t b = pos / m_config.blockTokens;
    const auto slot = static_cast<std::size_t>(head * m_config.blockTokens + pos % m_config.blockTokens);
    const std::size_t keys
        = static_cast<std::size_t>(m_config.nHeadKv) * static_cast<std::size_t>(m_config.blockTokens) * m_kRow;
    return layerBase(layer, b) + keys + slot * m_vRow;
}

} // namespace quire::inference
