#!/bin/sh
# tracedb_cli.sh MMSIM GUEST_DIR: the trace database commands as a new user
# meets them (issue 11's review): outputs that are their own input, --force
# on a file that is not a database, replaying `mmsim demo`, a quiet replay,
# option errors, the views' rows during exec, the report's charts; and
# `mmsim demo --json`, whose stdout is the JSON only.
set -u
MMSIM=$(realpath "$1")
G=$(realpath "$2")
CHECK=$(dirname "$(realpath "$0")")/report_check.py
T=$(mktemp -d "${TMPDIR:-/tmp}/mmsim-tcli.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1

fail() {
	echo "FAIL [tracedb_cli]: $*" >&2
	exit 1
}
q() { "$MMSIM" query --csv "$1" "$2" | tail -n +2; }
# one_line RC CMD...: CMD must exit RC with exactly one line on stderr
one_line() {
	want=$1
	shift
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	[ $rc = "$want" ] || fail "$*: exit $rc, expected $want ($(cat "$T/err"))"
	[ "$(wc -l <"$T/err")" = 1 ] || fail "$*: not one line on stderr: $(cat "$T/err")"
}

"$MMSIM" run -q --trace "$T/run.db" "$G/fork_cow" 2 >/dev/null 2>&1 || fail "fork_cow"
sum0=$(sha256sum <"$T/run.db")

# --- an output that is the database being read -------------------------
ln -s run.db "$T/link.db"
ln "$T/run.db" "$T/hard.db"
for out in run.db ./run.db "$T/run.db" link.db hard.db; do
	one_line 2 "$MMSIM" replay run.db --mem 64M -o "$out" --force
	grep -q "^mmsim replay: -o $out is the database being read (run.db)" "$T/err" || fail "replay -o $out: $(cat "$T/err")"
	one_line 2 "$MMSIM" replay run.db -o "$out" --force
	one_line 2 "$MMSIM" report run.db -o "$out"
	grep -q "^mmsim report: -o $out is the database being read" "$T/err" || fail "report -o $out: $(cat "$T/err")"
	one_line 2 "$MMSIM" export run.db --format chrome-trace -o "$out"
	grep -q "^mmsim export: -o $out is the database being read" "$T/err" || fail "export -o $out: $(cat "$T/err")"
done
one_line 2 "$MMSIM" report link.db -o run.db
[ "$(sha256sum <"$T/run.db")" = "$sum0" ] || fail "a refused command changed the database"
"$MMSIM" replay run.db >/dev/null 2>&1 || fail "the database does not replay after the refusals"

# mmsim run reads no database, but its other files must not be its --trace
for opt in -o --stdout --stderr --stdin; do
	one_line 2 "$MMSIM" run --trace run.db --force "$opt" ./run.db "$G/hello"
	grep -q "^mmsim run: $opt ./run.db is the --trace database" "$T/err" || fail "run $opt: $(cat "$T/err")"
	one_line 2 "$MMSIM" run --trace new.db "$opt" "$T/new.db" "$G/hello"
	[ -e "$T/new.db" ] && fail "run $opt: a refused run left new.db"
done
[ "$(sha256sum <"$T/run.db")" = "$sum0" ] || fail "a refused run changed the database"

# --- --force replaces an mmsim database or an empty file, nothing else ---
printf 'my notes\n' >"$T/plain.txt"
sqlite3 "$T/other.db" "create table t(x); insert into t values (42);"
for f in plain.txt other.db; do
	cp "$T/$f" "$T/$f.orig"
	one_line 2 "$MMSIM" run -q --trace "$T/$f" --force "$G/hello"
	grep -q "'$T/$f' is not an mmsim trace database (.*); it was left alone" "$T/err" || fail "run --force $f: $(cat "$T/err")"
	one_line 2 "$MMSIM" replay run.db --mem 64M -o "$T/$f" --force
	grep -q "^mmsim replay: trace: .*it was left alone" "$T/err" || fail "replay --force $f: $(cat "$T/err")"
	one_line 2 "$MMSIM" scenario --trace "$T/$f" --force "$MMSIM_SRC/tests/scenarios/issue2_example.scn"
	grep -q "^mmsim scenario: .*it was left alone" "$T/err" || fail "scenario --force $f: $(cat "$T/err")"
	one_line 2 "$MMSIM" demo --scenario --trace "$T/$f" --force
	cmp -s "$T/$f" "$T/$f.orig" || fail "--force changed $f"
done
: >"$T/empty.db"
"$MMSIM" run -q --trace "$T/empty.db" --force "$G/hello" >/dev/null 2>&1 || fail "--force on an empty file"
cp "$T/run.db" "$T/copy.db"
"$MMSIM" run -q --trace "$T/copy.db" --force "$G/hello" >/dev/null 2>&1 || fail "--force on an mmsim database"
[ "$(q "$T/copy.db" "select program from runs")" = "$G/hello" ] || fail "--force did not replace the database"
# a run that never starts (no program, not an ELF, the database itself as
# the program) leaves the database it was to replace as it was
cp "$T/run.db" "$T/keep.db"
for prog in "$T/nonexistent" "$T/plain.txt.orig" "$T/keep.db"; do
	one_line 2 "$MMSIM" run -q --force --trace "$T/keep.db" "$prog"
	cmp -s "$T/run.db" "$T/keep.db" || fail "run --force with $prog that never started changed the database"
	[ -e "$T/keep.db.mmsim-replaced" ] && fail "run --force left its backup behind"
done
grep -q "is the program to run" "$T/err" || fail "--trace naming the program: $(cat "$T/err")"
cp "$T/run.db" "$T/old.db"
sqlite3 "$T/old.db" "pragma user_version = 1"
"$MMSIM" run -q --trace "$T/old.db" --force "$G/hello" >/dev/null 2>&1 || fail "--force on an older mmsim database"

# --- mmsim demo --trace: the built-in guest replays ----------------------
"$MMSIM" demo --trace "$T/demo.db" >/dev/null 2>&1 || fail "demo --trace"
# (an mmsim built without the musl guests shows its scenario instead)
"$MMSIM" demo --trace "$T/demo.db" >"$T/o.txt" 2>"$T/err"
[ $? = 2 ] && [ ! -s "$T/o.txt" ] && grep -q "^mmsim demo: trace: .* exists; --force replaces it" "$T/err" ||
	fail "demo --trace on an existing database: $(cat "$T/o.txt" "$T/err")"
demo_guest=$(q "$T/demo.db" "select program is not null from runs")
[ "$demo_guest" = 0 ] && echo "skip: this mmsim has no built-in guest; demo checks skipped"
[ "$demo_guest" = 0 ] || [ "$(q "$T/demo.db" "select count(*) from inputs where kind = 'program' and host_path is null")" = 1 ] ||
	fail "the demo's program is not recorded as built in: $(q "$T/demo.db" "select * from inputs")"
if [ "$demo_guest" = 1 ]; then
	"$MMSIM" replay "$T/demo.db" >"$T/out" 2>"$T/err" || fail "the demo does not replay: $(cat "$T/out" "$T/err")"
	grep -q "identical" "$T/out" || fail "demo replay: $(cat "$T/out")"
	"$MMSIM" replay "$T/demo.db" --mem 64M -o "$T/demo64.db" >/dev/null 2>&1 || fail "a what-if of the demo"
	[ "$(q "$T/demo64.db" "select value from counters where name = 'vmstat.pgfault'")" = \
	  "$(q "$T/demo.db" "select value from counters where name = 'vmstat.pgfault'")" ] || fail "the demo's what-if changed pgfault"
	cp "$T/demo.db" "$T/demox.db"
	sqlite3 "$T/demox.db" "update inputs set sha256 = '00' || substr(sha256, 3) where kind = 'program'"
	one_line 2 "$MMSIM" replay "$T/demox.db"
	grep -q "the built-in program fork_cow changed since the run" "$T/err" || fail "a changed built-in: $(cat "$T/err")"
fi

# --- replay is quiet: the verdict only, the kernel log with -v ------------
"$MMSIM" run -q --mem 64M --trace "$T/oom.db" -- "$G/pressure" grow 100 >/dev/null 2>"$T/live.err"
[ $? = 137 ] || fail "pressure grow 100 was not OOM-killed"
grep -q "Out of memory: Killed process" "$T/live.err" || fail "the live run printed no OOM report"
"$MMSIM" replay "$T/oom.db" >"$T/out" 2>"$T/err" || fail "replay of the OOM run: $(cat "$T/out" "$T/err")"
[ -s "$T/err" ] && fail "a verification printed on stderr: $(head -3 "$T/err")"
[ "$(wc -l <"$T/out")" = 1 ] && grep -q "identical" "$T/out" || fail "verdict: $(cat "$T/out")"
"$MMSIM" replay -v "$T/oom.db" >"$T/out" 2>"$T/err" || fail "replay -v"
cmp -s "$T/err" "$T/live.err" || fail "replay -v does not show the live run's kernel log: $(diff "$T/live.err" "$T/err" | head -5)"
"$MMSIM" replay "$T/oom.db" --mem 48M -o "$T/oom48.db" >"$T/out" 2>"$T/err" || fail "what-if of the OOM run"
[ -s "$T/err" ] && fail "a what-if printed on stderr: $(head -3 "$T/err")"
grep -q "Performance counter stats" "$T/out" && grep -q "what-if run recorded to" "$T/out" || fail "what-if output: $(cat "$T/out")"
"$MMSIM" replay --verbose "$T/oom.db" --mem 48M -o "$T/oom48.db" --force >/dev/null 2>"$T/err" || fail "what-if --verbose"
grep -q "Out of memory: Killed process" "$T/err" || fail "what-if --verbose shows no OOM report: $(cat "$T/err")"
one_line 2 "$MMSIM" replay "$T/oom.db" --mem 48M -o "$T/no/such/dir.db"
grep -q "does not exist" "$T/err" || fail "a what-if that cannot start: $(cat "$T/err")"
cp "$T/oom.db" "$T/oomx.db"
late=$(q "$T/oom.db" "select max(seq) - 3 from events")
sqlite3 "$T/oomx.db" "update events set time = time + 1 where seq = $late"
"$MMSIM" replay "$T/oomx.db" >"$T/out" 2>"$T/err"
[ $? = 1 ] && grep -q "diverged at event $late" "$T/out" || fail "divergence: $(cat "$T/out")"
grep -q "Out of memory" "$T/err" || fail "a divergence does not show the replay's kernel log"

# --- a bad machine option: one line, as mmsim run says it ----------------
for opt in "--mem 12Q" "--zones DMA:1X" "--min-free-kbytes x" "--cpus 0" "--tlb foo" "--swap 3"; do
	set -- $opt
	one_line 2 "$MMSIM" replay run.db "$1" "$2" -o "$T/bad.db"
	replay_msg=$(sed 's/^mmsim replay: //' "$T/err")
	one_line 2 "$MMSIM" run "$1" "$2" "$G/hello"
	run_msg=$(sed 's/^mmsim run: //' "$T/err")
	[ "$replay_msg" = "$run_msg" ] || fail "replay $opt says '$replay_msg', run says '$run_msg'"
	case "$replay_msg" in "$1: ${1#--}:"*) fail "the option name is repeated: $replay_msg" ;; esac
done
[ "$replay_msg" ] && "$MMSIM" replay run.db --mem 12Q -o "$T/bad.db" 2>&1 | grep -qx "mmsim replay: --mem: bad size '12Q' (e.g. 64M, 1G)" ||
	fail "replay --mem 12Q: $("$MMSIM" replay run.db --mem 12Q -o "$T/bad.db" 2>&1)"
[ -e "$T/bad.db" ] && fail "a refused what-if left a database"

# --- the faults of exec are the exec'ing process's, in its new image -----
"$MMSIM" run -q --trace "$T/sh.db" --root / -- /bin/busybox sh -c '/bin/busybox true; /bin/busybox echo hi' >/dev/null 2>&1 ||
	fail "busybox sh"
[ "$(q "$T/sh.db" "select count(*) from faults where pid = 0 or pid is null or vma is null")" = 0 ] ||
	fail "faults without a pid or VMA: $(q "$T/sh.db" "select * from faults where pid = 0 or pid is null or vma is null")"
[ "$(q "$T/sh.db" "select count(*) from faults f join vmas v on v.id = f.vma where v.pid <> f.pid or f.addr < v.start or f.addr >= v.\"end\"")" = 0 ] ||
	fail "faults in another process's or a stale VMA"
[ "$(q "$T/sh.db" "select count(*) from faults where ip = 0 and time = 0 and pid = 1")" -ge 2 ] || fail "exec's faults of pid 1"
for db in sh run segv; do
	[ $db = segv ] && { "$MMSIM" run -q --trace "$T/segv.db" "$G/segv" >/dev/null 2>&1; }
	# + the faults at addresses no VMA maps: as on Linux, they never reach
	# handle_mm_fault, so pgfault does not count them
	pgfault=$(q "$T/$db.db" "select value + (select count(*) from faults where vma is null) from counters where name = 'vmstat.pgfault'")
	[ "$(q "$T/$db.db" "select sum(faults) from faults_per_vma")" = "$pgfault" ] &&
	[ "$(q "$T/$db.db" "select sum(faults) from faults_per_rip")" = "$pgfault" ] || fail "$db: the views do not add up to pgfault"
	[ "$(q "$T/$db.db" "select count(*) from faults_per_vma where pid is null or pid = 0 or vma is null")" = 0 ] ||
		fail "$db: an unlabelled faults_per_vma row: $(q "$T/$db.db" "select * from faults_per_vma")"
	[ "$(q "$T/$db.db" "select count(*) from faults_per_rip where insn is null")" = 0 ] ||
		fail "$db: an unlabelled faults_per_rip row: $(q "$T/$db.db" "select * from faults_per_rip")"
done
[ "$(q "$T/segv.db" "select count(*) from faults_per_vma where pid = 1 and vma like '(no VMA%' and other = 1")" = 1 ] ||
	fail "the SIGSEGV's fault: $(q "$T/segv.db" "select * from faults_per_vma")"

# --- the report charts only zones that have pages ------------------------
"$MMSIM" report run.db -o "$T/run.html" || fail "report"
python3 "$CHECK" "$T/run.html" /dev/null --html-only || fail "report_check"
want=$(q run.db "select zone from samples where kind = 'zone' and name = 'present' group by zone having max(value) > 0 order by zone" | tr '\n' ' ')
[ "$want" = "0:DMA 0:DMA32 " ] || fail "a 256M machine's zones with pages: '$want'"
have=$(python3 -c '
import json, re, sys
d = json.loads(re.search(r"<script type=\"application/json\" id=\"data\">(.*?)</script>", open(sys.argv[1]).read(), re.S).group(1))
free = [c for c in d["charts"] if c["id"] == "free"][0]
print(" ".join(sorted({s["name"].split(" ")[0] for s in free["series"]})) + " ", end="")' "$T/run.html")
[ "$have" = "$want" ] || fail "the free-pages chart draws zones '$have', the machine has pages in '$want'"
"$MMSIM" export run.db --format chrome-trace -o "$T/run.json" || fail "export"
have=$(python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))
print(" ".join(sorted({e["name"][len("free pages "):] for e in t["traceEvents"] if e["ph"] == "C" and e["name"].startswith("free pages ")})) + " ", end="")' "$T/run.json")
[ "$have" = "$want" ] || fail "the export's zone counter tracks are '$have', the machine has pages in '$want'"

# --- mmsim demo --json: stdout is the JSON only ---------------------------
[ "$demo_guest" = 1 ] && {
"$MMSIM" demo --json >"$T/demo.json" 2>"$T/demo.err" || fail "demo --json"
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); sys.exit(0 if d["exit_code"] == 0 else 1)' "$T/demo.json" ||
	fail "demo --json: stdout is not one JSON object: $(head -c 300 "$T/demo.json")"
grep -q "^mmsim demo: running the built-in guest" "$T/demo.err" && grep -q "^child: wrote 1024 pages" "$T/demo.err" ||
	fail "demo --json: the banner and the guest's output are not on stderr: $(head -5 "$T/demo.err")"
"$MMSIM" demo >"$T/demo.out" 2>"$T/demo.err" || fail "demo"
grep -q "^child: wrote 1024 pages" "$T/demo.out" && grep -q "Performance counter stats" "$T/demo.err" || fail "demo: stdout/stderr"
}

echo "tracedb_cli: ok"
