#!/bin/sh
# tests/sys/e2e.sh MMSIM GUESTDIR - end-to-end tests of `mmsim run`:
# busybox applets byte-identical to native runs, exit codes, EFAULT, the
# instruction limit, the process limit, bad ELF files, /proc, determinism.
set -u
MMSIM=$1
G=$2
BB=/bin/busybox
T=$(mktemp -d /tmp/mmsim-sys-e2e.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail=0
pass=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }
run() { timeout 20 "$MMSIM" run -q "$@"; }

# A root with busybox and its applet links.
mkdir -p "$T/root/bin" "$T/root/etc"
cp "$BB" "$T/root/bin/busybox"
for a in sh echo seq sort md5sum cat ls free wc head sleep kill stat; do ln -s busybox "$T/root/bin/$a"; done
printf 'root:x:0:0:root:/:/bin/sh\n' > "$T/root/etc/passwd"
printf 'pear\napple\nfig\nbanana\n' > "$T/input.txt"

# 1. busybox applets: same bytes as native
cmp_native() { # name, stdin file, applet args...
	name=$1; in=$2; shift 2
	"$BB" "$@" < "$in" > "$T/native.out" 2>&1; nrc=$?
	run --root "$T/root" --stdin "$in" -- "$BB" "$@" > "$T/sim.out" 2>&1; src=$?
	if cmp -s "$T/native.out" "$T/sim.out" && [ $nrc -eq $src ]; then ok "busybox $name"
	else bad "busybox $name (native rc $nrc, mmsim rc $src)"; diff "$T/native.out" "$T/sim.out" | head -5; fi
}
cmp_native echo /dev/null echo hello world
cmp_native seq /dev/null seq 1 200
cmp_native sort "$T/input.txt" sort
cmp_native md5sum "$T/input.txt" md5sum
cmp_native wc "$T/input.txt" wc -l
cmp_native sh-c /dev/null sh -c 'echo a; echo b; exit 3'
(cd "$T/root" && "$BB" ls -a bin && "$BB" stat -c '%s %a %F %N' bin/busybox bin/sh etc/passwd) > "$T/native.out" 2>&1
run --root "$T/root" -- "$BB" sh -c 'ls -a bin && stat -c "%s %a %F %N" bin/busybox bin/sh etc/passwd' > "$T/sim.out" 2>&1
cmp -s "$T/native.out" "$T/sim.out" && ok "busybox ls/stat under --root" || { bad "ls/stat under --root"; diff "$T/native.out" "$T/sim.out" | head -6; }
out=$(run --root "$T/root" -- "$BB" ls /proc/self | tr '\n' ' ')
[ "$out" = "cmdline comm environ exe fd limits loginuid maps mountinfo mounts oom_adj oom_score oom_score_adj pagemap sessionid smaps smaps_rollup stat statm status task " ] && ok "ls /proc/self" || bad "ls /proc/self: '$out'"
cmp_native sh-pipe "$T/input.txt" sh -c 'sort | head -n 2; echo done'

# open(2)'s errno order on an existing path (EISDIR before EROFS), and
# /proc/self/loginuid (glibc's getlogin) as natively
for c in 'echo x > /; echo rc $?' 'logname; echo rc $?' 'cat /proc/self/loginuid /proc/self/sessionid; echo'; do
	"$BB" sh -c "$c" > "$T/native.out" 2>&1
	run --root / -- "$BB" sh -c "$c" > "$T/sim.out" 2>&1
	cmp -s "$T/native.out" "$T/sim.out" && ok "sh -c '$c'" || { bad "sh -c '$c'"; diff "$T/native.out" "$T/sim.out" | head -4; }
done

# 2. PROGRAM looked up under --root
out=$(run --root "$T/root" -- echo from root)
[ "$out" = "from root" ] && ok "program under --root" || bad "program under --root: '$out'"
# the guest starts in the host's directory when it is inside the root
out=$(cd "$T/root/etc" && run --root "$T/root" -- "$BB" sh -c 'pwd; cat passwd')
[ "$out" = "/etc
root:x:0:0:root:/:/bin/sh" ] && ok "guest cwd = host cwd inside --root" || bad "guest cwd: '$out'"
out=$(cd /tmp && run --root "$T/root" -- "$BB" pwd)
[ "$out" = "/" ] && ok "guest cwd = / when the host's is outside --root" || bad "guest cwd outside: '$out'"

# 3. exit codes: guest's own, and 128+signal
run -- "$BB" sh -c 'exit 42'; rc=$?
[ $rc -eq 42 ] && ok "exit code 42" || bad "exit code: $rc"
run --root "$T/root" -- "$BB" sh -c 'kill -TERM $$'; rc=$?
[ $rc -eq 143 ] && ok "killed by SIGTERM -> 143" || bad "SIGTERM exit code: $rc"

# 4. EFAULT on bad pointers, ENOSYS counted
run -- "$G/sys_efault" > "$T/ef.out" 2>&1; rc=$?
grep -q "efault: ok" "$T/ef.out" && [ $rc -eq 0 ] && ok "EFAULT on bad pointers" || { bad "EFAULT ($rc)"; cat "$T/ef.out"; }
"$MMSIM" run --json -o "$T/ef.json" -- "$G/sys_efault" > /dev/null 2>&1
grep -q '"unknown_syscalls":\[{"nr":999' "$T/ef.json" && ok "unknown syscall listed" || bad "unknown syscall not in JSON"

# 5. processes: fork/wait/kill/pipe/getrusage/nanosleep
run -- "$G/sys_procs" > "$T/procs.out" 2>&1; rc=$?
grep -q "procs: ok" "$T/procs.out" && [ $rc -eq 0 ] && ok "fork/wait/kill/pipe/getrusage" || { bad "procs ($rc)"; cat "$T/procs.out"; }

# 6. runaway program: --max-insns
run --max-insns 2000000 -- "$G/sys_spin" 2> "$T/spin.err"; rc=$?
[ $rc -eq 124 ] && grep -q "instruction limit" "$T/spin.err" && ok "--max-insns stops a runaway" || bad "max-insns: rc $rc"

# 7. fork bomb: the process limit gives EAGAIN
run --max-procs 16 -- "$G/sys_forkbomb" > "$T/fb.out" 2>&1; rc=$?
grep -q "15 children, then fork failed: EAGAIN" "$T/fb.out" && [ $rc -eq 0 ] && ok "fork bomb hits max_procs" || { bad "fork bomb ($rc)"; cat "$T/fb.out"; }

# 8. bad ELF files: one clear line, exit 2, no crash
printf 'not an elf at all' > "$T/junk"
head -c 100 "$BB" > "$T/truncated"
for f in junk truncated /nonexistent; do
	p=$f; [ -e "$T/$f" ] && p="$T/$f"
	run -- "$p" 2> "$T/elf.err"; rc=$?
	lines=$(wc -l < "$T/elf.err")
	[ $rc -eq 2 ] && [ "$lines" -eq 1 ] && ok "bad ELF '$f' refused" || { bad "bad ELF '$f': rc $rc"; cat "$T/elf.err"; }
done

# 9. guest /proc is the simulator's: free and meminfo
run --mem 64M --root "$T/root" -- "$BB" sh -c 'cat /proc/meminfo' > "$T/mi.out" 2>&1
grep -q "^MemTotal: *6[0-9]* kB" "$T/mi.out" && ok "/proc/meminfo shows simulated memory" || { bad "/proc/meminfo"; head -3 "$T/mi.out"; }
run --mem 64M --root "$T/root" -- free > "$T/free.out" 2>&1
awk '/^Mem:/ { exit !($2 < 70000) }' "$T/free.out" && ok "busybox free reports simulated memory" || { bad "free"; cat "$T/free.out"; }
run --root "$T/root" -- "$BB" sh -c 'cat /proc/self/maps' > "$T/maps.out" 2>&1
grep -q "\[stack\]" "$T/maps.out" && ok "/proc/self/maps" || { bad "/proc/self/maps"; cat "$T/maps.out"; }
run --root "$T/root" -- "$BB" sh -c 'for i in 1 2 3 4 5 6 7 8 9 10; do sleep 1 & done; cat /proc/slabinfo' > "$T/slab.out" 2>&1
awk '$1 == "task_struct" { exit !($2 >= 10) }' "$T/slab.out" && ok "/proc/slabinfo counts task_struct objects" || { bad "slabinfo task_struct"; grep task_struct "$T/slab.out"; }

# 10. the sandbox: writes are refused, nothing escapes the root
run --root "$T/root" -- "$BB" sh -c 'echo x > /etc/passwd' 2> "$T/rofs.err"; rc=$?
[ $rc -ne 0 ] && grep -qi "read-only" "$T/rofs.err" && ok "writes give EROFS" || { bad "EROFS ($rc)"; cat "$T/rofs.err"; }
out=$(run --root "$T/root" -- "$BB" cat /../../../../etc/passwd 2>&1)
[ "$out" = "root:x:0:0:root:/:/bin/sh" ] && ok "'..' cannot leave the root" || bad "escape: '$out'"

# 11. determinism: same input and seed -> same JSON and trace events
for i in 1 2; do
	timeout 20 "$MMSIM" run --json -o "$T/d$i.json" --seed 7 --trace "$T/d$i.db" --root "$T/root" --stdin "$T/input.txt" \
		-- "$BB" sh -c 'sort | md5sum; seq 1 50 | wc -l' > "$T/d$i.out" 2>&1
done
cmp -s "$T/d1.json" "$T/d2.json" && cmp -s "$T/d1.out" "$T/d2.out" && ok "--json identical across runs" || bad "--json differs"
if command -v sqlite3 > /dev/null; then
	sqlite3 "$T/d1.db" "select * from events order by seq" > "$T/e1.txt"
	sqlite3 "$T/d2.db" "select * from events order by seq" > "$T/e2.txt"
	[ -s "$T/e1.txt" ] && cmp -s "$T/e1.txt" "$T/e2.txt" && ok "trace events identical across runs" || bad "trace events differ"
fi
grep -q '"processes":\[{"pid":1' "$T/d1.json" && grep -q '"exit_code":0' "$T/d1.json" && ok "--json has processes and exit_code" || bad "--json content"

echo "sys-e2e: $pass passed, $fail failed"
[ $fail -eq 0 ]
