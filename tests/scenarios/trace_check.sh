#!/bin/sh
# trace_check.sh MMSIM SCRIPT: run SCRIPT with --trace and check the
# database with sqlite3: integrity, schema version, events, the runs row.
set -u
mmsim=$1; script=$2
dir=$(mktemp -d) || exit 99
trap 'rm -rf "$dir"' EXIT
"$mmsim" scenario "$script" --quiet --trace "$dir/t.db" || { echo "mmsim failed: $?"; exit 1; }
q() { sqlite3 "$dir/t.db" "$1"; }
fail=0
check() { # SQL EXPECTED
  got=$(q "$1")
  if [ "$got" != "$2" ]; then echo "FAIL: $1 -> '$got', expected '$2'"; fail=1; else echo "ok: $1 -> $got"; fi
}
check "PRAGMA integrity_check" ok
check "PRAGMA user_version" 5
check "PRAGMA journal_mode" delete
check "SELECT count(*) FROM runs" 1
check "SELECT finished, exit_status FROM runs" "1|0"
check "SELECT config FROM runs" "mem=1M zones=DMA:1M numa=1 seed=0 quantum=100000 max_insns=0 trace_level=1 max_procs=64 page_cache=warm pcp=off cpu_slab=off"
check "SELECT events = (SELECT count(*) FROM events) FROM runs" 1
check "SELECT type_name FROM events_named WHERE seq = 1" run_start
check "SELECT type_name FROM events_named ORDER BY seq DESC LIMIT 1" run_end
# the example's order-5 allocation and its free, both in ZONE_DMA
check "SELECT count(*) FROM events WHERE type = 2 AND \"order\" = 5 AND zone = 0 AND gfp = 3264" 1
check "SELECT count(*) FROM events WHERE type = 3 AND \"order\" = 5" 1
check "SELECT count(*) FROM events_named WHERE type_name = 'cache_create' AND cache = 'inode'" 1
check "SELECT count(*) FROM events_named WHERE type_name IN ('slab_alloc', 'kmalloc')" 2
check "SELECT count(*) FROM events WHERE type = 2 AND pfn IS NULL" 0
check "SELECT count(*) FROM events WHERE type = 8 AND pfn IS NOT NULL" 0
exit $fail
