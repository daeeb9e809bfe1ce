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
# The median of RUNS full `cargo check`s of each crate (dependencies warm), one line each.
# The crates take turns within each round, so that a slow spell of the machine (seen here: page
# cache reclaimed under us) falls on all of them rather than on one. Incremental compilation is
# off here: with it, re-checking an untouched file replays cached results, which measures
# nothing; the edit-one-handler case below measures incremental work.
timed_checks() {
  local dirs=("$@") times=() i
  for _ in $(seq "$RUNS"); do
    for i in "${!dirs[@]}"; do
      touch "${dirs[$i]}/src/lib.rs"
      local t0; t0=$(now)
      (cd "${dirs[$i]}" && CARGO_INCREMENTAL=0 cargo check -q 2>/dev/null)
      times[$i]="${times[$i]:-} $(echo "$(now) - $t0" | bc)"
    done
  done
  for i in "${!dirs[@]}"; do
    # shellcheck disable=SC2086
    printf '%s\n' ${times[$i]} | median
  done
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

# The median of RUNS re-checks (`incremental DIR WHICH`) for each DIR:WHICH, taking turns.
incrementals() {
  local specs=("$@") times=() i
  for _ in $(seq "$RUNS"); do
    for i in "${!specs[@]}"; do
      times[$i]="${times[$i]:-} $(incremental "${specs[$i]%:*}" "${specs[$i]##*:}")"
    done
  done
  for i in "${!specs[@]}"; do
    # shellcheck disable=SC2086
    printf '%s\n' ${times[$i]} | median
  done
}

# A copy of the crate in $1 at $1-watched, with a build script that has cargo watch the folder
# of the spec $2 (`cargo:rerun-if-changed`): the macros leave the tracking of its files to cargo.
watched_copy() {
  rm -rf "$1-watched"
  cp -r "$1" "$1-watched"
  printf 'fn main() { println!("cargo:rerun-if-changed=%s"); }\n' \
    "$(cd "$(dirname "$2")" && pwd)" > "$1-watched/build.rs"
}

need_valgrind() {
  command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 1; }
}

# Instructions of the rustc process that checks the crate in $1, under callgrind (dependencies
# warm; the caller sets CARGO_INCREMENTAL=0). It counts rustc only, not cargo.
instructions() {
  local dir=$1 command cg
  (cd "$dir" && cargo check -q 2>&1 | tail -3)
  touch "$dir/src/lib.rs"
  command=$( (cd "$dir" && cargo check -v 2>&1) |
    sed -n 's/^ *Running `\(.*--crate-name bench_.*\)`$/\1/p' | tail -1)
  [ -n "$command" ] || { echo "no rustc command for $dir" >&2; exit 1; }
  cg=$(mktemp -d)
  (cd "$dir" && CARGO_MANIFEST_DIR=$PWD CARGO_PKG_NAME=bench CARGO_CRATE_NAME=bench \
    eval valgrind --tool=callgrind --callgrind-out-file="$cg/cg.%p" "$command" >/dev/null 2>&1)
  sed -n 's/^summary: *//p' "$(ls "$cg"/cg.* | head -1)" | awk '{print $1}'
  rm -rf "$cg"
}

# The specs the spec-size scripts grow through, 22 KB to 4 MB (DigitalOcean: 1,508 files).
SIZE_SPECS=(
  ../shared/specs/real/swagger-petstore3.yaml
  ../shared/specs/real/spotify-web-api.yml
  ../shared/specs/real/kubernetes-core-v1.json
  ../shared/specs/real/openai.yaml
  ../shared/specs/real/stripe-spec3.yaml
  ../shared/specs/real-multi/digitalocean/DigitalOcean-public.v2.yaml
)
