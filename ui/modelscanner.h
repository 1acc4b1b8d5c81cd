#pragma once

#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <vector>

namespace quire
{
class CancelToken;
}

namespace quire::ui
{

// A GGUF model found on disk, described from its header (metadata and tensor table; the weights are
// mapped, not read). A file that cannot be read keeps its place in the list with `error` set.
struct ModelEntry {
    QString path; // the file to load (an Ollama blob, a Hugging Face snapshot link ...)
    QString displayName; // "library/llama3:8b", "TheBloke/Mistral-7B-GGUF · mistral.Q4_K_M.gguf", "x.gguf"
    QString source; // where it was found: "Hugging Face", "LM Studio", "Ollama", a folder, "Added file"
    qint64 fileBytes = 0;
    QString error; // why the file cannot be used; empty when it can
    QString architecture; // "llama"
    QString name; // general.name
    qint64 parameters = 0;
    QString quantisation; // llama.cpp's file type name ("Q4_K_M"), else the largest tensor type
    QString typeMix; // tensor types by share of the bytes: "q4_K 71% · q6_K 18% · f32 1%"
    qint64 contextLength = 0; // the model's trained context; 0 when the file does not say
    QString chatFamily; // "llama3", "chatml" ...; empty without a chat template

    bool isUsable() const { return error.isEmpty(); }
};

// Where to look and how the files are laid out there.
struct ModelLocation {
    enum class Layout {
        HuggingFace, // hub cache: models--ORG--NAME/snapshots/REV/**.gguf
        Ollama, // models/manifests/REGISTRY/NAMESPACE/MODEL/TAG naming models/blobs/sha256-DIGEST
        Folder, // any *.gguf below it (LM Studio's publisher/repo/file.gguf, a person's own folder)
    };
    QString path;
    Layout layout = Layout::Folder;
    QString source; // shown in the list: "Hugging Face", "LM Studio", "Ollama", or the folder
};

// Finds GGUF models in the places other tools keep them. Blocking: call it from a worker.
class ModelScanner
{
public:
    // Hugging Face ($HF_HUB_CACHE, $HF_HOME/hub, $XDG_CACHE_HOME/huggingface/hub or ~/.cache/huggingface/hub),
    // LM Studio (~/.cache/lm-studio/models, ~/.lmstudio/models), Ollama ($OLLAMA_MODELS or ~/.ollama/models,
    // and the system service's /usr/share/ollama/.ollama/models when `system`). Missing ones are left out.
    static QList<ModelLocation> defaultLocations(
        const QString &home, const QProcessEnvironment &environment, bool system = true);

    // Every model in `locations`, then `files`; each file once (by canonical path), in the order found.
    // Stops early, returning what it has, when `cancel` is set.
    static std::vector<ModelEntry> scan(
        const QList<ModelLocation> &locations, const QStringList &files = {}, const CancelToken *cancel = nullptr);

    // Reads one file's header. Never fails: an unreadable file comes back with `error` set.
    static ModelEntry describe(const QString &path, const QString &displayName, const QString &source);
};

} // namespace quire::ui
