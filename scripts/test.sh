#!/bin/sh
# Sets up a fresh Debian machine, builds tensorc and runs every test: unit
# tests, lit/FileCheck tests, the fuzz smoke run. This is the command CI runs.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${TENSORC_BUILD_DIR:-$ROOT/build}
"$ROOT/scripts/setup.sh"
"$ROOT/scripts/build.sh"
cd "$BUILD"
ctest --output-on-failure -j2
