// Tokenizer throughput: encodes a novel with the SentencePiece and byte-level BPE vocabularies of the
// reference pack and prints MB/s, next to a reference pass measured in the same run (counting the
// UTF-8 characters of the text, the least any tokenizer has to do).
//
// Usage: tokenizerbench [TEXT_FILE] [REPEATS]

#include "inference/gguffile.h"
#include "inference/tokenizer.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace quire::inference;

namespace
{

const std::string Shared = QUIRE_SHARED_DIR;

std::string readFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// CPU time of this thread: a shared build machine's load does not count against us.
double threadSeconds()
{
    timespec t {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

template <typename F> double bestSeconds(int repeats, F &&f)
{
    double best = 1e30;
    for (int i = 0; i < repeats; ++i) {
        const double start = threadSeconds();
        f();
        best = std::min(best, threadSeconds() - start);
    }
    return best;
}

double referenceMBps(const std::string &text, int repeats)
{
    volatile std::size_t sink = 0;
    const double s = bestSeconds(repeats, [&] {
        std::size_t chars = 0;
        for (unsigned char c : text)
            chars += (c & 0xC0) != 0x80;
        sink = chars;
    });
    (void)sink;
    return static_cast<double>(text.size()) / s / 1e6;
}

void bench(const char *label, const std::string &gguf, const std::string &text, int repeats, double reference)
{
    auto file = GgufFile::open(gguf);
    if (!file) {
        std::printf("%-15s skipped: %s\n", label, file.error().message.c_str());
        return;
    }
    auto tokenizer = Tokenizer::fromGguf(**file);
    if (!tokenizer) {
        std::printf("%-15s failed: %s\n", label, tokenizer.error().message.c_str());
        return;
    }
    // Cold: the tokenizer's word cache is empty (a new archive); warm: every word was seen before.
    std::vector<std::int32_t> ids;
    const double cold = bestSeconds(1, [&] { ids = (*tokenizer)->encode(text, false, false); });
    const double warm = bestSeconds(repeats, [&] { ids = (*tokenizer)->encode(text, false, false); });
    const double decodeS = bestSeconds(repeats, [&] { (void)(*tokenizer)->decode(ids); });
    const auto mbps = [&](double seconds) { return static_cast<double>(text.size()) / seconds / 1e6; };
    std::printf("%-15s encode %6.2f MB/s cold, %6.2f warm (%.4f of reference); %zu tokens, %.2f bytes/token; "
                "decode %6.1f MB/s\n",
        label,
        mbps(cold),
        mbps(warm),
        mbps(cold) / reference,
        ids.size(),
        static_cast<double>(text.size()) / static_cast<double>(ids.size()),
        mbps(decodeS));
}

} // namespace

int main(int argc, char **argv)
{
    const std::string path = argc > 1 ? argv[1] : Shared + "/corpus/novels/pg2701_moby_dick.txt";
    const int repeats = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;
    const std::string text = readFile(path);
    if (text.empty()) {
        std::fprintf(stderr, "cannot read %s\n", path.c_str());
        return 1;
    }
    std::printf("text: %s (%.2f MB), best of %d, thread CPU time\n",
        path.c_str(),
        static_cast<double>(text.size()) / 1e6,
        repeats);
    const double reference = referenceMBps(text, repeats);
    std::printf("%-15s %7.1f MB/s (counting UTF-8 characters)\n", "reference", reference);
    const std::string vocab = Shared + "/reference/vocab/ggml-vocab-";
    bench("spm llama", vocab + "llama-spm.gguf", text, repeats, reference);
    bench("bpe gpt-2", vocab + "gpt-2.gguf", text, repeats, reference);
    bench("bpe qwen2", Shared + "/reference/bpe-arch/qwen2-f16e.gguf", text, repeats, reference);
    bench("bpe starcoder", vocab + "starcoder.gguf", text, repeats, reference);
    bench("bpe deepseek-c", vocab + "deepseek-coder.gguf", text, repeats, reference);
    bench("wordpiece bert", vocab + "bert-bge.gguf", text, repeats, reference);
    return 0;
}
