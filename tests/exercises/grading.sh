#!/bin/sh
# mmsim grade and mmsim exercise: every question type and expression form
# (questions.scn against questions.key, checked by hand), partial credit
# and tolerance (credit.scn), malformed answer files (never a crash, always
# a report and a valid results.json), the command lines' errors, and
# generated problems identical for the same seed and topic.
# usage: grading.sh MMSIM TESTS_DIR
set -u
MMSIM=$1 T=$2
TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
check_json() { python3 "$T/check_results.py" "$@" > "$TMP/cj.txt" || fail "$(cat "$TMP/cj.txt")"; }

# 1. the answer key of every expression form
"$MMSIM" scenario "$T/questions.scn" --answers > "$TMP/key.txt" 2> "$TMP/err.txt" || fail "questions.scn: $(cat "$TMP/err.txt")"
grep -v '^#' "$TMP/key.txt" | diff "$T/questions.key" - > "$TMP/diff.txt" || { fail "questions.key differs"; cat "$TMP/diff.txt"; }
# the buddyinfo row equals what show buddyinfo printed at that line
row=$("$MMSIM" scenario "$T/questions.scn" | grep -m1 '^Node 0, zone *DMA' | awk '{ s = $5; for (i = 6; i <= NF; i++) s = s "," $i; print s }')
grep -qx "S8 $row" "$TMP/key.txt" || fail "buddyinfo(DMA) is not the row show buddyinfo prints ($row)"
# the key scores full marks against its own exercise
"$MMSIM" grade "$T/questions.scn" --answers "$TMP/key.txt" --results "$TMP/r.json" > "$TMP/out.txt" || fail "grade key"
grep -q '^Score: 29 / 29$' "$TMP/out.txt" || fail "key: $(tail -1 "$TMP/out.txt")"
check_json "$TMP/r.json" --score 29 --max 29

# 2. partial credit and tolerance
"$MMSIM" grade "$T/credit.scn" --answers "$T/credit-answers.txt" --results "$TMP/r.json" > "$TMP/out.txt" || fail "grade credit"
for want in 'Score: 12.33 / 20' '[    0 / 1  ] N3' '[    3 / 4  ] L1' '[    3 / 4  ] L2' '[    0 / 4  ] L3' \
	    '[ 1.33 / 2  ] L4' '2 of 3 positions right (3 items given, 2 expected)' '3 of 4 elements right'; do
	grep -qF "$want" "$TMP/out.txt" || fail "credit: no '$want'"
done
check_json "$TMP/r.json" --score 12.33 --max 20

# 3. malformed answer files: a message for the question, zero, a report
printf 'N1 42\nN1 43\nN2 lots\nL1\nW1 yes no\n!!! junk\nZZ 1\nL2 [1,2\n' > "$TMP/bad.txt"
"$MMSIM" grade "$T/credit.scn" --answers "$TMP/bad.txt" --results "$TMP/r.json" > "$TMP/out.txt" || fail "grade bad answers: exit $?"
for want in 'answered twice (lines 1 and 2): no credit' "line 3: expected a number, got the word 'lots'" \
	    'line 4: no value after the question id' "line 5: expected a word, got a list 'yes no'" \
	    "malformed line (an ID then a value expected): '!!! junk'" "there is no question 'ZZ'" \
	    "'[' without a closing ']'" 'no answer given for N3' 'Score: 0 / 20'; do
	grep -qF "$want" "$TMP/out.txt" || fail "bad answers: no '$want'"
done
check_json "$TMP/r.json" --score 0 --max 20
head -c 3000 /dev/urandom > "$TMP/random.bin"
printf 'N1 42\0\nN2 100\n\377\376 L1 1\n' > "$TMP/nul.txt"
for f in "$TMP/random.bin" "$TMP/nul.txt" /nonexistent/answers.txt "$TMP" /dev/null; do
	"$MMSIM" grade "$T/credit.scn" --answers "$f" --results "$TMP/r.json" > "$TMP/out.txt" 2>&1
	rc=$?
	[ $rc -eq 0 ] || fail "answers $f: exit $rc"
	grep -q '^Score: ' "$TMP/out.txt" || fail "answers $f: no report"
	check_json "$TMP/r.json" --max 20
done
grep -q 'cannot read the answers file' "$TMP/out.txt" || true
"$MMSIM" grade "$T/credit.scn" --answers /nonexistent/answers.txt | grep -q 'cannot read the answers file /nonexistent/answers.txt' ||
	fail "no message for an unreadable answers file"
"$MMSIM" grade "$T/credit.scn" --answers "$TMP/nul.txt" | grep -q 'a NUL byte: line ignored' || fail "NUL byte"
# a broken exercise: exit 2, but still a report and a results.json
"$MMSIM" grade "$T/bad/stat.scn" --answers "$T/credit-answers.txt" --results "$TMP/r.json" > "$TMP/out.txt" 2>&1
[ $? -eq 2 ] || fail "a broken exercise must exit 2"
grep -q 'could not run' "$TMP/out.txt" || fail "broken exercise: no message"
check_json "$TMP/r.json" --score 0

# 4. command lines
bad() { # WANT_TEXT ARGS...
	want=$1
	shift
	"$MMSIM" "$@" > "$TMP/o.txt" 2>&1
	rc=$?
	[ $rc -eq 2 ] || fail "mmsim $*: exit $rc, not 2"
	grep -qF -- "$want" "$TMP/o.txt" || fail "mmsim $*: no '$want' in $(cat "$TMP/o.txt")"
}
bad 'missing EXERCISE' grade
bad 'give exactly one of' grade "$T/credit.scn"
bad 'give exactly one of' grade "$T/credit.scn" --answers a --program b
bad "unknown option '--frob'" grade "$T/credit.scn" --frob
bad 'No such file or directory' grade /nonexistent --answers x
bad "unknown topic 'frob'" exercise frob
bad "--seed: 'x1' is not a number" exercise tlb --seed x1
bad "--format: 'pdf' is not text or scenario" exercise tlb --format pdf
bad 'missing TOPIC' exercise
"$MMSIM" help grade | grep -q 'results.json' || fail "mmsim help grade"
"$MMSIM" exercise --help | grep -q '^  translation ' || fail "mmsim exercise --help lists no topics"
"$MMSIM" scenario --help | grep -q 'question ID "TEXT" answer=EXPR' || fail "scenario --help lacks question"

# 5. generated problems: the same for the same seed, each topic solvable
for topic in $("$MMSIM" exercise --list); do
	for seed in 1 42; do
		"$MMSIM" exercise "$topic" --seed $seed --solve > "$TMP/a.txt" 2>&1 || fail "$topic $seed: exit $?"
		"$MMSIM" exercise "$topic" --seed $seed --solve > "$TMP/b.txt" 2>&1
		cmp -s "$TMP/a.txt" "$TMP/b.txt" || fail "$topic seed $seed: two runs differ"
		grep -q '^Answers:' "$TMP/a.txt" || fail "$topic $seed: no answers"
		grep -q '(not reached)' "$TMP/a.txt" && fail "$topic $seed: a question not reached"
		# the scenario form grades its own key at full marks
		"$MMSIM" exercise "$topic" --seed $seed --format scenario > "$TMP/ex.scn"
		"$MMSIM" scenario "$TMP/ex.scn" --answers > "$TMP/key.txt" || fail "$topic $seed: scenario form does not run"
		"$MMSIM" grade "$TMP/ex.scn" --answers "$TMP/key.txt" > "$TMP/g.txt" || fail "$topic $seed: grade"
		tail -1 "$TMP/g.txt" | grep -Eq '^Score: ([0-9.]+) / \1$' || fail "$topic $seed: key not full marks: $(tail -1 "$TMP/g.txt")"
	done
	"$MMSIM" exercise "$topic" --seed 1 --format scenario > "$TMP/s1.scn"
	"$MMSIM" exercise "$topic" --seed 2 --format scenario > "$TMP/s2.scn"
	cmp -s "$TMP/s1.scn" "$TMP/s2.scn" && fail "$topic: seeds 1 and 2 give the same problem"
done

[ $fails -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "grading tests passed"
