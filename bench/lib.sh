# Shared by bench/compile.sh and bench/spec-size.sh: the generator, and timed `cargo check`s.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$PWD/target/compile-bench
mkdir -p "$OUT"
cargo build -q --release -p contract-bench
GEN=$PWD/target/release/contract-bench
export CARGO_TARGET_DIR=$OUT/target
RUNS=${RUNS:-3}

now() { date +%s.%N; }
median() { sort -n | awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)] }'; }
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
  printf '%s\n' "${times[@]}" | median
}
# The re-check after editing one handler's body: the first handler's (`first`) or the last's
# (`last`). Handlers are in modules of 25 (`m0.rs`, `m1.rs`, ...). rustc re-checks every item an
# attribute macro emitted that lies after the edit in the same file (their spans moved), whatever
# the macro: the first handler of a module is the worst case for ours and utoipa's; the last
# handler isolates what re-running the macros costs. One edit, or the median of RUNS with `many`.
incremental() {
  local dir=$1 which=$2 count=1 file times=()
  if [ "${3:-}" = many ]; then count=$RUNS; fi
  for _ in $(seq "$count"); do
    if [ "$which" = first ]; then
      file=$dir/src/m0.rs
      sed -i '0,/unimplemented!("generated")/s//unimplemented!("edited")/' "$file"
    else
      file=$(ls "$dir"/src/m*.rs | sort -V | tail -1)
      perl -0pi -e 's/(.*)unimplemented!\("generated"\)/$1unimplemented!("edited")/s' "$file"
    fi
    local t0; t0=$(now)
    (cd "$dir" && cargo check -q 2>/dev/null)
    times+=("$(echo "$(now) - $t0" | bc)")
    sed -i 's/unimplemented!("edited")/unimplemented!("generated")/' "$file"
    (cd "$dir" && cargo check -q 2>/dev/null)
  done
  printf '%s\n' "${times[@]}" | median
}
