#include "inference/backend.h"
#include "inference/cpu/cpucontext.h"
#include "inference/cpu/kernels.h"
#include "inference/cpu/threadpool.h"
#include "inference/model.h"

#include <thread>

namespace quire::inference
{

namespace
{

class CpuBackend final : public Backend
{
public:
    explicit CpuBackend(int threads)
        : m_pool(std::make_shared<cpu::ThreadPool>(threads))
        , m_kernels(cpu::kernels())
    {
    }

    std::string name() const override
    {
        return "cpu (" + std::string(m_kernels.isa) + ", " + std::to_string(m_pool->size()) + " threads)";
    }

    Expected<std::unique_ptr<EvalContext>> createContext(const Model &model, const ContextConfig &config) override
    {
        const HParams &hp = model.hparams();
        if (config.nCtx <= 0)
            return fail(Error::Code::InvalidArgument, "context size must be positive");
        if (config.attention.mode == AttentionMode::Sparse) {
            if (auto ok = config.attention.validate(config.kvBlockTokens); !ok)
                return std::unexpected(ok.error());
        }
        KvCacheConfig kv;
        kv.nLayer = hp.nLayer;
        kv.nHeadKv = hp.nHeadKv;
        kv.headDimK = hp.headDimK;
        kv.headDimV = hp.headDimV;
        kv.capacity = config.nCtx;
        kv.blockTokens = config.kvBlockTokens;
        kv.type = config.kvType;
        auto cache = KvCache::create(kv);
        if (!cache)
            return std::unexpected(cache.error());
        return std::unique_ptr<EvalContext>(new cpu::CpuContext(model, m_pool, m_kernels, std::move(*cache), config));
    }

private:
    std::shared_ptr<cpu::ThreadPool> m_pool;
    const cpu::KernelSet &m_kernels;
};

} // namespace

std::unique_ptr<Backend> createCpuBackend(const CpuBackendOptions &options)
{
    int threads = options.threads;
    if (threads <= 0)
        threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    return std::make_unique<CpuBackend>(threads);
}

} // namespace quire::inference
