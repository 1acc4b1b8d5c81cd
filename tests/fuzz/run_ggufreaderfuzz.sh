#!/bin/sh
# Builds the GGUF reader fuzzer with clang (libFuzzer + ASan + UBSan) and runs it for a bounded time.
# Usage: run_ggufreaderfuzz.sh SOURCE_DIR WORK_DIR [SECONDS]
set -eu
SRC=$1
WORK=$2
SECONDS_TO_RUN=${3:-20}
CXX=${QUIRE_FUZZ_CXX:-clang++-14}
mkdir -p "$WORK/corpus" "$WORK/seeds"

# clang 14 cannot compile libstdc++ 12's <expected>; expectedshim.h stands in for it in this build only.
FLAGS="-std=c++2b -O1 -g -fno-omit-frame-pointer -include $SRC/tests/fuzz/expectedshim.h -I$SRC"
LIB="$SRC/inference/gguffile.cpp $SRC/inference/ggufvalue.cpp $SRC/inference/ggmltype.cpp $SRC/inference/mappedfile.cpp $SRC/util/error.cpp"

newer() { # true when $1 is missing or older than any of the sources
    [ ! -f "$1" ] && return 0
    for f in $LIB $SRC/inference/*.h $SRC/tests/fuzz/*.cpp; do
        [ "$f" -nt "$1" ] && return 0
    done
    return 1
}

if newer "$WORK/ggufreaderfuzz"; then
    $CXX $FLAGS -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
        $LIB "$SRC/tests/fuzz/ggufreaderfuzz.cpp" -o "$WORK/ggufreaderfuzz"
fi
if newer "$WORK/ggufseeds"; then
    $CXX $FLAGS $LIB "$SRC/inference/ggufwriter.cpp" "$SRC/tests/fuzz/ggufseeds.cpp" -o "$WORK/ggufseeds"
fi
"$WORK/ggufseeds" "$WORK/seeds"
# Real llama.cpp files make good seeds too when the reference pack is present (vocab files are small).
for f in "$SRC/../shared/reference/real/stories260K.gguf"; do
    [ -f "$f" ] && cp "$f" "$WORK/seeds/" || true
done

UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
    "$WORK/ggufreaderfuzz" -max_total_time="$SECONDS_TO_RUN" -max_len=65536 -rss_limit_mb=2048 \
    -timeout=10 -print_final_stats=1 "$WORK/corpus" "$WORK/seeds"
