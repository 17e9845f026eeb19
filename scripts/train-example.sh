#!/bin/sh
# The main job: sets up the machine, builds tensorc and trains the example
# model (examples/fashion_mlp.tdsl) on Fashion-MNIST, on the GPU when there is
# one and on the CPU otherwise. Arguments go to `tensorc train` (defaults:
# --epochs 10 --batch 64); the run writes build/train/{mlp.safetensors,
# mlp.jsonl,mlp.svg}. TENSORC_EXAMPLE=fashion_cnn trains the CNN instead.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${TENSORC_BUILD_DIR:-$ROOT/build}
MODEL=${TENSORC_EXAMPLE:-fashion_mlp}
"$ROOT/scripts/setup.sh"
"$ROOT/scripts/build.sh"
OUT="$BUILD/train"
mkdir -p "$OUT"
rm -f "$OUT/$MODEL.jsonl"
if [ $# -eq 0 ]; then set -- --epochs 10 --batch 64; fi
exec "$BUILD/bin/tensorc" train "$ROOT/examples/$MODEL.tdsl" \
  --data fashion-mnist --seed 1 --save "$OUT/$MODEL.safetensors" \
  --metrics "$OUT/$MODEL.jsonl" --plot "$OUT/$MODEL.svg" "$@"
