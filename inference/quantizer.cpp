#include "quantizer.h"

#include "ggufwriter.h"
#include "quants.h"
#include "strformat.h"

#include <algorithm>
#include <cctype>
#include <thread>

namespace quire::inference
{

namespace
{

// llama_ftype values.
constexpr QuantMixInfo kMixes[] = {
    { QuantMix::F32, "F32", GgmlType::F32, 0 },
    { QuantMix::F16, "F16", GgmlType::F16, 1 },
    { QuantMix::BF16, "BF16", GgmlType::BF16, 32 },
    { QuantMix::Q8_0, "Q8_0", GgmlType::Q8_0, 7 },
    { QuantMix::Q4_0, "Q4_0", GgmlType::Q4_0, 2 },
    { QuantMix::Q4_1, "Q4_1", GgmlType::Q4_1, 3 },
    { QuantMix::Q5_0, "Q5_0", GgmlType::Q5_0, 8 },
    { QuantMix::Q5_1, "Q5_1", GgmlType::Q5_1, 9 },
    { QuantMix::Q4_K_S, "Q4_K_S", GgmlType::Q4_K, 14 },
    { QuantMix::Q4_K_M, "Q4_K_M", GgmlType::Q4_K, 15 },
    { QuantMix::Q5_K_S, "Q5_K_S", GgmlType::Q5_K, 16 },
    { QuantMix::Q5_K_M, "Q5_K_M", GgmlType::Q5_K, 17 },
    { QuantMix::Q6_K, "Q6_K", GgmlType::Q6_K, 18 },
};

bool contains(std::string_view s, std::string_view part)
{
    return s.find(part) != std::string_view::npos;
}

bool endsWith(std::string_view s, std::string_view suffix)
{
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool isQuantized(GgmlType t)
{
    return ggmlTypeTraits(t).blockSize > 1;
}

// llama.cpp gives a few layers more bits: the first and last eighth and every third one in between.
bool useMoreBits(int layer, int layers)
{
    return layer < layers / 8 || layer >= 7 * layers / 8 || (layer - layers / 8) % 3 == 2;
}

// Whether llama-quantize would convert this tensor at all (otherwise it is copied unchanged).
bool shouldQuantize(const GgufTensorInfo &t)
{
    const std::string_view name = t.name;
    return endsWith(name, "weight") && t.nDims >= 2 && !contains(name, "_norm.weight")
        && !contains(name, "ffn_gate_inp.weight") && name != "position_embd.weight" && name != "token_types.weight"
        && !contains(name, "ssm_conv1d.weight");
}

GgmlType fallbackType(GgmlType type, std::int64_t rowLength)
{
    if (rowLength % ggmlTypeTraits(type).blockSize == 0)
        return type;
    GgmlType fallback = GgmlType::F16;
    if (type == GgmlType::Q4_K)
        fallback = GgmlType::Q5_0;
    else if (type == GgmlType::Q5_K)
        fallback = GgmlType::Q5_1;
    else if (type == GgmlType::Q6_K)
        fallback = GgmlType::Q8_0;
    return rowLength % ggmlTypeTraits(fallback).blockSize == 0 ? fallback : GgmlType::F16;
}

struct MixState {
    QuantMix mix;
    bool hasOutput = false;
    int attnV = 0, nAttnV = 0;
    int ffnDown = 0, nFfnDown = 0;
};

GgmlType mixedType(MixState &s, const GgufTensorInfo &t, GgmlType base)
{
    const std::string_view name = t.name;
    const bool kM = s.mix == QuantMix::Q4_K_M || s.mix == QuantMix::Q5_K_M;
    GgmlType type = base;
    if (name == "output.weight" || (!s.hasOutput && name == "token_embd.weight")) {
        if (t.ne[0] % QK_K != 0)
            type = GgmlType::Q8_0;
        else if (type != GgmlType::Q8_0)
            type = GgmlType::Q6_K;
    } else if (contains(name, "attn_v.weight")) {
        if (kM && useMoreBits(s.attnV, s.nAttnV))
            type = GgmlType::Q6_K;
        else if (s.mix == QuantMix::Q4_K_S && s.attnV < 4)
            type = GgmlType::Q5_K;
        ++s.attnV;
    } else if (contains(name, "ffn_down")) {
        if (kM && useMoreBits(s.ffnDown, s.nFfnDown))
            type = GgmlType::Q6_K;
        else if (s.mix == QuantMix::Q4_K_S && s.ffnDown < s.nFfnDown / 8)
            type = GgmlType::Q5_K;
        ++s.ffnDown;
    } else if (contains(name, "attn_qkv.weight")) {
        if (s.mix == QuantMix::Q4_K_M)
            type = GgmlType::Q5_K;
        else if (s.mix == QuantMix::Q5_K_M)
            type = GgmlType::Q6_K;
    }
    return fallbackType(type, t.ne[0]);
}

} // namespace

QuantMixInfo quantMixInfo(QuantMix mix)
{
    for (const QuantMixInfo &m : kMixes) {
        if (m.mix == mix)
            return m;
    }
    return kMixes[0];
}

std::vector<QuantMixInfo> quantMixes()
{
    return { std::begin(kMixes), std::end(kMixes) };
}

std::optional<QuantMix> quantMixFromName(std::string_view name)
{
    std::string upper(name);
    for (char &c : upper)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (upper == "Q4_K")
        return QuantMix::Q4_K_M;
    if (upper == "Q5_K")
        return QuantMix::Q5_K_M;
    for (const QuantMixInfo &m : kMixes) {
        if (m.name == upper)
            return m.mix;
    }
    return std::nullopt;
}

std::vector<GgmlType> chooseTensorTypes(std::span<const GgufTensorInfo> tensors, QuantMix mix)
{
    const QuantMixInfo info = quantMixInfo(mix);
    MixState state { mix };
    for (const GgufTensorInfo &t : tensors) {
        state.hasOutput |= t.name == "output.weight";
        state.nAttnV += contains(t.name, "attn_v.weight") || contains(t.name, "attn_qkv.weight");
        state.nFfnDown += contains(t.name, "ffn_down");
    }
    std::vector<GgmlType> types;
    types.reserve(tensors.size());
    for (const GgufTensorInfo &t : tensors) {
        if (!shouldQuantize(t)) {
            types.push_back(t.type);
            continue;
        }
        const GgmlType target = isQuantized(info.baseType) ? mixedType(state, t, info.baseType) : info.baseType;
        types.push_back(fallbackType(target, t.ne[0]));
    }
    return types;
}

Expected<std::vector<TensorPlan>> planQuantization(const GgufFile &in, QuantMix mix)
{
    const std::vector<GgmlType> types = chooseTensorTypes(in.tensors(), mix);
    std::vector<TensorPlan> plans;
    for (std::size_t i = 0; i < types.size(); ++i) {
        const GgufTensorInfo &t = in.tensors()[i];
        if (types[i] != t.type && !canDequantize(t.type))
            return fail(Error::Code::Unsupported,
                strFormat("tensor {} has type {}, which Quire cannot convert", t.name, ggmlTypeTraits(t.type).name));
        const std::size_t bytesOut = rowBytes(types[i], t.ne[0]) * static_cast<std::size_t>(t.rows());
        plans.push_back({ t.name, t.type, types[i], { t.ne.begin(), t.ne.begin() + t.nDims }, t.bytes, bytesOut });
    }
    return plans;
}

void parallelRows(std::int64_t rows, int threads, const std::function<void(std::int64_t, std::int64_t)> &fn)
{
    if (threads <= 0)
        threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    threads = static_cast<int>(std::min<std::int64_t>(threads, std::max<std::int64_t>(1, rows)));
    if (threads == 1)
        return fn(0, rows);
    std::vector<std::jthread> pool;
    const std::int64_t chunk = (rows + threads - 1) / threads;
    for (int t = 0; t < threads; ++t) {
        const std::int64_t begin = t * chunk;
        const std::int64_t end = std::min(rows, begin + chunk);
        if (begin < end)
            pool.emplace_back(fn, begin, end);
    }
}

void quantizeRows(GgmlType type, const float *src, void *dst, std::int64_t rows, std::int64_t n, int threads)
{
    const std::size_t rowSize = rowBytes(type, n);
    parallelRows(rows, threads, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t r = begin; r < end; ++r)
            quantizeRow(type, src + r * n, static_cast<std::uint8_t *>(dst) + r * rowSize, n);
    });
}

Expected<QuantizeReport> quantizeModel(
    const GgufFile &in, const std::string &outPath, QuantMix mix, const QuantizeOptions &options)
{
    auto plans = planQuantization(in, mix);
    if (!plans)
        return std::unexpected(plans.error());
    GgufWriter writer;
    writer.copyMetadata(in);
    writer.setAlignment(in.alignment());
    writer.setUInt32("general.file_type", quantMixInfo(mix).fileType);
    writer.setUInt32("general.quantization_version", 2);
    QuantizeReport report;
    report.tensors = *plans;
    for (const TensorPlan &p : *plans) {
        const GgufTensorInfo *src = in.tensor(p.name);
        auto producer = [src, to = p.to, threads = options.threads](std::span<std::uint8_t> out) -> Expected<void> {
            if (src->type == to) {
                std::copy(src->data, src->data + src->bytes, out.data());
                return {};
            }
            // Convert in slices of rows so memory stays bounded for large tensors.
            const std::int64_t n = src->ne[0];
            const std::int64_t rows = src->rows();
            const std::int64_t slice = std::max<std::int64_t>(1, (std::int64_t(1) << 22) / n);
            const std::size_t inRow = rowBytes(src->type, n), outRow = rowBytes(to, n);
            std::vector<float> buffer(static_cast<std::size_t>(std::min(slice, rows) * n));
            for (std::int64_t r = 0; r < rows; r += slice) {
                const std::int64_t count = std::min(slice, rows - r);
                for (std::int64_t i = 0; i < count; ++i)
                    dequantizeRow(src->type, src->data + (r + i) * inRow, buffer.data() + i * n, n);
                quantizeRows(to, buffer.data(), out.data() + r * outRow, count, n, threads);
            }
            return {};
        };
        if (auto ok = writer.addTensor(p.name, p.to, p.ne, producer); !ok)
            return std::unexpected(ok.error());
        auto &[count, bytes] = report.perType[std::string(ggmlTypeTraits(p.to).name)];
        ++count;
        bytes += p.bytesOut;
    }
    if (options.progress)
        options.progress->begin("quantize", static_cast<std::int64_t>(plans->size()));
    auto progress = [&](std::size_t done, std::size_t, std::uint64_t) {
        if (options.progress)
            options.progress->update(static_cast<std::int64_t>(done), (*plans)[done - 1].name);
        return !(options.cancel && options.cancel->isCancelled());
    };
    auto ok = writer.write(outPath, progress);
    if (options.progress)
        options.progress->end();
    if (!ok)
        return std::unexpected(ok.error());
    report.inputBytes = in.fileSize();
    if (auto out = GgufFile::open(outPath))
        report.outputBytes = (*out)->fileSize();
    return report;
}

} // namespace quire::inference
