#!/bin/sh
# Builds and runs one libFuzzer target (fuzz/<NAME>.cpp).
#
#   scripts/fuzz.sh --list              the targets
#   scripts/fuzz.sh NAME SECONDS [ARG...]
#
# Configures build-fuzz/ (or $TENSORC_FUZZ_BUILD_DIR) with clang-22 and
# -DTENSORC_ENABLE_FUZZERS=ON (libFuzzer, ASan, UBSan), builds only that
# target, and runs it for SECONDS on a scratch copy of fuzz/corpus/NAME with
# fuzz/NAME.dict when there is one. Extra ARGs go to libFuzzer (-runs=N,
# -seed=N, ...). Exits non-zero on a crash, a leak, a timeout or running out
# of memory; the input that did it is saved in build-fuzz/fuzz-out/NAME/.
# TENSORC_FUZZ_KEEP=DIR keeps the grown corpus in DIR; TENSORC_FUZZ_NO_BUILD=1
# runs the binary already built. Runs under `nice`:
# the build uses $TENSORC_FUZZ_JOBS (default 2) cores, the fuzzer one.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${TENSORC_FUZZ_BUILD_DIR:-$ROOT/build-fuzz}
LLVM=/usr/lib/llvm-22

# name, max input length, per-input timeout (s)
TARGETS="tdsl_frontend 20000 10
idx_reader 4096 10
safetensors_reader 8192 10
npy_reader 4096 10
manifest_loader 16384 10
compile_pipeline 4096 120"

usage() {
  echo "usage: $0 --list | NAME SECONDS [LIBFUZZER_ARG...]" >&2
  exit 2
}

[ $# -ge 1 ] || usage
if [ "$1" = "--list" ]; then
  echo "$TARGETS" | while read -r name _ _; do echo "$name"; done
  exit 0
fi
[ $# -ge 2 ] || usage
NAME=$1
SECONDS_=$2
shift 2
LINE=$(echo "$TARGETS" | awk -v n="$NAME" '$1 == n')
if [ -z "$LINE" ]; then
  echo "fuzz.sh: unknown target '$NAME' (scripts/fuzz.sh --list)" >&2
  exit 2
fi
MAX_LEN=$(echo "$LINE" | awk '{print $2}')
TIMEOUT=$(echo "$LINE" | awk '{print $3}')
BINARY=tensorc-fuzz-$(echo "$NAME" | tr _ -)

if [ ! -f "$BUILD/build.ninja" ]; then
  nice -n 19 cmake -G Ninja -S "$ROOT" -B "$BUILD" \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_FLAGS_RELEASE="-O1 -gline-tables-only -DNDEBUG" \
    -DCMAKE_C_FLAGS_RELEASE="-O1 -gline-tables-only -DNDEBUG" \
    -DCMAKE_C_COMPILER=$LLVM/bin/clang \
    -DCMAKE_CXX_COMPILER=$LLVM/bin/clang++ \
    -DCMAKE_EXE_LINKER_FLAGS=-fuse-ld=lld \
    -DCMAKE_SHARED_LINKER_FLAGS=-fuse-ld=lld \
    -DMLIR_DIR=$LLVM/lib/cmake/mlir \
    -DLLVM_EXTERNAL_LIT=$LLVM/bin/lit \
    -DTENSORC_ENABLE_FUZZERS=ON >/dev/null
fi
# TENSORC_FUZZ_NO_BUILD=1 runs the binary as it is (a tree that others
# keep changing would otherwise rebuild the compiler before every run).
if [ -z "${TENSORC_FUZZ_NO_BUILD:-}" ] || [ ! -x "$BUILD/bin/$BINARY" ]; then
  nice -n 19 ninja -C "$BUILD" -j"${TENSORC_FUZZ_JOBS:-2}" "$BINARY"
fi

CORPUS=$(mktemp -d "${TMPDIR:-/tmp}/tensorc-fuzz-$NAME.XXXXXX")
trap 'rm -rf "$CORPUS"' EXIT
cp "$ROOT/fuzz/corpus/$NAME/"* "$CORPUS/"
OUT="$BUILD/fuzz-out/$NAME"
mkdir -p "$OUT"
DICT_NAME=$NAME
[ "$NAME" = compile_pipeline ] && DICT_NAME=tdsl_frontend # the same language
DICT=""
[ -f "$ROOT/fuzz/$DICT_NAME.dict" ] && DICT="-dict=$ROOT/fuzz/$DICT_NAME.dict"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
status=0
# shellcheck disable=SC2086
nice -n 19 "$BUILD/bin/$BINARY" $DICT -max_len="$MAX_LEN" \
  -timeout="$TIMEOUT" -rss_limit_mb=4096 -max_total_time="$SECONDS_" \
  -print_final_stats=1 -artifact_prefix="$OUT/" "$@" "$CORPUS" || status=$?
if [ -n "${TENSORC_FUZZ_KEEP:-}" ]; then
  mkdir -p "$TENSORC_FUZZ_KEEP"
  cp "$CORPUS/"* "$TENSORC_FUZZ_KEEP/"
fi
if [ "$status" -ne 0 ]; then
  echo "fuzz.sh: $NAME failed (exit $status); inputs in $OUT/" >&2
fi
exit "$status"
