#!/bin/sh
# Saves a screenshot of each view of quire-gui: builds the sample library, then runs
# `quire-gui --screenshots`. Under Xvfb when xvfb-run is there and no platform is forced,
# otherwise on Qt's offscreen platform.
#   screenshots.sh QUIRE_GUI QUIRE_UI_SAMPLE SAMPLES_DIR OUT_DIR
set -eu
gui=$1 sample=$2 samples=$3 out=$4
mkdir -p "$out"
"$sample" "$out/sample.quire" --samples "$samples"
if [ -z "${QT_QPA_PLATFORM:-}" ] && command -v xvfb-run >/dev/null 2>&1; then
    xvfb-run -a -s "-screen 0 1600x1000x24" "$gui" --screenshots "$out" "$out/sample.quire"
else
    QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen} "$gui" --screenshots "$out" "$out/sample.quire"
fi
count=$(ls "$out"/*.png | wc -l)
echo "screenshots.sh: $count screenshots in $out"
[ "$count" -ge 8 ]
