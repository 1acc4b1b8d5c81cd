#pragma once

#include <QString>

namespace quire::ui
{

// The model the GUI runs, as QSettings keeps it (written by the model manager, read by the Ask panel and
// the status bar): model/path, model/contextLength (0: the model's own), model/attention
// (dense|sparse|auto), model/device (auto|cpu|vulkan), and model/name (what the model manager listed it
// as: an Ollama blob's file name is a digest).
struct ModelSettings {
    QString path; // empty: no model chosen
    QString name;
    int contextLength = 0;
    QString attention = QStringLiteral("auto");
    QString device = QStringLiteral("auto");

    bool hasModel() const { return !path.isEmpty(); }
    // `name`, else the file name without ".gguf": for the status bar.
    QString modelName() const;

    static ModelSettings load();
    void save() const;
};

} // namespace quire::ui
