#!/bin/sh
# tests/e2e/jobctl.sh MMSIM GUEST_DIR EXPECTED_DIR - job-control stops and
# real-time signal queueing end to end (suite 'e2e').
#   1. guest/jobctl (SIGSTOP/SIGTSTP/SIGCONT, wait4 WUNTRACED/WCONTINUED,
#      waitid, SIGCHLD CLD_STOPPED/CLD_CONTINUED, SA_NOCLDSTOP, stops in
#      nanosleep/sigtimedwait, orphaned process groups, /proc State "T")
#      and guest/rtsig (RT queueing order and siginfo, sigtimedwait,
#      RLIMIT_SIGPENDING): mmsim's stdout equals the expected text, which
#      is the output of a native run on Linux 6.18, and the exit status is 0;
#      each case alone too;
#   2. a lone process stopping itself ends the run with the deadlock
#      message and exit status 125 (--max-insns is only a safety net); the
#      summary shows it stopped by SIGSTOP (--json state_at_end, text
#      status), not the SIGKILL with which mmsim ends the run;
#   3. the trace records the stop and continue as signal events;
#   4. the same case twice gives the same --json summary (determinism).
set -u
MMSIM=$1
G=$2
E=$3
T=$(mktemp -d "${TMPDIR:-/tmp}/mmsim-jobctl.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }

# 1. whole programs against the expected text, then every case alone
for prog in jobctl rtsig; do
	timeout 120 "$MMSIM" run -q --max-insns 2000000000 -- "$G/$prog" all > "$T/out" 2> "$T/err"; rc=$?
	if [ $rc -eq 0 ] && cmp -s "$E/$prog.expected" "$T/out"; then ok "$prog all: output as on Linux"
	else bad "$prog all (exit $rc)"; diff "$E/$prog.expected" "$T/out" | head -20; head -5 "$T/err"; fi
done
for c in wait sigchld nocldstop waitid sleep sigcont flush orphan; do
	timeout 60 "$MMSIM" run -q --max-insns 1000000000 -- "$G/jobctl" $c > "$T/out" 2> "$T/err"; rc=$?
	grep -v "^jobctl" "$T/out" > "$T/lines"
	if [ $rc -eq 0 ] && [ -s "$T/lines" ] && grep -qxF "jobctl $c: ok" "$T/out" && grep -qxFf "$T/lines" "$E/jobctl.expected"
	then ok "jobctl $c"
	else bad "jobctl $c (exit $rc)"; cat "$T/out" | head -10; head -3 "$T/err"; fi
done
for c in order wait limit; do
	timeout 60 "$MMSIM" run -q --max-insns 1000000000 -- "$G/rtsig" $c > "$T/out" 2> "$T/err"; rc=$?
	grep -v "^rtsig" "$T/out" > "$T/lines"
	if [ $rc -eq 0 ] && [ -s "$T/lines" ] && grep -qxF "rtsig $c: ok" "$T/out" && grep -qxFf "$T/lines" "$E/rtsig.expected"
	then ok "rtsig $c"
	else bad "rtsig $c (exit $rc)"; cat "$T/out" | head -10; head -3 "$T/err"; fi
done

# 2. a lone process that stops itself: deadlock, exit 125, a clear message
timeout 60 "$MMSIM" run -q --max-insns 200000000 -- "$G/jobctl" selfstop > "$T/out" 2> "$T/err"; rc=$?
want="mmsim run: deadlock: every process is stopped or blocked; stopped: pid 1 (jobctl) by SIGSTOP; nothing can send SIGCONT"
if [ $rc -eq 125 ] && [ "$(cat "$T/out")" = "selfstop: stopping myself" ] && [ "$(cat "$T/err")" = "$want" ]; then
	ok "self-stopped lone process: deadlock message, exit 125"
else
	bad "selfstop (exit $rc)"; cat "$T/out" "$T/err"
fi
timeout 60 "$MMSIM" run --json -o "$T/j" --max-insns 200000000 -- "$G/jobctl" selfstop > /dev/null 2>&1
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d['exit_code']==125 and 'stopped: pid 1' in d['stop_reason'] else 1)" "$T/j" &&
	ok "--json: exit_code 125 and the stop reason" || { bad "selfstop --json"; head -c 400 "$T/j"; }
# the process summary shows the stop, not the SIGKILL that ends the run
python3 -c "
import json, sys
p = json.load(open(sys.argv[1]))['processes']
ok = len(p) == 1 and p[0]['pid'] == 1 and p[0]['state_at_end'] == 'stopped' and p[0]['stop_signal'] == 19
ok = ok and p[0]['exit_status'] is None and p[0]['signal'] is None and p[0]['wchan'] is None
sys.exit(0 if ok else 1)" "$T/j" &&
	ok "--json processes: pid 1 state_at_end stopped, stop_signal 19, no exit status" ||
	{ bad "selfstop --json processes"; python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['processes'])" "$T/j"; }
timeout 60 "$MMSIM" run --max-insns 200000000 -- "$G/jobctl" selfstop > /dev/null 2> "$T/sum"
if grep -qE '^ +1 +0  jobctl +stopped \(SIGSTOP\) ' "$T/sum" && grep -qF '1 process alive when the run ended' "$T/sum" &&
	! grep -qF 'signal 9' "$T/sum"; then
	ok "text summary: stopped (SIGSTOP), not signal 9"
else
	bad "selfstop text summary"; sed -n '/pid   ppid/,/^$/p' "$T/sum"
fi

# 3. the trace: stop and continue are signal events (type 28) with the signal number
if command -v sqlite3 > /dev/null; then
	timeout 60 "$MMSIM" run -q --trace "$T/t.db" -- "$G/jobctl" wait > /dev/null 2>&1
	got=$(sqlite3 "$T/t.db" "select value || ' ' || detail from events where type = 28 and detail in ('stop', 'continue') order by seq" | tr '\n' ',')
	[ "$got" = "19 stop,18 continue,20 stop,18 continue," ] && ok "trace: stop/continue events" ||
		bad "trace events: '$got'"
fi

# 4. determinism
for i in 1 2; do
	timeout 60 "$MMSIM" run --json -o "$T/d$i" --seed 5 -- "$G/jobctl" sigchld > /dev/null 2>&1
done
cmp -s "$T/d1" "$T/d2" && ok "job control is deterministic (--json identical)" || bad "--json differs"

echo "jobctl: $pass passed, $fail failed"
[ $fail -eq 0 ]
