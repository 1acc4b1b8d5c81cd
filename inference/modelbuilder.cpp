#include "modelbuilder.h"

#include "quants.h"
#include "strformat.h"

#include <cmath>
#include <memory>
#include <numbers>

namespace quire::inference
{

namespace
{

std::uint64_t splitMix(std::uint64_t &state)
{
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

std::uint64_t hashName(std::string_view s)
{
    std::uint64_t h = 1469598103934665603ull; // FNV-1a
    for (char c : s)
        h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    return h;
}

// Fills `out` with N(mean, sigma) values by Box-Muller from a per-row stream.
void normalRow(std::uint64_t seed, float mean, float sigma, std::span<float> out)
{
    std::uint64_t state = seed;
    for (std::size_t i = 0; i < out.size(); i += 2) {
        const double u1 = (static_cast<double>(splitMix(state) >> 11) + 1.0) * 0x1p-53;
        const double u2 = static_cast<double>(splitMix(state) >> 11) * 0x1p-53;
        const double r = std::sqrt(-2.0 * std::log(u1));
        out[i] = mean + sigma * static_cast<float>(r * std::cos(2 * std::numbers::pi * u2));
        if (i + 1 < out.size())
            out[i + 1] = mean + sigma * static_cast<float>(r * std::sin(2 * std::numbers::pi * u2));
    }
}

std::int64_t product(std::span<const std::int64_t> ne)
{
    std::int64_t n = 1;
    for (std::int64_t v : ne)
        n *= v;
    return n;
}

} // namespace

ModelBuilder::ModelBuilder(int threads)
    : m_threads(threads)
{
}

Expected<void> ModelBuilder::addTensor(
    std::string_view name, std::span<const std::int64_t> ne, std::vector<float> data, GgmlType type)
{
    if (ne.empty() || static_cast<std::int64_t>(data.size()) != product(ne))
        return fail(Error::Code::InvalidArgument,
            strFormat("cannot add tensor '{}': {} values given for its shape", name, data.size()));
    if (!canQuantize(type))
        return fail(Error::Code::Unsupported,
            strFormat("cannot add tensor '{}': Quire cannot write type {}", name, ggmlTypeTraits(type).name));
    auto values = std::make_shared<const std::vector<float>>(std::move(data));
    const std::int64_t n = ne[0];
    const int threads = m_threads;
    return m_writer.addTensor(
        name, type, ne, [values, type, n, threads](std::span<std::uint8_t> out) -> Expected<void> {
            quantizeRows(type, values->data(), out.data(), static_cast<std::int64_t>(values->size()) / n, n, threads);
            return {};
        });
}

Expected<void> ModelBuilder::addRandomTensor(
    std::string_view name, std::span<const std::int64_t> ne, GgmlType type, std::uint64_t seed, float sigma, float mean)
{
    if (!canQuantize(type))
        return fail(Error::Code::Unsupported,
            strFormat("cannot add tensor '{}': Quire cannot write type {}", name, ggmlTypeTraits(type).name));
    const std::int64_t n = ne.empty() ? 0 : ne[0];
    const std::uint64_t tensorSeed = seed ^ hashName(name);
    const int threads = m_threads;
    return m_writer.addTensor(name, type, ne, [=](std::span<std::uint8_t> out) -> Expected<void> {
        const std::size_t rowSize = rowBytes(type, n);
        const auto rows = static_cast<std::int64_t>(out.size() / rowSize);
        parallelRows(rows, threads, [&](std::int64_t begin, std::int64_t end) {
            std::vector<float> row(static_cast<std::size_t>(n));
            for (std::int64_t r = begin; r < end; ++r) {
                std::uint64_t rowState = tensorSeed + static_cast<std::uint64_t>(r) * 0x9e3779b97f4a7c15ull;
                normalRow(splitMix(rowState), mean, sigma, row);
                quantizeRow(type, row.data(), out.data() + r * rowSize, n);
            }
        });
        return {};
    });
}

Expected<void> ModelBuilder::write(const std::string &path, Progress *progress) const
{
    if (progress)
        progress->begin("write", static_cast<std::int64_t>(m_writer.tensorCount()));
    auto ok = m_writer.write(path, [progress](std::size_t done, std::size_t, std::uint64_t) {
        if (progress)
            progress->update(static_cast<std::int64_t>(done));
        return true;
    });
    if (progress)
        progress->end();
    return ok;
}

LlamaShape LlamaShape::small()
{
    LlamaShape s;
    s.name = "small-rand-15M";
    return s;
}

LlamaShape LlamaShape::large()
{
    LlamaShape s;
    s.name = "large-rand-200M";
    s.embedding = 1024;
    s.layers = 12;
    s.heads = 16;
    s.kvHeads = 4;
    s.feedForward = 2816;
    s.tiedOutput = false;
    return s;
}

std::int64_t LlamaShape::parameterCount() const
{
    const std::int64_t kvDim = embedding / heads * kvHeads;
    const std::int64_t layer
        = 2 * embedding + 2 * embedding * embedding + 2 * embedding * kvDim + 3 * embedding * feedForward;
    return vocab * embedding * (tiedOutput ? 1 : 2) + embedding + layers * layer;
}

namespace
{

void writeSyntheticVocab(GgufWriter &w, std::int64_t vocab)
{
    std::vector<std::string> tokens;
    std::vector<float> scores;
    std::vector<std::int32_t> types;
    tokens.reserve(static_cast<std::size_t>(vocab));
    auto add = [&](std::string t, float score, std::int32_t type) {
        tokens.push_back(std::move(t));
        scores.push_back(score);
        types.push_back(type);
    };
    add("<unk>", 0.f, 2);
    add("<s>", 0.f, 3);
    add("</s>", 0.f, 3);
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (int b = 0; b < 256 && std::ssize(tokens) < vocab; ++b)
        add(std::string("<0x") + kHex[b >> 4] + kHex[b & 15] + ">", 0.f, 6);
    for (std::int64_t i = std::ssize(tokens); i < vocab; ++i)
        add(strFormat("\xe2\x96\x81t{}", i), -static_cast<float>(i), 1);
    w.setString("tokenizer.ggml.model", "llama");
    w.setString("tokenizer.ggml.pre", "default");
    w.setStringArray("tokenizer.ggml.tokens", std::span<const std::string>(tokens));
    w.setFloat32Array("tokenizer.ggml.scores", scores);
    w.setInt32Array("tokenizer.ggml.token_type", types);
    w.setUInt32("tokenizer.ggml.bos_token_id", 1);
    w.setUInt32("tokenizer.ggml.eos_token_id", 2);
    w.setUInt32("tokenizer.ggml.unknown_token_id", 0);
    w.setBool("tokenizer.ggml.add_bos_token", true);
    w.setBool("tokenizer.ggml.add_eos_token", false);
}

void writeLlamaMetadata(GgufWriter &w, const LlamaShape &s, QuantMix mix)
{
    w.setString("general.architecture", "llama");
    w.setString("general.name", s.name);
    w.setUInt32("llama.context_length", static_cast<std::uint32_t>(s.contextLength));
    w.setUInt32("llama.embedding_length", static_cast<std::uint32_t>(s.embedding));
    w.setUInt32("llama.block_count", static_cast<std::uint32_t>(s.layers));
    w.setUInt32("llama.feed_forward_length", static_cast<std::uint32_t>(s.feedForward));
    w.setUInt32("llama.attention.head_count", static_cast<std::uint32_t>(s.heads));
    w.setUInt32("llama.attention.head_count_kv", static_cast<std::uint32_t>(s.kvHeads));
    w.setUInt32("llama.rope.dimension_count", static_cast<std::uint32_t>(s.embedding / s.heads));
    w.setFloat32("llama.rope.freq_base", s.ropeFreqBase);
    w.setFloat32("llama.attention.layer_norm_rms_epsilon", s.rmsEpsilon);
    w.setUInt32("llama.vocab_size", static_cast<std::uint32_t>(s.vocab));
    w.setUInt32("general.file_type", quantMixInfo(mix).fileType);
    w.setUInt32("general.quantization_version", 2);
}

struct PlannedTensor {
    GgufTensorInfo info;
    float sigma;
    float mean;
};

std::vector<PlannedTensor> llamaTensors(const LlamaShape &s)
{
    const std::int64_t dim = s.embedding, kvDim = s.embedding / s.heads * s.kvHeads, ffn = s.feedForward;
    std::vector<PlannedTensor> out;
    auto add = [&](std::string name, std::int64_t ne0, std::int64_t ne1, float sigma, float mean) {
        GgufTensorInfo t;
        t.name = std::move(name);
        t.nDims = ne1 > 0 ? 2 : 1;
        t.ne = { ne0, ne1 > 0 ? ne1 : 1, 1, 1 };
        out.push_back({ std::move(t), sigma, mean });
    };
    const auto inv = [](std::int64_t n) { return static_cast<float>(1.0 / std::sqrt(static_cast<double>(n))); };
    add("token_embd.weight", dim, s.vocab, inv(dim), 0.f);
    for (std::int64_t l = 0; l < s.layers; ++l) {
        const std::string p = strFormat("blk.{}.", l);
        add(p + "attn_norm.weight", dim, 0, 0.1f, 1.f);
        add(p + "attn_q.weight", dim, dim, inv(dim), 0.f);
        add(p + "attn_k.weight", dim, kvDim, inv(dim), 0.f);
        add(p + "attn_v.weight", dim, kvDim, inv(dim), 0.f);
        add(p + "attn_output.weight", dim, dim, inv(dim), 0.f);
        add(p + "ffn_norm.weight", dim, 0, 0.1f, 1.f);
        add(p + "ffn_gate.weight", dim, ffn, inv(dim), 0.f);
        add(p + "ffn_up.weight", dim, ffn, inv(dim), 0.f);
        add(p + "ffn_down.weight", ffn, dim, inv(ffn), 0.f);
    }
    add("output_norm.weight", dim, 0, 0.1f, 1.f);
    if (!s.tiedOutput)
        add("output.weight", dim, s.vocab, inv(dim), 0.f);
    return out;
}

} // namespace

Expected<void> writeRandomLlamaModel(const std::string &path,
    const LlamaShape &shapeIn,
    QuantMix mix,
    std::uint64_t seed,
    const GgufFile *vocab,
    Progress *progress)
{
    LlamaShape shape = shapeIn;
    if (vocab) {
        auto tokens = vocab->arraySize("tokenizer.ggml.tokens");
        if (!tokens)
            return fail(Error::Code::InvalidArgument, "the vocab file has no tokenizer.ggml.tokens");
        shape.vocab = static_cast<std::int64_t>(*tokens);
    }
    if (shape.heads <= 0 || shape.kvHeads <= 0 || shape.embedding % shape.heads != 0 || shape.heads % shape.kvHeads != 0
        || shape.vocab < 3 || shape.layers <= 0 || shape.feedForward <= 0)
        return fail(Error::Code::InvalidArgument, "impossible model shape");
    ModelBuilder builder;
    GgufWriter &w = builder.writer();
    writeLlamaMetadata(w, shape, mix);
    if (vocab) {
        for (const std::string &key : vocab->keys()) {
            if (key.starts_with("tokenizer."))
                w.setValue(key, *vocab->value(key));
        }
    } else {
        writeSyntheticVocab(w, shape.vocab);
    }
    std::vector<PlannedTensor> planned = llamaTensors(shape);
    std::vector<GgufTensorInfo> infos;
    for (const PlannedTensor &p : planned)
        infos.push_back(p.info);
    const std::vector<GgmlType> types = chooseTensorTypes(infos, mix);
    for (std::size_t i = 0; i < planned.size(); ++i) {
        const GgufTensorInfo &t = planned[i].info;
        const std::span<const std::int64_t> ne(t.ne.data(), static_cast<std::size_t>(t.nDims));
        if (auto ok = builder.addRandomTensor(t.name, ne, types[i], seed, planned[i].sigma, planned[i].mean); !ok)
            return ok;
    }
    return builder.write(path, progress);
}

} // namespace quire::inference
