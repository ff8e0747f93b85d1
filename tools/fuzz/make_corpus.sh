#!/usr/bin/env bash
# make_corpus.sh BUILD_DIR [OUT]: writes the seed corpora of every fuzz target into OUT
# (default BUILD_DIR/tmp/fuzz-corpus/<target>): the project's own small model and network files,
# small files derived from ../shared (the Brian2 peers' networks shrunk, the Lava peer's file),
# IDX files cut from Fashion-MNIST, the hand-made seeds in tools/fuzz/seeds, and for the
# structured targets the h5_builder encodings of all of them. Nothing is written into the source tree.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
src="$(cd "$here/../.." && pwd)"
shared="$src/../shared"
build="$(cd "$1" && pwd)"
out="${2:-$build/tmp/fuzz-corpus}"
py=/usr/bin/python3
work="$out/.files"
rm -rf "$out"
mkdir -p "$work"

# Model and network files.
"$build/tools/fuzz/fuzz_make_seeds" "$work"
for f in ff cuba; do
  [ -f "$shared/peers/brian2/$f.h5" ] && "$py" "$here/shrink_brian2.py" "$shared/peers/brian2/$f.h5" "$work/brian2_$f.h5"
done
[ -f "$shared/peers/lava/lif_bitacc.h5" ] && cp "$shared/peers/lava/lif_bitacc.h5" "$work/lava_lif_bitacc.h5"

seed() {  # seed TARGET FILE...: raw copies
  mkdir -p "$out/$1"
  local t=$1
  shift
  for f in "$@"; do [ -f "$f" ] && cp "$f" "$out/$t/"; done
  return 0
}
h5_seeds() {  # h5_seeds NAME FILE...: raw copies for fuzz_NAME_raw, encodings for fuzz_NAME_struct
  local name=$1
  shift
  seed "fuzz_${name}_raw" "$@"
  mkdir -p "$out/fuzz_${name}_struct"
  for f in "$@"; do
    [ -f "$f" ] && "$build/tools/fuzz/fuzz_encode_h5" "$f" "$out/fuzz_${name}_struct/$(basename "$f").bin"
  done
  return 0
}
h5_seeds lmuformer "$work"/lmuformer_tiny*.h5 "$work/lava_lif_bitacc.h5"
h5_seeds nir "$work"/*.nir "$work/lmuformer_tiny.h5"
h5_seeds brian2 "$work"/brian2_*.h5 "$work/lava_lif_bitacc.h5"

# IDX: the first images and labels of Fashion-MNIST, plain and gzip-compressed; the target's
# first byte selects the reader options (fuzz_idx.cpp).
mkdir -p "$out/fuzz_idx"
"$py" - "$out/fuzz_idx" <<'PY'
import gzip, os, struct, sys
out = sys.argv[1]
d = "/usr/share/datasets/fashion-mnist"
def cut(name, count, mode):
    path = os.path.join(d, name)
    raw = gzip.open(path).read() if os.path.exists(path) else None
    if raw is None:
        return
    ndim = raw[3]
    dims = list(struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim]))
    item = 1
    for x in dims[1:]:
        item *= x
    body = raw[:4] + struct.pack(">I", count) + raw[8:4 + 4 * ndim] + raw[4 + 4 * ndim:4 + 4 * ndim + count * item]
    base = os.path.join(out, name.replace(".gz", ""))
    open(base + ".plain", "wb").write(bytes([mode]) + body)
    open(base + ".gz", "wb").write(bytes([mode]) + gzip.compress(body))
cut("t10k-images-idx3-ubyte.gz", 2, 1)
cut("t10k-labels-idx1-ubyte.gz", 5, 2)
PY
# Run reports (snnsim run --json) and TOML files (energy tables; chip files with first byte 1).
mkdir -p "$out/fuzz_run_report" "$out/fuzz_toml"
snnsim="${SNNSIM:-$build/tools/snnsim}"  # any build of snnsim (CI: the Release one)
if [ -x "$snnsim" ] && [ -d /usr/share/datasets/fashion-mnist ]; then
  "$snnsim" run --first 2 --threads 1 --per-sample --rasters 1 \
    --json "$out/fuzz_run_report/run2.json" >/dev/null
  # A neuromorphic backend's report also carries its core mapping (the mesh picture).
  "$snnsim" run --first 1 --threads 1 --backend loihi --json "$out/fuzz_run_report/run1_loihi.json" >/dev/null
fi
for f in "$src"/sim/energy_tables/*.toml; do
  { printf '\0'; cat "$f"; } > "$out/fuzz_toml/energy_$(basename "$f")"
done
for f in "$src"/hw_backends/loihi/chips/*.toml; do
  { printf '\1'; cat "$f"; } > "$out/fuzz_toml/chip_$(basename "$f")"
done
seed fuzz_experiment "$src"/models/experiment/examples/*.toml
[ -d "$here/seeds" ] && for d in "$here"/seeds/*/; do seed "$(basename "$d")" "$d"*; done
rm -rf "$work"
for d in "$out"/*/; do echo "$(basename "$d"): $(ls "$d" | wc -l) seeds"; done
