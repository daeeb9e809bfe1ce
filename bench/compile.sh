#!/usr/bin/env bash
# Times `cargo check` of a crate with one handler per operation, three ways, from a warm
# dependency cache, and prints the ratios to the baseline (same run, same machine):
#   baseline  the handlers and their router, no attributes
#   ours      the same with #[contract] on each handler and routes! (the documented setup)
#   utoipa    the same with #[utoipa::path] on each handler and #[derive(OpenApi)]
#   typed     the baseline with its router's state type written out (`Router::<()>::new()`):
#             rustc then types the router in linear time, as it does `routes!`' output; ours
#             over typed is what the checks cost on their own
# It also times the re-check after editing one handler's body (incremental), the first or the last.
# Usage: bench/compile.sh [SPEC...]   (defaults: four specs of ../shared/specs, 19 to 659 operations)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$#" -gt 0 ]; then SPECS=("$@"); else SPECS=(
  ../shared/specs/real/swagger-petstore3.yaml
  ../shared/specs/real/spotify-web-api.yml
  ../shared/specs/real/stripe-spec3.yaml
  ../shared/specs/real-multi/digitalocean/DigitalOcean-public.v2.yaml
); fi
OUT=$PWD/target/compile-bench
mkdir -p "$OUT"
cargo build -q --release -p contract-bench
GEN=$PWD/target/release/contract-bench
export CARGO_TARGET_DIR=$OUT/target
RUNS=${RUNS:-3}

now() { date +%s.%N; }
# median of RUNS full `cargo check`s of the crate (dependencies warm). Incremental compilation
# is off here: with it, re-checking an untouched file replays cached results, which measures
# nothing; the edit-one-handler case below measures incremental work.
timed_check() {
  local dir=$1 times=()
  for _ in $(seq "$RUNS"); do
    touch "$dir/src/lib.rs"
    local t0; t0=$(now)
    (cd "$dir" && CARGO_INCREMENTAL=0 cargo check -q 2>/dev/null)
    times+=("$(echo "$(now) - $t0" | bc)")
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"
}
# The re-check after editing one handler's body: the first handler's (`first`) or the last's
# (`last`). Handlers are in modules of 25 (`m0.rs`, `m1.rs`, ...). rustc re-checks every item an
# attribute macro emitted that lies after the edit in the same file (their spans moved), whatever
# the macro: the first handler of a module is the worst case for ours and utoipa's; the last
# handler isolates what re-running the macros costs.
incremental() {
  local dir=$1 which=$2 file
  if [ "$which" = first ]; then
    file=$dir/src/m0.rs
    sed -i '0,/unimplemented!("generated")/s//unimplemented!("edited")/' "$file"
  else
    file=$(ls "$dir"/src/m*.rs | sort -V | tail -1)
    perl -0pi -e 's/(.*)unimplemented!\("generated"\)/$1unimplemented!("edited")/s' "$file"
  fi
  local t0; t0=$(now)
  (cd "$dir" && cargo check -q 2>/dev/null)
  local t; t=$(echo "$(now) - $t0" | bc)
  sed -i 's/unimplemented!("edited")/unimplemented!("generated")/' "$file"
  (cd "$dir" && cargo check -q 2>/dev/null)
  echo "$t"
}

full=() incr=()
for spec in "${SPECS[@]}"; do
  name=$(basename "$spec" | sed 's/\.[a-z]*$//')
  ops=$("$GEN" gen "$spec" "$OUT/$name" | awk '{print $1}')
  for v in baseline ours utoipa baseline-typed; do (cd "$OUT/$name/$v" && cargo check -q 2>&1 | tail -3); done
  b=$(timed_check "$OUT/$name/baseline")
  o=$(timed_check "$OUT/$name/ours")
  u=$(timed_check "$OUT/$name/utoipa")
  t=$(timed_check "$OUT/$name/baseline-typed")
  full+=("$(printf '%-34s %5s | %8.2fs | %8.2fs %5.2fx | %8.2fs %5.2fx | %8.2fs %5.2fx' \
    "$name" "$ops" "$b" "$o" "$(echo "$o / $b" | bc -l)" "$u" "$(echo "$u / $b" | bc -l)" \
    "$t" "$(echo "$o / $t" | bc -l)")")
  fb=$(incremental "$OUT/$name/baseline" first)
  fo=$(incremental "$OUT/$name/ours" first)
  fu=$(incremental "$OUT/$name/utoipa" first)
  lb=$(incremental "$OUT/$name/baseline" last)
  lo=$(incremental "$OUT/$name/ours" last)
  lu=$(incremental "$OUT/$name/utoipa" last)
  incr+=("$(printf '%-34s %5s | %6.2fs | %6.2fs %5.2fx | %6.2fs %5.2fx | %6.2fs | %6.2fs %5.2fx | %6.2fs %5.2fx' \
    "$name" "$ops" "$fb" "$fo" "$(echo "$fo / $fb" | bc -l)" "$fu" "$(echo "$fu / $fb" | bc -l)" \
    "$lb" "$lo" "$(echo "$lo / $lb" | bc -l)" "$lu" "$(echo "$lu / $lb" | bc -l)")")
done

printf '\ncargo check, full (median of %s):\n' "$RUNS"
printf '%-34s %5s | %9s | %9s %6s | %9s %6s | %9s %6s\n' spec ops baseline ours ratio utoipa ratio typed ours/typed
printf '%s\n' "${full[@]}"
printf '\ncargo check after editing one handler (incremental), the first one / the last one:\n'
printf '%-34s %5s | %7s | %7s %6s | %7s %6s | %7s | %7s %6s | %7s %6s\n' spec ops "first: base" ours ratio utoipa ratio "last: base" ours ratio utoipa ratio
printf '%s\n' "${incr[@]}"
