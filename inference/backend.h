#pragma once

#include "inference/kvcache.h"
#include "inference/sparseattention.h"
#include "util/cancel.h"
#include "util/error.h"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace quire::inference
{

class Model;

// Which positions of a batch need logits.
enum class LogitsMode {
    None, // only fill the KV cache
    Last, // the last position of the batch (generation)
    All, // every position (evaluation, tests)
};

struct ContextConfig {
    std::int32_t nCtx = 4096; // tokens the KV cache can hold
    KvType kvType = KvType::F16;
    std::int32_t kvBlockTokens = 256; // positions per KV block
    std::int32_t microBatch = 512; // positions evaluated together inside one decode()
    SparseAttentionSettings attention; // dense / sparse / auto (backends without sparse attention run dense)
};

// The evaluation state of one sequence on a backend: its KV cache and scratch memory.
// decode() appends tokens at positions length() .. length() + n - 1.
class EvalContext
{
public:
    virtual ~EvalContext() = default;

    virtual std::int32_t length() const = 0;
    virtual std::int32_t capacity() const = 0;
    // Forget every position >= n (to re-evaluate from there, e.g. after an edited prompt).
    virtual void truncate(std::int32_t n) = 0;

    // Runs the model over `tokens`. logits receives nVocab floats per requested position, in order
    // (one row for Last, tokens.size() rows for All). Fails with TooLarge when the context would
    // overflow (nothing is written then), with Cancelled between micro-batches when cancel is set.
    virtual Expected<void> decode(std::span<const std::int32_t> tokens,
        LogitsMode mode,
        std::vector<float> &logits,
        const CancelToken *cancel = nullptr)
        = 0;

    // "Read once, ask many": saves the state of positions 0 .. length() - 1 (KV cache, block summaries)
    // with the tokens that produced them (tokens.size() == length()) to `path` (see KvSnapshot), bound to
    // the model and this context's settings. Truncating back to a saved or loaded prefix restores its
    // state exactly, so every question about it starts from the same point.
    virtual Expected<void> savePrefix(const std::string &path, std::span<const std::int32_t> tokens)
    {
        (void)tokens;
        return fail(Error::Code::Unsupported, "this backend cannot save its KV cache (" + path + ")");
    }
    // Replaces the state with a saved prefix and returns its tokens; the cache reads the mapped file in
    // place. A damaged file, or one saved with another model or other settings, is refused with a message
    // saying why, and the context is left as it was.
    virtual Expected<std::vector<std::int32_t>> loadPrefix(const std::string &path)
    {
        return fail(Error::Code::Unsupported, "this backend cannot load a saved KV cache (" + path + ")");
    }
    // Bytes of KV cache memory held now (blocks are allocated as the context grows).
    virtual std::size_t kvBytes() const { return 0; }
};

// A compute backend (CPU now, Vulkan later). It evaluates whole forward passes, so a device backend
// keeps weights, activations and the KV cache on the device between tokens.
class Backend
{
public:
    virtual ~Backend() = default;
    virtual std::string name() const = 0; // "cpu (avx512, 2 threads)"
    virtual Expected<std::unique_ptr<EvalContext>> createContext(const Model &model, const ContextConfig &config) = 0;
};

struct CpuBackendOptions {
    int threads = 0; // 0: all hardware threads
};
std::unique_ptr<Backend> createCpuBackend(const CpuBackendOptions &options = {});

} // namespace quire::inference
