#!/usr/bin/env bash
# Run every test in both configurations and end with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
pass=0; fail=0
run() { # $1 build dir, rest: meson test args
  local dir=$1; shift
  local log; log=$(mktemp)
  meson test -C "$dir" --print-errorlogs "$@" 2>&1 | tee "$log" | grep -E '^ *[0-9]+/[0-9]+ |FAIL|ERROR' || true
  local ok f t
  ok=$(awk '/^Ok:/{print $2}' "$log"); f=$(awk '/^Fail:/{print $2}' "$log"); t=$(awk '/^Timeout:/{print $2}' "$log")
  local e; e=$(awk '/^Unexpected Pass:/{print $3}' "$log")
  pass=$((pass + ${ok:-0})); fail=$((fail + ${f:-0} + ${t:-0} + ${e:-0}))
  if [ -z "$ok" ]; then echo "check: meson test in $dir produced no summary"; tail -20 "$log"; fail=$((fail + 1)); fi
  rm -f "$log"
}
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS UBSAN_OPTIONS
run build
run build-asan --suite unit
echo "${pass} passed, ${fail} failed"
[ "$fail" -eq 0 ]
