#!/bin/sh
# Runs on the GPU machine (CMake, ninja, a CUDA driver, PyTorch; no LLVM):
# builds the runtime alone with tensorc-bench, then bench/gpu_bench.py over
# what bench/gpu-bench-prepare.sh made. Extra arguments go to gpu_bench.py
# (--only REGEX, --peers LIST). Results and logs go to $OUT (or DIR/results).
#   bench/gpu-bench.sh [DIR] [gpu_bench.py options]
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${1:-$ROOT/.gpu-bench}
[ $# -gt 0 ] && shift
RESULTS=${OUT:-$DIR/results}
BUILD=${TENSORC_GPU_BUILD_DIR:-$ROOT/build-gpu}
mkdir -p "$RESULTS"
cmake -G Ninja -S "$ROOT" -B "$BUILD" -DTENSORC_RUNTIME_ONLY=ON \
  -DCMAKE_BUILD_TYPE=Release > "$RESULTS/cmake.log" 2>&1 &&
  ninja -C "$BUILD" tensorc-bench > "$RESULTS/build.log" 2>&1 ||
  { echo "gpu-bench: the runtime did not build"; tail -20 "$RESULTS/build.log"; exit 1; }
nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.mem,temperature.gpu \
  --format=csv > "$RESULTS/device.txt" 2>&1 || true
PYTHONUNBUFFERED=1 python3 "$ROOT/bench/gpu_bench.py" --artifacts "$DIR" \
  --bench "$BUILD/bin/tensorc-bench" --out "$RESULTS" "$@"
