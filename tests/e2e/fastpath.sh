#!/bin/sh
# fastpath.sh MMSIM GUEST_DIR: the engine's same-block shortcut
# (sim/hooks.c hook_block) must change no result.  Each program runs with
# --fastpath on and off under several TLB policies, PCID on/off and small
# quanta (so several processes interleave on one iTLB); the --json
# summaries (instructions, every TLB counter, faults, vmstat) and the
# level-2 traces (every TLB miss and walk, in order) must be identical.
set -u
MMSIM=$1
G=$2
T=$(mktemp -d "${TMPDIR:-/tmp}/mmsim-fp.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
n=0

fail() {
	echo "FAIL [fastpath]: $*" >&2
	exit 1
}

# same CONFIG ARGS...: run on and off, compare summaries (and traces)
same() {
	cfg=$1
	shift
	for fp in on off; do
		# shellcheck disable=SC2086
		"$MMSIM" run --json -o "$T/$fp.json" --fastpath $fp $cfg "$@" >"$T/$fp.out" 2>"$T/$fp.err" </dev/null
		echo $? >"$T/$fp.rc"
	done
	cmp -s "$T/on.rc" "$T/off.rc" || fail "$cfg $*: exit status differs"
	cmp -s "$T/on.out" "$T/off.out" || fail "$cfg $*: guest output differs"
	cmp -s "$T/on.json" "$T/off.json" || { diff "$T/on.json" "$T/off.json" | head -c 600 >&2; fail "$cfg $*: summary differs"; }
	n=$((n + 1))
}

for cfg in "--tlb policy=lru --quantum 997" "--tlb policy=fifo,pcid=off --quantum 3001" \
	   "--tlb policy=random,l1i=16:2 --quantum 499"; do
	same "$cfg" "$G/hello"
	same "$cfg" "$G/fork_cow"
	same "$cfg" "$G/malloc_churn"
	same "$cfg" "$G/segv"
	if [ -x /bin/busybox ]; then
		same "$cfg" /bin/busybox sh -c 'seq 200 | sort -r | md5sum; echo x | busybox tr x y'
	fi
done

# level-2 traces: every TLB miss and walk in order
for fp in on off; do
	rm -f "$T/$fp.db"
	"$MMSIM" run -q --fastpath $fp --quantum 777 --trace "$T/$fp.db" --trace-level 2 "$G/fork_cow" >/dev/null 2>&1 ||
		fail "traced fork_cow ($fp) failed"
	python3 - "$T/$fp.db" >"$T/$fp.events" <<'PY' || fail "cannot read trace"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
cols = [r[1] for r in db.execute("PRAGMA table_info(events)")]
keep = [c for c in cols if c not in ("run_id",)]
for row in db.execute("SELECT %s FROM events ORDER BY rowid" % ",".join('"%s"' % c for c in keep)):
    # the run's config text names the setting itself
    print(str(row).replace(" fastpath=off", ""))
PY
done
[ -s "$T/on.events" ] || fail "empty trace"
cmp -s "$T/on.events" "$T/off.events" || fail "level-2 trace events differ between --fastpath on and off"
echo "fastpath: $n configurations and one level-2 trace identical with the shortcut on and off"
