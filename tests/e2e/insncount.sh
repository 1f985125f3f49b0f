#!/bin/sh
# Instruction counts of a block cut short by a fault (suite 'e2e').
# Usage: insncount.sh MMSIM (also CPU exceptions: #DE/#UD faults, int3 traps)
# Hand-assembled static ELFs (written here with python3) whose only block
# faults part-way: the instructions before the faulting one retire, the
# faulting one and the rest of the block do not (as `perf stat -e
# instructions:u` counts on Linux).  A resolved fault in the middle of a
# block (demand-zero .bss page) does not change the count.
set -u
MMSIM=$1
T=$(mktemp -d "${TMPDIR:-/tmp}/mmsim-insncount.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

fail() {
	echo "FAIL [insncount]: $*" >&2
	exit 1
}

# mkelf FILE HEXCODE: code at 0x401000 (R+X), a 4 KiB .bss at 0x600000 (R+W)
mkelf() {
	python3 - "$1" "$2" <<'PY' || fail "cannot write $1"
import struct, sys
code = bytes.fromhex(sys.argv[2])
eh = struct.pack('<16sHHIQQQIHHHHHH', b'\x7fELF\x02\x01\x01' + bytes(9), 2, 62, 1, 0x401000, 64, 0, 0,
                 64, 56, 2, 0, 0, 0)
ph1 = struct.pack('<IIQQQQQQ', 1, 5, 0x1000, 0x401000, 0x401000, len(code), len(code), 0x1000)
ph2 = struct.pack('<IIQQQQQQ', 1, 6, 0x2000, 0x600000, 0x600000, 0, 0x1000, 0x1000)
img = (eh + ph1 + ph2).ljust(0x1000, b'\0') + code
img = img.ljust(0x2000, b'\0')
open(sys.argv[1], 'wb').write(img)
PY
	chmod +x "$1"
}

# insns FILE EXPECTED_RC: run FILE, print the instruction count
insns() {
	"$MMSIM" run --json -o "$T/j" "$1" >"$T/out" 2>"$T/err"
	rc=$?
	[ "$rc" = "$2" ] || { cat "$T/err" >&2; fail "$1 exited $rc, wanted $2"; }
	python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['instructions'])" "$T/j"
}

MOV_EAX1=b801000000        # mov eax, 1
MOV_ECX2=b902000000        # mov ecx, 2
STORE0=89042500000000      # mov [0], eax          -> SIGSEGV
STOREBSS=89042500006000    # mov [0x600000], eax   -> demand-zero fault, resolved
NOPS=$(printf '90%.0s' $(seq 1 50))
EXIT=b83c00000031ff0f05    # mov eax, 60; xor edi, edi; syscall

# 2 instructions retire, then the store faults: 2, not the whole block (56)
mkelf "$T/a" "$MOV_EAX1$MOV_ECX2$STORE0$NOPS$EXIT"
n=$(insns "$T/a" 139) || exit 1
[ "$n" = 2 ] || fail "a block cut short by SIGSEGV after 2 instructions counted $n"

# a resolved fault mid-block, then SIGSEGV: 1 + 1 + 50 = 52
mkelf "$T/b" "$MOV_EAX1$STOREBSS$NOPS$STORE0$EXIT"
n=$(insns "$T/b" 139) || exit 1
[ "$n" = 52 ] || fail "resolved fault, 50 nops, then SIGSEGV counted $n, wanted 52"

# no fault: the whole program, 1 + 1 + 50 + 3 = 55
mkelf "$T/c" "$MOV_EAX1$STOREBSS$NOPS$EXIT"
n=$(insns "$T/c" 0) || exit 1
[ "$n" = 55 ] || fail "straight-line program of 55 instructions counted $n"

# CPU exceptions: a fault (#DE, #UD) does not retire, a trap (int3) does
DIV0=31c9f7f1              # xor ecx, ecx; div ecx  -> #DE, SIGFPE
UD2=0f0b                   # ud2                    -> #UD, SIGILL
INT3=cc                    # int3                   -> #BP, SIGTRAP
mkelf "$T/d" "$MOV_EAX1$DIV0$NOPS$EXIT"
n=$(insns "$T/d" 136) || exit 1
[ "$n" = 2 ] || fail "mov, xor, then div by zero counted $n, wanted 2"
mkelf "$T/e" "$MOV_EAX1$MOV_ECX2$UD2$NOPS$EXIT"
n=$(insns "$T/e" 132) || exit 1
[ "$n" = 2 ] || fail "two movs, then ud2 counted $n, wanted 2"
grep -q "CPU exception 6" "$T/err" || fail "ud2 not reported as CPU exception 6 (#UD)"
mkelf "$T/f" "$MOV_EAX1$MOV_ECX2$INT3$NOPS$EXIT"
n=$(insns "$T/f" 133) || exit 1
[ "$n" = 3 ] || fail "two movs, then int3 counted $n, wanted 3 (a trap retires)"
# int $0x80 from 64-bit code: the i386 ABI (write, exit), as natively
MSGADDR=$(python3 -c "import struct; print(struct.pack('<I', 0x401000 + 34).hex())")
H80="b804000000bb01000000b9${MSGADDR}ba06000000cd80b801000000bb03000000cd80$(printf 'hi 80\n' | od -An -tx1 | tr -d ' \n')"
mkelf "$T/g" "$H80"
"$MMSIM" run -q "$T/g" >"$T/g.out" 2>"$T/g.err"
rc=$?
[ "$rc" = 3 ] || { cat "$T/g.err" >&2; fail "int 0x80 exit(3) gave $rc"; }
[ "$(cat "$T/g.out")" = "hi 80" ] || fail "int 0x80 write printed '$(cat "$T/g.out")'"
if "$T/g" >"$T/g.native" 2>/dev/null; [ $? = 3 ]; then
	cmp -s "$T/g.out" "$T/g.native" || fail "int 0x80 output differs from the native run"
fi
# an i386 call mmsim does not map (106, stat: struct layout differs): -ENOSYS, listed
mkelf "$T/h" "b86a000000cd80f7d889c3b801000000cd80"
"$MMSIM" run "$T/h" >/dev/null 2>"$T/h.err"
rc=$?
[ "$rc" = 38 ] || fail "unmapped i386 call returned $rc, wanted ENOSYS (38)"
grep -q "ia32_syscall" "$T/h.err" || fail "unmapped i386 call not listed in the summary"
exit 0
