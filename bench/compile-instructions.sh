#!/usr/bin/env bash
# `compile.sh`'s full check, counted in instructions under callgrind: exact and repeatable,
# where a small spec's wall-clock ratios are tenths of a second that move with the machine (see
# BENCHMARKS.md). Same four crates per spec (`contract-bench gen`); for each it runs the rustc
# command cargo runs for the crate itself (dependencies warm, incremental off) and prints its
# instructions and their ratio to the baseline's. It counts rustc only: cargo's own work before
# it (reading the fingerprints of every dependency) is not in it. Needs valgrind; callgrind
# runs rustc about 50 times slower, so the default is the two smaller specs.
# Usage: bench/compile-instructions.sh [SPEC...]
source "$(dirname "$0")/lib.sh"
need_valgrind
if [ "$#" -gt 0 ]; then SPECS=("$@"); else SPECS=(
  ../shared/specs/real/swagger-petstore3.yaml
  ../shared/specs/real/spotify-web-api.yml
); fi
export CARGO_INCREMENTAL=0

rows=()
for spec in "${SPECS[@]}"; do
  name=$(basename "$spec" | sed 's/\.[a-z]*$//')
  ops=$("$GEN" gen "$spec" "$OUT/$name" | awk '{print $1}')
  b=$(instructions "$OUT/$name/baseline")
  o=$(instructions "$OUT/$name/ours")
  u=$(instructions "$OUT/$name/utoipa")
  t=$(instructions "$OUT/$name/baseline-typed")
  m() { echo "$1 / 1000000" | bc -l; }
  r() { echo "$1 / $2" | bc -l; }
  rows+=("$(printf '%-34s %5s | %8.1fM | %8.1fM %5.2fx | %8.1fM %5.2fx | %8.1fM %5.2fx' \
    "$name" "$ops" "$(m "$b")" "$(m "$o")" "$(r "$o" "$b")" "$(m "$u")" "$(r "$u" "$b")" \
    "$(m "$t")" "$(r "$o" "$t")")")
done
printf '\nInstructions of rustc checking the crate (full check, incremental off):\n'
printf '%-34s %5s | %9s | %9s %6s | %9s %6s | %9s %6s\n' spec ops baseline ours ratio utoipa ratio typed ours/typed
printf '%s\n' "${rows[@]}"
