#!/usr/bin/env bash
# The main job on the bundled sample corpus: build a library, ingest, analyse, then open the GUI,
# or, with no display, print where the results are. Re-running skips what is already done.
set -euo pipefail
build=${1:-build/release}
lib=${2:-$build/sample.quire}
quire="$build/app/quire"
[ -f "$lib" ] || "$quire" init "$lib"
"$quire" ingest "$lib" resources/samples "$build/resources/samples"
"$quire" analyze "$lib"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ "${CI:-}" != "true" ]; then
    exec "$build/app/quire-gui" "$lib"
fi
report="$build/sample-report.html"
"$quire" report "$lib" --format html -o "$report"
"$quire" info "$lib"
echo
echo "No display found, so the GUI was not opened. Results:"
echo "  library   $(realpath "$lib")"
echo "  report    $(realpath "$report")"
echo "  search    $quire search $lib 'white whale'"
echo "  entities  $quire entities $lib --top 20"
echo "  GUI       $build/app/quire-gui $lib"
