#!/bin/sh
# End-to-end tests of `mmsim run` (suite 'e2e').
# Usage: e2e.sh MMSIM GUEST_DIR CASE
# Each CASE runs real programs inside mmsim and checks exit codes, output
# (byte-identical to a native run where the program is deterministic),
# exact fault counts, the SIGSEGV report, determinism and bad input.
set -u
MMSIM=$1
G=$2
CASE=$3
T=$(mktemp -d "${TMPDIR:-/tmp}/mmsim-e2e.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
BUSYBOX=/bin/busybox

fail() {
	echo "FAIL [$CASE]: $*" >&2
	exit 1
}

# run_q EXPECTED_RC ARGS...: mmsim run -q, stdout to $T/out, stderr to $T/err
run_q() {
	want=$1
	shift
	"$MMSIM" run -q "$@" >"$T/out" 2>"$T/err"
	rc=$?
	[ "$rc" = "$want" ] || { cat "$T/err" >&2; fail "mmsim run $* exited $rc, wanted $want"; }
}

# same_as_native PROGRAM ARGS...: stdout and exit status identical to a native run
same_as_native() {
	"$@" >"$T/native" 2>/dev/null
	nrc=$?
	run_q "$nrc" "$@"
	cmp -s "$T/native" "$T/out" || { diff "$T/native" "$T/out" >&2; fail "$* differs from the native run"; }
}

# json_get FILE EXPR: a value of the --json summary (python3 reads it)
json_get() {
	python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"
}

# has FILE TEXT: FILE contains TEXT
has() {
	grep -qF -- "$2" "$1" || { cat "$1" >&2; fail "'$2' missing"; }
}

case $CASE in
static_pie)
	# a glibc static-PIE (ET_DYN, no PT_INTERP): loaded at a random-free
	# fixed base; glibc's start-up reads /proc/self/exe and wants it absolute
	command -v gcc >/dev/null || { echo "SKIP: no gcc"; exit 77; }
	gcc -static-pie -O2 -o "$T/pie" "${MMSIM_SRC:?}/guest/hello.c" 2>"$T/cc" || { cat "$T/cc"; echo "SKIP: no static-pie toolchain"; exit 77; }
	same_as_native "$T/pie" x
	run_q 0 "$T/pie"
	"$MMSIM" run -q --root / /bin/busybox readlink /proc/self/exe >"$T/link" 2>&1
	/bin/busybox readlink /proc/self/exe >"$T/nlink"
	cmp -s "$T/link" "$T/nlink" || fail "readlink /proc/self/exe: $(cat "$T/link") vs native $(cat "$T/nlink")"
	;;
hello)
	run_q 0 "$G/hello" a b
	[ "$(cat "$T/out")" = "hello from $G/hello (3 args)" ] || fail "wrong output: $(cat "$T/out")"
	;;
workloads)
	# deterministic programs: same stdout and exit status as natively
	same_as_native "$G/seq_sweep" 2 2
	same_as_native "$G/rand_access" 2 100000
	same_as_native "$G/ptr_chase" 2 100000
	same_as_native "$G/malloc_churn" 5000 256
	same_as_native "$G/stack_grow" 300
	same_as_native "$G/mem_hog" 6
	same_as_native "$G/fork_cow" 2 3
	same_as_native "$G/far_mmap"
	;;
anon_faults)
	# N fresh anonymous pages: exactly N faults, written or read (zero page)
	for how in w r; do
		run_q 0 "$G/touch_pages" 777 $how
		has "$T/out" "777 pages, 777 page faults"
	done
	# and the machine-wide split: 777 more anon faults than with 1 page
	"$MMSIM" run --json -o "$T/a.json" "$G/touch_pages" 1 w >/dev/null || fail "touch_pages 1"
	"$MMSIM" run --json -o "$T/b.json" "$G/touch_pages" 778 w >/dev/null || fail "touch_pages 778"
	d=$(($(json_get "$T/b.json" "d['faults']['anon']") - $(json_get "$T/a.json" "d['faults']['anon']")))
	[ "$d" = 777 ] || fail "777 extra pages gave $d extra anon faults"
	;;
fork_cow)
	# a child writing every page of an inherited, touched 16 MiB region:
	# exactly 4096 COW faults, the parent's data unchanged
	"$MMSIM" run --json -o "$T/j" "$G/fork_cow" 16 >"$T/out" 2>"$T/err" || { cat "$T/err" >&2; fail "fork_cow exited $?"; }
	has "$T/out" "child: wrote 4096 pages, 4096 page faults"
	has "$T/out" "parent: child status 0, 0 bytes changed under the parent"
	c=$(json_get "$T/j" "[p for p in d['processes'] if p['pid']==2][0]['cow_faults']")
	# 4096 in the loop; the child's stack and stdio pages add a few more
	[ "$c" -ge 4096 ] && [ "$c" -le 4104 ] || fail "child cow_faults $c, wanted 4096 + a few"
	;;
segv)
	run_q 139 "$G/segv" null
	has "$T/out" "segv: null"
	has "$T/err" "killed by SIGSEGV: write at 0x0 (not mapped, SEGV_MAPERR)"
	has "$T/err" "mov dword ptr [0], eax"
	has "$T/err" "#PF error code 0x6 (W|U)"
	has "$T/err" "VMAs:"
	has "$T/err" "[stack]"
	run_q 139 "$G/segv" ro
	has "$T/err" "(protection, SEGV_ACCERR)"
	has "$T/err" "#PF error code 0x7 (P|W|U)"
	run_q 139 "$G/segv" wild
	has "$T/err" "write at 0x1234567890 (not mapped, SEGV_MAPERR)"
	;;
determinism)
	for i in 1 2; do
		"$MMSIM" run --json -o "$T/j$i" --trace "$T/t$i.db" --seed 7 "$G/fork_cow" 1 2 >"$T/o$i" 2>&1 ||
			fail "run $i exited $?"
	done
	cmp -s "$T/j1" "$T/j2" || { diff "$T/j1" "$T/j2" >&2; fail "--json differs between two identical runs"; }
	if command -v sqlite3 >/dev/null; then
		for i in 1 2; do
			sqlite3 "$T/t$i.db" "select * from events order by seq" >"$T/e$i" || fail "trace $i unreadable"
		done
		[ -s "$T/e1" ] || fail "empty trace"
		cmp -s "$T/e1" "$T/e2" || fail "trace events differ between two identical runs"
	fi
	;;
bad_elf)
	printf 'not an ELF file\n' >"$T/bad"
	chmod +x "$T/bad"
	run_q 2 "$T/bad"
	[ "$(wc -l <"$T/err")" = 1 ] || { cat "$T/err" >&2; fail "error is not one line"; }
	has "$T/err" "$T/bad"
	run_q 2 "$T/missing-program"
	[ "$(wc -l <"$T/err")" = 1 ] || { cat "$T/err" >&2; fail "error is not one line"; }
	;;
max_insns)
	"$MMSIM" run --json -o "$T/j" --max-insns 200000 "$G/seq_sweep" 4 4 >/dev/null 2>"$T/err"
	rc=$?
	[ "$rc" = 124 ] || fail "--max-insns gave exit $rc, wanted 124"
	has "$T/err" "instruction limit"
	n=$(json_get "$T/j" "d['instructions']")
	# slices end at basic-block boundaries: at most one block (< 1000
	# instructions) beyond the limit
	[ "$n" -ge 200000 ] && [ "$n" -le 201000 ] || fail "ran $n instructions with --max-insns 200000"
	;;
busybox)
	[ -x "$BUSYBOX" ] || { echo "SKIP: no $BUSYBOX"; exit 77; }
	printf 'pear\napple\nzebra\nbanana\napple\n' >"$T/in"
	same_as_native "$BUSYBOX" echo hi
	same_as_native "$BUSYBOX" seq 1 10
	same_as_native "$BUSYBOX" sh -c 'echo a; echo b'
	for app in sort md5sum; do
		"$BUSYBOX" $app <"$T/in" >"$T/native"
		run_q 0 --stdin "$T/in" "$BUSYBOX" $app
		cmp -s "$T/native" "$T/out" || fail "busybox $app differs from the native run"
	done
	# a --stdin that never ends is refused after 256 MiB, not read until
	# the host runs out of memory; /dev/null and a pipe are fine
	"$MMSIM" run -q --stdin /dev/zero "$BUSYBOX" head -c 10 >/dev/null 2>"$T/err"
	[ $? = 2 ] && grep -q "^mmsim run: --stdin: /dev/zero: not a regular file" "$T/err" ||
		fail "--stdin /dev/zero: $(cat "$T/err")"
	"$MMSIM" scenario /dev/zero >/dev/null 2>"$T/err"
	[ $? = 2 ] && grep -q "more than 256 MiB" "$T/err" || fail "scenario /dev/zero: $(cat "$T/err")"
	[ "$("$MMSIM" run -q --stdin /dev/null "$BUSYBOX" wc -c)" = 0 ] || fail "--stdin /dev/null"
	[ "$(printf 'abc' | "$MMSIM" run -q --stdin /dev/stdin "$BUSYBOX" wc -c)" = 3 ] || fail "--stdin from a pipe"
	# /proc/self/limits in Linux's layout (names, widths, units: the values
	# are the machine's own), /proc/self/environ the guest's environment
	"$MMSIM" run -q "$BUSYBOX" sh -c 'ulimit -n 100; cat /proc/self/limits' >"$T/lim" 2>"$T/err" || fail "limits: $(cat "$T/err")"
	(ulimit -n 100; "$BUSYBOX" cat /proc/self/limits) | cut -c1-26 >"$T/lim.native"
	cut -c1-26 "$T/lim" | cmp -s - "$T/lim.native" || fail "/proc/self/limits names differ: $(cut -c1-26 "$T/lim" | diff "$T/lim.native" -)"
	grep -qx "Max open files            100                  100                  files     " "$T/lim" ||
		fail "/proc/self/limits: $(grep files "$T/lim")"
	"$MMSIM" run -q "$BUSYBOX" sh -c 'tr "\0" "\n" </proc/self/environ' >"$T/env" 2>&1
	printf 'PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin\nHOME=/\n' | cmp -s - "$T/env" || fail "/proc/self/environ: $(cat "$T/env")"
	# a write error on the host's side reaches the guest as natively
	# (ENOSPC from /dev/full: busybox says so and exits 1)
	"$MMSIM" run -q "$BUSYBOX" echo hi >/dev/full 2>"$T/err"
	[ $? = 1 ] && grep -q "No space left on device" "$T/err" || fail "stdout on /dev/full: $(cat "$T/err")"
	"$MMSIM" run -o /dev/full "$BUSYBOX" true 2>"$T/err"
	[ $? = 2 ] && grep -q "cannot write the summary" "$T/err" || fail "-o /dev/full: $(cat "$T/err")"
	;;
pagemap)
	# /proc/self/pagemap: present, swapped, file/shared and exclusive bits
	# of pages in several states, before and after fork and COW, as natively
	same_as_native "$G/pagemap"
	grep -q "^start: ----- P--X- P--X- P----" "$T/out" || fail "pagemap flags: $(cat "$T/out")"
	# swapped pages (MADV_PAGEOUT on a machine with swap)
	run_q 0 --swap 16M "$G/pagemap" pageout
	grep -q "^after MADV_PAGEOUT of pages 1-2: ----- -S--- -S--- P----" "$T/out" ||
		fail "pagemap after MADV_PAGEOUT: $(cat "$T/out")"
	;;
busybox_jobs)
	# background jobs killed by signals: stdout, stderr (the shell's
	# "Killed" / "Terminated" job lines) and exit status as natively.  Linux
	# kills the target of a fatal signal when it next runs, not inside the
	# sender's kill(): `wait $!` finds the job alive, sleeps, reaps it and
	# prints the line; plain `wait` prints none.  A stopped task dies only
	# of SIGKILL; SIGTERM waits for SIGCONT.
	[ -x "$BUSYBOX" ] || { echo "SKIP: no $BUSYBOX"; exit 77; }
	# A job that dies before the shell reaches `wait $!` is reaped without
	# a job line when the shell saw its SIGCHLD first: natively a matter of
	# timing (on an idle machine the line is always printed, on a loaded
	# one sometimes not), so each command runs natively up to 5 times and
	# mmsim must give exactly the output of one of those runs.  A non-
	# interactive shell's background job ignores SIGINT once it has set
	# that up: a SIGINT sent at once races with it natively (a loaded
	# machine always loses the race), so the INT case waits half a second.
	n=0
	while IFS= read -r cmd; do
		"$MMSIM" run -q --root / "$BUSYBOX" sh -c "$cmd" >"$T/out" 2>"$T/err" </dev/null
		rc=$?
		same=false
		for try in 1 2 3 4 5; do
			# natively through python3: a shell would print its own
			# "Killed" line for a killed foreground busybox
			python3 -c 'import subprocess, sys
r = subprocess.run(sys.argv[1:], timeout=60)
sys.exit(r.returncode if r.returncode >= 0 else 128 - r.returncode)' "$BUSYBOX" sh -c "$cmd" >"$T/nout" 2>"$T/nerr" </dev/null
			nrc=$?
			if [ "$rc" = "$nrc" ] && cmp -s "$T/nout" "$T/out" && cmp -s "$T/nerr" "$T/err"; then
				same=true
				break
			fi
			printf 'native run %s: exit %s, stdout:\n%s\nstderr:\n%s\n' "$try" "$nrc" "$(cat "$T/nout")" "$(cat "$T/nerr")" >&2
		done
		if ! $same; then
			printf 'mmsim: exit %s, stdout:\n%s\nstderr:\n%s\n' "$rc" "$(cat "$T/out")" "$(cat "$T/err")" >&2
			fail "sh -c '$cmd' differs from 5 native runs"
		fi
		n=$((n + 1))
	done <<'CMDS'
sleep 1 & kill -KILL $!; wait
sleep 1 & kill -KILL $!; wait; echo $?
sleep 1 & kill -KILL $!; wait $!; echo $?
sleep 5 & kill $!; wait $!; echo $?
sleep 5 & kill -INT $!; wait; echo done
sleep 1 & sleep 0.5; kill -INT $!; wait $!; echo $?
sleep 5 & kill -USR1 $!; wait $!; echo $?
true & wait $!; echo $?
(exit 3) & wait $!; echo $?
sleep 5 & pid=$!; kill -TERM $pid; wait; echo $?; wait $pid; echo $?
sleep 1 & sleep 2 & kill %1; wait %1; echo $?; wait; echo end
(trap "" TERM; sleep 2; echo survived) & sleep 1; kill -TERM $!; wait $!; echo $?
trap "echo got" USR1; (sleep 1; kill -USR1 $$) & wait; echo $?
sleep 3 & kill -STOP $!; kill -KILL $!; wait $!; echo $?
sleep 5 & kill -STOP $!; sleep 1; kill -TERM $!; sleep 1; kill -CONT $!; sleep 1; wait $!; echo $?
sleep 5 & kill -STOP $!; kill -CONT $!; kill -HUP $!; wait $!; echo $?
kill -9 $$; echo no
kill -TERM $$; echo no
CMDS
	[ "$n" = 18 ] || fail "ran $n of 18 commands"
	# processes alive when the run stops: the summary shows their state
	# (and where they sleep), not the SIGKILL that ends the run
	"$MMSIM" run --json -o "$T/j" --max-insns 3000000 --root / "$BUSYBOX" sh -c \
		'(exit 3) & sleep 5 & kill -STOP $!; (while :; do :; done) | cat; echo' >/dev/null 2>"$T/err"
	rc=$?
	[ "$rc" = 124 ] || fail "--max-insns run exited $rc, wanted 124"
	got=$(json_get "$T/j" "';'.join('%d %s %s %s %s' % (p['pid'], p['state_at_end'], p['exit_status'], p['stop_signal'], p['wchan']) for p in d['processes'])")
	want="1 sleeping None None do_wait;2 exited 3 None None;3 stopped None 19 None;4 running None None None;5 sleeping None None pipe_read"
	[ "$got" = "$want" ] || fail "processes at the end: $got, wanted $want"
	"$MMSIM" run --max-insns 3000000 --root / "$BUSYBOX" sh -c \
		'(exit 3) & sleep 5 & kill -STOP $!; (while :; do :; done) | cat; echo' >/dev/null 2>"$T/err"
	for line in "sleeping (do_wait)" "exit 3" "stopped (SIGSTOP)" "running" "sleeping (pipe_read)" \
		    "4 processes alive when the run ended"; do
		has "$T/err" "$line"
	done
	grep -q 'signal 9' "$T/err" && fail "a process alive at the end shows as signal 9"
	echo "busybox_jobs: $n shell job commands as natively"
	;;
*)
	fail "unknown case"
	;;
esac
exit 0
