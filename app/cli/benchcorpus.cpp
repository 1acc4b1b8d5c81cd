#include "benchcorpus.h"

#include "store/rankedsearch.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <algorithm>
#include <cmath>
#include <sys/resource.h>

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

double cpuSeconds()
{
    double total = 0;
    for (int who : { RUSAGE_SELF, RUSAGE_CHILDREN }) {
        rusage usage {};
        if (getrusage(who, &usage) == 0)
            total += usage.ru_utime.tv_sec + usage.ru_stime.tv_sec
                + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    }
    return total;
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

QString defaultCorpus()
{
    if (QDir(QStringLiteral("../shared/corpus")).exists())
        return QDir(QStringLiteral("../shared/corpus")).absolutePath();
    for (QDir dir(QCoreApplication::applicationDirPath()); !dir.isRoot(); dir.cdUp()) {
        if (dir.exists(QStringLiteral("../shared/corpus")))
            return QDir::cleanPath(dir.absoluteFilePath(QStringLiteral("../shared/corpus")));
    }
    return QStringLiteral("../shared/corpus");
}

Expected<LatencyReport> measureSearch(store::Library &library, int repeat, QStringList *perQuery)
{
    static const char *queries[] = { "the",
        "que",
        "whale",
        "Ahab",
        "Rocinante",
        "\"white whale\"",
        "\"Don Quijote\"",
        "whale AND captain",
        "Ahab OR Queequeg",
        "whale NOT white",
        "sea NOT ship",
        "whal*",
        "harpoon*",
        "mi*",
        "Queequegka",
        "刘备",
        "孙悟空",
        "東京",
        "zeppelinfahrt" };
    std::vector<double> all;
    for (const char *q : queries) {
        std::vector<double> times;
        std::int64_t matches = 0;
        for (int r = 0; r < repeat; ++r) {
            QElapsedTimer timer;
            timer.start();
            auto result = store::rankedSearch(library, QString::fromUtf8(q), {});
            if (!result)
                return std::unexpected(result.error());
            times.push_back(timer.nsecsElapsed() / 1e6);
            matches = result->candidates;
        }
        std::sort(times.begin(), times.end());
        if (perQuery)
            *perQuery << QStringLiteral("%1: median %2 ms, max %3 ms, %4 matches ranked")
                             .arg(QString::fromUtf8(q).leftJustified(20))
                             .arg(times[times.size() / 2], 0, 'f', 2)
                             .arg(times.back(), 0, 'f', 2)
                             .arg(matches);
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
