#!/bin/sh
# tests/sys/tmpfs.sh MMSIM GUESTDIR CORPUS_C_DIR - the guest's writable
# tmpfs on /tmp and /dev/shm, compared with native runs where the output is
# the host's too: sort -o, gzip to a file and back, sh redirections and
# appends, rename/unlink/mkdir/ls, the errno of bad operations; MAP_SHARED
# of a tmpfs file, of shm_open and of MAP_SHARED|MAP_ANONYMOUS across fork
# (each side sees the other's writes, RssShmem, Pss); and checked against
# Linux's rules under mmsim only: ENOSPC with a small --tmpfs-size, df and
# /proc/mounts, meminfo Shmem back to its baseline after deletion, the
# --root's /tmp shadowed, bad --tmpfs-size values; and a static SQLite
# program with default settings whose GROUP BY spills to a temporary file.
set -u
MMSIM=$1
G=$2
C=$3
BB=/bin/busybox
T=$(mktemp -d /var/tmp/mmsim-tmpfs.XXXXXX) # not /tmp: the guest has its own
trap 'rm -rf "$T"' EXIT
fail=0
pass=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }

# same NAME CMD...: natively and under mmsim --root /: same stdout, stderr
# and exit status.  Commands use /tmp/mmsim-tmpfs-PID paths of their own.
same() {
	name=$1; shift
	timeout 60 "$@" > "$T/native.out" 2>&1; nrc=$?
	timeout 120 "$MMSIM" run -q --root / -- "$@" > "$T/sim.out" 2>&1; src=$?
	if cmp -s "$T/native.out" "$T/sim.out" && [ $nrc -eq $src ]; then ok "$name"
	else bad "$name (native rc $nrc, mmsim rc $src)"; diff "$T/native.out" "$T/sim.out" | head -10; fi
}
# expect NAME WANT CMD...: mmsim's stdout+stderr is WANT
expect() {
	name=$1; want=$2; shift 2
	out=$(timeout 120 "$MMSIM" run -q "$@" 2>&1)
	if [ "$out" = "$want" ]; then ok "$name"; else bad "$name"; printf 'want:\n%s\ngot:\n%s\n' "$want" "$out" | head -30; fi
}

D=/tmp/mmsim-tmpfs-$$
# 1. ordinary programs writing temporary files
same "sort -o /tmp/x" $BB sh -c "mkdir $D && printf 'pear\napple\nfig\n' | sort -o $D/x && cat $D/x; rm -r $D"
same "gzip > /tmp/f.gz; gzip -dc" $BB sh -c "mkdir $D && seq 1 20000 | gzip > $D/f.gz && gzip -dc $D/f.gz | md5sum && gzip -t $D/f.gz && echo tested; rm -r $D"
same "sh redirections and appends" $BB sh -c "mkdir $D; echo hi > $D/a; cat $D/a; echo more >> $D/a; echo again >> $D/a; cat $D/a; wc -c < $D/a; : > $D/a; wc -c < $D/a; exec 3>$D/b; echo fd3 >&3; exec 3>&-; cat $D/b; rm -r $D"
same "rename, unlink, mkdir, ls" $BB sh -c "cd /tmp && mkdir $D && cd $D && touch a b && mkdir -p d/e && mv a d/e/c && ln -s d/e/c s && ln b h && ls -R . | sort && cat s && rm s h b && rm -r d && ls -A && cd / && rmdir $D && ls -d $D 2>&1"
same "cp, cmp, truncate, dd conv=notrunc" $BB sh -c "mkdir $D; seq 1 3000 > $D/n; cp $D/n $D/m; cmp $D/n $D/m && echo same; dd if=/dev/zero of=$D/m bs=1 count=3 seek=5 conv=notrunc 2>/dev/null; cmp $D/n $D/m; truncate -s 100 $D/m; wc -c < $D/m; truncate -s 9000 $D/m; od -c $D/m | tail -3; rm -r $D"
same "bash: here-doc and process substitution with diff" /bin/bash-static -c "PATH=/nonexistent; $BB diff <($BB seq 1 5) <($BB seq 0 4); cat <<E > $D.h
line \$((1+2))
E
$BB cat $D.h; $BB rm $D.h"
same "busybox diff of two pipes (needs /tmp)" $BB sh -c "seq 1 4 | diff - /dev/fd/3 3<<E
1
2
9
E
echo status \$?"
same "errno of bad operations (tmperrno)" "$G/sys_tmperrno" "$D"

# 2. MAP_SHARED across fork (native /dev/shm is a tmpfs too)
same "MAP_SHARED of shm_open across fork" "$G/sys_shmshare" shm
same "MAP_SHARED|MAP_ANONYMOUS across fork" "$G/sys_shmshare" anon
want_share="parent: child's half seen
child: parent's half seen
child: RssShmem 64 kB
parent: RssShmem 64 kB
parent: mapping Rss 64 kB Pss 32 kB
Shmem grew by 64 kB
child exit 0
after unlink: data kept
Shmem after munmap: +0 kB"
expect "MAP_SHARED of a /tmp file: shared frames, RssShmem, Pss, Shmem freed" "$want_share" --root / -- "$G/sys_shmshare" file mem
expect "shm_open: the same, Shmem freed after shm_unlink and munmap" "$want_share" --root / -- "$G/sys_shmshare" shm mem

# 3. limits: ENOSPC, df, mounts, Shmem accounting
expect "ENOSPC with --tmpfs-size 64k" "dd: error writing '/tmp/f': No space left on device
65536
tmpfs /tmp tmpfs rw,nosuid,nodev,size=64k,inode64 0 0
tmpfs                       64        64         0 100% /tmp
after rm: 0" --tmpfs-size 64k --root / -- $BB sh -c 'dd if=/dev/zero of=/tmp/f bs=4096 count=100 2>&1 | grep error; wc -c < /tmp/f; grep " /tmp " /proc/mounts; df /tmp | tail -1; rm /tmp/f; echo "after rm: $(df /tmp | tail -1 | tr -s " " | cut -d" " -f3)"'
expect "writes to a full tmpfs fail as to /dev/full" "rc 255
sh: write error: No space left on device
rc 1
8192" --tmpfs-size 8k --root / -- $BB sh -c 'seq 1 100000 > /tmp/big; echo "rc $?"; echo hi >> /tmp/big; echo "rc $?"; wc -c < /tmp/big'
expect "Shmem: +1024 kB while the file exists, baseline after rm" "+1024
+0" --root / -- $BB sh -c 'b=$(grep ^Shmem: /proc/meminfo | tr -s " " | cut -d" " -f2); head -c 1048576 /dev/zero > /tmp/m; a=$(grep ^Shmem: /proc/meminfo | tr -s " " | cut -d" " -f2); echo "+$((a - b))"; rm /tmp/m; a=$(grep ^Shmem: /proc/meminfo | tr -s " " | cut -d" " -f2); echo "+$((a - b))"'
expect "an unlinked open file keeps its pages until closed" "+512
+512
+0" --root / -- $BB sh -c 'v() { a=$(grep ^Shmem: /proc/meminfo | tr -s " " | cut -d" " -f2); echo "+$((a - b))"; }; b=$(grep ^Shmem: /proc/meminfo | tr -s " " | cut -d" " -f2); head -c 524288 /dev/zero > /tmp/u; exec 4</tmp/u; v; rm /tmp/u; v; exec 4<&-; v'
expect "df /tmp /dev/shm: tmpfs of half the RAM (totalram 16382 pages)" "tmpfs                    32764         0     32764   0% /tmp
tmpfs                    32764         0     32764   0% /dev/shm" --mem 64M --root / -- $BB sh -c 'df /tmp /dev/shm | tail -2'
expect "--tmpfs-size 25%" "tmpfs                    16380         0     16380   0% /tmp" --mem 64M --tmpfs-size 25% --root / -- $BB sh -c 'df /tmp | tail -1'
mkdir -p "$T/root/tmp" "$T/root/bin"
echo host > "$T/root/tmp/hostfile"
cp $BB "$T/root/bin/busybox"
expect "the root's /tmp is shadowed (empty at start), the root stays read-only" "0
/tmp is tmpfs
sh: can't create /etc-x: Read-only file system" --root "$T/root" -- /bin/busybox sh -c 'ls -A /tmp | wc -l; stat -f -c "/tmp is %T" /tmp; echo x > /etc-x'
for v in 0 abc 10x -5% 1%%; do
	out=$("$MMSIM" run --tmpfs-size "$v" /bin/true 2>&1); rc=$?
	if [ $rc -eq 2 ] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ]; then ok "--tmpfs-size '$v': one-line error, exit 2"
	else bad "--tmpfs-size '$v': rc $rc: $out"; fi
done

# 4. SQLite with its default settings: a GROUP BY too large for the
# sorter's memory spills to a temporary file (etilqs_* in /var/tmp natively
# or /tmp: under mmsim /var/tmp is read-only, so /tmp)
if gcc -O2 -static -o "$T/sqlite_tmp" "$C/sqlite_tmp.c" -lsqlite3 -lm 2>/dev/null; then
	same "SQLite GROUP BY over 100k rows with a temporary file" "$T/sqlite_tmp"
else
	echo "skip SQLite (no static libsqlite3)"
fi

echo "tmpfs: $pass passed, $fail failed"
[ $fail -eq 0 ]
