// libFuzzer target: GgufFile::fromMemory must refuse or accept any input without undefined behaviour,
// and everything an accepted file exposes must lie inside the input.

#include "inference/gguffile.h"
#include "inference/ggufvalue.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace quire::inference;

namespace
{

void touchValue(const GgufValue &v, volatile std::uint64_t &sink)
{
    sink = sink + v.count + v.str.size();
    for (std::string_view s : v.strings)
        sink = sink + (s.empty() ? 0 : static_cast<unsigned char>(s.back()));
    for (const GgufValue &n : v.nested)
        touchValue(n, sink);
    if (v.type == GgufValueType::Array && v.count > 0) {
        if (auto i = v.intAt(v.count - 1))
            sink = sink + static_cast<std::uint64_t>(*i);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    auto file = GgufFile::fromMemory(std::span(data, size));
    if (!file) {
        if (file.error().message.empty())
            std::abort(); // every refusal must say why
        return 0;
    }
    const GgufFile &f = **file;
    volatile std::uint64_t sink = f.version() + f.alignment() + f.dataOffset();
    for (const std::string &key : f.keys()) {
        sink = sink + f.describe(key).size();
        sink = sink + static_cast<std::uint64_t>(f.getInt(key).value_or(0));
        sink = sink + static_cast<std::uint64_t>(f.getFloat(key).value_or(0) != 0);
        sink = sink + f.getString(key).value_or("").size();
        if (auto a = f.getFloatArray(key))
            sink = sink + a->size();
        if (auto a = f.getIntArray(key))
            sink = sink + a->size();
        if (auto a = f.getStringArray(key))
            sink = sink + a->size();
        touchValue(*f.value(key), sink);
    }
    for (const GgufTensorInfo &t : f.tensors()) {
        if (t.data < data || t.data + t.bytes > data + size || t.elements() <= 0)
            std::abort();
        if (t.bytes > 0)
            sink = sink + t.data[0] + t.data[t.bytes - 1];
        if (f.tensor(t.name) == nullptr)
            std::abort();
    }
    return 0;
}
