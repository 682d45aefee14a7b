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

# Names each failed test of a run and shows the end of its output, again: CI keeps only the
# tail of this script's log, where the ASan run's output would have buried them.
report_failures() {  # BUILD_DIR RUN
  local logs="$1/Testing/Temporary" name
  [[ -f "$logs/LastTestsFailed.log" ]] || return 0
  while IFS=: read -r _ name; do
    printf '\n--- %s run, failed: %s (end of its output)\n' "$2" "$name"
    awk -v name="$name" '
      index($0, " Testing: ") && substr($0, index($0, " Testing: ") + 10) == name { inside = 1; next }
      inside && $0 == "<end of output>" { exit }
      inside' "$logs/LastTest.log" | tail -n 40
  done <"$logs/LastTestsFailed.log"
}

failed=()  # RUN:BUILD_DIR of each run with failures
step "test: unit + integration tests (build/)"
ctest --test-dir build --output-on-failure -j "$jobs" || failed+=("Release:build")

step "test: ASan+UBSan build of the unit tests (build-asan/)"
scripts/build.sh Debug build-asan -DSLUICE_SANITIZE=ON -DSLUICE_ONLY_UNIT_TESTS=ON

step "test: unit tests under ASan+UBSan (build-asan/)"
ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}" \
UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}" \
  ctest --test-dir build-asan --output-on-failure -L unit -j "$jobs" || failed+=("ASan+UBSan:build-asan")

if ((${#failed[@]} > 0)); then
  for run in "${failed[@]}"; do report_failures "${run#*:}" "${run%%:*}"; done
  die "test runs with failures: ${failed[*]%%:*}"
fi
step "test: all passed"
