#!/bin/sh
# swap.sh MMSIM GUEST_DIR: reclaim and swap end to end.  A checksummed
# pattern over 1.5x RAM reads back intact through swap (host memory and
# --swap-file), also across fork with COW pages swapped while shared;
# swapping shows in vmstat (pswpout, pswpin, pgmajfault, refaults) and in
# the guest's /proc; tmpfs files and MAP_SHARED|MAP_ANONYMOUS memory over
# RAM go to swap and read back identical; kswapd's events say it woke at or below the low
# watermark and napped only above the high one; bad options exit 2.
set -u
MMSIM=$1
G=$2
T=$(mktemp -d "${TMPDIR:-/tmp}/mmsim-swap.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

fail() {
	echo "FAIL [swap]: $*" >&2
	exit 1
}

q() {
	python3 -c "import sqlite3,sys; print('|'.join(str(x) for x in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()))" "$@"
}

# counter NAME FILE: the value of a vmstat counter in the summary (0 if it did not move)
counter() {
	awk -v n="$1" '$2 == n { print $1; f = 1 } END { if (!f) print 0 }' "$2"
}

"$MMSIM" run --mem 32M --swap 64M --trace "$T/a.db" -- "$G/swap_verify" 48 >"$T/out" 2>"$T/err" ||
	{ cat "$T/out" "$T/err" >&2; fail "swap_verify 48 MiB in 32M RAM failed"; }
grep -q "^swap_verify: ok" "$T/out" || fail "pattern not verified: $(cat "$T/out")"
for c in pswpout pswpin pgmajfault pgscan_kswapd pgsteal_kswapd workingset_refault_anon swap_ra; do
	[ "$(counter $c "$T/err")" -gt 0 ] || fail "$c did not move"
done
# simulated time is more than the instructions (swap I/O waits, reclaim), and
# the summary says so rather than "1 instruction = 1 ns"
insns=$(awk '$2 == "instructions" { gsub(/,/, "", $1); print $1 }' "$T/err")
ms=$(awk '$3 == "simulated" { print $1 }' "$T/err")
python3 -c "import sys; sys.exit(0 if float(sys.argv[2]) * 1e6 > int(sys.argv[1]) else 1)" "$insns" "$ms" ||
	fail "simulated time $ms ms is not above $insns instructions at 1 ns"
grep "simulated time" "$T/err" | grep -q "1 ns per instruction + idle waits + reclaim" ||
	fail "the simulated-time comment: $(grep "simulated time" "$T/err")"
# kswapd: woken at or below low, naps (balanced) only at or above high
[ "$(q "$T/a.db" "select count(*) from events where type = 37 and detail = 'wake'")" -gt 0 ] || fail "kswapd never woke"
[ "$(q "$T/a.db" "select count(*) from events where type = 37 and detail = 'wake' and value > addr")" = 0 ] ||
	fail "kswapd woken above the low watermark"
[ "$(q "$T/a.db" "select count(*) from events where type = 37 and detail = 'nap'")" -gt 0 ] || fail "kswapd never balanced"
[ "$(q "$T/a.db" "select count(*) from events where type = 37 and detail = 'nap' and value < size")" = 0 ] ||
	fail "kswapd stopped below the high watermark"
[ "$(q "$T/a.db" "select count(*) from events where type = 38")" = "$(counter pswpout "$T/err")" ] ||
	fail "swap_out events do not match pswpout"

# COW pages swapped while shared by parent and child, in a swap file
"$MMSIM" run --mem 32M --swap 96M --swap-file "$T" -- "$G/swap_verify" 40 fork >"$T/out" 2>"$T/err" ||
	{ cat "$T/out" "$T/err" >&2; fail "swap_verify fork failed"; }
[ "$(grep -c "ok$" "$T/out")" = 2 ] || fail "fork run: $(cat "$T/out")"
ls "$T" | grep -q mmsim-swap && fail "swap file left behind"

# too little swap: the run ends in the OOM killer, the data never corrupt
# (38 MiB stays under the overcommit heuristic's RAM + swap)
"$MMSIM" run --mem 32M --swap 8M -- "$G/swap_verify" 38 >"$T/out" 2>"$T/err"
grep -q MISMATCH "$T/out" && fail "corruption with a full swap area"
grep -q "^Out of memory: Killed process 1 (swap_verify)" "$T/err" || fail "no OOM kill with a full swap area"

# tmpfs files written under pressure read back identical: 48 MiB of files in
# /tmp with 32M of RAM go to swap (shmem_writepage) and come back on read()
if [ -x "$G/shmem_verify" ]; then
	"$MMSIM" run --mem 32M --swap 96M --tmpfs-size 64M --trace "$T/s.db" -- "$G/shmem_verify" files 48 \
		>"$T/out" 2>"$T/err" || { cat "$T/out" "$T/err" >&2; fail "shmem_verify files failed"; }
	grep -q "^shmem_verify: ok" "$T/out" || fail "tmpfs files not verified: $(cat "$T/out")"
	[ "$(counter pswpout "$T/err")" -gt 8192 ] || fail "tmpfs pages not swapped out"
	[ "$(q "$T/s.db" "select count(*) from events where type = 39 and detail like 'shmem%'")" -gt 4096 ] ||
		fail "tmpfs pages not swapped in"
	# without swap the same files cannot fit: the OOM killer, not corruption
	"$MMSIM" run --mem 32M --tmpfs-size 64M -- "$G/shmem_verify" files 48 >"$T/out" 2>"$T/err"
	grep -q MISMATCH "$T/out" && fail "tmpfs corruption without swap"
	grep -q "^Out of memory: Killed process" "$T/err" || fail "tmpfs over RAM without swap: no OOM kill"
	# MAP_SHARED|MAP_ANONYMOUS memory shared by parent and child, swapped
	# out and back: both see every write, the parent the child's last ones
	"$MMSIM" run --mem 32M --swap 96M -- "$G/shmem_verify" shared 48 >"$T/out" 2>"$T/err" ||
		{ cat "$T/out" "$T/err" >&2; fail "shmem_verify shared failed"; }
	[ "$(grep -c "^shmem_verify: ok" "$T/out")" = 3 ] || fail "shared anon run: $(cat "$T/out")"
	[ "$(counter pswpin "$T/err")" -gt 8192 ] || fail "shared anonymous pages not swapped in"
	# smaps Swap: of the mapping counts the object's swapped pages
	[ "$(sed -n 's/^smaps Swap: \([0-9]*\) kB$/\1/p' "$T/out")" -gt 4096 ] ||
		fail "smaps Swap: of the shared mapping: $(grep smaps "$T/out")"
fi

# a real pipeline through swap with the default --swap-latency: a swap-in
# that waits must not rerun half a block (sort died of SIGTRAP, md5 wrong)
want=$(/bin/busybox seq 1 60000 | /bin/busybox sort -r | /bin/busybox md5sum)
got=$("$MMSIM" run -q --mem 5M --swap 64M --root / -- /bin/busybox sh -c 'seq 1 60000 | sort -r | md5sum' 2>"$T/err")
[ "$got" = "$want" ] || { head -3 "$T/err" >&2; fail "sort through swap: '$got', native '$want'"; }

# /proc in the guest (the header page is not swap: 16M gives 16380 kB, as Linux)
"$MMSIM" run -q --mem 64M --swap 16M --root / -- /bin/busybox cat /proc/meminfo /proc/swaps >"$T/out" 2>&1 ||
	fail "cat /proc/meminfo failed: $(cat "$T/out")"
grep -q "^SwapTotal:  *16380 kB" "$T/out" || fail "SwapTotal: $(grep Swap "$T/out")"
grep -q "^/dev/mmsim-swap  *partition	16380	" "$T/out" || fail "/proc/swaps: $(tail -2 "$T/out")"

# bad input
for o in "--swap 12Q" "--swap -1" "--swap-latency soon" "--swap-latency -5us"; do
	"$MMSIM" run -q $o -- "$G/hello" >/dev/null 2>"$T/err"
	[ $? = 2 ] || fail "'$o' did not exit 2"
	[ "$(wc -l <"$T/err")" = 1 ] || fail "'$o': not one line: $(cat "$T/err")"
done
"$MMSIM" run -q --swap 1M --swap-file /nonexistent/dir -- "$G/hello" >/dev/null 2>"$T/err"
[ $? = 2 ] || fail "--swap-file into a missing directory did not exit 2"
echo "swap: ok"
