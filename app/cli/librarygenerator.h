#pragma once

// The generated library of `quire bench search`: the corpus novels' sentences over and over, perturbed so
// that the vocabulary keeps growing (a word in ten gets a suffix from a Zipf-distributed set, a CJK
// character in twenty is replaced by another of the same novel), stored through the same calls as ingest.

#include "store/library.h"
#include "util/error.h"
#include "util/progress.h"

#include <QRandomGenerator>
#include <QStringList>
#include <vector>

namespace quire::cli::bench
{

class LibraryGenerator
{
public:
    // Reads and segments the novels (text files of any encoding the text reader knows).
    static Expected<LibraryGenerator> fromNovels(const QStringList &paths);

    // Adds documents of about 64 KB of text each until `megabytes` MiB of text (UTF-8) have been added.
    Expected<void> fill(store::Library &library, int megabytes, Progress &progress);

private:
    struct Novel {
        std::vector<QString> sentences;
        QString characters; // the CJK characters of the novel, for perturbation
    };
    store::DocumentContent document(const Novel &novel);
    QString perturbed(const QString &sentence, const Novel &novel);
    QString suffix();

    std::vector<Novel> m_novels;
    std::vector<double> m_suffixWeights; // cumulative
    QRandomGenerator m_random { 2026 };
};

} // namespace quire::cli::bench
