#!/bin/sh
# dynamic.sh MMSIM GUEST_DIR: Debian's dynamically linked programs under
# `mmsim run --root /` (issue 10, "Dynamic linking"; suite 'e2e').
#
#  1. sort, md5sum, gzip -c, ls of a directory made here, sqlite3 with a
#     script and /usr/bin/python3 -c: stdout and exit status identical to a
#     native run with the guest's environment (PATH, HOME=/) and cwd.
#  2. Without --root: exit 2, one line naming the interpreter and --root /.
#  3. The dynamic start-up's faults (/usr/bin/true; md5sum, sort, ls;
#     mmsim's faults.total) within 4 of the native ru_minflt of the same exec (a vfork child, so
#     no fork COW faults are counted), and no major fault (warm cache).
#  4. A PIE at ELF_ET_DYN_BASE, its heap, ld.so under the mmap base and the
#     stack as natively under `setarch -R` (those maps lines compared; the
#     libraries ld.so maps later sit higher than natively by the size of
#     the [vvar]/[vdso] pages mmsim does not have).
#  5. Two processes running the same program share the frames of libc's
#     text: the sleeping one's smaps shows Shared_Clean and Pss < Rss.
#  6. The summary lists no unknown system call for these programs except
#     socket (nscd lookups; glibc falls back to the files).
#  7. Two runs of the same dynamic program give identical --json.
#  8. posix_fadvise and getxattr/listxattr: native results and errno.
set -u
MMSIM=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
G=$2
T=$(mktemp -d /var/tmp/mmsim-dyn.XXXXXX) || exit 1 # not /tmp: the guest has its own (a tmpfs)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }
for p in /usr/bin/sort /usr/bin/md5sum /usr/bin/gzip /usr/bin/ls /usr/bin/true /usr/bin/cat /usr/bin/sleep; do
	[ -x $p ] || { echo "SKIP: no $p"; exit 77; }
done
NATENV="env -i PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin HOME=/"

# the data: a directory with fixed names, sizes and times
D=$T/d
mkdir -p "$D/sub"
seq 1 3000 | awk '{ print ($1 * 7919) % 3001, "line" $1 }' > "$D/nums"
printf 'zeta\nalpha\nmu\nalpha\n' > "$D/words"
echo hi > "$D/sub/f"
ln -s nums "$D/link"
find "$D" -exec touch -h -d '2021-03-04 05:06:07 UTC' {} +
cat > "$T/s.sql" <<'EOF'
create table t(a integer, b text);
insert into t values (1, 'one'), (2, 'two'), (3, 'three');
with recursive c(x) as (select 1 union all select x + 1 from c where x < 200) insert into t select x + 3, hex(x * x) from c;
select count(*), sum(a), max(b) from t;
select a, upper(b) from t where a % 50 = 0 order by a desc;
EOF

# 1. identical output and status (each case: a name, then the command)
same() {
	name=$1
	shift
	(cd "$T" && $NATENV "$@") > "$T/n.out" 2> "$T/n.err" < /dev/null
	nrc=$?
	(cd "$T" && "$MMSIM" run -q --root / -- "$@") > "$T/s.out" 2> "$T/s.err" < /dev/null
	src=$?
	if [ $nrc -eq $src ] && cmp -s "$T/n.out" "$T/s.out" && [ -s "$T/s.out" ]; then
		ok "$name: identical output, exit $src"
	else
		bad "$name: native exit $nrc, mmsim exit $src"
		diff "$T/n.out" "$T/s.out" | head -5
		head -3 "$T/s.err"
	fi
}
same "sort" /usr/bin/sort -n d/nums
same "sort -u words" /usr/bin/sort -u d/words
same "md5sum" /usr/bin/md5sum d/nums d/words
same "gzip -c" /usr/bin/gzip -9nc d/nums
same "ls -la" /usr/bin/ls -la --time-style=long-iso d d/sub
same "ls -R" /usr/bin/ls -R d
if [ -x /usr/bin/sqlite3 ]; then
	(cd "$T" && $NATENV /usr/bin/sqlite3 < s.sql) > "$T/n.out" 2>&1
	nrc=$?
	(cd "$T" && "$MMSIM" run -q --root / --stdin s.sql -- /usr/bin/sqlite3) > "$T/s.out" 2>&1
	src=$?
	[ $nrc -eq $src ] && cmp -s "$T/n.out" "$T/s.out" && ok "sqlite3 < script: identical output" ||
		{ bad "sqlite3 (native $nrc, mmsim $src)"; diff "$T/n.out" "$T/s.out" | head -5; }
else
	bad "no /usr/bin/sqlite3 (scripts/setup.sh installs it)"
fi
if [ -x /usr/bin/python3 ]; then
	same "python3 -c" /usr/bin/python3 -c 'import sys; print(sum(i * i for i in range(2000)), sorted("mmsim"), sys.argv)'
	# libm through lazily bound PLT entries: ld.so's _dl_runtime_resolve
	# saves the XMM argument registers with FXSAVE (CR4.OSFXSR)
	same "python3 int/float/math" /usr/bin/python3 -c 'import math; print(int("12345") + 1, math.log(10), math.sin(1), math.pow(2, 0.5), 2.5 * 3)'
else
	bad "no /usr/bin/python3 (scripts/setup.sh installs it)"
fi

# 2. no --root: one line, exit 2
"$MMSIM" run -q /usr/bin/true > /dev/null 2> "$T/err"
rc=$?
[ $rc -eq 2 ] && [ "$(wc -l < "$T/err")" -eq 1 ] && grep -q "/lib64/ld-linux-x86-64.so.2" "$T/err" &&
	grep -q -- "--root /" "$T/err" && ok "no --root: exit 2, $(cat "$T/err")" ||
	{ bad "no --root: exit $rc"; cat "$T/err"; }

# 3. start-up faults against the native ru_minflt
cat > "$T/minflt.c" <<'EOF'
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	(void)argc;
	int st;
	struct rusage ru;
	pid_t p = vfork();
	if (p == 0) {
		execv(argv[1], argv + 1);
		_exit(127);
	}
	wait4(p, &st, 0, &ru);
	fprintf(stderr, "%ld %ld\n", ru.ru_minflt, ru.ru_majflt);
	return 0;
}
EOF
if cc -O2 -o "$T/minflt" "$T/minflt.c" 2> /dev/null; then
	for prog in /usr/bin/true "/usr/bin/md5sum d/nums" "/usr/bin/sort -n d/nums" "/usr/bin/ls -la d"; do
		nat=$(cd "$T" && for i in 1 2 3 4 5; do $NATENV setarch -R "$T/minflt" $prog 2>&1 > /dev/null | cut -d' ' -f1; done | sort -n | sed -n 3p)
		(cd "$T" && "$MMSIM" run --json -o "$T/j" --root / -- $prog) > /dev/null 2>&1
		set -- $(python3 -c "import json,sys; d=json.load(open(sys.argv[1]))['faults']; print(d['total'], d['major'])" "$T/j")
		d=$(($1 - nat))
		[ ${d#-} -le 4 ] && [ "$2" = 0 ] && ok "$prog: $1 faults, native $nat" ||
			bad "$prog: $1 faults ($2 major), native $nat"
	done
else
	echo "skip: no C compiler for the native fault count"
fi

# 4. the layout: PIE at 0x555555554000, ld.so below the mmap base
maps() { grep -e ' /usr/bin/cat$' -e 'ld-linux-x86-64' -e '\[heap\]' -e '\[stack\]' | awk '{ print $1, $2, $3, $6 }'; }
$NATENV setarch -R /usr/bin/cat /proc/self/maps | maps > "$T/n.maps"
"$MMSIM" run -q --root / -- /usr/bin/cat /proc/self/maps | maps > "$T/s.maps"
grep -q "^555555554000-.* /usr/bin/cat$" "$T/s.maps" && grep -q "ld-linux-x86-64.so.2$" "$T/s.maps" &&
	cmp -s "$T/n.maps" "$T/s.maps" && ok "cat /proc/self/maps: the native layout (setarch -R)" ||
	{ bad "maps differ from native setarch -R"; diff "$T/n.maps" "$T/s.maps" | head -10; }

# 5. libc's text frames shared by two processes
"$MMSIM" run -q --root / -- /bin/busybox sh -c \
	'/usr/bin/sleep 1 & /usr/bin/cat /proc/$!/smaps; wait' > "$T/smaps" 2> "$T/err"
awk '/r-xp .*libc\.so\.6$/ { f = 1; next } f && /^Rss:/ { r = $2 } f && /^Pss:/ { p = $2 }
     f && /^Shared_Clean:/ { s = $2; print r, p, s; exit }' "$T/smaps" > "$T/libc"
read -r rss pss shared < "$T/libc" || rss=
[ -n "$rss" ] && [ "$shared" -gt 0 ] && [ "$pss" -lt "$rss" ] &&
	ok "libc text shared by two processes: Rss $rss kB, Pss $pss kB, Shared_Clean $shared kB" ||
	{ bad "libc text not shared: '$(cat "$T/libc")'"; head -3 "$T/err"; }

# 6. no unknown system calls but socket
"$MMSIM" run --json -o "$T/j" --root / -- /usr/bin/ls -la /usr/bin/true > /dev/null 2>&1
python3 - "$T/j" <<'EOF' && ok "ls -la: no unknown system call but socket" || bad "unknown system calls"
import json, sys
u = [x for x in json.load(open(sys.argv[1]))["unknown_syscalls"] if x["name"] != "socket"]
assert not u, u
EOF

# 7. determinism: the same dynamic run twice gives the same --json
for i in 1 2; do
	(cd "$T" && "$MMSIM" run --json -o "$T/det$i" --root / -- /usr/bin/sort -n d/nums) > /dev/null 2>&1
done
cmp -s "$T/det1" "$T/det2" && ok "sort -n twice: identical --json" || bad "two runs of sort differ in --json"

# 8. posix_fadvise and the xattr calls `ls -l` and `cp -a` make: Linux's
#    results and errno values (a static C program, natively and in mmsim)
cat > "$T/xattr.c" <<'EOF'
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/xattr.h>
#include <unistd.h>
static void show(const char *what, long r, int e) { printf("%s: %ld %s\n", what, r, r < 0 ? strerror(e) : r ? strerror((int)r) : "ok"); }
int main(int argc, char **argv)
{
	int fd = open(argv[1], O_RDONLY), p[2];
	char buf[256];
	(void)argc;
	if (fd < 0 || pipe(p))
		return 1;
	show("fadvise sequential", posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL), 0);
	show("fadvise advice 9", posix_fadvise(fd, 0, 0, 9), 0);
	show("fadvise len -1", posix_fadvise(fd, 0, -1, 0), 0);
	show("fadvise pipe", posix_fadvise(p[0], 0, 0, 0), 0);
	show("fadvise fd 99", posix_fadvise(99, 0, 0, 0), 0);
	errno = 0; show("getxattr user.x", getxattr(argv[1], "user.x", buf, sizeof buf), errno);
	errno = 0; show("getxattr bogus.x", getxattr(argv[1], "bogus.x", buf, sizeof buf), errno);
	errno = 0; show("getxattr empty name", getxattr(argv[1], "", buf, sizeof buf), errno);
	errno = 0; show("getxattr missing file", getxattr("/nonexistent", "user.x", buf, sizeof buf), errno);
	errno = 0; show("lgetxattr acl", lgetxattr(argv[1], "system.posix_acl_access", buf, sizeof buf), errno);
	errno = 0; show("listxattr", listxattr(argv[1], buf, sizeof buf), errno);
	errno = 0; show("fgetxattr pipe", fgetxattr(p[0], "user.x", buf, sizeof buf), errno);
	errno = 0; show("fgetxattr fd 99", fgetxattr(99, "user.x", buf, sizeof buf), errno);
	errno = 0; show("flistxattr", flistxattr(fd, buf, sizeof buf), errno);
	return 0;
}
EOF
if cc -O2 -static -o "$T/xattr" "$T/xattr.c" 2> /dev/null; then
	"$T/xattr" "$D/words" > "$T/n.out" 2>&1
	"$MMSIM" run -q --root / -- "$T/xattr" "$D/words" > "$T/s.out" 2>&1
	cmp -s "$T/n.out" "$T/s.out" && ok "posix_fadvise, getxattr, listxattr: native results" ||
		{ bad "fadvise/xattr differ from native"; diff "$T/n.out" "$T/s.out"; }
fi

echo "dynamic: $pass passed, $fail failed"
[ $fail -eq 0 ]
