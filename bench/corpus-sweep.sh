#!/usr/bin/env bash
# The conformance sweep: for every spec of ../shared/specs/real and real-multi, the generator's
# crate of correct handlers (one per operation, types from the spec's components; see
# bench/src/types.rs) with our attributes must pass `cargo check` without an error. A false
# positive of the checker on a real spec fails it, and names the spec and the message.
# Usage: bench/corpus-sweep.sh [SPEC...]   (CI runs it with no arguments)
source "$(dirname "$0")/lib.sh"
if [ "$#" -gt 0 ]; then SPECS=("$@"); else
  SPECS=(../shared/specs/real/*.{yaml,yml,json})
  for root in ../shared/specs/real-multi/*/; do
    # The root of a split spec is the file with `openapi:` at its top level.
    SPECS+=("$(grep -l '^openapi:' "$root"*.y*ml | head -1)")
  done
fi

failed=0
for spec in "${SPECS[@]}"; do
  [ -f "$spec" ] || continue
  name=$(basename "$(dirname "$spec")")-$(basename "$spec" | sed 's/\.[a-z]*$//')
  dir=$OUT/sweep/$name
  handlers=$("$GEN" gen "$spec" "$dir" | awk '{print $1}')
  # The workspace's versions of every dependency, rather than the newest the registry has.
  cp -n Cargo.lock "$dir/ours/Cargo.lock"
  t0=$(now)
  if log=$(cd "$dir/ours" && cargo check -q --message-format short 2>&1); then
    printf '%-52s %4s handlers  ok  %6.1fs\n' "$name" "$handlers" "$(echo "$(now) - $t0" | bc)"
  else
    printf '%-52s %4s handlers  FAILED\n%s\n' "$name" "$handlers" "$(grep -E '^(error|[^ ].*error)' <<<"$log" | head -20)"
    failed=1
  fi
done
exit "$failed"
