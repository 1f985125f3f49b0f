#!/bin/sh
# tracedb_cli.sh MMSIM GUEST_DIR: the trace database commands as a new user
# meets them (issue 11's review): outputs that are their own input, --force
# on a file that is not a database, replaying `mmsim demo`, a quiet replay,
# option errors, the views' rows during exec, the report's charts.
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

# --- --force replaces an mmsim database or an empty file, nothing else ---
printf 'my notes\n' >"$T/plain.txt"
sqlite3 "$T/other.db" "create table t(x); insert into t values (42);"
for f in plain.txt other.db; do
	cp "$T/$f" "$T/$f.orig"
	one_line 2 "$MMSIM" run -q --trace "$T/$f" --force "$G/hello"
	grep -q "'$T/$f' is not an mmsim trace database (.*); it was left alone" "$T/err" || fail "run --force $f: $(cat "$T/err")"
	one_line 2 "$MMSIM" replay run.db --mem 64M -o "$T/$f" --force
	grep -q "it was left alone" "$T/err" || fail "replay --force $f: $(cat "$T/err")"
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
cp "$T/run.db" "$T/old.db"
sqlite3 "$T/old.db" "pragma user_version = 1"
"$MMSIM" run -q --trace "$T/old.db" --force "$G/hello" >/dev/null 2>&1 || fail "--force on an older mmsim database"

# --- mmsim demo --trace: the built-in guest replays ----------------------
"$MMSIM" demo --trace "$T/demo.db" >/dev/null 2>&1 || fail "demo --trace"
[ "$(q "$T/demo.db" "select count(*) from inputs where kind = 'program' and host_path is null")" = 1 ] ||
	fail "the demo's program is not recorded as built in: $(q "$T/demo.db" "select * from inputs")"
"$MMSIM" replay "$T/demo.db" >"$T/out" 2>"$T/err" || fail "the demo does not replay: $(cat "$T/out" "$T/err")"
grep -q "identical" "$T/out" || fail "demo replay: $(cat "$T/out")"
"$MMSIM" replay "$T/demo.db" --mem 64M -o "$T/demo64.db" >/dev/null 2>&1 || fail "a what-if of the demo"
[ "$(q "$T/demo64.db" "select value from counters where name = 'vmstat.pgfault'")" = \
  "$(q "$T/demo.db" "select value from counters where name = 'vmstat.pgfault'")" ] || fail "the demo's what-if changed pgfault"
cp "$T/demo.db" "$T/demox.db"
sqlite3 "$T/demox.db" "update inputs set sha256 = '00' || substr(sha256, 3) where kind = 'program'"
one_line 2 "$MMSIM" replay "$T/demox.db"
grep -q "the built-in program fork_cow changed since the run" "$T/err" || fail "a changed built-in: $(cat "$T/err")"

echo "tracedb_cli: ok"
