#!/bin/sh
# trace_coverage.sh MMSIM GUEST_DIR SCENARIO_DIR: every event type of
# event_types appears in at least one test trace (issue 11).  The traces:
# every scenario of tests/scenarios, and runs of several guests at trace
# level 2 (with a small machine, so that memory pressure events appear once
# the allocator emits them).  A type added to TRACE_EVENT_TYPES fails this
# test until some test trace shows it; the only exemptions are types that
# only a kernel bug emits, counted by the unit tests instead.
set -u
MMSIM=$1
G=$2
S=$3
T=$(mktemp -d "${TMPDIR:-/tmp}/mmsim-cov.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
# bad_page: tests/mm/test_buddy.c; slab_error: tests/slab/test_slab.c
EXEMPT="bad_page slab_error"

i=0
for f in "$S"/*.scn; do
	i=$((i + 1))
	"$MMSIM" scenario "$f" --quiet --trace "$T/s$i.db" >/dev/null 2>&1
done
for g in fork_cow segv malloc_churn file_mmap mem_hog stack_grow; do
	[ -x "$G/$g" ] || continue
	"$MMSIM" run -q --trace-level 2 --mem 64M --max-insns 200000000 --trace "$T/r-$g.db" "$G/$g" >/dev/null 2>&1
done
# swap out and in: 40 MiB through 32 MiB of RAM
[ -x "$G/swap_verify" ] && "$MMSIM" run -q --mem 32M --swap 64M --trace "$T/r-swap.db" "$G/swap_verify" 40 >/dev/null 2>&1
python3 - "$T" "$EXEMPT" <<'PY'
import glob, sqlite3, sys
seen, names = set(), {}
for f in glob.glob(sys.argv[1] + "/*.db"):
    d = sqlite3.connect(f)
    names.update(dict(d.execute("select id, name from event_types")))
    seen.update(t for (t,) in d.execute("select distinct type from events"))
missing = sorted(n for i, n in names.items() if i not in seen and n not in sys.argv[2].split())
if not names:
    sys.exit("FAIL [trace_coverage]: no traces")
if missing:
    sys.exit("FAIL [trace_coverage]: event types in no test trace: " + " ".join(missing))
print(f"trace_coverage: ok ({len(names)} types)")
PY
