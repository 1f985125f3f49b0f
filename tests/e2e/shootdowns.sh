#!/bin/sh
# shootdowns.sh MMSIM GUEST_DIR: the trace's TLB shootdowns are the ones
# the vm counters count.  `threads sum` on --cpus 4 takes 4 shootdowns
# (nr_tlb_remote_flush) of 3 IPIs each (nr_tlb_remote_flush_received 12);
# its other remote flushes (exit teardown after the threads have gone,
# lazy CPUs) are done without an IPI and must be labelled "(deferred)",
# not "(ipi)".  The tlb_shootdowns view counts one shootdown per flush
# that sent IPIs, its IPIs and its deferred flushes separately, and its
# totals equal the counters and the --json per-CPU figures; with --cpus 1
# there are none.
set -u
MMSIM=$1
G=$2
T=$(mktemp -d "${TMPDIR:-/tmp}/mmsim-shootdowns.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

fail() {
	echo "FAIL [shootdowns]: $*" >&2
	exit 1
}

check() { # check DB JSON CPUS: the view against the counters and --json
	python3 - "$1" "$2" "$3" <<'EOF'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
cpus = json.load(open(sys.argv[2]))["cpus"]
ncpu = int(sys.argv[3])
c = dict(db.execute("SELECT name, value FROM counters"))
remote, received = c.get("vmstat.nr_tlb_remote_flush", 0), c.get("vmstat.nr_tlb_remote_flush_received", 0)
sd, ipis, deferred, flushes = db.execute(
    "SELECT sum(shootdowns), sum(ipis), sum(deferred), sum(flushes) FROM tlb_shootdowns").fetchone()
events = dict(db.execute("SELECT detail, count(*) FROM events_named WHERE type_name = 'tlb_flush' GROUP BY detail"))
sent = db.execute("SELECT coalesce(sum(value), 0) FROM events_named WHERE type_name = 'tlb_flush'").fetchone()[0]
bad = []
if sd != remote:
    bad.append(f"tlb_shootdowns: {sd} shootdowns, nr_tlb_remote_flush {remote}")
if ipis != received or events.get("range (ipi)", 0) != received:
    bad.append(f"tlb_shootdowns: {ipis} IPIs ({events.get('range (ipi)', 0)} '(ipi)' events), "
               f"nr_tlb_remote_flush_received {received}")
if sent != received:
    bad.append(f"the initiating flushes say {sent} IPIs sent, nr_tlb_remote_flush_received {received}")
if sum(x["shootdowns"] for x in cpus) != remote or sum(x["ipis_sent"] for x in cpus) != received \
        or sum(x["ipis_received"] for x in cpus) != received:
    bad.append(f"--json cpus: {cpus}")
if flushes != sum(events.values()):
    bad.append(f"tlb_shootdowns: {flushes} flushes, {sum(events.values())} tlb_flush events")
if ncpu == 4 and (remote != 4 or received != 12 or deferred < 1):
    bad.append(f"--cpus 4: expected 4 shootdowns, 12 IPIs and deferred flushes; {remote}, {received}, {deferred}")
if ncpu == 1 and (remote or received or deferred or ipis or sd):
    bad.append(f"--cpus 1: remote flushes {remote} {received} {deferred} {ipis} {sd}")
for b in bad:
    print("  " + b, file=sys.stderr)
if bad:
    print("  tlb_flush events by detail: " + str(events), file=sys.stderr)
sys.exit(1 if bad else 0)
EOF
}

for n in 4 1; do
	"$MMSIM" run --cpus $n --json --trace "$T/t$n.db" "$G/threads" sum >/dev/null 2>"$T/t$n.json" ||
		fail "threads sum --cpus $n failed: $(cat "$T/t$n.json")"
	check "$T/t$n.db" "$T/t$n.json" $n || fail "--cpus $n: the trace's shootdowns disagree with the counters (above)"
done
exit 0
