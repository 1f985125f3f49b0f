#!/bin/sh
# fault_kinds.sh MMSIM GUEST_DIR: every kind of page fault mmsim counts
# (struct fault_stats: anon, zero, file, cow, swap, invalid, spurious) is
# shown everywhere the kinds are listed, and the lists agree: the text
# summary's "faults by kind", --json's `faults`, the trace's counters
# (faults.KIND), its `faults` samples and `mmsim report`'s fault chart, and
# the `faults` view (one row per fault event; kind = the bucket it counted
# in, `major` separately).  A swapping run (swap_verify 48 MiB in 32M RAM)
# takes ~12290 swap faults, half of its faults: the kinds must add up to
# the page-fault total, and `mmsim stats` stays byte-equal to the live
# summary.
set -u
MMSIM=$1
G=$2
T=$(mktemp -d "${TMPDIR:-/tmp}/mmsim-kinds.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

fail() {
	echo "FAIL [fault_kinds]: $*" >&2
	exit 1
}

q() {
	python3 -c "import sqlite3,sys; print('|'.join(str(x) for x in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()))" "$@"
}

KINDS="anon zero file cow swap invalid spurious"

"$MMSIM" run --mem 32M --swap 64M --trace "$T/a.db" "$G/swap_verify" 48 >/dev/null 2>"$T/live.txt" ||
	fail "swap_verify failed: $(cat "$T/live.txt")"
"$MMSIM" run --mem 32M --swap 64M --json --trace "$T/aj.db" "$G/swap_verify" 48 >/dev/null 2>"$T/live.json" ||
	fail "swap_verify --json failed"

# --- the text summary: every kind, adding up to the page-fault total ------
line=$(grep "faults by kind" "$T/live.txt") || fail "no 'faults by kind' line"
total=$(awk '$2 == "page-faults" { gsub(/,/, "", $1); print $1 }' "$T/live.txt")
sum=0
for k in $KINDS; do
	v=$(echo "$line" | sed -n "s/.*[#,] $k \([0-9]*\).*/\1/p")
	[ -n "$v" ] || fail "'faults by kind' does not show $k: $line"
	eval "text_$k=$v"
	[ "$k" = invalid ] || sum=$((sum + v))   # bad-area faults are not pgfault, as in Linux
done
[ "$sum" = "$total" ] || fail "the kinds add up to $sum, not the $total page faults: $line"
[ "$text_swap" -gt 10000 ] || fail "swap faults: $text_swap (expected ~12290): $line"

# --- --json, counters, samples, the faults view ----------------------------
python3 - "$T/live.json" "$T/aj.db" "$KINDS" <<'EOF' || fail "the kinds disagree (above)"
import json, sqlite3, sys
f = json.load(open(sys.argv[1]))["faults"]
db = sqlite3.connect(sys.argv[2])
kinds = sys.argv[3].split()
bad = []
counters = dict(db.execute("SELECT name, value FROM counters"))
view = dict(db.execute("SELECT kind, count(*) FROM faults GROUP BY kind"))
last = dict(db.execute("SELECT name, value FROM samples WHERE kind = 'faults' "
                       "AND time = (SELECT max(time) FROM samples WHERE kind = 'faults')"))
for k in kinds:
    if k not in f:
        bad.append(f"--json faults has no {k}")
        continue
    if counters.get("faults." + k) != f[k]:
        bad.append(f"counter faults.{k} = {counters.get('faults.' + k)}, --json {f[k]}")
    if view.get(k, 0) != f[k]:
        bad.append(f"faults view: {view.get(k, 0)} {k} faults, counters {f[k]}")
    if k not in last:
        bad.append(f"no '{k}' sample of kind 'faults'")
extra = set(view) - set(kinds)
if extra:
    bad.append(f"faults view kinds that are no counter: {sorted(extra)}")
if sum(f[k] for k in kinds if k != "invalid") != f["total"]:
    bad.append(f"--json kinds do not add up to total {f['total']}: {f}")
if f["swap"] < 10000:
    bad.append(f"--json swap {f['swap']}")
major = db.execute("SELECT sum(major) FROM faults").fetchone()[0]
if major != counters["vmstat.pgmajfault"] or major != f["major"]:
    bad.append(f"faults view: {major} major, pgmajfault {counters['vmstat.pgmajfault']}, --json {f['major']}")
vma = db.execute("SELECT sum(anon), sum(zero), sum(file), sum(cow), sum(swap), sum(major) FROM faults_per_vma").fetchone()
if list(vma) != [f["anon"], f["zero"], f["file"], f["cow"], f["swap"], f["major"]]:
    bad.append(f"faults_per_vma sums {vma}")
for b in bad:
    print("  " + b, file=sys.stderr)
sys.exit(1 if bad else 0)
EOF
[ "$(q "$T/a.db" "select value from counters where name = 'faults.swap'")" = "$text_swap" ] ||
	fail "faults.swap $(q "$T/a.db" "select value from counters where name = 'faults.swap'") != text $text_swap"

# --- stats stays byte-equal to the live summary ---------------------------
"$MMSIM" stats "$T/a.db" >"$T/stats.txt" || fail "stats failed"
cmp -s "$T/live.txt" "$T/stats.txt" || fail "stats differs from the live summary: $(diff "$T/live.txt" "$T/stats.txt")"
"$MMSIM" stats --json "$T/aj.db" >"$T/stats.json" || fail "stats --json failed"
cmp -s "$T/live.json" "$T/stats.json" || fail "stats --json differs from the live --json summary"

# --- the report's "Page faults per interval, by kind" chart has swap -------
"$MMSIM" report "$T/a.db" -o "$T/r.html" >/dev/null 2>&1 || fail "report failed"
python3 - "$T/r.html" <<'EOF' || fail "the report's fault chart has no swap faults"
import json, re, sys
text = open(sys.argv[1]).read()
m = re.search(r'"id":"faults".*?"series":(\[.*?\]\]\}\])', text)
series = {s["name"]: s["points"] for s in json.loads(m.group(1))} if m else {}
pts = series.get("swap", [])
print("faults chart series:", sorted(series), file=sys.stderr)
sys.exit(0 if sum(v for _, v in pts) > 10000 else 1)
EOF
exit 0
