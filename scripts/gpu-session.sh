#!/bin/sh
# One device call for a session that is lent a GPU (15 minutes of device
# time in all, 10 per command): the correctness check first, then the
# benchmark in order of what is least known, each under what is left of a
# budget, and the tables last. Everything it needs is prepared here, on the
# machine with the compiler:
#
#   scripts/gpu-artifacts.sh .gpu && bench/gpu-bench-prepare.sh .gpu-bench
#
# and it runs there (both folders carried; the runtime is built there):
#
#   sh scripts/gpu-session.sh [BUDGET_SECONDS]      (default 500)
#
# Its work goes to .gpu-session/; what comes back (at most 8 files) is put
# in $OUT (or .gpu-session/out): session.txt, check-table.txt, tables.md,
# the benchmark's JSON and logs.tar.gz with every log.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUDGET=${1:-500}
RESULTS=$ROOT/.gpu-session
FINAL=${OUT:-$RESULTS/out}
rm -rf "$RESULTS/check" "$RESULTS"/bench-*
mkdir -p "$RESULTS" "$FINAL"
: > "$RESULTS/session.txt"
START=$(date +%s)
left() { echo $((BUDGET - ($(date +%s) - START))); }

# 1. Correctness: every example on the GPU against the CPU backend (f32 and
# mixed precision, both backends), compute-sanitizer.
OUT=$RESULTS/check timeout "$(left)" sh "$ROOT/scripts/gpu-check.sh" "$ROOT/.gpu" \
  > "$RESULTS/gpu-check.log" 2>&1
echo "gpu-check: exit $? after $(($(date +%s) - START)) s" >> "$RESULTS/session.txt"

# 2. The benchmark: what no GPU has timed yet first (16-byte elementwise
# kernels, split reductions, training steps after split-K, mixed
# precision), then the rest; eager and torch.compile as peers.
run_bench() { # NAME REGEX
  t=$(left)
  [ "$t" -gt 30 ] || { echo "bench $1: skipped, no time left" >> "$RESULTS/session.txt"; return; }
  OUT=$RESULTS/bench-$1 timeout "$t" sh "$ROOT/bench/gpu-bench.sh" "$ROOT/.gpu-bench" \
    --only "$2" --peers eager,compile > "$RESULTS/bench-$1.log" 2>&1
  echo "bench $1: exit $? after $(($(date +%s) - START)) s" >> "$RESULTS/session.txt"
}
run_bench new 'elementwise|fwd_bwd|adamw|train_fashion_mlp_128|bf16|f16'
run_bench rest 'copy|softmax|log_softmax|layernorm_fwd$|rmsnorm_fwd$|cross_entropy|matmul|train_fashion_cnn_128$|train_tiny_gpt_32$|train_fashion_mlp_1024$'

jsons=$(ls "$RESULTS"/bench-*/gpu-bench.json 2>/dev/null)
# shellcheck disable=SC2086
[ -n "$jsons" ] && python3 "$ROOT/bench/gpu_report.py" $jsons > "$RESULTS/tables.md"
cp "$RESULTS/session.txt" "$FINAL/"
cp "$RESULTS/check/table.txt" "$FINAL/check-table.txt" 2>/dev/null
cp "$RESULTS/tables.md" "$FINAL/" 2>/dev/null
for b in new rest; do
  cp "$RESULTS/bench-$b/gpu-bench.json" "$FINAL/bench-$b.json" 2>/dev/null
done
tar -czf "$FINAL/logs.tar.gz" -C "$RESULTS" --exclude=out . 2>/dev/null
echo
cat "$RESULTS/session.txt"
cat "$FINAL/check-table.txt" 2>/dev/null
cat "$FINAL/tables.md" 2>/dev/null