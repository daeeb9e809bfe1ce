#!/usr/bin/env bash
# The re-check against the spec's size with the handlers held fixed: petstore's operations
# (the first 18, so `routes!` is partial in every crate) against petstore alone and grown by
# the paths and components of kubernetes, then pagerduty, then twilio (`contract-bench pad`),
# 23 KB to 3.7 MB of JSON. The same handlers check the same operations in every crate, so what
# the re-check adds beyond petstore's is what the spec's size costs. Instructions, under
# callgrind (`spec-size-instructions.sh`). Needs valgrind.
source "$(dirname "$0")/lib.sh"
PAD=$OUT/padded
mkdir -p "$PAD"
S=../shared/specs/real
"$GEN" pad "$S/swagger-petstore3.yaml" "$PAD/petstore.json"
"$GEN" pad "$S/swagger-petstore3.yaml" "$PAD/petstore+kubernetes.json" "$S/kubernetes-core-v1.json"
"$GEN" pad "$S/swagger-petstore3.yaml" "$PAD/petstore+kubernetes+pagerduty.json" \
  "$S/kubernetes-core-v1.json" "$S/pagerduty-rest.json"
"$GEN" pad "$S/swagger-petstore3.yaml" "$PAD/petstore+kubernetes+pagerduty+twilio.json" \
  "$S/kubernetes-core-v1.json" "$S/pagerduty-rest.json" "$S/twilio-api-v2010.json"
ls -l "$PAD" | awk 'NR > 1 { printf "%-45s %9d bytes\n", $9, $5 }'
FIRST=18 exec bench/spec-size-instructions.sh "$PAD/petstore.json" "$PAD/petstore+kubernetes.json" \
  "$PAD/petstore+kubernetes+pagerduty.json" "$PAD/petstore+kubernetes+pagerduty+twilio.json"
