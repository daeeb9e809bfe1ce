#!/usr/bin/env bash
# Whether the re-check after an edit grows with the size of the spec: the same number of
# handlers (FIRST, default 20: the first operations of each spec, bodies as serde_json::Value,
# no component structs, `routes!(partial; …)`) against specs from 19 KB to 4 MB. Prints, per
# spec, the median re-check after editing the last handler (incremental on) for the baseline
# (no attributes) and ours, their difference (what our macros add to one re-check) and the
# full check without incremental.
# Usage: bench/spec-size.sh [SPEC...]
source "$(dirname "$0")/lib.sh"
FIRST=${FIRST:-20}
if [ "$#" -gt 0 ]; then SPECS=("$@"); else SPECS=("${SIZE_SPECS[@]}"); fi

rows=()
for spec in "${SPECS[@]}"; do
  name=$(basename "$spec" | sed 's/\.[a-z]*$//')
  size=$(du -sk "$(dirname "$spec")" | awk '{print $1}')
  [ -f "$spec" ] && [[ "$spec" != */real-multi/* ]] && size=$(( $(stat -c %s "$spec") / 1024 ))
  dir=$OUT/size-$name
  "$GEN" gen "$spec" "$dir" "$FIRST" >/dev/null
  for v in baseline ours; do (cd "$dir/$v" && cargo check -q 2>&1 | tail -3); done
  { read -r b; read -r o; } < <(timed_checks "$dir/baseline" "$dir/ours")
  { read -r ib; read -r io; } < <(incrementals "$dir/baseline:last" "$dir/ours:last")
  rows+=("$(printf '%-26s %7s KB | %6.3fs %6.3fs %+6.3fs %5.2fx | %6.3fs %6.3fs %+6.3fs %5.2fx' \
    "$name" "$size" "$ib" "$io" "$(echo "$io - $ib" | bc -l)" "$(echo "$io / $ib" | bc -l)" \
    "$b" "$o" "$(echo "$o - $b" | bc -l)" "$(echo "$o / $b" | bc -l)")")
done
printf '\n%s handlers per crate; median of %s; the spec folder'"'"'s size for multi-file specs\n' "$FIRST" "$RUNS"
printf '%-26s %10s | %-36s | %s\n' spec size "re-check after an edit: base ours diff" "full check: base ours diff"
printf '%s\n' "${rows[@]}"
