#!/bin/sh
# Builds the tokenizer fuzzer with clang (libFuzzer + ASan + UBSan) and runs it for a bounded time.
# Usage: run_tokenizerfuzz.sh SOURCE_DIR WORK_DIR [SECONDS]
set -eu
SRC=$1
WORK=$2
SECONDS_TO_RUN=${3:-20}
CXX=${QUIRE_FUZZ_CXX:-clang++-14}
mkdir -p "$WORK/corpus" "$WORK/obj"

# clang 14 cannot compile libstdc++ 12's <expected>; expectedshim.h stands in for it in this build only.
FLAGS="-std=c++2b -O1 -g -fno-omit-frame-pointer -include $SRC/tests/fuzz/expectedshim.h -I$SRC"
FLAGS="$FLAGS -DQUIRE_TEST_DATA=\"$SRC/tests/data\""
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
SOURCES="inference/tokenizer.cpp inference/tokenizerdecode.cpp inference/vocab.cpp inference/vocabgguf.cpp
inference/spmtokenizer.cpp inference/bpetokenizer.cpp inference/wpmtokenizer.cpp inference/pretokenizer.cpp
inference/tokenizerunicode.cpp inference/gguffile.cpp inference/ggufvalue.cpp inference/ggmltype.cpp
inference/mappedfile.cpp util/error.cpp tests/fuzz/tokenizerfuzz.cpp"

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
$CXX $SAN -fsanitize=fuzzer $objs $(pkg-config --libs icu-uc icu-i18n) -o "$WORK/tokenizerfuzz"

# Seeds: llama.cpp's tokenizer test strings.
for f in "$SRC"/tests/data/vocab/*.inp; do
    cp "$f" "$WORK/corpus/$(basename "$f")"
done
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
    "$WORK/tokenizerfuzz" -max_total_time="$SECONDS_TO_RUN" -max_len=4096 -rss_limit_mb=2048 \
    -timeout=10 -print_final_stats=1 "$WORK/corpus"
