#!/bin/sh
# bench/proc_at_bench.sh [EVENTS [BUILD]] - `mmsim proc --at` on a long trace
# (issue 11: "any moment of a 10-million-event trace in under a second").
#
# Records `touch_pages 20000 w ROUNDS` (map 20000 pages, touch each, unmap,
# ROUNDS times: about 3 events per page) with ROUNDS chosen for at least
# EVENTS events (default 10000000), then times `mmsim proc --at` for the
# global views and the process's maps, smaps and status at moments spread
# over the run (from the checkpoints), and once `--reexecute` at the last
# moment as the baseline.  Prints each time,
# the worst, and the ratio checkpoint / re-execution.  Target: worst < 1 s.
# The database goes to $TMPDIR (default /var/tmp): about 45 bytes per event.
set -u
EVENTS=${1:-10000000}
B=${2:-$(dirname "$0")/../build}
MMSIM=$(realpath "$B/tools/mmsim")
G=$(realpath "$B/guest")
D=$(mktemp -d "${TMPDIR:-/var/tmp}/mmsim-procat.XXXXXX") || exit 1
trap 'rm -rf "$D"' EXIT
now() { date +%s.%N; }
secs() { echo "$1 $2" | awk '{ printf "%.3f", $2 - $1 }'; }

rounds=$(( (EVENTS + 59999) / 60000 ))
t0=$(now)
"$MMSIM" run -q --mem 256M --trace "$D/run.db" "$G/touch_pages" 20000 w "$rounds" >/dev/null || exit 1
t1=$(now)
n=$("$MMSIM" query --csv "$D/run.db" "select max(seq) from events" | tail -1)
ck=$("$MMSIM" query --csv "$D/run.db" "select count(*) from checkpoints" | tail -1)
size=$(stat -c %s "$D/run.db")
echo "recorded $n events in $(secs "$t0" "$t1") s wall, $ck checkpoints, $((size / 1048576)) MiB ($((size / n)) bytes per event)"

worst=0
for pct in 1 10 25 50 75 90 99 100; do
	seq=$((n * pct / 100))
	for view in meminfo zoneinfo slabinfo "maps 1" "smaps 1" "status 1"; do
		a=$(now)
		# shellcheck disable=SC2086 # VIEW [PID]
		"$MMSIM" proc "$D/run.db" --at "$seq" $view >/dev/null || exit 1
		b=$(now)
		s=$(secs "$a" "$b")
		worst=$(echo "$worst $s" | awk '{ print ($2 > $1) ? $2 : $1 }')
		printf "proc --at %-9s %-9s %s s\n" "$seq" "$view" "$s"
	done
done
a=$(now)
"$MMSIM" proc "$D/run.db" --at "$n" --reexecute meminfo >/dev/null || exit 1
b=$(now)
base=$(secs "$a" "$b")
echo "worst proc --at from checkpoints: $worst s (target < 1 s); --reexecute at the last event: $base s"
echo "ratio checkpoint / re-execution at the last event: $(echo "$worst $base" | awk '{ printf "%.4f", $1 / $2 }')"
