#!/bin/sh
# tests/sys/signals.sh MMSIM GUESTDIR - signal delivery end to end: the
# sys_signals guest's cases give the same stdout and exit status under
# mmsim as natively (handlers with and without SA_SIGINFO, sa_mask,
# SA_NODEFER, SA_RESETHAND, SA_RESTART vs EINTR, SIGSEGV recovery with
# siglongjmp, SIGCHLD, sigaltstack, FPU/SSE state across a handler, a
# corrupted frame, pause/sigsuspend/sigtimedwait, ITIMER_REAL, nanosleep,
# /proc/self/exe); busybox's shell relying on SIGCHLD and /proc/self/exe.
set -u
MMSIM=$1
G=$2
BB=/bin/busybox
T=$(mktemp -d /tmp/mmsim-signals.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail=0
pass=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }

# 1. every case: stdout and exit status identical to the native run
for c in basic mask resethand restart segv sigchld altstack fpu badframe badcs wait timer nanosleep async norestorer exe; do
	timeout 20 "$G/sys_signals" $c > "$T/native" 2> /dev/null; nrc=$?
	timeout 60 "$MMSIM" run -q -- "$G/sys_signals" $c > "$T/sim" 2> "$T/err"; src=$?
	if [ -s "$T/native" ] && cmp -s "$T/native" "$T/sim" && [ $nrc -eq $src ]; then ok "signals $c (exit $src)"
	else bad "signals $c (native rc $nrc, mmsim rc $src)"; diff "$T/native" "$T/sim" | head -8; head -3 "$T/err"; fi
done

# 2. the expected outcomes themselves (so a native regression is noticed too)
timeout 60 "$MMSIM" run -q -- "$G/sys_signals" restart > "$T/r" 2>&1
grep -q "SIGALRM no SA_RESTART: read -> -1 (Interrupted system call)" "$T/r" &&
	grep -q "SIGALRM SA_RESTART: read -> 1 (data)" "$T/r" &&
	grep -q "SIGCHLD no SA_RESTART: read -> -1 (Interrupted system call), handler ran 1" "$T/r" &&
	ok "SA_RESTART restarts read, EINTR without it" || { bad "restart outcomes"; cat "$T/r"; }
timeout 60 "$MMSIM" run -q -- "$G/sys_signals" segv > "$T/r" 2>&1
grep -q "recovered: si_addr 0x1234 si_code 1 (SEGV_MAPERR 1) trapno 14" "$T/r" &&
	ok "SIGSEGV handler: si_addr, si_code, trapno" || { bad "segv outcome"; cat "$T/r"; }
timeout 60 "$MMSIM" run -q -- "$G/sys_signals" fpu > "$T/r" 2>&1
grep -q "xmm0-15 preserved 1, MXCSR preserved 1, x87 st0 preserved 1" "$T/r" &&
	grep -q "started with MXCSR 0x1f80, frame fpstate ok 1" "$T/r" &&
	ok "FPU/SSE state saved in the frame and restored" || { bad "fpu outcome"; cat "$T/r"; }
timeout 60 "$MMSIM" run -q -- "$G/sys_signals" badframe > /dev/null 2> "$T/e"; rc=$?
[ $rc -eq 139 ] && grep -q "rt_sigreturn: fpstate not readable" "$T/e" &&
	ok "corrupted frame -> SIGSEGV, exit 139" || { bad "badframe rc $rc"; cat "$T/e"; }

# 3. busybox: a background job and `wait` need the SIGCHLD handler
for cmd in 'sleep 1 & wait; echo done' 'sleep 1 & sleep 2 & wait; echo both' 'trap "echo got USR1" USR1; kill -USR1 $$; echo after'; do
	"$BB" sh -c "$cmd" > "$T/native" 2>&1; nrc=$?
	timeout 60 "$MMSIM" run -q -- "$BB" sh -c "$cmd" > "$T/sim" 2>&1; src=$?
	cmp -s "$T/native" "$T/sim" && [ $nrc -eq $src ] && ok "busybox sh -c '$cmd'" ||
		{ bad "busybox sh -c '$cmd' (native rc $nrc, mmsim rc $src)"; diff "$T/native" "$T/sim" | head -5; }
done

# 4. --root /: busybox's shell prefers its own applet to /bin/cat and execs /proc/self/exe, which
# is the running image: same output and status as natively, no crash.
"$BB" sh -c 'cat /dev/null; echo $?' > "$T/native" 2>&1; nrc=$?
timeout 60 "$MMSIM" run -q --root / -- "$BB" sh -c 'cat /dev/null; echo $?' > "$T/sim" 2>&1; src=$?
cmp -s "$T/native" "$T/sim" && [ $nrc -eq $src ] && [ "$(cat "$T/sim")" = 0 ] &&
	ok "--root /: sh -c 'cat /dev/null; echo \$?' prints 0 (applet via /proc/self/exe)" ||
	{ bad "--root / cat (native rc $nrc, mmsim rc $src)"; cat "$T/sim"; }
out=$(timeout 60 "$MMSIM" run -q -- "$BB" readlink /proc/self/exe)
nat=$("$BB" readlink /proc/self/exe)
[ "$out" = "$nat" ] && ok "readlink /proc/self/exe" || bad "readlink /proc/self/exe: '$out' (native '$nat')"

# 5. determinism: two runs of the signal-heavy cases give the same --json
for i in 1 2; do
	timeout 60 "$MMSIM" run --json -o "$T/j$i" --seed 3 -- "$G/sys_signals" timer > /dev/null 2>&1
done
cmp -s "$T/j1" "$T/j2" && ok "signal delivery is deterministic (--json identical)" || bad "--json differs"

echo "signals: $pass passed, $fail failed"
[ $fail -eq 0 ]
