#!/usr/bin/env bash
# Usage: scripts/build.sh [Release|Debug|RelWithDebInfo] [build-dir] [extra cmake -D options...]
# Configures (Ninja, warnings as errors, ccache when installed) and builds. The build
# directory is relative to the repository root unless absolute.
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "$0")/common.sh"

build_type="${1:-Release}"
build_dir="${2:-build}"
shift $(($# < 2 ? $# : 2))
[[ "$build_dir" = /* ]] || build_dir="$REPO_ROOT/$build_dir"

step "build: configure $build_type in $build_dir $*"
cmake -S "$REPO_ROOT" -B "$build_dir" -G Ninja \
  -DCMAKE_BUILD_TYPE="$build_type" -DSLUICE_WERROR=ON "$@"

step "build: compile ($build_dir)"
cmake --build "$build_dir" -j "${SLUICE_JOBS:-$(nproc)}"
