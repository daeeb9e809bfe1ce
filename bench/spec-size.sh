#!/usr/bin/env bash
# Whether the re-check after an edit grows with the size of the spec: the same number of
# handlers (FIRST, default 20: the first operations of each spec, bodies as serde_json::Value,
# no component structs, `routes!(partial; …)`) against specs from 19 KB to 4 MB. Prints, per
# spec, the median re-check after editing the last handler (incremental on) for the baseline
# (no attributes) and ours, their difference (what our macros add to one re-check) and the
# full check without incremental; and the same for ours with a build script that has cargo
# watch the spec's folder (`cargo:rerun-if-changed`), which the macros then leave its tracking to.
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
  watched_copy "$dir/ours" "$spec"
  for v in baseline ours ours-watched; do (cd "$dir/$v" && cargo check -q 2>&1 | tail -3); done
  { read -r b; read -r o; read -r w; } < <(timed_checks "$dir/baseline" "$dir/ours" "$dir/ours-watched")
  { read -r ib; read -r io; read -r iw; } < <(incrementals "$dir/baseline:last" "$dir/ours:last" \
    "$dir/ours-watched:last")
  rows+=("$(printf '%-26s %7s KB | %6.3fs %6.3fs %+6.3fs %5.2fx | %6.3fs %6.3fs %+6.3fs %5.2fx | %6.3fs %5.2fx %6.3fs %5.2fx' \
    "$name" "$size" "$ib" "$io" "$(echo "$io - $ib" | bc -l)" "$(echo "$io / $ib" | bc -l)" \
    "$b" "$o" "$(echo "$o - $b" | bc -l)" "$(echo "$o / $b" | bc -l)" \
    "$iw" "$(echo "$iw / $ib" | bc -l)" "$w" "$(echo "$w / $b" | bc -l)")")
done
printf '\n%s handlers per crate; median of %s; the spec folder'"'"'s size for multi-file specs\n' "$FIRST" "$RUNS"
printf '%-26s %10s | %-36s | %-36s | %s\n' spec size "re-check after an edit: base ours diff" \
  "full check: base ours diff" "ours, build script watching: re-check, full"
printf '%s\n' "${rows[@]}"
