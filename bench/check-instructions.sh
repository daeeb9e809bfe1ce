#!/usr/bin/env bash
# What one `Query<T>` check costs rustc, counted in instructions under callgrind (exact and
# repeatable). Two crates of N structs, each with `#[derive(Schema)]` and its fields evaluated:
# `fields` stops there, `check` adds, per struct, the check `#[contract]` emits for
# `Query<T>` against an operation's query parameters. The structs and the parameters are
# Stripe's `GET /v1/accounts`: `created` (an `anyOf`; the field is `Option<Value>`),
# `ending_before`, `expand` (an array of strings), `limit` and `starting_after`, all optional.
# Prints the instructions of each crate and what a check adds, per check.
# Usage: bench/check-instructions.sh [N]   (default 50)
source "$(dirname "$0")/lib.sh"
need_valgrind
n=${1:-50}
export CARGO_INCREMENTAL=0
runtime=$PWD/contract-runtime

# The parameters' encoding (see `__private::expect::tag`): an object node, then per property
# its name, a byte (0: optional) and its node.
node() { printf '\\x%02x\\x%02x\\x00\\x00\\x00%s' "$1" "$2" "$3"; }
prop() { printf '\\x%02x\\x00%s\\x00%s' "${#1}" "$1" "$2"; }
created=$(node 11 11 "$(node 10 1 '\x01')$(node 2 0 '')")
props="$(prop created "$created")$(prop ending_before "$(node 4 0 '')")$(prop expand "$(node 6 5 "$(node 4 0 '')")")$(prop limit "$(node 2 0 '')")$(prop starting_after "$(node 4 0 '')")"
# The object's payload length: its bytes, each written here as one escape or one character.
len=$(($(printf '%s' "$props" | sed 's/\\x[0-9a-f][0-9a-f]/./g' | wc -c) + 1))
params=$(node 10 "$len" "\\x00$props")

for variant in fields check; do
  dir=$OUT/check-micro/$variant
  mkdir -p "$dir/src"
  cat >"$dir/Cargo.toml" <<EOF
[package]
name = "bench-check-$variant"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
serde_json = "1"
contract-runtime = { path = "$runtime" }
[profile.dev.build-override]
opt-level = 3

[workspace]
EOF
  for i in $(seq "$n"); do
    echo "#[derive(contract_runtime::Schema)] pub struct Q$i { pub created: Option<serde_json::Value>, pub ending_before: Option<String>, pub expand: Option<Vec<String>>, pub limit: Option<i64>, pub starting_after: Option<String> }"
    echo "const _: usize = match <Q$i as contract_runtime::Schema>::FIELDS { Some(f) => f.len(), None => 0 };"
    if [ "$variant" = check ]; then
      echo "const _: () = ::contract_runtime::__private::check_query::<Q$i>(::contract_runtime::__private::Expect::new(b\"$params\"), \"h\", \"f\");"
    fi
  done >"$dir/src/lib.rs"
done
f=$(instructions "$OUT/check-micro/fields")
c=$(instructions "$OUT/check-micro/check")
printf '\n%s structs: fields %.1fM, with checks %.1fM: %.2fM instructions per Query<T> check (5 fields)\n' \
  "$n" "$(echo "$f / 1000000" | bc -l)" "$(echo "$c / 1000000" | bc -l)" "$(echo "($c - $f) / $n / 1000000" | bc -l)"
