#include "benchcorpus.h"

#include "ingest/contentbuilder.h"
#include "ingest/minhash.h"
#include "ingest/segmenter.h"
#include "store/database.h"
#include "store/ingeststore.h"
#include "store/rankedsearch.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <algorithm>
#include <cmath>

namespace quire::cli::bench
{

Expected<double> timeProgram(const QString &program, const QStringList &arguments, const QString &workingDir)
{
    QProcess p;
    if (!workingDir.isEmpty())
        p.setWorkingDirectory(workingDir);
    p.setProcessChannelMode(QProcess::MergedChannels);
    QElapsedTimer timer;
    timer.start();
    p.start(program, arguments);
    if (!p.waitForStarted())
        return fail(Error::Code::NotFound, program.toStdString() + " is not installed");
    p.waitForFinished(-1);
    const double seconds = timer.nsecsElapsed() / 1e9;
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        return fail(Error::Code::Internal,
            program.toStdString() + " failed: " + QString::fromLocal8Bit(p.readAll().right(300)).toStdString());
    return seconds;
}

Expected<double> timeRecoll(const QString &folder, const QString &configDir)
{
    QDir().mkpath(configDir);
    QFile conf(configDir + QStringLiteral("/recoll.conf"));
    if (!conf.open(QIODevice::WriteOnly))
        return fail(Error::Code::Io, "cannot write a Recoll configuration");
    conf.write(QStringLiteral("topdirs = %1\nloglevel = 1\nidxflushmb = 50\n").arg(folder).toUtf8());
    conf.close();
    return timeProgram(QStringLiteral("recollindex"), { QStringLiteral("-c"), configDir, QStringLiteral("-z") });
}

std::vector<QString> paragraphs(const QString &text)
{
    std::vector<QString> out;
    for (const QString &p : text.split(QStringLiteral("\n\n"), Qt::SkipEmptyParts)) {
        const QString t = p.trimmed();
        if (!t.isEmpty())
            out.push_back(t);
    }
    return out;
}

namespace
{

// A vocabulary whose word frequencies follow Zipf's law, as real text does: "the" in millions of sentences,
// most words in a handful.
class Vocabulary
{
public:
    Vocabulary()
    {
        static const char *common[] = { "the",
            "of",
            "and",
            "to",
            "in",
            "a",
            "is",
            "that",
            "for",
            "it",
            "as",
            "was",
            "with",
            "be",
            "by",
            "on",
            "not",
            "he",
            "this",
            "are",
            "or",
            "his",
            "from",
            "at",
            "which",
            "contract",
            "party",
            "agreement",
            "court",
            "payment",
            "notice",
            "law" };
        for (const char *w : common)
            m_words << QString::fromLatin1(w);
        QRandomGenerator random(1);
        static const char *syllables[] = { "ka",
            "lo",
            "mi",
            "ne",
            "ru",
            "sa",
            "ti",
            "vo",
            "ber",
            "dan",
            "gor",
            "hul",
            "jen",
            "mar",
            "pol",
            "quin",
            "ser",
            "tal",
            "win",
            "zed" };
        while (m_words.size() < 50000) {
            QString w;
            const int n = 2 + static_cast<int>(random.bounded(3));
            for (int i = 0; i < n; ++i)
                w += QString::fromLatin1(syllables[random.bounded(20)]);
            m_words << w;
        }
        double sum = 0;
        for (qsizetype i = 0; i < m_words.size(); ++i) {
            sum += 1.0 / std::pow(static_cast<double>(i + 1), 1.07);
            m_cumulative.push_back(sum);
        }
        for (double &c : m_cumulative)
            c /= sum;
    }
    const QString &pick(QRandomGenerator &random) const
    {
        const double u = random.generateDouble();
        const auto it = std::lower_bound(m_cumulative.begin(), m_cumulative.end(), u);
        return m_words.at(std::min<qsizetype>(it - m_cumulative.begin(), m_words.size() - 1));
    }

private:
    QStringList m_words;
    std::vector<double> m_cumulative;
};

QString generatedText(const Vocabulary &vocabulary, QRandomGenerator &random, int sentences)
{
    QString text;
    for (int s = 0; s < sentences; ++s) {
        const int words = 6 + static_cast<int>(random.bounded(20));
        for (int w = 0; w < words; ++w) {
            QString word = vocabulary.pick(random);
            if (w == 0)
                word[0] = word[0].toUpper();
            text += word;
            text += w + 1 == words ? QStringLiteral(". ") : QStringLiteral(" ");
        }
        if (random.bounded(6) == 0)
            text += QStringLiteral("\n\n");
    }
    if (random.bounded(20) == 0)
        text += QString::fromUtf8("刘备与关羽张飞结为兄弟。すべての人間は自由である。");
    return text;
}

} // namespace

Expected<void> generateLibrary(store::Library &library, int megabytes, Progress &progress)
{
    const Vocabulary vocabulary;
    QRandomGenerator random(2026);
    ingest::Segmenter segmenter;
    const qint64 target = static_cast<qint64>(megabytes) << 20;
    progress.begin("generate", target >> 20);
    qint64 written = 0;
    auto &db = library.database();
    for (int n = 0; written < target; ++n) {
        store::Database::Transaction tx(db);
        for (int k = 0; k < 50 && written < target; ++k) {
            ingest::ParsedDocument doc;
            for (int page = 0; page < 10; ++page)
                doc.pages.push_back({ generatedText(vocabulary, random, 20 + static_cast<int>(random.bounded(40))) });
            store::DocumentRecord record;
            record.path = QStringLiteral("/generated/doc%1.txt").arg(n * 50 + k, 7, 10, QLatin1Char('0'));
            record.type = QStringLiteral("text");
            record.status = store::DocumentStatus::Ok;
            record.contentHash = QString::number(n * 50 + k);
            const store::DocumentContent content = ingest::buildContent(doc, segmenter);
            record.pageCount = static_cast<int>(content.pages.size());
            record.size = content.text.size();
            auto id = store::saveIngested(library, record, content, {}, false);
            if (!id)
                return std::unexpected(id.error());
            written += content.text.toUtf8().size();
        }
        if (auto ok = tx.commit(); !ok)
            return ok;
        progress.update(written >> 20);
    }
    progress.end();
    return {};
}

Expected<LatencyReport> measureSearch(store::Library &library, int repeat, QStringList *perQuery)
{
    static const char *queries[] = { "the",
        "the of",
        "contract",
        "payment AND notice",
        "\"the contract\"",
        "law OR court",
        "kalo*",
        "bermar",
        "party NOT agreement",
        "zedwin",
        "刘备",
        "自由",
        "mi*" };
    std::vector<double> all;
    for (const char *q : queries) {
        std::vector<double> times;
        for (int r = 0; r < repeat; ++r) {
            QElapsedTimer timer;
            timer.start();
            auto hits = store::rankedSearch(library, QString::fromUtf8(q), {});
            if (!hits)
                return std::unexpected(hits.error());
            times.push_back(timer.nsecsElapsed() / 1e6);
        }
        std::sort(times.begin(), times.end());
        if (perQuery)
            *perQuery
                << QStringLiteral("%1: median %2 ms").arg(QString::fromUtf8(q)).arg(times[times.size() / 2], 0, 'f', 2);
        all.insert(all.end(), times.begin(), times.end());
    }
    std::sort(all.begin(), all.end());
    LatencyReport report;
    report.queries = static_cast<int>(all.size());
    report.p50 = all[all.size() / 2];
    report.p95 = all[std::min(all.size() - 1, static_cast<std::size_t>(std::ceil(all.size() * 0.95)) - 1)];
    report.max = all.back();
    return report;
}

} // namespace quire::cli::bench
