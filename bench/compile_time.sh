#!/bin/sh
# Compile latency and peak memory of `tensorc MODEL -o OUT` for every example
# and backend: each a fresh process ("cold": nothing cached between runs),
# N runs, the median wall time and the largest peak RSS. Writes a Markdown
# table and JSON to bench/results/compile-time-DATE.{md,json}.
#   bench/compile_time.sh [N]
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${TENSORC_BUILD_DIR:-$ROOT/build}/bin
N=${1:-10}
OUT=$(mktemp -d)
DATE=$(date -u +%Y-%m-%d)
RESULTS="$ROOT/bench/results/compile-time-$DATE"
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD)
CPU=$(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
CORES=$(nproc)

measure() { # label, args...: prints "median_seconds max_kb"
  label=$1; shift
  : > "$OUT/times"
  i=0
  while [ $i -lt "$N" ]; do
    /usr/bin/time -f "%e %M" -o "$OUT/one" "$BIN/tensorc" "$@" > /dev/null
    cat "$OUT/one" >> "$OUT/times"
    i=$((i + 1))
  done
  sort -n "$OUT/times" | awk -v n="$N" '{t[NR]=$1; if ($2>m) m=$2}
    END {printf "%s %d\n", (n%2 ? t[(n+1)/2] : (t[n/2]+t[n/2+1])/2), m}'
}

{
  echo "# Compile time and peak memory"
  echo
  echo "- date: $DATE; commit: $COMMIT"
  echo "- machine: $CPU, $CORES cores (no GPU)"
  echo "- command: \`bench/compile_time.sh $N\` — \`tensorc MODEL.tdsl [--backend=B | --target=cpu] -o OUT\`, $N fresh processes each, median wall time, largest peak RSS"
  echo
  echo "| model | output | median wall (s) | peak RSS (MB) |"
  echo "| --- | --- | --- | --- |"
} > "$RESULTS.md"
echo "[" > "$RESULTS.json"
first=1
for model in fashion_mlp fashion_cnn tiny_gpt; do
  for config in nvptx nvrtc cpu; do
    case $config in
      nvptx) args="--backend=nvptx -o $OUT/m.ptx" ;;
      nvrtc) args="--backend=nvrtc -o $OUT/m.ptx" ;;
      cpu) args="--target=cpu -o $OUT/m.so" ;;
    esac
    # shellcheck disable=SC2086
    set -- $(measure "$model $config" "$ROOT/examples/$model.tdsl" $args)
    mb=$(awk -v k="$2" 'BEGIN {printf "%.0f", k / 1024}')
    echo "| $model | $config | $1 | $mb |" >> "$RESULTS.md"
    [ $first -eq 1 ] || echo "," >> "$RESULTS.json"
    first=0
    printf '  {"model": "%s", "output": "%s", "median_wall_s": %s, "peak_rss_mb": %s, "runs": %s, "date": "%s", "commit": "%s", "cores": %s}' \
      "$model" "$config" "$1" "$mb" "$N" "$DATE" "$COMMIT" "$CORES" >> "$RESULTS.json"
  done
done
echo "" >> "$RESULTS.json"
echo "]" >> "$RESULTS.json"
rm -rf "$OUT"
cat "$RESULTS.md"
