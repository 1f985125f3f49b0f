#!/bin/sh
# sysctl.sh MMSIM GUEST_DIR - /proc/sys/vm/NAME from the guest (reads,
# writes, Linux's EINVAL for nonsense, the side effects of a write) and
# --sysctl on the command line (one-line errors, exit 2).
set -u
MMSIM=$1
T=$(mktemp -d "${TMPDIR:-/tmp}/mmsim-sysctl.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
fail=0
ok() { printf "ok   %s\n" "$1"; }
bad() { fail=$((fail + 1)); printf "FAIL %s\n" "$1"; }
sim() { timeout 60 "$MMSIM" run -q --root / "$@"; }

# FILE VALUE EXPECT: writing VALUE (printf %b) to /proc/sys/vm/FILE gives
# EXPECT: "ok:READBACK" or "EINVAL".  Values as proc_dointvec_minmax and
# proc_doulongvec_minmax take them: blanks around, 0x hex and 0 octal,
# one number (the rest ignored only after a blank), bounds checked.
cat > "$T/table" <<'TAB'
swappiness 0 ok:0
swappiness 200 ok:200
swappiness 201 EINVAL
swappiness -1 EINVAL
swappiness abc EINVAL
swappiness 12abc EINVAL
swappiness \x20\x2060\n ok:60
swappiness 0x10 ok:16
swappiness 010 ok:8
swappiness \n EINVAL
swappiness 99999999999999999999999 EINVAL
overcommit_memory 2 ok:2
overcommit_memory 3 EINVAL
overcommit_memory -1 EINVAL
overcommit_ratio -5 ok:-5
overcommit_ratio 2147483648 EINVAL
overcommit_kbytes 12345 ok:12345
overcommit_kbytes -1 EINVAL
min_free_kbytes 2048 ok:2048
min_free_kbytes -1 EINVAL
watermark_scale_factor 0 EINVAL
watermark_scale_factor 3000 ok:3000
watermark_scale_factor 3001 EINVAL
page-cluster 31 ok:31
page-cluster 32 EINVAL
panic_on_oom 2 ok:2
panic_on_oom 3 EINVAL
oom_kill_allocating_task -7 ok:-7
vfs_cache_pressure -1 EINVAL
drop_caches 0 EINVAL
drop_caches 5 EINVAL
drop_caches 3 ok:
TAB
script=
while read -r f v want; do
	script="$script printf '$v' > /proc/sys/vm/$f 2>/dev/null && echo \"ok:\$(cat /proc/sys/vm/$f 2>/dev/null)\" || echo EINVAL;"
done < "$T/table"
sim /bin/busybox sh -c "$script" > "$T/got" 2>&1
i=0
while read -r f v want; do
	i=$((i + 1))
	got=$(sed -n "${i}p" "$T/got")
	[ "$got" = "$want" ] && ok "$f <- '$v': $got" || bad "$f <- '$v': got '$got', want '$want'"
done < "$T/table"

# reads, permissions and listing
out=$(sim /bin/busybox sh -c 'cat /proc/sys/vm/swappiness /proc/sys/vm/overcommit_ratio /proc/sys/vm/page-cluster
cat /proc/sys/vm/drop_caches 2>&1; ls /proc/sys; stat -c "%a %n" /proc/sys/vm/drop_caches /proc/sys/vm/swappiness' | tr '\n' ' ')
case $out in
"60 50 3 cat: can't open '/proc/sys/vm/drop_caches': Permission denied vm 200 /proc/sys/vm/drop_caches 644 /proc/sys/vm/swappiness ")
	ok "defaults, write-only drop_caches (EACCES), modes" ;;
*) bad "reads: '$out'" ;;
esac
# side effects: min_free_kbytes and watermark_scale_factor recompute the watermarks
out=$(sim --mem 256M /bin/busybox sh -c 'grep -m2 -E "^ +min " /proc/zoneinfo | tail -1
echo 8192 > /proc/sys/vm/min_free_kbytes; grep -m2 -E "^ +min " /proc/zoneinfo | tail -1
grep -m2 -E "^ +high " /proc/zoneinfo | tail -1; echo 1000 > /proc/sys/vm/watermark_scale_factor
grep -m2 -E "^ +high " /proc/zoneinfo | tail -1' | tr -s ' ' | tr '\n' ' ')
set -- $out
[ $# = 8 ] && [ "$2" != "$4" ] && [ "$6" != "$8" ] && [ "$8" -gt "$6" ] &&
	ok "min_free_kbytes and watermark_scale_factor move the watermarks: $out" || bad "watermarks: '$out'"
# overcommit_ratio and overcommit_kbytes clear each other
out=$(sim /bin/busybox sh -c 'echo 100 > /proc/sys/vm/overcommit_kbytes; cat /proc/sys/vm/overcommit_ratio
echo 70 > /proc/sys/vm/overcommit_ratio; cat /proc/sys/vm/overcommit_kbytes' | tr '\n' ' ')
[ "$out" = "0 0 " ] && ok "overcommit_ratio and overcommit_kbytes clear each other" || bad "ratio/kbytes: '$out'"
out=$(sim /bin/busybox sh -c 'echo 3 > /proc/sys/vm/drop_caches; grep drop_ /proc/vmstat' | tr '\n' ' ')
[ "$out" = "drop_pagecache 1 drop_slab 1 " ] && ok "drop_caches 3 counts drop_pagecache and drop_slab" ||
	bad "drop_caches: '$out'"

# --sysctl: applied before the guest starts (vm.NAME and vm/NAME), errors one line, exit 2
out=$(sim --sysctl vm.swappiness=10 --sysctl vm/overcommit_memory=1 /bin/busybox cat /proc/sys/vm/swappiness \
	/proc/sys/vm/overcommit_memory | tr '\n' ' ')
[ "$out" = "10 1 " ] && ok "--sysctl vm.swappiness=10 --sysctl vm/overcommit_memory=1" || bad "--sysctl: '$out'"
for arg in vm.swappiness=201 vm.swappiness= vm.swappiness=1x vm.nosuch=1 kernel.pid_max=10 swappiness \
	vm.=1 vm.drop_caches=0 vm.overcommit_kbytes=-1; do
	"$MMSIM" run -q --sysctl "$arg" /bin/true > "$T/e" 2>&1
	rc=$?
	[ $rc = 2 ] && [ "$(wc -l < "$T/e")" = 1 ] && ok "--sysctl $arg -> $(cat "$T/e")" ||
		bad "--sysctl $arg: status $rc, '$(cat "$T/e")'"
done

echo "sysctl: $fail failed"
[ $fail = 0 ]
