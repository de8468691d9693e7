#!/usr/bin/env bash
# Installs every Debian package the build, tests and benchmarks need.
# Idempotent: runs `apt-get update` and `apt-get install` only when a package
# is missing, so a second run is a fast no-op.
set -euo pipefail

PACKAGES=(
  build-essential g++ cmake ninja-build ccache pkg-config git
  clang clang-format clang-tidy libclang-rt-14-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  librocksdb-dev libboost-dev rapidjson-dev libyaml-cpp-dev libcli11-dev
  libspdlog-dev libfmt-dev libssl-dev libre2-dev libhnswlib-dev
  libstemmer-dev libutf8proc-dev libcurl4-openssl-dev
  libsqlite3-dev
  curl python3
  zsh  # CLI tests check the generated zsh completion script
  wrk nginx-light  # HTTP benchmark: load generator, and nginx as the throughput ceiling
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "bootstrap: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
