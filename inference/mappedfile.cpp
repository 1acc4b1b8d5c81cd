#include "mappedfile.h"

#include "strformat.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace quire::inference
{

namespace
{

// Closes the descriptor on every path out of open(); the mapping stays valid after close().
struct FdCloser {
    int fd;
    ~FdCloser()
    {
        if (fd >= 0)
            ::close(fd);
    }
};

} // namespace

Expected<std::unique_ptr<MappedFile>> MappedFile::open(const std::string &path)
{
    FdCloser fd { ::open(path.c_str(), O_RDONLY | O_CLOEXEC) };
    if (fd.fd < 0) {
        const int err = errno;
        return fail(err == ENOENT ? Error::Code::NotFound : Error::Code::Io,
            strFormat("cannot open {}: {}", path, std::strerror(err)));
    }
    struct stat st {
    };
    if (::fstat(fd.fd, &st) != 0)
        return fail(Error::Code::Io, strFormat("cannot read {}: {}", path, std::strerror(errno)));
    if (!S_ISREG(st.st_mode))
        return fail(Error::Code::InvalidArgument, strFormat("{} is not a regular file", path));
    if (st.st_size == 0)
        return fail(Error::Code::Empty, strFormat("{} is empty", path));
    const auto size = static_cast<std::size_t>(st.st_size);
    void *p = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd.fd, 0);
    if (p == MAP_FAILED)
        return fail(Error::Code::Io, strFormat("cannot map {} into memory: {}", path, std::strerror(errno)));
    return std::unique_ptr<MappedFile>(new MappedFile(static_cast<const std::uint8_t *>(p), size));
}

MappedFile::~MappedFile()
{
    if (m_data)
        ::munmap(const_cast<std::uint8_t *>(m_data), m_size);
}

} // namespace quire::inference
