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
[ -z "$missing" ] && exit 0

echo "setup: installing$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
