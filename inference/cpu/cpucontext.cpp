#include "inference/cpu/cpucontext.h"

#include "inference/cpu/threadpool.h"
#include "inference/model.h"

#include <cmath>
#include <cstring>

namespace quire::inference::cpu
{

namespace
{

constexpr std::int64_t kSerialAttentionMacs = 1 << 16;

} // namespace

CpuContext::CpuContext(const Model &model,
    std::shared_ptr<ThreadPool> pool,
    const KernelSet &ks,
    std::unique_ptr<KvCache> cache,
    const ContextConfig &config)
    : m_model(model)
    , m_hp(model.hparams())
    , m_pool(std::move(pool))
    , m_ks(ks)
    , m_cache(std::move(cache))
    , m_config(config)
    , m_rope(model.hparams())
{
    m_shape.headDimK = m_hp.headDimK;
    m_shape.headDimV = m_hp.headDimV;
    m_shape.blockTokens = m_cache->config().blockTokens;
    m_shape.kvType = m_cache->config().type;
    m_shape.keyRowBytes = m_cache->keyRowBytes();
    m_shape.valueRowBytes = m_cache->valueRowBytes();
    m_shape.scale = 1.0f / std::sqrt(static_cast<float>(m_hp.headDimK));
    const std::size_t batch = static_cast<std::size_t>(std::max(1, m_config.microBatch));
    m_x.resize(batch * m_hp.nEmbd);
    m_xn.resize(batch * m_hp.nEmbd);
    m_q.resize(batch * m_hp.qWidth());
    m_k.resize(batch * m_hp.kvWidth());
    m_v.resize(batch * m_hp.vWidth());
    m_attn.resize(batch * m_hp.nHead * m_hp.headDimV);
    m_tmp.resize(batch * m_hp.nEmbd);
    m_gate.resize(batch * m_hp.nFf);
    m_up.resize(batch * m_hp.nFf);
    m_scratch.resize(static_cast<std::size_t>(m_pool->size()) * (m_shape.blockTokens + m_hp.headDimV));
    // Auto quietly stays dense where the settings do not fit this cache (e.g. tiny KV blocks).
    const SparseAttentionSettings &sa = m_config.attention;
    if (sa.mode == AttentionMode::Sparse || (sa.mode == AttentionMode::Auto && sa.validate(m_shape.blockTokens)))
        m_sparse = std::make_unique<SparseAttender>(m_config.attention, m_hp, m_pool->size());
}

CpuContext::~CpuContext() = default;

Expected<void> CpuContext::decode(
    std::span<const std::int32_t> tokens, LogitsMode mode, std::vector<float> &logits, const CancelToken *cancel)
{
    const auto n = static_cast<std::int32_t>(tokens.size());
    if (n == 0)
        return fail(Error::Code::InvalidArgument, "decode() needs at least one token");
    for (std::int32_t t : tokens) {
        if (t < 0 || t >= m_hp.nVocab)
            return fail(Error::Code::InvalidArgument, "token id " + std::to_string(t) + " is outside the vocabulary");
    }
    const std::int32_t start = m_cache->length();
    if (auto ok = m_cache->reserve(start + n); !ok)
        return ok;
    const std::size_t vocab = static_cast<std::size_t>(m_hp.nVocab);
    // Every requested row is written by the output product: no need to clear them first.
    logits.resize(mode == LogitsMode::All ? vocab * tokens.size() : mode == LogitsMode::Last ? vocab : 0);
    const int batch = std::max(1, m_config.microBatch);
    for (std::int32_t done = 0; done < n; done += batch) {
        if (cancel && cancel->isCancelled())
            return fail(Error::Code::Cancelled, "generation cancelled");
        const int count = std::min(batch, n - done);
        const bool last = done + count == n;
        int firstRow = -1; // first row of this micro-batch that needs logits
        float *out = nullptr;
        if (mode == LogitsMode::All) {
            firstRow = 0;
            out = logits.data() + static_cast<std::size_t>(done) * vocab;
        } else if (mode == LogitsMode::Last && last) {
            firstRow = count - 1;
            out = logits.data();
        }
        forward(tokens.subspan(static_cast<std::size_t>(done), static_cast<std::size_t>(count)),
            start + done,
            firstRow,
            out);
    }
    return {};
}

KvSnapshotBinding CpuContext::binding() const
{
    KvSnapshotBinding b;
    b.modelFingerprint = modelFingerprint(m_model);
    b.modelName = m_hp.name;
    b.cache = m_cache->config();
    b.attention = m_config.attention;
    b.microBatch = std::max(1, m_config.microBatch);
    b.summaries = m_sparse != nullptr;
    return b;
}

Expected<void> CpuContext::savePrefix(const std::string &path, std::span<const std::int32_t> tokens)
{
    if (m_sparse)
        m_sparse->summaries().mark(m_cache->length());
    return KvSnapshot::write(path, binding(), *m_cache, m_sparse ? &m_sparse->summaries() : nullptr, tokens);
}

Expected<std::vector<std::int32_t>> CpuContext::loadPrefix(const std::string &path)
{
    auto snapshot = KvSnapshot::open(path);
    if (!snapshot)
        return std::unexpected(snapshot.error());
    const KvSnapshot &s = **snapshot;
    if (auto ok = s.check(binding()); !ok)
        return std::unexpected(ok.error());
    for (std::int32_t t : s.tokens()) {
        if (t < 0 || t >= m_hp.nVocab)
            return fail(Error::Code::Corrupt, "KV cache file " + path + " holds a token outside the vocabulary");
    }
    if (s.length() >= m_cache->capacity()) {
        return fail(Error::Code::TooLarge,
            "the saved prefix in " + path + " has " + std::to_string(s.length()) + " tokens but the context holds "
                + std::to_string(m_cache->capacity()) + ": use a larger context");
    }
    if (m_sparse) {
        KeySummaries restored(m_hp.nLayer, m_hp.nHeadKv, m_hp.headDimK, m_config.attention.blockTokens);
        if (auto ok = s.restoreSummaries(restored); !ok)
            return std::unexpected(ok.error());
        m_sparse->summaries() = std::move(restored);
        m_sparse->summaries().mark(s.length());
    }
    if (auto ok = m_cache->adopt(*snapshot, s.blocks(), s.length()); !ok)
        return std::unexpected(ok.error());
    return std::vector<std::int32_t>(s.tokens().begin(), s.tokens().end());
}

void CpuContext::forTokens(int n, const std::function<void(int t)> &fn)
{
    if (n < 4) {
        for (int t = 0; t < n; ++t)
            fn(t);
        return;
    }
    m_pool->parallelFor(n, 1, [&](std::int64_t b, std::int64_t e, int) {
        for (std::int64_t t = b; t < e; ++t)
            fn(static_cast<int>(t));
    });
}

const EncodedRows &CpuContext::encoded(const Weight &w, const float *x, std::size_t xStride, int n)
{
    const auto f = static_cast<std::size_t>(activationFormat(w.type));
    if (!m_encodedFresh[f]) {
        encodeRows(*m_pool, m_ks, w.type, x, xStride, n, w.cols, m_encoded[f]);
        m_encodedFresh[f] = true;
    }
    return m_encoded[f];
}

void CpuContext::project(const Weight &w, const float *x, std::size_t xStride, int n, float *y, std::size_t yStride)
{
    newInput();
    matmul(*m_pool, m_ks, w, encoded(w, x, xStride, n), y, yStride);
}

void CpuContext::forward(std::span<const std::int32_t> tokens, std::int32_t pos0, int firstLogitRow, float *logits)
{
    const int n = static_cast<int>(tokens.size());
    const int dim = m_hp.nEmbd;
    const Weight &embd = m_model.tokenEmbedding();
    forTokens(n, [&](int t) {
        dequantizeRow(
            embd.type, embd.row(tokens[static_cast<std::size_t>(t)]), &m_x[static_cast<std::size_t>(t) * dim], dim);
    });
    m_cache->setLength(pos0 + n);
    // The rotary angles of each position, once for all layers.
    const std::size_t pairs2 = static_cast<std::size_t>(m_rope.pairs()) * 2;
    m_angles.resize(static_cast<std::size_t>(n) * pairs2);
    forTokens(n, [&](int t) { m_rope.angles(pos0 + t, &m_angles[static_cast<std::size_t>(t) * pairs2]); });
    for (int l = 0; l < m_hp.nLayer; ++l) {
        attentionLayer(l, n, pos0);
        feedForward(l, n);
    }
    if (firstLogitRow < 0)
        return;
    const int rows = n - firstLogitRow;
    forTokens(rows, [&](int r) {
        const std::size_t src = static_cast<std::size_t>(firstLogitRow + r) * dim;
        rmsNorm(&m_x[src], m_model.outputNorm().data(), &m_xn[static_cast<std::size_t>(r) * dim], dim, m_hp.rmsEps);
    });
    project(m_model.output(), m_xn.data(), dim, rows, logits, static_cast<std::size_t>(m_hp.nVocab));
}

void CpuContext::attentionLayer(int layer, int n, std::int32_t pos0)
{
    const LayerWeights &lw = m_model.layer(layer);
    const int dim = m_hp.nEmbd;
    forTokens(n, [&](int t) {
        const std::size_t o = static_cast<std::size_t>(t) * dim;
        rmsNorm(&m_x[o], lw.attnNorm.data(), &m_xn[o], dim, m_hp.rmsEps);
    });
    newInput();
    const Product qkv[] = {
        { &lw.wq, &encoded(lw.wq, m_xn.data(), dim, n), m_q.data(), static_cast<std::size_t>(m_hp.qWidth()) },
        { &lw.wk, &encoded(lw.wk, m_xn.data(), dim, n), m_k.data(), static_cast<std::size_t>(m_hp.kvWidth()) },
        { &lw.wv, &encoded(lw.wv, m_xn.data(), dim, n), m_v.data(), static_cast<std::size_t>(m_hp.vWidth()) },
    };
    matmul(*m_pool, m_ks, qkv);
    prepareQkv(layer, n, pos0);
    attend(layer, n, pos0);
    const int attnWidth = m_hp.nHead * m_hp.headDimV;
    newInput();
    const Product out {
        &lw.wo, &encoded(lw.wo, m_attn.data(), attnWidth, n), m_tmp.data(), static_cast<std::size_t>(dim), m_x.data()
    };
    matmul(*m_pool, m_ks, std::span<const Product>(&out, 1));
}

void CpuContext::prepareQkv(int layer, int n, std::int32_t pos0)
{
    const LayerWeights &lw = m_model.layer(layer);
    const int qW = m_hp.qWidth(), kW = m_hp.kvWidth(), vW = m_hp.vWidth();
    const int hdK = m_hp.headDimK, hdV = m_hp.headDimV;
    const QuantizeFn toKv = m_shape.kvType == KvType::F32 ? m_ks.quantize[static_cast<int>(ActFormat::F32)]
        : m_shape.kvType == KvType::F16                   ? m_ks.quantize[static_cast<int>(ActFormat::F16)]
                                                          : m_ks.quantize[static_cast<int>(ActFormat::Q8_0)];
    forTokens(n, [&](int t) {
        float *q = &m_q[static_cast<std::size_t>(t) * qW];
        float *k = &m_k[static_cast<std::size_t>(t) * kW];
        float *v = &m_v[static_cast<std::size_t>(t) * vW];
        if (!lw.qBias.empty())
            addInPlace(q, lw.qBias.data(), qW);
        if (!lw.kBias.empty())
            addInPlace(k, lw.kBias.data(), kW);
        if (!lw.vBias.empty())
            addInPlace(v, lw.vBias.data(), vW);
        if (!lw.qNorm.empty()) {
            for (int h = 0; h < m_hp.nHead; ++h)
                rmsNorm(q + h * hdK, lw.qNorm.data(), q + h * hdK, hdK, m_hp.rmsEps);
            for (int h = 0; h < m_hp.nHeadKv; ++h)
                rmsNorm(k + h * hdK, lw.kNorm.data(), k + h * hdK, hdK, m_hp.rmsEps);
        }
        const float *angles = &m_angles[static_cast<std::size_t>(t) * m_rope.pairs() * 2];
        m_rope.apply(q, m_hp.nHead, hdK, angles);
        m_rope.apply(k, m_hp.nHeadKv, hdK, angles);
        for (int h = 0; h < m_hp.nHeadKv; ++h) {
            toKv(k + h * hdK, m_cache->keyRow(layer, h, pos0 + t), hdK);
            toKv(v + h * hdV, m_cache->valueRow(layer, h, pos0 + t), hdV);
        }
    });
}

void CpuContext::attend(int layer, int n, std::int32_t pos0)
{
    if (m_sparse) {
        m_sparse->appendKeys(layer, pos0, n, m_k.data(), static_cast<std::size_t>(m_hp.kvWidth()));
        if (m_sparse->isSparse(layer, pos0 + n)) {
            const std::size_t qW = static_cast<std::size_t>(m_hp.qWidth());
            const std::size_t outW = static_cast<std::size_t>(m_hp.nHead) * m_hp.headDimV;
            m_sparse->attend(*m_pool, m_ks, m_shape, *m_cache, layer, m_q.data(), qW, n, pos0, m_attn.data(), outW);
            return;
        }
    }
    m_blocks.clear();
    for (std::int32_t b = 0; b < m_cache->blockCount(); ++b)
        m_blocks.push_back(m_cache->block(layer, b));
    const int nHead = m_hp.nHead;
    const int ratio = m_hp.gqaRatio();
    const int qW = m_hp.qWidth();
    const int outW = nHead * m_hp.headDimV;
    const std::size_t scratchPerThread = static_cast<std::size_t>(m_shape.blockTokens + m_hp.headDimV);
    auto body = [&](std::int64_t begin, std::int64_t end, int thread) {
        float *scratch = &m_scratch[static_cast<std::size_t>(thread) * scratchPerThread];
        for (std::int64_t item = begin; item < end; ++item) {
            const int t = static_cast<int>(item / nHead);
            const int h = static_cast<int>(item % nHead);
            const float *q = &m_q[static_cast<std::size_t>(t) * qW + static_cast<std::size_t>(h) * m_hp.headDimK];
            float *out = &m_attn[static_cast<std::size_t>(t) * outW + static_cast<std::size_t>(h) * m_hp.headDimV];
            attendHead(m_ks, m_shape, q, h / ratio, m_blocks, pos0 + t, out, scratch);
        }
    };
    // A generated token over a short context is a few microseconds of work in all: cheaper on one thread
    // than a synchronisation of the pool.
    const std::int64_t items = static_cast<std::int64_t>(n) * nHead;
    const std::int64_t macs = items * (pos0 + n) * (m_hp.headDimK + m_hp.headDimV);
    if (macs < kSerialAttentionMacs)
        body(0, items, 0);
    else
        m_pool->parallelFor(items, 1, body);
}

void CpuContext::feedForward(int layer, int n)
{
    const LayerWeights &lw = m_model.layer(layer);
    const int dim = m_hp.nEmbd;
    const int ff = m_hp.nFf;
    forTokens(n, [&](int t) {
        const std::size_t o = static_cast<std::size_t>(t) * dim;
        rmsNorm(&m_x[o], lw.ffnNorm.data(), &m_xn[o], dim, m_hp.rmsEps);
    });
    newInput();
    const auto ffStride = static_cast<std::size_t>(ff);
    const Product gate { &lw.ffnGate, &encoded(lw.ffnGate, m_xn.data(), dim, n), m_gate.data(), ffStride };
    const Product up { &lw.ffnUp, &encoded(lw.ffnUp, m_xn.data(), dim, n), m_up.data(), ffStride };
    matmulSwiglu(*m_pool, m_ks, gate, up);
    newInput();
    const Product down {
        &lw.ffnDown, &encoded(lw.ffnDown, m_gate.data(), ff, n), m_tmp.data(), static_cast<std::size_t>(dim), m_x.data()
    };
    matmul(*m_pool, m_ks, std::span<const Product>(&down, 1));
}

} // namespace quire::inference::cpu
