#include "generateprefix.h"

#include "inference/generator.h"
#include "inference/tokenizer.h"
#include "util/cancel.h"

#include <QFile>
#include <QFileInfo>
#include <chrono>

namespace quire::cli
{

namespace
{

using namespace quire::inference;

double secondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

QString mib(qint64 bytes)
{
    return QString::number(static_cast<double>(bytes) / (1024.0 * 1024.0), 'f', 1) + QStringLiteral(" MiB");
}

Expected<std::vector<std::int32_t>> readTokens(const QString &path, const Tokenizer &tokenizer, bool parseSpecial)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return fail(Error::Code::NotFound, "cannot read " + path.toStdString());
    const QByteArray text = f.readAll();
    if (text.isEmpty())
        return fail(Error::Code::Empty, path.toStdString() + " is empty: nothing to read");
    return tokenizer.encode(
        std::string_view(text.constData(), static_cast<std::size_t>(text.size())), true, parseSpecial);
}

// --kv-cache: the saved file when it holds exactly this text for this model and these settings.
bool tryCache(const QString &path, const std::vector<std::int32_t> &tokens, Generator &generator, PrefixResult &out)
{
    if (!QFileInfo::exists(path))
        return false;
    const auto start = std::chrono::steady_clock::now();
    if (auto ok = generator.loadPrefix(path.toStdString()); !ok) {
        out.note = QStringLiteral("quire: %1; recomputing\n").arg(QString::fromStdString(ok.error().message));
        return false;
    }
    if (generator.history() != tokens) {
        out.note = QStringLiteral("quire: %1 holds another text (%2 tokens, this one has %3); recomputing\n")
                       .arg(path)
                       .arg(generator.history().size())
                       .arg(tokens.size());
        return false;
    }
    out.loaded = true;
    out.seconds = secondsSince(start);
    return true;
}

} // namespace

Expected<PrefixResult> preparePrefix(
    const PrefixOptions &o, Generator &generator, const Tokenizer &tokenizer, const CancelToken *cancel)
{
    PrefixResult out;
    if (!o.loadFile.isEmpty()) {
        if (!o.textFile.isEmpty() || !o.cacheFile.isEmpty())
            return fail(Error::Code::InvalidArgument,
                "--load-kv takes the text from the file: drop --prompt-file (or use --kv-cache with it)");
        const auto start = std::chrono::steady_clock::now();
        if (auto ok = generator.loadPrefix(o.loadFile.toStdString()); !ok)
            return std::unexpected(ok.error());
        out.loaded = true;
        out.seconds = secondsSince(start);
    } else {
        auto tokens = readTokens(o.textFile, tokenizer, o.parseSpecial);
        if (!tokens)
            return std::unexpected(tokens.error());
        if (o.cacheFile.isEmpty() || !tryCache(o.cacheFile, *tokens, generator, out)) {
            const auto start = std::chrono::steady_clock::now();
            generator.clear(); // a rejected cache file may have been loaded
            if (auto ok = generator.evaluate(*tokens, cancel); !ok)
                return std::unexpected(ok.error());
            for (const QString &path : { o.saveFile, o.cacheFile }) {
                if (path.isEmpty())
                    continue;
                if (auto ok = generator.savePrefix(path.toStdString()); !ok)
                    return std::unexpected(ok.error());
                out.note += QStringLiteral("quire: saved the %1-token prefix to %2 (%3)\n")
                                .arg(tokens->size())
                                .arg(path, mib(QFileInfo(path).size()));
            }
            out.seconds = secondsSince(start);
        }
    }
    out.tokens = static_cast<int>(generator.history().size());
    const QString source = out.loaded ? QStringLiteral("loaded") : QStringLiteral("evaluated");
    out.note += QStringLiteral("quire: prefix of %1 tokens %2 in %3 s\n")
                    .arg(out.tokens)
                    .arg(source)
                    .arg(QString::number(out.seconds, 'f', 2));
    return out;
}

} // namespace quire::cli
