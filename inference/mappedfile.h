#pragma once

#include "util/error.h"

#include <cstdint>
#include <memory>
#include <span>
#include <string>

namespace quire::inference
{

// A whole file mapped read-only into memory; unmapped when destroyed.
class MappedFile
{
public:
    static Expected<std::unique_ptr<MappedFile>> open(const std::string &path);
    ~MappedFile();
    MappedFile(const MappedFile &) = delete;
    MappedFile &operator=(const MappedFile &) = delete;

    std::span<const std::uint8_t> bytes() const { return { m_data, m_size }; }

private:
    MappedFile(const std::uint8_t *data, std::size_t size)
        : m_data(data)
        , m_size(size)
    {
    }

    const std::uint8_t *m_data = nullptr;
    std::size_t m_size = 0;
};

} // namespace quire::inference
