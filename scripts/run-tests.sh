#!/usr/bin/env bash
# The whole test suite: unit and end-to-end tests against the plain build and
# against the ASan+UBSan build.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=$(nproc)

build() {  # build DIR [cmake options...]
  local dir=$1; shift
  cmake -S . -B "$dir" -G Ninja -DBARERTC_WERROR=ON "$@" >/dev/null
  cmake --build "$dir" -j "$JOBS" | { grep -vE '^\[[0-9]+/[0-9]+\] |^ninja: ' || true; }
  test -x "$dir/barertc"
}

run_suite() {  # run_suite DIR LABEL SANITIZED
  local dir=$1 label=$2 sanitized=$3
  echo "== unit tests ($label)"
  "$dir/unit_tests" --gtest_brief=1
  echo "== end-to-end tests ($label)"
  BARERTC_BIN="$PWD/$dir/barertc" BARERTC_SANITIZED=$sanitized \
    node --test --test-reporter=spec --test-concurrency=2 --test-timeout=120000 \
      --test-force-exit tests/e2e/
}

# The web page in Chromium, against the plain build: the server paths it uses
# are the ones the end-to-end tests already run under the sanitizers.
browser_suite() {
  echo "== browser tests"
  BARERTC_BIN="$PWD/build/barertc" BARERTC_SCREENSHOTS="$PWD/build/screenshots" \
    node --test --test-reporter=spec --test-concurrency=1 --test-timeout=180000 \
      --test-force-exit tests/browser/
  echo "   screenshots: build/screenshots/"
}

web() {
  echo "== web client: type check, build, unit tests"
  (cd web && npm run --silent build >/dev/null && npx vitest run --reporter=dot)
}

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

web
build build
run_suite build plain 0
browser_suite
build build-asan -DBARERTC_SANITIZE=ON -DBARERTC_BENCH=OFF -DCMAKE_BUILD_TYPE=Debug
run_suite build-asan asan+ubsan 1
echo "== all tests passed"
