#!/usr/bin/env bash
# `make fuzz`: runs every libFuzzer target for SECONDS each, starting from
# the committed seed corpus (test/fuzz/corpus/<name>) and writing new inputs
# to a scratch corpus in the build directory (the committed one stays small).
set -euo pipefail
BUILD_DIR=${1:-build-fuzz}
SECONDS_EACH=${2:-60}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
status=0
shopt -s nullglob
for bin in "$BUILD_DIR"/bin/og_fuzz_*; do
  name=$(basename "$bin"); name=${name#og_fuzz_}
  work="$BUILD_DIR/fuzz-corpus/$name"
  mkdir -p "$work" "$ROOT/test/fuzz/artifacts"
  echo "== fuzz $name for ${SECONDS_EACH}s (seeds: test/fuzz/corpus/$name)"
  if ! "$bin" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
       -artifact_prefix="$ROOT/test/fuzz/artifacts/$name-" \
       "$work" "$ROOT/test/fuzz/corpus/$name"; then
    echo "fuzz $name: FAILED (see test/fuzz/artifacts/)"
    status=1
  fi
done
exit $status
