#!/usr/bin/env bash
# Mutated specs at scale: MUTANTS (20,000 by default) mutants of the corpus's documents, each
# loaded, bound (every operation and component expanded as the macros do) and bundled for the
# run time, in a release build. Fails on the first panic, hang (20 s a mutant), refusal without
# a location, or resident memory past 4 GiB; prints the count, the refusals and the slowest
# mutant. `cargo test` runs the same test on 1,000 mutants.
# Usage: bench/mutants.sh   (MUTANTS=N, MUTANT_SEED=S to vary)
set -euo pipefail
cd "$(dirname "$0")/.."
MUTANTS=${MUTANTS:-20000} MUTANT_SEED=${MUTANT_SEED:-2026} \
  cargo test -q --release -p contract-check --lib mutants -- --nocapture 2>&1 |
  grep -E 'mutants,|panicked|test result'
