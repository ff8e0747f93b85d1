#!/usr/bin/env bash
# Renders an snnsim HTML run report in Debian's headless Chromium and checks that every plot is
# present and drew something: the report's inline script measures each <svg class="plot"> after
# layout (number of drawn shapes, bounding box of its marks) into #render-check, which
# --dump-dom returns. Also takes a full-page screenshot (PNG) for a person to look at.
#
# Usage: tools/scripts/check_report_chromium.sh SNNSIM_BINARY [OUT_DIR]
#   Runs `snnsim run --first 256` (the golden images), `snnsim report` with the rasters of images
#   0 and 1, then Chromium. OUT_DIR (default: a new temporary folder) keeps run.json,
#   report.html, dom.html and report.png. Needs Debian's `chromium` package. Exit 0 when every
#   plot rendered, 1 otherwise.
set -euo pipefail
snnsim=${1:?usage: $0 SNNSIM_BINARY [OUT_DIR]}
out=${2:-$(mktemp -d)}
mkdir -p "$out"
out=$(cd "$out" && pwd)

"$snnsim" run --first 256 --threads 2 --rasters 2 --json "$out/run.json" > "$out/run.txt"
"$snnsim" report "$out/run.json" -o "$out/report.html" --raster-images 0,1 > /dev/null

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chromium_flags=(--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update
                --disable-sync --no-first-run --user-data-dir="$profile")
timeout 180 chromium "${chromium_flags[@]}" --dump-dom "file://$out/report.html" > "$out/dom.html" 2> "$out/chromium.log"
timeout 180 chromium "${chromium_flags[@]}" --hide-scrollbars --window-size=1500,9000 \
  --screenshot="$out/report.png" "file://$out/report.html" >> "$out/chromium.log" 2>&1

status=0
fail() { echo "check_report_chromium: $*" >&2; status=1; }

plots=(bars-spikes bars-synops bars-energy-0 bars-energy-1 lines-firing-rate lines-sparsity lines-synops raster-0 raster-1)
for plot in "${plots[@]}"; do
  # A line "<id> marks=N shapes=S size=WxH" written by the page's script after layout.
  line=$(grep -E "^(<pre id=\"render-check\">)?$plot marks=" "$out/dom.html" | sed 's/^<pre id="render-check">//' || true)
  if [[ -z "$line" ]]; then fail "$plot: not rendered (no render-check line)"; continue; fi
  if [[ ! "$line" =~ marks=([0-9]+)\ shapes=([0-9]+)\ size=([0-9]+)x([0-9]+) ]]; then fail "$plot: cannot read '$line'"; continue; fi
  marks=${BASH_REMATCH[1]} shapes=${BASH_REMATCH[2]} width=${BASH_REMATCH[3]} height=${BASH_REMATCH[4]}
  if (( marks == 0 || shapes == 0 || width == 0 || height == 0 )); then
    fail "$plot: empty (marks $marks, shapes $shapes, drawn ${width}x${height} px)"
  else
    echo "ok  $plot: $marks data marks in $shapes shapes, drawn ${width}x${height} px"
  fi
done

# Every table of the page made it into the DOM.
tables=$(grep -o "<table>" "$out/dom.html" | wc -l)
(( tables >= 6 )) || fail "expected at least 6 tables, found $tables"

# The screenshot: a PNG of the requested size with real content (a blank page compresses to a few kB).
if [[ ! -s "$out/report.png" ]]; then
  fail "no screenshot"
else
  read -r width height < <(od -An -tu1 -j16 -N8 "$out/report.png" |
    awk '{print $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8}')
  bytes=$(stat -c %s "$out/report.png")
  if (( width != 1500 || bytes < 100000 )); then fail "screenshot ${width}x${height}, $bytes bytes: blank?";
  else echo "ok  screenshot ${width}x${height} px, $bytes bytes: $out/report.png"; fi
fi

(( status == 0 )) && echo "check_report_chromium: every plot rendered in $(chromium --version 2>/dev/null || echo chromium)"
exit "$status"
