#!/bin/sh
# oom.sh MMSIM GUEST_DIR - memory pressure without swap: the OOM killer,
# oom_score_adj, several programs in one machine, overcommit, mlock.
#
# guest/pressure fills memory with a checked pattern: `hold MIB MS` keeps
# its MIB and sleeps, `grow MIB` grows 1 MiB at a time.  In a 64M machine a
# holder of 40 MiB and a grower of 50 MiB cannot both fit: the OOM killer
# must kill the process with the highest badness, reap its memory at once
# (the grower reaches 50 MiB only if it was), and the survivor must print
# the sum a run without pressure prints.
set -u
MMSIM=$1
G=$2
T=$(mktemp -d "${TMPDIR:-/tmp}/mmsim-oom.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
fail=0
ok() { echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }
P=$G/pressure
DELAY=--delay=1000000000 # the grower starts once the holder sleeps

# reference sums, no pressure
"$MMSIM" run -q --mem 256M "$P" hold 40 0 > "$T/hold40" 2>&1
"$MMSIM" run -q --mem 256M "$P" grow 50 > "$T/grow50" 2>&1
"$MMSIM" run -q --mem 256M "$P" hold 10 0 > "$T/hold10" 2>&1
grep -q "^hold 40 MiB: ok sum=" "$T/hold40" && grep -q "^grow 50 MiB: ok sum=" "$T/grow50" ||
	bad "reference runs: $(cat "$T/hold40" "$T/grow50")"

# 1. the biggest (pid 1, not the allocating task) is killed and reaped
"$MMSIM" run --mem 64M --json -o "$T/1.json" --trace "$T/1.db" -- "$P" hold 40 2000 ::: $DELAY "$P" grow 50 \
	> "$T/1.out" 2> "$T/1.err"
rc=$?
[ $rc = 137 ] && ok "run status is the first program's: killed, 137" || bad "status $rc, want 137"
cmp -s "$T/1.out" "$T/grow50" && ok "survivor reaches 50 MiB (the victim's memory came back) with the right sum" ||
	bad "survivor output: $(cat "$T/1.out")"
grep -q "^pressure invoked oom-killer: gfp_mask=0x[0-9a-f]*(GFP_HIGHUSER_MOVABLE.*), order=0, oom_score_adj=0$" "$T/1.err" &&
	ok "report: invoked oom-killer line" || bad "no 'invoked oom-killer' line"
grep -q "^Mem-Info:$" "$T/1.err" && grep -q "^Node 0 DMA32 free:" "$T/1.err" && ok "report: Mem-Info" || bad "no Mem-Info"
grep -q '^\[  pid  \]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name$' "$T/1.err" &&
	grep -Eq '^\[      1\]     0     1 +[0-9]+ +[0-9]+ +[0-9]+ +0 +0 pressure$' "$T/1.err" &&
	ok "report: task table" || bad "task table missing or malformed"
grep -Eq '^Out of memory: Killed process 1 \(pressure\) total-vm:[0-9]+kB, anon-rss:4[01][0-9]{3}kB, file-rss:[0-9]+kB, shmem-rss:0kB, UID:0 pgtables:[0-9]+kB oom_score_adj:0$' "$T/1.err" &&
	ok "report: Killed process 1 (the 40 MiB holder)" || bad "victim line: $(grep Killed "$T/1.err")"
grep -q "^oom_reaper: reaped process 1 (pressure), now anon-rss:0kB" "$T/1.err" && ok "oom_reaper reaped it" ||
	bad "no oom_reaper line"
python3 - "$T/1.json" <<'PY' && ok "--json: both processes, oom_kills, vmstat oom_kill 1" || bad "--json"
import json, sys
d = json.load(open(sys.argv[1]))
p = {x["pid"]: x for x in d["processes"]}
assert p[1]["signal"] == 9 and p[2]["exit_status"] == 0, p
assert [k["pid"] for k in d["oom_kills"]] == [1], d["oom_kills"]
assert d["vmstat"]["oom_kill"] == 1, d["vmstat"].get("oom_kill")
PY
cand=$(sqlite3 "$T/1.db" "select value || ' ' || detail from events_named where type_name='oom_kill'" 2>/dev/null)
case $cand in
"1 1:pressure:"*" 2:pressure:"*) ok "oom_kill event with every candidate's badness: $cand" ;;
*) bad "oom_kill event: '$cand'" ;;
esac
# the chosen badness is the highest of the candidates
echo "$cand" | awk '{ split($2, a, ":"); split($3, b, ":"); exit !(a[3] + 0 > b[3] + 0) }' &&
	ok "victim's badness is the highest" || bad "victim's badness not the highest: $cand"

# 2. oom_score_adj -1000 is never chosen, even when largest: the grower dies
"$MMSIM" run -q --mem 64M -- --oom-score-adj=-1000 "$P" hold 40 2000 ::: $DELAY "$P" grow 50 > "$T/2.out" 2> "$T/2.err"
rc=$?
[ $rc = 0 ] && cmp -s "$T/2.out" "$T/hold40" && ok "-1000 holder survives with the right sum" ||
	bad "-1000: status $rc, output $(cat "$T/2.out")"
grep -Eq '^Out of memory: Killed process 2 \(pressure\)' "$T/2.err" && ok "-1000: the grower (pid 2) was killed" ||
	bad "-1000: $(grep Killed "$T/2.err")"
grep -Eq '^\[      1\] .* -1000 pressure$' "$T/2.err" && ok "-1000 shown in the task table" || bad "task table adj"

# 3. --oom-score-adj COMM=N / per-program adj bias the choice: the 10 MiB
# holder with +500 outranks the 30 MiB one
"$MMSIM" run -q --mem 64M -- "$P" hold 30 2000 ::: --oom-score-adj=500 "$P" hold 10 2000 ::: $DELAY "$P" grow 50 \
	> "$T/3.out" 2> "$T/3.err"
grep -Eq '^Out of memory: Killed process 2 \(pressure\).*oom_score_adj:500$' "$T/3.err" &&
	ok "oom_score_adj 500 makes the small holder the victim" || bad "adj 500: $(grep Killed "$T/3.err")"
"$MMSIM" run -q --mem 64M --oom-score-adj 2=-1000 --oom-score-adj pressure=1000 -- "$P" hold 30 2000 ::: \
	"$P" hold 10 2000 ::: $DELAY "$P" grow 50 > "$T/4.out" 2> "$T/4.err"
grep -Eq '^Out of memory: Killed process 1 \(pressure\).*oom_score_adj:1000$' "$T/4.err" && grep -q "^hold 10 MiB" "$T/4.out" &&
	ok "--oom-score-adj PID=N and COMM=N (the later rule wins for its pid)" || bad "--oom-score-adj rules: $(grep Killed "$T/4.err")"

# 4. a single hog exceeding --mem is killed; the shell and a sibling finish
# (the guest's shell runs pressure from the root, where /tmp is the guest's own
# tmpfs: a build under /tmp is invisible there, so run a copy from /var/tmp)
V=$(mktemp -d /var/tmp/mmsim-oom.XXXXXX) || exit 1
trap 'rm -rf "$T" "$V"' EXIT
cp "$P" "$V/pressure" || exit 1
"$MMSIM" run -q --mem 64M --root / -- /bin/busybox sh -c "$V/pressure grow 100 & $V/pressure hold 10 0; wait" > "$T/5.out" 2> "$T/5.err"
cmp -s "$T/5.out" "$T/hold10" && grep -q "Killed process [0-9]* (pressure)" "$T/5.err" &&
	ok "a hog beyond --mem in a shell pipeline is killed, the others finish" || bad "hog: $(cat "$T/5.out")"

# 5. vm.panic_on_oom=1 stops the run with status 123
"$MMSIM" run -q --mem 64M --sysctl vm.panic_on_oom=1 "$P" grow 100 > "$T/6.out" 2> "$T/6.err"
rc=$?
[ $rc = 123 ] && grep -q "Kernel panic - not syncing: Out of memory: system-wide panic_on_oom is enabled" "$T/6.err" &&
	ok "panic_on_oom: exit 123 with Linux's panic line" || bad "panic_on_oom: status $rc"
# nothing killable: Linux's "System is deadlocked on memory" panic
"$MMSIM" run -q --mem 64M --oom-score-adj pressure=-1000 "$P" grow 100 > "$T/7.out" 2> "$T/7.err"
rc=$?
[ $rc = 123 ] && grep -q "^Out of memory and no killable processes...$" "$T/7.err" &&
	ok "no killable process: exit 123" || bad "no killable: status $rc"

# 6. /proc/PID/oom_score, oom_score_adj (writable, EINVAL), oom_adj
out=$("$MMSIM" run -q --root / /bin/busybox sh -c '
cat /proc/self/oom_score_adj
echo 300 > /proc/$$/oom_score_adj; cat /proc/$$/oom_score_adj /proc/$$/oom_adj
echo 1001 > /proc/$$/oom_score_adj 2>/dev/null || echo EINVAL
echo " -1000 " > /proc/$$/oom_score_adj; cat /proc/$$/oom_score_adj /proc/$$/oom_score
echo 15 > /proc/$$/oom_adj; cat /proc/$$/oom_score_adj
echo x > /proc/$$/oom_adj 2>/dev/null || echo EINVAL
sh -c "cat /proc/self/oom_score_adj"' 2>&1 | tr '\n' ' ')
[ "$out" = "0 300 5 EINVAL -1000 0 1000 EINVAL 1000 " ] && ok "oom_score_adj/oom_adj/oom_score files" ||
	bad "oom files: '$out'"

# 7. overcommit: mode 2 refuses at Linux's formula, mode 1 accepts, mode 0's heuristic
"$MMSIM" run -q --mem 64M --sysctl vm.overcommit_memory=2 "$G/overcommit" > "$T/oc.out" 2>&1
rc=$?
[ $rc = 0 ] && ok "overcommit: $(tr '\n' ';' < "$T/oc.out")" || bad "overcommit: $(cat "$T/oc.out")"
"$MMSIM" run -q --mem 64M --sysctl vm.overcommit_memory=2 --sysctl vm.overcommit_ratio=80 --root / \
	/bin/busybox grep -E "^Commit" /proc/meminfo > "$T/cl.out" 2>&1
limit=$(awk '/CommitLimit/ { print $2 }' "$T/cl.out")
total=$("$MMSIM" run -q --mem 64M --root / /bin/busybox grep MemTotal /proc/meminfo | awk '{ print $2 }')
[ "$limit" = $((total / 4 * 80 / 100 * 4)) ] && ok "CommitLimit = MemTotal * overcommit_ratio / 100 ($limit kB)" ||
	bad "CommitLimit $limit vs MemTotal $total"

# 8. mlock
"$MMSIM" run -q "$G/mlock_test" > "$T/ml.out" 2>&1 && ok "mlock: $(tr '\n' ';' < "$T/ml.out" | tr -s ' ')" ||
	bad "mlock: $(cat "$T/ml.out")"

# mlocked pages are never swapped (runs once --swap exists): a 20 MiB
# locked holder under a 60 MiB grower with swap keeps every page in RAM
if "$MMSIM" run --help | grep -q -- "--swap "; then
	"$MMSIM" run --mem 64M --swap 64M -o "$T/sw.sum" -- "$P" lockhold 20 2000 ::: $DELAY "$P" grow 60 \
		> "$T/sw.out" 2> "$T/sw.err"
	grep -q "^lockhold: Swap of its mappings 0 kB$" "$T/sw.out" && grep -q "^lockhold 20 MiB: ok" "$T/sw.out" &&
		grep -q "pswpout" "$T/sw.sum" && ok "mlocked pages stay in RAM while others are swapped out" ||
		bad "mlock under swap: $(cat "$T/sw.out")"
else
	ok "mlock under swap: skipped (no --swap in this build)"
	"$MMSIM" run -q --mem 64M -- "$P" lockhold 20 100 > "$T/lk.out" 2>&1
	grep -q "^lockhold 20 MiB: ok" "$T/lk.out" && ok "lockhold runs: $(head -1 "$T/lk.out")" || bad "lockhold: $(cat "$T/lk.out")"
fi

# 9. the multi-program syntax: errors are one line, exit 2
for args in "-- $P :::" "-- ::: $P" "-- $P hold 1 0 ::: ::: $P" "-- --delay=x $P" "-- --oom-score-adj=1001 $P" \
	"-- --delay $P" "--oom-score-adj x $P" "--oom-score-adj x=-1001 $P" "-- $P hold 1 0 ::: --dely=5 $P"; do
	# shellcheck disable=SC2086
	"$MMSIM" run -q $args > "$T/e.out" 2>&1
	rc=$?
	[ $rc = 2 ] && [ "$(wc -l < "$T/e.out")" = 1 ] && ok "rejected: $args -> $(cat "$T/e.out")" ||
		bad "'$args': status $rc, $(cat "$T/e.out")"
done
out=$("$MMSIM" run -q -- "$G/hello" ::: "$G/hello" a b ::: --delay=5000 "$G/hello" 2>&1 | sort | tr '\n' ';')
case $out in
*"(1 args)"*"(1 args)"*"(3 args)"*) ok "three programs with their own arguments: $out" ;;
*) bad "three programs: $out" ;;
esac

# 10. the scenario language: a synthetic -1000 process and a spawned hog
cat > "$T/s.scn" <<SCN
config mem=64M
process db oom_score_adj=-1000
mmap db heap 30M
touch db heap
spawn hog $P grow 100
spawn other $G/hello a b
run 500000000
expect proc.hog.alive == 0
expect proc.hog.killed == 9
expect proc.other.alive == 0
expect proc.db.alive == 1
expect proc.db.rss == 7680
expect vmstat.oom_kill == 1
SCN
"$MMSIM" scenario --quiet "$T/s.scn" > "$T/s.out" 2> "$T/s.err"
rc=$?
[ $rc = 0 ] && grep -q "Killed process 2 (pressure)" "$T/s.err" && grep -q "(3 args)" "$T/s.out" &&
	ok "scenario: spawn + run, the OOM killer spares the -1000 process" || bad "scenario spawn/run: status $rc $(cat "$T/s.out")"

# a process with threads is one candidate and dies whole: five threads
# sweeping 100 MiB in 64M (overcommit 1) on 4 CPUs; the table has one line
# (pid 1, tgid 1), the report names pid 1, every thread is killed
"$MMSIM" run --cpus 4 --mem 64M --sysctl vm.overcommit_memory=1 -- "$G/threads" sweep 4 100 1 \
	> "$T/th.out" 2> "$T/th.err"
rc=$?
lines=$(sed -n '/^\[  pid  \]/,/^oom-kill:/p' "$T/th.err" | grep -c '^\[ *[0-9]')
[ $rc = 137 ] && [ "$lines" = 1 ] && grep -q '^\[      1\]     0     1 ' "$T/th.err" &&
	grep -q "^Out of memory: Killed process 1 (threads)" "$T/th.err" &&
	ok "threads: one candidate per process, the whole process killed" ||
	bad "threaded OOM: status $rc, $lines task lines: $(grep -E 'Killed|^\[' "$T/th.err" | head -8)"

# mmsim run --help's multi-program example runs as printed (from the
# source tree: build/tools/mmsim, build/guest/...)
ex=$("$MMSIM" run --help | sed -n '/^    build\/tools\/mmsim run /,/^  [a-z]/p' | sed '$d' | tr -d '\\\n')
set -- $ex
if [ $# -lt 5 ] || [ "$1" != build/tools/mmsim ]; then
	bad "no pasteable example in mmsim run --help: '$ex'"
else
	shift
	for a in "$@"; do
		case "$a" in build/guest/*) [ -x "$G/${a#build/guest/}" ] || bad "the help's example names $a, not a guest" ;; esac
	done
	ex=$(printf '%s\n' "$*" | sed "s|build/guest/|$G/|g")
	"$MMSIM" $ex >/dev/null 2>"$T/ex.err"
	rc=$?
	[ $rc = 137 ] && grep -q "Killed process 1 (pressure)" "$T/ex.err" && ok "the help's example" ||
		bad "the help's example ($ex): status $rc, $(grep Killed "$T/ex.err")"
fi

echo "oom: $fail failed"
[ $fail = 0 ]
