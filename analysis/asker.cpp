#include "analysis/asker.h"

#include "analysis/askmodel.h"
#include "inference/chattemplate.h"
#include "inference/tokenizer.h"

#include <QRegularExpression>

namespace quire::analysis
{

using namespace quire::inference;

namespace
{

const char *const systemPrompt
    = "You answer questions about a collection of documents, using only the numbered passages the user gives. "
      "After each statement, cite the passages it comes from by their numbers in square brackets, like [1] or "
      "[2][3]. If the passages do not answer the question, say so. Answer in the language of the question.";

// Text from the library must not be read as the template's control tokens ("<|im_end|>" in a document).
QString neutralised(QString text)
{
    text.replace(QStringLiteral("<|"), QStringLiteral("< |"));
    text.replace(QStringLiteral("<｜"), QStringLiteral("< ｜"));
    return text;
}

QString passageBlock(int number, const Passage &p, const QString &text)
{
    QString where = p.title;
    if (p.page > 1)
        where += QStringLiteral(", p. %1").arg(p.page);
    return QStringLiteral("[%1] %2: %3").arg(number).arg(neutralised(where), neutralised(text.simplified()));
}

std::string render(const ChatTemplate &chatTemplate, const QString &question, const QStringList &blocks)
{
    QString user;
    if (!blocks.isEmpty())
        user = QStringLiteral("Passages:\n\n") + blocks.join(QStringLiteral("\n\n")) + QStringLiteral("\n\n");
    user += QStringLiteral("Question: ") + neutralised(question.simplified());
    const ChatMessage messages[] = { { ChatRole::System, systemPrompt }, { ChatRole::User, user.toStdString() } };
    return formatChat(chatTemplate, messages, true);
}

int countTokens(const Tokenizer &tokenizer, const std::string &text)
{
    return static_cast<int>(tokenizer.encode(text, true, true).size());
}

} // namespace

Asker::Asker(store::Library &library)
    : m_retriever(library)
{
}

Expected<Retrieval> Asker::retrieve(const QString &question, const RetrievalOptions &options)
{
    return m_retriever.retrieve(question, options);
}

Expected<AskPrompt> Asker::buildPrompt(const Tokenizer &tokenizer,
    const ChatTemplate &chatTemplate,
    const QString &question,
    const std::vector<Passage> &passages,
    int budget)
{
    AskPrompt prompt;
    prompt.text = render(chatTemplate, question, {});
    prompt.tokens = countTokens(tokenizer, prompt.text);
    if (prompt.tokens > budget)
        return fail(Error::Code::TooLarge,
            "the question needs " + std::to_string(prompt.tokens) + " tokens but only " + std::to_string(budget)
                + " are left for it: use a larger context length or fewer answer tokens");
    QStringList blocks;
    for (const Passage &p : passages) {
        QString text = p.text;
        const int number = static_cast<int>(blocks.size()) + 1;
        for (;;) {
            const QStringList tried = blocks + QStringList { passageBlock(number, p, text) };
            std::string candidate = render(chatTemplate, question, tried);
            const int tokens = countTokens(tokenizer, candidate);
            if (tokens <= budget) {
                blocks = tried;
                prompt = { std::move(candidate), tokens, number };
                break;
            }
            // Only the first passage is cut to fit; later ones wait for a larger context.
            if (number > 1 || text.size() < 20)
                return prompt;
            text = text.left(text.size() * 2 / 3) + QStringLiteral("…");
        }
    }
    return prompt;
}

std::vector<Citation> Asker::citations(const QString &answer, const std::vector<Passage> &passages, int count)
{
    static const QRegularExpression bracket(
        QStringLiteral("[\\[【]\\s*(\\d+(?:\\s*[,;，、\\-–]\\s*\\d+)*)\\s*[\\]】]"));
    static const QRegularExpression number(QStringLiteral("\\d+"));
    std::vector<Citation> out;
    count = std::min(count, static_cast<int>(passages.size()));
    auto add = [&](int n, int start, int length) {
        if (n < 1 || n > count)
            return;
        const Passage &p = passages[static_cast<std::size_t>(n - 1)];
        out.push_back({ n, start, length, p.documentId, p.citedSentenceId, p.sentenceIds() });
    };
    for (auto it = bracket.globalMatch(answer); it.hasNext();) {
        const auto m = it.next();
        const QString inner = m.captured(1);
        if (!inner.contains(QRegularExpression(QStringLiteral("\\D")))) {
            add(inner.toInt(), int(m.capturedStart()), int(m.capturedLength()));
            continue;
        }
        int previous = 0;
        qsizetype previousEnd = 0;
        for (auto n = number.globalMatch(inner); n.hasNext();) {
            const auto d = n.next();
            const int value = d.captured().toInt();
            const int start = int(m.capturedStart(1) + d.capturedStart());
            const QStringView between = QStringView(inner).mid(previousEnd, d.capturedStart() - previousEnd);
            if (previous > 0 && (between.contains(QLatin1Char('-')) || between.contains(QChar(0x2013))))
                for (int k = previous + 1; k < value && k - previous < 50; ++k)
                    add(k, start, int(d.capturedLength()));
            add(value, start, int(d.capturedLength()));
            previous = value;
            previousEnd = d.capturedEnd();
        }
    }
    return out;
}

Expected<AskResult> Asker::ask(const QString &question,
    const AskOptions &options,
    AskModel *model,
    const AnswerCallback &onText,
    const CancelToken *cancel)
{
    AskResult result;
    result.question = question;
    auto retrieval = m_retriever.retrieve(question, options.retrieval);
    if (!retrieval)
        return std::unexpected(retrieval.error());
    result.retrieval = std::move(*retrieval);
    if (!model || result.retrieval.passages.empty())
        return result;
    result.cancelled = cancel && cancel->isCancelled();
    if (result.cancelled)
        return result; // the passages are kept
    const int budget = model->contextLength() - options.maxTokens;
    auto prompt = buildPrompt(model->tokenizer(), model->chatTemplate(), question, result.retrieval.passages, budget);
    if (prompt && prompt->passages == 0)
        prompt = fail(Error::Code::TooLarge,
            "not even one passage fits in the context of " + std::to_string(model->contextLength())
                + " tokens next to an answer of " + std::to_string(options.maxTokens));
    if (!prompt) {
        result.problem = QString::fromStdString(prompt.error().message);
        return result; // the passages are still the answer
    }
    result.promptPassages = prompt->passages;
    result.promptTokens = prompt->tokens;
    result.modelUsed = true;
    result.model = model->name() + QStringLiteral(" on ") + model->backendName();
    GenerationSettings settings;
    settings.maxTokens = options.maxTokens;
    settings.sampling.temperature = options.temperature;
    settings.sampling.seed = options.seed;
    settings.parseSpecial = true;
    settings.stopStrings = chatStopStrings(model->chatTemplate().family);
    std::string answer;
    auto stats = model->generate(
        prompt->text,
        settings,
        [&](std::string_view piece) {
            answer += piece;
            return !onText || onText(QString::fromUtf8(piece.data(), static_cast<qsizetype>(piece.size())));
        },
        cancel);
    if (!stats && stats.error().code != Error::Code::Cancelled)
        return std::unexpected(stats.error());
    result.cancelled = !stats;
    if (stats)
        result.stats = *stats;
    result.answer = QString::fromUtf8(answer);
    result.citations = citations(result.answer, result.retrieval.passages, result.promptPassages);
    return result;
}

} // namespace quire::analysis
