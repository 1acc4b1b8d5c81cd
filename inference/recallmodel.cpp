#include "inference/recallmodel.h"

#include "inference/modelbuilder.h"
#include "inference/strformat.h"

#include <array>
#include <cmath>
#include <vector>

namespace quire::inference
{

namespace
{

constexpr int kHeads = 4;
constexpr int kKvHeads = 2;
constexpr int kRot = 64; // rotated head dimensions (32 pairs); the content dimensions follow
constexpr int kContent = 64;
constexpr int kHeadDim = kRot + kContent;
constexpr int kFf = 32;

// A row-major [rows][cols] float matrix; GGUF stores it as ne = {cols, rows}.
struct Matrix {
    std::int64_t rows;
    std::int64_t cols;
    std::vector<float> data;
    Matrix(std::int64_t r, std::int64_t c)
        : rows(r)
        , cols(c)
        , data(static_cast<std::size_t>(r * c), 0.0f)
    {
    }
    float &at(std::int64_t r, std::int64_t c) { return data[static_cast<std::size_t>(r * cols + c)]; }
};

struct Layout {
    std::int64_t vocab;
    std::int64_t t0, p0, o0, one, dim;
    explicit Layout(std::int64_t v)
        : vocab(v)
        , t0(0)
        , p0(v)
        , o0(2 * v)
        , one(3 * v)
        , dim((3 * v + 1 + 31) / 32 * 32)
    {
    }
};

// S(d) = sum_i cos(d * theta_i): the previous-token score at distance d + 1, up to the amplitude.
RecallModelInfo prevTokenMargin(float base, std::int32_t context)
{
    std::array<double, kRot / 2> theta {};
    for (int i = 0; i < kRot / 2; ++i)
        theta[static_cast<std::size_t>(i)] = std::pow(static_cast<double>(base), -2.0 * i / kRot);
    double worst = -1e30;
    std::int32_t where = 0;
    for (std::int32_t d = -1; d < context; ++d) {
        if (d == 0)
            continue;
        double s = 0.0;
        for (double t : theta)
            s += std::cos(d * t);
        if (s > worst) {
            worst = s;
            where = d;
        }
    }
    RecallModelInfo info;
    info.prevTokenMargin = kRot / 2 - worst;
    info.worstDistance = where + 1;
    return info;
}

Expected<void> add(ModelBuilder &b, const std::string &name, Matrix m)
{
    const std::array<std::int64_t, 2> ne { m.cols, m.rows };
    return b.addTensor(name, ne, std::move(m.data), GgmlType::F32);
}

Expected<void> addVector(ModelBuilder &b, const std::string &name, std::int64_t n, float value)
{
    const std::array<std::int64_t, 1> ne { n };
    return b.addTensor(name, ne, std::vector<float>(static_cast<std::size_t>(n), value), GgmlType::F32);
}

void writeMetadata(GgufWriter &w, const Layout &l, const RecallModelOptions &o)
{
    w.setString("general.architecture", "llama");
    w.setString("general.name", "quire-recall");
    w.setUInt32("llama.context_length", static_cast<std::uint32_t>(o.contextLength));
    w.setUInt32("llama.embedding_length", static_cast<std::uint32_t>(l.dim));
    w.setUInt32("llama.block_count", 2);
    w.setUInt32("llama.feed_forward_length", kFf);
    w.setUInt32("llama.attention.head_count", kHeads);
    w.setUInt32("llama.attention.head_count_kv", kKvHeads);
    w.setUInt32("llama.attention.key_length", kHeadDim);
    w.setUInt32("llama.attention.value_length", kHeadDim);
    w.setUInt32("llama.rope.dimension_count", kRot);
    w.setFloat32("llama.rope.freq_base", o.ropeFreqBase);
    w.setFloat32("llama.attention.layer_norm_rms_epsilon", 1e-6f);
    w.setUInt32("llama.vocab_size", static_cast<std::uint32_t>(l.vocab));
    std::vector<std::string> tokens { "<unk>", "<s>", "</s>", "<count>", "." };
    std::vector<float> scores(static_cast<std::size_t>(l.vocab), 0.0f);
    std::vector<std::int32_t> types(static_cast<std::size_t>(l.vocab), 1);
    for (std::int64_t i = std::ssize(tokens); i < l.vocab; ++i)
        tokens.push_back(strFormat("\xe2\x96\x81w{}", i));
    types[0] = 2;
    types[1] = types[2] = types[3] = 3;
    w.setString("tokenizer.ggml.model", "llama");
    w.setString("tokenizer.ggml.pre", "default");
    w.setStringArray("tokenizer.ggml.tokens", std::span<const std::string>(tokens));
    w.setFloat32Array("tokenizer.ggml.scores", scores);
    w.setInt32Array("tokenizer.ggml.token_type", types);
    w.setUInt32("tokenizer.ggml.bos_token_id", RecallVocab::kBos);
    w.setUInt32("tokenizer.ggml.eos_token_id", RecallVocab::kEos);
    w.setUInt32("tokenizer.ggml.unknown_token_id", RecallVocab::kUnk);
}

// Layer 0: head 0 attends to the previous position and writes its token into P.
Expected<void> addPrevTokenLayer(ModelBuilder &b, const Layout &l, double amplitude, float base)
{
    const std::int64_t qW = kHeads * kHeadDim, kvW = kKvHeads * kHeadDim;
    Matrix wq(qW, l.dim), wk(kvW, l.dim), wv(kvW, l.dim), wo(l.dim, qW);
    for (int i = 0; i < kRot / 2; ++i) {
        // q = A (1, 0) and k = (cos theta, sin theta): after RoPE q_m . k_n = A cos((m - n - 1) theta).
        const double theta = std::pow(static_cast<double>(base), -2.0 * i / kRot);
        wq.at(2 * i, l.one) = static_cast<float>(amplitude);
        wk.at(2 * i, l.one) = static_cast<float>(std::cos(theta));
        wk.at(2 * i + 1, l.one) = static_cast<float>(std::sin(theta));
    }
    for (std::int64_t v = 0; v < l.vocab; ++v) {
        wv.at(v, l.t0 + v) = 1.0f;
        wo.at(l.p0 + v, v) = 1.0f;
    }
    // The input is T + 1 (two unit entries): scale the norm so that the normalised input equals it.
    if (auto ok = addVector(b, "blk.0.attn_norm.weight", l.dim, std::sqrt(2.0f / static_cast<float>(l.dim))); !ok)
        return ok;
    for (auto &[name, m] :
        { std::pair { "attn_q", &wq }, { "attn_k", &wk }, { "attn_v", &wv }, { "attn_output", &wo } }) {
        if (auto ok = add(b, strFormat("blk.0.{}.weight", name), std::move(*m)); !ok)
            return ok;
    }
    return {};
}

// Layer 1: head 0 (KV head 0) is the induction head, head 2 (KV head 1) the BOS-sink / aggregation head.
Expected<void> addInductionLayer(ModelBuilder &b, const Layout &l, float strength)
{
    const std::int64_t qW = kHeads * kHeadDim, kvW = kKvHeads * kHeadDim;
    Matrix wq(qW, l.dim), wk(kvW, l.dim), wv(kvW, l.dim), wo(l.dim, qW);
    const std::int64_t aggQ = 2 * kHeadDim, aggK = kHeadDim;
    for (std::int64_t v = 0; v < l.vocab; ++v) {
        wq.at(kRot + v, l.t0 + v) = strength;
        wk.at(kRot + v, l.p0 + v) = 1.0f;
        if (v != RecallVocab::kBos) {
            wv.at(v, l.t0 + v) = 1.0f;
            wv.at(kHeadDim + v, l.t0 + v) = 1.0f;
        }
        wo.at(l.o0 + v, v) = 1.0f;
        wo.at(l.o0 + v, aggQ + v) = 1.0f;
    }
    wq.at(aggQ + kRot + RecallVocab::kBos, l.one) = strength;
    wq.at(aggQ + kRot + RecallVocab::kBos, l.t0 + RecallVocab::kCount) = -strength;
    wk.at(aggK + kRot + RecallVocab::kBos, l.t0 + RecallVocab::kBos) = 1.0f;
    // The input is T + P + 1 (three unit entries).
    if (auto ok = addVector(b, "blk.1.attn_norm.weight", l.dim, std::sqrt(3.0f / static_cast<float>(l.dim))); !ok)
        return ok;
    for (auto &[name, m] :
        { std::pair { "attn_q", &wq }, { "attn_k", &wk }, { "attn_v", &wv }, { "attn_output", &wo } }) {
        if (auto ok = add(b, strFormat("blk.1.{}.weight", name), std::move(*m)); !ok)
            return ok;
    }
    return {};
}

Expected<void> addZeroFeedForward(ModelBuilder &b, const Layout &l, int layer)
{
    const std::string p = strFormat("blk.{}.", layer);
    if (auto ok = addVector(b, p + "ffn_norm.weight", l.dim, 1.0f); !ok)
        return ok;
    if (auto ok = add(b, p + "ffn_gate.weight", Matrix(kFf, l.dim)); !ok)
        return ok;
    if (auto ok = add(b, p + "ffn_up.weight", Matrix(kFf, l.dim)); !ok)
        return ok;
    return add(b, p + "ffn_down.weight", Matrix(l.dim, kFf));
}

} // namespace

Expected<RecallModelInfo> writeRecallModel(const std::string &path, const RecallModelOptions &o)
{
    if (o.vocab <= RecallVocab::kFirstWord + 2 || o.vocab > kContent || o.contextLength < 2)
        return fail(Error::Code::InvalidArgument,
            strFormat("the recall model needs {} to {} tokens and a context of at least 2",
                RecallVocab::kFirstWord + 3,
                kContent));
    const Layout l(o.vocab);
    RecallModelInfo info = prevTokenMargin(o.ropeFreqBase, o.contextLength);
    if (info.prevTokenMargin <= 1e-3)
        return fail(Error::Code::InvalidArgument,
            strFormat("the rotary pattern has no margin at distance {}: use another --rope-base", info.worstDistance));
    const double scale = std::sqrt(static_cast<double>(kHeadDim)); // attention divides by it
    const double amplitude = o.logitGap * scale / info.prevTokenMargin;
    const float strength = static_cast<float>(o.logitGap * scale);
    ModelBuilder b(1);
    writeMetadata(b.writer(), l, o);
    Matrix embd(l.vocab, l.dim), output(l.vocab, l.dim);
    for (std::int64_t v = 0; v < l.vocab; ++v) {
        embd.at(v, l.t0 + v) = 1.0f;
        embd.at(v, l.one) = 1.0f;
        if (v >= RecallVocab::kFirstWord)
            output.at(v, l.o0 + v) = 4.0f; // the answer's O entry is ~1; the normalised stream ~sqrt(dim / 4)
    }
    for (auto ok : { add(b, "token_embd.weight", std::move(embd)),
             addPrevTokenLayer(b, l, amplitude, o.ropeFreqBase),
             addZeroFeedForward(b, l, 0),
             addInductionLayer(b, l, strength),
             addZeroFeedForward(b, l, 1),
             addVector(b, "output_norm.weight", l.dim, 1.0f),
             add(b, "output.weight", std::move(output)) }) {
        if (!ok)
            return std::unexpected(ok.error());
    }
    if (auto ok = b.write(path); !ok)
        return std::unexpected(ok.error());
    info.parameters = 2 * l.vocab * l.dim + 2 * (4 * kHeads * kHeadDim * l.dim + 3 * kFf * l.dim + 2 * l.dim) + l.dim;
    return info;
}

} // namespace quire::inference
