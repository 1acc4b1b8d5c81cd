#pragma once

// Helpers of `quire bench ingest` and `quire bench search`: the corpus, the peers ingest is compared
// with, and the search latency measure.

#include "store/library.h"
#include "util/error.h"

#include <QString>
#include <QStringList>
#include <vector>

namespace quire::cli::bench
{

// Seconds a program took, or an error when it is missing or failed.
Expected<double> timeProgram(const QString &program, const QStringList &arguments, const QString &workingDir = {});

// User + system CPU seconds of this process and of its children that have ended (time the difference).
double cpuSeconds();

// Recoll's indexer over a folder, with a fresh configuration in `configDir`. Seconds.
Expected<double> timeRecoll(const QString &folder, const QString &configDir);

// Paragraphs ("\n\n"-separated, trimmed, non-empty) of a text: the rows of the bare FTS5 baseline.
std::vector<QString> paragraphs(const QString &text);

// ../shared/corpus seen from the working folder or from any folder above the executable (a build tree).
QString defaultCorpus();

struct LatencyReport {
    double p50 = 0;
    double p95 = 0;
    double max = 0;
    int queries = 0;
};
// Runs a fixed mix of queries (very common, common and rare words, phrases, prefixes, boolean, Chinese,
// Japanese, no match) `repeat` times each and reports latencies in milliseconds; perQuery gets a line per
// query with its median, its slowest run and how many matches were ranked.
Expected<LatencyReport> measureSearch(store::Library &library, int repeat, QStringList *perQuery);

} // namespace quire::cli::bench
