#include "vkbackend.h"

#include "inference/gguffile.h"
#include "vkkernels.h"
#include "vkmodel.h"

#include <cmath>
#include <mutex>

namespace quire::inference::vk
{

namespace
{

// YaRN correction dimension (as llama.cpp derives it from the rotation counts).
float yarnCorrDim(int nDims, int nCtxOrig, float nRotations, float base)
{
    return nDims * std::log(nCtxOrig / (nRotations * 2 * 3.14159265358979f)) / (2 * std::log(base));
}

RopeParams ropeParams(const HParams &hp)
{
    RopeParams r;
    r.headDim = static_cast<std::uint32_t>(hp.headDimK);
    r.nRot = static_cast<std::uint32_t>(hp.nRot);
    r.neox = hp.ropeStyle == RopeStyle::NeoX;
    r.freqBase = hp.ropeFreqBase;
    r.freqScale = hp.ropeFreqScale;
    if (hp.ropeScaling == RopeScaling::Yarn) {
        r.extFactor = hp.yarnExtFactor;
        r.attnFactor = hp.yarnAttnFactor;
        const int orig = hp.yarnOrigCtx > 0 ? hp.yarnOrigCtx : hp.nCtxTrain;
        r.corrLow = std::max(0.0f, std::floor(yarnCorrDim(hp.nRot, orig, hp.yarnBetaFast, hp.ropeFreqBase)));
        r.corrHigh
            = std::min(float(hp.nRot - 1), std::ceil(yarnCorrDim(hp.nRot, orig, hp.yarnBetaSlow, hp.ropeFreqBase)));
    }
    return r;
}

// Activations of one micro-batch and the KV cache of one sequence, all on the device.
class VkEvalContext final : public EvalContext
{
public:
    VkEvalContext(Context &context, std::shared_ptr<DeviceModel> model, const ContextConfig &config)
        : m_context(context)
        , m_kernels(context)
        , m_model(std::move(model))
        , m_hp(m_model->model().hparams())
        , m_config(config)
        , m_batch(static_cast<std::uint32_t>(std::max(1, config.microBatch)))
        , m_seq(context)
    {
        const std::uint32_t n = m_batch;
        auto make = [&](std::size_t floats) { return std::make_unique<Buffer>(context, floats * sizeof(float)); };
        m_x = make(std::size_t(n) * m_hp.nEmbd);
        m_xn = make(std::size_t(n) * m_hp.nEmbd);
        m_q = make(std::size_t(n) * m_hp.qWidth());
        m_k = make(std::size_t(n) * m_hp.kvWidth());
        m_v = make(std::size_t(n) * m_hp.vWidth());
        m_attn = make(std::size_t(n) * m_hp.qWidth());
        m_gate = make(std::size_t(n) * m_hp.nFf);
        m_up = make(std::size_t(n) * m_hp.nFf);
        m_ids = std::make_unique<Buffer>(context, n * sizeof(std::int32_t));
        m_pos = std::make_unique<Buffer>(context, n * sizeof(std::int32_t));
        m_logitRows = logitRows(context, m_hp, n);
        m_logits = make(std::size_t(m_logitRows) * m_hp.nVocab);
        m_normed = make(std::size_t(m_logitRows) * m_hp.nEmbd);
        for (int l = 0; l < m_hp.nLayer; ++l) {
            m_kCache.push_back(std::make_unique<Buffer>(context, cacheBytes(m_hp.kvWidth())));
            m_vCache.push_back(std::make_unique<Buffer>(context, cacheBytes(m_hp.vWidth())));
        }
        m_scratch = std::make_unique<Buffer>(context, scratchBytes());
    }

    // Logits rows per output dispatch: within one binding.
    static std::uint32_t logitRows(const Context &context, const HParams &hp, std::uint32_t batch)
    {
        const std::size_t rowBytes = std::size_t(hp.nVocab) * sizeof(float);
        return static_cast<std::uint32_t>(std::clamp<std::size_t>(context.maxBindingBytes() / rowBytes, 1, batch));
    }

    // Device memory a context needs besides the weights: KV cache, activations, logits, attention scratch.
    static std::uint64_t bytesNeeded(Context &context, const HParams &hp, const ContextConfig &config)
    {
        const std::uint64_t n = static_cast<std::uint64_t>(std::max(1, config.microBatch));
        const std::uint64_t activations
            = n * (2 * hp.nEmbd + 2 * hp.qWidth() + hp.kvWidth() + hp.vWidth() + 2 * hp.nFf);
        const std::uint64_t rows = logitRows(context, hp, static_cast<std::uint32_t>(n));
        const std::uint64_t kv = std::uint64_t(hp.nLayer) * config.nCtx
            * (Kernels::kvRowBytes(kvFormat(config.kvType), hp.kvWidth())
                + Kernels::kvRowBytes(kvFormat(config.kvType), hp.vWidth()));
        return kv + 4 * (activations + rows * (hp.nVocab + hp.nEmbd));
    }

    static KvFormat kvFormat(KvType type)
    {
        return type == KvType::F32 ? KvFormat::F32 : type == KvType::F16 ? KvFormat::F16 : KvFormat::Q8_0;
    }

    std::size_t cacheBytes(std::uint32_t width) const
    {
        return std::size_t(m_config.nCtx) * Kernels::kvRowBytes(kvFormat(m_config.kvType), width);
    }

    // The largest split partials of any decode() call: one token at the end of the cache, or a whole batch
    // at its start or its end (a cache larger than one binding is read in windows).
    std::size_t scratchBytes() const
    {
        const auto nCtx = static_cast<std::uint32_t>(m_config.nCtx);
        const std::uint32_t n = std::min(m_batch, nCtx);
        return std::max({ m_kernels.attentionScratchBytes(attention(1, nCtx - 1)),
            m_kernels.attentionScratchBytes(attention(n, 0)),
            m_kernels.attentionScratchBytes(attention(n, nCtx - n)) });
    }

    std::int32_t length() const override { return m_length; }
    std::int32_t capacity() const override { return m_config.nCtx; }
    void truncate(std::int32_t n) override { m_length = std::clamp(n, 0, m_length); }

    Expected<void> decode(std::span<const std::int32_t> tokens,
        LogitsMode mode,
        std::vector<float> &logits,
        const CancelToken *cancel) override
    {
        const auto total = static_cast<std::int32_t>(tokens.size());
        if (m_length + total > m_config.nCtx)
            return fail(Error::Code::TooLarge,
                "the context holds " + std::to_string(m_config.nCtx) + " tokens; " + std::to_string(m_length + total)
                    + " are needed");
        for (std::int32_t t : tokens) {
            if (t < 0 || t >= m_hp.nVocab)
                return fail(
                    Error::Code::InvalidArgument, "token id " + std::to_string(t) + " is outside the vocabulary");
        }
        logits.clear();
        try {
            for (std::int32_t done = 0; done < total;) {
                if (cancel && cancel->isCancelled())
                    return fail(Error::Code::Cancelled, "cancelled");
                const std::int32_t n = std::min<std::int32_t>(total - done, static_cast<std::int32_t>(m_batch));
                const bool last = done + n == total;
                const std::uint32_t firstRow
                    = mode == LogitsMode::All ? 0 : (mode == LogitsMode::Last && last ? n - 1 : n);
                forward(tokens.subspan(done, n), firstRow, logits);
                done += n;
            }
        } catch (const std::exception &e) {
            return fail(Error::Code::Internal, std::string("Vulkan backend: ") + e.what());
        }
        return {};
    }

private:
    AttentionParams attention(std::uint32_t tokens, std::uint32_t pos0) const
    {
        AttentionParams a;
        a.tokens = tokens;
        a.nHead = m_hp.nHead;
        a.nKvHead = m_hp.nHeadKv;
        a.headDim = m_hp.headDimK;
        a.kvLen = pos0 + tokens;
        a.qPos0 = pos0;
        a.scale = 1.0f / std::sqrt(float(m_hp.headDimK));
        a.kv = kvFormat(m_config.kvType);
        return a;
    }

    void forward(std::span<const std::int32_t> tokens, std::uint32_t firstLogitRow, std::vector<float> &logits)
    {
        const auto n = static_cast<std::uint32_t>(tokens.size());
        const std::uint32_t pos0 = static_cast<std::uint32_t>(m_length);
        std::vector<std::int32_t> positions(n);
        for (std::uint32_t i = 0; i < n; ++i)
            positions[i] = static_cast<std::int32_t>(pos0 + i);
        m_ids->upload(tokens.data(), n * sizeof(std::int32_t));
        m_pos->upload(positions.data(), n * sizeof(std::int32_t));

        m_seq.begin();
        const DeviceWeight &embd = m_model->embedding();
        m_kernels.getRows(m_seq, embd.type, *embd.buffer, embd.cols, *m_ids, n, *m_x, embd.layout);
        for (int l = 0; l < m_hp.nLayer; ++l) {
            attentionBlock(l, n, pos0);
            feedForward(l, n);
        }
        // Logits that fit one output dispatch (generation, LogitsMode::Last) join the same command buffer.
        const std::uint32_t wanted = n - std::min(firstLogitRow, n);
        const bool together = wanted > 0 && wanted <= m_logitRows;
        if (together)
            recordOutput(firstLogitRow, wanted);
        m_seq.submitAndWait();
        m_length += static_cast<std::int32_t>(n);
        if (together) {
            readLogits(wanted, logits);
            return;
        }
        for (std::uint32_t row = firstLogitRow; row < n; row += m_logitRows) {
            const std::uint32_t rows = std::min(m_logitRows, n - row);
            m_seq.begin();
            recordOutput(row, rows);
            m_seq.submitAndWait();
            readLogits(rows, logits);
        }
    }

    void matmul(const DeviceWeight &w, const Buffer &x, std::uint32_t n, Buffer &y, bool accumulate = false)
    {
        m_kernels.mulMat(m_seq, w.type, *w.buffer, w.rows, w.cols, x, n, y, accumulate, w.layout);
    }

    void attentionBlock(int l, std::uint32_t n, std::uint32_t pos0)
    {
        const DeviceLayer &L = m_model->layer(l);
        const std::uint32_t dim = m_hp.nEmbd, qW = m_hp.qWidth(), kW = m_hp.kvWidth(), vW = m_hp.vWidth();
        m_kernels.rmsNorm(m_seq, *m_x, L.attnNorm.get(), *m_xn, n, dim, m_hp.rmsEps);
        matmul(L.wq, *m_xn, n, *m_q);
        matmul(L.wk, *m_xn, n, *m_k);
        matmul(L.wv, *m_xn, n, *m_v);
        if (L.qBias) {
            m_kernels.add(m_seq, *m_q, *L.qBias, *m_q, n * qW, qW);
            m_kernels.add(m_seq, *m_k, *L.kBias, *m_k, n * kW, kW);
            m_kernels.add(m_seq, *m_v, *L.vBias, *m_v, n * vW, vW);
        }
        if (L.qNorm) {
            m_kernels.rmsNorm(m_seq, *m_q, L.qNorm.get(), *m_q, n * m_hp.nHead, m_hp.headDimK, m_hp.rmsEps);
            m_kernels.rmsNorm(m_seq, *m_k, L.kNorm.get(), *m_k, n * m_hp.nHeadKv, m_hp.headDimK, m_hp.rmsEps);
        }
        RopeParams rope = ropeParams(m_hp);
        rope.tokens = n;
        rope.heads = m_hp.nHead;
        m_kernels.rope(m_seq, *m_q, *m_pos, rope, m_k.get(), m_hp.nHeadKv);
        // K and V rows have the same width (the backend requires equal head sizes): one dispatch.
        m_kernels.kvStore(
            m_seq, *m_k, *m_kCache[l], n, kW, pos0, kvFormat(m_config.kvType), m_v.get(), m_vCache[l].get());
        m_kernels.flashAttention(m_seq, *m_q, *m_kCache[l], *m_vCache[l], *m_attn, *m_scratch, attention(n, pos0));
        matmul(L.wo, *m_attn, n, *m_x, true);
    }

    void feedForward(int l, std::uint32_t n)
    {
        const DeviceLayer &L = m_model->layer(l);
        m_kernels.rmsNorm(m_seq, *m_x, L.ffnNorm.get(), *m_xn, n, m_hp.nEmbd, m_hp.rmsEps);
        const bool fused = L.gate.type == L.up.type && L.gate.layout == L.up.layout
            && m_kernels.mulMatGlu(m_seq,
                L.gate.type,
                *L.gate.buffer,
                *L.up.buffer,
                L.gate.rows,
                L.gate.cols,
                *m_xn,
                n,
                *m_gate,
                L.gate.layout);
        if (!fused) {
            matmul(L.gate, *m_xn, n, *m_gate);
            matmul(L.up, *m_xn, n, *m_up);
            m_kernels.swiglu(m_seq, *m_gate, *m_up, *m_gate, n * m_hp.nFf);
        }
        matmul(L.down, *m_gate, n, *m_x, true);
    }

    // Records the final norm and output head for rows [first, first + rows) of the batch.
    void recordOutput(std::uint32_t first, std::uint32_t rows)
    {
        const std::uint32_t dim = m_hp.nEmbd;
        m_seq.copy(*m_x, std::size_t(first) * dim * sizeof(float), *m_xn, 0, std::size_t(rows) * dim * sizeof(float));
        m_kernels.rmsNorm(m_seq, *m_xn, &m_model->outputNorm(), *m_normed, rows, dim, m_hp.rmsEps);
        matmul(m_model->output(), *m_normed, rows, *m_logits);
    }

    // Appends the logits recordOutput() computed.
    void readLogits(std::uint32_t rows, std::vector<float> &logits)
    {
        const std::size_t old = logits.size();
        logits.resize(old + std::size_t(rows) * m_hp.nVocab);
        m_logits->download(logits.data() + old, std::size_t(rows) * m_hp.nVocab * sizeof(float));
    }

    Context &m_context;
    Kernels m_kernels;
    std::shared_ptr<DeviceModel> m_model;
    const HParams &m_hp;
    ContextConfig m_config;
    std::uint32_t m_batch;
    std::uint32_t m_logitRows = 1;
    std::int32_t m_length = 0;
    Sequence m_seq;
    std::unique_ptr<Buffer> m_x, m_xn, m_q, m_k, m_v, m_attn, m_gate, m_up, m_ids, m_pos, m_logits, m_normed, m_scratch;
    std::vector<std::unique_ptr<Buffer>> m_kCache, m_vCache;
};

class VulkanBackend final : public Backend
{
public:
    explicit VulkanBackend(std::unique_ptr<Context> context)
        : m_context(std::move(context))
    {
    }

    std::string name() const override
    {
        return "vulkan (" + m_context->info().name + ", " + m_context->info().type + "; " + m_context->reason() + ")";
    }

    Expected<std::unique_ptr<EvalContext>> createContext(const Model &model, const ContextConfig &config) override
    {
        std::lock_guard lock(m_mutex);
        const HParams &hp = model.hparams();
        if (config.kvType == KvType::Q8_0 && hp.headDimK % 32 != 0)
            return fail(Error::Code::Unsupported,
                "a Q8_0 KV cache needs attention heads of a multiple of 32 values; this model's have "
                    + std::to_string(hp.headDimK) + ": use an F16 cache");
        // Weights are uploaded once per model. A Model object can be freed and another allocated at the
        // same address, so the key also covers the file mapping and a hash of its first megabyte.
        const ModelKey key = keyOf(model);
        if (!m_uploaded || !(m_key == key)) {
            m_uploaded.reset();
            auto uploaded = DeviceModel::upload(*m_context, model);
            if (!uploaded)
                return std::unexpected(uploaded.error());
            m_uploaded = std::move(*uploaded);
            m_key = key;
        }
        const std::uint64_t needed = VkEvalContext::bytesNeeded(*m_context, hp, config);
        const std::uint64_t available = m_context->memoryBytes() * 9 / 10;
        if (m_uploaded->bytes() + needed > available)
            return fail(Error::Code::TooLarge,
                "a context of " + std::to_string(config.nCtx) + " tokens needs " + formatBytes(needed)
                    + " of device memory beside the weights' " + formatBytes(m_uploaded->bytes()) + ", but "
                    + m_context->info().name + " has " + formatBytes(available)
                    + " usable: " + formatBytes(m_uploaded->bytes() + needed - available)
                    + " missing; use a smaller context, a Q8_0 KV cache or the CPU backend");
        try {
            return std::unique_ptr<EvalContext>(new VkEvalContext(*m_context, m_uploaded, config));
        } catch (const std::exception &e) {
            return fail(Error::Code::TooLarge, std::string("cannot allocate the Vulkan context: ") + e.what());
        }
    }

private:
    struct ModelKey {
        const Model *model = nullptr;
        const void *data = nullptr;
        std::size_t size = 0;
        std::uint64_t hash = 0;
        bool operator==(const ModelKey &) const = default;
    };
    static ModelKey keyOf(const Model &model)
    {
        const auto bytes = model.gguf().bytes();
        std::uint64_t h = 1469598103934665603ull; // FNV-1a
        for (std::size_t i = 0; i < std::min<std::size_t>(bytes.size(), 1u << 20); ++i)
            h = (h ^ bytes[i]) * 1099511628211ull;
        return { &model, bytes.data(), bytes.size(), h };
    }

    std::mutex m_mutex;
    std::unique_ptr<Context> m_context;
    ModelKey m_key;
    std::shared_ptr<DeviceModel> m_uploaded;
};

} // namespace

Expected<std::unique_ptr<Backend>> createVulkanBackend(const VulkanBackendOptions &options)
{
    auto context = Context::create(options.device);
    if (!context)
        return std::unexpected(context.error());
    (*context)->setLimits(options.maxBindingBytes, options.memoryBytes);
    return std::unique_ptr<Backend>(new VulkanBackend(std::move(*context)));
}

} // namespace quire::inference::vk
