#!/bin/sh
# tracedb.sh MMSIM GUEST_DIR SYS_GUEST_DIR: the trace database as a tool
# (issue 11): the runs record (hashes, inputs, finish reasons), --force,
# samples, insns and the views, stats (byte-equal to the live summary),
# query (read-only, formats, errors), damaged and foreign files refused.
set -u
MMSIM=$(realpath "$1")
G=$(realpath "$2")
SG=$(realpath "$3")
CHECK=$(dirname "$(realpath "$0")")/report_check.py
T=$(mktemp -d "${TMPDIR:-/tmp}/mmsim-tdb.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

fail() {
	echo "FAIL [tracedb]: $*" >&2
	exit 1
}
q() { "$MMSIM" query --csv "$1" "$2" | tail -n +2; }

# --- recording --------------------------------------------------------
"$MMSIM" run --trace "$T/a.db" "$G/fork_cow" >/dev/null 2>"$T/live.txt" || fail "fork_cow failed"
"$MMSIM" run --json --trace "$T/aj.db" "$G/fork_cow" >/dev/null 2>"$T/live.json" || fail "fork_cow --json failed"
sha=$(sha256sum "$G/fork_cow" | cut -d' ' -f1)
[ "$(q "$T/a.db" "select program_sha256 from runs")" = "$sha" ] || fail "program_sha256 is not sha256sum's"
[ "$(q "$T/a.db" "select finished||' '||finish_reason||' '||exit_status from runs")" = "1 exited with status 0 0" ] ||
	fail "finish: $(q "$T/a.db" "select finished, finish_reason, exit_status from runs")"
for col in tool_version config machine cmdline program program_path argv env cwd stdin_sha256 seed started_at ended_at instructions; do
	[ "$(q "$T/a.db" "select $col is not null and $col <> '' from runs")" = 1 ] || fail "runs.$col is empty"
done
q "$T/a.db" "select machine from runs" | grep -q "tlb=l1d=" || fail "machine lacks the default TLB spec"
q "$T/a.db" "select machine from runs" | grep -q "min_free_kbytes=" || fail "machine lacks min_free_kbytes"
[ "$(q "$T/a.db" "select stdin_sha256 from runs")" = "$(printf '' | sha256sum | cut -d' ' -f1)" ] || fail "stdin hash of no input"

# an existing database is refused without --force, replaced with it
"$MMSIM" run -q --trace "$T/a.db" "$G/hello" >/dev/null 2>"$T/err"
[ $? = 2 ] || fail "an existing database was not refused"
grep -q -- "--force" "$T/err" || fail "the refusal does not mention --force: $(cat "$T/err")"
[ "$(q "$T/a.db" "select program from runs")" = "$G/fork_cow" ] || fail "the refused run changed the database"
cp "$T/a.db" "$T/f.db"
"$MMSIM" run -q --force --trace "$T/f.db" "$G/hello" >/dev/null 2>&1 || fail "--force did not replace"
[ "$(q "$T/f.db" "select program from runs")" = "$G/hello" ] || fail "--force did not replace the database"

# stdin and every file read under --root are hashed
printf 'one\ntwo\n' >"$T/in.txt"
mkdir -p "$T/root/bin" "$T/root/etc"
cp /bin/busybox "$T/root/bin/busybox"
printf 'hello root\n' >"$T/root/etc/motd"
"$MMSIM" run -q --trace "$T/r.db" --root "$T/root" --stdin "$T/in.txt" -- /bin/busybox sh -c 'cat /etc/motd; cat' \
	>"$T/r.out" 2>&1 || fail "busybox under --root failed: $(cat "$T/r.out")"
[ "$(q "$T/r.db" "select stdin_sha256 from runs")" = "$(sha256sum "$T/in.txt" | cut -d' ' -f1)" ] || fail "stdin hash"
[ "$(q "$T/r.db" "select sha256 from inputs where kind = 'file' and path = '/etc/motd'")" = \
  "$(sha256sum "$T/root/etc/motd" | cut -d' ' -f1)" ] || fail "/etc/motd not in inputs: $(q "$T/r.db" "select * from inputs")"
[ "$(q "$T/r.db" "select count(*) from inputs where kind = 'program' and sha256 = '$(sha256sum /bin/busybox | cut -d' ' -f1)'")" = 1 ] ||
	fail "busybox not recorded as the program"

# finish reasons: --max-insns, a guest crash, Ctrl-C
"$MMSIM" run -q --max-insns 100000 --trace "$T/m.db" "$SG/sys_spin" >/dev/null 2>&1
[ $? = 124 ] || fail "max-insns exit"
[ "$(q "$T/m.db" "select finished, exit_status, finish_reason like 'instruction limit%' from runs")" = "1,124,1" ] ||
	fail "max-insns: $(q "$T/m.db" "select finished, exit_status, finish_reason from runs")"
"$MMSIM" run -q --trace "$T/s.db" "$G/segv" >/dev/null 2>&1
[ "$(q "$T/s.db" "select finished, exit_status, finish_reason from runs")" = "1,139,killed by signal 11 (SIGSEGV)" ] ||
	fail "segv: $(q "$T/s.db" "select finished, exit_status, finish_reason from runs")"
"$MMSIM" run -q --trace "$T/i.db" "$SG/sys_spin" >/dev/null 2>&1 &
pid=$!
sleep 1
kill -INT $pid
wait $pid
rc=$?
[ $rc = 130 ] || fail "Ctrl-C: exit $rc, expected 130"
[ "$(q "$T/i.db" "select finished, exit_status, finish_reason from runs")" = "1,130,interrupted (SIGINT)" ] ||
	fail "Ctrl-C: $(q "$T/i.db" "select finished, exit_status, finish_reason from runs")"
[ "$(q "$T/i.db" "select count(*) from events where type = 1")" = 1 ] || fail "Ctrl-C: no run_end event"
"$MMSIM" stats "$T/i.db" | grep -q "interrupted (SIGINT)" || fail "Ctrl-C: the summary does not say interrupted"

# --- samples, insns, views -------------------------------------------
[ "$(q "$T/a.db" "select count(distinct time) > 10 from samples")" = 1 ] || fail "too few sample times"
for k in vmstat meminfo zone buddy tlb faults proc; do
	[ "$(q "$T/a.db" "select count(*) > 0 from samples where kind = '$k'")" = 1 ] || fail "no '$k' samples"
done
# every populated zone's watermarks, not only its free count (the "pagesets" line
# ends a zone's block: a match further down the text must not end it early)
for n in min low high managed nr_free_pages; do
	[ "$(q "$T/a.db" "select count(*) > 0 from samples where kind = 'zone' and zone = '0:DMA32' and name = '$n'")" = 1 ] ||
		fail "no '$n' samples of zone DMA32: $(q "$T/a.db" "select distinct name from samples where kind = 'zone' and zone = '0:DMA32'")"
done
[ "$(q "$T/a.db" "select count(*) from samples where kind = 'proc' and name = 'rss_kb' and pid = 2")" -gt 0 ] ||
	fail "no RSS samples of the child"
[ "$(q "$T/a.db" "select sum(faults) from faults_per_vma")" = "$(q "$T/a.db" "select value from counters where name = 'vmstat.pgfault'")" ] ||
	fail "faults per VMA do not add up to pgfault"
[ "$(q "$T/a.db" "select sum(faults) from faults_per_rip")" = "$(q "$T/a.db" "select value from counters where name = 'vmstat.pgfault'")" ] ||
	fail "faults per RIP do not add up to pgfault"
# exec's own faults (argv on the stack, the first bss page) included: every row has its pid and a label
[ "$(q "$T/a.db" "select count(*) from faults_per_vma where pid is null or pid = 0 or vma is null")" = 0 ] &&
[ "$(q "$T/a.db" "select count(*) from faults_per_rip where insn is null")" = 0 ] ||
	fail "an unlabelled row: $(q "$T/a.db" "select * from faults_per_vma") $(q "$T/a.db" "select * from faults_per_rip")"
[ "$(q "$T/a.db" "select count(*) from faults")" = "$(q "$T/a.db" "select value from counters where name = 'vmstat.pgfault'")" ] ||
	fail "fault events do not add up to pgfault"
[ "$(q "$T/a.db" "select count(*) from faults f where f.ip <> 0 and not exists (select 1 from insns i where i.addr = f.ip)")" = 0 ] ||
	fail "a fault RIP is missing from insns"
q "$T/a.db" "select insn from faults_per_rip limit 1" | grep -q "mov" || fail "the hottest RIP is not disassembled"
[ "$(q "$T/a.db" "select faults from faults_per_vma limit 1")" = 1024 ] || fail "faults per VMA: $(q "$T/a.db" "select * from faults_per_vma")"
for v in faults_over_time reclaim_timeline oom_kills hottest_pages tlb_misses_per_minsn events_named; do
	"$MMSIM" query "$T/a.db" "select * from $v limit 3" >/dev/null || fail "view $v"
done
[ "$(q "$T/a.db" "select count(*) > 0 from tlb_misses_per_minsn")" = 1 ] || fail "tlb_misses_per_minsn is empty"

# --- stats ------------------------------------------------------------
"$MMSIM" stats "$T/a.db" >"$T/stats.txt" || fail "stats failed"
cmp -s "$T/live.txt" "$T/stats.txt" || fail "stats differs from the live summary: $(diff "$T/live.txt" "$T/stats.txt")"
"$MMSIM" stats --json "$T/aj.db" >"$T/stats.json" || fail "stats --json failed"
cmp -s "$T/live.json" "$T/stats.json" || fail "stats --json differs from the live --json summary"

# --- query ------------------------------------------------------------
"$MMSIM" query "$T/a.db" "select 1 as a, 'x' as b" >"$T/q.txt" || fail "query failed"
[ "$(sed -n 3p "$T/q.txt")" = "1  x" ] || fail "table output: $(cat "$T/q.txt")"
[ "$("$MMSIM" query --csv "$T/a.db" "select 'a,b' as s, 2 as n")" = "$(printf 's,n\n"a,b",2')" ] || fail "csv output"
[ "$("$MMSIM" query --json "$T/a.db" "select 'a' as s, null as z")" = "$(printf '[\n{"s":"a","z":null}\n]')" ] || fail "json output"
n=$(q "$T/a.db" "select count(*) from events")
for bad in "delete from events" "select 1; drop table events" "insert into counters values ('x', 1)" "pragma user_version = 7"; do
	"$MMSIM" query "$T/a.db" "$bad" >/dev/null 2>"$T/err"
	[ $? = 2 ] || fail "a write was not refused: $bad"
	grep -q "refused" "$T/err" || fail "no refusal message for: $bad ($(cat "$T/err"))"
done
[ "$(q "$T/a.db" "select count(*) from events")" = "$n" ] || fail "a refused write changed the database"
"$MMSIM" query "$T/a.db" "select nosuchcolumn from events" >/dev/null 2>"$T/err"
[ $? = 2 ] || fail "a SQL error did not exit 2"
[ "$(wc -l <"$T/err")" = 1 ] && grep -q "no such column: nosuchcolumn in: select nosuchcolumn from events" "$T/err" ||
	fail "SQL error message: $(cat "$T/err")"
"$MMSIM" query "$T/a.db" " ; " >/dev/null 2>"$T/err"
[ $? = 2 ] && grep -q "the SQL is empty" "$T/err" || fail "empty SQL: $(cat "$T/err")"

# --- damaged and foreign files ---------------------------------------
printf 'not a database at all\n' >"$T/junk.db"
head -c 30000 "$T/a.db" >"$T/trunc.db"
: >"$T/empty.db"
sqlite3 "$T/other.db" "create table t(x); insert into t values (1);"
cp "$T/a.db" "$T/old.db"; sqlite3 "$T/old.db" "pragma user_version = 1"
cp "$T/a.db" "$T/new.db"; sqlite3 "$T/new.db" "pragma user_version = 99"
cp "$T/a.db" "$T/bad.db"
size=$(stat -c %s "$T/bad.db")
dd if=/dev/urandom of="$T/bad.db" bs=1024 seek=8 count=$((size / 1024 - 8)) conv=notrunc 2>/dev/null # every page but the first
for f in junk trunc empty other old new bad missing; do
	for cmd in "stats" "query" ; do
		if [ "$cmd" = query ]; then
			"$MMSIM" query "$T/$f.db" "select count(*), sum(addr) from events" >/dev/null 2>"$T/err"
		else
			"$MMSIM" stats "$T/$f.db" >/dev/null 2>"$T/err"
		fi
		rc=$?
		[ $rc = 2 ] || fail "$cmd $f.db: exit $rc, expected 2 ($(cat "$T/err"))"
		[ "$(wc -l <"$T/err")" = 1 ] || fail "$cmd $f.db: not one line: $(cat "$T/err")"
	done
done
grep -q "version 99, this mmsim reads version 5" "$T/err" 2>/dev/null || true
"$MMSIM" stats "$T/old.db" 2>&1 | grep -q "schema version 1, this mmsim reads version 5" || fail "old schema message"
"$MMSIM" stats "$T/new.db" 2>&1 | grep -q "schema version 99, this mmsim reads version 5" || fail "new schema message"
"$MMSIM" stats "$T/trunc.db" 2>&1 | grep -q "truncated" || fail "truncated message"
"$MMSIM" stats "$T/junk.db" 2>&1 | grep -q "not an mmsim trace database" || fail "junk message"

# --- replay -------------------------------------------------------------
cd "$T" || fail "cd"
replay_ok() { # NAME ARGS...: record a run, then replay must find it identical
	name=$1
	shift
	"$MMSIM" run -q --trace "$T/$name.db" "$@" >/dev/null 2>&1 </dev/null
	[ -s "$T/$name.db" ] || fail "replay $name: no database"
	"$MMSIM" replay "$T/$name.db" >"$T/rp.out" 2>&1 || fail "replay $name: $(cat "$T/rp.out")"
	grep -q "identical" "$T/rp.out" || fail "replay $name: $(cat "$T/rp.out")"
}
replay_ok fork "$G/fork_cow"
replay_ok sig "$SG/sys_signals"
replay_ok pipes "$SG/sys_pollio"
replay_ok splice "$SG/sys_spliceio"
replay_ok sh --root "$T/root" --stdin "$T/in.txt" -- /bin/busybox sh -c 'cat /etc/motd | busybox wc -c; busybox sort -r; echo $$'
replay_ok cold --page-cache cold --quantum 5000 --trace-level 2 "$G/fork_cow"
# every kind of run: several programs with per-program options and rules,
# threads on 4 CPUs, swap, sysctls, a dynamically linked program (its
# interpreter and libraries are inputs), a guest writing /tmp
replay_ok multi --mem 64M --oom-score-adj pressure=10 -- --oom-score-adj=-1000 "$G/pressure" hold 40 2000 ::: \
	--delay=1000000000 "$G/pressure" grow 50
[ "$(q "$T/multi.db" "select programs like '%:::%--delay=1000000000%grow%' and oom_rules = '[\"pressure=10\"]' from runs")" = 1 ] ||
	fail "multi-program run record: $(q "$T/multi.db" "select programs, oom_rules from runs")"
[ "$(q "$T/multi.db" "select count(*) from inputs where kind = 'program'")" = 2 ] || fail "the second program is not an input"
[ "$(q "$T/multi.db" "select count(*) from events e join event_types t on t.id = e.type where t.name = 'oom_kill'")" -ge 1 ] ||
	fail "the multi-program run did not reach the OOM killer"
replay_ok threads --cpus 4 -- "$G/threads" sweep 4 100 1
replay_ok swap --mem 32M --swap 64M --sysctl vm.swappiness=100 -- "$G/swap_verify" 48
q "$T/swap.db" "select machine from runs" | grep -q "swap=64M .*sysctl=vm.swappiness=100" ||
	fail "swap/sysctl not in runs.machine: $(q "$T/swap.db" "select machine from runs")"
replay_ok dyn --root / -- /bin/ls /etc
if file -L /bin/ls 2>/dev/null | grep -q dynamically; then
	[ "$(q "$T/dyn.db" "select count(*) from inputs where kind = 'file' and path like '%ld-linux%'")" = 1 ] &&
	[ "$(q "$T/dyn.db" "select count(*) from inputs where kind = 'file' and path like '%/libc.so%'")" = 1 ] ||
		fail "the interpreter and libc are not inputs: $(q "$T/dyn.db" "select path from inputs")"
fi
replay_ok tmpw --root / -- /bin/busybox sh -c 'echo hello >/tmp/f; cat /tmp/f; rm /tmp/f'
# what-ifs of the new settings
"$MMSIM" run -q --mem 32M --trace "$T/noswap.db" -- "$G/swap_verify" 24 >/dev/null 2>&1 || fail "swap_verify 24"
"$MMSIM" replay "$T/noswap.db" --swap 64M -o "$T/wswap.db" >/dev/null 2>&1 || fail "what-if --swap"
[ "$(q "$T/wswap.db" "select machine like '% swap=64M %' from runs")" = 1 ] || fail "what-if --swap machine"
"$MMSIM" replay "$T/threads.db" --cpus 2 -o "$T/wcpus.db" >/dev/null 2>&1 || fail "what-if --cpus"
[ "$(q "$T/wcpus.db" "select machine like '% cpus=2' from runs")" = 1 ] || fail "what-if --cpus machine"
"$MMSIM" replay "$T/swap.db" --sysctl vm.swappiness=0 -o "$T/wsw0.db" >/dev/null 2>&1 || fail "what-if --sysctl"
[ "$(q "$T/wsw0.db" "select machine like '%sysctl=vm.swappiness=0%' from runs")" = 1 ] || fail "what-if --sysctl machine"
"$MMSIM" diff "$T/swap.db" "$T/wsw0.db" | grep -q "^vmstat.pgscan" || fail "what-if swappiness=0 changed no scan counter"

# a changed binary and a changed input are refused, naming what changed
cp "$G/hello" "$T/hello"
"$MMSIM" run -q --trace "$T/h.db" "$T/hello" >/dev/null 2>&1 || fail "hello"
printf 'x' >>"$T/hello"
"$MMSIM" replay "$T/h.db" >/dev/null 2>"$T/err"
[ $? = 2 ] || fail "a changed binary was not refused"
grep -q "program .*hello.* changed" "$T/err" || fail "changed binary message: $(cat "$T/err")"
printf 'three\n' >>"$T/in.txt"
"$MMSIM" replay "$T/sh.db" >/dev/null 2>"$T/err"
[ $? = 2 ] || fail "a changed stdin was not refused"
grep -q "stdin .*changed" "$T/err" || fail "changed stdin message: $(cat "$T/err")"
printf 'one\ntwo\n' >"$T/in.txt"
printf 'changed\n' >"$T/root/etc/motd"
"$MMSIM" replay "$T/sh.db" >/dev/null 2>"$T/err"
[ $? = 2 ] || fail "a changed root file was not refused"
grep -q "file /etc/motd .*changed" "$T/err" || fail "changed file message: $(cat "$T/err")"
printf 'hello root\n' >"$T/root/etc/motd"
"$MMSIM" replay "$T/sh.db" >/dev/null 2>&1 || fail "the restored inputs do not replay"

# a divergence is reported at the first differing event, with neighbours
cp "$T/fork.db" "$T/tamper.db"
sqlite3 "$T/tamper.db" "update events set value = value + 1 where seq = 500"
"$MMSIM" replay "$T/tamper.db" >"$T/rp.out" 2>&1
[ $? = 1 ] || fail "a divergence did not exit 1"
grep -q "diverged at event 500" "$T/rp.out" || fail "divergence report: $(cat "$T/rp.out")"
[ "$(grep -c "seq=50[0-3]" "$T/rp.out")" -ge 6 ] && grep -q "seq=497" "$T/rp.out" ||
	fail "the report lacks neighbours: $(cat "$T/rp.out")"

# what-if: a smaller --mem changes the memory counters, not the program's faults
"$MMSIM" replay "$T/fork.db" --mem 16M -o "$T/small.db" >"$T/wi.out" 2>&1 || fail "what-if: $(cat "$T/wi.out")"
"$MMSIM" replay "$T/fork.db" --mem 16M -o "$T/small.db" >/dev/null 2>&1 && fail "what-if replaced an existing database"
[ "$(q "$T/small.db" "select machine like 'mem=16M %' from runs")" = 1 ] || fail "what-if machine"
[ "$(q "$T/small.db" "select value from counters where name = 'vmstat.nr_free_pages'")" -lt   "$(q "$T/fork.db" "select value from counters where name = 'vmstat.nr_free_pages'")" ] || fail "what-if nr_free_pages"
[ "$(q "$T/small.db" "select value from counters where name = 'vmstat.pgfault'")" =   "$(q "$T/fork.db" "select value from counters where name = 'vmstat.pgfault'")" ] || fail "what-if changed pgfault"
"$MMSIM" diff "$T/fork.db" "$T/small.db" >"$T/diff.out" || fail "diff failed"
grep -q "^vmstat.nr_free_pages " "$T/diff.out" || fail "diff lacks nr_free_pages: $(cat "$T/diff.out")"
grep -q "^=== B: " "$T/diff.out" && grep -q "Performance counter stats" "$T/diff.out" || fail "diff lacks the summaries"
grep -q "^vmstat.pgfault " "$T/diff.out" && fail "diff shows an equal counter"

# two identical runs: identical databases apart from the host facts
"$MMSIM" run -q --trace "$T/twin.db" "$G/fork_cow" >/dev/null 2>&1
for f in fork twin; do
	cp "$T/$f.db" "$T/$f-x.db"
	sqlite3 "$T/$f-x.db" "update runs set started_at = null, ended_at = null, cmdline = null"
	sqlite3 "$T/$f-x.db" .dump >"$T/$f.sql"
done
cmp -s "$T/fork.sql" "$T/twin.sql" || fail "identical runs differ: $(diff "$T/fork.sql" "$T/twin.sql" | head -5)"

# --- proc --at: what the guest read at that moment ----------------------
for view in meminfo vmstat buddyinfo zoneinfo slabinfo; do
	"$MMSIM" run -q --trace "$T/p-$view.db" --stdout "$T/p-$view.live" /bin/busybox cat /proc/$view >/dev/null 2>&1 ||
		fail "busybox cat /proc/$view"
	seq=$(q "$T/p-$view.db" "select min(seq) from events where type = 32 and detail in ('open', 'openat')")
	"$MMSIM" proc "$T/p-$view.db" --at "$seq" $view >"$T/p-$view.at" 2>"$T/err" || fail "proc $view: $(cat "$T/err")"
	cmp -s "$T/p-$view.live" "$T/p-$view.at" || fail "proc --at $seq $view differs from the live read"
done
for view in maps smaps status; do
	"$MMSIM" run -q --trace "$T/p-$view.db" --stdout "$T/p-$view.live" /bin/busybox cat /proc/self/$view >/dev/null 2>&1
	seq=$(q "$T/p-$view.db" "select min(seq) from events where type = 32 and detail in ('open', 'openat')")
	"$MMSIM" proc "$T/p-$view.db" --at "$seq" $view 1 >"$T/p-$view.at" 2>"$T/err" || fail "proc $view: $(cat "$T/err")"
	cmp -s "$T/p-$view.live" "$T/p-$view.at" || fail "proc --at $seq $view 1 differs: $(diff "$T/p-$view.live" "$T/p-$view.at" | head)"
done
# a swap run: the swap, LRU and per-process swap fields as a shell read them
# while a process held swapped-out memory (pid 2)
# (the guest's /tmp is its own tmpfs: a build under /tmp is invisible to a
# guest shell with --root /, so it runs a copy from /var/tmp)
V=$(mktemp -d /var/tmp/mmsim-tdb.XXXXXX) || exit 1
trap 'rm -rf "$T" "$V"' EXIT
cp "$G/pressure" "$V/pressure" || exit 1
"$MMSIM" run -q --mem 32M --swap 64M --trace "$T/psw.db" --stdout "$T/psw.live" --root / -- /bin/busybox sh -c \
	"$V/pressure hold 40 3000 >/dev/null & sleep 1; cat /proc/meminfo /proc/vmstat /proc/zoneinfo /proc/\$!/status /proc/\$!/smaps; wait" \
	>/dev/null 2>&1 || fail "swap run reading /proc"
grep -q "^VmSwap:[^0]*[1-9]" "$T/psw.live" && grep -q "^SwapPss: *[1-9]" "$T/psw.live" || fail "the swap run did not swap the holder"
set -- $(q "$T/psw.db" "select seq from events where type = 32 and detail = 'openat' and pid = (select max(pid) from events where type = 32 and detail = 'openat') order by seq")
[ $# = 5 ] || fail "expected 5 openat of cat, got $#"
{ "$MMSIM" proc "$T/psw.db" --at "$1" meminfo && "$MMSIM" proc "$T/psw.db" --at "$2" vmstat &&
  "$MMSIM" proc "$T/psw.db" --at "$3" zoneinfo && "$MMSIM" proc "$T/psw.db" --at "$4" status 2 &&
  "$MMSIM" proc "$T/psw.db" --at "$5" smaps 2; } >"$T/psw.at" 2>"$T/err" || fail "proc --at on the swap run: $(cat "$T/err")"
for f in SwapTotal SwapFree SwapCached "Active(anon)" "Inactive(anon)" "Active(file)" Unevictable Mlocked Shmem VmSwap Swap SwapPss; do
	grep -q "^$f:" "$T/psw.at" || fail "proc --at lacks $f"
done
cmp -s "$T/psw.live" "$T/psw.at" || fail "proc --at differs from the live reads of the swap run: $(diff "$T/psw.live" "$T/psw.at" | head)"
# the guest meminfo reads twice; --at-insn at the second read's time
"$MMSIM" run -q --trace "$T/mi.db" "$G/meminfo" >"$T/mi.live" 2>&1
t2=$(q "$T/mi.db" "select time from events where type = 32 and detail = 'open' order by seq limit 1 offset 1")
"$MMSIM" proc "$T/mi.db" --at-insn "$t2" meminfo | grep -E "^(MemTotal|MemFree|AnonPages):" >"$T/mi.at"
tail -3 "$T/mi.live" | cmp -s - "$T/mi.at" || fail "proc --at-insn: $(cat "$T/mi.at")"
"$MMSIM" proc "$T/mi.db" --at 999999999 meminfo >/dev/null 2>&1
[ $? = 2 ] || fail "an event beyond the run was not refused"
"$MMSIM" proc "$T/mi.db" --at 300 maps 77 >/dev/null 2>&1
[ $? = 2 ] || fail "a missing pid was not refused"

# --- report and export ----------------------------------------------------
for f in fork sh; do
	"$MMSIM" report "$T/$f.db" -o "$T/$f.html" || fail "report $f"
	"$MMSIM" export "$T/$f.db" --format chrome-trace -o "$T/$f.json" || fail "export $f"
	python3 "$CHECK" "$T/$f.html" "$T/$f.json" || fail "report/export of $f"
done
# reclaim charted on a swap run, OOM kills marked, threads as tracks
for f in "swap --reclaim" "multi --oom" "threads --threads"; do
	set -- $f
	"$MMSIM" report "$T/$1.db" -o "$T/$1.html" || fail "report $1"
	"$MMSIM" export "$T/$1.db" --format chrome-trace -o "$T/$1.json" || fail "export $1"
	python3 "$CHECK" "$T/$1.html" "$T/$1.json" "$2" || fail "report/export of $1 ($2)"
done

# --- views of reclaim, OOM and TLB shootdowns ---------------------------
[ "$(q "$T/swap.db" "select sum(swap_out) = (select count(*) from events_named where type_name = 'swap_out')
	and sum(kswapd_passes + direct_passes) = (select count(*) from events_named where type_name = 'reclaim')
	and sum(reclaimed) > 0 and sum(kswapd_wakes) > 0 as ok from reclaim_per_interval")" = 1 ] ||
	fail "reclaim_per_interval: $(q "$T/swap.db" "select * from reclaim_per_interval limit 5")"
# every candidate of the kill is a row; the victim is the chosen one and had the highest badness
[ "$(q "$T/multi.db" "select count(*) from oom_candidates where chosen")" = \
  "$(q "$T/multi.db" "select count(*) from events_named where type_name = 'oom_kill'")" ] || fail "oom_candidates: chosen rows"
[ "$(q "$T/multi.db" "select count(*) >= 2 from oom_candidates")" = 1 ] || fail "oom_candidates: too few rows"
[ "$(q "$T/multi.db" "select count(*) from oom_candidates c where chosen and badness < (select max(badness) from oom_candidates d where d.seq = c.seq)")" = 0 ] ||
	fail "oom_candidates: the victim did not have the highest badness: $(q "$T/multi.db" "select * from oom_candidates")"
[ "$(q "$T/multi.db" "select count(*) from oom_candidates where pid = 1 and comm = 'pressure' and badness is null and not killable")" = 1 ] ||
	fail "oom_candidates: the oom_score_adj=-1000 program is not listed as unkillable: $(q "$T/multi.db" "select * from oom_candidates")"
[ "$(q "$T/threads.db" "select sum(shootdowns) > 0 and sum(flushes) = (select count(*) from events_named where type_name = 'tlb_flush') from tlb_shootdowns")" = 1 ] ||
	fail "tlb_shootdowns: $(q "$T/threads.db" "select * from tlb_shootdowns limit 5")"
[ "$(q "$T/threads.db" "select count(*) from events_named where type_name = 'fork' and detail = 'thread' and size = 1")" = 4 ] ||
	fail "fork events do not say thread and tgid"

# --- an OOM panic finishes the database ----------------------------------
"$MMSIM" run -q --mem 64M --sysctl vm.panic_on_oom=1 --trace "$T/panic.db" "$G/pressure" grow 100 >/dev/null 2>&1
[ $? = 123 ] || fail "panic_on_oom: exit status"
[ "$(q "$T/panic.db" "select finished, exit_status, finish_reason like 'Kernel panic - not syncing: Out of memory%' from runs")" = "1,123,1" ] ||
	fail "panic: $(q "$T/panic.db" "select finished, exit_status, finish_reason from runs")"
[ "$(q "$T/panic.db" "select count(*) from events where type = 1")" = 1 ] || fail "panic: no run_end event"
"$MMSIM" replay "$T/panic.db" 2>/dev/null | grep -q identical || fail "the panic run does not replay"

for cmd in "report $T/junk.db -o $T/j.html" "export $T/trunc.db --format chrome-trace -o $T/j.json" \
	"replay $T/old.db" "proc $T/new.db --at 5 meminfo" "diff $T/a.db $T/bad.db"; do
	"$MMSIM" $cmd >/dev/null 2>"$T/err"
	[ $? = 2 ] && [ "$(wc -l <"$T/err")" = 1 ] || fail "mmsim $cmd: not refused with one line: $(cat "$T/err")"
done
echo "tracedb: ok"
