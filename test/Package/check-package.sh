#!/bin/sh
# ctest `package`: installs tensorc into a temporary prefix, then builds two
# outside projects against it with find_package(tensorc):
#  - examples/embed (tensorc::tensorc) compiles examples/fashion_mlp.tdsl
#    in-process and classifies a batch: its logits must equal those of the
#    installed `tensorc run` on the same input and seed (which must match
#    the MLP computed here in float64 from `tensorc init`'s params), and its
#    second run must load the model from the compile cache;
#  - runtime-only/ (tensorc::runtime) runs the artifact that the installed
#    `tensorc --target=cpu -o` writes: it must link no MLIR or LLVM, and
#    agree too.
# usage: check-package.sh BUILD_DIR SOURCE_DIR CXX_COMPILER PYTHON [FLAGS]
# FLAGS (compile and link) build the outside projects as tensorc was built:
# the sanitizer build's libraries need the sanitizer runtimes linked in.
set -eu
BUILD=$1 SRC=$2 CXX=$3 PYTHON=$4 FLAGS=${5:-}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tensorc-package.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
PREFIX=$WORK/prefix
GENERATOR=
if command -v ninja >/dev/null 2>&1; then GENERATOR="-G Ninja"; fi
fail() { echo "check-package: $*" >&2; exit 1; }

cmake --install "$BUILD" --prefix "$PREFIX" >"$WORK/install.log"
for dir in embed:"$SRC/examples/embed" rt:"$SRC/test/Package/runtime-only"; do
  name=${dir%%:*} source=${dir#*:}
  # shellcheck disable=SC2086 # GENERATOR is two words or none
  cmake $GENERATOR -S "$source" -B "$WORK/$name" -DCMAKE_CXX_COMPILER="$CXX" \
    -DCMAKE_PREFIX_PATH="$PREFIX" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_FLAGS="$FLAGS" -DCMAKE_EXE_LINKER_FLAGS="$FLAGS" \
    >"$WORK/$name.log" 2>&1 || { cat "$WORK/$name.log"; fail "configuring $name"; }
  cmake --build "$WORK/$name" >>"$WORK/$name.log" 2>&1 ||
    { cat "$WORK/$name.log"; fail "building $name"; }
done

export TENSORC_CACHE_DIR="$WORK/cache"
unset TENSORC_NO_CACHE
SEED=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
echo "seed $SEED"
"$WORK/embed/embed" --images 16 --seed "$SEED" --device cpu \
  --save-input "$WORK/x.npy" --save-output "$WORK/y.npy" \
  >"$WORK/first.txt" 2>"$WORK/first.err" || { cat "$WORK/first.err"; fail "embed"; }
cat "$WORK/first.err" "$WORK/first.txt"
grep -q "(cache miss)" "$WORK/first.err" || fail "the first compile was not a cache miss"
"$WORK/embed/embed" --images 16 --seed "$SEED" --device cpu \
  >"$WORK/second.txt" 2>"$WORK/second.err" || { cat "$WORK/second.err"; fail "embed (again)"; }
cat "$WORK/second.err"
grep -q "(cache hit)" "$WORK/second.err" || fail "the second compile was not a cache hit"
cmp -s "$WORK/first.txt" "$WORK/second.txt" || fail "the cached model classified differently"

"$PREFIX/bin/tensorc" run "$SRC/examples/fashion_mlp.tdsl" --device cpu \
  --seed "$SEED" --input x="$WORK/x.npy" -o "$WORK/reference.npy"
"$PREFIX/bin/tensorc" init "$SRC/examples/fashion_mlp.tdsl" --seed "$SEED" \
  -o "$WORK/params.safetensors"
"$PREFIX/bin/tensorc" "$SRC/examples/fashion_mlp.tdsl" --target=cpu \
  -o "$WORK/mlp.so"
if readelf -d "$WORK/rt/load-and-run" | grep NEEDED | grep -qE "MLIR|LLVM|libtensorc"; then
  fail "the runtime-only program links more than the runtime"
fi
"$WORK/rt/load-and-run" "$WORK/mlp.so.json" "$WORK/x.npy" "$WORK/aot.npy" "$SEED"

"$PYTHON" - "$WORK" <<'PY'
import json, re, sys
import numpy as np
work = sys.argv[1]
x = np.load(f"{work}/x.npy")
ref = np.load(f"{work}/reference.npy")
assert x.shape == (16, 784) and x.min() >= 0 and x.max() <= 1 and x.std() > 0.1, x
assert ref.shape == (16, 10) and np.abs(ref).max() > 0, ref

# The MLP in float64 with the same params (safetensors read by hand: an
# 8-byte header length, a JSON header, the data): within 1e-4 of f32.
raw = open(f"{work}/params.safetensors", "rb").read()
n = int.from_bytes(raw[:8], "little")
header = json.loads(raw[8:8 + n])
p = {k: np.frombuffer(raw[8 + n + v["data_offsets"][0]:8 + n + v["data_offsets"][1]],
                      dtype=np.float32).reshape(v["shape"]).astype(np.float64)
     for k, v in header.items() if k != "__metadata__"}
h = np.maximum(x.astype(np.float64) @ p["w1"] + p["b1"], 0)
h = np.maximum(h @ p["w2"] + p["b2"], 0)
want = h @ p["w3"] + p["b3"]
err = np.abs(ref - want).max()
assert err <= 1e-4 * (1 + np.abs(want).max()), f"tensorc run vs float64: {err}"
for name in ("y", "aot"):
    y = np.load(f"{work}/{name}.npy")
    assert np.array_equal(y, ref), (name, np.abs(y - ref).max())
lines = open(f"{work}/first.txt").read().splitlines()
printed = [int(re.match(r"image (\d+): class (\d+) ", l).group(2)) for l in lines]
assert printed == list(ref.argmax(axis=1)), (printed, ref.argmax(axis=1))
print(f"package: embed and runtime-only equal tensorc run on {len(printed)} "
      f"images; tensorc run vs float64: max error {err:.2e}")
PY
