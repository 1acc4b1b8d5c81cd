#pragma once

// Readers for llama.cpp reference dumps (see ../shared/reference/README.md), shared by the inference tests.

#include <QFile>
#include <QString>
#include <QStringList>
#include <cstdint>
#include <cstring>
#include <map>
#include <vector>

namespace quire::testing
{

struct TopEntry {
    std::int32_t id = 0;
    float logit = 0.0f;
};

struct GreedyStep {
    std::int32_t id = 0;
    float logit = 0.0f;
    std::int32_t top2Id = 0;
    float top2Logit = 0.0f;
};

inline QString referenceFile(const QString &name)
{
    return QStringLiteral(QUIRE_TEST_DATA "/reference/") + name;
}

// The GGUF in ../shared/reference/<sub>, or empty when the shared folder is absent.
inline QString sharedModel(const QString &sub)
{
    const QString path = QStringLiteral(QUIRE_SHARED_DIR "/reference/") + sub;
    return QFile::exists(path) ? path : QString();
}

inline QStringList readLines(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QStringList lines = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    return lines;
}

inline std::vector<std::int32_t> readTokens(const QString &path)
{
    std::vector<std::int32_t> ids;
    for (const QString &line : readLines(path))
        ids.push_back(line.trimmed().toInt());
    return ids;
}

inline std::vector<float> readLogits(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray bytes = f.readAll();
    std::vector<float> v(static_cast<std::size_t>(bytes.size()) / sizeof(float));
    std::memcpy(v.data(), bytes.constData(), v.size() * sizeof(float));
    return v;
}

// pos -> the five highest (id, logit) of the prediction at that position.
inline std::map<int, std::vector<TopEntry>> readPosTop5(const QString &path)
{
    std::map<int, std::vector<TopEntry>> rows;
    const QStringList lines = readLines(path);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QStringList cells = lines[i].split(QLatin1Char('\t'));
        if (cells.size() < 7)
            continue;
        std::vector<TopEntry> top;
        for (int c = 2; c < 7; ++c) {
            const QStringList pair = cells[c].split(QLatin1Char(':'));
            top.push_back({ pair[0].toInt(), pair[1].toFloat() });
        }
        rows[cells[0].toInt()] = top;
    }
    return rows;
}

inline std::vector<GreedyStep> readGreedy(const QString &path)
{
    std::vector<GreedyStep> steps;
    const QStringList lines = readLines(path);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QStringList cells = lines[i].split(QLatin1Char('\t'));
        if (cells.size() < 5)
            continue;
        steps.push_back({ cells[1].toInt(), cells[2].toFloat(), cells[3].toInt(), cells[4].toFloat() });
    }
    return steps;
}

} // namespace quire::testing
