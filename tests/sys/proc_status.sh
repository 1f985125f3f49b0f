#!/bin/sh
# proc_status.sh MMSIM SYS_GUEST_DIR: the memory fields of /proc/PID/status
# (VmPeak, VmSize, VmExe, VmLib, VmData, VmStk) against the same programs
# run natively.
#  - sys_vmstatus (static musl) maps and unmaps memory in every way that
#    moves them (brk, mremap grow/shrink/move, mprotect, an executable
#    mapping, 64 MiB mmap/munmap, fork): every field of every step equals
#    the native one, once the kernel's own mappings the guest lists
#    ([vdso], [vvar], [vvar_vclock]; mmsim maps none) are taken out of the
#    native VmSize/VmPeak and the vdso out of VmLib.
#  - `mmsim proc RUN.db --at SEQ status 1` just after the 64 MiB munmap shows
#    the same VmPeak as the live run.
#  - /usr/bin/python3 (dynamic, --root /) mapping and unmapping 64 MiB:
#    VmExe, VmStk and VmLib (less the vdso) equal; VmData and VmSize may
#    differ by what Python itself allocates differently under mmsim (its
#    brk heap; up to 256 kB allowed), but the 64 MiB moves VmSize and
#    VmPeak by exactly as much as natively and VmPeak keeps the peak after
#    the munmap.
set -u
MMSIM=$1
D=$2
T=$(mktemp -d "${TMPDIR:-/tmp}/mmsim-status.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

fail() {
	echo "FAIL [proc_status]: $*" >&2
	exit 1
}

# --- a static guest: exact ------------------------------------------------
env -i "$D/sys_vmstatus" >"$T/native" || fail "native sys_vmstatus failed"
env -i "$MMSIM" run --trace "$T/v.db" "$D/sys_vmstatus" >"$T/sim" 2>"$T/err" ||
	fail "mmsim run sys_vmstatus failed: $(cat "$T/err")"
python3 - "$T/native" "$T/sim" <<'EOF' || fail "sys_vmstatus: /proc/self/status differs from native (above)"
import sys
F = ["VmPeak", "VmSize", "VmExe", "VmLib", "VmData", "VmStk"]
nat = [l.split() for l in open(sys.argv[1])]
sim = [l.split() for l in open(sys.argv[2])]
bad = []
if [r[0] for r in nat] != [r[0] for r in sim] or len(nat) != 14:
    bad.append(f"steps: native {[r[0] for r in nat]}, mmsim {[r[0] for r in sim]}")
for n, s in zip(nat, sim):
    v = dict(zip(F, map(int, n[1:7])))
    special, special_exec = int(n[7]), int(n[8])
    v["VmPeak"] -= special
    v["VmSize"] -= special
    v["VmLib"] -= special_exec
    w = dict(zip(F, map(int, s[1:7])))
    if int(s[7]) or int(s[8]):
        bad.append(f"{s[0]}: mmsim maps a vdso/vvar now: update this test")
    for f in F:
        if v[f] != w[f]:
            bad.append(f"{n[0]}: {f} native {v[f]} kB (less the vdso/vvar), mmsim {w[f]} kB")
for b in bad:
    print("  " + b, file=sys.stderr)
sys.exit(1 if bad else 0)
EOF
# the steps that test what this file is about really happened
grep -q "^mremap-move " "$T/sim" && grep -q "^mremap-grow " "$T/sim" || fail "an mremap step failed: $(cat "$T/sim")"

# --- mmsim proc --at: the status just after the 64 MiB munmap --------------
seq=$("$MMSIM" query --csv "$T/v.db" "SELECT max(seq) FROM events_named WHERE type_name = 'unmap' AND size = 67108864 AND pid = 1" | tail -1)
[ -n "$seq" ] || fail "no 64 MiB unmap event"
"$MMSIM" proc "$T/v.db" --at "$seq" status 1 >"$T/at" 2>"$T/at.err" || fail "mmsim proc --at $seq status 1: $(cat "$T/at.err")"
peak=$(awk '$1 == "VmPeak:" { print $2 }' "$T/at")
size=$(awk '$1 == "VmSize:" { print $2 }' "$T/at")
want=$(awk '$1 == "munmap64" { print $2, $3 }' "$T/sim")
[ "$peak $size" = "$want" ] || fail "mmsim proc --at $seq: VmPeak $peak VmSize $size, the live run said $want"

# --- a dynamic program: python3 ------------------------------------------
PY=/usr/bin/python3
if [ -x "$PY" ]; then
	S='import mmap
def st():
    d = {}
    for l in open("/proc/self/status"):
        k, _, v = l.partition(":")
        if k.startswith("Vm"): d[k] = int(v.split()[0])
    sp = spx = 0
    for l in open("/proc/self/maps"):
        f = l.split()
        if len(f) > 5 and (f[5] == "[vdso]" or f[5].startswith("[vvar")):
            a, b = (int(x, 16) for x in f[0].split("-"))
            sp += (b - a) >> 10
            spx += (b - a) >> 10 if "x" in f[1] else 0
    return d, sp, spx
a = st()
m = mmap.mmap(-1, 64 << 20)
b = st()
m.close()
c = st()
for name, (d, sp, spx) in (("start", a), ("mapped", b), ("unmapped", c)):
    print(name, *(d[k] for k in ["VmPeak", "VmSize", "VmExe", "VmLib", "VmData", "VmStk"]), sp, spx)'
	env -i "$PY" -c "$S" >"$T/pn" || fail "native python3 failed"
	env -i "$MMSIM" run --root / "$PY" -c "$S" >"$T/ps" 2>"$T/perr" || fail "mmsim python3 failed: $(tail -5 "$T/perr")"
	python3 - "$T/pn" "$T/ps" <<'EOF' || fail "python3: /proc/self/status differs from native (above)"
import sys
F = ["VmPeak", "VmSize", "VmExe", "VmLib", "VmData", "VmStk"]
def load(p):
    r = {}
    for l in open(p):
        f = l.split()
        v = dict(zip(F, map(int, f[1:7])))
        v["VmPeak"] -= int(f[7])
        v["VmSize"] -= int(f[7])
        v["VmLib"] -= int(f[8])
        r[f[0]] = v
    return r
nat, sim = load(sys.argv[1]), load(sys.argv[2])
bad = []
for step in ["start", "mapped", "unmapped"]:
    n, s = nat[step], sim[step]
    for f in ["VmExe", "VmLib", "VmStk"]:
        if n[f] != s[f]:
            bad.append(f"{step}: {f} native {n[f]} kB, mmsim {s[f]} kB")
    for f in ["VmData", "VmSize"]:
        if abs(n[f] - s[f]) > 256:
            bad.append(f"{step}: {f} native {n[f]} kB, mmsim {s[f]} kB (more than 256 kB apart)")
for who, r in (("native", nat), ("mmsim", sim)):
    if r["mapped"]["VmSize"] - r["start"]["VmSize"] != 65536 or r["unmapped"]["VmSize"] != r["start"]["VmSize"]:
        bad.append(f"{who}: VmSize {r['start']['VmSize']} -> {r['mapped']['VmSize']} -> {r['unmapped']['VmSize']}")
    if r["unmapped"]["VmPeak"] != r["mapped"]["VmSize"] or r["mapped"]["VmPeak"] != r["mapped"]["VmSize"]:
        bad.append(f"{who}: VmPeak {r['start']['VmPeak']} -> {r['mapped']['VmPeak']} -> {r['unmapped']['VmPeak']}")
gap = lambda r: r["start"]["VmPeak"] - r["start"]["VmSize"]
if gap(nat) != gap(sim):
    bad.append(f"start: VmPeak - VmSize native {gap(nat)} kB, mmsim {gap(sim)} kB")
if sim["start"]["VmLib"] < 1024:
    bad.append(f"mmsim VmLib {sim['start']['VmLib']} kB: the shared libraries' code is not counted")
for b in bad:
    print("  " + b, file=sys.stderr)
sys.exit(1 if bad else 0)
EOF
fi
exit 0
