#pragma once

#include "inference/generator.h"
#include "inference/sparseattention.h"
#include "util/error.h"

#include <QString>
#include <memory>

namespace quire::inference
{
class Backend;
struct ChatTemplate;
class Tokenizer;
} // namespace quire::inference

namespace quire::analysis
{

// How the model that answers questions is set up: the GUI keeps these in QSettings (model/path,
// model/contextLength, model/attention, model/device), the CLI takes them as options.
struct AskModelSettings {
    QString path;
    int contextLength = 0; // tokens, capped at what the model was trained for; 0: the model's own, at most 8192
    inference::AttentionMode attention = inference::AttentionMode::Auto;
    QString device = QStringLiteral("auto"); // auto, cpu or vulkan: for whoever chooses the backend
    int threads = 0; // CPU backend: 0 is all cores

    // From the settings' strings; a bad value is an error that names the setting.
    static Expected<AskModelSettings> fromStrings(
        const QString &path, const QString &contextLength, const QString &attention, const QString &device);
};

// A GGUF model loaded for answering: weights, tokenizer, chat template and one evaluation context, kept
// between questions (the generator reuses the prompt prefix they share). Use from one thread at a time.
class AskModel
{
public:
    static Expected<std::unique_ptr<AskModel>> load(
        const AskModelSettings &settings, std::unique_ptr<inference::Backend> backend);
    ~AskModel();
    AskModel(const AskModel &) = delete;
    AskModel &operator=(const AskModel &) = delete;

    const AskModelSettings &settings() const { return m_settings; }
    QString name() const; // the file name
    QString backendName() const;
    int contextLength() const; // tokens the context holds
    const inference::Tokenizer &tokenizer() const;
    const inference::ChatTemplate &chatTemplate() const;

    Expected<inference::GenerationStats> generate(const std::string &prompt,
        const inference::GenerationSettings &settings,
        const inference::TextCallback &onText,
        const CancelToken *cancel);

private:
    AskModel();
    struct Impl;
    std::unique_ptr<Impl> d;
    AskModelSettings m_settings;
};

} // namespace quire::analysis
