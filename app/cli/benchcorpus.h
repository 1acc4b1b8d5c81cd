#pragma once

// Helpers of `quire bench ingest`: the peers it is compared with, and the generated library for search.

#include "store/library.h"
#include "util/error.h"
#include "util/progress.h"

#include <QString>
#include <QStringList>
#include <vector>

namespace quire::cli::bench
{

// Seconds a program took, or an error when it is missing or failed.
Expected<double> timeProgram(const QString &program, const QStringList &arguments, const QString &workingDir = {});

// Recoll's indexer over a folder, with a fresh configuration in `configDir`. Seconds.
Expected<double> timeRecoll(const QString &folder, const QString &configDir);

// Paragraphs ("\n\n"-separated, trimmed, non-empty) of a text: the rows of the bare FTS5 baseline.
std::vector<QString> paragraphs(const QString &text);

// Fills `library` with generated documents (Zipf-distributed words, sentences and paragraphs) until about
// `megabytes` of text are stored, through the same segmentation and store calls as ingest.
Expected<void> generateLibrary(store::Library &library, int megabytes, Progress &progress);

struct LatencyReport {
    double p50 = 0;
    double p95 = 0;
    double max = 0;
    int queries = 0;
};
// Runs a fixed mix of queries (very common, common and rare words, phrases, prefixes, boolean, CJK)
// `repeat` times each and reports latencies in milliseconds.
Expected<LatencyReport> measureSearch(store::Library &library, int repeat, QStringList *perQuery);

} // namespace quire::cli::bench
