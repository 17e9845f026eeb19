#!/bin/sh
# The main job: sets up the machine, builds tensorc and runs the example
# model. Training lands with the training issue; until then this compiles
# every example to the tc dialect and prints what it did.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${TENSORC_BUILD_DIR:-$ROOT/build}
"$ROOT/scripts/setup.sh"
"$ROOT/scripts/build.sh"
OUT="$BUILD/examples"
mkdir -p "$OUT"
for model in "$ROOT"/examples/*.tdsl; do
  name=$(basename "$model" .tdsl)
  "$BUILD/bin/tensorc" "$model"
  "$BUILD/bin/tensorc" "$model" --emit=tc -o "$OUT/$name.tc.mlir"
  echo "  -> $OUT/$name.tc.mlir ($(grep -c '^ *%' "$OUT/$name.tc.mlir") tc values)"
done
