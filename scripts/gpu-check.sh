#!/bin/sh
# Runs on a GPU machine (CMake, ninja, a CUDA driver; no LLVM needed) over
# what scripts/gpu-artifacts.sh prepared: builds the runtime alone, runs its
# GPU test, runs every example's forward and loss on the GPU with both
# backends and compares with the CPU backend's outputs, runs the kernels
# under compute-sanitizer (memcheck everywhere, racecheck on the kernels
# with block reductions), and prints a table last. Logs go to $OUT (or
# DIR/logs). Exit status 1 if anything failed.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${1:-$ROOT/.gpu}
LOGS=${OUT:-$DIR/logs}
BUILD=${TENSORC_GPU_BUILD_DIR:-$ROOT/build-gpu}
SEED=7
TOL=${TENSORC_GPU_TOL:-1e-4}
# Mixed precision (MODEL.bf16, MODEL.f16): tensor cores sum in another order
# than the CPU, which can round a 16-bit product one unit the other way.
TOL16=${TENSORC_GPU_TOL16:-2e-2}
mkdir -p "$LOGS"
# A Python with numpy (the first that has it).
for PY in ${PYTHON:-} python3 /usr/bin/python3; do
  "$PY" -c "import numpy" 2>/dev/null && break
done
SANITIZER=$(command -v compute-sanitizer || echo /usr/local/cuda/bin/compute-sanitizer)

cmake -G Ninja -S "$ROOT" -B "$BUILD" -DTENSORC_RUNTIME_ONLY=ON \
  -DCMAKE_BUILD_TYPE=Release > "$LOGS/cmake.log" 2>&1 &&
  ninja -C "$BUILD" > "$LOGS/build.log" 2>&1 ||
  { echo "gpu-check: the runtime did not build (see $LOGS/build.log)"; tail -20 "$LOGS/build.log"; exit 1; }
RT="$BUILD/bin/tensorc-rt"

failures=0
table="$LOGS/table.txt"
printf '%-8s %-8s %-3s %-6s %-12s %s\n' model entry B backend max_rel_err result > "$table"

nvidia-smi --query-gpu=name,driver_version --format=csv,noheader > "$LOGS/device.txt" 2>&1
"$BUILD/unittests/RuntimeGpuTest" > "$LOGS/runtime-gpu-test.log" 2>&1
status=$?
[ $status -eq 0 ] && rt=ok || { rt="FAILED($status)"; failures=$((failures+1)); }
printf '%-8s %-8s %-3s %-6s %-12s %s\n' runtime gputest - - - "$rt" >> "$table"

while read -r model entry b args; do
  args=$(echo "$args" | sed "s|@DIR@|$DIR|g")
  tol=$TOL
  case $model in *.*) tol=$TOL16 ;; esac
  for backend in nvptx nvrtc; do
    out="$DIR/gpu_${model}_${entry}_${b}_$backend.npy"
    # shellcheck disable=SC2086
    if "$RT" "$DIR/$model.$backend.ptx.json" --device cuda --seed $SEED \
        --entry "$entry" $args -o "$out" > "$LOGS/run_${model}_${entry}_${b}_$backend.log" 2>&1; then
      err=$("$PY" -c "
import numpy as np, sys
a = np.load('$out').astype(np.float64); r = np.load('$DIR/ref_${model}_${entry}_$b.npy').astype(np.float64)
print('%.3g' % (np.abs(a - r).max() / max(np.abs(r).max(), 1.0)) if a.shape == r.shape else 'shape')")
      ok=$("$PY" -c "print('ok' if '$err' != 'shape' and float('$err') <= $tol else 'MISMATCH')")
    else
      err=-; ok="RUN-FAILED"
    fi
    [ "$ok" = ok ] || failures=$((failures+1))
    printf '%-8s %-8s %-3s %-6s %-12s %s\n' "$model" "$entry" "$b" "$backend" "$err" "$ok" >> "$table"
  done
done < "$DIR/cases.txt"

# compute-sanitizer: memcheck on every model's loss (it runs the most
# kernels), racecheck where blocks reduce through shared memory.
for model in mlp cnn gpt mlp.bf16; do
  line=$(grep "^$model loss 5 " "$DIR/cases.txt")
  args=$(echo "$line" | cut -d' ' -f4- | sed "s|@DIR@|$DIR|g")
  for tool in memcheck racecheck; do
    [ $tool = racecheck ] && [ $model = cnn ] && continue
    # shellcheck disable=SC2086
    "$SANITIZER" --tool $tool --error-exitcode 9 "$RT" "$DIR/$model.nvptx.ptx.json" \
      --device cuda --seed $SEED --entry loss $args > "$LOGS/sanitizer_${tool}_$model.log" 2>&1
    s=$?
    [ $s -eq 0 ] && r=clean || { r="ERRORS($s)"; failures=$((failures+1)); }
    printf '%-8s %-8s %-3s %-6s %-12s %s\n' "$model" "loss" 5 "$tool" - "$r" >> "$table"
  done
done

echo
echo "device: $(cat "$LOGS/device.txt")"
cat "$table"
echo "gpu-check: $failures failure(s); logs in $LOGS"
[ $failures -eq 0 ]
