#!/bin/sh
# Grade every exercise of exercises/ twice: answers-full.txt must score full
# marks, answers-partial.txt exactly the "# expected score: X / Y" its
# second line states (less than full); sweep-program grades two guest
# programs.  Each results.json is checked against Gradescope's format.
# Exercises using the replacement-policy engine are skipped when this
# mmsim was built without it.
# An exercise graded with --policy has answer-full.c and answer-partial.c,
# plug-ins built here with CC (the partial one states its score in a
# "expected score: X / Y" line).
# usage: grade_exercises.sh MMSIM EXERCISES_DIR SEQ_SWEEP RAND_ACCESS [CC]
set -u
MMSIM=$1 EX=$2 SEQ=$3 RAND=$4 CC=${5:-cc}
HERE=$(dirname "$0")
TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT
fails=0
has_policy=0
"$MMSIM" exercise --list | grep -qx replacement && has_policy=1

# grade NAME WANT_SCORE WANT_MAX ARGS...
grade() {
	label=$1 score=$2 max=$3
	shift 3
	start=$(date +%s%N)
	"$MMSIM" grade "$@" --results "$TMP/r.json" > "$TMP/out.txt" 2>&1
	rc=$?
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	line=$(tail -1 "$TMP/out.txt")
	if [ $rc -ne 0 ] || [ "$line" != "Score: $score / $max" ]; then
		echo "FAIL $label: exit $rc, '$line', expected 'Score: $score / $max'"
		cat "$TMP/out.txt"
		fails=$((fails + 1))
		return
	fi
	if ! python3 "$HERE/check_results.py" "$TMP/r.json" --score "$score" --max "$max" > "$TMP/check.txt"; then
		echo "FAIL $label: results.json: $(cat "$TMP/check.txt")"
		fails=$((fails + 1))
		return
	fi
	echo "ok   $label: $line (${ms} ms)"
}

n=0
for d in "$EX"/*/; do
	d=${d%/}
	name=$(basename "$d")
	[ -f "$d/README.md" ] || { echo "FAIL $name: no README.md"; fails=$((fails + 1)); }
	if [ -f "$d/answers-full.txt" ]; then
		if [ $has_policy = 0 ] && grep -q 'policy_' "$d/exercise.scn"; then
			echo "skip $name: this mmsim has no replacement-policy engine"
			continue
		fi
		max=$(grep -m1 '^# expected score:' "$d/answers-partial.txt" | sed 's/.*\/ *//')
		part=$(grep -m1 '^# expected score:' "$d/answers-partial.txt" | sed 's/^# expected score: *//; s/ *\/.*//')
		if [ -z "$max" ] || [ "$part" = "$max" ]; then
			echo "FAIL $name: answers-partial.txt must state '# expected score: X / Y' with X < Y"
			fails=$((fails + 1))
			continue
		fi
		grade "$name full" "$max" "$max" "$d" --answers "$d/answers-full.txt"
		grade "$name partial" "$part" "$max" "$d" --answers "$d/answers-partial.txt"
		n=$((n + 1))
	elif [ -f "$d/answer-full.c" ]; then
		if [ $has_policy = 0 ]; then
			echo "skip $name: this mmsim has no replacement-policy engine"
			continue
		fi
		grep -q '^policy_check ' "$d/exercise.scn" || { echo "FAIL $name: no policy_check"; fails=$((fails + 1)); }
		want=$(grep -m1 'expected score:' "$d/answer-partial.c" | sed 's/.*expected score: *//')
		max=${want#*/ } part=${want% /*}
		for a in full partial; do
			"$CC" -O2 -shared -fPIC -Wall -Wextra -Werror -I "$EX/../tools" -o "$TMP/$name-$a.so" "$d/answer-$a.c" ||
				{ echo "FAIL $name: answer-$a.c does not build"; fails=$((fails + 1)); continue 2; }
		done
		grade "$name full" "$max" "$max" "$d" --policy "$TMP/$name-full.so"
		grade "$name partial" "$part" "$max" "$d" --policy "$TMP/$name-partial.so"
		policy_exercises=$((policy_exercises + 1))
	fi
done
[ $has_policy = 0 ] || [ "${policy_exercises:-0}" -ge 1 ] || { echo "FAIL: no exercise is graded with --policy"; fails=$((fails + 1)); }
grade "sweep-program seq_sweep" 7 7 "$EX/sweep-program" --program "$SEQ"
grade "sweep-program rand_access" 6 7 "$EX/sweep-program" --program "$RAND"
# one exercise per generated topic
for topic in $("$MMSIM" exercise --list); do
	[ -f "$EX/$topic/exercise.scn" ] || { echo "FAIL: no exercise for topic $topic"; fails=$((fails + 1)); }
done
[ $n -ge 9 ] || { echo "FAIL: only $n answer exercises"; fails=$((fails + 1)); }
[ $fails -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "all exercises graded as expected"
