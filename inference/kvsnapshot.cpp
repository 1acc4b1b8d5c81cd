#include "inference/kvsnapshot.h"

#include "inference/gguffile.h"
#include "inference/hash64.h"
#include "inference/mappedfile.h"
#include "inference/model.h"
#include "inference/strformat.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace quire::inference
{

namespace
{

// File layout, little-endian, every section offset a multiple of 64 and the blocks page-aligned:
//   FileHeader (240 bytes, padded to 256)
//   tokens: length x int32
//   summaries (when saved): per layer, summaryBlocks x int32 counts, then summaryBlocks x
//     (nHeadKv x 3 x headDimK) floats, as KeySummaries keeps them
//   blocks: blockCount x blockBytes, each a KvCache block (every layer's keys then values); the unused
//     rows of the last block are zero, so the same state always gives the same file
// payloadHash chains XXH64 over tokens, summaries and blocks in that order; headerHash covers the header
// before it. Readers check both before trusting any offset.
constexpr char kMagic[8] = { 'Q', 'U', 'I', 'R', 'E', 'K', 'V', '\0' };
constexpr std::uint32_t kVersion = 1;
constexpr std::uint64_t kPage = 4096;
constexpr std::uint64_t kSectionAlign = 64;

struct FileHeader {
    char magic[8];
    std::uint32_t version;
    std::uint32_t headerBytes;
    std::uint64_t modelFingerprint;
    char modelName[64];
    std::int32_t layout[6]; // nLayer, nHeadKv, headDimK, headDimV, blockTokens, kvType
    std::int32_t attention[8]; // mode, denseThreshold, sinks, window, block, topK, summary, denseFirstLayers
    std::int32_t microBatch;
    std::int32_t hasSummaries;
    std::int32_t length;
    std::int32_t summaryBlocks; // per layer
    std::uint64_t tokensHash;
    std::uint64_t tokensOffset;
    std::uint64_t summariesOffset;
    std::uint64_t summariesBytes;
    std::uint64_t blocksOffset;
    std::uint64_t blockBytes;
    std::uint64_t blockCount;
    std::uint64_t fileBytes;
    std::uint64_t payloadHash;
    std::uint64_t headerHash; // of the bytes before this field
};
static_assert(sizeof(FileHeader) == 240, "the header has no padding");
static_assert(std::endian::native == std::endian::little);

std::uint64_t alignUp(std::uint64_t n, std::uint64_t a)
{
    return (n + a - 1) / a * a;
}

std::span<const std::uint8_t> asBytes(const void *p, std::size_t n)
{
    return { static_cast<const std::uint8_t *>(p), n };
}

std::uint64_t headerHash(const FileHeader &h)
{
    return hash64(asBytes(&h, offsetof(FileHeader, headerHash)));
}

std::uint64_t summaryBytesPerLayer(const KvSnapshotBinding &b, std::int32_t blocks)
{
    const auto perBlock = static_cast<std::uint64_t>(b.cache.nHeadKv) * 3 * b.cache.headDimK * sizeof(float);
    return static_cast<std::uint64_t>(blocks) * (sizeof(std::int32_t) + perBlock);
}

// Where the sections go for a given binding and length; shared by the writer and the reader's checks.
FileHeader plan(const KvSnapshotBinding &b, std::int32_t length, std::size_t blockBytes)
{
    FileHeader h;
    std::memset(&h, 0, sizeof h);
    std::memcpy(h.magic, kMagic, sizeof kMagic);
    h.version = kVersion;
    h.headerBytes = sizeof(FileHeader);
    h.modelFingerprint = b.modelFingerprint;
    std::memcpy(h.modelName, b.modelName.data(), std::min(b.modelName.size(), sizeof h.modelName - 1));
    const KvCacheConfig &c = b.cache;
    const std::int32_t layout[6] = { c.nLayer, c.nHeadKv, c.headDimK, c.headDimV, c.blockTokens, int(c.type) };
    std::memcpy(h.layout, layout, sizeof layout);
    const SparseAttentionSettings &a = b.attention;
    const std::int32_t attention[8] = { int(a.mode),
        a.denseThreshold,
        a.sinkTokens,
        a.windowTokens,
        a.blockTokens,
        a.topKTokens,
        int(a.summary),
        a.denseFirstLayers };
    std::memcpy(h.attention, attention, sizeof attention);
    h.microBatch = b.microBatch;
    h.hasSummaries = b.summaries ? 1 : 0;
    h.length = length;
    h.summaryBlocks = b.summaries && a.blockTokens > 0 ? (length + a.blockTokens - 1) / a.blockTokens : 0;
    h.tokensOffset = alignUp(sizeof(FileHeader), kSectionAlign);
    h.summariesOffset = alignUp(h.tokensOffset + static_cast<std::uint64_t>(length) * 4, kSectionAlign);
    h.summariesBytes = static_cast<std::uint64_t>(c.nLayer) * summaryBytesPerLayer(b, h.summaryBlocks);
    h.blocksOffset = alignUp(h.summariesOffset + h.summariesBytes, kPage);
    h.blockBytes = blockBytes;
    h.blockCount = c.blockTokens > 0 ? static_cast<std::uint64_t>((length + c.blockTokens - 1) / c.blockTokens) : 0;
    h.fileBytes = h.blocksOffset + h.blockBytes * h.blockCount;
    return h;
}

KvSnapshotBinding bindingOf(const FileHeader &h)
{
    KvSnapshotBinding b;
    b.modelFingerprint = h.modelFingerprint;
    b.modelName.assign(h.modelName, strnlen(h.modelName, sizeof h.modelName));
    b.cache.nLayer = h.layout[0];
    b.cache.nHeadKv = h.layout[1];
    b.cache.headDimK = h.layout[2];
    b.cache.headDimV = h.layout[3];
    b.cache.blockTokens = h.layout[4];
    b.cache.type = static_cast<KvType>(h.layout[5]);
    b.attention.mode = static_cast<AttentionMode>(h.attention[0]);
    b.attention.denseThreshold = h.attention[1];
    b.attention.sinkTokens = h.attention[2];
    b.attention.windowTokens = h.attention[3];
    b.attention.blockTokens = h.attention[4];
    b.attention.topKTokens = h.attention[5];
    b.attention.summary = static_cast<BlockSummaryKind>(h.attention[6]);
    b.attention.denseFirstLayers = h.attention[7];
    b.microBatch = h.microBatch;
    b.summaries = h.hasSummaries != 0;
    return b;
}

// Bytes of one KV block of the given layout, as KvCache lays it out.
std::uint64_t layoutBlockBytes(const KvCacheConfig &c)
{
    return static_cast<std::uint64_t>(c.nLayer) * c.nHeadKv * c.blockTokens
        * (kvRowBytes(c.type, c.headDimK) + kvRowBytes(c.type, c.headDimV));
}

Error corrupt(const std::string &path, const std::string &what)
{
    return Error::make(Error::Code::Corrupt,
        strFormat("KV cache file {} is damaged ({}): delete it and compute the prefix again", path, what));
}

// Checks what the header claims against itself and the file size; the offsets are safe to use after it.
Expected<void> checkHeader(const std::string &path, const FileHeader &h, std::size_t size)
{
    if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0)
        return fail(Error::Code::Corrupt, strFormat("{} is not a Quire KV cache file", path));
    if (h.version != kVersion) {
        return fail(h.version > kVersion ? Error::Code::TooNew : Error::Code::Unsupported,
            strFormat("KV cache file {} has format version {}; this Quire reads version {}: compute the prefix again",
                path,
                h.version,
                kVersion));
    }
    if (h.headerBytes != sizeof(FileHeader) || headerHash(h) != h.headerHash)
        return std::unexpected(corrupt(path, "header checksum mismatch"));
    if (h.fileBytes != size)
        return std::unexpected(corrupt(path, strFormat("{} bytes, the header says {}: truncated?", size, h.fileBytes)));
    const KvSnapshotBinding b = bindingOf(h);
    const KvCacheConfig &c = b.cache;
    const bool sane = c.nLayer > 0 && c.nHeadKv > 0 && c.headDimK > 0 && c.headDimV > 0 && c.blockTokens > 0
        && h.layout[5] >= 0 && h.layout[5] <= int(KvType::Q8_0) && h.length >= 0 && h.attention[0] >= 0
        && h.attention[0] <= int(AttentionMode::Auto) && h.attention[6] >= 0
        && h.attention[6] <= int(BlockSummaryKind::Mix) && (!b.summaries || b.attention.blockTokens > 0)
        && c.nLayer <= 4096 && c.nHeadKv <= 4096 && c.headDimK <= 65536 && c.headDimV <= 65536
        && c.blockTokens <= (1 << 20);
    if (!sane)
        return std::unexpected(corrupt(path, "impossible sizes in the header"));
    const FileHeader expected = plan(b, h.length, layoutBlockBytes(c));
    if (expected.tokensOffset != h.tokensOffset || expected.summariesOffset != h.summariesOffset
        || expected.summariesBytes != h.summariesBytes || expected.summaryBlocks != h.summaryBlocks
        || expected.blocksOffset != h.blocksOffset || expected.blockBytes != h.blockBytes
        || expected.blockCount != h.blockCount || expected.fileBytes != h.fileBytes)
        return std::unexpected(corrupt(path, "section table does not match the sizes"));
    return {};
}

// A file descriptor for writing a temporary file, removed unless commit() renames it into place.
class TempFile
{
public:
    explicit TempFile(std::string target)
        : m_target(std::move(target))
        , m_path(m_target + ".tmp" + std::to_string(::getpid()))
    {
        m_fd = ::open(m_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    }
    ~TempFile()
    {
        if (m_fd >= 0)
            ::close(m_fd);
        if (!m_committed)
            ::unlink(m_path.c_str());
    }
    TempFile(const TempFile &) = delete;
    TempFile &operator=(const TempFile &) = delete;

    Expected<void> opened() const
    {
        if (m_fd < 0)
            return error("cannot create");
        return {};
    }
    Expected<void> write(std::span<const std::uint8_t> bytes)
    {
        while (!bytes.empty()) {
            const ssize_t n = ::write(m_fd, bytes.data(), bytes.size());
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return error("cannot write");
            bytes = bytes.subspan(static_cast<std::size_t>(n));
        }
        return {};
    }
    Expected<void> padTo(std::uint64_t offset)
    {
        const off_t at = ::lseek(m_fd, 0, SEEK_CUR);
        static const std::uint8_t zeros[kPage] = {};
        for (auto left = static_cast<std::uint64_t>(at); left < offset;) {
            const std::uint64_t n = std::min<std::uint64_t>(offset - left, sizeof zeros);
            if (auto ok = write({ zeros, static_cast<std::size_t>(n) }); !ok)
                return ok;
            left += n;
        }
        return {};
    }
    Expected<void> commit(const FileHeader &header)
    {
        if (::pwrite(m_fd, &header, sizeof header, 0) != static_cast<ssize_t>(sizeof header))
            return error("cannot write");
        if (::fsync(m_fd) != 0)
            return error("cannot flush");
        if (::close(m_fd) != 0) {
            m_fd = -1;
            return error("cannot close");
        }
        m_fd = -1;
        if (::rename(m_path.c_str(), m_target.c_str()) != 0)
            return error("cannot rename into place");
        m_committed = true;
        return {};
    }

private:
    Error errorValue(const char *what) const
    {
        return Error::make(Error::Code::Io, strFormat("{} KV cache file {}: {}", what, m_path, std::strerror(errno)));
    }
    std::unexpected<Error> error(const char *what) const { return std::unexpected(errorValue(what)); }

    std::string m_target;
    std::string m_path;
    int m_fd = -1;
    bool m_committed = false;
};

// The last block with rows past the cache's length zeroed (they hold whatever an earlier, longer
// sequence left there).
std::vector<std::uint8_t> lastBlockCopy(const KvCache &cache)
{
    const KvCacheConfig &c = cache.config();
    const std::int32_t index = cache.blockCount() - 1;
    const auto valid = static_cast<std::size_t>(cache.length() - index * c.blockTokens);
    std::vector<std::uint8_t> out(cache.blockBytes(), 0);
    const std::uint8_t *src = cache.blockData(index);
    const std::size_t kRows = static_cast<std::size_t>(c.blockTokens) * cache.keyRowBytes();
    const std::size_t vRows = static_cast<std::size_t>(c.blockTokens) * cache.valueRowBytes();
    std::size_t at = 0;
    for (int l = 0; l < c.nLayer; ++l) {
        for (int part = 0; part < 2; ++part) {
            const std::size_t rows = part == 0 ? kRows : vRows;
            const std::size_t row = part == 0 ? cache.keyRowBytes() : cache.valueRowBytes();
            for (int h = 0; h < c.nHeadKv; ++h, at += rows)
                std::memcpy(out.data() + at, src + at, valid * row);
        }
    }
    return out;
}

} // namespace

std::string KvSnapshotBinding::describeSettings() const
{
    std::string s = strFormat("{} KV in {}-token blocks ({} layers x {} KV heads x {}/{})",
        kvTypeName(cache.type),
        cache.blockTokens,
        cache.nLayer,
        cache.nHeadKv,
        cache.headDimK,
        cache.headDimV);
    const SparseAttentionSettings &a = attention;
    s += strFormat(", attention {}", attentionModeName(a.mode));
    if (a.mode != AttentionMode::Dense) {
        s += strFormat(" (sinks {}, window {}, block {}, top-k {}, {} summaries, first {} layers dense",
            a.sinkTokens,
            a.windowTokens,
            a.blockTokens,
            a.topKTokens,
            blockSummaryKindName(a.summary),
            a.denseFirstLayers);
        s += a.mode == AttentionMode::Auto ? strFormat(", dense below {} tokens)", a.denseThreshold) : ")";
    }
    s += strFormat(", micro-batch {}", microBatch);
    return s;
}

std::uint64_t modelFingerprint(const Model &model)
{
    const GgufFile &f = model.gguf();
    const std::span<const std::uint8_t> file = f.bytes();
    std::uint64_t h = hash64(file.first(std::min<std::size_t>(f.dataOffset(), file.size())), file.size());
    constexpr std::size_t kWindow = 4096;
    for (const GgufTensorInfo &t : f.tensors()) {
        const std::span<const std::uint8_t> data(t.data, t.bytes);
        if (data.size() <= 3 * kWindow) {
            h = hash64(data, h);
            continue;
        }
        h = hash64(data.first(kWindow), h);
        h = hash64(data.subspan(data.size() / 2 - kWindow / 2, kWindow), h);
        h = hash64(data.last(kWindow), h);
    }
    return h;
}

Expected<void> KvSnapshot::write(const std::string &path,
    const KvSnapshotBinding &binding,
    const KvCache &cache,
    const KeySummaries *summaries,
    std::span<const std::int32_t> tokens)
{
    if (static_cast<std::int64_t>(tokens.size()) != cache.length() || tokens.empty())
        return fail(Error::Code::InvalidArgument,
            strFormat("a KV snapshot needs the tokens of every cached position ({} tokens for {} positions)",
                tokens.size(),
                cache.length()));
    KvSnapshotBinding b = binding;
    b.cache = cache.config();
    b.summaries = summaries != nullptr;
    FileHeader h = plan(b, cache.length(), cache.blockBytes());
    if (summaries && summaries->blockCount(0) != h.summaryBlocks)
        return fail(Error::Code::Internal, "block summaries do not cover the cached positions");
    TempFile file(path);
    if (auto ok = file.opened(); !ok)
        return ok;
    const auto tokenBytes = asBytes(tokens.data(), tokens.size_bytes());
    h.tokensHash = hash64(tokenBytes);
    std::uint64_t payload = hash64(tokenBytes);
    auto put = [&](std::span<const std::uint8_t> bytes) {
        payload = hash64(bytes, payload);
        return file.write(bytes);
    };
    Expected<void> ok = file.padTo(h.tokensOffset);
    ok = ok ? file.write(tokenBytes) : ok;
    ok = ok ? file.padTo(h.summariesOffset) : ok;
    for (int l = 0; ok && summaries && l < b.cache.nLayer; ++l) {
        const auto counts = summaries->layerCounts(l);
        const auto data = summaries->layerData(l);
        ok = put(asBytes(counts.data(), counts.size_bytes()));
        ok = ok ? put(asBytes(data.data(), data.size_bytes())) : ok;
    }
    ok = ok ? file.padTo(h.blocksOffset) : ok;
    const std::int32_t blocks = cache.blockCount();
    for (std::int32_t i = 0; ok && i + 1 < blocks; ++i)
        ok = put({ cache.blockData(i), cache.blockBytes() });
    if (ok) {
        const std::vector<std::uint8_t> last = lastBlockCopy(cache);
        ok = put(last);
    }
    if (!ok)
        return ok;
    h.payloadHash = payload;
    h.headerHash = headerHash(h);
    return file.commit(h);
}

KvSnapshot::~KvSnapshot() = default;

std::size_t KvSnapshot::fileBytes() const
{
    return m_file ? m_file->bytes().size() : 0;
}

Expected<std::shared_ptr<const KvSnapshot>> KvSnapshot::open(const std::string &path)
{
    auto file = MappedFile::open(path);
    if (!file)
        return std::unexpected(file.error());
    const std::span<const std::uint8_t> bytes = (*file)->bytes();
    FileHeader h;
    if (bytes.size() < sizeof h)
        return std::unexpected(corrupt(path, "shorter than its header"));
    std::memcpy(&h, bytes.data(), sizeof h);
    if (auto ok = checkHeader(path, h, bytes.size()); !ok)
        return std::unexpected(ok.error());
    std::shared_ptr<KvSnapshot> s(new KvSnapshot());
    s->m_path = path;
    s->m_binding = bindingOf(h);
    const auto tokenBytes = bytes.subspan(h.tokensOffset, static_cast<std::size_t>(h.length) * 4);
    s->m_tokens = { reinterpret_cast<const std::int32_t *>(tokenBytes.data()), static_cast<std::size_t>(h.length) };
    s->m_tokensHash = hash64(tokenBytes);
    std::uint64_t payload = s->m_tokensHash;
    // Per layer, counts then data: the pieces the writer hashed.
    const std::uint64_t layerBytes = summaryBytesPerLayer(s->m_binding, h.summaryBlocks);
    const std::uint64_t countBytes = static_cast<std::uint64_t>(h.summaryBlocks) * sizeof(std::int32_t);
    for (std::uint64_t at = h.summariesOffset; h.hasSummaries && at < h.summariesOffset + h.summariesBytes;
         at += layerBytes) {
        payload = hash64(bytes.subspan(at, countBytes), payload);
        payload = hash64(bytes.subspan(at + countBytes, layerBytes - countBytes), payload);
    }
    for (std::uint64_t i = 0; i < h.blockCount; ++i) {
        const std::uint8_t *block = bytes.data() + h.blocksOffset + i * h.blockBytes;
        payload = hash64({ block, h.blockBytes }, payload);
        s->m_blocks.push_back(block);
    }
    if (s->m_tokensHash != h.tokensHash || payload != h.payloadHash)
        return std::unexpected(corrupt(path, "checksum mismatch"));
    s->m_summaryBlocks = h.summaryBlocks;
    s->m_summaries = bytes.data() + h.summariesOffset;
    s->m_file = std::move(*file);
    return std::shared_ptr<const KvSnapshot>(std::move(s));
}

Expected<void> KvSnapshot::check(const KvSnapshotBinding &wanted) const
{
    if (wanted.modelFingerprint != m_binding.modelFingerprint) {
        return fail(Error::Code::InvalidArgument,
            strFormat("KV cache file {} was saved with another model ({}, fingerprint {}); this is {} (fingerprint "
                      "{}): compute the prefix again",
                m_path,
                m_binding.modelName.empty() ? std::string("unnamed") : m_binding.modelName,
                m_binding.modelFingerprint,
                wanted.modelName.empty() ? std::string("unnamed") : wanted.modelName,
                wanted.modelFingerprint));
    }
    const std::string saved = m_binding.describeSettings();
    const std::string now = wanted.describeSettings();
    if (saved != now || wanted.summaries != m_binding.summaries) {
        return fail(Error::Code::InvalidArgument,
            strFormat("KV cache file {} was computed with {}; this context uses {}: compute the prefix again",
                m_path,
                saved,
                now));
    }
    return {};
}

Expected<void> KvSnapshot::restoreSummaries(KeySummaries &summaries) const
{
    if (!m_binding.summaries)
        return fail(Error::Code::InvalidArgument, strFormat("KV cache file {} holds no block summaries", m_path));
    const auto blocks = static_cast<std::size_t>(m_summaryBlocks);
    const std::size_t floats = summaries.bytesPerBlock() / sizeof(float) * blocks;
    const std::uint64_t layerBytes = summaryBytesPerLayer(m_binding, m_summaryBlocks);
    for (int l = 0; l < summaries.layerCount(); ++l) {
        const std::uint8_t *at = m_summaries + static_cast<std::size_t>(l) * layerBytes;
        const std::span<const std::int32_t> counts(reinterpret_cast<const std::int32_t *>(at), blocks);
        const std::span<const float> data(reinterpret_cast<const float *>(at + blocks * 4), floats);
        if (auto ok = summaries.restoreLayer(l, data, counts); !ok)
            return ok;
    }
    return {};
}

} // namespace quire::inference
