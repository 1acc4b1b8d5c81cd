#pragma once

#include "analysis/passageretriever.h"
#include "inference/generator.h"
#include "util/cancel.h"
#include "util/error.h"

#include <QString>
#include <functional>
#include <string>
#include <vector>

namespace quire::inference
{
struct ChatTemplate;
class Tokenizer;
} // namespace quire::inference

namespace quire::analysis
{

class AskModel;

struct AskOptions {
    RetrievalOptions retrieval;
    int maxTokens = 512; // of the answer
    float temperature = 0.2f; // 0: greedy
    std::uint64_t seed = inference::SamplerSettings::kRandomSeed;
};

// A [n] in an answer, mapped to the passage it names so that it can open the reader there.
struct Citation {
    int number = 0; // n: passage n of AskResult::passages (1-based)
    int start = 0; // the bracket "[2]" (or the number inside "[1, 2]") in the answer text
    int length = 0;
    std::int64_t documentId = 0;
    std::int64_t sentenceId = 0; // the passage's best hit
    std::vector<std::int64_t> sentenceIds; // every sentence of the passage
};

struct AskResult {
    QString question;
    Retrieval retrieval; // passage i is cited as [i + 1]
    int promptPassages = 0; // passages [1]..[promptPassages] went into the prompt
    bool modelUsed = false;
    bool cancelled = false; // stopped by the cancel flag: the passages and the answer so far are kept
    QString answer; // the model's text; without a model, empty: the passages are the answer
    std::vector<Citation> citations;
    QString model; // file name and backend, when a model answered
    QString problem; // why the model did not answer (a context too small for the passages), if so
    int promptTokens = 0;
    inference::GenerationStats stats;
};

struct AskPrompt {
    std::string text;
    int tokens = 0;
    int passages = 0; // [1]..[passages] fit
};

// Receives the answer as it is generated (whole UTF-8 characters). Return false to stop.
using AnswerCallback = std::function<bool(const QString &piece)>;

// Questions over the whole library. Without a model the answer is the best passages (terms marked);
// with one, the passages go into the model's chat template, numbered, as many as the context holds,
// and the model answers citing [n]; each [n] of its answer is then mapped to the passage's sentences.
// Runs where it is called (a worker thread in the GUI); one Asker per thread.
class Asker
{
public:
    explicit Asker(store::Library &library);

    Expected<Retrieval> retrieve(const QString &question, const RetrievalOptions &options = {});
    // `model` may be null (passages only). Cancelling keeps the answer so far (AskResult::cancelled).
    Expected<AskResult> ask(const QString &question,
        const AskOptions &options,
        AskModel *model,
        const AnswerCallback &onText = {},
        const CancelToken *cancel = nullptr);

    // The chat prompt with the first passages that fit in `budget` tokens (counted with the model's
    // tokenizer); a first passage too long on its own is cut. TooLarge when not even the question fits.
    static Expected<AskPrompt> buildPrompt(const inference::Tokenizer &tokenizer,
        const inference::ChatTemplate &chatTemplate,
        const QString &question,
        const std::vector<Passage> &passages,
        int budget);
    // Every [n], [n, m], [n-m] (and 【n】) of `answer` whose n names one of the first `count` passages.
    static std::vector<Citation> citations(const QString &answer, const std::vector<Passage> &passages, int count);

private:
    PassageRetriever m_retriever;
};

} // namespace quire::analysis
