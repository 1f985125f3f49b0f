#!/bin/sh
# page_cache.sh MMSIM GUEST_DIR: `mmsim run --page-cache warm|cold`.
# Warm (the default) must give a native rerun's fault counts: no major
# faults, and for Debian's static busybox a total within 4 of
# `perf stat -e page-faults` of the same command (measured here when perf
# works; else the figure recorded in docs/performance.md, 38 for
# `busybox true` on Linux 6.18).  Cold must take major faults.
set -u
MMSIM=$1
G=$2
BUSYBOX=/bin/busybox
T=$(mktemp -d "${TMPDIR:-/tmp}/mmsim-pc.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

fail() {
	echo "FAIL [page_cache]: $*" >&2
	exit 1
}

# faults MODE ARGS...: "total major" of a --json run
faults() {
	mode=$1
	shift
	"$MMSIM" run --json -o "$T/j" --page-cache "$mode" "$@" >"$T/out" 2>"$T/err" ||
		{ cat "$T/err" >&2; fail "mmsim run --page-cache $mode $* exited $?"; }
	python3 -c "import json,sys; d=json.load(open(sys.argv[1]))['faults']; print(d['total'], d['major'])" "$T/j"
}

# native_faults ARGS...: median page-faults of 5 native runs, or "" without perf
native_faults() {
	command -v perf >/dev/null || return 0
	for i in 1 2 3 4 5; do
		perf stat -x, -e page-faults "$@" 2>&1 >/dev/null | awk -F, '$3 == "page-faults" && $1 ~ /^[0-9]+$/ { print $1 }'
	done | sort -n | sed -n 3p
}

# option handling: help, bad value (one line naming the option, exit 2)
"$MMSIM" run --help | grep -q -- "--page-cache warm|cold" || fail "--page-cache missing from run --help"
"$MMSIM" run -q --page-cache lukewarm "$G/hello" >/dev/null 2>"$T/err"
rc=$?
[ "$rc" = 2 ] || fail "--page-cache lukewarm exited $rc, wanted 2"
[ "$(wc -l <"$T/err")" = 1 ] || { cat "$T/err" >&2; fail "error is not one line"; }
grep -q -- "--page-cache" "$T/err" && grep -q "lukewarm" "$T/err" || { cat "$T/err" >&2; fail "error does not name the option and value"; }

# a musl guest: warm has no major fault, cold has one, same total
set -- $(faults warm "$G/hello")
hw=$1 hwm=$2
set -- $(faults cold "$G/hello")
hc=$1 hcm=$2
[ "$hwm" = 0 ] || fail "hello: $hwm major faults with a warm cache"
[ "$hcm" -gt 0 ] || fail "hello: no major fault with a cold cache"
[ "$hw" = "$hc" ] || fail "hello: $hw faults warm, $hc cold (read-around covers the whole binary)"
# the default is warm
"$MMSIM" run --json -o "$T/d" "$G/hello" >/dev/null 2>&1 || fail "hello failed"
[ "$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['faults']['major'])" "$T/d")" = 0 ] ||
	fail "the default page cache is not warm"

[ -x "$BUSYBOX" ] || { echo "SKIP: no $BUSYBOX (musl checks passed)"; exit 77; }
for cmd in "true" "echo hi" "seq 3"; do
	set -- $(faults warm $BUSYBOX $cmd)
	w=$1 wm=$2
	set -- $(faults cold $BUSYBOX $cmd)
	c=$1 cm=$2
	[ "$wm" = 0 ] || fail "busybox $cmd: $wm major faults with a warm cache"
	[ "$cm" -gt 0 ] || fail "busybox $cmd: no major fault with a cold cache"
	[ "$w" -lt "$c" ] || fail "busybox $cmd: warm ($w faults) is not below cold ($c)"
	n=$(native_faults $BUSYBOX $cmd)
	if [ -z "$n" ]; then
		[ "$cmd" = true ] || continue
		n=38
		echo "perf unavailable: comparing with the recorded native figure $n"
	fi
	d=$((w - n))
	[ "$d" -ge -4 ] && [ "$d" -le 4 ] || fail "busybox $cmd: $w faults in mmsim (warm), $n native"
	echo "busybox $cmd: warm $w, cold $c ($cm major), native $n"
done

# small memory: the warm-up stays within its budget and the run works
"$MMSIM" run -q --mem 3M --page-cache warm $BUSYBOX echo hi >"$T/out" 2>"$T/err" ||
	{ cat "$T/err" >&2; fail "busybox echo hi with --mem 3M failed"; }
[ "$(cat "$T/out")" = hi ] || fail "busybox echo hi with --mem 3M printed '$(cat "$T/out")'"
grep -q "page allocation failure" "$T/err" && fail "warming caused an allocation failure"

# the trace records the mode
if command -v sqlite3 >/dev/null; then
	"$MMSIM" run -q --page-cache cold --trace "$T/t.db" "$G/hello" >/dev/null 2>&1 || fail "traced run failed"
	sqlite3 "$T/t.db" "select config from runs" | grep -q "page_cache=cold" || fail "runs.config lacks page_cache=cold"
fi
exit 0
