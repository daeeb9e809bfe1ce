#!/usr/bin/env bash
# The conformance sweep. For every spec of ../shared/specs/real and real-multi, the generator's
# crate of correct handlers (one per operation, types from the spec's components and query
# parameters; see bench/src/types.rs) with our attributes must pass `cargo check` without an
# error (no false positive on a real spec), and the same crate with a mistake in each query
# struct (a field that is no parameter) and in each enum (a value the spec does not have) must
# fail with exactly one error for each (no false negative).
# Usage: bench/corpus-sweep.sh [SPEC...]   (CI runs it with no arguments)
source "$(dirname "$0")/lib.sh"
if [ "$#" -gt 0 ]; then SPECS=("$@"); else
  SPECS=(../shared/specs/real/*.{yaml,yml,json})
  for root in ../shared/specs/real-multi/*/; do
    # The root of a split spec is the file with `openapi:` at its top level.
    SPECS+=("$(grep -l '^openapi:' "$root"*.y*ml | head -1)")
  done
fi

# Checks one spec's two crates and prints one line; fails if either crate is not as expected.
sweep() {
  local spec=$1 name dir summary handlers queries enums fields t0 log found_queries found_enums found_fields errors
  name=$(basename "$(dirname "$spec")")-$(basename "$spec" | sed 's/\.[a-z]*$//')
  dir=$OUT/sweep/$name
  summary=$("$GEN" gen "$spec" "$dir")
  handlers=$(awk '{print $1}' <<<"$summary")
  queries=$(sed -n 's/.*ours-mutated: \([0-9]*\) query structs.*/\1/p' <<<"$summary")
  enums=$(sed -n 's/.*query structs, \([0-9]*\) enums.*/\1/p' <<<"$summary")
  fields=$(sed -n 's/.* enums, \([0-9]*\) fields.*/\1/p' <<<"$summary")
  # The workspace's versions of every dependency, rather than the newest the registry has.
  cp -n Cargo.lock "$dir/ours/Cargo.lock"
  cp -n Cargo.lock "$dir/ours-mutated/Cargo.lock"
  t0=$(now)
  if ! log=$(cd "$dir/ours" && cargo check -q --message-format short 2>&1); then
    printf '%-52s %4s handlers  FAILED: errors on correct handlers\n%s\n' "$name" "$handlers" \
      "$(grep -E '^(error|[^ ].*error)' <<<"$log" | head -20)"
    return 1
  fi
  log=$(cd "$dir/ours-mutated" && cargo check -q --message-format short 2>&1 || true)
  found_queries=$(grep -c -- '- `not_in_the_spec` is not in the spec' <<<"$log" || true)
  found_enums=$(grep -c 'variant `NotInTheSpec` of .* is `not-in-the-spec` on the wire' <<<"$log" || true)
  # A renamed field is reported once, at the field, where its struct is defined.
  found_fields=$(grep -c '^src/lib.rs:.*has a field `[^`]*_renamed`, but component' <<<"$log" || true)
  errors=$(grep -c '^[^ ]*: error' <<<"$log" || true)
  if [ "$found_queries" != "$queries" ] || [ "$found_enums" != "$enums" ] \
    || [ "$found_fields" != "$fields" ] || [ "$errors" != "$((queries + enums + fields))" ]; then
    printf '%-52s %4s handlers  FAILED: %s of %s query, %s of %s enum, %s of %s field mistakes reported; %s errors\n' \
      "$name" "$handlers" "$found_queries" "$queries" "$found_enums" "$enums" "$found_fields" "$fields" "$errors"
    grep '^[^ ]*: error' <<<"$log" | grep -v -e 'not_in_the_spec' -e 'NotInTheSpec' -e '_renamed`' | head -10
    return 1
  fi
  printf '%-52s %4s handlers  ok (mistakes: %3s queries, %3s enums, %3s fields reported)  %6.1fs\n' \
    "$name" "$handlers" "$queries" "$enums" "$fields" "$(echo "$(now) - $t0" | bc)"
}

# Checks the specs given one after another; fails if any fails, after checking them all.
sweep_all() {
  local failed=0 spec
  for spec in "$@"; do
    [ -f "$spec" ] || continue
    sweep "$spec" || failed=1
  done
  return "$failed"
}

# rustc checks a crate on one core, so the specs run in two lanes. A lane needs a target folder
# of its own (cargo locks it for a whole build), so the smallest spec goes first, alone, and
# builds the dependencies; the second lane starts from a copy of that folder, which cargo finds
# fresh. The rest are dealt largest first to the lane with fewer bytes of spec so far: the time
# a spec takes grows with its size.
mapfile -t SPECS < <(for spec in "${SPECS[@]}"; do
  [ -f "$spec" ] && printf '%s %s\n' "$(stat -c %s "$spec")" "$spec"
done | sort -rn | cut -d' ' -f2-)
[ "${#SPECS[@]}" -gt 0 ] || { echo "no spec to sweep" >&2; exit 1; }
failed=0
sweep_all "${SPECS[-1]}" || failed=1
unset 'SPECS[-1]'
[ "${#SPECS[@]}" -gt 0 ] || exit "$failed"
LANE_TWO_TARGET=$OUT/target-lane-two
rm -rf "$LANE_TWO_TARGET"
cp -a "$CARGO_TARGET_DIR" "$LANE_TWO_TARGET"
lane_one=() lane_two=() bytes_one=0 bytes_two=0
for spec in "${SPECS[@]}"; do
  size=$(stat -c %s "$spec")
  if [ "$bytes_one" -le "$bytes_two" ]; then
    lane_one+=("$spec") bytes_one=$((bytes_one + size))
  else
    lane_two+=("$spec") bytes_two=$((bytes_two + size))
  fi
done
sweep_all "${lane_one[@]}" &
first=$!
CARGO_TARGET_DIR=$LANE_TWO_TARGET sweep_all "${lane_two[@]}" &
second=$!
wait "$first" || failed=1
wait "$second" || failed=1
exit "$failed"
