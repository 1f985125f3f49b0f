#!/bin/sh
# tests/policy/refs.sh MMSIM SRCDIR CLOCK_SO BUILDDIR - `mmsim refs`: the
# textbook answers, the output formats, argument and file errors, TLB mode,
# the example plug-in against the built-in CLOCK, and the sandbox against
# hostile plug-ins (each fails with one clear line; mmsim survives).
set -u
M=$1 SRC=$2 CLOCK=$3 B=$4
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0 n=0
ok() { n=$((n + 1)); }
bad() { n=$((n + 1)); fails=$((fails + 1)); echo "FAIL: $*"; }
# expect_out NAME WANT_STATUS PATTERN CMD...: status and a line of stdout+stderr matching PATTERN
expect_out() {
	name=$1 want=$2 pat=$3
	shift 3
	"$@" >"$T/out" 2>&1
	st=$?
	if [ "$st" != "$want" ]; then bad "$name: exit $st, expected $want"; sed 's/^/  | /' "$T/out" | head -20; return; fi
	if ! grep -q -- "$pat" "$T/out"; then bad "$name: no line matching '$pat'"; sed 's/^/  | /' "$T/out" | head -20; return; fi
	ok
}

BEL=1,2,3,4,1,2,5,1,2,3,4,5
SIL=7,0,1,2,0,3,0,4,2,3,0,3,2,1,2,0,1,7,0,1
# Belady's anomaly and the standard examples
expect_out belady3 0 'misses 9 (page faults)' "$M" refs --policy FIFO --frames 3 $BEL
expect_out belady4 0 'misses 10 (page faults)' "$M" refs --policy FIFO --frames 4 $BEL
expect_out sil-fifo 0 'misses 15 ' "$M" refs -p FIFO -C 3 -a $SIL
expect_out sil-lru 0 'misses 12 ' "$M" refs -p LRU -C 3 $SIL
expect_out sil-opt 0 'misses 9 ' "$M" refs -p opt --cachesize=3 $SIL
expect_out expect-ok 0 'misses 9 ' "$M" refs -p FIFO -C 3 --expect-faults 9 $BEL
expect_out expect-bad 1 'expected 10 page faults, the run takes 9' "$M" refs -p FIFO -C 3 --expect-faults 10 $BEL
expect_out all 0 '^OPT  *11  *9  *55.00%' "$M" refs -p all -C 3 $SIL
expect_out spaces 0 'misses 10 ' "$M" refs -p FIFO -C 4 1 2 3 4 1 2 5 1 2 3 4 5

# the steps: victim and frames after each reference
"$M" refs -p LRU -C 3 $BEL >"$T/steps"
if grep -q '^     4     4  miss    1  *\[4, 2, 3\]  *\[2, 3, 4\]$' "$T/steps"; then ok; else bad "steps: step 4"; cat "$T/steps"; fi
# the textbook table
"$M" refs -p FIFO -C 3 --format table $BEL >"$T/table"
if grep -q '^fault      \* \* \* \* \* \* \*     \* \*  $' "$T/table" && grep -q '^frame 0    1 1 1 4 4 4 5 5 5 5 5 5$' "$T/table"
then ok; else bad "table"; cat "$T/table"; fi

# OSTEP paging-policy.py's own output, from its README (LRU, cache 3)
cat >"$T/ostep.want" <<'OSTEP'
ARG addresses 0,1,2,0,1,3,0,3,1,2,1
ARG addressfile 
ARG numaddrs 10
ARG policy LRU
ARG clockbits 2
ARG cachesize 3
ARG maxpage 10
ARG seed 0
ARG notrace False

Solving...

Access: 0  MISS LRU ->          [0] <- MRU Replaced:- [Hits:0 Misses:1]
Access: 1  MISS LRU ->       [0, 1] <- MRU Replaced:- [Hits:0 Misses:2]
Access: 2  MISS LRU ->    [0, 1, 2] <- MRU Replaced:- [Hits:0 Misses:3]
Access: 0  HIT  LRU ->    [1, 2, 0] <- MRU Replaced:- [Hits:1 Misses:3]
Access: 1  HIT  LRU ->    [2, 0, 1] <- MRU Replaced:- [Hits:2 Misses:3]
Access: 3  MISS LRU ->    [0, 1, 3] <- MRU Replaced:2 [Hits:2 Misses:4]
Access: 0  HIT  LRU ->    [1, 3, 0] <- MRU Replaced:- [Hits:3 Misses:4]
Access: 3  HIT  LRU ->    [1, 0, 3] <- MRU Replaced:- [Hits:4 Misses:4]
Access: 1  HIT  LRU ->    [0, 3, 1] <- MRU Replaced:- [Hits:5 Misses:4]
Access: 2  MISS LRU ->    [3, 1, 2] <- MRU Replaced:0 [Hits:5 Misses:5]
Access: 1  HIT  LRU ->    [3, 2, 1] <- MRU Replaced:- [Hits:6 Misses:5]

FINALSTATS hits 6   misses 5   hitrate 54.55

OSTEP
"$M" refs --ostep -c -a 0,1,2,0,1,3,0,3,1,2,1 -p LRU -C 3 >"$T/ostep.got"
if cmp -s "$T/ostep.want" "$T/ostep.got"; then ok; else bad "ostep LRU"; diff "$T/ostep.want" "$T/ostep.got"; fi
# generated addresses with seed 0 (Python's random): paging-policy.py -s 0 -n 10 prints 8,7,4,2,5,4,7,3,4,5
"$M" refs --ostep -s 0 -p FIFO >"$T/gen"
if [ "$(grep '^Access' "$T/gen" | awk '{print $2}' | tr '\n' ,)" = "8,7,4,2,5,4,7,3,4,5," ]; then ok; else bad "generated"; cat "$T/gen"; fi
# RAND and CLOCK draw as paging-policy.py: FINALSTATS as it prints them
expect_out ostep-rand 0 'FINALSTATS hits 4   misses 16   hitrate 20.00' "$M" refs --ostep -c -N -p RAND -C 3 -s 3 -n 20
expect_out ostep-clock 0 'FINALSTATS hits 6   misses 14   hitrate 30.00' "$M" refs --ostep -c -N -p CLOCK -C 3 -s 1 -n 20

# files and errors
printf '1, 2, 3 # comment\n4\nw:1 2\n' >"$T/refs.txt"
expect_out file 0 'hits 0  misses 6' "$M" refs -f "$T/refs.txt" -p LRU -C 3
printf '1 2\n3 x7 4\n' >"$T/badrefs.txt"
expect_out file-err 2 "badrefs.txt:2:3: 'x7' is not a page number" "$M" refs -f "$T/badrefs.txt"
expect_out arg-err 2 "reference 3 ('zz') is not a page number" "$M" refs 1,2,zz
expect_out missing 2 'nope.txt: cannot open' "$M" refs -f "$T/nope.txt"
expect_out bad-policy 2 "unknown policy 'LRX'" "$M" refs -p LRX 1,2
expect_out bad-frames 2 'expected a number from 1' "$M" refs -C 0 1,2
expect_out bad-opt 2 "unknown option '--bogus'" "$M" refs --bogus 1
expect_out two-sources 2 'give one reference string' "$M" refs -a 1,2 3,4

# traces: mmsim lines and lackey
printf 'R 0x1000\nW 0x2008 1\nR 0x1010\n# c\nX 0x3000\n' >"$T/t.trace"
expect_out trace 0 'hits 1  misses 3' "$M" refs --trace "$T/t.trace" -p LRU -C 2
expect_out trace-pid 0 '1:0x2 (dirty)' "$M" refs --trace "$T/t.trace" -p LRU -C 2
printf '==1== Lackey\nI  00001000,4\n L 00002000,8\n M 00001ffe,4\n' >"$T/l.trace"
expect_out lackey 0 'references' "$M" refs --trace "$T/l.trace" -p FIFO -C 1
# I 1000, L 2000, M 1ffe,4 (spans two pages: a load and a store on each): pages 1 2 1 2 1 2
expect_out lackey-count 0 'hits 4  misses 2' "$M" refs --trace "$T/l.trace" -p FIFO -C 2 --format summary
expect_out lackey-1frame 0 'hits 0  misses 6' "$M" refs --trace "$T/l.trace" -p FIFO -C 1 --format summary
printf 'R 0x1000\nR 0x1000 junk\n' >"$T/bad.trace"
expect_out trace-err 2 'bad.trace:2:10: bad PID' "$M" refs --trace "$T/bad.trace"

# TLB mode: the simulator's arrays
expect_out tlb 0 'hits 0  misses 6 (TLB misses)' "$M" refs --tlb 4:2 --policy lru 0,2,4,0,2,4
expect_out tlb-assoc 0 'hits 3  misses 3' "$M" refs --tlb 4:4 --policy plru 0,2,4,0,2,4
expect_out tlb-bad 2 'not divisible\|power of two\|sets' "$M" refs --tlb 6:4 1,2

# the example plug-in is CLOCK with one use bit
for s in $BEL $SIL 1,2,3,1,4,2,5,1,6,2,7,1,3,4; do
	want=$("$M" refs -p CLOCK -C 3 --clockbits 1 --format table $s | tail -n +2)
	got=$("$M" refs --policy-plugin "$CLOCK" -C 3 --format table $s | tail -n +2)
	if [ "$want" = "$got" ]; then ok; else bad "clock plug-in on $s"; echo "$want" >"$T/w"; echo "$got" >"$T/g"; diff "$T/w" "$T/g"; fi
done
# a long string: messages cross pipe-buffer boundaries (a read may end inside one)
# (mostly hits, so the parent sends long runs of access notices between victims)
awk 'BEGIN { x = 7; for (i = 0; i < 400000; i++) { x = (x * 1103515245 + 12345) % 2147483648; r = int(x / 65536);
	printf "%d\n", r % 20 ? r % 150 : r % 1000 } }' >"$T/long.txt"
want=$("$M" refs -f "$T/long.txt" -p CLOCK -C 200 --format summary | sed 's/^[^:]*://')
got=$("$M" refs -f "$T/long.txt" --policy-plugin "$CLOCK" -C 200 --format summary | sed 's/^[^:]*://')
if [ -n "$want" ] && [ "$want" = "$got" ]; then ok; else bad "long string: '$want' vs '$got'"; fi
# TLB mode: 4 sets of 2 ways; 0, 4, 8 share set 0, so 8 evicts 0 (the clock sweep
# clears both use bits, takes way 0), and 0 then evicts 4
expect_out plugin-tlb 0 '^     5     8  miss    0 .* 0: \[8, 4\]$' "$M" refs --policy-plugin "$CLOCK" --tlb 8:2 0,2,4,6,8,0
expect_out plugin-tlb2 0 '^     6     0  miss    4 .* 0: \[8, 0\]$' "$M" refs --policy-plugin "$CLOCK" --tlb 8:2 0,2,4,6,8,0
expect_out plugin-good 0 'misses 12 ' "$M" refs --policy-plugin "$B/bad_good.so" -C 3 $SIL

# the sandbox: each hostile plug-in fails with one line, exit 1, quickly
expect_out segv 1 'failed: crashed (SIGSEGV, address (nil)) in victim() at reference 4$' "$M" refs --policy-plugin "$B/bad_segv.so" -C 3 $BEL
expect_out loop 1 'exceeded its CPU-time limit (1 s) in victim() at reference 4$' "$M" refs --policy-plugin "$B/bad_loop.so" --cpu-limit 1 -C 3 $BEL
expect_out alloc 1 'exceeded its memory limit.* in victim() at reference 4$' "$M" refs --policy-plugin "$B/bad_alloc.so" --mem-limit 64M -C 3 $BEL
expect_out victim 1 'returned an invalid victim: frame 10 (valid: 0..2) at reference 4' "$M" refs --policy-plugin "$B/bad_victim.so" -C 3 $BEL
expect_out open 1 'made a forbidden system call.* in victim() at reference 4$' "$M" refs --policy-plugin "$B/bad_open.so" -C 3 $BEL
expect_out fork 1 'made a forbidden system call.* in init()$' "$M" refs --policy-plugin "$B/bad_fork.so" -C 3 $BEL
expect_out sleep 1 'exceeded its wall-clock limit (1 s) in victim() at reference 4 and was killed' "$M" refs --policy-plugin "$B/bad_sleep.so" --time-limit 1 -C 3 $BEL
expect_out exit 1 'exited with status 0 in access() at reference 1 ' "$M" refs --policy-plugin "$B/bad_exit.so" -C 3 $BEL
expect_out init 1 'init() returned NULL while loading' "$M" refs --policy-plugin "$B/bad_init.so" -C 3 $BEL
expect_out notso 1 'cannot load' "$M" refs --policy-plugin "$T/refs.txt" -C 3 $BEL
expect_out nofile 2 'none.so: No such file' "$M" refs --policy-plugin "$T/none.so" -C 3 $BEL
expect_out nofile-dir 2 'not a regular file' "$M" refs --policy-plugin "$T" -C 3 $BEL
# a plug-in writing to stdout and stderr does not reach mmsim's output
"$M" refs --policy-plugin "$B/bad_stdout.so" -C 3 $SIL >"$T/so.out" 2>"$T/so.err"
st=$?
if [ $st = 0 ] && ! grep -q 'access\|noise\|raw write' "$T/so.out" "$T/so.err" && grep -q 'misses 12 ' "$T/so.out"
then ok; else bad "stdout plug-in (exit $st)"; head "$T/so.out" "$T/so.err"; fi
# every failure is exactly one line
"$M" refs --policy-plugin "$B/bad_segv.so" -C 3 $BEL >/dev/null 2>"$T/one"
if [ "$(wc -l <"$T/one")" = 1 ]; then ok; else bad "one line"; cat "$T/one"; fi

echo "refs: $((n - fails)) passed, $fails failed"
[ $fails = 0 ]
