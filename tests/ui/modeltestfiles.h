#pragma once

// Small GGUF files for the model manager's tests: a header a person would recognise (architecture,
// name, context, file type) and one tiny tensor, written by inference::GgufWriter.

#include "inference/ggufwriter.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QString>

namespace quire::ui::test
{

inline bool writeModel(const QString &path, const QString &name, int contextLength = 4096)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    inference::GgufWriter w;
    w.setString("general.architecture", "llama");
    w.setString("general.name", name.toStdString());
    w.setUInt32("general.file_type", 7); // Q8_0
    if (contextLength > 0)
        w.setUInt32("llama.context_length", std::uint32_t(contextLength));
    const std::int64_t shape[] = { 8, 4 };
    if (!w.addTensor("token_embd.weight", inference::GgmlType::F32, shape, std::vector<std::uint8_t>(8 * 4 * 4, 0)))
        return false;
    return bool(w.write(QFile::encodeName(path).toStdString()));
}

// A copy of `from` cut to `bytes`: what an interrupted download leaves.
inline bool writeTruncated(const QString &from, const QString &to, qint64 bytes)
{
    QFile in(from);
    QFile out(to);
    QDir().mkpath(QFileInfo(to).absolutePath());
    return in.open(QIODevice::ReadOnly) && out.open(QIODevice::WriteOnly) && out.write(in.read(bytes)) == bytes;
}

inline bool writeText(const QString &path, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(text) == text.size();
}

} // namespace quire::ui::test
