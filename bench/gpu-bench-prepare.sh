#!/bin/sh
# Prepares bench/gpu-bench.sh (run here, on a machine with the compiler; no
# GPU needed): compiles the workloads of bench/workloads/ and the examples to
# PTX, records each cold compile time, draws the training batches and runs
# ten optimizer steps of each training workload on the CPU backend, whose
# losses the GPU steps must reproduce. Writes DIR (default .gpu-bench/).
#   bench/gpu-bench-prepare.sh [DIR]
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${TENSORC_BUILD_DIR:-$ROOT/build}/bin
DIR=${1:-$ROOT/.gpu-bench}
SEED=7
rm -rf "$DIR"
mkdir -p "$DIR"
for PY in ${PYTHON:-} python3 /usr/bin/python3; do
  "$PY" -c "import numpy" 2>/dev/null && break
done

compile() { # NAME SOURCE [ARGS...]: NAME.ptx, and its compile time
  name=$1 src=$2
  shift 2
  /usr/bin/time -f "$name %e %M" -a -o "$DIR/compile-times.txt" \
    "$BIN/tensorc" "$src" "$@" -o "$DIR/$name.ptx"
}
for f in "$ROOT"/bench/workloads/*.tdsl; do
  compile "$(basename "$f" .tdsl)" "$f"
done
compile matmul_f16.nvrtc "$ROOT/bench/workloads/matmul_f16.tdsl" --backend=nvrtc

# Training workloads: model, batch, precision (--precision: f32, or mixed
# bf16/f16). Batches are fixed so that the CPU and the GPU take the same
# steps.
cat > "$DIR/train-cases.txt" <<CASES
fashion_mlp 128 f32
fashion_mlp 1024 f32
fashion_cnn 128 f32
tiny_gpt 32 f32
fashion_mlp 128 bf16
fashion_mlp 1024 bf16
fashion_mlp 1024 f16
fashion_cnn 128 bf16
tiny_gpt 32 bf16
CASES
"$PY" - "$DIR" <<'PY'
import sys, numpy as np
d = sys.argv[1]
rng = np.random.default_rng()
for b in (128, 1024):
    np.save(f"{d}/fashion_mlp_{b}_x.npy", rng.standard_normal((b, 784)).astype(np.float32))
    np.save(f"{d}/fashion_mlp_{b}_y.npy", rng.integers(0, 10, b).astype(np.int32))
np.save(f"{d}/fashion_cnn_128_x.npy", rng.standard_normal((128, 1, 28, 28)).astype(np.float32))
np.save(f"{d}/fashion_cnn_128_y.npy", rng.integers(0, 10, 128).astype(np.int32))
np.save(f"{d}/tiny_gpt_32_idx.npy", rng.integers(0, 96, (32, 64)).astype(np.int32))
np.save(f"{d}/tiny_gpt_32_targets.npy", rng.integers(0, 96, (32, 64)).astype(np.int32))
PY
while read -r model b precision; do
  # f32 artifacts keep the model's name; mixed ones are MODEL.PRECISION.
  name=$model
  [ "$precision" = f32 ] || name=$model.$precision
  [ -f "$DIR/$name.ptx" ] ||
    compile "$name" "$ROOT/examples/$model.tdsl" --precision="$precision"
  [ -f "$DIR/$name.so" ] ||
    "$BIN/tensorc" "$ROOT/examples/$model.tdsl" --target=cpu \
      --precision="$precision" -o "$DIR/$name.so"
  inputs=""
  for f in "$DIR/${model}_${b}"_*.npy; do
    n=$(basename "$f" .npy | sed "s/^${model}_${b}_//")
    inputs="$inputs --input $n=$f"
  done
  # shellcheck disable=SC2086
  "$BIN/tensorc-bench" "$DIR/$name.so.json" --entry train_step --seed $SEED \
    $inputs --train-steps 10 --losses "$DIR/cpu_losses_${name}_$b.npy" \
    > "$DIR/cpu_${name}_$b.json"
done < "$DIR/train-cases.txt"
git -C "$ROOT" rev-parse --short HEAD > "$DIR/commit.txt"
echo "gpu-bench-prepare: wrote $DIR ($(ls "$DIR" | wc -l) files)"
