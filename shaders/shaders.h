#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace quire::shaders
{

// A compute shader compiled to SPIR-V at build time (see shaders/CMakeLists.txt).
struct Shader {
    std::string_view name; // pipeline name, e.g. "mul_mat_q4_k"
    const std::uint32_t *code;
    std::size_t words;
};

std::span<const Shader> all();
const Shader *find(std::string_view name);

} // namespace quire::shaders
