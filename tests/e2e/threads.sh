#!/bin/sh
# tests/e2e/threads.sh MMSIM GUEST_DIR - pthread programs end to end
# (suite 'e2e'), for guest/threads built with musl and with glibc:
#   1. sum, pingpong, join and signal, and guest/futex (every futex
#      operation, shared futexes across fork, robust mutexes): stdout and
#      exit status equal a native run's, with each CPU count in CPUS;
#   2. munmap: the threads that touch the page another thread unmapped die
#      of SIGSEGV (exit status 139 and the fault report), as natively;
#   3. deadlock: every thread waiting on a futex forever ends the run with
#      exit status 125 and the waiting threads named with their wchan;
#   4. bomb: a thread bomb meets --max-procs as EAGAIN from
#      pthread_create, never a simulator failure;
#   5. the same threaded run twice gives identical --json summaries and
#      identical traces;
#   6. tlb: with --cpus 4 and four threads running, the munmap of a page
#      every thread touched is one shootdown (nr_tlb_remote_flush 1) with
#      one IPI to each of the three other CPUs (nr_tlb_remote_flush_received
#      3); with --cpus 1, none.
set -u
MMSIM=$1
G=$2
CPUS=${CPUS:-"1 4"}
T=$(mktemp -d "${TMPDIR:-/tmp}/mmsim-threads.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }

for v in threads threads.glibc; do
	[ -x "$G/$v" ] || { echo "skip $v (not built)"; continue; }
	for c in sum pingpong join signal; do
		"$G/$v" $c > "$T/native" 2>&1; echo "exit $?" >> "$T/native"
		for n in $CPUS; do
			timeout 120 "$MMSIM" run -q --cpus "$n" --max-insns 3000000000 -- "$G/$v" $c > "$T/sim" 2>&1
			echo "exit $?" >> "$T/sim"
			if cmp -s "$T/native" "$T/sim"; then ok "$v $c --cpus $n: as native"
			else bad "$v $c --cpus $n"; diff "$T/native" "$T/sim" | head -10; fi
		done
	done
	for n in $CPUS; do
		timeout 120 "$MMSIM" run -q --cpus "$n" -- "$G/$v" munmap > "$T/out" 2> "$T/err"; rc=$?
		if [ $rc -eq 139 ] && grep -qx "thread 0 unmapped the page" "$T/out" && ! grep -q "never printed\|not reached" "$T/out" &&
		   grep -q "killed by SIGSEGV: read at .*(not mapped, SEGV_MAPERR)" "$T/err"
		then ok "$v munmap --cpus $n: SIGSEGV after another thread's munmap"
		else bad "$v munmap --cpus $n (exit $rc)"; cat "$T/out"; head -3 "$T/err"; fi

		timeout 120 "$MMSIM" run -q --cpus "$n" -- "$G/$v" deadlock > "$T/out" 2> "$T/err"; rc=$?
		if [ $rc -eq 125 ] && grep -q "deadlock: every process is blocked: pid 1 ($v) in futex_wait_queue, pid 2 ($v) in futex_wait_queue" "$T/err"
		then ok "$v deadlock --cpus $n: exit 125, both threads in futex_wait_queue"
		else bad "$v deadlock --cpus $n (exit $rc)"; cat "$T/err" | head -3; fi

		timeout 120 "$MMSIM" run -q --cpus "$n" --max-procs 16 -- "$G/$v" bomb > "$T/out" 2> "$T/err"; rc=$?
		if [ $rc -eq 0 ] && grep -qx "created 15 threads, then: Resource temporarily unavailable" "$T/out"
		then ok "$v bomb --cpus $n: EAGAIN at --max-procs 16"
		else bad "$v bomb --cpus $n (exit $rc)"; cat "$T/out" "$T/err" | head -5; fi
	done
done

# futex operations one by one (guest/futex.c): as native
for v in futex futex.glibc; do
	[ -x "$G/$v" ] || { echo "skip $v (not built)"; continue; }
	"$G/$v" > "$T/native" 2>&1; echo "exit $?" >> "$T/native"
	for n in $CPUS; do
		timeout 120 "$MMSIM" run -q --cpus "$n" --max-insns 3000000000 -- "$G/$v" > "$T/sim" 2>&1
		echo "exit $?" >> "$T/sim"
		if cmp -s "$T/native" "$T/sim"; then ok "$v --cpus $n: wake, requeue, wake_op, bitset, timeouts, shared, robust as native"
		else bad "$v --cpus $n"; diff "$T/native" "$T/sim" | head -10; fi
	done
done

for n in $CPUS; do
	for i in 1 2; do
		timeout 120 "$MMSIM" run -q --cpus "$n" --json -- "$G/threads" pingpong 200 > "$T/j$i" 2>&1
	done
	if [ -s "$T/j1" ] && cmp -s "$T/j1" "$T/j2"; then ok "pingpong --cpus $n twice: identical --json"
	else bad "pingpong --cpus $n twice: --json differs"; diff "$T/j1" "$T/j2" | head -5; fi
done

for n in 1 4; do
	for i in 1 2; do
		rm -f "$T/t$i.db"
		timeout 120 "$MMSIM" run -q --cpus "$n" --trace "$T/t$i.db" -- "$G/threads" sum > /dev/null 2>&1
		sqlite3 "$T/t$i.db" "SELECT * FROM events ORDER BY seq" > "$T/t$i.txt" 2>&1
	done
	if [ -s "$T/t1.txt" ] && cmp -s "$T/t1.txt" "$T/t2.txt"; then ok "sum --cpus $n twice: identical traces"
	else bad "sum --cpus $n twice: traces differ"; fi
done

vm() { sed -n "s/^ *\([0-9-]*\) *$1\$/\1/p" "$T/sum"; }
timeout 120 "$MMSIM" run --cpus 4 -- "$G/threads" tlb > "$T/out" 2> "$T/sum"; rc=$?
if [ $rc -eq 0 ] && [ "$(vm nr_tlb_remote_flush)" = 1 ] && [ "$(vm nr_tlb_remote_flush_received)" = 3 ]
then ok "tlb --cpus 4: one shootdown, one IPI to each of 3 CPUs"
else bad "tlb --cpus 4 (exit $rc): remote_flush '$(vm nr_tlb_remote_flush)' received '$(vm nr_tlb_remote_flush_received)'"; fi
timeout 120 "$MMSIM" run --cpus 1 -- "$G/threads" tlb > "$T/out" 2> "$T/sum"; rc=$?
if [ $rc -eq 0 ] && [ -z "$(vm nr_tlb_remote_flush)" ] && [ -z "$(vm nr_tlb_remote_flush_received)" ] &&
   [ -n "$(vm nr_tlb_local_flush_one)" ]
then ok "tlb --cpus 1: no shootdown, local flushes only"
else bad "tlb --cpus 1 (exit $rc)"; fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
