#include "inference/hparams.h"

#include "inference/gguffile.h"

#include <string_view>

namespace quire::inference
{

namespace
{

struct Reader {
    const GgufFile &file;
    std::string prefix;

    std::string key(std::string_view suffix) const { return prefix + '.' + std::string(suffix); }
    std::optional<std::int64_t> integer(std::string_view suffix) const { return file.getInt(key(suffix)); }
    std::optional<double> real(std::string_view suffix) const { return file.getFloat(key(suffix)); }
    std::optional<std::string_view> string(std::string_view suffix) const { return file.getString(key(suffix)); }
};

Expected<std::int32_t> required(const Reader &r, std::string_view suffix)
{
    const auto v = r.integer(suffix);
    if (!v)
        return fail(Error::Code::Corrupt, "model metadata lacks " + r.key(suffix));
    if (*v <= 0 || *v > (1 << 30))
        return fail(Error::Code::Corrupt, "model metadata " + r.key(suffix) + " is out of range");
    return static_cast<std::int32_t>(*v);
}

void readRope(const Reader &r, HParams &hp)
{
    hp.ropeStyle = hp.arch == Architecture::Llama ? RopeStyle::Normal : RopeStyle::NeoX;
    hp.ropeFreqBase = static_cast<float>(r.real("rope.freq_base").value_or(10000.0));
    float factor = 0.0f;
    if (const auto f = r.real("rope.scaling.factor"))
        factor = static_cast<float>(*f);
    else if (const auto lin = r.real("rope.scale_linear"))
        factor = static_cast<float>(*lin);
    const std::string_view type = r.string("rope.scaling.type").value_or(factor > 0.0f ? "linear" : "none");
    hp.ropeScaling = type == "yarn" ? RopeScaling::Yarn : type == "linear" ? RopeScaling::Linear : RopeScaling::None;
    hp.ropeFreqScale = (hp.ropeScaling != RopeScaling::None && factor > 0.0f) ? 1.0f / factor : 1.0f;
    hp.yarnOrigCtx
        = static_cast<std::int32_t>(r.integer("rope.scaling.original_context_length").value_or(hp.nCtxTrain));
    if (hp.ropeScaling == RopeScaling::Yarn) {
        hp.yarnExtFactor = 1.0f;
        hp.yarnAttnFactor = static_cast<float>(r.real("rope.scaling.attn_factor").value_or(1.0));
        hp.yarnBetaFast = static_cast<float>(r.real("rope.scaling.yarn_beta_fast").value_or(32.0));
        hp.yarnBetaSlow = static_cast<float>(r.real("rope.scaling.yarn_beta_slow").value_or(1.0));
    }
}

std::int32_t vocabSize(const GgufFile &file, const Reader &r)
{
    if (const auto v = r.integer("vocab_size"); v && *v > 0)
        return static_cast<std::int32_t>(*v);
    if (const auto n = file.arraySize("tokenizer.ggml.tokens"))
        return static_cast<std::int32_t>(*n);
    if (const GgufTensorInfo *t = file.tensor("token_embd.weight"))
        return static_cast<std::int32_t>(t->ne[1]);
    return 0;
}

} // namespace

const char *architectureName(Architecture arch)
{
    switch (arch) {
    case Architecture::Llama:
        return "llama";
    case Architecture::Qwen2:
        return "qwen2";
    case Architecture::Qwen3:
        return "qwen3";
    }
    return "?";
}

Expected<HParams> readHParams(const GgufFile &file)
{
    HParams hp;
    const auto arch = file.getString("general.architecture");
    if (!arch)
        return fail(Error::Code::Corrupt, "model has no general.architecture key: not a model GGUF?");
    hp.archName = std::string(*arch);
    if (*arch == "llama")
        hp.arch = Architecture::Llama;
    else if (*arch == "qwen2")
        hp.arch = Architecture::Qwen2;
    else if (*arch == "qwen3")
        hp.arch = Architecture::Qwen3;
    else
        return fail(Error::Code::Unsupported,
            "unsupported model architecture '" + hp.archName + "' (supported: llama, qwen2, qwen3)");
    hp.name = std::string(file.getString("general.name").value_or(""));
    const Reader r { file, hp.archName };
    auto get = [&r](std::string_view k, std::int32_t &out) -> Expected<void> {
        auto v = required(r, k);
        if (!v)
            return std::unexpected(v.error());
        out = *v;
        return {};
    };
    for (auto [k, out] : { std::pair { "embedding_length", &hp.nEmbd },
             std::pair { "block_count", &hp.nLayer },
             std::pair { "feed_forward_length", &hp.nFf },
             std::pair { "attention.head_count", &hp.nHead } }) {
        if (auto ok = get(k, *out); !ok)
            return std::unexpected(ok.error());
    }
    hp.nCtxTrain = static_cast<std::int32_t>(r.integer("context_length").value_or(2048));
    hp.nHeadKv = static_cast<std::int32_t>(r.integer("attention.head_count_kv").value_or(hp.nHead));
    if (hp.nHeadKv <= 0 || hp.nHead % hp.nHeadKv != 0)
        return fail(Error::Code::Corrupt,
            "model has " + std::to_string(hp.nHead) + " heads and " + std::to_string(hp.nHeadKv)
                + " KV heads: not a multiple");
    hp.headDimK = static_cast<std::int32_t>(r.integer("attention.key_length").value_or(hp.nEmbd / hp.nHead));
    hp.headDimV = static_cast<std::int32_t>(r.integer("attention.value_length").value_or(hp.headDimK));
    hp.nRot = static_cast<std::int32_t>(r.integer("rope.dimension_count").value_or(hp.headDimK));
    if (hp.headDimK <= 0 || hp.headDimV <= 0 || hp.nRot <= 0 || hp.nRot > hp.headDimK || hp.nRot % 2 != 0)
        return fail(Error::Code::Corrupt, "model has inconsistent head or rope dimensions");
    hp.rmsEps = static_cast<float>(
        r.real("attention.layer_norm_rms_epsilon").value_or(hp.arch == Architecture::Llama ? 1e-5 : 1e-6));
    hp.nVocab = vocabSize(file, r);
    if (hp.nVocab <= 0)
        return fail(Error::Code::Corrupt, "model has no vocabulary size");
    readRope(r, hp);
    return hp;
}

} // namespace quire::inference
