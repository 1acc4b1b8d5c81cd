#include "dedupe.h"

#include "store/library.h"

#include <QHash>
#include <QRegularExpression>
#include <algorithm>
#include <numeric>
#include <unordered_map>

namespace quire::ingest
{

namespace
{

class UnionFind
{
public:
    explicit UnionFind(std::size_t n)
        : m_parent(n)
    {
        std::iota(m_parent.begin(), m_parent.end(), 0);
    }
    std::size_t find(std::size_t x)
    {
        while (m_parent[x] != x) {
            m_parent[x] = m_parent[m_parent[x]];
            x = m_parent[x];
        }
        return x;
    }
    void unite(std::size_t a, std::size_t b)
    {
        a = find(a);
        b = find(b);
        if (a != b)
            m_parent[std::max(a, b)] = std::min(a, b);
    }

private:
    std::vector<std::size_t> m_parent;
};

// LSH: 32 bands of 4 rows; documents that agree on a whole band are candidates.
constexpr int Bands = 32;
constexpr int Rows = MinHash::Size / Bands;
constexpr std::size_t MaxBucketComparisons = 64;

std::uint64_t bandKey(const MinHash::Signature &s, int band)
{
    std::uint64_t h = 0xcbf29ce484222325ULL ^ static_cast<std::uint64_t>(band);
    for (int r = 0; r < Rows; ++r)
        h = (h ^ s[static_cast<std::size_t>(band * Rows + r)]) * 0x100000001b3ULL;
    return h;
}

QString normalisedId(QString id)
{
    id = id.trimmed();
    if (id.startsWith(QLatin1Char('<')) && id.endsWith(QLatin1Char('>')))
        id = id.mid(1, id.size() - 2);
    return id;
}

// "Re: RE: Fwd: Budget" -> ("budget", true)
std::pair<QString, bool> baseSubject(const QString &subject)
{
    static const QRegularExpression prefix(QStringLiteral("^\\s*((re|fw|fwd|aw|wg|sv|vs)(\\[\\d+\\])?\\s*:\\s*)+"),
        QRegularExpression::CaseInsensitiveOption);
    QString base = subject;
    const bool reply = base.contains(prefix);
    base.remove(prefix);
    return { base.simplified().toLower(), reply };
}

} // namespace

std::vector<std::vector<std::int64_t>> nearDuplicateGroups(
    const std::vector<std::pair<std::int64_t, MinHash::Signature>> &signatures, double threshold)
{
    const std::size_t n = signatures.size();
    UnionFind sets(n);
    for (int band = 0; band < Bands; ++band) {
        std::unordered_map<std::uint64_t, std::vector<std::size_t>> buckets;
        for (std::size_t i = 0; i < n; ++i) {
            auto &bucket = buckets[bandKey(signatures[i].second, band)];
            for (std::size_t k = 0; k < bucket.size() && k < MaxBucketComparisons; ++k) {
                const std::size_t j = bucket[k];
                if (sets.find(i) != sets.find(j)
                    && MinHash::similarity(signatures[i].second, signatures[j].second) >= threshold)
                    sets.unite(i, j);
            }
            bucket.push_back(i);
        }
    }
    std::map<std::size_t, std::vector<std::int64_t>> byRoot;
    for (std::size_t i = 0; i < n; ++i)
        byRoot[sets.find(i)].push_back(signatures[i].first);
    std::vector<std::vector<std::int64_t>> groups;
    for (auto &[root, ids] : byRoot) {
        if (ids.size() < 2)
            continue;
        std::sort(ids.begin(), ids.end());
        groups.push_back(std::move(ids));
    }
    std::sort(groups.begin(), groups.end());
    return groups;
}

std::map<std::int64_t, QString> mailThreads(const std::vector<store::MailRow> &mails)
{
    QHash<QString, std::size_t> nodes; // message ids and "subject:" keys
    auto node = [&](const QString &key) {
        auto it = nodes.find(key);
        if (it == nodes.end())
            it = nodes.insert(key, static_cast<std::size_t>(nodes.size()));
        return *it;
    };
    std::vector<std::pair<std::size_t, std::size_t>> links;
    QSet<QString> replySubjects;
    for (const store::MailRow &m : mails) {
        const auto [base, reply] = baseSubject(m.subject);
        if (reply && m.inReplyTo.isEmpty() && m.references.isEmpty() && !base.isEmpty())
            replySubjects.insert(base);
    }
    for (const store::MailRow &m : mails) {
        const std::size_t self = node(normalisedId(m.messageId));
        if (!m.inReplyTo.isEmpty())
            links.emplace_back(self, node(normalisedId(m.inReplyTo)));
        for (const QString &r : m.references)
            links.emplace_back(self, node(normalisedId(r)));
        const QString base = baseSubject(m.subject).first;
        if (replySubjects.contains(base))
            links.emplace_back(self, node(QStringLiteral("subject:") + base));
    }
    UnionFind sets(static_cast<std::size_t>(nodes.size()));
    for (const auto &[a, b] : links)
        sets.unite(a, b);
    std::map<std::size_t, QString> threadOfRoot; // the smallest message id of the mails in each thread
    for (const store::MailRow &m : mails) {
        const QString id = normalisedId(m.messageId);
        QString &thread = threadOfRoot[sets.find(nodes.value(id))];
        if (thread.isEmpty() || id < thread)
            thread = id;
    }
    std::map<std::int64_t, QString> out;
    for (const store::MailRow &m : mails)
        out[m.documentId] = threadOfRoot[sets.find(nodes.value(normalisedId(m.messageId)))];
    return out;
}

namespace
{

Expected<std::pair<std::int64_t, std::int64_t>> updateNearDuplicates(store::Library &library)
{
    auto rows = store::nearDuplicateSignatures(library);
    if (!rows)
        return std::unexpected(rows.error());
    std::vector<std::pair<std::int64_t, MinHash::Signature>> signatures;
    signatures.reserve(rows->size());
    for (const store::SignatureRow &r : *rows) {
        if (auto s = MinHash::fromBytes(r.minhash))
            signatures.emplace_back(r.documentId, *s);
    }
    std::vector<std::pair<std::int64_t, std::int64_t>> assignments;
    const auto groups = nearDuplicateGroups(signatures);
    for (const auto &group : groups) {
        for (std::int64_t id : group)
            assignments.emplace_back(id, group.front());
    }
    if (auto ok = store::setNearDuplicateGroups(library, assignments); !ok)
        return std::unexpected(ok.error());
    return std::pair<std::int64_t, std::int64_t>(
        static_cast<std::int64_t>(groups.size()), static_cast<std::int64_t>(assignments.size()));
}

Expected<std::int64_t> updateThreads(store::Library &library)
{
    auto mails = store::mailDocuments(library);
    if (!mails)
        return std::unexpected(mails.error());
    const auto threads = mailThreads(*mails);
    std::vector<std::pair<std::int64_t, QString>> changes;
    QHash<QString, int> sizes;
    for (const store::MailRow &m : *mails) {
        const QString &thread = threads.at(m.documentId);
        ++sizes[thread];
        if (thread != m.threadId)
            changes.emplace_back(m.documentId, thread);
    }
    if (auto ok = store::setThreadIds(library, changes); !ok)
        return std::unexpected(ok.error());
    return static_cast<std::int64_t>(std::count_if(sizes.cbegin(), sizes.cend(), [](int n) { return n > 1; }));
}

} // namespace

Expected<DedupeReport> updateDuplicatesAndThreads(store::Library &library)
{
    DedupeReport report;
    auto exact = store::updateExactDuplicates(library);
    if (!exact)
        return std::unexpected(exact.error());
    report.exactDuplicates = *exact;
    auto near = updateNearDuplicates(library);
    if (!near)
        return std::unexpected(near.error());
    report.nearDuplicateGroups = near->first;
    report.nearDuplicateDocuments = near->second;
    auto threads = updateThreads(library);
    if (!threads)
        return std::unexpected(threads.error());
    report.mailThreads = *threads;
    return report;
}

} // namespace quire::ingest
