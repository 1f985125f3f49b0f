#!/bin/sh
# tracedb_cut.sh MMSIM GUEST_DIR SRC_DIR: trace databases of runs cut short
# and read from where a reader cannot write (issue 11, a new user's pass):
# a Ctrl-C'd run replays "identical" (and its what-if stops at the same
# instruction count), a SIGKILLed run replays up to its last recorded
# event, a finished database is one self-contained file (journal_mode
# DELETE) that a non-root user reads in a read-only directory without
# leaving -wal/-shm files, a WAL database is read there too (or refused in
# one line when its -wal needs a -shm), stats/diff on a scenario database
# give the true reason for having no summary, and docs/trace-schema.md
# names the schema version the databases carry.
set -u
MMSIM=$(realpath "$1")
G=$(realpath "$2")
SRC=$(realpath "$3")
T=$(mktemp -d "${TMPDIR:-/tmp}/mmsim-cut.XXXXXX") || exit 1
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT

fail() {
	echo "FAIL [tracedb_cut]: $*" >&2
	exit 1
}
q() { "$MMSIM" query --csv "$1" "$2" | tail -n +2; }

# --- Ctrl-C: replay stops where the run did ---------------------------------
"$MMSIM" run -q --trace "$T/int.db" "$G/rand_access" 128 100000000 >/dev/null 2>&1 &
pid=$!
sleep 1
kill -INT $pid
wait $pid
rc=$?
[ $rc = 130 ] || fail "Ctrl-C: exit $rc, expected 130"
[ "$(q "$T/int.db" "select finished, finish_reason from runs")" = "1,interrupted (SIGINT)" ] ||
	fail "Ctrl-C: $(q "$T/int.db" "select finished, finish_reason from runs")"
n=$(q "$T/int.db" "select events from runs")
"$MMSIM" replay "$T/int.db" >"$T/out" 2>"$T/err"
rc=$?
[ $rc = 0 ] || fail "replay of the interrupted run: exit $rc: $(cat "$T/out" "$T/err")"
grep -q "identical: $n events" "$T/out" || fail "replay of the interrupted run: $(cat "$T/out")"
# a what-if of it stops at the first slice boundary at or after the same
# instruction count, the same way
"$MMSIM" replay "$T/int.db" --mem 512M -o "$T/intw.db" >"$T/out" 2>&1 || fail "what-if of the interrupted run: $(cat "$T/out")"
set -- $(q "$T/int.db" "select instructions from runs") $(q "$T/intw.db" "select instructions, finish_reason from runs" | tr ',' ' ')
[ "$2" -ge "$1" ] && [ "$2" -lt $(($1 + 100000)) ] || fail "what-if stopped at $2 instructions, the run at $1"
[ "$3 $4" = "interrupted (SIGINT)" ] || fail "what-if finish reason: $3 $4"

# --- SIGKILL: replay compares what was recorded -----------------------------
"$MMSIM" run -q --trace "$T/k.db" "$G/rand_access" 128 100000000 >/dev/null 2>&1 &
pid=$!
sleep 1
kill -KILL $pid
wait $pid 2>/dev/null
[ "$(q "$T/k.db" "select finished from runs")" = 0 ] || fail "the killed run is marked finished"
last=$(q "$T/k.db" "select max(seq) from events")
[ "$last" -gt 1000 ] || fail "the killed run recorded only $last events"
"$MMSIM" replay "$T/k.db" >"$T/out" 2>"$T/err"
rc=$?
[ $rc = 0 ] || fail "replay of the killed run: exit $rc: $(cat "$T/out" "$T/err")"
[ "$(cat "$T/out")" = "mmsim replay: $T/k.db: identical for all $last recorded events; the recording ends there (the run did not finish)" ] ||
	fail "replay of the killed run: $(cat "$T/out")"
# a changed event in it is still found
cp "$T/k.db" "$T/kt.db"
[ -f "$T/k.db-wal" ] && cp "$T/k.db-wal" "$T/kt.db-wal"
sqlite3 "$T/kt.db" "update events set value = 12345 where seq = $((last - 5))"
"$MMSIM" replay "$T/kt.db" >"$T/out" 2>/dev/null
[ $? = 1 ] && grep -q "diverged at event $((last - 5))" "$T/out" || fail "a tampered killed run: $(head -3 "$T/out")"

# --- a finished database is one file ---------------------------------------
mkdir "$T/ro"
"$MMSIM" run -q --trace "$T/ro/a.db" "$G/fork_cow" >/dev/null 2>&1 || fail "fork_cow failed"
[ "$(sqlite3 "$T/ro/a.db" "pragma journal_mode")" = delete ] || fail "a finished database is still in WAL mode"
"$MMSIM" stats "$T/ro/a.db" >"$T/live" || fail "stats"
[ "$(ls "$T/ro")" = a.db ] || fail "a reader left files beside the database: $(ls "$T/ro")"
# a database in WAL mode without its -wal (nothing to fold in)
cp "$T/ro/a.db" "$T/ro/w.db"
[ "$(sqlite3 "$T/ro/w.db" "pragma journal_mode=WAL")" = wal ] || fail "cannot make a WAL database"
# a killed run's database whose -wal has no -shm beside it
cp "$T/k.db" "$T/ro/k.db"
cp "$T/k.db-wal" "$T/ro/k.db-wal" 2>/dev/null || fail "the killed run left no -wal file"
chmod 444 "$T/ro"/*
chmod 555 "$T/ro"
chmod 755 "$T"
if [ "$(id -u)" = 0 ]; then
	command -v setpriv >/dev/null || { echo "SKIP [tracedb_cut]: root without setpriv"; exit 77; }
	as() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
else
	as() { "$@"; }
fi
as "$MMSIM" stats "$T/ro/a.db" >"$T/ro.out" 2>"$T/err" || fail "stats in a read-only directory: $(cat "$T/err")"
cmp -s "$T/live" "$T/ro.out" || fail "stats in a read-only directory differ"
[ "$(as "$MMSIM" query --csv "$T/ro/a.db" "select finished from runs" 2>&1 | tail -1)" = 1 ] ||
	fail "query in a read-only directory: $(as "$MMSIM" query "$T/ro/a.db" "select finished from runs" 2>&1)"
as "$MMSIM" stats "$T/ro/w.db" >"$T/ro.out" 2>"$T/err" || fail "stats of a WAL database in a read-only directory: $(cat "$T/err")"
cmp -s "$T/live" "$T/ro.out" || fail "stats of the WAL database differ"
as "$MMSIM" query "$T/ro/k.db" "select count(*) from events" >"$T/out" 2>"$T/err"
[ $? = 2 ] && [ "$(wc -l <"$T/err")" = 1 ] && grep -q "must be writable" "$T/err" ||
	fail "a -wal without -shm in a read-only directory: $(cat "$T/out" "$T/err")"
[ "$(ls "$T/ro" | tr '\n' ' ')" = "a.db k.db k.db-wal w.db " ] || fail "readers left files: $(ls "$T/ro")"
chmod 755 "$T/ro"

# --- a scenario database has no run summary, and says so ----------------------
"$MMSIM" scenario "$SRC/tests/scenarios/issue2_example.scn" --quiet --trace "$T/s.db" || fail "scenario"
"$MMSIM" stats "$T/s.db" >/dev/null 2>"$T/err"
[ $? = 2 ] || fail "stats of a scenario database: exit 0"
grep -q "a scenario database" "$T/err" && ! grep -q "did not finish" "$T/err" ||
	fail "stats of a scenario database: $(cat "$T/err")"
"$MMSIM" diff "$T/s.db" "$T/ro/a.db" >"$T/out" 2>&1 || fail "diff"
grep -q "^(no summary: a scenario database" "$T/out" && ! grep -q "did not finish" "$T/out" ||
	fail "diff of a scenario database: $(head -5 "$T/out")"

# --- the documented schema version is the databases' ----------------------
v=$(sqlite3 "$T/s.db" "pragma user_version")
grep -q "PRAGMA user_version\` (currently \*\*$v\*\*)" "$SRC/docs/trace-schema.md" ||
	fail "docs/trace-schema.md does not say user_version $v: $(grep -n 'currently' "$SRC/docs/trace-schema.md" | head -2)"
echo "ok [tracedb_cut]"
