// Grammar mask cost on a 150K-token vocabulary: the trie walk over the lazy DFA against a reference
// measured in the same run, walking every token's piece from scratch (no trie).
#include "inference/grammar.h"
#include "inference/jsonschema.h"

#include <cstdio>
#include <ctime>
#include <random>
#include <set>
#include <unordered_map>

using namespace quire::inference;

namespace
{

// Pieces shaped like a byte-level BPE vocabulary: words with and without a leading space, punctuation
// runs, digits, CJK and accented text, JSON-ish fragments, and all 256 single bytes.
std::vector<std::string> syntheticVocabulary(std::size_t size)
{
    std::mt19937 rng(1);
    std::set<std::string> seen;
    std::vector<std::string> pieces;
    auto add = [&](std::string p) {
        if (!p.empty() && seen.insert(p).second)
            pieces.push_back(std::move(p));
    };
    for (int b = 0; b < 256; ++b)
        add(std::string(1, char(b)));
    const std::string punctuation = "{}[]\":,.;!?-()'/\\_#*@";
    const char *cjk[] = { "日", "本", "語", "中", "文", "字", "é", "ü", "ñ", "ß", "и", "я" };
    auto pick = [&](int n) { return int(rng() % unsigned(n)); };
    while (pieces.size() < size) {
        std::string p;
        switch (pick(10)) {
        case 0:
        case 1:
        case 2:
        case 3:
            p = " ";
            [[fallthrough]];
        case 4:
        case 5:
            for (int i = 1 + pick(9); i > 0; --i)
                p += char('a' + pick(26));
            break;
        case 6:
            for (int i = 1 + pick(3); i > 0; --i)
                p += punctuation[std::size_t(pick(int(punctuation.size())))];
            break;
        case 7:
            for (int i = 1 + pick(4); i > 0; --i)
                p += char('0' + pick(10));
            break;
        case 8:
            for (int i = 1 + pick(3); i > 0; --i)
                p += cjk[pick(12)];
            break;
        default:
            p = (pick(2) ? "\"" : "") + std::string(1, char('A' + pick(26))) + char('a' + pick(26))
                + (pick(2) ? "\":" : "");
        }
        add(p);
    }
    return pieces;
}

// Thread CPU time: the build machines are shared, and wall time there measures the neighbours.
double cpuMs()
{
    timespec t {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

// Greedy longest-match tokenisation over the synthetic pieces.
std::vector<std::int32_t> tokenise(const std::string &text, const std::vector<std::string> &pieces)
{
    std::unordered_map<std::string, std::int32_t> ids;
    for (std::size_t i = 0; i < pieces.size(); ++i)
        ids.emplace(pieces[i], std::int32_t(i));
    std::vector<std::int32_t> out;
    for (std::size_t at = 0; at < text.size();) {
        for (std::size_t length = std::min<std::size_t>(12, text.size() - at); length > 0; --length) {
            if (auto it = ids.find(text.substr(at, length)); it != ids.end()) {
                out.push_back(it->second);
                at += length;
                break;
            }
        }
    }
    return out;
}

// Masks as a generation loop computes them: one per token of a JSON answer, first with a fresh grammar
// (every matcher state built on first use), then again after reset() (states cached, masks of repeated
// states reused).
void replay(const std::shared_ptr<const GrammarVocabulary> &vocabulary,
    const std::vector<std::string> &pieces,
    const std::string &gbnf)
{
    const std::string answer
        = R"({"name": "Ann Smith, a somewhat longer name with words, digits 1234 and 日本語 text",)"
          R"( "age": 42, "tags": ["first tag", "second", "third one here"]})";
    const auto tokens = tokenise(answer, pieces);
    auto grammar = Grammar::create(gbnf, vocabulary);
    std::vector<std::uint8_t> mask;
    for (const char *pass : { "fresh grammar", "after reset" }) {
        (*grammar)->reset();
        double total = 0;
        double worst = 0;
        for (std::int32_t token : tokens) {
            const double start = cpuMs();
            (*grammar)->allowedMask(mask);
            const double spent = cpuMs() - start;
            total += spent;
            worst = std::max(worst, spent);
            if (!mask[std::size_t(token)] || !(*grammar)->accept(token)) {
                std::printf("replay: token %d refused\n", token);
                return;
            }
        }
        std::printf("JSON answer, %zu tokens, %s: %.3f ms per token on average, %.2f ms at worst\n",
            tokens.size(),
            pass,
            total / double(tokens.size()),
            worst);
    }
}

} // namespace

int main()
{
    auto pieces = syntheticVocabulary(150000);
    pieces.emplace_back(); // end of generation
    const auto eog = std::int32_t(pieces.size() - 1);
    const double t0 = cpuMs();
    auto vocabulary = std::make_shared<GrammarVocabulary>(pieces, std::vector<std::int32_t> { eog });
    std::printf("vocabulary %zu tokens, trie built in %.1f ms\n", pieces.size(), cpuMs() - t0);

    const auto schema = jsonSchemaToGrammar(R"({"type":"object","properties":{"name":{"type":"string"},
        "age":{"type":"integer"},"tags":{"type":"array","items":{"type":"string"}}},"required":["name","age"]})");
    struct Case {
        const char *name;
        std::string gbnf;
        const char *prefix;
    };
    const Case cases[] = {
        { "schema: start", *schema, "" },
        { "schema: inside a string value", *schema, "{\"name\": \"Ann" },
        { "schema: inside an integer", *schema, "{\"name\": \"Ann\", \"age\": 4" },
        { "any JSON: after '[' ", jsonGrammar(), "[" },
        { "any JSON: inside a key", jsonGrammar(), "{\"ke" },
    };
    replay(vocabulary, pieces, *schema);
    std::printf("CPU time per mask\n%-34s %10s %10s %12s %8s %8s\n",
        "state",
        "cold ms",
        "cached ms",
        "per-token ms",
        "ratio",
        "allowed");
    for (const Case &c : cases) {
        auto grammar = Grammar::create(c.gbnf, vocabulary);
        if (!grammar || !(*grammar)->acceptText(c.prefix)) {
            std::printf("%s: setup failed\n", c.name);
            return 1;
        }
        Grammar &g = **grammar;
        std::vector<std::uint8_t> mask;
        double start = cpuMs();
        g.allowedMask(mask);
        const double cold = (cpuMs() - start);
        const int rounds = 20;
        start = cpuMs();
        for (int i = 0; i < rounds; ++i)
            g.allowedMask(mask);
        const double warm = (cpuMs() - start) / rounds;
        std::size_t allowed = 0;
        for (std::uint8_t m : mask)
            allowed += m;
        // Reference: every token checked on its own.
        start = cpuMs();
        std::size_t check = 0;
        for (std::int32_t t = 0; t < std::int32_t(pieces.size()); ++t)
            check += g.isAllowed(t);
        const double perToken = (cpuMs() - start);
        std::printf("%-34s %10.2f %10.2f %12.2f %7.1fx %8zu%s\n",
            c.name,
            cold,
            warm,
            perToken,
            perToken / warm,
            allowed,
            check == allowed ? "" : "  MISMATCH");
    }
    return 0;
}
