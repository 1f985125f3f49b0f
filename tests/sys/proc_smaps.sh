#!/bin/sh
# proc_smaps.sh MMSIM SYS_GUEST_DIR: /proc/PID/smaps and smaps_rollup against
# the same program run natively.  sys_smaps (static musl) reads the zero
# page, writes, shares pages with a forked child, breaks COW, maps shared
# anonymous memory and mlocks: Rss, Pss, Pss_Dirty, Shared/Private
# Clean/Dirty, Anonymous, Swap and Locked of each of its mappings and the
# rollup's Pss_Shmem and Locked equal the native ones.  Then `mmsim proc
# --at` prints the same smaps_rollup from the trace's checkpoints as by
# re-execution, at the moment the guest opened it.
set -u
MMSIM=$1
D=$2
T=$(mktemp -d "${TMPDIR:-/tmp}/mmsim-smaps.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

fail() {
	echo "FAIL [proc_smaps]: $*" >&2
	exit 1
}

env -i "$D/sys_smaps" >"$T/native" || fail "native sys_smaps failed"
[ "$(wc -l <"$T/native")" = 32 ] && ! grep -q missing "$T/native" || fail "native output: $(cat "$T/native")"
env -i "$MMSIM" run --trace "$T/s.db" "$D/sys_smaps" >"$T/sim" 2>"$T/err" || fail "mmsim run sys_smaps: $(cat "$T/err")"
cmp -s "$T/native" "$T/sim" || fail "smaps differ from native: $(diff "$T/native" "$T/sim" | head -10)"

seq=$("$MMSIM" query --csv "$T/s.db" "select max(seq) from events where type = 32 and detail = 'open'" | tail -1)
[ -n "$seq" ] || fail "no open event"
"$MMSIM" proc "$T/s.db" --at "$seq" -v smaps_rollup 1 >"$T/c" 2>"$T/c.err" || fail "proc smaps_rollup: $(cat "$T/c.err")"
grep -q "from the checkpoint" "$T/c.err" || fail "proc smaps_rollup did not use a checkpoint: $(cat "$T/c.err")"
"$MMSIM" proc "$T/s.db" --at "$seq" --reexecute smaps_rollup 1 >"$T/r" 2>&1 || fail "proc --reexecute: $(cat "$T/r")"
cmp -s "$T/c" "$T/r" || fail "smaps_rollup from the checkpoint differs: $(diff "$T/r" "$T/c" | head)"
grep -q "^Pss_Shmem: *64 kB" "$T/c" && grep -q "\[rollup\]$" "$T/c" || fail "smaps_rollup: $(cat "$T/c")"
echo "proc_smaps: smaps and smaps_rollup equal native; proc --at smaps_rollup equals re-execution"
