#!/usr/bin/env bash
# Sustained load on the petstore example over loopback (bench/src/bin/load.rs: CONNECTIONS
# keep-alive connections, one request in flight on each). Three builds of the same handlers:
#   plain      release, `--features unvalidated`: plain axum routes, nothing validated;
#   validated  release, `routes!` as README shows it: requests validated;
#   debug      debug build, `routes!`: requests and responses validated.
# For each, GET /pets/{petId} and POST /pets for SECONDS each (after a warm-up); then the
# validated build under a GET mix for SOAK seconds with its resident memory sampled each
# second. Prints one table row per run and the ratios against `plain`, and the release binary
# sizes.  Usage: bench/load.sh   (CONNECTIONS=32 SECONDS=10 SOAK=300 to vary)
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS=${CONNECTIONS:-32}
SECONDS_EACH=${SECONDS:-10}
SOAK=${SOAK:-300}
OUT=$PWD/target/load-bench
mkdir -p "$OUT"

cargo build -q --release -p contract-bench --bin load
LOAD=$PWD/target/release/load
cargo build -q --release -p petstore --features unvalidated
cp target/release/petstore "$OUT/plain"
cargo build -q --release -p petstore
cp target/release/petstore "$OUT/validated"
cargo build -q -p petstore
cp target/debug/petstore "$OUT/debug"
strip -o "$OUT/plain.stripped" "$OUT/plain"
strip -o "$OUT/validated.stripped" "$OUT/validated"

PORT=39217
ADDR=127.0.0.1:$PORT
PET='{"name":"rex","tag":"dog"}'
server=
stop() {
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  server=
}
trap stop EXIT
start() {
  PORT=$PORT "$OUT/$1" >/dev/null &
  server=$!
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
    sleep 0.1
  done
  # One pet to show (id 1), then a warm-up.
  "$LOAD" "$ADDR" 1 1 POST /pets "$PET" >/dev/null
  "$LOAD" "$ADDR" "$CONNECTIONS" 2 GET /pets/1 >/dev/null
}
field() { sed -E "s/.*\"$1\":([0-9.]+).*/\1/"; }

declare -A rps p50 p99
printf '%-10s %-16s %10s %8s %8s %8s\n' build request rps p50_us p99_us failures
for build in plain validated debug; do
  start "$build"
  for request in "GET /pets/1" "POST /pets"; do
    # shellcheck disable=SC2086
    line=$("$LOAD" "$ADDR" "$CONNECTIONS" "$SECONDS_EACH" $request $([ "${request%% *}" = POST ] && echo "$PET"))
    rps[$build,$request]=$(field rps <<<"$line")
    p50[$build,$request]=$(field p50_us <<<"$line")
    p99[$build,$request]=$(field p99_us <<<"$line")
    printf '%-10s %-16s %10s %8s %8s %8s\n' "$build" "$request" "${rps[$build,$request]}" \
      "${p50[$build,$request]}" "${p99[$build,$request]}" "$(field failures <<<"$line")"
  done
  stop
done
echo
for build in validated debug; do
  for request in "GET /pets/1" "POST /pets"; do
    echo "$build $request: time per request $(echo "scale=3; ${rps[plain,$request]} / ${rps[$build,$request]}" | bc)x plain's"
  done
done
plain_size=$(stat -c %s "$OUT/plain.stripped")
validated_size=$(stat -c %s "$OUT/validated.stripped")
echo "release binary (stripped): plain $plain_size bytes, validated $validated_size bytes (+$(( (validated_size - plain_size) / 1024 )) KiB)"

echo
start validated
line=$("$LOAD" "$ADDR" "$CONNECTIONS" "$SOAK" GET "/pets?limit=10" --pid "$server")
echo "soak, validated, GET /pets?limit=10 for ${SOAK}s: $line"
stop
