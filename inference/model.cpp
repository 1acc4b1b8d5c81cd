#include "inference/model.h"

#include "inference/cpu/kernels.h"
#include "inference/gguffile.h"

#include <map>

namespace quire::inference
{

namespace
{

Expected<const GgufTensorInfo *> findTensor(const GgufFile &file, const std::string &name, bool optional)
{
    const GgufTensorInfo *t = file.tensor(name);
    if (!t && !optional)
        return fail(Error::Code::Corrupt, "model lacks tensor " + name);
    if (t && !cpu::isComputeType(t->type)) {
        return fail(Error::Code::Unsupported,
            "tensor " + name + " has type " + std::string(ggmlTypeTraits(t->type).name)
                + ", which Quire cannot compute with yet (supported: f32 f16 bf16 q4_0 q4_1 q5_0 q5_1 q8_0 "
                  "q4_K q5_K q6_K)");
    }
    return t;
}

Expected<Weight> matrix(
    const GgufFile &file, const std::string &name, std::int64_t cols, std::int64_t rows, bool optional = false)
{
    auto t = findTensor(file, name, optional);
    if (!t)
        return std::unexpected(t.error());
    if (!*t)
        return Weight {};
    const GgufTensorInfo &info = **t;
    if (info.ne[0] != cols || info.rows() != rows) {
        return fail(Error::Code::Corrupt,
            "tensor " + name + " has shape [" + std::to_string(info.ne[0]) + ", " + std::to_string(info.rows())
                + "], expected [" + std::to_string(cols) + ", " + std::to_string(rows) + "]");
    }
    Weight w;
    w.type = info.type;
    w.cols = cols;
    w.rows = rows;
    w.rowBytes = cpu::weightRowBytes(info.type, cols);
    w.data = info.data;
    return w;
}

Expected<std::vector<float>> vectorTensor(
    const GgufFile &file, const std::string &name, std::int64_t n, bool optional = false)
{
    auto w = matrix(file, name, n, 1, optional);
    if (!w)
        return std::unexpected(w.error());
    std::vector<float> out;
    if (*w) {
        out.resize(static_cast<std::size_t>(n));
        cpu::dequantizeRow(w->type, w->data, out.data(), n);
    }
    return out;
}

} // namespace

Model::~Model() = default;

Expected<std::unique_ptr<Model>> Model::load(const std::string &path)
{
    auto file = GgufFile::open(path);
    if (!file)
        return std::unexpected(file.error());
    return fromGguf(std::move(*file));
}

Expected<std::unique_ptr<Model>> Model::fromGguf(std::unique_ptr<GgufFile> file)
{
    std::unique_ptr<Model> model(new Model);
    model->m_file = std::move(file);
    auto hp = readHParams(*model->m_file);
    if (!hp)
        return std::unexpected(hp.error());
    model->m_hp = std::move(*hp);
    if (auto ok = model->bind(); !ok)
        return std::unexpected(ok.error());
    return model;
}

Expected<void> Model::bind()
{
    const GgufFile &f = *m_file;
    auto embd = matrix(f, "token_embd.weight", m_hp.nEmbd, m_hp.nVocab);
    if (!embd)
        return std::unexpected(embd.error());
    m_tokenEmbd = *embd;
    auto out = matrix(f, "output.weight", m_hp.nEmbd, m_hp.nVocab, true);
    if (!out)
        return std::unexpected(out.error());
    m_output = *out;
    m_hp.tiedOutput = !m_output;
    auto norm = vectorTensor(f, "output_norm.weight", m_hp.nEmbd);
    if (!norm)
        return std::unexpected(norm.error());
    m_outputNorm = std::move(*norm);
    m_layers.resize(static_cast<std::size_t>(m_hp.nLayer));
    for (int i = 0; i < m_hp.nLayer; ++i) {
        if (auto ok = bindLayer(i); !ok)
            return ok;
    }
    return {};
}

Expected<void> Model::bindLayer(int i)
{
    const GgufFile &f = *m_file;
    const std::string p = "blk." + std::to_string(i) + '.';
    LayerWeights &l = m_layers[static_cast<std::size_t>(i)];
    const bool qwen3 = m_hp.arch == Architecture::Qwen3;
    struct Vec {
        std::vector<float> *out;
        const char *name;
        std::int64_t n;
        bool optional;
    };
    for (const Vec &v : { Vec { &l.attnNorm, "attn_norm.weight", m_hp.nEmbd, false },
             Vec { &l.ffnNorm, "ffn_norm.weight", m_hp.nEmbd, false },
             Vec { &l.qNorm, "attn_q_norm.weight", m_hp.headDimK, !qwen3 },
             Vec { &l.kNorm, "attn_k_norm.weight", m_hp.headDimK, !qwen3 },
             Vec { &l.qBias, "attn_q.bias", m_hp.qWidth(), true },
             Vec { &l.kBias, "attn_k.bias", m_hp.kvWidth(), true },
             Vec { &l.vBias, "attn_v.bias", m_hp.vWidth(), true } }) {
        auto r = vectorTensor(f, p + v.name, v.n, v.optional);
        if (!r)
            return std::unexpected(r.error());
        *v.out = std::move(*r);
    }
    struct Mat {
        Weight *out;
        const char *name;
        std::int64_t cols;
        std::int64_t rows;
    };
    for (const Mat &m : { Mat { &l.wq, "attn_q.weight", m_hp.nEmbd, m_hp.qWidth() },
             Mat { &l.wk, "attn_k.weight", m_hp.nEmbd, m_hp.kvWidth() },
             Mat { &l.wv, "attn_v.weight", m_hp.nEmbd, m_hp.vWidth() },
             Mat { &l.wo, "attn_output.weight", m_hp.nHead * m_hp.headDimV, m_hp.nEmbd },
             Mat { &l.ffnGate, "ffn_gate.weight", m_hp.nEmbd, m_hp.nFf },
             Mat { &l.ffnUp, "ffn_up.weight", m_hp.nEmbd, m_hp.nFf },
             Mat { &l.ffnDown, "ffn_down.weight", m_hp.nFf, m_hp.nEmbd } }) {
        auto r = matrix(f, p + m.name, m.cols, m.rows);
        if (!r)
            return std::unexpected(r.error());
        *m.out = *r;
    }
    return {};
}

std::uint64_t Model::parameterCount() const
{
    std::uint64_t n = 0;
    for (const GgufTensorInfo &t : m_file->tensors())
        n += static_cast<std::uint64_t>(t.elements());
    return n;
}

std::uint64_t Model::weightBytesPerToken() const
{
    std::uint64_t bytes = m_tokenEmbd.rowBytes + output().bytes();
    for (const LayerWeights &l : m_layers) {
        for (const Weight *w : { &l.wq, &l.wk, &l.wv, &l.wo, &l.ffnGate, &l.ffnUp, &l.ffnDown })
            bytes += w->bytes();
    }
    return bytes;
}

std::string Model::typeMix() const
{
    std::map<std::string, int> counts;
    for (const GgufTensorInfo &t : m_file->tensors())
        ++counts[std::string(ggmlTypeTraits(t.type).name)];
    std::string s;
    for (const auto &[name, count] : counts)
        s += (s.empty() ? "" : ", ") + name + " x " + std::to_string(count);
    return s;
}

} // namespace quire::inference
