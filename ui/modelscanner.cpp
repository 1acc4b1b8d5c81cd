#include "ui/modelscanner.h"

#include "inference/gguffile.h"
#include "inference/modelsummary.h"
#include "util/cancel.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>
#include <QRegularExpression>
#include <QSet>

namespace quire::ui
{

namespace
{

constexpr int MaxFolderDepth = 8; // a person's folder may be large: look this deep at most

QString str(const std::string &s)
{
    return QString::fromStdString(s);
}

// The parts of a split model after the first ("x-00002-of-00003.gguf") are not models of their own.
bool isLaterSplitPart(const QString &fileName)
{
    static const QRegularExpression split(
        QStringLiteral("-(\\d{5})-of-\\d{5}\\.gguf$"), QRegularExpression::CaseInsensitiveOption);
    const auto match = split.match(fileName);
    return match.hasMatch() && match.captured(1).toInt() > 1;
}

bool isGguf(const QFileInfo &info)
{
    return info.isFile() && info.suffix().compare(QLatin1String("gguf"), Qt::CaseInsensitive) == 0
        && !isLaterSplitPart(info.fileName());
}

QString typeMix(const inference::ModelSummary &s)
{
    QStringList parts;
    for (const auto &t : s.types) {
        if (parts.size() == 4 || s.tensorBytes == 0)
            break;
        const double share = 100.0 * double(t.bytes) / double(s.tensorBytes);
        parts << QStringLiteral("%1 %2%")
                     .arg(str(t.type))
                     .arg(share < 1 ? QStringLiteral("<1") : QString::number(qRound(share)));
    }
    return parts.join(QStringLiteral(" · "));
}

class Collector
{
public:
    Collector(std::vector<ModelEntry> &out, const CancelToken *cancel)
        : m_out(out)
        , m_cancel(cancel)
    {
    }

    bool cancelled() const { return m_cancel && m_cancel->isCancelled(); }

    void add(const QString &path, const QString &displayName, const QString &source)
    {
        const QString canonical = QFileInfo(path).canonicalFilePath();
        const QString key = canonical.isEmpty() ? path : canonical;
        if (m_seen.contains(key))
            return;
        m_seen.insert(key);
        m_out.push_back(ModelScanner::describe(path, displayName, source));
    }

    void addBroken(const QString &path, const QString &displayName, const QString &source, const QString &error)
    {
        ModelEntry e;
        e.path = path;
        e.displayName = displayName;
        e.source = source;
        e.error = error;
        m_out.push_back(std::move(e));
    }

    // Every *.gguf below `dir`, depth first, hidden folders skipped; `name` makes the shown name.
    template <typename Name> void walk(const QString &dir, const QString &source, int depth, Name name)
    {
        if (depth > MaxFolderDepth || cancelled())
            return;
        const QFileInfoList entries
            = QDir(dir).entryInfoList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name | QDir::DirsLast);
        for (const QFileInfo &info : entries) {
            if (cancelled())
                return;
            if (info.isDir() && !info.isSymLink())
                walk(info.filePath(), source, depth + 1, name);
            else if (isGguf(info))
                add(info.filePath(), name(info), source);
        }
    }

private:
    std::vector<ModelEntry> &m_out;
    const CancelToken *m_cancel;
    QSet<QString> m_seen;
};

// models--ORG--NAME/snapshots/REV/**.gguf: "ORG/NAME · file.gguf".
void scanHuggingFace(Collector &c, const ModelLocation &location)
{
    const QFileInfoList repos
        = QDir(location.path)
              .entryInfoList({ QStringLiteral("models--*") }, QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QFileInfo &repo : repos) {
        const QString repoName = repo.fileName().mid(8).replace(QStringLiteral("--"), QStringLiteral("/"));
        const QFileInfoList snapshots
            = QDir(repo.filePath() + QStringLiteral("/snapshots")).entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot);
        for (const QFileInfo &snapshot : snapshots) {
            const QDir root(snapshot.filePath());
            c.walk(snapshot.filePath(), location.source, 0, [&](const QFileInfo &file) -> QString {
                return repoName + QStringLiteral(" · ") + root.relativeFilePath(file.filePath());
            });
        }
    }
}

// "registry.ollama.ai/library/llama3/8b" names "library/llama3:8b"; other registries keep their host.
QString ollamaName(const QString &relativeManifest)
{
    QStringList parts = relativeManifest.split(QLatin1Char('/'));
    if (parts.size() < 2)
        return relativeManifest;
    const QString tag = parts.takeLast();
    if (parts.size() == 3 && parts.front() == QLatin1String("registry.ollama.ai"))
        parts.removeFirst();
    return parts.join(QLatin1Char('/')) + QLatin1Char(':') + tag;
}

void addOllamaManifest(Collector &c, const ModelLocation &location, const QString &manifestPath, const QString &name)
{
    QFile file(manifestPath);
    if (!file.open(QIODevice::ReadOnly))
        return c.addBroken(
            manifestPath, name, location.source, QObject::tr("cannot read the manifest: %1").arg(file.errorString()));
    QJsonParseError parseError;
    const QJsonDocument json = QJsonDocument::fromJson(file.read(4 << 20), &parseError);
    if (!json.isObject())
        return c.addBroken(manifestPath,
            name,
            location.source,
            QObject::tr("the manifest is not Ollama's JSON: %1").arg(parseError.errorString()));
    for (const QJsonValue &layer : json.object().value(QStringLiteral("layers")).toArray()) {
        const QJsonObject o = layer.toObject();
        if (o.value(QStringLiteral("mediaType")).toString() != QLatin1String("application/vnd.ollama.image.model"))
            continue;
        const QString digest = o.value(QStringLiteral("digest")).toString();
        const QString blobs = location.path + QStringLiteral("/blobs/");
        QString blob = blobs + QString(digest).replace(QLatin1Char(':'), QLatin1Char('-'));
        if (!QFileInfo::exists(blob) && QFileInfo::exists(blobs + digest))
            blob = blobs + digest;
        if (digest.isEmpty() || !QFileInfo::exists(blob))
            return c.addBroken(manifestPath,
                name,
                location.source,
                QObject::tr("the model's blob %1 is missing (re-pull it with ollama)").arg(digest));
        return c.add(blob, name, location.source);
    }
}

void scanOllama(Collector &c, const ModelLocation &location)
{
    const QString manifests = location.path + QStringLiteral("/manifests");
    const QDir root(manifests);
    QDirIterator it(manifests, QDir::Files, QDirIterator::Subdirectories);
    QStringList paths;
    while (it.hasNext())
        paths << it.next();
    paths.sort();
    for (const QString &path : std::as_const(paths)) {
        if (c.cancelled())
            return;
        addOllamaManifest(c, location, path, ollamaName(root.relativeFilePath(path)));
    }
}

void scanFolder(Collector &c, const ModelLocation &location)
{
    const QDir root(location.path);
    c.walk(location.path, location.source, 0, [&](const QFileInfo &file) -> QString {
        return root.relativeFilePath(file.filePath());
    });
}

} // namespace

QList<ModelLocation> ModelScanner::defaultLocations(
    const QString &home, const QProcessEnvironment &environment, bool system)
{
    using Layout = ModelLocation::Layout;
    auto env = [&](const char *name) { return environment.value(QString::fromLatin1(name)); };
    QString hub = env("HF_HUB_CACHE");
    if (hub.isEmpty() && !env("HF_HOME").isEmpty())
        hub = env("HF_HOME") + QStringLiteral("/hub");
    if (hub.isEmpty())
        hub = (env("XDG_CACHE_HOME").isEmpty() ? home + QStringLiteral("/.cache") : env("XDG_CACHE_HOME"))
            + QStringLiteral("/huggingface/hub");
    const QString ollama
        = env("OLLAMA_MODELS").isEmpty() ? home + QStringLiteral("/.ollama/models") : env("OLLAMA_MODELS");
    QList<ModelLocation> all {
        { hub, Layout::HuggingFace, QObject::tr("Hugging Face") },
        { home + QStringLiteral("/.cache/lm-studio/models"), Layout::Folder, QObject::tr("LM Studio") },
        { home + QStringLiteral("/.lmstudio/models"), Layout::Folder, QObject::tr("LM Studio") },
        { ollama, Layout::Ollama, QObject::tr("Ollama") },
    };
    if (system)
        all.append({ QStringLiteral("/usr/share/ollama/.ollama/models"), Layout::Ollama, QObject::tr("Ollama") });
    QList<ModelLocation> present;
    for (const ModelLocation &l : all) {
        if (QFileInfo(l.path).isDir())
            present.append(l);
    }
    return present;
}

std::vector<ModelEntry> ModelScanner::scan(
    const QList<ModelLocation> &locations, const QStringList &files, const CancelToken *cancel)
{
    std::vector<ModelEntry> out;
    Collector c(out, cancel);
    for (const ModelLocation &location : locations) {
        if (c.cancelled())
            break;
        switch (location.layout) {
        case ModelLocation::Layout::HuggingFace:
            scanHuggingFace(c, location);
            break;
        case ModelLocation::Layout::Ollama:
            scanOllama(c, location);
            break;
        case ModelLocation::Layout::Folder:
            scanFolder(c, location);
            break;
        }
    }
    for (const QString &file : files) {
        if (c.cancelled())
            break;
        if (!QFileInfo::exists(file))
            c.addBroken(file, QFileInfo(file).fileName(), QObject::tr("Added file"), QObject::tr("the file is gone"));
        else
            c.add(file, QFileInfo(file).fileName(), QObject::tr("Added file"));
    }
    return out;
}

ModelEntry ModelScanner::describe(const QString &path, const QString &displayName, const QString &source)
{
    ModelEntry e;
    e.path = path;
    e.displayName = displayName.isEmpty() ? QFileInfo(path).fileName() : displayName;
    e.source = source;
    e.fileBytes = QFileInfo(path).size();
    auto file = inference::GgufFile::open(QFile::encodeName(path).toStdString());
    if (!file) {
        e.error = str(file.error().message);
        return e;
    }
    const inference::ModelSummary s = inference::summarizeModel(**file);
    e.architecture = str(s.architecture);
    e.name = str(s.name);
    e.parameters = s.parameters;
    e.quantisation = s.fileType ? str(s.fileTypeName) : s.types.empty() ? QString() : str(s.types.front().type);
    e.typeMix = typeMix(s);
    e.contextLength = s.contextLength.value_or(0);
    e.chatFamily = s.hasChatTemplate && s.chatFamily.empty() ? QObject::tr("unknown template") : str(s.chatFamily);
    return e;
}

} // namespace quire::ui
