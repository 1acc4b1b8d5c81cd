#include "inference/generator.h"

#include "inference/backend.h"
#include "inference/grammar.h"
#include "inference/model.h"
#include "inference/stopstrings.h"
#include "inference/tokenizer.h"

#include <algorithm>
#include <chrono>

namespace quire::inference
{

namespace
{

double secondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

const char *stopReasonName(StopReason reason)
{
    switch (reason) {
    case StopReason::EndOfGeneration:
        return "end_of_generation";
    case StopReason::StopString:
        return "stop_string";
    case StopReason::MaxTokens:
        return "max_tokens";
    case StopReason::ContextFull:
        return "context_full";
    case StopReason::Callback:
        return "callback";
    }
    return "?";
}

double GenerationStats::generatedTokensPerSecond() const
{
    // The first generated token comes from the prefill's logits; the timed loop produced the rest.
    return generateSeconds > 0 && generatedTokens > 1 ? (generatedTokens - 1) / generateSeconds : 0.0;
}

Generator::Generator(const Model &model, const Tokenizer &tokenizer, EvalContext &context)
    : m_model(model)
    , m_tokenizer(tokenizer)
    , m_context(context)
{
    m_context.truncate(0);
}

Generator::~Generator() = default;

Expected<GenerationStats> Generator::generate(
    std::string_view prompt, const GenerationSettings &settings, const TextCallback &onText, const CancelToken *cancel)
{
    return generateFromTokens(
        m_tokenizer.encode(prompt, settings.addSpecial, settings.parseSpecial), settings, onText, cancel);
}

Expected<Sampler> Generator::makeSampler(const GenerationSettings &settings)
{
    Sampler sampler(settings.sampling);
    if (settings.grammar.empty())
        return sampler;
    if (!m_grammarVocabulary) {
        const std::int32_t n = m_tokenizer.nVocab();
        std::vector<std::string> pieces(static_cast<std::size_t>(n));
        std::vector<std::int32_t> eog;
        for (std::int32_t id = 0; id < n; ++id) {
            if (m_tokenizer.isEog(id))
                eog.push_back(id);
            else if (!m_tokenizer.isControl(id))
                pieces[static_cast<std::size_t>(id)] = m_tokenizer.tokenToPiece(id, false);
        }
        m_grammarVocabulary = std::make_shared<GrammarVocabulary>(std::move(pieces), std::move(eog));
    }
    auto grammar = Grammar::create(settings.grammar, m_grammarVocabulary);
    if (!grammar)
        return std::unexpected(grammar.error());
    sampler.setGrammar(std::move(*grammar));
    return sampler;
}

void Generator::setProgress(Progress *progress, std::int32_t progressMinTokens)
{
    m_progress = progress;
    m_progressMinTokens = progressMinTokens;
}

Expected<void> Generator::evaluateChunks(
    std::span<const std::int32_t> tokens, std::vector<float> *logits, const CancelToken *cancel)
{
    // Ends the progress phase on every way out.
    struct Phase {
        Progress *progress;
        ~Phase()
        {
            if (progress)
                progress->end();
        }
    } phase { m_progress && static_cast<std::int64_t>(tokens.size()) >= m_progressMinTokens ? m_progress : nullptr };
    if (phase.progress)
        phase.progress->begin("prefill", static_cast<std::int64_t>(tokens.size()));
    std::vector<float> none;
    for (std::size_t done = 0; done < tokens.size();) {
        if (cancel && cancel->isCancelled()) {
            return fail(Error::Code::Cancelled,
                "prefill cancelled after " + std::to_string(done) + " of " + std::to_string(tokens.size()) + " tokens");
        }
        const std::size_t n = std::min<std::size_t>(kPrefillChunk, tokens.size() - done);
        const bool last = done + n == tokens.size();
        const auto chunk = tokens.subspan(done, n);
        if (auto ok = m_context.decode(
                chunk, last && logits ? LogitsMode::Last : LogitsMode::None, last && logits ? *logits : none);
            !ok)
            return ok;
        m_history.insert(m_history.end(), chunk.begin(), chunk.end());
        done += n;
        if (phase.progress)
            phase.progress->update(static_cast<std::int64_t>(done));
    }
    return {};
}

void Generator::clear()
{
    m_history.clear();
    m_context.truncate(0);
}

Expected<void> Generator::evaluate(std::span<const std::int32_t> tokens, const CancelToken *cancel)
{
    // Whatever the context holds beyond history() (a generation step never evaluated) is dropped first.
    m_context.truncate(static_cast<std::int32_t>(m_history.size()));
    return evaluateChunks(tokens, nullptr, cancel);
}

Expected<void> Generator::savePrefix(const std::string &path)
{
    if (m_history.empty())
        return fail(Error::Code::Empty, "nothing evaluated yet: no prefix to save");
    m_context.truncate(static_cast<std::int32_t>(m_history.size()));
    return m_context.savePrefix(path, m_history);
}

Expected<void> Generator::loadPrefix(const std::string &path)
{
    auto tokens = m_context.loadPrefix(path);
    if (!tokens)
        return std::unexpected(tokens.error());
    m_history = std::move(*tokens);
    return {};
}

Expected<std::vector<float>> Generator::prefill(
    const std::vector<std::int32_t> &prompt, GenerationStats &stats, const CancelToken *cancel)
{
    // Reuse the evaluated prefix; at least the last prompt token is evaluated again for its logits.
    std::size_t common = 0;
    while (common < prompt.size() && common < m_history.size() && prompt[common] == m_history[common]
        && static_cast<std::int32_t>(common) < m_context.length())
        ++common;
    common = std::min(common, prompt.size() - 1);
    m_context.truncate(static_cast<std::int32_t>(common));
    m_history.assign(prompt.begin(), prompt.begin() + static_cast<std::ptrdiff_t>(common));
    stats.reusedTokens = static_cast<int>(common);
    std::span<const std::int32_t> rest(prompt.data() + common, prompt.size() - common);
    stats.promptTokens = static_cast<int>(rest.size());
    std::vector<float> logits;
    const auto start = std::chrono::steady_clock::now();
    if (auto ok = evaluateChunks(rest, &logits, cancel); !ok)
        return std::unexpected(ok.error());
    stats.promptSeconds = secondsSince(start);
    return logits;
}

Expected<GenerationStats> Generator::generateFromTokens(std::vector<std::int32_t> prompt,
    const GenerationSettings &settings,
    const TextCallback &onText,
    const CancelToken *cancel)
{
    GenerationStats stats;
    if (prompt.empty())
        return fail(Error::Code::InvalidArgument, "the prompt is empty: nothing to continue from");
    if (static_cast<std::int32_t>(prompt.size()) >= m_context.capacity()) {
        return fail(Error::Code::TooLarge,
            "the prompt has " + std::to_string(prompt.size()) + " tokens but the context holds only "
                + std::to_string(m_context.capacity()) + ": shorten the prompt or use a larger context");
    }
    auto sampler = makeSampler(settings);
    if (!sampler)
        return std::unexpected(sampler.error());
    auto logits = prefill(prompt, stats, cancel);
    if (!logits)
        return std::unexpected(logits.error());
    StopStrings stops(settings.stopStrings);
    const auto start = std::chrono::steady_clock::now();
    const std::int32_t nVocab = m_model.hparams().nVocab;
    for (;;) {
        if (cancel && cancel->isCancelled())
            return fail(Error::Code::Cancelled, "generation cancelled");
        const std::int32_t token = sampler->sample({ logits->data(), static_cast<std::size_t>(nVocab) });
        sampler->accept(token);
        if (m_tokenizer.isEog(token)) {
            stats.reason = StopReason::EndOfGeneration;
            break;
        }
        ++stats.generatedTokens;
        const std::string shown = stops.push(m_tokenizer.tokenToPiece(token, false));
        if (!shown.empty() && !onText(shown)) {
            stats.reason = StopReason::Callback;
            break;
        }
        if (stops.isStopped()) {
            stats.reason = StopReason::StopString;
            stats.stopString = stops.matchedStop();
            break;
        }
        if (settings.maxTokens > 0 && stats.generatedTokens >= settings.maxTokens) {
            stats.reason = StopReason::MaxTokens;
            break;
        }
        if (m_context.length() >= m_context.capacity()) {
            stats.reason = StopReason::ContextFull;
            break;
        }
        if (auto ok = m_context.decode({ &token, 1 }, LogitsMode::Last, *logits, cancel); !ok)
            return std::unexpected(ok.error());
        m_history.push_back(token);
    }
    stats.generateSeconds = secondsSince(start);
    if (const std::string rest = stops.flush(); !rest.empty() && stats.reason != StopReason::StopString)
        onText(rest);
    return stats;
}

} // namespace quire::inference
