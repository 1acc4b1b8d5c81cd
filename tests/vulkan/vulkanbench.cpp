// Prompt (pp) and generation (tg) speed of one GGUF file on the Vulkan backend, without the CLI:
// the quick loop for kernel work. QUIRE_VK_PROFILE=1 adds the time per pipeline (GPU timestamps).
// Usage: vulkanbench MODEL.gguf [pp tokens] [tg tokens] [repetitions]
#include "inference/model.h"
#include "inference/vulkan/vkbackend.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>

using namespace quire::inference;

namespace
{

double seconds(std::chrono::steady_clock::time_point since)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// CPU time of the whole process (lavapipe's worker threads included): on a shared machine, tokens per
// CPU second x cores tells what an idle machine would reach, where wall time tells what this one did.
double cpuSeconds()
{
    timespec t {};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: vulkanbench MODEL.gguf [pp tokens] [tg tokens] [repetitions]\n");
        return 2;
    }
    const int pp = argc > 2 ? std::atoi(argv[2]) : 512;
    const int tg = argc > 3 ? std::atoi(argv[3]) : 32;
    const int reps = argc > 4 ? std::max(1, std::atoi(argv[4])) : 2;
    auto model = Model::load(argv[1]);
    if (!model) {
        std::fprintf(stderr, "%s\n", model.error().message.c_str());
        return 1;
    }
    auto backend = vk::createVulkanBackend();
    if (!backend) {
        std::fprintf(stderr, "%s\n", backend.error().message.c_str());
        return 1;
    }
    std::printf("%s\n", (*backend)->name().c_str());
    std::mt19937 rng(42);
    std::vector<std::int32_t> tokens(static_cast<std::size_t>(std::max(pp, tg)));
    for (std::int32_t &t : tokens)
        t = static_cast<std::int32_t>(rng() % static_cast<unsigned>((*model)->hparams().nVocab));
    double bestPp = 0, bestTg = 0;
    for (int rep = 0; rep < reps; ++rep) {
        auto ctx = (*backend)->createContext(**model, { .nCtx = std::max(pp, tg) + 16, .kvType = KvType::F16 });
        if (!ctx) {
            std::fprintf(stderr, "%s\n", ctx.error().message.c_str());
            return 1;
        }
        std::vector<float> logits;
        auto start = std::chrono::steady_clock::now();
        double cpu = cpuSeconds();
        if (pp > 0 && !(*ctx)->decode(std::span(tokens).first(std::size_t(pp)), LogitsMode::Last, logits))
            return 1;
        const double ppCpu = cpuSeconds() - cpu;
        if (pp > 0)
            bestPp = std::max(bestPp, pp / seconds(start));
        (*ctx)->truncate(1);
        start = std::chrono::steady_clock::now();
        cpu = cpuSeconds();
        for (int i = 0; i < tg; ++i) {
            if (!(*ctx)->decode(std::span(tokens).subspan(std::size_t(i), 1), LogitsMode::Last, logits))
                return 1;
        }
        const double tgCpu = cpuSeconds() - cpu;
        if (tg > 0)
            bestTg = std::max(bestTg, tg / seconds(start));
        std::printf("run %d: pp%d %.1f t/s, tg%d %.1f t/s (best so far); this run's CPU time: pp %.2f s, tg %.2f s\n",
            rep + 1,
            pp,
            bestPp,
            tg,
            bestTg,
            ppCpu,
            tgCpu);
        std::fflush(stdout);
    }
    return 0;
}
