#!/bin/sh
# tracedb_checkpoints.sh MMSIM GUEST_DIR: `mmsim proc --at` from the trace
# database's checkpoints (issue 11).  The views printed from a checkpoint
# plus the per-event changes (global: meminfo...slabinfo; per process: maps,
# smaps, status) must equal, byte for byte, the views printed by
# re-executing the run up to the same event (--reexecute): on a small fork
# run with a checkpoint every 1000 events (moments on, just before and just
# after checkpoints, and while slab caches are still being created), a swap
# run under pressure, shared anonymous memory going to swap, a file mapping
# and a 4-CPU threaded run (per-CPU page lists, one mm for five tasks).
# Damaged rows are refused with one line; without checkpoints, or after a
# gap in the recorded changes, the command falls back to re-executing.
set -u
MMSIM=$(realpath "$1")
G=$(realpath "$2")
T=$(mktemp -d "${TMPDIR:-/tmp}/mmsim-ckpt.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

fail() {
	echo "FAIL [tracedb_checkpoints]: $*" >&2
	exit 1
}
q() { "$MMSIM" query --csv "$1" "$2" | tail -n +2; }
checks=0

# same DB SEQ VIEW...: the checkpoint path and re-execution agree; the
# checkpoint path must have been taken unless $early is set (a moment
# reached while the slab caches are still being created is re-executed:
# that is only a few hundred events)
early=
same() {
	db=$1 seq=$2
	shift 2
	for view in "$@"; do
		"$MMSIM" proc "$db" --at "$seq" -v "$view" >"$T/c.txt" 2>"$T/c.err" || fail "proc --at $seq $view: $(cat "$T/c.err")"
		[ -n "$early" ] || grep -q "from the checkpoint at event" "$T/c.err" || fail "proc --at $seq $view did not use a checkpoint: $(cat "$T/c.err")"
		"$MMSIM" proc "$db" --at "$seq" --reexecute "$view" >"$T/r.txt" 2>"$T/r.err" || fail "proc --reexecute $seq $view: $(cat "$T/r.err")"
		[ -s "$T/c.txt" ] || fail "proc --at $seq $view printed nothing"
		cmp -s "$T/c.txt" "$T/r.txt" || fail "$(basename "$db") event $seq $view: checkpoint and re-execution differ: $(diff "$T/r.txt" "$T/c.txt" | head -6)"
		checks=$((checks + 1))
	done
}

# same_pid DB SEQ PID VIEW...: the same for /proc/PID/VIEW (both may also
# fail alike: no process PID at that moment)
same_pid() {
	db=$1 seq=$2 pid=$3
	shift 3
	for view in "$@"; do
		"$MMSIM" proc "$db" --at "$seq" -v "$view" "$pid" >"$T/c.txt" 2>"$T/c.err"
		crc=$?
		"$MMSIM" proc "$db" --at "$seq" --reexecute "$view" "$pid" >"$T/r.txt" 2>"$T/r.err"
		rrc=$?
		[ $crc = $rrc ] || fail "$(basename "$db") event $seq $view $pid: exit $crc from the checkpoint, $rrc re-executed: $(cat "$T/c.err" "$T/r.err")"
		if [ $crc = 0 ]; then
			grep -q "from the checkpoint at event" "$T/c.err" || fail "proc --at $seq $view $pid did not use a checkpoint: $(cat "$T/c.err")"
			[ -s "$T/c.txt" ] || [ "$view" != status ] || fail "proc --at $seq status $pid printed nothing"
		else
			grep -q "no process $pid at event $seq" "$T/c.err" || fail "proc --at $seq $view $pid: $(cat "$T/c.err")"
		fi
		cmp -s "$T/c.txt" "$T/r.txt" || fail "$(basename "$db") event $seq $view $pid: checkpoint and re-execution differ: $(diff "$T/r.txt" "$T/c.txt" | head -6)"
		checks=$((checks + 1))
	done
}

# --- a small run, a checkpoint every 1000 events ---------------------------
"$MMSIM" run -q --checkpoint-every 1000 --trace "$T/f.db" "$G/fork_cow" >/dev/null 2>&1 || fail "fork_cow run"
last=$(q "$T/f.db" "select max(seq) from events")
first=$(q "$T/f.db" "select min(seq) from checkpoints")
periodic=$(q "$T/f.db" "select count(*) from checkpoints where seq > $first + 100")
[ "$periodic" -ge 5 ] || fail "expected periodic checkpoints every 1000 events, got $(q "$T/f.db" "select group_concat(seq) from checkpoints")"
c2=$(q "$T/f.db" "select seq from checkpoints where seq > $first + 100 order by seq limit 1 offset 1")
early=1
for seq in "$first" $((first + 1)); do
	same "$T/f.db" "$seq" meminfo vmstat buddyinfo zoneinfo slabinfo
done
early=
for seq in $((c2 - 1)) "$c2" $((c2 + 1)) $((last / 2)) "$last"; do
	same "$T/f.db" "$seq" meminfo vmstat buddyinfo zoneinfo slabinfo
done
# the PID views: parent and child, before, during and after the fork's COW
for seq in $((c2 - 1)) "$c2" $((c2 + 1)) $((last / 3)) $((last / 2)) $((last * 3 / 4)) "$last"; do
	same_pid "$T/f.db" "$seq" 1 maps smaps status
	same_pid "$T/f.db" "$seq" 2 smaps status
done
# the child's Pss is half of the pages it shares with its parent somewhere
shared=0
for seq in $((last / 3)) $((last / 2)); do
	"$MMSIM" proc "$T/f.db" --at "$seq" smaps 2 2>/dev/null | grep -q "^Shared_" && shared=1
done
[ $shared = 1 ] || fail "no moment with the child's smaps"

# --- a swap run: 48 MiB through 32 MiB of RAM ---------------------------------
"$MMSIM" run -q --mem 32M --swap 64M --trace "$T/s.db" "$G/swap_verify" 48 >/dev/null 2>&1 || fail "swap run"
[ "$(q "$T/s.db" "select value from counters where name = 'vmstat.pswpout'")" -gt 0 ] 2>/dev/null || fail "the swap run did not swap"
slast=$(q "$T/s.db" "select max(seq) from events")
mid=$(q "$T/s.db" "select min(seq) from events where type = (select id from event_types where name = 'swap_out')")
for seq in $((mid + 7)) $((slast * 3 / 4)); do
	same "$T/s.db" "$seq" meminfo vmstat buddyinfo zoneinfo slabinfo
	same_pid "$T/s.db" "$seq" 1 smaps status
done
"$MMSIM" proc "$T/s.db" --at $((slast * 3 / 4)) status 1 | grep -q "^VmSwap:.*[1-9][0-9]* kB" || fail "the swap run's status shows no VmSwap"

# --- shared anonymous memory through swap, and a file mapping ----------------
"$MMSIM" run -q --mem 32M --swap 64M --checkpoint-every 2000 --trace "$T/sh.db" "$G/shmem_verify" shared 48 >/dev/null 2>&1 ||
	fail "shmem_verify run"
shlast=$(q "$T/sh.db" "select max(seq) from events")
for seq in $((shlast / 3)) $((shlast * 2 / 3)) $((shlast - 3)); do
	same_pid "$T/sh.db" "$seq" 1 maps smaps status
	same_pid "$T/sh.db" "$seq" 2 smaps
done
"$MMSIM" proc "$T/sh.db" --at $((shlast * 2 / 3)) smaps 1 | grep -q "^Swap: *[1-9][0-9]* kB" || fail "no shmem Swap in smaps"
"$MMSIM" run -q --checkpoint-every 300 --trace "$T/fm.db" "$G/file_mmap" >/dev/null 2>&1 || fail "file_mmap run"
fmlast=$(q "$T/fm.db" "select max(seq) from events")
for seq in $((fmlast / 2)) $((fmlast - 1)); do
	same_pid "$T/fm.db" "$seq" 1 maps smaps status
done

# --- four CPUs, four threads: per-CPU page lists in zoneinfo -------------------
"$MMSIM" run -q --cpus 4 --checkpoint-every 200 --trace "$T/t.db" "$G/threads" >/dev/null 2>&1 || fail "threads run"
tlast=$(q "$T/t.db" "select max(seq) from events")
for seq in $((tlast / 3)) $((tlast - 2)); do
	same "$T/t.db" "$seq" zoneinfo meminfo vmstat
done
for seq in $((tlast / 4)) $((tlast / 2)) $((tlast * 3 / 4)); do
	for pid in 1 2 3 4 5; do
		same_pid "$T/t.db" "$seq" "$pid" status
	done
	same_pid "$T/t.db" "$seq" 1 maps smaps
done
"$MMSIM" proc "$T/t.db" --at $((tlast - 2)) zoneinfo | grep -q "cpu: 3" || fail "zoneinfo lacks CPU 3's pageset"

# --- damaged rows and a database without checkpoints -------------------------
if command -v sqlite3 >/dev/null 2>&1; then
	cp "$T/f.db" "$T/bad.db"
	bad=$(q "$T/bad.db" "select min(seq) from events where state_delta is not null and seq > $c2")
	sqlite3 "$T/bad.db" "update events set state_delta = x'ffffffffffffffffffffff' where seq = $bad" || fail "sqlite3"
	"$MMSIM" proc "$T/bad.db" --at $((bad + 1)) meminfo >"$T/o.txt" 2>"$T/e.txt"
	[ $? = 2 ] || fail "a damaged state change was not refused"
	[ "$(wc -l <"$T/e.txt")" = 1 ] && grep -q "event $bad is damaged" "$T/e.txt" || fail "damaged delta message: $(cat "$T/e.txt")"
	[ -s "$T/o.txt" ] && fail "a damaged state change still printed a view"
	vbad=$(q "$T/bad.db" "select min(seq) from events where view_delta is not null and seq > $c2")
	sqlite3 "$T/bad.db" "update events set view_delta = x'ffffffffffffffffffffff' where seq = $vbad" || fail "sqlite3"
	"$MMSIM" proc "$T/bad.db" --at $((vbad + 1)) smaps 1 >"$T/o.txt" 2>"$T/e.txt"
	[ $? = 2 ] || fail "a damaged view change was not refused"
	[ "$(wc -l <"$T/e.txt")" = 1 ] && grep -q "event $vbad is damaged" "$T/e.txt" || fail "damaged view change message: $(cat "$T/e.txt")"
	[ -s "$T/o.txt" ] && fail "a damaged view change still printed a view"
	# a gap (the recorder ran out of memory) sends proc back to re-execution
	cp "$T/f.db" "$T/gap.db"
	sqlite3 "$T/gap.db" "update events set view_delta = x'00' where seq = $vbad" || fail "sqlite3"
	"$MMSIM" proc "$T/gap.db" --at $((vbad + 1)) -v smaps 1 >"$T/g.txt" 2>"$T/g.err" || fail "gap: $(cat "$T/g.err")"
	grep -q "by re-executing" "$T/g.err" || fail "after a gap it did not re-execute: $(cat "$T/g.err")"
	"$MMSIM" proc "$T/f.db" --at $((vbad + 1)) smaps 1 | cmp -s - "$T/g.txt" || fail "re-execution after a gap differs"
	checks=$((checks + 2))
	cp "$T/f.db" "$T/none.db"
	sqlite3 "$T/none.db" "delete from checkpoints" || fail "sqlite3"
	"$MMSIM" proc "$T/none.db" --at $((last / 2)) -v meminfo >"$T/n.txt" 2>"$T/n.err" || fail "no checkpoints: $(cat "$T/n.err")"
	grep -q "by re-executing" "$T/n.err" || fail "without checkpoints it did not re-execute: $(cat "$T/n.err")"
	"$MMSIM" proc "$T/f.db" --at $((last / 2)) meminfo | cmp -s - "$T/n.txt" || fail "re-execution without checkpoints differs"
	checks=$((checks + 3))
fi
# an OOM run: proc re-executes it quietly (the live run printed the report)
"$MMSIM" run -q --mem 16M --trace "$T/o.db" "$G/mem_hog" 64 >/dev/null 2>"$T/o.live"
grep -q "invoked oom-killer" "$T/o.live" || fail "mem_hog in 16M did not invoke the OOM killer"
olast=$(q "$T/o.db" "select max(seq) from events")
"$MMSIM" proc "$T/o.db" --at $((olast - 1)) --reexecute meminfo >/dev/null 2>"$T/o.err" || fail "proc on the OOM run: $(cat "$T/o.err")"
[ -s "$T/o.err" ] && fail "proc printed the re-executed run's kernel log: $(head -2 "$T/o.err")"
"$MMSIM" run --checkpoint-every 0 "$G/hello" >/dev/null 2>"$T/e.txt"
[ $? = 2 ] && grep -q "checkpoint-every" "$T/e.txt" || fail "--checkpoint-every 0 was not refused: $(cat "$T/e.txt")"
echo "tracedb_checkpoints: $checks checks passed"
