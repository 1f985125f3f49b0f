#!/bin/sh
# tests/sys/pipes.sh MMSIM GUESTDIR - pipes, poll/select and blocking, each
# compared with the same command run natively: end of file on pipes in
# shell pipelines (these hung at 100% CPU before poll reported POLLHUP),
# poll/ppoll/select/pselect6 semantics, O_NONBLOCK, pipe sizes; and runs in
# which no task can make progress: they end as a deadlock (exit 125,
# naming what each task waits in), after advancing simulated time to a
# pending timer, and never spin.
set -u
MMSIM=$1
G=$2
BB=/bin/busybox
T=$(mktemp -d /var/tmp/mmsim-pipes.XXXXXX) # not /tmp: the guest has its own (a tmpfs)
trap 'rm -rf "$T"' EXIT
fail=0
pass=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }

# same NAME CMD...: CMD natively and under mmsim --root /: same stdout,
# stderr and exit status, within 20 s
same() {
	name=$1; shift
	timeout 20 "$@" > "$T/native.out" 2>&1; nrc=$?
	timeout 20 "$MMSIM" run -q --root / -- "$@" > "$T/sim.out" 2>&1; src=$?
	if [ $src -eq 124 ]; then bad "$name: mmsim timed out (hang)"; return; fi
	if cmp -s "$T/native.out" "$T/sim.out" && [ $nrc -eq $src ]; then ok "$name"
	else bad "$name (native rc $nrc, mmsim rc $src)"; diff "$T/native.out" "$T/sim.out" | head -8; fi
}

# 1. the issue's reproducers: shell reads from pipes until end of file
same "sh: seq | while read" $BB sh -c 'seq 1 3 | while read n; do echo "got $n"; done; echo end'
same "sh: read twice from a one-line pipe" $BB sh -c 'echo a | { read x; echo "first: $x"; read y; echo "second: $?"; }'
mkdir -p "$T/d/sub"; echo one > "$T/d/a"; echo two > "$T/d/sub/b"
same "tar cf - | tar tf -" $BB sh -c "cd $T && tar cf - d | tar tf -"
same "sh: read -t timeout on a silent pipe" $BB sh -c '(sleep 1; echo late) | { read -t 0.1 x; echo "rc $? [$x]"; cat; }'
same "sh: pipeline of five" $BB sh -c 'seq 1 2000 | sort -r | head -n 500 | tail -n 3 | wc -l'
same "sh: here-doc and command substitution" $BB sh -c 'x=$(cat <<E
hello
E
); echo "[$x]"; echo "$(seq 3 | tr "\n" " ")"'
same "bash: read loop from a pipe" /bin/bash-static -c 'printf "a\nb\n" | while read -r l; do echo "<$l>"; done; echo done'
same "bash: read -t 0.05 from a silent pipe" /bin/bash-static -c '(/bin/busybox sleep 1) | { read -t 0.05 x; echo "rc $?"; }'

# 2. poll/ppoll/select/pselect6, O_NONBLOCK, F_[GS]ETPIPE_SZ, FIONREAD,
#    blocking writes larger than the pipe (a static musl program)
same "pollio (poll, select, non-blocking pipes)" "$G/sys_pollio"

# 3. sendfile, splice, tee, copy_file_range (busybox cat uses sendfile)
/bin/busybox seq 1 40000 | head -c 160000 > "$T/big.txt"
mkdir -p "$T/emptydir"
same "spliceio (sendfile, splice, tee, copy_file_range)" "$G/sys_spliceio" "$T/big.txt" "$T/emptydir"
same "cat (sendfile) | md5sum" $BB sh -c "cat $T/big.txt | md5sum; cat $T/big.txt $T/big.txt | wc -c"
same "cat file > pipe of a slow reader" $BB sh -c "cat $T/big.txt | { sleep 0.01; wc -c; }"

# 4. no progress possible: a deadlock, at once, never a spin
start=$(date +%s)
timeout 20 "$MMSIM" run -q -- "$G/sys_pollio" deadlock > "$T/dl.out" 2>&1; rc=$?
want="mmsim run: deadlock: every process is blocked: pid 1 (sys_pollio) in pipe_read"
[ $rc -eq 125 ] && [ "$(cat "$T/dl.out")" = "$want" ] && ok "read of own pipe: deadlock, exit 125, names pipe_read" \
	|| { bad "own-pipe deadlock: rc $rc"; cat "$T/dl.out"; }
# time jumps to the pending alarm (100 s of simulated time), then the
# ignored periodic timer cannot keep the run going
timeout 20 "$MMSIM" run -q -- "$G/sys_pollio" deadlock-timer > "$T/dt.out" 2>&1; rc=$?
grep -q "read + alarm(100): -1 Interrupted system call got 14" "$T/dt.out" && [ $rc -eq 125 ] &&
	grep -q "deadlock: every process is blocked: pid 1 (sys_pollio) in pipe_read" "$T/dt.out" &&
	ok "blocked read + alarm: time advanced to the timer, then deadlock" || { bad "timer deadlock: rc $rc"; cat "$T/dt.out"; }
# two processes each waiting for the other
timeout 20 "$MMSIM" run -q --root / -- $BB sh -c 'cat | cat' > "$T/cc.out" 2>&1 < /dev/null; rc=$?
[ $rc -eq 0 ] && ok "cat | cat with empty stdin ends" || { bad "cat | cat: rc $rc"; cat "$T/cc.out"; }
timeout 20 "$MMSIM" run -q --root / -- $BB sh -c 'sleep 1000 & wait' > "$T/sl.out" 2>&1; rc=$?
[ $rc -eq 0 ] && ok "sleep 1000 in the background: simulated time jumps" || { bad "sleep 1000: rc $rc"; cat "$T/sl.out"; }
timeout 20 "$MMSIM" run -q --root / -- $BB sh -c 'read x' > "$T/rd.out" 2>&1; rc=$?
[ $rc -eq 1 ] && ok "read from empty stdin: EOF" || { bad "read from empty stdin: rc $rc"; cat "$T/rd.out"; }
end=$(date +%s)
[ $((end - start)) -lt 30 ] && ok "no-progress runs ended quickly ($((end - start)) s)" || bad "no-progress runs took $((end - start)) s"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
