#pragma once

#include "util/error.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
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

    // Makes room for positions up to newLength - 1 (allocating blocks); fails past capacity. Blocks that
    // will receive positions length() .. newLength - 1 and are borrowed from a snapshot are copied first.
    Expected<void> reserve(std::int32_t newLength);
    void setLength(std::int32_t length) { m_length = length; } // after the new rows were written
    void truncate(std::int32_t length); // forget positions >= length

    std::int32_t blockCount() const; // blocks holding positions < length()
    KvBlockView block(int layer, std::int32_t index) const;
    // The row for (layer, head, position) to write; the block must be reserved.
    std::uint8_t *keyRow(int layer, int head, std::int32_t pos);
    std::uint8_t *valueRow(int layer, int head, std::int32_t pos);

    // One block's storage, every layer: what a snapshot saves and restores.
    std::size_t blockBytes() const { return m_layerBytes * static_cast<std::size_t>(m_config.nLayer); }
    const std::uint8_t *blockData(std::int32_t index) const { return m_blocks[static_cast<std::size_t>(index)]; }
    // Replaces the contents with `length` positions whose blocks (blockBytes() each, in order) live in
    // memory that `backing` keeps alive (a mapped snapshot file). They are read in place; a block is
    // copied into the cache's own memory only when it is written to. Fails past capacity.
    Expected<void> adopt(
        std::shared_ptr<const void> backing, std::span<const std::uint8_t *const> blocks, std::int32_t length);
    std::size_t bytesBorrowed() const; // of bytesAllocated(), the part read in place from a snapshot
private:
    explicit KvCache(const KvCacheConfig &config);
    std::uint8_t *layerBase(int layer, std::int32_t block) const;

    KvCacheConfig m_config;
    std::size_t m_kRow = 0;
    std::size_t m_vRow = 0;
    std::size_t m_layerBytes = 0; // per block: keys + values of one layer
    std::int32_t m_length = 0;
    // Logical block -> storage (all layers): m_owned[i] when the cache allocated it, else memory kept
    // alive by m_backing (read-only; copied on the first write).
    std::vector<std::uint8_t *> m_blocks;
    std::vector<std::unique_ptr<std::uint8_t[]>> m_owned;
    std::shared_ptr<const void> m_backing;
};

std::size_t kvRowBytes(KvType type, std::int32_t headDim);

} // namespace quire::inference
