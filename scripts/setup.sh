#!/usr/bin/env bash
# Installs everything needed to build and test Sluice on Debian 12, then the pinned npm
# packages of the integration tests. Idempotent: apt runs only when a package is missing.
# Needs root (or sudo) only when something must be installed.
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "$0")/common.sh"

APT_PACKAGES=(
  build-essential g++ cmake ninja-build ccache pkg-config
  libboost1.81-dev libsimdjson-dev libyaml-cpp-dev libdeflate-dev libssl-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev libsnappy-dev libzstd-dev libcurl4-openssl-dev
  libjq-dev liblz4-dev liblzo2-dev
  unzip zstd python3-snappy tzdata
  awscli curl jq gzip python3 ca-certificates
)
# The machine may already carry a newer Node (with its own npm) from another source;
# Debian's nodejs/npm would replace it, so they are installed only when node is absent.
if ! command -v node >/dev/null 2>&1; then
  APT_PACKAGES+=(nodejs npm)
fi

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done

if ((${#missing[@]} > 0)); then
  step "setup: installing apt packages: ${missing[*]}"
  sudo=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null 2>&1 || die "setup.sh must run as root to install: ${missing[*]}"
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  step "setup: apt packages already installed"
fi

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if ((node_major < 20)); then
  printf 'warning: node %s found; @aws-sdk/client-firehose 3.1169.0 needs node >= 20\n' \
    "$(node --version)" >&2
fi

step "setup: npm ci in tests/integration"
(cd "$REPO_ROOT/tests/integration" && npm ci --no-audit --no-fund --loglevel=error)
