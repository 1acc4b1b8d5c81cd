#include "minhash.h"

#include "util/textutil.h"

#include <QtEndian>

namespace quire::ingest
{

namespace
{

constexpr std::uint64_t FnvOffset = 0xcbf29ce484222325ULL;
constexpr std::uint64_t FnvPrime = 0x100000001b3ULL;

std::uint64_t mix(std::uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

std::uint64_t rotate(std::uint64_t x, int bits)
{
    return (x << bits) | (x >> (64 - bits));
}

// Feeds word hashes in order and keeps the minimum of every bin over the 3-word shingles.
class Sketch
{
public:
    Sketch() { m_bins.fill(Empty); }

    void addWord(std::uint64_t word)
    {
        m_words[m_count % 3] = word;
        ++m_count;
        if (m_count >= 3)
            addShingle(m_words[(m_count - 3) % 3], m_words[(m_count - 2) % 3], m_words[(m_count - 1) % 3]);
    }

    std::optional<MinHash::Signature> finish()
    {
        if (m_count == 0)
            return std::nullopt;
        if (m_count < 3) { // too short for a shingle: the words themselves
            for (std::uint64_t i = 0; i < m_count; ++i)
                addShingle(0, 0, m_words[i]);
        }
        return densified();
    }

private:
    static constexpr std::uint32_t Empty = 0xffffffffU;

    void addShingle(std::uint64_t a, std::uint64_t b, std::uint64_t c)
    {
        const std::uint64_t h = mix(a ^ rotate(b, 21) * 0x9e3779b97f4a7c15ULL ^ rotate(c, 42) * 0xc2b2ae3d27d4eb4fULL);
        const auto bin = static_cast<std::size_t>(h >> 57); // top 7 bits: one of 128 bins
        const auto value = static_cast<std::uint32_t>(h & 0xfffffffeU); // never Empty
        if (value < m_bins[bin])
            m_bins[bin] = value;
    }

    // Rotation densification: an empty bin borrows the value of the next non-empty bin, salted by distance.
    MinHash::Signature densified() const
    {
        MinHash::Signature out = m_bins;
        for (int i = 0; i < MinHash::Size; ++i) {
            if (m_bins[static_cast<std::size_t>(i)] != Empty)
                continue;
            for (int step = 1; step < MinHash::Size; ++step) {
                const std::uint32_t v = m_bins[static_cast<std::size_t>((i + step) % MinHash::Size)];
                if (v != Empty) {
                    out[static_cast<std::size_t>(i)]
                        = static_cast<std::uint32_t>(mix(v + step * 0x9e37ULL)) & 0xfffffffeU;
                    break;
                }
            }
        }
        return out;
    }

    MinHash::Signature m_bins;
    std::uint64_t m_words[3] = {};
    std::uint64_t m_count = 0;
};

} // namespace

std::optional<MinHash::Signature> MinHash::of(const QString &text)
{
    Sketch sketch;
    std::uint64_t word = FnvOffset;
    bool inWord = false;
    const QChar *chars = text.constData();
    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n; ++i) {
        char32_t c = chars[i].unicode();
        if (chars[i].isHighSurrogate() && i + 1 < n && chars[i + 1].isLowSurrogate())
            c = QChar::surrogateToUcs4(chars[i], chars[i + 1]);
        const bool cjk = util::isCjk(c);
        const bool letter = !cjk && (c > 0xffff || chars[i].isLetterOrNumber());
        if (letter) {
            word = (word ^ QChar::toLower(c)) * FnvPrime;
            inWord = true;
        } else {
            if (inWord)
                sketch.addWord(word);
            word = FnvOffset;
            inWord = false;
            if (cjk)
                sketch.addWord((FnvOffset ^ c) * FnvPrime);
        }
        if (c > 0xffff)
            ++i;
    }
    if (inWord)
        sketch.addWord(word);
    return sketch.finish();
}

double MinHash::similarity(const Signature &a, const Signature &b)
{
    int equal = 0;
    for (int i = 0; i < Size; ++i)
        equal += a[static_cast<std::size_t>(i)] == b[static_cast<std::size_t>(i)] ? 1 : 0;
    return static_cast<double>(equal) / Size;
}

QByteArray MinHash::toBytes(const Signature &signature)
{
    QByteArray out(Size * 4, Qt::Uninitialized);
    for (int i = 0; i < Size; ++i)
        qToLittleEndian<quint32>(signature[static_cast<std::size_t>(i)], out.data() + 4 * i);
    return out;
}

std::optional<MinHash::Signature> MinHash::fromBytes(const QByteArray &bytes)
{
    if (bytes.size() != Size * 4)
        return std::nullopt;
    Signature s;
    for (int i = 0; i < Size; ++i)
        s[static_cast<std::size_t>(i)] = qFromLittleEndian<quint32>(bytes.constData() + 4 * i);
    return s;
}

} // namespace quire::ingest
