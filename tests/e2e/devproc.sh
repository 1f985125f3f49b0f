#!/bin/sh
# devproc.sh MMSIM GUEST_DIR - the guest's /dev and the /proc files of
# issue 8, each command run natively and under `mmsim run --root /`:
# /dev/fd and bash's process substitution, the character devices (stat,
# read, write, ENOSPC, ENXIO), /proc/self/fd links and reopening them,
# /proc/cpuinfo against the CPUID the guest sees, /proc/mounts and df,
# VmRSS/VmHWM deltas.
set -u
MMSIM=$1
G=$2
BB=/bin/busybox
BASH=/bin/bash-static
T=$(mktemp -d "${TMPDIR:-/tmp}/mmsim-devproc.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
fail=0
ok() { echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }
sim() { timeout 30 "$MMSIM" run -q --root / "$@"; }

# same NAME CMD...: CMD natively (no terminal, stdin /dev/null) and under
# mmsim give the same stdout+stderr and exit status.  $FILTER (a sed
# script) is applied to both outputs first.
FILTER=
same() {
	name=$1
	shift
	# stdout and stderr are one pipe natively too (mmsim's look like pipes)
	{ setsid -w "$@" < /dev/null 2>&1; echo "exit $?"; } | cat > "$T/n.raw"
	{ sim -- "$@" 2>&1; echo "exit $?"; } | cat > "$T/s.raw"
	sed -e "${FILTER:-s/^//}" "$T/n.raw" > "$T/n.out"
	sed -e "${FILTER:-s/^//}" "$T/s.raw" > "$T/s.out"
	if cmp -s "$T/n.out" "$T/s.out"; then
		ok "$name"
	else
		bad "$name"
		diff "$T/n.out" "$T/s.out" | head -8
	fi
}

# 1. /dev/fd/63: bash's process substitution (issue 8's reproducer)
same "bash < <(echo one)" $BASH -c 'while read l; do echo $l; done < <(echo one)'
same "bash cat <(...) <(...)" $BASH -c "$BB cat <(echo a) <(echo b; echo c) | $BB wc -l; read x < <(echo y); echo \$x"
same "bash exec 3< <(...)" $BASH -c "exec 3< <(printf 'x\ny\n'); $BB cat /dev/fd/3; exec 4>&1; echo four >/dev/fd/4"

# 2. the devices: stat (mode, owner, major:minor, type, links), as Linux
DEVS="/dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty /dev/fd /dev/stdin /dev/stdout /dev/stderr"
same "stat /dev nodes" $BB stat -c '%n %A %h %U %G %t:%T %F %s' $DEVS
same "readlink /dev links" $BB sh -c 'for l in /dev/fd /dev/stdin /dev/stdout /dev/stderr; do readlink $l; done'
same "stat -L /dev/stdin (a pipe)" $BB sh -c 'echo x | stat -L -c "%F %A" /dev/stdin /dev/fd/0'
# reads and writes: zeros, EOF, ENOSPC, ENXIO without a terminal, lseek 0
same "device reads" $BB sh -c 'head -c 20 /dev/zero | od -An -tx1; head -c 100 /dev/full | wc -c;
	cat /dev/null | wc -c; head -c 70000 /dev/urandom | wc -c; head -c 9 /dev/random | wc -c'
same "device writes" $BB sh -c 'echo a > /dev/null; echo $?; echo b > /dev/zero; echo $?;
	echo c > /dev/random; echo $?; echo d > /dev/full; echo $?; echo e > /dev/stdout; echo f > /dev/stderr'
same "/dev/tty: ENXIO" $BB sh -c 'echo x > /dev/tty; echo $?; cat /dev/tty; echo $?'
same "dd /dev/zero" $BB sh -c 'dd if=/dev/zero bs=4096 count=3 2>/dev/null | wc -c; dd if=/dev/zero of=/dev/null bs=1k count=5 2>&1 | head -1'
# /dev/urandom follows --seed: the same seed gives the same bytes
a=$(sim --seed 7 -- $BB sh -c 'head -c 32 /dev/urandom | od -An -tx1')
b=$(sim --seed 7 -- $BB sh -c 'head -c 32 /dev/urandom | od -An -tx1')
c=$(sim --seed 8 -- $BB sh -c 'head -c 32 /dev/urandom | od -An -tx1')
[ -n "$a" ] && [ "$a" = "$b" ] && [ "$a" != "$c" ] && ok "/dev/urandom from --seed" ||
	bad "/dev/urandom from --seed: '$a' '$b' '$c'"
# the host's /dev is never used: a root whose dev/null is a regular file
mkdir -p "$T/root/dev" "$T/root/bin"
echo "host file" > "$T/root/dev/null"
cp $BB "$T/root/bin/busybox"
out=$(timeout 30 "$MMSIM" run -q --root "$T/root" -- /bin/busybox sh -c 'cat /dev/null; /bin/busybox ls /dev | /bin/busybox wc -l')
[ "$out" = "11" ] && ok "--root's own /dev is not used" || bad "--root's own /dev shows: '$out'"

# 3. /proc/self/fd: links as Linux shows them; opening one opens the same
# pipe / file / output (pipe inode numbers differ: compared as N)
FILTER='s/pipe:\[[0-9]*\]/pipe:[N]/g'
same "readlink /proc/self/fd" $BB sh -c 'exec 3</etc/passwd 4>/dev/null 5</dev/zero;
	for n in 0 1 2 3 4 5; do readlink /proc/self/fd/$n; done | cat; echo x | readlink /dev/fd/0'
same "ls -l /proc/self/fd/N" $BB sh -c 'exec 3</etc/passwd 4>/dev/null; ls -l /proc/self/fd/0 /proc/self/fd/3 /proc/self/fd/4 | awk "{print \$1, \$2, \$3, \$4, \$5, \$9, \$10, \$11}"'
FILTER=
same "reopen pipe and file" $BB sh -c 'echo piped | cat /dev/stdin; exec 3</etc/hostname; read a </dev/fd/3; read b </proc/self/fd/3; [ "$a" = "$b" ] && echo new-offset;
	(echo one; sleep 0; echo two) | { read x; cat /dev/fd/0; echo "$x"; }'
same "cd /dev/fd; a directory's fd" $BB sh -c 'cd /dev/fd && pwd && ls -d /proc/self/fd && test -L /proc/self/fd/1 && echo link;
	exec 3</etc; cat /dev/fd/3/hostname; ls /proc/self/fd/3/ | grep -c passwd; cat /dev/fd/0/x; cat /dev/fd/9/x; cd /dev/fd/3 && cat hostname'
same "exec /dev/fd/3 (fexecve)" $BASH -c "exec 3<$BB; /dev/fd/3 echo hi; /dev/fd/0 x; echo \$?"

# 4. /proc/cpuinfo agrees with CPUID (natively and as the guest sees it)
check_cpuinfo() { # name, cpuid output, cpuinfo
	fl=" $(grep -m1 '^flags' "$3" | cut -d: -f2) "
	msg=$(grep '^flag ' "$2" | while read -r _ n v; do
		case "$fl" in *" $n "*) h=yes ;; *) h=no ;; esac
		[ "$h" = "$v" ] || echo "flag $n: cpuid $v, cpuinfo $h"
	done
	grep -v '^flag ' "$2" | while IFS= read -r l; do grep -qxF "$l" "$3" || echo "cpuinfo lacks '$l'"; done)
	[ -z "$msg" ] && ok "$1" || { bad "$1"; echo "$msg" | head -5; }
}
"$G/cpuid" > "$T/cpuid.n"
$BB cat /proc/cpuinfo > "$T/cpuinfo.n"
sim -- "$G/cpuid" > "$T/cpuid.s"
sim -- $BB cat /proc/cpuinfo > "$T/cpuinfo.s"
check_cpuinfo "native /proc/cpuinfo matches CPUID" "$T/cpuid.n" "$T/cpuinfo.n"
check_cpuinfo "mmsim /proc/cpuinfo matches CPUID" "$T/cpuid.s" "$T/cpuinfo.s"
# every key mmsim prints is one Linux prints, in Linux's order
keys() { sed -n '1,/^$/p' "$1" | cut -d: -f1 | sed 's/[[:space:]]*$//' | grep -v '^$'; }
keys "$T/cpuinfo.n" > "$T/keys.n"
keys "$T/cpuinfo.s" > "$T/keys.s"
[ "$(grep -cxFf "$T/keys.n" "$T/keys.s")" -eq "$(wc -l < "$T/keys.s")" ] &&
	[ "$(grep -xFf "$T/keys.s" "$T/keys.n")" = "$(cat "$T/keys.s")" ] && [ "$(grep -c '^processor' "$T/cpuinfo.s")" -eq 1 ] &&
	ok "/proc/cpuinfo keys in Linux's order" || { bad "/proc/cpuinfo keys"; diff "$T/keys.n" "$T/keys.s" | head -5; }

# 5. mounts and df: / is the root (the host's statfs), /proc and /dev
sim -- $BB cat /proc/mounts > "$T/mounts"
awk '{print $2, $3}' "$T/mounts" | tr '\n' ' ' > "$T/mp"
case "$(cat "$T/mp")" in
"/ "*" /proc proc /dev devtmpfs /dev/shm tmpfs /tmp tmpfs ") ok "/proc/mounts" ;;
*) bad "/proc/mounts: $(cat "$T/mp")" ;;
esac
sim -- $BB sh -c 'cat /proc/self/mountinfo' | awk '{print $5, $(NF-2)}' | tr '\n' ' ' > "$T/mi"
case "$(cat "$T/mi")" in
"/ "*" /proc proc /dev devtmpfs /dev/shm tmpfs /tmp tmpfs ") ok "/proc/self/mountinfo" ;;
*) bad "/proc/self/mountinfo: $(cat "$T/mi")" ;;
esac
same "df /proc" $BB df /proc
FILTER='s/^[^ ]* *//'
same "stat -f / (type, block size, total blocks)" $BB stat -f -c '%t %S %b %c %l' /
FILTER=
# (the last line's numbers: a long device name gets a line of its own)
$BB df / | tail -n 1 | awk '{print $(NF-4), $(NF-3), $(NF-2)}' > "$T/df.n"
sim -- $BB df / | tail -n 1 | awk '{print $(NF-4), $(NF-3), $(NF-2)}' > "$T/df.s"
sim -- $BB df > "$T/dfall.s"
read -r nt nu na < "$T/df.n"
read -r st su sa < "$T/df.s"
# total exact; used/available may move by what the host wrote meanwhile (64 MiB)
if [ "$nt" = "$st" ] && [ $(( (nu - su) * (nu - su) )) -le $((65536 * 65536)) ] && grep -q " /dev$" "$T/dfall.s"; then
	ok "df / as native (size $st kB, used $su kB), df lists / and /dev"
else
	bad "df: native '$nt $nu $na', mmsim '$st $su $sa'"
	cat "$T/dfall.s"
fi

# 6. VmRSS/VmHWM follow the resident pages: deltas as native (within
# 128 kB: Linux's counters are per-CPU approximations)
"$G/vmrss" > "$T/rss.n"
sim -- "$G/vmrss" > "$T/rss.s"
msg=$(paste -d' ' "$T/rss.n" "$T/rss.s" | awk '
	{ d1 = $2 - $5; d2 = $3 - $6; if (d1 < 0) d1 = -d1; if (d2 < 0) d2 = -d2
	  if ($1 != $4 || d1 > 128 || d2 > 128) print "native", $1, $2, $3, "mmsim", $4, $5, $6 }
	END { if (NR != 7) print "expected 7 lines, got " NR }')
[ -z "$msg" ] && ok "VmRSS/VmHWM deltas (anon, munmap, brk, shared, dontneed, /dev/zero, peak)" ||
	{ bad "VmRSS/VmHWM deltas"; echo "$msg"; }
# an exec'ed image starts its own VmHWM (bash grows to ~25 MB first)
C='a=$(printf "%0100000d" 0); for i in 1 2 3 4 5 6; do a=$a$a; done; exec '$BB' awk "/VmHWM/ {print (\$2 < 8000) ? \"small\" : \"big \" \$2}" /proc/self/status'
FILTER=
same "VmHWM after exec" $BASH -c "$C"

echo "devproc: $fail failed"
[ $fail -eq 0 ]
