#pragma once

#include "util/error.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace quire::inference
{

enum class KvType { F32, F16, Q8_0 };
const char *kvTypeName(KvType type);

struct KvCacheConfig {
    std::int32_t nLayer = 0;
    std::int32_t nHeadKv = 0;
    std::int32_t headDimK = 0;
    std::int32_t headDimV = 0;
    std::int32_t capacity = 0; // tokens
    std::int32_t blockTokens = 256; // positions per block
    KvType type = KvType::F16;
};

// Where one block of one layer lives: keys then values, each [nHeadKv][blockTokens][headDim] rows of
// rowBytes. Positions firstPos .. firstPos + count - 1 are valid.
struct KvBlockView {
    const std::uint8_t *keys = nullptr;
    const std::uint8_t *values = nullptr;
    std::int32_t firstPos = 0;
    std::int32_t count = 0;
};

// The key/value cache of one sequence, paged in fixed-size blocks of positions. Blocks are allocated on
// first use from a host pool; attention walks a list of blocks (KvBlockView), so a later sparse-attention
// pass can hand it a chosen subset, and a pager can move cold blocks out of memory, without touching
// the attention kernels.
class KvCache
{
public:
    static Expected<std::unique_ptr<KvCache>> create(const KvCacheConfig &config);
    ~KvCache();
    KvCache(const KvCache &) = delete;
    KvCache &operator=(const KvCache &) = delete;

    const KvCacheConfig &config() const { return m_config; }
    std::int32_t length() const { return m_length; }
    std::int32_t capacity() const { return m_config.capacity; }
    std::size_t keyRowBytes() const { return m_kRow; }
    std::size_t valueRowBytes() const { return m_vRow; }
    std::size_t bytesAllocated() const;

    // Makes room for positions up to newLength - 1 (allocating blocks); fails past capacity.
    Expected<void> reserve(std::int32_t newLength);
    void setLength(std::int32_t length) { m_length = length; } // after the new rows were written
    void truncate(std::int32_t length); // forget positions >= length

    std::int32_t blockCount() const; // blocks holding positions < length()
    KvBlockView block(int layer, std::int32_t index) const;
    // The row for (layer, head, position) to write; the block must be reserved.
    std::uint8_t *keyRow(int layer, int head, std::int32_t pos);
    std::uint8_t *valueRow(int layer, int head, std::int32_t pos);

private:
    explicit KvCache(const KvCacheConfig &config);
    std::uint8_t *layerBase(int layer, std::int32_t block) const;

    KvCacheConfig m_config;
    std::size_t m_kRow = 0;
    std::size_t m_vRow = 0;
    std::size_t m_layerBytes = 0; // per block: keys + values of one layer
    std::int32_t m_length = 0;
    std::vector<std::unique_ptr<std::uint8_t[]>> m_blocks; // logical block -> storage (all layers)
};

std::size_t kvRowBytes(KvType type, std::int32_t headDim);

} // namespace quire::inference
