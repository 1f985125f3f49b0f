#!/bin/sh
# trace_run.sh MMSIM GUEST_DIR: the trace database of `mmsim run --trace`.
# A finished run is marked finished with its exit status and event count,
# RUN_END is its last stored event (the machine's teardown is counted, not
# stored), and a run that never starts (bad program, --stdin) leaves no
# database.
set -u
MMSIM=$1
G=$2
T=$(mktemp -d "${TMPDIR:-/tmp}/mmsim-tr.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

fail() {
	echo "FAIL [trace_run]: $*" >&2
	exit 1
}

q() {
	python3 -c "import sqlite3,sys; print('|'.join(str(x) for x in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()))" "$@"
}

"$MMSIM" run -q --trace "$T/a.db" "$G/fork_cow" >/dev/null 2>"$T/err" || { cat "$T/err" >&2; fail "fork_cow failed"; }
[ "$(q "$T/a.db" "select finished, exit_status from runs")" = "1|0" ] || fail "runs row: $(q "$T/a.db" "select * from runs")"
[ "$(q "$T/a.db" "select events = (select count(*) from events) from runs")" = "1" ] ||
	fail "runs.events is not the number of stored events"
[ "$(q "$T/a.db" "select count(*) from events where seq > (select max(seq) from events where type = 1)")" = "0" ] ||
	fail "events stored after RUN_END"
[ "$(q "$T/a.db" "select value from events where type = 1")" = "0" ] || fail "RUN_END does not carry the exit status"

# a guest killed by SIGSEGV: status 139 recorded
"$MMSIM" run -q --trace "$T/b.db" "$G/segv" >/dev/null 2>&1
[ "$(q "$T/b.db" "select finished, exit_status from runs")" = "1|139" ] || fail "segv run: $(q "$T/b.db" "select * from runs")"

# setup failures leave no database
printf 'not an elf\n' >"$T/text"
"$MMSIM" run --trace "$T/c.db" "$T/text" >/dev/null 2>&1
[ $? = 2 ] || fail "a text file as program did not exit 2"
[ -e "$T/c.db" ] && fail "a bad program left a trace database"
"$MMSIM" run --trace "$T/d.db" --stdin "$T/nonexistent" "$G/hello" >/dev/null 2>"$T/err"
[ $? = 2 ] || fail "a missing --stdin file did not exit 2"
grep -q -- "--stdin" "$T/err" || fail "the --stdin error does not name the option: $(cat "$T/err")"
[ -e "$T/d.db" ] && fail "a missing --stdin file left a trace database"
echo "trace_run: ok"
