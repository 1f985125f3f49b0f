#!/bin/sh
# fetch_edge.sh MMSIM SRC_DIR: instruction fetch near the end of a page
# (issue 8, "A correct program is killed at exit"; suite 'e2e').
#
# A static program whose last code (_fini) sat at page offsets 0xe68-0xfb8
# was killed at exit with a refused fetch from the next (read-only) page:
# the block hook trusted the size of a block Unicorn had translated from
# the page's placeholder before the model showed its frame.  Here
# fetch_pad.c is built with gcc -O2 -static (glibc) and musl-gcc -static
# with padding chosen (from a first build's segment end, read with readelf)
# so that the end of the text segment, i.e. the last instruction, falls
# across the last 0x200 bytes of a page: every 16 bytes, every byte of the
# last 0x20, the exact page end, and a few bytes into the next page.  Each
# build runs natively and under `mmsim run`: stdout and exit status must
# be the same.  The scan must hit 0xe68-0xfb8 with the issue's own
# reproducer (padding in .text) too.
#
# Then genuine refused fetches must stay SIGSEGV with the report, as the
# CPU does: hand-made ELFs whose code runs off the end of its executable
# page into a read-only or unmapped page.  The instruction that crosses
# the page end faults (RIP), at the first address of the next page, after
# the instructions before it retired.
set -u
MMSIM=$1
SRC=$2/fetch_pad.c
T=$(mktemp -d "${TMPDIR:-/tmp}/mmsim-fetch.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
n=0

fail() {
	echo "FAIL [fetch_edge]: $*" >&2
	exit 1
}

# text_end FILE: end address of FILE's executable PT_LOAD segment
text_end() {
	# shellcheck disable=SC2046
	set -- $(readelf -lW "$1" | awk '$1 == "LOAD" && $8 == "E" { print $3, $6 }')
	[ $# = 2 ] || fail "no single executable PT_LOAD segment"
	echo $(($1 + $2))
}

# page_off END: offset of END in the page holding its last byte (1..0x1000)
page_off() {
	echo $(( (($1 - 1) & 4095) + 1 ))
}

# build CC KIND PAD: KIND is text or fini; prints the binary's name
build() {
	out=$T/$(basename "$1")-$2-$3
	def=
	[ "$2" = fini ] && def=-DFINI_PAD
	# shellcheck disable=SC2086
	"$1" -O2 -static $def -DPAD="$3" -o "$out" "$SRC" 2>"$out.cc" || { cat "$out.cc" >&2; fail "$1 $2 PAD=$3 did not build"; }
	echo "$out"
}

# same_as_native BIN: stdout and exit status natively and under mmsim
same_as_native() {
	"$1" >"$T/native.out" 2>/dev/null
	nrc=$?
	"$MMSIM" run -q "$1" >"$T/sim.out" 2>"$T/sim.err"
	src=$?
	off=$(printf '0x%x' "$(page_off "$(text_end "$1")")")
	[ "$nrc" = 0 ] || fail "$1 (text ends at page offset $off) exited $nrc natively"
	if [ "$src" != "$nrc" ] || ! cmp -s "$T/native.out" "$T/sim.out"; then
		head -n 4 "$T/sim.err" >&2
		fail "$(basename "$1"): text ends at page offset $off: mmsim exit $src, native $nrc, or stdout differs"
	fi
	n=$((n + 1))
}

# scan CC KIND TARGETS...: build with the padding that puts the text end at
# each target page offset (after a first build with no padding), in
# parallel, then compare each with native; prints the offsets reached
scan() {
	cc=$1
	kind=$2
	shift 2
	b0=$(build "$cc" "$kind" 0) || exit 1
	e0=$(page_off "$(text_end "$b0")")
	for t in "$@"; do
		echo $(( (t - e0) & 4095 ))
	done | sort -un >"$T/pads"
	export T SRC
	# shellcheck disable=SC2016
	xargs -P 2 -I{} sh -c 'd=; [ "$2" = fini ] && d=-DFINI_PAD
		"$1" -O2 -static $d -DPAD={} -o "$T/$(basename "$1")-$2-{}" "$SRC"' sh "$cc" "$kind" <"$T/pads" ||
		fail "$cc $kind builds failed"
	while read -r p; do
		b=$T/$(basename "$cc")-$kind-$p
		same_as_native "$b"
		page_off "$(text_end "$b")" >>"$T/reached-$kind"
	done <"$T/pads"
}

targets_fine() {
	t=$((0xe00))
	while [ $t -lt $((0xfe0)) ]; do echo $t; t=$((t + 16)); done
	while [ $t -le $((0x1008)) ]; do echo $t; t=$((t + 1)); done
}
targets_coarse() {
	t=$((0xe00))
	while [ $t -le $((0x1000)) ]; do echo $t; t=$((t + 32)); done
}

command -v musl-gcc >/dev/null || { echo "SKIP: no musl-gcc"; exit 77; }
for cc in gcc musl-gcc; do
	rm -f "$T/reached-fini" "$T/reached-text"
	# shellcheck disable=SC2046
	scan "$cc" fini $(targets_fine)
	# byte steps near the end, the exact page end, and into the next page
	for want in 4064 4065 4095 4096 1 8; do
		grep -qx "$want" "$T/reached-fini" || fail "$cc: no build with its text ending at page offset $want"
	done
	# shellcheck disable=SC2046
	scan "$cc" text $(targets_coarse)
	awk -v lo=$((0xe68)) -v hi=$((0xfb8)) '$1 >= lo && $1 <= hi { k++ } END { exit !(k >= 3) }' "$T/reached-text" ||
		fail "$cc: the .text padding scan reached fewer than 3 page offsets in 0xe68-0xfb8"
	echo "ok: $cc: $(sort -un "$T/reached-fini" | wc -l) + $(sort -un "$T/reached-text" | wc -l) text-end offsets same as native"
done

# ---- genuine refused fetches: code running off its executable page ----
# mkelf FILE CODE_HEX SECOND: CODE_HEX ends exactly at 0x402000, the end of
# the R+X page at 0x401000 (entered by a jmp at 0x401000); the page at
# 0x402000 is SECOND (r: readable, not executable; none: unmapped); a
# 4 KiB .bss at 0x600000.
mkelf() {
	python3 - "$@" <<'PY' || fail "cannot write $1"
import os, struct, sys
code = bytes.fromhex(sys.argv[2])
start = 0x1000 - len(code)
page = b'\xe9' + struct.pack('<i', start - 5) + b'\x90' * (start - 5) + code
ph = [struct.pack('<IIQQQQQQ', 1, 5, 0x1000, 0x401000, 0x401000, 0x1000, 0x1000, 0x1000)]
if sys.argv[3] == 'r':
    ph.append(struct.pack('<IIQQQQQQ', 1, 4, 0x2000, 0x402000, 0x402000, 0x1000, 0x1000, 0x1000))
ph.append(struct.pack('<IIQQQQQQ', 1, 6, 0x3000, 0x600000, 0x600000, 0, 0x1000, 0x1000))
eh = struct.pack('<16sHHIQQQIHHHHHH', b'\x7fELF\x02\x01\x01' + bytes(9), 2, 62, 1, 0x401000, 64, 0, 0,
                 64, 56, len(ph), 0, 0, 0)
img = (eh + b''.join(ph)).ljust(0x1000, b'\0') + page + b'\x90' * 0x1000 + b'\0' * 0x1000
open(sys.argv[1], 'wb').write(img)
os.chmod(sys.argv[1], 0o755)
PY
}

# refused FILE REPORT INSNS: SIGSEGV natively and under mmsim, with REPORT
# in the report and INSNS instructions retired
refused() {
	"$1" >/dev/null 2>&1
	nrc=$?
	[ "$nrc" = 139 ] || fail "$1 exited $nrc natively, wanted 139 (SIGSEGV)"
	"$MMSIM" run --json -o "$T/j" "$1" >/dev/null 2>"$T/err"
	rc=$?
	[ "$rc" = "$nrc" ] || { cat "$T/err" >&2; fail "$1 exited $rc under mmsim, natively $nrc"; }
	grep -qF "$2" "$T/err" || { head -n 4 "$T/err" >&2; fail "$1: report lacks '$2'"; }
	i=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['instructions'])" "$T/j")
	[ "$i" = "$3" ] || fail "$1: $i instructions retired, wanted $3"
	n=$((n + 1))
}

MOV_EAX1=b801000000         # mov eax, 1
STOREBSS=89042500006000     # mov [0x600000], eax (a demand-zero fault, resolved)
CROSS=b83c00                # mov eax, imm32: 3 of its 5 bytes on the next page
# jmp, mov, store retire; the crossing mov faults at 0x402000, RIP 0x401ffd
mkelf "$T/nx" "$MOV_EAX1$STOREBSS$CROSS" r
refused "$T/nx" "killed by SIGSEGV: exec at 0x402000 (instruction fetch refused, SEGV_ACCERR)" 3
grep -qF "RIP 0x401ffd" "$T/err" || { head -n 3 "$T/err" >&2; fail "nx: RIP is not the crossing instruction"; }
mkelf "$T/unmapped" "$MOV_EAX1$STOREBSS$CROSS" none
refused "$T/unmapped" "killed by SIGSEGV: exec at 0x402000 (not mapped, SEGV_MAPERR)" 3
grep -qF "RIP 0x401ffd" "$T/err" || { head -n 3 "$T/err" >&2; fail "unmapped: RIP is not the crossing instruction"; }
# the crossing instruction first in its block (the jmp lands on it)
mkelf "$T/first" "$CROSS" r
refused "$T/first" "exec at 0x402000 (instruction fetch refused, SEGV_ACCERR)" 1
# running straight onto a read-only page at its first byte
mkelf "$T/onto" "$MOV_EAX1" r
refused "$T/onto" "exec at 0x402000 (instruction fetch refused, SEGV_ACCERR)" 2
grep -qF "RIP 0x402000" "$T/err" || { head -n 3 "$T/err" >&2; fail "onto: RIP is not 0x402000"; }
echo "ok: $n runs same as native"
