#!/bin/sh
# Builds the GGUF reader fuzzer with clang (libFuzzer + ASan + UBSan) and runs it for a bounded time on the
# seed GGUFs in tests/data/gguf (small files written by GgufWriter: every value type, several tensor types
# and alignments). Usage: run_ggufreaderfuzz.sh SOURCE_DIR WORK_DIR [SECONDS]
set -eu
SRC=$1
WORK=$2
SECONDS_TO_RUN=${3:-20}
CXX=${QUIRE_FUZZ_CXX:-clang++-14}
mkdir -p "$WORK/corpus" "$WORK/obj"

# clang 14 cannot compile libstdc++ 12's <expected>; expectedshim.h stands in for it in this build only.
FLAGS="-std=c++2b -O1 -g -fno-omit-frame-pointer -include $SRC/tests/fuzz/expectedshim.h -I$SRC"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
SOURCES="inference/gguffile.cpp inference/ggufvalue.cpp inference/ggmltype.cpp inference/mappedfile.cpp util/error.cpp tests/fuzz/ggufreaderfuzz.cpp"

# Compile each source in parallel, only when it (or any header) changed since the last build.
pids=""
objs=""
for s in $SOURCES; do
    o="$WORK/obj/$(echo "$s" | tr / _).o"
    objs="$objs $o"
    if [ ! -f "$o" ] || [ "$SRC/$s" -nt "$o" ] || [ -n "$(find "$SRC/inference" "$SRC/util" "$SRC/tests/fuzz" -name '*.h' -newer "$o" | head -1)" ]; then
        $CXX $FLAGS $SAN -fsanitize=fuzzer-no-link -c "$SRC/$s" -o "$o" &
        pids="$pids $!"
    fi
done
for p in $pids; do wait "$p"; done
$CXX $SAN -fsanitize=fuzzer $objs -o "$WORK/ggufreaderfuzz"

UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
    "$WORK/ggufreaderfuzz" -max_total_time="$SECONDS_TO_RUN" -max_len=16384 -rss_limit_mb=2048 \
    -timeout=10 -print_final_stats=1 "$WORK/corpus" "$SRC/tests/data/gguf"
