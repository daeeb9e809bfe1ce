#!/usr/bin/env bash
# Instructions per request through each variant of the validation bench (small object), counted
# by callgrind: exact and repeatable whatever else the machine is doing, where wall-clock ratios
# on a shared virtual machine drift (see BENCHMARKS.md). Prints each variant's count and its
# ratio to plain axum. Needs valgrind (Debian: apt-get install valgrind).
# Usage: bench/validation-instructions.sh [REQUESTS]   (default 2000)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-2000}
command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 1; }
BIN=$(cargo bench -p contract-tests --bench validation --no-run 2>&1 |
  sed -n 's/.*Executable .*(\(.*\)).*/\1/p' | tail -1)
[ -x "$BIN" ] || { echo "bench binary not found" >&2; exit 1; }
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
printf '%-22s %12s %7s\n' variant "instr/request" ratio
base=
for variant in "plain axum" "layer, validation off" "layer, validating" "routes!, validating"; do
  VALIDATION_BENCH_VARIANT=$variant VALIDATION_BENCH_COUNT=$N valgrind --tool=callgrind \
    --collect-atstart=no --toggle-collect='validation::counted' \
    --callgrind-out-file="$OUT/cg.out" "$BIN" >/dev/null 2>"$OUT/log"
  total=$(sed -n 's/^summary: *//p' "$OUT/cg.out" | awk '{print $1}')
  per=$((total / N))
  base=${base:-$per}
  printf '%-22s %12d %7.3fx\n' "$variant" "$per" "$(echo "$per / $base" | bc -l)"
done
