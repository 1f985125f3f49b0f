#!/bin/sh
# tests/e2e/pcp.sh MMSIM - per-CPU page lists seen from a guest (suite
# 'e2e', Debian's static busybox as the guest):
#   1. --cpus 4: /proc/zoneinfo has a pageset for each of the 4 CPUs in
#      every populated zone, with Linux 6.1's batch (zone_batchsize of the
#      zone's managed pages), high (max(low / 4, 4 * batch)) and vm stats
#      threshold (2 * fls(4) * (1 + fls(managed >> 15))); four pipelines
#      running at once leave pages on more than one CPU's list;
#   2. the same run with --pcp off: the pgalloc_* and pgfree counters are
#      identical (they count pages handed out and freed, never moves
#      between the lists), and each zone's free pages differ by exactly the
#      pages on its lists (NR_FREE_PAGES counts buddy pages only);
#   3. --cpus 1 shows one pageset per zone; --pcp off shows Linux's boot
#      pageset (high 0, batch 1); --pcp maybe is refused with exit 2.
set -u
MMSIM=$1
BB=/bin/busybox
T=$(mktemp -d "${TMPDIR:-/tmp}/mmsim-pcp.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }

if [ ! -x $BB ]; then
	echo "SKIP: no $BB"
	exit 77
fi
mkdir -p "$T/root/bin"
cp $BB "$T/root/bin/busybox"
SCRIPT='for i in 1 2 3 4; do /bin/busybox dd if=/dev/zero bs=64k count=16 2>/dev/null | /bin/busybox md5sum >/dev/null & done; wait; /bin/busybox cat /proc/zoneinfo /proc/vmstat'
run() { # OUT ARGS...
	out=$1
	shift
	timeout 60 "$MMSIM" run -q "$@" --root "$T/root" -- /bin/busybox sh -c "$SCRIPT" >"$out" 2>"$out.err"
}

# Check every populated zone's pagesets against Linux's formulas for NCPU
# CPUs (PCP=1) or the boot pageset (PCP=0).  Prints problems, nothing if ok.
check_pagesets() { # FILE NCPU PCP
	awk -v ncpu="$2" -v pcp="$3" '
	function fls(x,  r) { r = 0; while (x > 0) { r++; x = int(x / 2) } return r }
	function rdp2(x,  p) { p = 1; while (p * 2 <= x) p *= 2; return p }
	function finish() {
		if (zone == "" || managed == 0) return
		b = int(managed / 1024); if (b > 256) b = 256; b = int(b / 4); if (b < 1) b = 1
		b = rdp2(b + int(b / 2)) - 1; if (b < 1) b = 1
		h = int(low / ncpu); if (h < 4 * b) h = 4 * b
		if (!pcp) { b = 1; h = 0 }
		th = 2 * fls(ncpu) * (1 + fls(int(managed / 32768))); if (th > 125) th = 125
		if (ncpus_seen != ncpu) print zone ": " ncpus_seen " pagesets, want " ncpu
		for (c = 0; c < ncpu; c++) {
			if (!(c in hi)) { print zone ": no cpu " c; continue }
			if (hi[c] != h || ba[c] != b) print zone " cpu " c ": high " hi[c] " batch " ba[c] ", want " h " " b
			if (thr[c] != th) print zone " cpu " c ": threshold " thr[c] ", want " th
		}
	}
	/^Node/ { finish(); zone = $4; managed = 0; ncpus_seen = 0; delete hi; delete ba; delete thr }
	$1 == "low" { low = $2 }
	$1 == "managed" { managed = $2 }
	$1 == "cpu:" { cpu = $2; ncpus_seen++ }
	$1 == "high:" { hi[cpu] = $2 }
	$1 == "batch:" { ba[cpu] = $2 }
	$1 == "vm" && $2 == "stats" { thr[cpu] = $4 }
	/^nr_free_pages/ { finish(); zone = "" }
	END { finish() }' "$1"
}

run "$T/on4" --cpus 4 || bad "run --cpus 4 failed: $(cat "$T/on4.err")"
p=$(check_pagesets "$T/on4" 4 1)
[ -z "$p" ] && grep -q "cpu: 3" "$T/on4" && ok "--cpus 4: pagesets of 4 CPUs in every zone, Linux's high/batch/threshold" ||
	bad "--cpus 4 pagesets: $p"
busy=$(awk '$1 == "count:" && $2 > 0 { n++ } END { print n + 0 }' "$T/on4")
[ "$busy" -ge 2 ] && ok "pages cached on $busy CPUs' lists" || bad "pages on only $busy CPU lists"

run "$T/off4" --cpus 4 --pcp off || bad "run --pcp off failed: $(cat "$T/off4.err")"
p=$(check_pagesets "$T/off4" 4 0)
[ -z "$p" ] && ok "--pcp off: boot pagesets (high 0, batch 1)" || bad "--pcp off pagesets: $p"
if [ "$(grep -E '^(pgalloc_|pgfree)' "$T/on4")" = "$(grep -E '^(pgalloc_|pgfree)' "$T/off4")" ] &&
	grep -q '^pgfree [1-9]' "$T/on4"; then
	ok "pgalloc_* and pgfree identical with and without per-CPU lists"
else
	bad "counters differ: $(grep -E '^(pgalloc_|pgfree)' "$T/on4" "$T/off4" | tr '\n' ' ')"
fi
# per zone: free pages (off) - free pages (on) == pages on the lists (on)
zsum() { awk '/^Node/ { z = $4 } $1 == "pages" && $2 == "free" { f[z] = $3 } $1 == "count:" { c[z] += $2 }
	END { for (z in f) print z, f[z], c[z] + 0 }' "$1" | sort; }
d=$(zsum "$T/on4" | join - "$(zsum "$T/off4" >"$T/zoff"; echo "$T/zoff")" |
	awk '$4 - $2 != $3 { print $1 ": free " $2 " + pcp " $3 " != " $4 }')
[ -z "$d" ] && [ -s "$T/zoff" ] && ok "free pages + pages on the lists = free pages without lists, every zone" ||
	bad "free page accounting: $d"

run "$T/on1" || bad "run --cpus 1 failed"
p=$(check_pagesets "$T/on1" 1 1)
[ -z "$p" ] && ! grep -q "cpu: 1" "$T/on1" && ok "--cpus 1: one pageset per zone" || bad "--cpus 1 pagesets: $p"

timeout 30 "$MMSIM" run -q --pcp maybe -- /bin/true >"$T/bad" 2>&1
rc=$?
[ $rc = 2 ] && grep -q "pcp: 'maybe'" "$T/bad" && ok "--pcp maybe refused (exit 2)" || bad "--pcp maybe: rc $rc $(cat "$T/bad")"

echo "$pass passed, $fail failed"
[ $fail = 0 ]
