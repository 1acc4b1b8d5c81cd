#include "modelsummary.h"

#if __has_include("chattemplate.h")
#include "chattemplate.h"
#define QUIRE_HAVE_CHAT_TEMPLATE 1
#endif
#include "strformat.h"

#include <algorithm>
#include <map>
#include <utility>

namespace quire::inference
{

namespace
{

std::optional<std::int64_t> archInt(const GgufFile &f, const std::string &arch, std::string_view key)
{
    return f.getInt(arch + "." + std::string(key));
}

void summarizeTensors(const GgufFile &f, ModelSummary &s)
{
    std::map<std::string, ModelSummary::TypeUse> byType;
    for (const GgufTensorInfo &t : f.tensors()) {
        ModelSummary::TypeUse &u = byType[std::string(ggmlTypeTraits(t.type).name)];
        ++u.tensors;
        u.elements += t.elements();
        u.bytes += t.bytes;
        s.parameters += t.elements();
        s.tensorBytes += t.bytes;
    }
    for (auto &[name, use] : byType) {
        use.type = name;
        s.types.push_back(use);
    }
    std::sort(s.types.begin(), s.types.end(), [](const auto &a, const auto &b) { return a.bytes > b.bytes; });
    s.tensorCount = static_cast<std::int64_t>(f.tensors().size());
    s.bitsPerWeight
        = s.parameters > 0 ? 8.0 * static_cast<double>(s.tensorBytes) / static_cast<double>(s.parameters) : 0;
}

void summarizeRope(const GgufFile &f, ModelSummary &s)
{
    const std::string &a = s.architecture;
    s.ropeDimensions = archInt(f, a, "rope.dimension_count");
    s.ropeFreqBase = f.getFloat(a + ".rope.freq_base");
    if (!s.ropeFreqBase && !a.empty()) {
        s.ropeFreqBase = 10000.0;
        s.ropeFreqBaseDefault = true;
    }
    if (a == "llama" || a == "mistral" || a == "deepseek" || a == "baichuan")
        s.ropeStyle = "normal";
    else if (a == "qwen2" || a == "qwen3" || a == "qwen2moe" || a == "phi3" || a == "gemma" || a == "gemma2"
        || a == "falcon" || a == "gptneox" || a == "stablelm")
        s.ropeStyle = "neox";
    const auto type = f.getString(a + ".rope.scaling.type");
    const auto factor = f.getFloat(a + ".rope.scaling.factor");
    if (type && *type != "none") {
        s.ropeScaling = std::string(*type);
        if (factor)
            s.ropeScaling += strFormat(" x{}", *factor);
        if (auto orig = archInt(f, a, "rope.scaling.original_context_length"))
            s.ropeScaling += strFormat(" (original context {})", *orig);
    }
}

void summarizeTokenizer(const GgufFile &f, ModelSummary &s)
{
    s.tokenizerModel = std::string(f.getString("tokenizer.ggml.model").value_or(""));
    s.tokenizerPre = std::string(f.getString("tokenizer.ggml.pre").value_or(""));
    if (auto n = f.arraySize("tokenizer.ggml.tokens"))
        s.vocabSize = static_cast<std::int64_t>(*n);
    else
        s.vocabSize = archInt(f, s.architecture, "vocab_size");
    s.bosToken = f.getInt("tokenizer.ggml.bos_token_id");
    s.eosToken = f.getInt("tokenizer.ggml.eos_token_id");
    s.addBos = f.getBool("tokenizer.ggml.add_bos_token");
    const auto chat = f.getString("tokenizer.chat_template");
    s.hasChatTemplate = chat.has_value() && !chat->empty();
    if (!s.hasChatTemplate)
        return;
    const std::string_view first = chat->substr(0, chat->find('\n'));
    s.chatTemplateFirstLine = std::string(first.substr(0, 120));
#ifdef QUIRE_HAVE_CHAT_TEMPLATE
    s.chatFamily = chatFamilyName(detectChatFamily(*chat));
#endif
}

} // namespace

std::string fileTypeName(std::int64_t fileType)
{
    static const std::map<std::int64_t, const char *> kNames {
        { 0, "F32" },
        { 1, "F16" },
        { 2, "Q4_0" },
        { 3, "Q4_1" },
        { 7, "Q8_0" },
        { 8, "Q5_0" },
        { 9, "Q5_1" },
        { 10, "Q2_K" },
        { 11, "Q3_K_S" },
        { 12, "Q3_K_M" },
        { 13, "Q3_K_L" },
        { 14, "Q4_K_S" },
        { 15, "Q4_K_M" },
        { 16, "Q5_K_S" },
        { 17, "Q5_K_M" },
        { 18, "Q6_K" },
        { 19, "IQ2_XXS" },
        { 20, "IQ2_XS" },
        { 21, "Q2_K_S" },
        { 22, "IQ3_XS" },
        { 23, "IQ3_XXS" },
        { 24, "IQ1_S" },
        { 25, "IQ4_NL" },
        { 26, "IQ3_S" },
        { 27, "IQ3_M" },
        { 28, "IQ2_S" },
        { 29, "IQ2_M" },
        { 30, "IQ4_XS" },
        { 31, "IQ1_M" },
        { 32, "BF16" },
        { 36, "TQ1_0" },
        { 37, "TQ2_0" },
        { 38, "MXFP4_MOE" },
    };
    auto it = kNames.find(fileType);
    return it != kNames.end() ? it->second : strFormat("unknown ({})", fileType);
}

ModelSummary summarizeModel(const GgufFile &f)
{
    ModelSummary s;
    s.architecture = std::string(f.getString("general.architecture").value_or(""));
    s.name = std::string(f.getString("general.name").value_or(""));
    s.fileBytes = f.fileSize();
    s.ggufVersion = f.version();
    s.alignment = f.alignment();
    s.fileType = f.getInt("general.file_type");
    if (s.fileType)
        s.fileTypeName = fileTypeName(*s.fileType);
    summarizeTensors(f, s);
    const std::string &a = s.architecture;
    s.contextLength = archInt(f, a, "context_length");
    s.embedding = archInt(f, a, "embedding_length");
    s.layers = archInt(f, a, "block_count");
    s.feedForward = archInt(f, a, "feed_forward_length");
    s.heads = archInt(f, a, "attention.head_count");
    s.kvHeads = archInt(f, a, "attention.head_count_kv");
    if (!s.kvHeads)
        s.kvHeads = s.heads;
    s.headDim = archInt(f, a, "attention.key_length");
    if (!s.headDim && s.embedding && s.heads && *s.heads > 0)
        s.headDim = *s.embedding / *s.heads;
    s.rmsEpsilon = f.getFloat(a + ".attention.layer_norm_rms_epsilon");
    summarizeRope(f, s);
    if (!s.ropeDimensions)
        s.ropeDimensions = s.headDim; // llama.cpp's default: rotate the whole head
    summarizeTokenizer(f, s);
    return s;
}

} // namespace quire::inference
