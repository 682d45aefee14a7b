#!/usr/bin/env bash
# Sets up, builds (Release, build/) and starts the server in the foreground:
#   scripts/run.sh [--listen HOST:PORT] [--data-dir DIR] [--config FILE]
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "$0")/common.sh"
cd "$REPO_ROOT"

step "run: set-up"
scripts/setup.sh
step "run: Release build (build/)"
scripts/build.sh Release build
step "run: sluice serve $*"
exec build/sluice serve "$@"
