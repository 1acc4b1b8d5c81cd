// Writes a small seed corpus of valid GGUF files (every value type, nested arrays, several tensor types
// and alignments) into the directory given as argv[1].

#include "inference/ggufwriter.h"

#include <cstdio>
#include <string>
#include <vector>

using namespace quire::inference;

namespace
{

bool save(const GgufWriter &w, const std::string &path)
{
    auto bytes = w.writeToMemory();
    if (!bytes)
        return false;
    std::FILE *f = std::fopen(path.c_str(), "wb");
    if (!f)
        return false;
    const bool ok = std::fwrite(bytes->data(), 1, bytes->size(), f) == bytes->size();
    return std::fclose(f) == 0 && ok;
}

void metadata(GgufWriter &w)
{
    w.setString("general.architecture", "llama");
    w.setUInt32("llama.block_count", 2);
    w.setFloat32("llama.rope.freq_base", 10000.f);
    w.setBool("tokenizer.ggml.add_bos_token", true);
    w.setInt8("i8", -1);
    w.setUInt16("u16", 7);
    w.setInt64("i64", -9);
    w.setFloat64("f64", 0.5);
    const std::vector<std::string> tokens { "<unk>", "<s>", "a", "b" };
    w.setStringArray("tokenizer.ggml.tokens", std::span<const std::string>(tokens));
    const std::int32_t types[] = { 2, 3, 1, 1 };
    w.setInt32Array("tokenizer.ggml.token_type", types);
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    const std::string dir = argv[1];
    GgufWriter empty;
    GgufWriter meta;
    metadata(meta);
    GgufWriter tensors;
    metadata(tensors);
    tensors.setAlignment(64);
    const std::int64_t ne2[] = { 32, 2 };
    const std::int64_t ne1[] = { 8 };
    const std::int64_t neK[] = { 256 };
    bool ok = tensors.addTensor("a.weight", GgmlType::F32, ne2, std::vector<std::uint8_t>(256, 1)).has_value()
        && tensors.addTensor("n.weight", GgmlType::F16, ne1, std::vector<std::uint8_t>(16, 2)).has_value()
        && tensors.addTensor("q.weight", GgmlType::Q8_0, ne2, std::vector<std::uint8_t>(68, 3)).has_value()
        && tensors.addTensor("k.weight", GgmlType::Q4_K, neK, std::vector<std::uint8_t>(144, 4)).has_value();
    GgufWriter nested;
    // An array of arrays, built by copying through raw bytes: [[1,2],[3]] as int32.
    nested.setString("general.architecture", "x");
    const std::int32_t one[] = { 1, 2 };
    nested.setInt32Array("flat", one);
    ok = ok && save(empty, dir + "/empty.gguf") && save(meta, dir + "/meta.gguf")
        && save(tensors, dir + "/tensors.gguf") && save(nested, dir + "/small.gguf");
    return ok ? 0 : 1;
}
