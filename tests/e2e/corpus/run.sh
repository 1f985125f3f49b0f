#!/bin/sh
# Corpus of ordinary command lines and small C programs run natively and
# under `mmsim run -q --root /`, compared byte for byte (stdout, stderr, exit
# status).  Prints one line per case:
#   same ID         identical
#   DIFF ID         stdout, stderr or exit status differ (what differs follows)
#   HANG ID         mmsim did not finish within the time limit
#   MMSIM-ERR ID    mmsim itself failed (125 deadlock, 126 emulator error)
#   SKIP ID         the C program could not be built here
#   VARY ID         (with -2) two native runs differ: a bad corpus case
# then "N identical of M" and exits non-zero unless all ran cases are identical.
#
# Usage: run.sh [-k KEEPDIR] [-t SECONDS] [-2] [-x EXPECTED] MMSIM [CORPUS] [ID...]
#   -k KEEPDIR  keep native/mmsim outputs of non-identical cases in KEEPDIR/ID/
#   -t SECONDS  time limit per run (default 30)
#   -2          run each case natively twice and report VARY if they differ
#   -x FILE     expected results (lines "same ID"/"DIFF ID"...): fail only on
#               cases whose result is not the expected one (regression mode)
# CORPUS (default corpus.txt next to this script) has one case per line:
#   ID STDIN ARGV...
# STDIN is '-' (empty) or a file; ARGV is shell-quoted, with @D@ replaced by a
# generated data directory, @S@ by the sh/ scripts directory, @BB@ by a
# directory of busybox applet links (so bash scripts run static tools), and
# @B@ by the directory of the built C programs
# (c/NAME.c is built as @B@/NAME.glibc with gcc -O2 -static and as
# @B@/NAME.musl with musl-gcc -O2 -static; a "/* LIBS: ... */" line in the
# source adds link flags).  Both runs get cwd / and the environment mmsim
# gives its guests (PATH and HOME=/ only).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
KEEP= LIMIT=30 TWICE= EXPECT=
while getopts k:t:2x: o; do
	case $o in
	k) KEEP=$OPTARG ;;
	t) LIMIT=$OPTARG ;;
	2) TWICE=1 ;;
	x) EXPECT=$OPTARG ;;
	*) echo "usage: run.sh [-k KEEPDIR] [-t SECONDS] [-2] [-x EXPECTED] MMSIM [CORPUS] [ID...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { echo "run.sh: MMSIM (path to the mmsim binary) is required" >&2; exit 2; }
MMSIM=$1
shift
[ -x "$MMSIM" ] || { echo "run.sh: MMSIM '$MMSIM' is not executable" >&2; exit 2; }
MMSIM=$(cd "$(dirname "$MMSIM")" && pwd)/$(basename "$MMSIM")
CORPUS=$HERE/corpus.txt
if [ $# -ge 1 ] && [ -f "$1" ]; then CORPUS=$1; shift; fi
[ -r "$CORPUS" ] || { echo "run.sh: corpus '$CORPUS' not readable" >&2; exit 2; }
ONLY="$*"
# Not under /tmp: the guest's /tmp is its own tmpfs, which shadows the
# host's, and the data directory must be visible in the guest.
T=$(mktemp -d "${CORPUS_TMPDIR:-/var/tmp}/mmsim-corpus.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
# The scripts too: a checkout under /tmp is invisible to the guest.
cp -R "$HERE/sh" "$T/sh" || exit 1
GUEST_PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin

# make_data DIR: small deterministic files and a tree with fixed times
make_data() {
	d=$1
	mkdir -p "$d/tree/sub/deeper" "$d/tree/empty"
	printf '%s\n' banana apple cherry apple date elderberry fig banana grape apple \
		kiwi lemon mango banana nectarine > "$d/words"
	i=1
	while [ $i -le 200 ]; do echo "$((i * 7919 % 1000)) item$i $((i % 13))"; i=$((i + 1)); done > "$d/nums"
	printf 'name,age,city\nalice,30,paris\nbob,25,london\ncarol,35,paris\ndave,40,berlin\neve,28,london\n' > "$d/people.csv"
	printf 'line one\n\tTabbed line two\nLINE THREE with UPPER\n\nlast line without newline' > "$d/text"
	i=0
	while [ $i -lt 256 ]; do printf "\\$(printf %o $i)"; i=$((i + 1)); done > "$d/bytes"
	printf 'alpha\nbeta\ngamma\ndelta\n' > "$d/a.txt"
	printf 'alpha\nBETA\ngamma\nepsilon\ndelta\n' > "$d/b.txt"
	echo "hello tree" > "$d/tree/readme"
	seq 1 500 > "$d/tree/sub/numbers"
	printf '#!/bin/sh\necho script\n' > "$d/tree/sub/run.sh"
	chmod 755 "$d/tree/sub/run.sh"
	echo deep > "$d/tree/sub/deeper/file.dat"
	ln -s ../readme "$d/tree/sub/link"
	gzip -9n < "$d/nums" > "$d/nums.gz"
	(cd "$d" && md5sum words nums a.txt) > "$d/sums.md5"
	find "$d" -exec touch -h -d '2021-03-04 05:06:07 UTC' {} +
}

# build_c SRC: NAME.glibc and NAME.musl in $B (either may fail: SKIP)
build_c() {
	name=$(basename "$1" .c)
	libs=$(sed -n 's|^/\* LIBS: \(.*\) \*/$|\1|p' "$1")
	command -v gcc >/dev/null && gcc -O2 -static -o "$B/$name.glibc" "$1" $libs 2>>"$B/build.log"
	command -v musl-gcc >/dev/null && musl-gcc -O2 -static -o "$B/$name.musl" "$1" $libs 2>>"$B/build.log"
	return 0
}

D=$T/d B=$T/bin BB=$T/bb
mkdir -p "$D" "$B" "$BB"
for a in $(/bin/busybox --list); do ln -s /bin/busybox "$BB/$a"; done
make_data "$D"
for src in "$HERE"/c/*.c; do build_c "$src"; done

# run_native DIR STDIN ARGV...: out, err, rc in DIR
run_native() {
	dir=$1 in=$2
	shift 2
	# the outer subshell reports a death by signal (to /dev/null), not us
	( (cd / && exec env -i PATH=$GUEST_PATH HOME=/ timeout -s KILL "$LIMIT" "$@" <"$in" >"$dir/out" 2>"$dir/err")
	echo $? >"$dir/rc") 2>/dev/null
}

# run_mmsim DIR STDIN ARGV...: out, err, rc, secs in DIR
run_mmsim() {
	dir=$1 in=$2
	shift 2
	set -- --root / -- "$@"
	[ "$in" = /dev/null ] || set -- --stdin "$in" "$@"
	start=$(date +%s)
	( (cd / && exec timeout -s KILL "$LIMIT" "$MMSIM" run -q "$@" >"$dir/out" 2>"$dir/err")
	echo $? >"$dir/rc") 2>/dev/null
	echo $(($(date +%s) - start)) >"$dir/secs"
}

# what_differs NDIR MDIR: one line naming what differs
what_differs() {
	w=
	cmp -s "$1/out" "$2/out" || w="$w stdout"
	cmp -s "$1/err" "$2/err" || w="$w stderr"
	[ "$(cat "$1/rc")" = "$(cat "$2/rc")" ] || w="$w status($(cat "$1/rc") vs $(cat "$2/rc"))"
	echo "$w"
}

total=0 same=0 bad=0
while read -r id stdin rest; do
	case $id in '' | '#'*) continue ;; esac
	if [ -n "$ONLY" ]; then
		case " $ONLY " in *" $id "*) ;; *) continue ;; esac
	fi
	cmdline=$(printf '%s\n' "$rest" | sed "s|@D@|$D|g; s|@BB@|$BB|g; s|@B@|$B|g; s|@S@|$T/sh|g")
	eval "set -- $cmdline"
	in=/dev/null
	[ "$stdin" = - ] || in=$(printf '%s\n' "$stdin" | sed "s|@D@|$D|g")
	total=$((total + 1))
	case $1 in
	"$B"/*) [ -x "$1" ] || { echo "SKIP $id"; total=$((total - 1)); continue; } ;;
	esac
	N=$T/run/$id/native M=$T/run/$id/mmsim
	mkdir -p "$N" "$M"
	run_native "$N" "$in" "$@"
	if [ -n "$TWICE" ]; then
		mkdir -p "$N.2"
		run_native "$N.2" "$in" "$@"
		if [ -n "$(what_differs "$N" "$N.2")" ]; then
			echo "VARY $id:$(what_differs "$N" "$N.2")"
		fi
	fi
	run_mmsim "$M" "$in" "$@"
	mrc=$(cat "$M/rc")
	w=$(what_differs "$N" "$M")
	if [ -z "$w" ]; then
		res=same
		same=$((same + 1))
	elif [ "$mrc" = 137 ] && [ "$(cat "$M/secs")" -ge "$LIMIT" ]; then
		res=HANG
	elif [ "$mrc" = 125 ] || [ "$mrc" = 126 ]; then
		res=MMSIM-ERR
	else
		res=DIFF
	fi
	if [ "$res" = same ]; then
		echo "same $id"
	else
		echo "$res $id:$w"
		if [ -n "$KEEP" ]; then
			mkdir -p "$KEEP/$id"
			cp -r "$N" "$M" "$KEEP/$id/"
			printf '%s\n' "$cmdline" >"$KEEP/$id/cmdline"
		fi
	fi
	if [ -n "$EXPECT" ]; then
		grep -qx "$res $id" "$EXPECT" || { bad=$((bad + 1)); echo "  ^ unexpected (expected: $(grep " $id\$" "$EXPECT" || echo none))"; }
	fi
done <"$CORPUS"
echo "$same identical of $total"
if [ -n "$EXPECT" ]; then [ "$bad" = 0 ]; else [ "$same" = "$total" ]; fi
