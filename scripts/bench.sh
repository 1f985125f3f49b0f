#!/usr/bin/env bash
# Run every benchmark built in build/bench (each prints its ratios).
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
for b in alloc_bench tlb_bench emu_bench; do
  exe=build/bench/$b
  if [ -x "$exe" ]; then
    echo "== $b"
    "$exe" || status=1
  fi
done
if [ -x build/tools/mmsim ]; then
  echo "== proc_at_bench"
  sh bench/proc_at_bench.sh || status=1
fi
exit $status
