#!/usr/bin/env bash
# run_all.sh SECONDS [BUILD_DIR]: runs every fuzz target in turn for an equal share of SECONDS
# (CI: 60 s in all) from its seed corpus. BUILD_DIR (default build-fuzz) is configured as the
# libFuzzer configuration (clang-14, ASan+UBSan, -DSNNSIM_FUZZ=ON) unless it already is one, such as
# CI's sanitizer build; the targets and the seed corpora are built and written there. Exits
# non-zero on the first crash, leak, sanitizer report, timeout or out-of-memory; the input is left
# in BUILD_DIR/tmp/fuzz-findings. Environment: FUZZ_TARGETS (names, default all), FUZZ_RAW=0 (leave
# out the raw-byte HDF5 targets, which reach known libhdf5 crashes: see README.md; CI does),
# FUZZ_JOBS (build parallelism, default 2), FUZZ_KEEP_CORPUS=1 (reuse BUILD_DIR/tmp/fuzz-work from
# a previous run), SNNSIM (an snnsim binary for the run-report seeds, e.g. build/tools/snnsim;
# default BUILD_DIR's).
set -euo pipefail
seconds="${1:?usage: run_all.sh SECONDS [BUILD_DIR]}"
src="$(cd "$(dirname "$0")/../.." && pwd)"
build="${2:-$src/build-fuzz}"
# The targets that must run clean (CI runs these) and the raw-byte HDF5 ones (local runs).
clean=(fuzz_idx fuzz_lmuformer_struct fuzz_nir_struct fuzz_brian2_struct fuzz_experiment fuzz_run_report fuzz_toml)
raw=(fuzz_lmuformer_raw fuzz_nir_raw fuzz_brian2_raw)
all=("${clean[@]}")
[ "${FUZZ_RAW:-1}" = 0 ] || all+=("${raw[@]}")
targets=(${FUZZ_TARGETS:-${all[@]}})

if ! grep -qs '^SNNSIM_FUZZ:BOOL=ON$' "$build/CMakeCache.txt"; then
  cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
    -DCMAKE_CXX_COMPILER_LAUNCHER="$(command -v ccache || true)" \
    -DSNNSIM_FUZZ=ON -DSNNSIM_BUILD_TESTS=OFF -DSNNSIM_BUILD_BENCH=OFF -DSNNSIM_WITH_OPENMP=OFF >/dev/null
fi
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
  status=0
  (cd "$findings" && "$build/tools/fuzz/$t" "$work/$t" "$build/tmp/fuzz-corpus/$t" "${dict[@]}" \
    -max_total_time="$share" -timeout=30 -rss_limit_mb=2048 -malloc_limit_mb=64 \
    -print_final_stats=1 -artifact_prefix="$findings/$t-") > "$work/$t.log" 2>&1 || status=$?
  grep -E "^(INFO: seed|#[0-9]+ *DONE|stat::number_of_executed_units|==[0-9]+==|SUMMARY|.*ERROR)" "$work/$t.log" || true
  # A finding leaves an artifact; a target that could not start (or died otherwise) leaves a status.
  if [ "$status" != 0 ] || ls "$findings/$t-"* >/dev/null 2>&1; then
    tail -n 40 "$work/$t.log" >&2
    echo "run_all.sh: $t found a problem (exit status $status): $(ls "$findings/$t-"* 2>/dev/null)" >&2
    exit 1
  fi
done
echo "run_all.sh: every target ran clean"
