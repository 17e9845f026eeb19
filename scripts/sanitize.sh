#!/bin/sh
# Builds tensorc with AddressSanitizer + UndefinedBehaviorSanitizer (and
# LeakSanitizer, which ASan runs at exit) into build-asan/ (or
# $TENSORC_ASAN_BUILD_DIR) and runs the test suite there.
#
#   scripts/sanitize.sh                  everything: the compiler, the runtime,
#                                        every unit, lit and smoke test
#   scripts/sanitize.sh --runtime-only   runtime/ alone (no LLVM needed) with
#                                        its unit tests and the CUDA path on
#                                        the fake driver, fault injection
#                                        included: minutes, not an hour
#
# Extra arguments go to ctest (-R NAME, -V, ...). Not part of CI: the whole
# compiler under ASan takes about an hour to build on 2 cores
# (docs/reliability.md). Runs under `nice`, with $TENSORC_ASAN_JOBS (default
# 2) build jobs.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${TENSORC_ASAN_BUILD_DIR:-$ROOT/build-asan}
LLVM=/usr/lib/llvm-22

RUNTIME_ONLY=OFF
if [ "${1:-}" = "--runtime-only" ]; then
  RUNTIME_ONLY=ON
  BUILD=${TENSORC_ASAN_BUILD_DIR:-$ROOT/build-asan-runtime}
  shift
fi

# The sanitizers' runtime libraries (not in scripts/setup.sh: only this
# build needs them).
"$ROOT/scripts/setup.sh"
if ! dpkg-query -W -f='${Status}' libclang-rt-22-dev 2>/dev/null |
  grep -q "ok installed"; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "sanitize: installing libclang-rt-22-dev"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
    --no-install-recommends libclang-rt-22-dev >/dev/null
fi

if [ ! -f "$BUILD/build.ninja" ]; then
  nice -n 19 cmake -G Ninja -S "$ROOT" -B "$BUILD" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" \
    -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" \
    -DCMAKE_C_COMPILER=$LLVM/bin/clang \
    -DCMAKE_CXX_COMPILER=$LLVM/bin/clang++ \
    -DCMAKE_EXE_LINKER_FLAGS=-fuse-ld=lld \
    -DCMAKE_SHARED_LINKER_FLAGS=-fuse-ld=lld \
    -DMLIR_DIR=$LLVM/lib/cmake/mlir \
    -DLLVM_EXTERNAL_LIT=$LLVM/bin/lit \
    -DTENSORC_ENABLE_SANITIZERS=ON \
    -DTENSORC_RUNTIME_ONLY=$RUNTIME_ONLY >/dev/null
fi
nice -n 19 ninja -C "$BUILD" -j"${TENSORC_ASAN_JOBS:-2}"

# Leaks fail a test; so does any UB report. Python (the safetensors and
# numerics cross-checks) is not instrumented and needs no ASan runtime.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
cd "$BUILD"
nice -n 19 ctest --output-on-failure -j"${TENSORC_ASAN_JOBS:-2}" "$@"
