#!/bin/sh
# The main job: sets up the machine, builds tensorc and runs the example
# model. Training lands with the training issue; until then this compiles
# every example to a PTX artifact and runs its forward pass on a random batch
# (on the GPU when there is one, on the CPU otherwise).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${TENSORC_BUILD_DIR:-$ROOT/build}
"$ROOT/scripts/setup.sh"
"$ROOT/scripts/build.sh"
OUT="$BUILD/examples"
mkdir -p "$OUT"
python3 -c "import numpy" 2>/dev/null && PY=python3 || PY=/usr/bin/python3
"$PY" - "$OUT" <<'PY'
import sys, numpy as np
out, rng = sys.argv[1], np.random.default_rng(0)
np.save(f"{out}/x_mlp.npy", rng.standard_normal((8, 784), dtype=np.float32))
np.save(f"{out}/x_cnn.npy", rng.standard_normal((8, 1, 28, 28), dtype=np.float32))
np.save(f"{out}/idx.npy", rng.integers(0, 96, (2, 64)).astype(np.int32))
PY
for model in fashion_mlp fashion_cnn tiny_gpt; do
  "$BUILD/bin/tensorc" "$ROOT/examples/$model.tdsl"
  "$BUILD/bin/tensorc" "$ROOT/examples/$model.tdsl" -o "$OUT/$model.ptx"
  echo "  -> $OUT/$model.ptx ($(grep -c '\.entry ' "$OUT/$model.ptx") kernels) and $model.ptx.json"
  case $model in
    fashion_mlp) input="x=$OUT/x_mlp.npy" ;;
    fashion_cnn) input="x=$OUT/x_cnn.npy" ;;
    tiny_gpt) input="idx=$OUT/idx.npy" ;;
  esac
  "$BUILD/bin/tensorc" run "$ROOT/examples/$model.tdsl" --seed 1 \
    --input "$input" -o "$OUT/$model.forward.npy"
  "$PY" -c "import numpy as np; y = np.load('$OUT/$model.forward.npy'); print('  forward on a random batch:', y.shape, 'mean %.4f std %.4f' % (y.mean(), y.std()))"
done
