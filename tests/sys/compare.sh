# tests/sys/compare.sh - sourced by the tests/sys scripts that compare a
# command under mmsim with its native run.  Needs MMSIM and T (a scratch
# directory outside /tmp); keeps the counts in pass and fail.
#   ok NAME, bad NAME        count and print a result
#   same NAME CMD...         natively and under mmsim --root /: the same
#                            stdout+stderr and exit status (a hang under
#                            mmsim is a failure after 120 s)
#   expect NAME RC WANT ARGS...  mmsim run -q ARGS: exit status RC and
#                            stdout+stderr WANT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }

same() {
	name=$1; shift
	timeout 60 "$@" > "$T/native.out" 2>&1; nrc=$?
	timeout 120 "$MMSIM" run -q --root / -- "$@" > "$T/sim.out" 2>&1; src=$?
	if [ $src -eq 124 ]; then bad "$name: mmsim timed out (hang)"; return; fi
	if cmp -s "$T/native.out" "$T/sim.out" && [ $nrc -eq $src ]; then ok "$name"
	else bad "$name (native rc $nrc, mmsim rc $src)"; diff "$T/native.out" "$T/sim.out" | head -20; fi
}

expect() {
	name=$1; wrc=$2; want=$3; shift 3
	out=$(timeout 120 "$MMSIM" run -q "$@" 2>&1); rc=$?
	if [ "$out" = "$want" ] && [ $rc -eq "$wrc" ]; then ok "$name"
	else bad "$name (rc $rc, want $wrc)"; printf 'want:\n%s\ngot:\n%s\n' "$want" "$out" | head -30; fi
}
