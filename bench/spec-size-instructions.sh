#!/usr/bin/env bash
# The re-check after an edit against the spec's size, in instructions: exact and repeatable,
# where `spec-size.sh`'s wall-clock differences (tens of milliseconds) drift with the machine.
# Same crates as `spec-size.sh` (the first FIRST=20 operations of each spec, `Value` bodies,
# `routes!(partial; …)`). For each spec and crate (baseline, ours) it edits the last handler's
# body and runs the rustc command cargo would run, under callgrind, then undoes the edit. Prints
# the instructions of that rustc process for each crate, what ours adds, and how much of that is
# rustc reading the spec's files for `include_bytes!` (the tracking that makes cargo re-run the
# macros when a spec file changes; see BENCHMARKS.md). A third crate, ours with a build script
# that has cargo watch the spec's folder (`cargo:rerun-if-changed`), shows the re-check once the
# macros leave that tracking to cargo. Needs valgrind.
# Usage: bench/spec-size-instructions.sh [SPEC...]
source "$(dirname "$0")/lib.sh"
command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 1; }
FIRST=${FIRST:-20}
if [ "$#" -gt 0 ]; then SPECS=("$@"); else SPECS=("${SIZE_SPECS[@]}"); fi
CG=${KEEP_CALLGRIND:-$(mktemp -d)}
[ -n "${KEEP_CALLGRIND:-}" ] || trap 'rm -rf "$CG"' EXIT

# The rustc command cargo runs for the crate in $1 (the crate itself, not its dependencies).
rustc_command() {
  touch "$1/src/lib.rs"
  # -vv: with the environment cargo gives rustc (`OUT_DIR` for a crate with a build script).
  (cd "$1" && cargo check -vv 2>&1) | sed -n 's/^ *Running `\(.*--crate-name bench_.*\)`$/\1/p' | tail -1
}

# Instructions of the re-check of the crate in $1 after an edit to its last handler, and of
# rustc's `include_bytes!` work in it: two numbers.
recheck_instructions() {
  local dir=$1 command file out
  command=$(rustc_command "$dir")
  [ -n "$command" ] || { echo "no rustc command for $dir" >&2; exit 1; }
  file=$(ls "$dir"/src/m*.rs | sort -V | tail -1)
  perl -0pi -e 's/(.*)unimplemented!\("generated"\)/$1unimplemented!("edited")/s' "$file"
  rm -f "$CG"/cg.*
  # The command is the environment (NAME=value words, shell-quoted) and then rustc's.
  (cd "$dir" && eval "set -- $command" &&
    while [[ "$1" == [A-Z_]*=* ]]; do export "${1?}"; shift; done &&
    valgrind --tool=callgrind --callgrind-out-file="$CG/cg.%p" "$@" >/dev/null 2>&1)
  sed -i 's/unimplemented!("edited")/unimplemented!("generated")/' "$file"
  (cd "$dir" && cargo check -q 2>/dev/null)
  out=$(ls "$CG"/cg.* | head -1)
  sed -n 's/^summary: *//p' "$out" | awk '{print $1}'
  # Inclusive, so with the reading and hashing of the files it includes.
  callgrind_annotate --inclusive=yes --threshold=100 "$out" 2>/dev/null |
    awk '/source_util::expand_include_bytes \[/ { gsub(",", "", $1); print $1; found = 1; exit }
         END { if (!found) print 0 }'
}

rows=()
for spec in "${SPECS[@]}"; do
  name=$(basename "$spec" | sed 's/\.[a-z]*$//')
  dir=$OUT/size-$name
  "$GEN" gen "$spec" "$dir" "$FIRST" >/dev/null
  { read -r base _; } < <(recheck_instructions "$dir/baseline" | paste - -)
  { read -r ours include; } < <(recheck_instructions "$dir/ours" | paste - -)
  watched_copy "$dir/ours" "$spec"
  { read -r watched watched_include; } < <(recheck_instructions "$dir/ours-watched" | paste - -)
  [ "$watched_include" = 0 ] || { echo "ours-watched still expands include_bytes!" >&2; exit 1; }
  added=$((ours - base))
  rows+=("$(printf '%-26s | %6.1fM %6.1fM %5.2fx | %+7.1fM: %6.1fM rustc reading the spec, %6.1fM the rest | %6.1fM %5.2fx %+7.1fM' \
    "$name" "$(echo "$base / 1000000" | bc -l)" "$(echo "$ours / 1000000" | bc -l)" \
    "$(echo "$ours / $base" | bc -l)" "$(echo "$added / 1000000" | bc -l)" \
    "$(echo "$include / 1000000" | bc -l)" "$(echo "($added - $include) / 1000000" | bc -l)" \
    "$(echo "$watched / 1000000" | bc -l)" "$(echo "$watched / $base" | bc -l)" \
    "$(echo "($watched - $base) / 1000000" | bc -l)")")
done
printf '\nInstructions of the re-check after an edit (%s handlers):\n' "$FIRST"
printf '%-26s | %-22s | %-64s | %s\n' spec "baseline ours ratio" "added by ours" \
  "ours, build script watching the spec: ratio, added"
printf '%s\n' "${rows[@]}"
