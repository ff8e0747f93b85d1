#!/usr/bin/env bash
# run_all.sh SECONDS [BUILD_DIR]: builds the libFuzzer configuration (clang-14, ASan+UBSan,
# -DSNNSIM_FUZZ=ON) in BUILD_DIR (default build-fuzz), writes the seed corpora and runs every fuzz
# target in turn for an equal share of SECONDS (CI: 60 s in all). Exits non-zero on the first
# crash, leak, sanitizer report, timeout or out-of-memory; the crashing input is left in
# BUILD_DIR/tmp/fuzz-findings. Environment: FUZZ_TARGETS (names, default all), FUZZ_JOBS (build
# parallelism, default 2), FUZZ_KEEP_CORPUS=1 (reuse BUILD_DIR/tmp/fuzz-work from a previous run),
# SNNSIM (an snnsim binary for the run-report seed, e.g. build/tools/snnsim; default BUILD_DIR's).
set -euo pipefail
seconds="${1:?usage: run_all.sh SECONDS [BUILD_DIR]}"
src="$(cd "$(dirname "$0")/../.." && pwd)"
build="${2:-$src/build-fuzz}"
targets=(${FUZZ_TARGETS:-fuzz_idx fuzz_lmuformer_raw fuzz_lmuformer_struct fuzz_nir_raw fuzz_nir_struct
  fuzz_brian2_raw fuzz_brian2_struct fuzz_experiment fuzz_run_report fuzz_toml})

cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
  -DCMAKE_CXX_COMPILER_LAUNCHER="$(command -v ccache || true)" \
  -DSNNSIM_FUZZ=ON -DSNNSIM_BUILD_TESTS=OFF -DSNNSIM_BUILD_BENCH=OFF -DSNNSIM_WITH_OPENMP=OFF >/dev/null
cmake --build "$build" -j"${FUZZ_JOBS:-2}" --target "${targets[@]}" fuzz_encode_h5 fuzz_make_seeds
"$src/tools/fuzz/make_corpus.sh" "$build" "$build/tmp/fuzz-corpus"

work="$build/tmp/fuzz-work"
findings="$build/tmp/fuzz-findings"
[ "${FUZZ_KEEP_CORPUS:-0}" = 1 ] || rm -rf "$work"
mkdir -p "$work" "$findings"
share=$(( seconds / ${#targets[@]} ))
[ "$share" -ge 1 ] || share=1
# A loader must refuse declared sizes above its limit (tools/fuzz/fuzz_support.hpp: 16 MiB) before
# allocating, so any single allocation above 64 MiB is a finding.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:allocator_may_return_null=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export SNNSIM_FUZZ_TMP="$build/tmp"
for t in "${targets[@]}"; do
  mkdir -p "$work/$t"
  dict=()
  [ -f "$src/tools/fuzz/dicts/$t.dict" ] && dict=(-dict="$src/tools/fuzz/dicts/$t.dict")
  echo "== $t (${share} s)"
  (cd "$findings" && "$build/tools/fuzz/$t" "$work/$t" "$build/tmp/fuzz-corpus/$t" "${dict[@]}" \
    -max_total_time="$share" -timeout=30 -rss_limit_mb=2048 -malloc_limit_mb=64 \
    -print_final_stats=1 -artifact_prefix="$findings/$t-" 2>&1 | grep -E "^(INFO: seed|#[0-9]+ *DONE|stat::number_of_executed_units|==[0-9]+==|SUMMARY|.*ERROR)" || true)
  if ls "$findings/$t-"* >/dev/null 2>&1; then
    echo "run_all.sh: $t found a problem: $(ls "$findings/$t-"*)" >&2
    exit 1
  fi
done
echo "run_all.sh: every target ran clean"
