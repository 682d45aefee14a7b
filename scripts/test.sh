#!/usr/bin/env bash
# The full test run (what CI executes): set-up, Release build with unit + integration tests,
# then the unit tests again under AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "$0")/common.sh"
cd "$REPO_ROOT"

jobs="${SLUICE_JOBS:-$(nproc)}"

step "test: set-up"
scripts/setup.sh

step "test: Release build (build/)"
scripts/build.sh Release build

failed=()
step "test: unit + integration tests (build/)"
ctest --test-dir build --output-on-failure -j "$jobs" || failed+=("Release")

step "test: ASan+UBSan build of the unit tests (build-asan/)"
scripts/build.sh Debug build-asan -DSLUICE_SANITIZE=ON -DSLUICE_ONLY_UNIT_TESTS=ON

step "test: unit tests under ASan+UBSan (build-asan/)"
ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}" \
UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}" \
  ctest --test-dir build-asan --output-on-failure -L unit -j "$jobs" || failed+=("ASan+UBSan")

if ((${#failed[@]} > 0)); then
  die "test runs with failures: ${failed[*]}"
fi
step "test: all passed"
