#!/bin/sh
# Prepares a GPU check (run on a machine with the compiler, no GPU needed):
# compiles every example to PTX with both backends (and, as MODEL.bf16 and
# MODEL.f16, with --precision: tensor-core products), draws fresh random
# inputs, and computes reference outputs on the CPU backend with the same
# parameters (initializers with --seed 7 give the same values on every
# device). Writes everything to DIR (default .gpu/) for scripts/gpu-check.sh.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${TENSORC_BUILD_DIR:-$ROOT/build}/bin
DIR=${1:-$ROOT/.gpu}
SEED=7
rm -rf "$DIR"
mkdir -p "$DIR"
# A Python with numpy (the first that has it).
for PY in ${PYTHON:-} python3 /usr/bin/python3; do
  "$PY" -c "import numpy" 2>/dev/null && break
done

# Inputs: model, entry, then NAME=SPEC pairs (f32:SHAPE or int:HIGH:SHAPE).
"$PY" - "$DIR" <<'PY'
import sys, numpy as np
d = sys.argv[1]
rng = np.random.default_rng()
def f32(*s): return rng.standard_normal(s).astype(np.float32)
def ints(high, *s): return rng.integers(0, high, s).astype(np.int32)
for b in (1, 5, 64):
    np.save(f"{d}/mlp_x_{b}.npy", f32(b, 784))
    np.save(f"{d}/mlp_y_{b}.npy", ints(10, b))
    np.save(f"{d}/cnn_x_{b}.npy", f32(b, 1, 28, 28))
    np.save(f"{d}/cnn_y_{b}.npy", ints(10, b))
    np.save(f"{d}/gpt_idx_{b}.npy", ints(96, b, 64))
    np.save(f"{d}/gpt_targets_{b}.npy", ints(96, b, 64))
PY

: > "$DIR/cases.txt"
case_line() { echo "$*" >> "$DIR/cases.txt"; }
for model in mlp cnn gpt mlp.bf16 mlp.f16 cnn.bf16 gpt.bf16; do
  base=${model%%.*}
  precision=f32
  [ "$base" = "$model" ] || precision=${model#*.}
  case $base in
    mlp) src=fashion_mlp; fwd="x"; loss="x y" ;;
    cnn) src=fashion_cnn; fwd="x"; loss="x y" ;;
    gpt) src=tiny_gpt; fwd="idx"; loss="idx targets" ;;
  esac
  for backend in nvptx nvrtc; do
    "$BIN/tensorc" "$ROOT/examples/$src.tdsl" --backend=$backend \
      --precision=$precision -o "$DIR/$model.$backend.ptx"
  done
  for b in 1 5 64; do
    for entry in forward loss; do
      names=$fwd; [ $entry = loss ] && names=$loss
      args=""
      for n in $names; do args="$args --input $n=@DIR@/${base}_${n}_$b.npy"; done
      # shellcheck disable=SC2086
      "$BIN/tensorc" run "$ROOT/examples/$src.tdsl" --device cpu --seed $SEED \
        --precision=$precision --entry $entry \
        $(echo "$args" | sed "s|@DIR@|$DIR|g") \
        -o "$DIR/ref_${model}_${entry}_$b.npy"
      case_line "$model $entry $b $args"
    done
  done
done
echo "gpu-artifacts: wrote $(wc -l < "$DIR/cases.txt") cases to $DIR"
