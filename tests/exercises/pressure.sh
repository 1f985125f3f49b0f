#!/bin/sh
# The memory-pressure exercises: zone watermarks, allocation paths and OOM
# badness checked by hand (pressure.scn, pressure_oom.scn: the arithmetic
# in their comments, the answers in the .key files must score full marks),
# and the generated watermarks and oom problems: the same for the same
# seed, gradable at full marks with their own key, the key equal to the
# --solve answers, every allocation path drawn over a range of seeds.
# usage: pressure.sh MMSIM TESTS_DIR
set -u
MMSIM=$1 T=$2
TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# 1. hand-checked answers: full marks, and the key agrees line by line
for n in pressure pressure_oom; do
	max=$(grep -c . "$T/$n.key")
	"$MMSIM" grade "$T/$n.scn" --answers "$T/$n.key" > "$TMP/g.txt" 2>&1 || fail "$n: grade exit $?"
	grep -qx "Score: $max / $max" "$TMP/g.txt" || { fail "$n: hand-checked answers: $(tail -1 "$TMP/g.txt")"; cat "$TMP/g.txt"; }
	"$MMSIM" scenario "$T/$n.scn" --answers 2>&1 | grep -v '^#' | diff "$T/$n.key" - > "$TMP/d.txt" ||
		{ fail "$n: the computed key differs from the hand-checked one"; cat "$TMP/d.txt"; }
done
# a wrong badness and a wrong path lose their points
sed 's/^O5 .*/O5 10000/; s/^O7 .*/O7 batch/' "$T/pressure_oom.key" > "$TMP/w.key"
"$MMSIM" grade "$T/pressure_oom.scn" --answers "$TMP/w.key" | grep -qx 'Score: 8 / 10' || fail "oom: wrong answers not marked"
sed 's/^P3 .*/P3 kswapd/' "$T/pressure.key" > "$TMP/w.key"
"$MMSIM" grade "$T/pressure.scn" --answers "$TMP/w.key" | grep -qx 'Score: 15 / 16' || fail "watermarks: a wrong path not marked"

# 2. fill_zone and alloc_path errors
printf 'config mem=32M\nfill_zone Highmem free=0\n' > "$TMP/b1.scn"
"$MMSIM" scenario "$TMP/b1.scn" > "$TMP/o.txt" 2>&1; rc=$?
[ $rc -eq 2 ] && grep -q "^mmsim scenario: $TMP/b1.scn:2:11: unknown zone 'Highmem'" "$TMP/o.txt" || fail "fill_zone bad zone: $rc $(cat "$TMP/o.txt")"
printf 'config mem=32M\nfill_zone DMA32 free=100\nfill_zone DMA32 free=200\n' > "$TMP/b2.scn"
"$MMSIM" scenario "$TMP/b2.scn" > "$TMP/o.txt" 2>&1; rc=$?
[ $rc -eq 2 ] && grep -q "fewer than 200" "$TMP/o.txt" || fail "fill_zone upward: $rc $(cat "$TMP/o.txt")"
printf 'config mem=32M\nkmalloc k 64\nquestion Q1 "x" answer=alloc_path(k)\n' > "$TMP/b3.scn"
"$MMSIM" scenario "$TMP/b3.scn" > "$TMP/o.txt" 2>&1
grep -q "not an alloc_pages handle" "$TMP/o.txt" || fail "alloc_path of a kmalloc handle: $(cat "$TMP/o.txt")"

# 3. generated problems
paths=""
for topic in watermarks oom; do
	for seed in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		"$MMSIM" exercise $topic --seed $seed --format scenario > "$TMP/a.scn" 2>&1 || fail "$topic $seed: exit $?"
		"$MMSIM" exercise $topic --seed $seed --format scenario > "$TMP/b.scn" 2>&1
		cmp -s "$TMP/a.scn" "$TMP/b.scn" || fail "$topic $seed: two runs differ"
		"$MMSIM" scenario "$TMP/a.scn" --answers > "$TMP/key.txt" 2> "$TMP/err.txt" || fail "$topic $seed: $(cat "$TMP/err.txt")"
		"$MMSIM" grade "$TMP/a.scn" --answers "$TMP/key.txt" > "$TMP/g.txt" || fail "$topic $seed: grade"
		tail -1 "$TMP/g.txt" | grep -Eq '^Score: ([0-9.]+) / \1$' || fail "$topic $seed: key not full marks"
		"$MMSIM" exercise $topic --seed $seed --solve > "$TMP/s.txt" 2>&1 || fail "$topic $seed --solve: exit $?"
		# the solution's answers are the key's
		sed -n '/^Answers:/,$p' "$TMP/s.txt" | sed '1d; s/^  //' > "$TMP/sa.txt"
		grep -v '^#' "$TMP/key.txt" | diff - "$TMP/sa.txt" > /dev/null || fail "$topic $seed: --solve answers differ from the key"
		if [ $topic = watermarks ]; then
			paths="$paths $(grep -E '^Q[0-9]+ (fast|kswapd|direct|failed)$' "$TMP/key.txt" | awk '{ print $2 }')"
			zones="${zones:-} $(awk '/from which zone/ { getline; print $2 }' "$TMP/key.txt")"
			grep -q 'int_sqrt\|written by sysctl' "$TMP/s.txt" || fail "$topic $seed: no min_free_kbytes step"
			grep -q 'low = min + gap' "$TMP/s.txt" || fail "$topic $seed: no watermark steps"
		else
			grep -q '^select_bad_process: ' "$TMP/s.txt" || fail "$topic $seed: no victim step"
			victim=$(awk '/Which process/ { getline; print $2 }' "$TMP/key.txt")
			grep -q "^select_bad_process: .*: $victim (badness" "$TMP/s.txt" || fail "$topic $seed: solution and key disagree on the victim ($victim)"
		fi
	done
done
for p in fast kswapd direct failed; do
	echo "$paths" | tr ' ' '\n' | grep -qx $p || fail "watermarks: no seed 1..20 draws an allocation that goes '$p'"
done
[ $(echo "$zones" | tr ' ' '\n' | grep -v '^$' | sort -u | wc -l) -ge 2 ] || fail "watermarks: f1 always comes from the same zone ($zones)"
"$MMSIM" exercise --help | grep -q '^  watermarks ' || fail "exercise --help lacks watermarks"
"$MMSIM" exercise --help | grep -q '^  oom ' || fail "exercise --help lacks oom"

[ $fails -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "pressure exercise tests passed"
