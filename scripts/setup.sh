#!/bin/sh
# Installs what tensorc needs on a Debian machine (bookworm with its security
# suite, which carries LLVM/MLIR 22). Idempotent: installs only what is
# missing. Needs root, or sudo.
set -eu

PACKAGES="cmake ninja-build clang-22 lld-22 llvm-22-dev llvm-22-tools \
  libmlir-22-dev mlir-22-tools libfmt-dev nlohmann-json3-dev libgtest-dev \
  python3 python3-torch python3-numpy dataset-fashion-mnist zlib1g-dev"

missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
    missing="$missing $p"
done
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
if [ -n "$missing" ]; then
  echo "setup: installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# Python's safetensors (no Debian package): the tests check that params files
# load in it and that its files load in tensorc. For Debian's python3, which
# has numpy and PyTorch.
if ! /usr/bin/python3 -c "import safetensors.numpy" 2>/dev/null; then
  echo "setup: installing safetensors (pip) for /usr/bin/python3"
  if ! dpkg-query -W -f='${Status}' python3-pip 2>/dev/null |
    grep -q "ok installed"; then
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends python3-pip >/dev/null
  fi
  $SUDO /usr/bin/python3 -m pip install -q --break-system-packages safetensors
fi
