#include "ggufwriter.h"

#include "ggufvalue.h"
#include "strformat.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <unordered_set>

namespace quire::inference
{

namespace
{

constexpr std::uint32_t kMagic = 0x46554747;
constexpr std::size_t kDefaultAlignment = 32;
constexpr std::size_t kMaxTensorName = 63; // ggml's GGML_MAX_NAME (64) includes the terminating NUL

template <typename T> void put(std::vector<std::uint8_t> &out, T v)
{
    const auto *p = reinterpret_cast<const std::uint8_t *>(&v);
    out.insert(out.end(), p, p + sizeof(T));
}

void putString(std::vector<std::uint8_t> &out, std::string_view s)
{
    put<std::uint64_t>(out, s.size());
    out.insert(out.end(), s.begin(), s.end());
}

void putArrayBody(std::vector<std::uint8_t> &out, const GgufValue &v)
{
    put<std::uint32_t>(out, static_cast<std::uint32_t>(v.elemType));
    put<std::uint64_t>(out, v.count);
    if (v.elemType == GgufValueType::String) {
        for (std::string_view s : v.strings)
            putString(out, s);
    } else if (v.elemType == GgufValueType::Array) {
        for (const GgufValue &e : v.nested)
            putArrayBody(out, e);
    } else if (v.count > 0) {
        out.insert(out.end(), v.raw, v.raw + v.count * ggufValueTypeSize(v.elemType));
    }
}

std::uint64_t alignUp(std::uint64_t x, std::uint64_t a)
{
    return (x + a - 1) / a * a;
}

// Where bytes go: a file or a memory buffer.
class Sink
{
public:
    virtual ~Sink() = default;
    virtual bool write(const void *data, std::size_t n) = 0;
};

class MemorySink : public Sink
{
public:
    bool write(const void *data, std::size_t n) override
    {
        const auto *p = static_cast<const std::uint8_t *>(data);
        bytes.insert(bytes.end(), p, p + n);
        return true;
    }
    std::vector<std::uint8_t> bytes;
};

class FileSink : public Sink
{
public:
    explicit FileSink(std::FILE *f)
        : m_file(f)
    {
    }
    bool write(const void *data, std::size_t n) override { return n == 0 || std::fwrite(data, n, 1, m_file) == 1; }

private:
    std::FILE *m_file;
};

struct FileCloser {
    void operator()(std::FILE *f) const { std::fclose(f); }
};

// Removes the temporary file unless the write completed.
struct TempFileGuard {
    std::string path;
    bool keep = false;
    ~TempFileGuard()
    {
        if (!keep)
            std::remove(path.c_str());
    }
};

} // namespace

struct GgufWriter::Impl {
    struct Meta {
        std::string key;
        GgufValueType type;
        std::vector<std::uint8_t> payload; // the encoded value, after its type tag
    };
    struct Tensor {
        std::string name;
        GgmlType type;
        std::vector<std::int64_t> ne;
        std::size_t bytes;
        GgufTensorProducer producer;
    };

    std::size_t alignment = kDefaultAlignment;
    std::vector<Meta> meta;
    std::vector<Tensor> tensors;
    std::unordered_set<std::string> tensorNames;

    void set(std::string_view key, GgufValueType type, std::vector<std::uint8_t> payload)
    {
        for (Meta &m : meta) {
            if (m.key == key) {
                m.type = type;
                m.payload = std::move(payload);
                return;
            }
        }
        meta.push_back({ std::string(key), type, std::move(payload) });
    }

    template <typename T> void setScalar(std::string_view key, GgufValueType type, T v)
    {
        std::vector<std::uint8_t> p;
        put(p, v);
        set(key, type, std::move(p));
    }

    Expected<std::size_t> checkTensor(std::string_view name, GgmlType type, std::span<const std::int64_t> ne) const;
    std::vector<std::uint8_t> header() const;
    Expected<void> writeTo(Sink &sink, const GgufWriteProgress &progress) const;
};

GgufWriter::GgufWriter()
    : d(std::make_unique<Impl>())
{
}

GgufWriter::~GgufWriter() = default;

void GgufWriter::setAlignment(std::size_t alignment)
{
    if (alignment == 0 || (alignment & (alignment - 1)) != 0)
        return;
    d->alignment = alignment;
    if (alignment == kDefaultAlignment)
        remove("general.alignment");
    else
        setUInt32("general.alignment", static_cast<std::uint32_t>(alignment));
}

std::size_t GgufWriter::alignment() const
{
    return d->alignment;
}

void GgufWriter::setUInt8(std::string_view key, std::uint8_t v)
{
    d->setScalar(key, GgufValueType::UInt8, v);
}
void GgufWriter::setInt8(std::string_view key, std::int8_t v)
{
    d->setScalar(key, GgufValueType::Int8, v);
}
void GgufWriter::setUInt16(std::string_view key, std::uint16_t v)
{
    d->setScalar(key, GgufValueType::UInt16, v);
}
void GgufWriter::setInt16(std::string_view key, std::int16_t v)
{
    d->setScalar(key, GgufValueType::Int16, v);
}
void GgufWriter::setUInt32(std::string_view key, std::uint32_t v)
{
    d->setScalar(key, GgufValueType::UInt32, v);
}
void GgufWriter::setInt32(std::string_view key, std::int32_t v)
{
    d->setScalar(key, GgufValueType::Int32, v);
}
void GgufWriter::setUInt64(std::string_view key, std::uint64_t v)
{
    d->setScalar(key, GgufValueType::UInt64, v);
}
void GgufWriter::setInt64(std::string_view key, std::int64_t v)
{
    d->setScalar(key, GgufValueType::Int64, v);
}
void GgufWriter::setFloat32(std::string_view key, float v)
{
    d->setScalar(key, GgufValueType::Float32, v);
}
void GgufWriter::setFloat64(std::string_view key, double v)
{
    d->setScalar(key, GgufValueType::Float64, v);
}

void GgufWriter::setBool(std::string_view key, bool v)
{
    d->setScalar(key, GgufValueType::Bool, static_cast<std::uint8_t>(v ? 1 : 0));
}

void GgufWriter::setString(std::string_view key, std::string_view v)
{
    std::vector<std::uint8_t> p;
    putString(p, v);
    d->set(key, GgufValueType::String, std::move(p));
}

void GgufWriter::setStringArray(std::string_view key, std::span<const std::string> v)
{
    std::vector<std::uint8_t> p;
    put<std::uint32_t>(p, static_cast<std::uint32_t>(GgufValueType::String));
    put<std::uint64_t>(p, v.size());
    for (const std::string &s : v)
        putString(p, s);
    d->set(key, GgufValueType::Array, std::move(p));
}

void GgufWriter::setStringArray(std::string_view key, std::span<const std::string_view> v)
{
    std::vector<std::uint8_t> p;
    put<std::uint32_t>(p, static_cast<std::uint32_t>(GgufValueType::String));
    put<std::uint64_t>(p, v.size());
    for (std::string_view s : v)
        putString(p, s);
    d->set(key, GgufValueType::Array, std::move(p));
}

void GgufWriter::setInt32Array(std::string_view key, std::span<const std::int32_t> v)
{
    setArray(key,
        GgufValueType::Int32,
        v.size(),
        std::span(reinterpret_cast<const std::uint8_t *>(v.data()), v.size_bytes()));
}

void GgufWriter::setFloat32Array(std::string_view key, std::span<const float> v)
{
    setArray(key,
        GgufValueType::Float32,
        v.size(),
        std::span(reinterpret_cast<const std::uint8_t *>(v.data()), v.size_bytes()));
}

void GgufWriter::setArray(
    std::string_view key, GgufValueType elemType, std::uint64_t count, std::span<const std::uint8_t> bytes)
{
    const std::size_t elemSize = ggufValueTypeSize(elemType);
    if (elemSize == 0 || bytes.size() != count * elemSize)
        return; // strings and nested arrays have their own setters; a size mismatch is a caller bug
    std::vector<std::uint8_t> p;
    put<std::uint32_t>(p, static_cast<std::uint32_t>(elemType));
    put<std::uint64_t>(p, count);
    p.insert(p.end(), bytes.begin(), bytes.end());
    d->set(key, GgufValueType::Array, std::move(p));
}

void GgufWriter::setValue(std::string_view key, const GgufValue &value)
{
    std::vector<std::uint8_t> p;
    if (value.type == GgufValueType::String)
        putString(p, value.str);
    else if (value.type == GgufValueType::Array)
        putArrayBody(p, value);
    else
        p.assign(value.raw, value.raw + ggufValueTypeSize(value.type));
    d->set(key, value.type, std::move(p));
}

void GgufWriter::copyMetadata(const GgufFile &file)
{
    for (const std::string &key : file.keys()) {
        if (key != "general.alignment")
            setValue(key, *file.value(key));
    }
}

bool GgufWriter::remove(std::string_view key)
{
    for (auto it = d->meta.begin(); it != d->meta.end(); ++it) {
        if (it->key == key) {
            d->meta.erase(it);
            return true;
        }
    }
    return false;
}

bool GgufWriter::has(std::string_view key) const
{
    for (const Impl::Meta &m : d->meta) {
        if (m.key == key)
            return true;
    }
    return false;
}

Expected<std::size_t> GgufWriter::Impl::checkTensor(
    std::string_view name, GgmlType type, std::span<const std::int64_t> ne) const
{
    auto bad = [&](std::string why) {
        return fail(Error::Code::InvalidArgument, strFormat("cannot add tensor '{}': {}", name, why));
    };
    if (name.empty() || name.size() > kMaxTensorName)
        return bad(strFormat("names must have 1 to {} bytes", kMaxTensorName));
    if (tensorNames.contains(std::string(name)))
        return bad("a tensor of that name was already added");
    if (ne.empty() || ne.size() > 4)
        return bad(strFormat("{} dimensions (1 to 4 allowed)", ne.size()));
    const auto traits = ggmlTypeTraits(static_cast<std::uint32_t>(type));
    if (!traits || traits->blockBytes == 0)
        return bad(strFormat("unknown type id {}", static_cast<std::uint32_t>(type)));
    std::int64_t elements = 1;
    for (std::int64_t n : ne) {
        if (n <= 0 || __builtin_mul_overflow(elements, n, &elements))
            return bad("every dimension must be positive and the element count fit in 64 bits");
    }
    if (ne[0] % traits->blockSize != 0)
        return bad(strFormat(
            "rows of {} elements are not a multiple of the {} block size {}", ne[0], traits->name, traits->blockSize));
    std::uint64_t bytes = 0;
    if (__builtin_mul_overflow(static_cast<std::uint64_t>(elements / traits->blockSize), traits->blockBytes, &bytes))
        return bad("too large");
    return static_cast<std::size_t>(bytes);
}

Expected<void> GgufWriter::addTensor(
    std::string_view name, GgmlType type, std::span<const std::int64_t> ne, GgufTensorProducer producer)
{
    auto bytes = d->checkTensor(name, type, ne);
    if (!bytes)
        return std::unexpected(bytes.error());
    d->tensors.push_back({ std::string(name), type, { ne.begin(), ne.end() }, *bytes, std::move(producer) });
    d->tensorNames.insert(std::string(name));
    return {};
}

Expected<void> GgufWriter::addTensor(
    std::string_view name, GgmlType type, std::span<const std::int64_t> ne, std::span<const std::uint8_t> data)
{
    auto bytes = d->checkTensor(name, type, ne);
    if (!bytes)
        return std::unexpected(bytes.error());
    if (*bytes != data.size())
        return fail(Error::Code::InvalidArgument,
            strFormat("cannot add tensor '{}': {} bytes given, its type and shape need {}", name, data.size(), *bytes));
    return addTensor(name, type, ne, [data](std::span<std::uint8_t> out) -> Expected<void> {
        std::memcpy(out.data(), data.data(), out.size());
        return {};
    });
}

Expected<void> GgufWriter::addTensor(
    std::string_view name, GgmlType type, std::span<const std::int64_t> ne, std::vector<std::uint8_t> data)
{
    auto owned = std::make_shared<const std::vector<std::uint8_t>>(std::move(data));
    auto bytes = d->checkTensor(name, type, ne);
    if (!bytes)
        return std::unexpected(bytes.error());
    if (*bytes != owned->size())
        return fail(Error::Code::InvalidArgument,
            strFormat(
                "cannot add tensor '{}': {} bytes given, its type and shape need {}", name, owned->size(), *bytes));
    return addTensor(name, type, ne, [owned](std::span<std::uint8_t> out) -> Expected<void> {
        std::memcpy(out.data(), owned->data(), out.size());
        return {};
    });
}

std::size_t GgufWriter::tensorCount() const
{
    return d->tensors.size();
}

std::vector<std::uint8_t> GgufWriter::Impl::header() const
{
    std::vector<std::uint8_t> out;
    put<std::uint32_t>(out, kMagic);
    put<std::uint32_t>(out, 3);
    put<std::uint64_t>(out, tensors.size());
    put<std::uint64_t>(out, meta.size());
    for (const Meta &m : meta) {
        putString(out, m.key);
        put<std::uint32_t>(out, static_cast<std::uint32_t>(m.type));
        out.insert(out.end(), m.payload.begin(), m.payload.end());
    }
    std::uint64_t offset = 0;
    for (const Tensor &t : tensors) {
        putString(out, t.name);
        put<std::uint32_t>(out, static_cast<std::uint32_t>(t.ne.size()));
        for (std::int64_t n : t.ne)
            put<std::uint64_t>(out, static_cast<std::uint64_t>(n));
        put<std::uint32_t>(out, static_cast<std::uint32_t>(t.type));
        put<std::uint64_t>(out, offset);
        offset += alignUp(t.bytes, alignment);
    }
    out.resize(alignUp(out.size(), alignment), 0);
    return out;
}

Expected<void> GgufWriter::Impl::writeTo(Sink &sink, const GgufWriteProgress &progress) const
{
    const std::vector<std::uint8_t> head = header();
    auto ioError = [] { return fail(Error::Code::Io, strFormat("write failed: {}", std::strerror(errno))); };
    if (!sink.write(head.data(), head.size()))
        return ioError();
    std::uint64_t written = head.size();
    std::vector<std::uint8_t> buffer;
    const std::vector<std::uint8_t> zeros(alignment, 0);
    for (std::size_t i = 0; i < tensors.size(); ++i) {
        const Tensor &t = tensors[i];
        buffer.resize(t.bytes);
        if (auto ok = t.producer(buffer); !ok)
            return ok;
        const std::size_t pad = alignUp(t.bytes, alignment) - t.bytes;
        if (!sink.write(buffer.data(), buffer.size()) || !sink.write(zeros.data(), pad))
            return ioError();
        written += t.bytes + pad;
        if (progress && !progress(i + 1, tensors.size(), written))
            return fail(Error::Code::Cancelled, "writing the GGUF file was cancelled");
    }
    return {};
}

Expected<void> GgufWriter::write(const std::string &path, const GgufWriteProgress &progress) const
{
    TempFileGuard guard { path + ".tmp" };
    std::unique_ptr<std::FILE, FileCloser> file(std::fopen(guard.path.c_str(), "wb"));
    if (!file)
        return fail(Error::Code::Io, strFormat("cannot create {}: {}", guard.path, std::strerror(errno)));
    FileSink sink(file.get());
    if (auto ok = d->writeTo(sink, progress); !ok) {
        if (ok.error().code == Error::Code::Io)
            return fail(Error::Code::Io, strFormat("cannot write {}: {}", path, ok.error().message));
        return ok;
    }
    if (std::fclose(file.release()) != 0)
        return fail(Error::Code::Io, strFormat("cannot write {}: {}", path, std::strerror(errno)));
    if (std::rename(guard.path.c_str(), path.c_str()) != 0)
        return fail(Error::Code::Io, strFormat("cannot rename {} to {}: {}", guard.path, path, std::strerror(errno)));
    guard.keep = true;
    return {};
}

Expected<std::vector<std::uint8_t>> GgufWriter::writeToMemory() const
{
    MemorySink sink;
    if (auto ok = d->writeTo(sink, {}); !ok)
        return std::unexpected(ok.error());
    return std::move(sink.bytes);
}

} // namespace quire::inference
