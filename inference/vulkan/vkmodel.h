#pragma once

#include "inference/model.h"
#include "vkbuffer.h"
#include "vkkernels.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace quire::inference::vk
{

// "412.3 MiB", "1.25 GiB": sizes in the backend's messages.
std::string formatBytes(std::uint64_t bytes);

// A weight matrix on the device, in its storage type.
struct DeviceWeight {
    GgmlType type = GgmlType::F32;
    WeightLayout layout = WeightLayout::Ggml;
    std::uint32_t rows = 0;
    std::uint32_t cols = 0;
    std::unique_ptr<Buffer> buffer;
};

struct DeviceLayer {
    std::unique_ptr<Buffer> attnNorm, ffnNorm, qNorm, kNorm, qBias, kBias, vBias;
    DeviceWeight wq, wk, wv, wo, gate, up, down;
};

// The model's weights uploaded to one device, once.
class DeviceModel
{
public:
    // Fails with TooLarge (saying how much memory is missing) when the weights do not fit.
    static Expected<std::unique_ptr<DeviceModel>> upload(Context &context, const Model &model);

    const Model &model() const { return m_model; }
    const DeviceWeight &embedding() const { return m_embedding; }
    const DeviceWeight &output() const { return m_tied ? m_embedding : m_output; }
    const Buffer &outputNorm() const { return *m_outputNorm; }
    const DeviceLayer &layer(int i) const { return m_layers[static_cast<std::size_t>(i)]; }
    std::uint64_t bytes() const { return m_bytes; }

private:
    explicit DeviceModel(const Model &model)
        : m_model(model)
    {
    }
    DeviceWeight uploadWeight(Context &context, const Weight &w);
    std::unique_ptr<Buffer> uploadVector(Context &context, const std::vector<float> &v);

    const Model &m_model;
    bool m_tied = false;
    DeviceWeight m_embedding;
    DeviceWeight m_output;
    std::unique_ptr<Buffer> m_outputNorm;
    std::vector<DeviceLayer> m_layers;
    std::uint64_t m_bytes = 0;
};

} // namespace quire::inference::vk
