#!/bin/sh
# elf_fuzz.sh MMSIM GUEST_DIR: malformed programs and ELF interpreters
# (issue 10, "Bad input and limits"; suite 'e2e').
#
# Every run must end as a bad program (exit 2, one line on stderr), a
# refused exec the program itself reports, a guest that runs or is killed
# (its own exit status or 128+signal, the summary written) or the
# instruction limit (124) - never an emulator error (126), a deadlock
# (125), an mmsim crash or a half-written summary.
#
#  1. The known case: the data segment's flags zeroed in guest/hello (the
#     byte of p_flags of its 4th program header).  Linux 6.x maps it
#     PROT_NONE, skips padzero of a segment it cannot write and gives .bss
#     read-write memory, so the program dies of SIGSEGV (SEGV_ACCERR) at
#     its first store to .data: exit 139, as natively.
#  2. 24 mutations of a dynamically linked program (/usr/bin/true: ELF and
#     program header fields, PT_INTERP, truncation) and 24 of its
#     interpreter (copies of ld.so the program's PT_INTERP names), from a
#     fixed seed, each from the command line, then all from one guest
#     shell (busybox sh), which must report the status of every one.
set -u
MMSIM=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
G=$2
T=$(mktemp -d /var/tmp/fz.XXXXXX) || exit 1 # not /tmp (the guest has its own, a tmpfs); short: see part 2
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }
LDSO=/lib64/ld-linux-x86-64.so.2
for p in /usr/bin/true $LDSO /bin/busybox; do
	[ -e $p ] || { echo "SKIP: no $p"; exit 77; }
done

# 1. hello with its data segment's flags zeroed
python3 - "$G/hello" "$T/h0" <<'EOF'
import struct, sys
d = bytearray(open(sys.argv[1], "rb").read())
phoff, = struct.unpack_from("<Q", d, 32)
loads = [i for i in range(struct.unpack_from("<H", d, 56)[0])
         if struct.unpack_from("<I", d, phoff + 56 * i)[0] == 1]
flags_at = phoff + 56 * loads[-1] + 4  # the last PT_LOAD: .data/.bss
assert d[flags_at] == 6, d[flags_at]   # PF_R|PF_W
d[flags_at] = 0
open(sys.argv[2], "wb").write(d)
EOF
chmod +x "$T/h0"
"$T/h0" > /dev/null 2>&1
nrc=$?
"$MMSIM" run -q "$T/h0" > /dev/null 2> "$T/err"
src=$?
[ $src -eq $nrc ] && [ $src -eq 139 ] && grep -q "SEGV_ACCERR" "$T/err" &&
	ok "hello with a PROT_NONE data segment: SIGSEGV at its first store, exit $src as natively" ||
	{ bad "hello with zeroed data flags: mmsim $src, native $nrc"; cat "$T/err"; }

# 2. mutations.  Interpreter mutation lNN is named by the PT_INTERP of
# program qNN (an unmutated program whose PT_INTERP is rewritten to it).
[ ${#T} -le 23 ] || { echo "SKIP: temporary directory name too long for PT_INTERP"; exit 77; }
python3 - "$T" /usr/bin/true $LDSO <<'EOF'
import random, struct, sys, os
T, prog, ldso = sys.argv[1:4]
old = b"/lib64/ld-linux-x86-64.so.2\0"
p = open(prog, "rb").read()
assert old in p
l = open(ldso, "rb").read()
rng = random.Random(10)

def phdrs(d):
    phoff, = struct.unpack_from("<Q", d, 32)
    n, = struct.unpack_from("<H", d, 56)
    return [(phoff + 56 * i, struct.unpack_from("<I", d, phoff + 56 * i)[0]) for i in range(n)]

def mutate(d):
    d = bytearray(d)
    kind = rng.randrange(8)
    ph = phdrs(d)
    if kind == 0:    # an ELF header field
        off, size = rng.choice([(16, 2), (18, 2), (24, 8), (32, 8), (54, 2), (56, 2), (4, 1), (5, 1), (6, 1)])
        val = rng.choice([0, 1, 2, 3, 0xff, 0xffff, 0x7fffffff, rng.getrandbits(8 * size)])
        d[off:off + size] = (val & ((1 << (8 * size)) - 1)).to_bytes(size, "little")
        what = "ehdr @%d = %#x" % (off, val)
    elif kind == 7:  # truncation
        cut = rng.choice([0, 10, 63, 64, 100, 300, 1000, 4096, len(d) // 2, len(d) - 1])
        del d[cut:]
        what = "truncated to %d" % cut
    else:            # a program header field of a PT_LOAD, PT_INTERP, PT_DYNAMIC, RELRO...
        off, typ = rng.choice(ph)
        field, size = rng.choice([(0, 4), (4, 4), (8, 8), (16, 8), (32, 8), (40, 8), (48, 8)])
        val = rng.choice([0, 1, 7, 0x1000, 0x200000, 1 << 47, (1 << 64) - 4096, rng.getrandbits(8 * size),
                          struct.unpack_from("<Q" if size == 8 else "<I", d, off + field)[0] ^ (1 << rng.randrange(8 * size))])
        d[off + field:off + field + size] = (val & ((1 << (8 * size)) - 1)).to_bytes(size, "little")
        what = "phdr type %#x field @%d = %#x" % (typ, field, val)
    return bytes(d), what

def write(name, d):
    open("%s/%s" % (T, name), "wb").write(d)
    os.chmod("%s/%s" % (T, name), 0o755)

with open(T + "/cases", "w") as f:
    for i in range(24):
        d, what = mutate(p)
        write("p%02d" % i, d)
        f.write("p%02d program: %s\n" % (i, what))
    for i in range(24):
        d, what = mutate(l)
        write("l%02d" % i, d)
        write("q%02d" % i, p.replace(old, ("%s/l%02d" % (T, i)).encode().ljust(len(old), b"\0"), 1))
        f.write("q%02d interpreter: %s\n" % (i, what))
EOF
[ -s "$T/cases" ] || { bad "could not build the mutations"; exit 1; }

# check NAME RC: the run's end is one the program explains
check() {
	name=$1 rc=$2
	case $rc in
	2) [ "$(wc -l < "$T/err")" -eq 1 ] && grep -q "^mmsim run: " "$T/err" && return 0 ;;
	124|125|126) ;;
	*) python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$T/j" 2> /dev/null && return 0 ;;
	esac
	bad "$name: exit $rc"
	head -3 "$T/err"
	return 1
}
bads=0
while read -r id what; do
	rm -f "$T/j"
	timeout 60 "$MMSIM" run --root / --max-insns 20000000 --json -o "$T/j" -- "$T/$id" > /dev/null 2> "$T/err"
	rc=$?
	[ -n "${FUZZ_VERBOSE:-}" ] && echo "$id $rc $what: $(head -1 "$T/err")"
	check "$id ($what)" $rc || bads=$((bads + 1))
done < "$T/cases"
[ $bads -eq 0 ] && ok "48 mutated programs and interpreters from the command line: no emulator error"
# all of them from one guest shell: each exec fails cleanly or runs, the
# shell goes on to the next and reports each status
rm -f "$T/j"
timeout 120 "$MMSIM" run --root / --max-insns 400000000 --json -o "$T/j" -- /bin/busybox sh -c \
	"cd $T && for p in \$(cut -d' ' -f1 cases); do ./\$p > /dev/null 2>&1; echo \$p \$?; done" > "$T/out" 2> "$T/err"
rc=$?
[ $rc -eq 0 ] && [ "$(wc -l < "$T/out")" -eq 48 ] && check "guest shell" $rc &&
	ok "the same 48 from one guest shell: each status reported, $(awk '$2 == 0' "$T/out" | wc -l) ran to exit 0" ||
	{ bad "guest shell over the mutations: exit $rc, $(wc -l < "$T/out") statuses"; tail -3 "$T/err"; }

echo "elf_fuzz: $pass passed, $fail failed"
[ $fail -eq 0 ]
