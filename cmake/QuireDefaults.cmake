# Warnings and defaults for every target of ours (not for third-party code).
function(quire_defaults target)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-missing-field-initializers)
    target_compile_definitions(${target} PRIVATE QT_NO_KEYWORDS_FOR_SLOTS QT_USE_QSTRINGBUILDER QT_NO_CAST_FROM_BYTEARRAY)
endfunction()

# quire_add_test(NAME <name> SOURCES <files...> LIBS <targets...> [LABELS <labels...>] [GUI])
# One Qt Test executable per class; GUI tests run on the offscreen platform.
function(quire_add_test)
    cmake_parse_arguments(T "GUI" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
    add_executable(${T_NAME} ${T_SOURCES})
    target_link_libraries(${T_NAME} PRIVATE Qt6::Test ${T_LIBS})
    target_compile_definitions(${T_NAME} PRIVATE
        QUIRE_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
        QUIRE_TEST_DATA="${PROJECT_SOURCE_DIR}/tests/data"
        QUIRE_SHARED_DIR="${PROJECT_SOURCE_DIR}/../shared")
    quire_defaults(${T_NAME})
    add_test(NAME ${T_NAME} COMMAND ${T_NAME})
    set(env "QT_QPA_PLATFORM=offscreen")
    if(NOT T_TIMEOUT)
        set(T_TIMEOUT 300)
    endif()
    set_tests_properties(${T_NAME} PROPERTIES ENVIRONMENT "${env}" TIMEOUT ${T_TIMEOUT})
    if(T_LABELS)
        set_tests_properties(${T_NAME} PROPERTIES LABELS "${T_LABELS}")
    endif()
endfunction()
