#include "gguffile.h"

#include "ggufvalue.h"
#include "mappedfile.h"
#include "strformat.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <unordered_map>
#include <unordered_set>

namespace quire::inference
{

namespace
{

constexpr std::uint32_t kMagic = 0x46554747; // "GGUF" read little-endian
constexpr std::size_t kDefaultAlignment = 32;
constexpr int kMaxArrayDepth = 8;
constexpr std::uint64_t kMaxNestedArrays = 1 << 20;
constexpr std::uint64_t kMaxNameLength = 1024;

// Smallest encodings, used to refuse absurd counts before allocating anything.
constexpr std::uint64_t kMinKvBytes = 8 + 4 + 1; // key length, value type, one byte of value
constexpr std::uint64_t kMinTensorInfoBytes = 8 + 4 + 8 + 4 + 8; // name length, n_dims, ne[0], type, offset

std::size_t valueTypeSize(GgufValueType t)
{
    return ggufValueTypeSize(t);
}

bool isValidValueType(std::uint32_t t)
{
    return t <= static_cast<std::uint32_t>(GgufValueType::Float64);
}

// Reads little-endian values from the buffer; every read is bounds-checked.
class Reader
{
public:
    Reader(std::span<const std::uint8_t> bytes, std::string_view fileName)
        : m_bytes(bytes)
        , m_fileName(fileName)
    {
    }

    std::uint64_t nestedArrays = 0; // arrays inside arrays seen so far, over the whole file

    std::uint64_t pos() const { return m_pos; }
    std::uint64_t remaining() const { return m_bytes.size() - m_pos; }

    template <typename T> Expected<T> read(std::string_view what)
    {
        if (remaining() < sizeof(T))
            return truncated(what);
        T v;
        std::memcpy(&v, m_bytes.data() + m_pos, sizeof(T));
        m_pos += sizeof(T);
        return v;
    }

    Expected<std::string_view> readString(std::string_view what)
    {
        auto len = read<std::uint64_t>(what);
        if (!len)
            return std::unexpected(len.error());
        if (*len > remaining())
            return fail(Error::Code::Corrupt,
                strFormat("{} is corrupt: {} claims {} bytes at offset {} but only {} remain",
                    m_fileName,
                    what,
                    *len,
                    m_pos,
                    remaining()));
        std::string_view s(reinterpret_cast<const char *>(m_bytes.data() + m_pos), *len);
        m_pos += *len;
        return s;
    }

    Expected<const std::uint8_t *> skip(std::uint64_t n, std::string_view what)
    {
        if (n > remaining())
            return truncated(what);
        const std::uint8_t *p = m_bytes.data() + m_pos;
        m_pos += n;
        return p;
    }

    std::unexpected<Error> truncated(std::string_view what) const
    {
        return fail(Error::Code::Corrupt,
            strFormat("{} is truncated: it ends at byte {} while reading {}", m_fileName, m_bytes.size(), what));
    }

    std::unexpected<Error> corrupt(std::string message) const
    {
        return fail(Error::Code::Corrupt, strFormat("{} is corrupt: {}", m_fileName, message));
    }

private:
    std::span<const std::uint8_t> m_bytes;
    std::string_view m_fileName;
    std::uint64_t m_pos = 0;
};

Expected<GgufValue> readValue(Reader &r, GgufValueType type, int depth, const std::string &what);

Expected<GgufValue> readArray(Reader &r, int depth, const std::string &what)
{
    if (depth >= kMaxArrayDepth)
        return r.corrupt(strFormat("{} nests arrays more than {} deep", what, kMaxArrayDepth));
    auto elemType = r.read<std::uint32_t>(what + " (array type)");
    if (!elemType)
        return std::unexpected(elemType.error());
    if (!isValidValueType(*elemType))
        return r.corrupt(strFormat("{} is an array of unknown value type {}", what, *elemType));
    auto count = r.read<std::uint64_t>(what + " (array size)");
    if (!count)
        return std::unexpected(count.error());
    GgufValue v;
    v.type = GgufValueType::Array;
    v.elemType = static_cast<GgufValueType>(*elemType);
    v.count = *count;
    const std::size_t elemSize = valueTypeSize(v.elemType);
    if (elemSize > 0) {
        if (*count > r.remaining() / elemSize)
            return r.corrupt(strFormat(
                "{} claims {} elements of {} bytes but only {} bytes remain", what, *count, elemSize, r.remaining()));
        auto p = r.skip(*count * elemSize, what);
        if (!p)
            return std::unexpected(p.error());
        v.raw = *p;
        return v;
    }
    // Strings take at least 8 bytes, nested arrays at least 12: refuse counts the file cannot hold.
    const std::uint64_t minElem = v.elemType == GgufValueType::String ? 8 : 12;
    if (*count > r.remaining() / minElem)
        return r.corrupt(strFormat("{} claims {} elements but only {} bytes remain", what, *count, r.remaining()));
    if (v.elemType == GgufValueType::String) {
        v.strings.reserve(*count);
        for (std::uint64_t i = 0; i < *count; ++i) {
            auto s = r.readString(what);
            if (!s)
                return std::unexpected(s.error());
            v.strings.push_back(*s);
        }
        return v;
    }
    // Every nested array costs a GgufValue (~100 bytes) for 12 bytes of file: cap them so that a hostile
    // file cannot make us allocate many times its size. Real models use none or a handful.
    r.nestedArrays += *count;
    if (r.nestedArrays > kMaxNestedArrays)
        return r.corrupt(strFormat("{} holds more than {} nested arrays", what, kMaxNestedArrays));
    v.nested.reserve(*count);
    for (std::uint64_t i = 0; i < *count; ++i) {
        auto e = readValue(r, GgufValueType::Array, depth + 1, strFormat("{}[{}]", what, i));
        if (!e)
            return std::unexpected(e.error());
        v.nested.push_back(std::move(*e));
    }
    return v;
}

Expected<GgufValue> readValue(Reader &r, GgufValueType type, int depth, const std::string &what)
{
    if (type == GgufValueType::Array)
        return readArray(r, depth, what);
    GgufValue v;
    v.type = type;
    if (type == GgufValueType::String) {
        auto s = r.readString(what);
        if (!s)
            return std::unexpected(s.error());
        v.str = *s;
        return v;
    }
    auto p = r.skip(valueTypeSize(type), what);
    if (!p)
        return std::unexpected(p.error());
    v.raw = *p;
    v.count = 1;
    if (type == GgufValueType::Bool && *v.raw > 1)
        return r.corrupt(strFormat("{} is a bool with value {}", what, *v.raw));
    return v;
}

std::uint64_t alignUp(std::uint64_t x, std::uint64_t a)
{
    return (x + a - 1) / a * a;
}

} // namespace

struct GgufFile::Impl {
    std::unique_ptr<MappedFile> mapping; // null for fromMemory()
    std::span<const std::uint8_t> bytes;
    std::string fileName;
    std::uint32_t version = 0;
    std::size_t alignment = kDefaultAlignment;
    std::uint64_t dataOffset = 0;
    std::vector<std::string> keys;
    std::unordered_map<std::string_view, GgufValue> values; // keys point into `keys`
    std::vector<GgufTensorInfo> tensors;
    std::unordered_map<std::string_view, std::size_t> tensorIndex;

    const GgufValue *find(std::string_view key) const
    {
        auto it = values.find(key);
        return it == values.end() ? nullptr : &it->second;
    }

    Expected<void> parse();
    Expected<void> parseHeader(Reader &r, std::uint64_t &nTensors, std::uint64_t &nKv);
    Expected<void> parseMetadata(Reader &r, std::uint64_t nKv);
    Expected<void> parseTensorInfos(Reader &r, std::uint64_t nTensors);
    Expected<void> parseTensorInfo(Reader &r, std::uint64_t index);
    Expected<void> placeTensors(std::uint64_t endOfInfos);
};

Expected<void> GgufFile::Impl::parseHeader(Reader &r, std::uint64_t &nTensors, std::uint64_t &nKv)
{
    auto magic = r.read<std::uint32_t>("the header");
    if (!magic)
        return std::unexpected(magic.error());
    if (*magic != kMagic)
        return fail(Error::Code::Corrupt, strFormat("{} is not a GGUF file (no GGUF magic at the start)", fileName));
    auto ver = r.read<std::uint32_t>("the header");
    if (!ver)
        return std::unexpected(ver.error());
    version = *ver;
    if (version == 1)
        return fail(Error::Code::Unsupported,
            strFormat("{} is GGUF version 1, which is no longer supported: convert it again with a current "
                      "llama.cpp",
                fileName));
    if (version != 2 && version != 3)
        return fail(Error::Code::Unsupported,
            strFormat("{} is GGUF version {}; Quire reads versions 2 and 3", fileName, version));
    auto nt = r.read<std::uint64_t>("the header");
    auto nk = nt ? r.read<std::uint64_t>("the header") : Expected<std::uint64_t>(std::unexpected(nt.error()));
    if (!nk)
        return std::unexpected(nk.error());
    nTensors = *nt;
    nKv = *nk;
    if (nKv > r.remaining() / kMinKvBytes)
        return r.corrupt(
            strFormat("the header claims {} metadata entries but the file has only {} bytes left", nKv, r.remaining()));
    if (nTensors > r.remaining() / kMinTensorInfoBytes)
        return r.corrupt(
            strFormat("the header claims {} tensors but the file has only {} bytes left", nTensors, r.remaining()));
    return {};
}

Expected<void> GgufFile::Impl::parseMetadata(Reader &r, std::uint64_t nKv)
{
    keys.reserve(nKv);
    for (std::uint64_t i = 0; i < nKv; ++i) {
        auto key = r.readString(strFormat("the name of metadata entry {}", i));
        if (!key)
            return std::unexpected(key.error());
        if (key->empty() || key->size() > kMaxNameLength)
            return r.corrupt(strFormat("metadata entry {} has a key of {} bytes", i, key->size()));
        std::string keyStr(*key);
        auto type = r.read<std::uint32_t>(strFormat("the type of metadata '{}'", keyStr));
        if (!type)
            return std::unexpected(type.error());
        if (!isValidValueType(*type))
            return r.corrupt(strFormat("metadata '{}' has unknown value type {}", keyStr, *type));
        auto value = readValue(r, static_cast<GgufValueType>(*type), 0, strFormat("metadata '{}'", keyStr));
        if (!value)
            return std::unexpected(value.error());
        keys.push_back(std::move(keyStr));
        if (!values.emplace(keys.back(), std::move(*value)).second)
            return r.corrupt(strFormat("metadata key '{}' appears twice", keys.back()));
    }
    // std::string's small-buffer storage moves when `keys` reallocates; reserve() above prevents that.
    if (const GgufValue *a = find("general.alignment")) {
        if (a->type != GgufValueType::UInt32)
            return r.corrupt("general.alignment is not a uint32");
        const std::uint64_t al = a->asU64();
        if (al == 0 || (al & (al - 1)) != 0 || al > (1u << 20))
            return r.corrupt(strFormat("general.alignment is {}, which is not a power of two up to 1 MiB", al));
        alignment = al;
    }
    return {};
}

Expected<void> GgufFile::Impl::parseTensorInfo(Reader &r, std::uint64_t index)
{
    GgufTensorInfo t;
    auto name = r.readString(strFormat("the name of tensor {}", index));
    if (!name)
        return std::unexpected(name.error());
    if (name->empty() || name->size() > kMaxNameLength)
        return r.corrupt(strFormat("tensor {} has a name of {} bytes", index, name->size()));
    t.name = std::string(*name);
    auto nDims = r.read<std::uint32_t>(strFormat("tensor {}", t.name));
    if (!nDims)
        return std::unexpected(nDims.error());
    if (*nDims < 1 || *nDims > 4)
        return r.corrupt(strFormat("tensor {} has {} dimensions (1 to 4 allowed)", t.name, *nDims));
    t.nDims = static_cast<int>(*nDims);
    std::int64_t total = 1;
    for (int d = 0; d < t.nDims; ++d) {
        auto ne = r.read<std::uint64_t>(strFormat("tensor {}", t.name));
        if (!ne)
            return std::unexpected(ne.error());
        if (*ne == 0 || *ne > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            return r.corrupt(strFormat("tensor {} has dimension {} of size {}", t.name, d, *ne));
        t.ne[d] = static_cast<std::int64_t>(*ne);
        if (__builtin_mul_overflow(total, t.ne[d], &total))
            return r.corrupt(strFormat("tensor {} has more elements than fit in 64 bits", t.name));
    }
    auto type = r.read<std::uint32_t>(strFormat("tensor {}", t.name));
    auto offset = type ? r.read<std::uint64_t>(strFormat("tensor {}", t.name))
                       : Expected<std::uint64_t>(std::unexpected(type.error()));
    if (!offset)
        return std::unexpected(offset.error());
    auto traits = ggmlTypeTraits(*type);
    if (!traits)
        return fail(
            Error::Code::Unsupported, strFormat("{}: tensor {} has unknown type id {}", fileName, t.name, *type));
    t.type = traits->type;
    if (t.ne[0] % traits->blockSize != 0)
        return r.corrupt(strFormat("tensor {} has rows of {} elements, not a multiple of the {} block size {}",
            t.name,
            t.ne[0],
            traits->name,
            traits->blockSize));
    std::uint64_t bytes = 0;
    if (__builtin_mul_overflow(static_cast<std::uint64_t>(total / traits->blockSize), traits->blockBytes, &bytes)
        || bytes > std::numeric_limits<std::size_t>::max())
        return r.corrupt(strFormat("tensor {} is larger than 2^64 bytes", t.name));
    t.bytes = static_cast<std::size_t>(bytes);
    t.offset = *offset;
    if (t.offset % alignment != 0)
        return r.corrupt(strFormat(
            "tensor {} starts at data offset {}, not a multiple of the alignment {}", t.name, t.offset, alignment));
    tensors.push_back(std::move(t));
    if (!tensorIndex.emplace(tensors.back().name, index).second)
        return r.corrupt(strFormat("tensor name {} appears twice", tensors.back().name));
    return {};
}

Expected<void> GgufFile::Impl::parseTensorInfos(Reader &r, std::uint64_t nTensors)
{
    // Reserve so that the names tensorIndex points at never move.
    tensors.reserve(nTensors);
    for (std::uint64_t i = 0; i < nTensors; ++i) {
        if (auto ok = parseTensorInfo(r, i); !ok)
            return ok;
    }
    return {};
}

Expected<void> GgufFile::Impl::placeTensors(std::uint64_t endOfInfos)
{
    dataOffset = alignUp(endOfInfos, alignment);
    if (tensors.empty())
        return {};
    const std::uint64_t size = bytes.size();
    if (dataOffset > size)
        return fail(Error::Code::Corrupt,
            strFormat("{} is truncated: its tensor data should start at byte {} but the file has {}",
                fileName,
                dataOffset,
                size));
    const std::uint64_t dataSize = size - dataOffset;
    std::vector<const GgufTensorInfo *> byOffset;
    byOffset.reserve(tensors.size());
    for (GgufTensorInfo &t : tensors) {
        if (t.offset > dataSize || t.bytes > dataSize - t.offset)
            return fail(Error::Code::Corrupt,
                strFormat("{} is truncated: tensor {} ends at byte {} but the file has {}",
                    fileName,
                    t.name,
                    // Saturate instead of overflowing in the message for hostile offsets.
                    t.offset > size ? t.offset
                                    : dataOffset + t.offset
                            + std::min<std::uint64_t>(
                                t.bytes, std::numeric_limits<std::uint64_t>::max() - dataOffset - t.offset),
                    size));
        t.data = bytes.data() + dataOffset + t.offset;
        byOffset.push_back(&t);
    }
    std::sort(byOffset.begin(), byOffset.end(), [](auto *a, auto *b) { return a->offset < b->offset; });
    for (std::size_t i = 1; i < byOffset.size(); ++i) {
        const GgufTensorInfo *prev = byOffset[i - 1];
        if (byOffset[i]->offset < prev->offset + prev->bytes)
            return fail(Error::Code::Corrupt,
                strFormat("{} is corrupt: tensors {} and {} overlap", fileName, prev->name, byOffset[i]->name));
    }
    return {};
}

Expected<void> GgufFile::Impl::parse()
{
    Reader r(bytes, fileName);
    std::uint64_t nTensors = 0;
    std::uint64_t nKv = 0;
    if (auto ok = parseHeader(r, nTensors, nKv); !ok)
        return ok;
    if (auto ok = parseMetadata(r, nKv); !ok)
        return ok;
    if (auto ok = parseTensorInfos(r, nTensors); !ok)
        return ok;
    return placeTensors(r.pos());
}

GgufFile::GgufFile()
    : d(std::make_unique<Impl>())
{
}

GgufFile::~GgufFile() = default;

Expected<std::unique_ptr<GgufFile>> GgufFile::open(const std::string &path)
{
    auto mapping = MappedFile::open(path);
    if (!mapping)
        return std::unexpected(mapping.error());
    std::unique_ptr<GgufFile> file(new GgufFile());
    file->d->bytes = (*mapping)->bytes();
    file->d->mapping = std::move(*mapping);
    const auto slash = path.find_last_of('/');
    file->d->fileName = slash == std::string::npos ? path : path.substr(slash + 1);
    if (auto ok = file->d->parse(); !ok)
        return std::unexpected(ok.error());
    return file;
}

Expected<std::unique_ptr<GgufFile>> GgufFile::fromMemory(std::span<const std::uint8_t> bytes)
{
    std::unique_ptr<GgufFile> file(new GgufFile());
    file->d->bytes = bytes;
    file->d->fileName = "the GGUF data";
    if (auto ok = file->d->parse(); !ok)
        return std::unexpected(ok.error());
    return file;
}

std::uint32_t GgufFile::version() const
{
    return d->version;
}
std::size_t GgufFile::alignment() const
{
    return d->alignment;
}
std::size_t GgufFile::fileSize() const
{
    return d->bytes.size();
}
std::span<const std::uint8_t> GgufFile::bytes() const
{
    return d->bytes;
}
std::uint64_t GgufFile::dataOffset() const
{
    return d->dataOffset;
}
const std::vector<std::string> &GgufFile::keys() const
{
    return d->keys;
}
bool GgufFile::has(std::string_view key) const
{
    return d->find(key) != nullptr;
}

std::optional<GgufValueType> GgufFile::typeOf(std::string_view key) const
{
    const GgufValue *v = d->find(key);
    return v ? std::optional(v->type) : std::nullopt;
}

std::optional<GgufValueType> GgufFile::arrayTypeOf(std::string_view key) const
{
    const GgufValue *v = d->find(key);
    return v && v->type == GgufValueType::Array ? std::optional(v->elemType) : std::nullopt;
}

std::optional<std::int64_t> GgufFile::getInt(std::string_view key) const
{
    const GgufValue *v = d->find(key);
    return v ? v->scalarInt(v->type, v->raw) : std::nullopt;
}

std::optional<double> GgufFile::getFloat(std::string_view key) const
{
    const GgufValue *v = d->find(key);
    return v ? v->scalarFloat(v->type, v->raw) : std::nullopt;
}

std::optional<bool> GgufFile::getBool(std::string_view key) const
{
    const GgufValue *v = d->find(key);
    return v && v->type == GgufValueType::Bool ? std::optional(*v->raw != 0) : std::nullopt;
}

std::optional<std::string_view> GgufFile::getString(std::string_view key) const
{
    const GgufValue *v = d->find(key);
    return v && v->type == GgufValueType::String ? std::optional(v->str) : std::nullopt;
}

std::optional<std::uint64_t> GgufFile::arraySize(std::string_view key) const
{
    const GgufValue *v = d->find(key);
    return v && v->type == GgufValueType::Array ? std::optional(v->count) : std::nullopt;
}

std::optional<std::vector<std::string_view>> GgufFile::getStringArray(std::string_view key) const
{
    const GgufValue *v = d->find(key);
    if (!v || v->type != GgufValueType::Array || v->elemType != GgufValueType::String)
        return std::nullopt;
    return v->strings;
}

std::optional<std::vector<float>> GgufFile::getFloatArray(std::string_view key) const
{
    const GgufValue *v = d->find(key);
    return v ? v->floatArray() : std::nullopt;
}

std::optional<std::vector<std::int64_t>> GgufFile::getIntArray(std::string_view key) const
{
    const GgufValue *v = d->find(key);
    return v ? v->intArray() : std::nullopt;
}

const GgufValue *GgufFile::value(std::string_view key) const
{
    return d->find(key);
}

std::string GgufFile::describe(std::string_view key) const
{
    const GgufValue *v = d->find(key);
    return v ? v->describe() : std::string();
}

const std::vector<GgufTensorInfo> &GgufFile::tensors() const
{
    return d->tensors;
}

const GgufTensorInfo *GgufFile::tensor(std::string_view name) const
{
    auto it = d->tensorIndex.find(name);
    return it == d->tensorIndex.end() ? nullptr : &d->tensors[it->second];
}

} // namespace quire::inference
