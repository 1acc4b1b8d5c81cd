#include "analysis/askmodel.h"

#include "inference/backend.h"
#include "inference/chattemplate.h"
#include "inference/gguffile.h"
#include "inference/model.h"
#include "inference/tokenizer.h"

#include <QFileInfo>
#include <algorithm>

namespace quire::analysis
{

using namespace quire::inference;

Expected<AskModelSettings> AskModelSettings::fromStrings(
    const QString &path, const QString &contextLength, const QString &attention, const QString &device)
{
    AskModelSettings s;
    s.path = path;
    if (!contextLength.isEmpty()) {
        bool ok = false;
        s.contextLength = contextLength.toInt(&ok);
        if (!ok || (s.contextLength != 0 && s.contextLength < 256))
            return fail(Error::Code::InvalidArgument,
                "model/contextLength is '" + contextLength.toStdString()
                    + "': give a number of tokens, 256 or more (0: the model's own)");
    }
    if (!attention.isEmpty()) {
        auto mode = parseAttentionMode(attention.toStdString());
        if (!mode)
            return fail(Error::Code::InvalidArgument,
                "model/attention is '" + attention.toStdString() + "': use dense, sparse or auto");
        s.attention = *mode;
    }
    if (!device.isEmpty()) {
        if (device != QLatin1String("auto") && device != QLatin1String("cpu") && device != QLatin1String("vulkan"))
            return fail(Error::Code::InvalidArgument,
                "model/device is '" + device.toStdString() + "': use auto, cpu or vulkan");
        s.device = device;
    }
    return s;
}

// Declaration order is destruction order in reverse: the generator and context go before the backend
// and the model they use.
struct AskModel::Impl {
    std::unique_ptr<Model> model;
    std::unique_ptr<Tokenizer> tokenizer;
    std::unique_ptr<Backend> backend;
    std::unique_ptr<EvalContext> context;
    std::unique_ptr<Generator> generator;
    ChatTemplate chatTemplate;
};

AskModel::AskModel()
    : d(std::make_unique<Impl>())
{
}

AskModel::~AskModel() = default;

Expected<std::unique_ptr<AskModel>> AskModel::load(
    const AskModelSettings &settings, std::unique_ptr<inference::Backend> backend)
{
    if (settings.path.isEmpty())
        return fail(Error::Code::InvalidArgument, "no model is configured: choose a GGUF file");
    if (!QFileInfo::exists(settings.path))
        return fail(Error::Code::NotFound,
            "the model " + settings.path.toStdString() + " does not exist: choose another GGUF file");
    std::unique_ptr<AskModel> m(new AskModel);
    m->m_settings = settings;
    auto model = Model::load(settings.path.toStdString());
    if (!model)
        return std::unexpected(model.error());
    m->d->model = std::move(*model);
    auto tokenizer = Tokenizer::fromGguf(m->d->model->gguf());
    if (!tokenizer)
        return std::unexpected(tokenizer.error());
    m->d->tokenizer = std::move(*tokenizer);
    m->d->backend = std::move(backend);
    const int trained = m->d->model->hparams().nCtxTrain;
    ContextConfig config;
    // A question needs the passages and the answer, not the model's whole window (128K tokens of KV cache
    // would be gigabytes): unset, the context is the model's own up to kDefaultContext.
    constexpr int kDefaultContext = 8192;
    if (settings.contextLength > 0)
        config.nCtx = trained > 0 ? std::min(settings.contextLength, trained) : settings.contextLength;
    else
        config.nCtx = trained > 0 ? std::min(trained, kDefaultContext) : 4096;
    config.attention.mode = settings.attention;
    auto context = m->d->backend->createContext(*m->d->model, config);
    if (!context)
        return std::unexpected(context.error());
    m->d->context = std::move(*context);
    m->d->chatTemplate = detectChatTemplate(m->d->model->gguf().getString("tokenizer.chat_template").value_or(""));
    m->d->generator = std::make_unique<Generator>(*m->d->model, *m->d->tokenizer, *m->d->context);
    return m;
}

QString AskModel::name() const
{
    return QFileInfo(m_settings.path).fileName();
}

QString AskModel::backendName() const
{
    return QString::fromStdString(d->backend->name());
}

int AskModel::contextLength() const
{
    return d->context->capacity();
}

const Tokenizer &AskModel::tokenizer() const
{
    return *d->tokenizer;
}

const ChatTemplate &AskModel::chatTemplate() const
{
    return d->chatTemplate;
}

Expected<GenerationStats> AskModel::generate(const std::string &prompt,
    const GenerationSettings &settings,
    const TextCallback &onText,
    const CancelToken *cancel)
{
    return d->generator->generate(prompt, settings, onText, cancel);
}

} // namespace quire::analysis
