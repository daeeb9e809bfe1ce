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
source "$(dirname "$0")/lib.sh"
if [ "$#" -gt 0 ]; then SPECS=("$@"); else SPECS=(
  ../shared/specs/real/swagger-petstore3.yaml
  ../shared/specs/real/spotify-web-api.yml
  ../shared/specs/real/stripe-spec3.yaml
  ../shared/specs/real-multi/digitalocean/DigitalOcean-public.v2.yaml
); fi

full=() incr=()
for spec in "${SPECS[@]}"; do
  name=$(basename "$spec" | sed 's/\.[a-z]*$//')
  ops=$("$GEN" gen "$spec" "$OUT/$name" | awk '{print $1}')
  for v in baseline ours utoipa baseline-typed; do (cd "$OUT/$name/$v" && cargo check -q 2>&1 | tail -3); done
  { read -r b; read -r o; read -r u; read -r t; } < <(timed_checks "$OUT/$name/baseline" \
    "$OUT/$name/ours" "$OUT/$name/utoipa" "$OUT/$name/baseline-typed")
  full+=("$(printf '%-34s %5s | %8.2fs | %8.2fs %5.2fx | %8.2fs %5.2fx | %8.2fs %5.2fx' \
    "$name" "$ops" "$b" "$o" "$(echo "$o / $b" | bc -l)" "$u" "$(echo "$u / $b" | bc -l)" \
    "$t" "$(echo "$o / $t" | bc -l)")")
  { read -r fb; read -r fo; read -r fu; read -r lb; read -r lo; read -r lu; } < <(incrementals \
    "$OUT/$name/baseline:first" "$OUT/$name/ours:first" "$OUT/$name/utoipa:first" \
    "$OUT/$name/baseline:last" "$OUT/$name/ours:last" "$OUT/$name/utoipa:last")
  incr+=("$(printf '%-34s %5s | %6.2fs | %6.2fs %5.2fx | %6.2fs %5.2fx | %6.2fs | %6.2fs %5.2fx | %6.2fs %5.2fx' \
    "$name" "$ops" "$fb" "$fo" "$(echo "$fo / $fb" | bc -l)" "$fu" "$(echo "$fu / $fb" | bc -l)" \
    "$lb" "$lo" "$(echo "$lo / $lb" | bc -l)" "$lu" "$(echo "$lu / $lb" | bc -l)")")
done

printf '\ncargo check, full (median of %s):\n' "$RUNS"
printf '%-34s %5s | %9s | %9s %6s | %9s %6s | %9s %6s\n' spec ops baseline ours ratio utoipa ratio typed ours/typed
printf '%s\n' "${full[@]}"
printf '\ncargo check after editing one handler (incremental, median of %s), the first one / the last one:\n' "$RUNS"
printf '%-34s %5s | %7s | %7s %6s | %7s %6s | %7s | %7s %6s | %7s %6s\n' spec ops "first: base" ours ratio utoipa ratio "last: base" ours ratio utoipa ratio
printf '%s\n' "${incr[@]}"
