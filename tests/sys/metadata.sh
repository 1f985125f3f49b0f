#!/bin/sh
# tests/sys/metadata.sh MMSIM DIRMETA_SRC - issue 8's directory order, file
# metadata and limits, each command run natively and under `mmsim run` in
# the same test: busybox find (the host's directory order), stat -c with
# every numeric field, ls -l/-li/-la/--full-time, du -k, the bytes of
# tar cf, a glibc program printing statx/lstat and getdents64/telldir/
# seekdir; `ulimit -a` of busybox sh and bash-static (the lines that depend
# on the machine's RAM computed for the simulated RAM), setrlimit/prlimit
# round trips and errors, descriptors up to RLIMIT_NOFILE.
set -u
MMSIM=$1
DIRMETA_SRC=$2
BB=/bin/busybox
BASH=/bin/bash-static
T=$(mktemp -d /var/tmp/mmsim-meta.XXXXXX) # not /tmp: the guest has its own (a tmpfs)
trap 'rm -rf "$T"' EXIT
fail=0
pass=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }
# The guest sees the host's / (so /etc/passwd names uid 0 as natively) and
# starts in the test directory.
sim() { timeout 30 "$MMSIM" run -q --root / "$@"; }
# same NAME NATIVE_FILE SIM_FILE: the two outputs are byte-identical
same() {
	if cmp -s "$2" "$3"; then ok "$1"
	else bad "$1"; diff "$2" "$3" | head -8; fi
}
# cmp_cmd NAME SHELL_CMD: SHELL_CMD under busybox sh in $T, native vs mmsim
cmp_cmd() {
	(cd "$T" && "$BB" sh -c "$2") > "$T/native.out" 2>&1
	echo "rc=$?" >> "$T/native.out"
	sim -- "$BB" sh -c "cd '$T' && $2" > "$T/sim.out" 2>&1
	echo "rc=$?" >> "$T/sim.out"
	same "$1" "$T/native.out" "$T/sim.out"
}

# A directory with files of odd sizes, a sparse file, an empty file, a hard
# link, symlinks (one dangling), subdirectories and enough names that a
# hashed directory's order is not the sorted one.
D=$T/d
mkdir -p "$D/sub/deeper" "$D/empty_dir"
printf 'hello' > "$D/a"
head -c 5000 /dev/urandom > "$D/odd"
head -c 4097 /dev/zero > "$D/page_and_one"
: > "$D/empty"
truncate -s 10M "$D/sparse"
printf 'tail' | dd of="$D/sparse_tail" bs=1 seek=3000000 2>/dev/null
ln "$D/a" "$D/hard"
ln -s a "$D/link"
ln -s nowhere "$D/dangling"
echo x > "$D/sub/x"
echo y > "$D/sub/deeper/y"
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo "$i" > "$D/file$i"; done
chmod 0600 "$D/file1"; chmod 4755 "$D/file2"; chmod 0444 "$D/file3"
# ls -l prints "Mon DD HH:MM" within 6 months of now, else the year: the
# guest's clock starts at 2024-01-01 (deterministic), so the times are set
# far from both clocks.  ls --full-time and stat below see them exactly.
find "$T" -exec touch -h -d '2020-06-01 12:34:56.123456789' {} +
atime_before=$(stat -c %X "$D/file4")

# 1. metadata, before anything reads the files (reads move atimes)
F='%d %i %b %B %s %h %u %g %X %Y %Z %a %F %n'
cmp_cmd "stat -c '$F'" "stat -c '$F' d d/* d/sub/* d/sub/deeper/*"
cmp_cmd "stat -L (follows symlinks)" "stat -L -c '$F' d/link d/a"
cmp_cmd "ls -l" "ls -l d d/sub"
cmp_cmd "ls -li" "ls -li d"
cmp_cmd "ls -la (. and ..)" "ls -la d/sub"
cmp_cmd "ls -ls --full-time" "ls -ls --full-time d"
cmp_cmd "du -k" "du -k d"
cmp_cmd "du -ak" "du -ak d"
gcc -static -O1 -o "$T/dirmeta" "$DIRMETA_SRC" 2> "$T/cc.err" || { bad "gcc -static dirmeta"; cat "$T/cc.err"; }
if [ -x "$T/dirmeta" ]; then
	args="d/a d/hard d/link d/sparse d/sparse_tail d/empty d/sub d -d d -d d/sub -d d/empty_dir"
	cmp_cmd "statx/lstat fields, getdents64 order, telldir/seekdir" "./dirmeta $args"
fi

# 2. directory order: find prints the file system's own order
cmp_cmd "find DIR" "find d"
cmp_cmd "find DIR -type f -size" "find d -type f -size +1k"
sort_find=$(cd "$T" && "$BB" find d | sort | md5sum)
raw_find=$(cd "$T" && "$BB" find d | md5sum)
[ "$sort_find" != "$raw_find" ] && ok "native find order is not sorted (the test can fail)" ||
	echo "note: native find order happens to be sorted on this file system"

# 3. simulator runs are deterministic and leave the root's atimes alone
sim -- "$BB" sh -c "cd '$T' && stat -c '$F' d/* && find d && cat d/file4 > /dev/null" > "$T/r1" 2>&1
sim -- "$BB" sh -c "cd '$T' && stat -c '$F' d/* && find d && cat d/file4 > /dev/null" > "$T/r2" 2>&1
same "two mmsim runs agree" "$T/r1" "$T/r2"
[ "$(stat -c %X "$D/file4")" = "$atime_before" ] && ok "mmsim reads do not change host atimes" ||
	bad "atime of d/file4 moved from $atime_before to $(stat -c %X "$D/file4")"

# 4. archive bytes (reads the files: last of the metadata checks)
(cd "$T" && "$BB" tar cf - d) > "$T/native.tar"
sim -- "$BB" sh -c "cd '$T' && tar cf - d" > "$T/sim.tar"
same "tar cf - DIR (bytes)" "$T/native.tar" "$T/sim.tar"
(cd "$T" && "$BB" tar cf - d | md5sum) > "$T/native.md5"
sim -- "$BB" sh -c "cd '$T' && tar cf - d | md5sum" > "$T/sim.md5"
same "tar cf - DIR | md5sum" "$T/native.md5" "$T/sim.md5"

# 5. ulimit -a: Linux's boot values for the simulated RAM (fork_init():
# max_threads = RAM pages / 32, NPROC = SIGPENDING = max_threads / 2) and a
# fresh login's "open files" 1024 (the sandbox's own may differ); every
# other line as natively.
expected_nproc() { # MemTotal kB -> RLIMIT_NPROC
	threads=$(($1 / 4 / 32))
	[ $threads -lt 20 ] && threads=20
	echo $((threads / 2))
}
fix_ulimit() { # NPROC < native ulimit -a > expected
	sed -e "/pending signals/s/[0-9][0-9]*\$/$1/" -e "/max user processes/s/[0-9][0-9]*\$/$1/" \
	    -e "/open files/s/[0-9][0-9]*\$/1024/"
}
for mem in 256M 1G; do
	kb=$(sim --mem $mem -- "$BB" awk '/MemTotal/ { print $2 }' /proc/meminfo)
	np=$(expected_nproc "$kb")
	"$BB" sh -c 'ulimit -a' | fix_ulimit "$np" > "$T/native.ul"
	sim --mem $mem -- "$BB" sh -c 'ulimit -a' > "$T/sim.ul" 2>&1
	same "busybox sh ulimit -a (--mem $mem, nproc $np)" "$T/native.ul" "$T/sim.ul"
	"$BASH" -c 'ulimit -a' | fix_ulimit "$np" > "$T/native.ul"
	sim --mem $mem -- "$BASH" -c 'ulimit -a' > "$T/sim.ul" 2>&1
	same "bash-static ulimit -a (--mem $mem)" "$T/native.ul" "$T/sim.ul"
done
sim -- "$BASH" -c 'ulimit -Ha' > "$T/hard.ul" 2>&1
for want in "core file size .*unlimited" "open files .* 524288" "stack size .*unlimited" \
	    "max locked memory .* 8192" "scheduling priority .* 0" "real-time priority .* 0"; do
	grep -q "$want\$" "$T/hard.ul" && ok "hard limit: $want" || { bad "hard limit: $want"; cat "$T/hard.ul"; }
done
grep -q "^SigQ:	0/$(expected_nproc "$(sim -- "$BB" awk '/MemTotal/ { print $2 }' /proc/meminfo)")\$" \
	"$(sim -- "$BB" cat /proc/self/status > "$T/status"; echo "$T/status")" &&
	ok "/proc/self/status SigQ shows RLIMIT_SIGPENDING" || { bad "SigQ"; grep SigQ "$T/status"; }

# 6. every limit settable (setrlimit/prlimit64), errors as natively.  The
# native side runs without CAP_SYS_RESOURCE in some sandboxes, so the
# compared commands only lower hard limits; raising them (which a root
# login may do) is checked against expected values.
cmp_cmd "ulimit -s/-c/-n/-l/-q/-u/-i/-t/-v/-d/-f/-x/-e/-r set and read back" \
	'ulimit -s 4096; ulimit -s; ulimit -c 100; ulimit -c; ulimit -n 512; ulimit -n; ulimit -l 64; ulimit -l
	 ulimit -q 1000; ulimit -q; ulimit -u 77; ulimit -u; ulimit -i 99; ulimit -i; ulimit -t 100; ulimit -t
	 ulimit -v 1000000; ulimit -v; ulimit -d 100000; ulimit -d; ulimit -f 1000; ulimit -f; ulimit -x 10; ulimit -x
	 ulimit -e 0; ulimit -e; ulimit -r 0; ulimit -r'
cmp_cmd "soft above hard: EINVAL; hard above fs.nr_open: EPERM" \
	'ulimit -n 512; ulimit -Sn 600; echo rc=$?; ulimit -Hn 256; echo rc=$?; ulimit -Sn 100; ulimit -Hn 256
	 ulimit -Sn; ulimit -Hn; ulimit -Hn 2000000; echo rc=$?; ulimit -Sn 300; echo rc=$?'
cmp_bash() { # NAME BASH_CMD
	"$BASH" -c "$2" > "$T/native.out" 2>&1; echo "rc=$?" >> "$T/native.out"
	sim -- "$BASH" -c "$2" > "$T/sim.out" 2>&1; echo "rc=$?" >> "$T/sim.out"
	same "$1" "$T/native.out" "$T/sim.out"
}
cmp_bash "bash ulimit -S/-H round trip" \
	'ulimit -Ss 4096; ulimit -Ss; ulimit -Hs; ulimit -Hs 65536; ulimit -Hs; ulimit -Ss 70000; echo rc=$?; ulimit -Se 1; echo rc=$?'
out=$(sim -- "$BB" sh -c 'ulimit -e 10; ulimit -e; ulimit -r 5; ulimit -r; ulimit -Hn 600000; ulimit -Hn' 2>&1 | tr '\n' ' ')
[ "$out" = "10 5 600000 " ] && ok "root raises nice, rtprio and NOFILE hard limits" || bad "raising limits: '$out'"

# 7. descriptors up to RLIMIT_NOFILE, and beyond 1024 once it is raised
cmp_cmd "fds below RLIMIT_NOFILE only" \
	'ulimit -Sn 1024; exec 1023</dev/null && echo ok1023; (exec 1024</dev/null); echo rc=$?
	 ulimit -Sn 4096; exec 3000</dev/null && echo ok3000; ulimit -Sn 100; (exec 200</dev/null); echo rc=$?'

echo "metadata: $pass passed, $fail failed"
[ $fail -eq 0 ]
