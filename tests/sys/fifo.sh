#!/bin/sh
# tests/sys/fifo.sh MMSIM GUESTDIR - named pipes (mkfifo, mknod) on the
# guest's tmpfs, compared with native runs of the same static program
# (tests/sys/guests/fifo.c) and of busybox: a forked writer and a reader
# that each block in open until the other comes, Linux's open rules
# (O_NONBLOCK reader at once, O_NONBLOCK writer ENXIO, O_RDWR never blocks),
# stat/fstat/readdir/ls -l, errnos of mknod and of the other node types, a
# blocking open interrupted by a signal.  Under mmsim only: device nodes
# (EPERM: no CAP_MKNOD, but the 0:0 whiteout), EROFS below the read-only
# root, opens that block forever ending as a deadlock (exit 125), the same
# summary twice and a replay of the trace (deterministic).
set -u
MMSIM=$1
G=$2
BB=/bin/busybox
T=$(mktemp -d /var/tmp/mmsim-fifo.XXXXXX) # not /tmp: the guest has its own
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/compare.sh"

F=$G/sys_fifo
D=/tmp/mmsim-fifo-$$
same "mkfifo, forked writer and reader, 200000 bytes" "$F" basic "$D"
same "open rules: O_NONBLOCK, ENXIO, O_RDWR, poll, unlink while open" "$F" rules "$D"
same "mknod and mkfifo errnos, regular and socket nodes" "$F" errno "$D"
same "blocking opens interrupted by SIGALRM, and restarted with SA_RESTART" "$F" eintr "$D"
same "busybox mkfifo, ls -l, stat, find -type p, a pipeline through FIFOs" $BB sh -c \
	"mkdir $D && cd $D && mkfifo -m 600 p && mkfifo q && ls -l | cut -c1-10 && stat -c '%F %a %s %h' p q &&
	 test -p p && echo is-a-fifo; seq 1 5000 > p & wc -l < p; wait; cat q | tr a-z A-Z & echo hello > q; wait;
	 find . -type p | sort; ls -F; cd / && rm -r $D"
same "busybox: kill a cat blocked in open, reopen through /proc/self/fd, a late writer" $BB sh -c \
	"mkdir $D && cd $D && mkfifo f; cat f & sleep 1; kill \$!; wait \$!; echo killed \$?; exec 3<>f; echo x >&3;
	 head -c 2 /proc/self/fd/3; ls -l /proc/self/fd/3 | sed 's/.*-> //'; exec 3>&-; (sleep 1; echo late > f) & cat f;
	 wait; cd / && rm -r $D"
same "coreutils mkfifo -m (O_PATH, chmod through /proc/self/fd), stat" /bin/sh -c \
	"mkdir $D && /usr/bin/mkfifo -m 640 $D/f && /usr/bin/stat -c '%A %F %s' $D/f && ls -l $D | cut -c1-10 && rm -r $D"
same "bash: exec 3<> on a FIFO, read -u" /bin/bash-static -c \
	"PATH=/bin; $BB mkdir $D && $BB mkfifo $D/f && exec 3<>$D/f && echo through >&3 && read -u 3 l && echo \$l; $BB rm -r $D"

expect "mknod of devices: EPERM, the whiteout 0:0 allowed" 0 "mknod S_IFCHR 1:3: Operation not permitted
mknod S_IFBLK 7:0: Operation not permitted
mknod S_IFCHR 0:0 (whiteout): ok
  chardev 0:0
open it: No such device or address" --root / -- "$F" dev "$D"
expect "mkfifo and mknod below the read-only root: EROFS" 0 "mkfifo below the root: Read-only file system
mknod S_IFREG below the root: Read-only file system" --root / -- "$F" erofs /var/mmsim-fifo
expect "open O_RDONLY with no writer ever: deadlock" 125 \
	"mmsim run: deadlock: every process is blocked: pid 1 (sys_fifo) in wait_for_partner" -- "$F" hang "$D"
expect "two readers waiting on two FIFOs: deadlock" 125 \
	"mmsim run: deadlock: every process is blocked: pid 1 (sys_fifo) in wait_for_partner, pid 2 (sys_fifo) in wait_for_partner" \
	-- "$F" hang2 "$D"

# deterministic: the same summary (instructions, faults, context switches) twice
"$MMSIM" run --json -o "$T/a.json" -- "$F" basic "$D" > /dev/null 2>&1
"$MMSIM" run --json -o "$T/b.json" -- "$F" basic "$D" > /dev/null 2>&1
if [ -s "$T/a.json" ] && cmp -s "$T/a.json" "$T/b.json"; then ok "the same summary twice"
else bad "the same summary twice"; diff "$T/a.json" "$T/b.json" | head -5; fi

# the trace of a run with blocking opens replays event for event
"$MMSIM" run -q --trace "$T/run.db" -- "$F" basic "$D" > /dev/null 2>&1
if "$MMSIM" replay "$T/run.db" 2>&1 | grep -q ": identical: "; then ok "replay of a traced run: identical"
else bad "replay of a traced run"; "$MMSIM" replay "$T/run.db" 2>&1 | tail -3; fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
