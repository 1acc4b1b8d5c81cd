# cmake -DIN=x.spv -DOUT=x.cpp -DNAME=x -P EmbedSpirv.cmake
# Writes the SPIR-V words as an aligned uint32_t array (pCode must be 4-byte aligned).
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" n)
math(EXPR words "${n} / 8")
set(body "")
set(i 0)
while(i LESS n)
    # SPIR-V is little-endian: bytes b0 b1 b2 b3 form the word 0xb3b2b1b0.
    string(SUBSTRING "${hex}" ${i} 8 w)
    string(SUBSTRING "${w}" 0 2 b0)
    string(SUBSTRING "${w}" 2 2 b1)
    string(SUBSTRING "${w}" 4 2 b2)
    string(SUBSTRING "${w}" 6 2 b3)
    string(APPEND body "0x${b3}${b2}${b1}${b0},")
    math(EXPR i "${i} + 8")
    math(EXPR col "${i} % 64")
    if(col EQUAL 0)
        string(APPEND body "\n")
    endif()
endwhile()
file(WRITE ${OUT} "// Generated from ${NAME}.spv by cmake/EmbedSpirv.cmake.
#include <cstddef>
#include <cstdint>
namespace quire::shaders {
extern const std::uint32_t spv_${NAME}[];
extern const std::size_t spv_${NAME}_words;
alignas(4) const std::uint32_t spv_${NAME}[] = {
${body}};
const std::size_t spv_${NAME}_words = ${words};
} // namespace quire::shaders
")
