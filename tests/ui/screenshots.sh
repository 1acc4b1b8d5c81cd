#!/bin/sh
# Saves a screenshot of each view of quire-gui: builds the sample library, then runs
# `quire-gui --screenshots`. Under Xvfb when xvfb-run is there and no platform is forced,
# otherwise on Qt's offscreen platform.
#   screenshots.sh QUIRE_GUI QUIRE_UI_SAMPLE SAMPLES_DIR OUT_DIR [QUIRE SAMPLE_PDF_DIR]
# With QUIRE the samples go through the real ingest pipeline (`quire ingest`, PDFs included); without
# it, or when that fails, quire-ui-sample stores them directly.
set -eu
gui=$1 sample=$2 samples=$3 out=$4 quire=${5:-} pdfs=${6:-}
mkdir -p "$out"
lib="$out/sample.quire"
rm -f "$lib" "$lib-wal" "$lib-shm"
if [ -n "$quire" ] && [ -x "$quire" ] && "$quire" init "$lib" >/dev/null &&
    "$quire" ingest "$lib" "$samples" ${pdfs:+"$pdfs"} >/dev/null 2>"$out/ingest.log"; then
    echo "screenshots.sh: sample library ingested with $quire"
    "$quire" analyze "$lib" >/dev/null 2>>"$out/ingest.log" || echo "screenshots.sh: analysis failed, see $out/ingest.log"
else
    rm -f "$lib" "$lib-wal" "$lib-shm"
    "$sample" "$lib" --samples "$samples"
fi
if [ -z "${QT_QPA_PLATFORM:-}" ] && command -v xvfb-run >/dev/null 2>&1; then
    xvfb-run -a -s "-screen 0 1600x1000x24" "$gui" --screenshots "$out" "$lib"
else
    QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen} "$gui" --screenshots "$out" "$lib"
fi
count=$(ls "$out"/*.png | wc -l)
echo "screenshots.sh: $count screenshots in $out"
[ "$count" -ge 8 ]
