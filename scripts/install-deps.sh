#!/usr/bin/env bash
# Installs everything the build, the server and the tests need, from Debian's
# packages and the npm registry. Idempotent and quiet when all is present.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  g++ cmake ninja-build make pkg-config clang-format
  libboost-dev libboost-program-options-dev
  rapidjson-dev libtomlplusplus-dev libre2-dev
  libcmark-gfm-dev libcmark-gfm-extensions-dev
  libspdlog-dev libfmt-dev libssl-dev libsqlitecpp-dev libsqlite3-dev
  libcurl4-openssl-dev libvips-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  chromium fonts-noto-color-emoji
  libhiredis-dev redis-server

)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node 20 with its npm is on the machine; Debian's own nodejs is the fallback.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Node packages: the web client's build (web/) and the tests' clients (tests/),
# each installed from its lock file, only when that lock changed.
npm_install() {  # npm_install DIR
  local dir=$1 stamp=$1/node_modules/.install-stamp
  [ -f "$dir/package.json" ] || return 0
  if [ ! -f "$stamp" ] || [ "$dir/package-lock.json" -nt "$stamp" ] || [ "$dir/package.json" -nt "$stamp" ]; then
    echo "install-deps: npm ci ($dir)"
    (cd "$dir" && npm ci --silent --no-audit --no-fund >/dev/null 2>&1 || npm install --silent --no-audit --no-fund >/dev/null)
    touch "$stamp"
  fi
}
npm_install web
npm_install tests
