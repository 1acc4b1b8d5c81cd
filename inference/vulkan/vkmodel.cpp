#include "vkmodel.h"

#include <cstdio>

namespace quire::inference::vk
{

namespace
{

std::uint64_t weightBytes(const Model &model)
{
    const HParams &hp = model.hparams();
    std::uint64_t total = model.tokenEmbedding().bytes() + (hp.tiedOutput ? 0 : model.output().bytes());
    for (int i = 0; i < hp.nLayer; ++i) {
        const LayerWeights &l = model.layer(i);
        for (const Weight *w : { &l.wq, &l.wk, &l.wv, &l.wo, &l.ffnGate, &l.ffnUp, &l.ffnDown })
            total += w->bytes();
    }
    return total;
}

} // namespace

std::string formatBytes(std::uint64_t bytes)
{
    char buf[32];
    if (bytes >= (1ull << 30))
        std::snprintf(buf, sizeof buf, "%.2f GiB", double(bytes) / (1ull << 30));
    else
        std::snprintf(buf, sizeof buf, "%.1f MiB", double(bytes) / (1ull << 20));
    return buf;
}

DeviceWeight DeviceModel::uploadWeight(Context &context, const Weight &w)
{
    DeviceWeight d;
    d.type = w.type;
    d.rows = static_cast<std::uint32_t>(w.rows);
    d.cols = static_cast<std::uint32_t>(w.cols);
    d.layout = Kernels::preferredLayout(context.info(), w.type, d.cols);
    if (d.layout == WeightLayout::Ggml) {
        d.buffer = std::make_unique<Buffer>(context, w.bytes());
        d.buffer->upload(w.data, w.bytes());
        m_bytes += w.bytes();
        return d;
    }
    const std::size_t bytes = Kernels::weightRowBytes(w.type, d.cols, d.layout) * d.rows;
    std::vector<std::uint8_t> packed(bytes);
    Kernels::packRows(w.type, d.cols, d.rows, w.data, packed.data(), d.layout);
    d.buffer = std::make_unique<Buffer>(context, bytes);
    d.buffer->upload(packed.data(), bytes);
    m_bytes += bytes;
    return d;
}

std::unique_ptr<Buffer> DeviceModel::uploadVector(Context &context, const std::vector<float> &v)
{
    if (v.empty())
        return nullptr;
    auto b = std::make_unique<Buffer>(context, v.size() * sizeof(float));
    b->upload(std::span<const float>(v));
    m_bytes += v.size() * sizeof(float);
    return b;
}

Expected<std::unique_ptr<DeviceModel>> DeviceModel::upload(Context &context, const Model &model)
{
    const HParams &hp = model.hparams();
    const std::uint64_t needed = weightBytes(model);
    const std::uint64_t available = context.memoryBytes();
    if (available > 0 && needed > available * 9 / 10)
        return fail(Error::Code::TooLarge,
            "the model's weights need " + formatBytes(needed) + " but " + context.info().name + " has "
                + formatBytes(available * 9 / 10) + " usable (90 % of " + formatBytes(available) + "): "
                + formatBytes(needed - available * 9 / 10) + " missing; use the CPU backend or a smaller quantisation");
    for (const Weight *w : { &model.tokenEmbedding(), &model.output() }) {
        if (!Kernels::supportsType(w->type))
            return fail(Error::Code::Unsupported, "the Vulkan backend cannot read tensors of this type");
    }
    if (hp.headDimK != hp.headDimV || hp.headDimK % 2 != 0)
        return fail(Error::Code::Unsupported, "the Vulkan backend needs equal, even key and value head sizes");
    std::unique_ptr<DeviceModel> d(new DeviceModel(model));
    try {
        d->m_tied = hp.tiedOutput;
        d->m_embedding = d->uploadWeight(context, model.tokenEmbedding());
        if (!hp.tiedOutput)
            d->m_output = d->uploadWeight(context, model.output());
        d->m_outputNorm = d->uploadVector(context, model.outputNorm());
        for (int i = 0; i < hp.nLayer; ++i) {
            const LayerWeights &l = model.layer(i);
            for (const Weight *w : { &l.wq, &l.wk, &l.wv, &l.wo, &l.ffnGate, &l.ffnUp, &l.ffnDown }) {
                if (!Kernels::supportsMatrix(w->type, static_cast<std::uint32_t>(w->cols)))
                    return fail(Error::Code::Unsupported,
                        "the Vulkan backend cannot read a tensor of layer " + std::to_string(i));
            }
            DeviceLayer dl;
            dl.attnNorm = d->uploadVector(context, l.attnNorm);
            dl.ffnNorm = d->uploadVector(context, l.ffnNorm);
            dl.qNorm = d->uploadVector(context, l.qNorm);
            dl.kNorm = d->uploadVector(context, l.kNorm);
            dl.qBias = d->uploadVector(context, l.qBias);
            dl.kBias = d->uploadVector(context, l.kBias);
            dl.vBias = d->uploadVector(context, l.vBias);
            dl.wq = d->uploadWeight(context, l.wq);
            dl.wk = d->uploadWeight(context, l.wk);
            dl.wv = d->uploadWeight(context, l.wv);
            dl.wo = d->uploadWeight(context, l.wo);
            dl.gate = d->uploadWeight(context, l.ffnGate);
            dl.up = d->uploadWeight(context, l.ffnUp);
            dl.down = d->uploadWeight(context, l.ffnDown);
            d->m_layers.push_back(std::move(dl));
        }
    } catch (const std::exception &e) {
        return fail(
            Error::Code::TooLarge, std::string("cannot upload the model to ") + context.info().name + ": " + e.what());
    }
    return d;
}

} // namespace quire::inference::vk
