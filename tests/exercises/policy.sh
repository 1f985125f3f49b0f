#!/bin/sh
# Replacement policies in exercises (needs mmsim built with the policy
# engine; skipped, exit 77, otherwise): the textbook answers through
# question expressions (policy.key, worked by hand: Belady's anomaly, OPT
# and LRU on the standard string), and mmsim grade --policy with a correct
# FIFO plug-in (full marks on the FIFO checks, partial on LRU) and one that
# segfaults (zero, with the reason; the grader survives); a plug-in file
# that does not exist (one line naming it, exit 2).
# usage: policy.sh MMSIM TESTS_DIR CC
set -u
MMSIM=$1 T=$2 CC=${3:-cc}
"$MMSIM" exercise --list | grep -qx replacement || { echo "no policy engine in this mmsim: skipped"; exit 77; }
TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
SRC=$(cd "$T/../.." && pwd)

"$MMSIM" scenario "$T/policy.scn" --answers > "$TMP/key.txt" || fail "policy.scn does not run"
grep -v '^#' "$TMP/key.txt" | diff "$T/policy.key" - || fail "policy.key differs"
"$MMSIM" grade "$T/policy.scn" --answers "$T/policy.key" | tail -1 | grep -qx 'Score: 7 / 7' || fail "the key does not score 7 / 7"

for p in fifo crash; do
	"$CC" -O2 -shared -fPIC -I "$SRC/tools" -o "$TMP/$p.so" "$T/plugins/$p.c" || { fail "cannot build $p.so"; continue; }
done
"$MMSIM" grade "$T/policy.scn" --policy "$TMP/fifo.so" --results "$TMP/r.json" > "$TMP/out.txt" 2>&1 || fail "grade fifo.so: exit $?"
cat "$TMP/out.txt"
grep -qF '[    2 / 2  ] P1' "$TMP/out.txt" || fail "fifo.so: P1 not full marks"
grep -qF '[    1 / 1  ] P2' "$TMP/out.txt" || fail "fifo.so: P2 not full marks"
grep -q 'P3: LRU' "$TMP/out.txt" && ! grep -qF '[    1 / 1  ] P3' "$TMP/out.txt" || fail "fifo.so: P3 (LRU) must not be full marks"
grep -q 'decided as LRU does; the first difference is reference' "$TMP/out.txt" || fail "fifo.so: no explanation for P3"
python3 "$T/check_results.py" "$TMP/r.json" --max 4 || fail "results.json"
"$MMSIM" grade "$T/policy.scn" --policy "$TMP/crash.so" --results "$TMP/r.json" > "$TMP/out.txt" 2>&1 || fail "grade crash.so: exit $?"
cat "$TMP/out.txt"
grep -q 'the plug-in failed' "$TMP/out.txt" || fail "crash.so: no failure reason"
grep -q '^Score: 0 / 4$' "$TMP/out.txt" || fail "crash.so: not 0 / 4"
python3 "$T/check_results.py" "$TMP/r.json" --score 0 --max 4 || fail "results.json"
# a plug-in file that does not exist: one line naming it, exit 2, no report
"$MMSIM" grade "$T/policy.scn" --policy "$TMP/missing.so" --results "$TMP/m.json" > "$TMP/out.txt" 2> "$TMP/err.txt"
rc=$?
[ $rc -eq 2 ] || fail "missing plug-in: exit $rc, not 2"
[ "$(cat "$TMP/err.txt")" = "mmsim grade: --policy $TMP/missing.so: No such file or directory" ] ||
	fail "missing plug-in: stderr is '$(cat "$TMP/err.txt")'"
[ ! -s "$TMP/out.txt" ] || fail "missing plug-in: a report was printed"
"$MMSIM" grade "$T/policy.scn" --policy "$TMP" > /dev/null 2> "$TMP/err.txt"
rc=$?
[ $rc -eq 2 ] && [ "$(wc -l < "$TMP/err.txt")" -eq 1 ] && grep -q "is a directory" "$TMP/err.txt" ||
	fail "a directory as plug-in: exit $rc, stderr '$(cat "$TMP/err.txt")'"
[ $fails -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "policy grading tests passed"
