#!/bin/sh
# tests/e2e/cpu_slab.sh MMSIM GUEST_DIR - SLUB's per-CPU slabs seen from
# whole runs (suite 'e2e'):
#   1. `threads sum` and `threads join` (guest/threads.c) on --cpus 4 with
#      --cpu-slab on and off: the same guest output and the same totals of
#      slab_alloc, slab_free, kmalloc and kfree events in the trace;
#   2. four busybox pipelines at once on --cpus 4 (processes created and
#      reaped on different CPUs, so objects are freed remotely): the same
#      output and event totals; with CPU slabs /proc/slabinfo counts more
#      objects active (the free objects the CPUs hold, as Linux shows them);
#      in both runs nr_slab_unreclaimable + nr_slab_reclaimable equal the
#      pages of the slabs slabinfo lists, and the final counters equal the
#      pages of the trace's slab_new events minus its slab_discard events;
#   3. determinism: the same --cpu-slab on run twice gives identical --json
#      and identical trace events;
#   4. scenarios have CPU slabs off unless `config cpu_slab=on`;
#      --cpu-slab maybe is refused with exit 2;
#   5. mm_check (slab_check with its per-CPU part) holds after every slice
#      of 100000 instructions of `threads join` and of the busybox
#      pipelines on 4 CPUs with CPU slabs (a scenario's spawn/run/check);
#   6. `mmsim proc --at SEQ slabinfo` of the busybox runs, from the trace's
#      checkpoints, equals the re-executed machine's at several moments,
#      with CPU slabs on and off (the counters slabinfo reads are saved).
set -u
MMSIM=$1
GUEST=$2
BB=/bin/busybox
T=$(mktemp -d "${TMPDIR:-/tmp}/mmsim-cpuslab.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }

# slab_alloc slab_free kmalloc kfree totals of trace DB $1, one line
totals() {
	sqlite3 "$1" "SELECT group_concat(name || '=' || value, ' ') FROM (SELECT name, value FROM counters
		WHERE name IN ('events.slab_alloc', 'events.slab_free', 'events.kmalloc', 'events.kfree') ORDER BY name)"
}

# 1. threaded guests
for args in "sum" "join"; do
	name=$(echo "$args" | tr ' ' _)
	for cs in on off; do
		timeout 120 "$MMSIM" run -q --cpus 4 --cpu-slab $cs --trace "$T/$name.$cs.db" -- \
			"$GUEST/threads" $args >"$T/$name.$cs.out" 2>"$T/$name.$cs.err" ||
			bad "threads $args --cpu-slab $cs failed: $(cat "$T/$name.$cs.err")"
	done
	if cmp -s "$T/$name.on.out" "$T/$name.off.out" && [ -s "$T/$name.on.out" ]; then
		ok "threads $args: same output with --cpu-slab on and off"
	else
		bad "threads $args: outputs differ"
	fi
	a=$(totals "$T/$name.on.db")
	b=$(totals "$T/$name.off.db")
	case "$a" in *"slab_alloc=0"* | "") bad "threads $args: no slab_alloc events ($a)" ;; esac
	[ "$a" = "$b" ] && ok "threads $args: same event totals ($a)" || bad "threads $args: on $a / off $b"
done

# 2. busybox pipelines
if [ -x $BB ]; then
	mkdir -p "$T/root/bin"
	cp $BB "$T/root/bin/busybox"
	SCRIPT='for i in 1 2 3 4; do /bin/busybox dd if=/dev/zero bs=64k count=16 2>/dev/null | /bin/busybox md5sum & done; wait; /bin/busybox cat /proc/slabinfo /proc/vmstat'
	for cs in on off; do
		timeout 120 "$MMSIM" run -q --cpus 4 --cpu-slab $cs --trace "$T/bb.$cs.db" --root "$T/root" -- \
			/bin/busybox sh -c "$SCRIPT" >"$T/bb.$cs.out" 2>"$T/bb.$cs.err" ||
			bad "busybox --cpu-slab $cs failed: $(cat "$T/bb.$cs.err")"
	done
	grep -- '-$' "$T/bb.on.out" >"$T/md5.on"
	grep -- '-$' "$T/bb.off.out" >"$T/md5.off"
	[ "$(wc -l <"$T/md5.on")" = 4 ] && cmp -s "$T/md5.on" "$T/md5.off" &&
		ok "busybox pipelines: same output" || bad "busybox pipelines: output differs"
	a=$(totals "$T/bb.on.db")
	b=$(totals "$T/bb.off.db")
	[ -n "$a" ] && [ "$a" = "$b" ] && ok "busybox pipelines: same event totals ($a)" || bad "busybox: on $a / off $b"
	# active objects summed over the caches, and slab pages: slabinfo vs vmstat
	sums() {
		awk '/^slabinfo/ { s = 1; next } s && /^#/ { next }
		s && NF == 16 && $7 == ":" && $13 == "slabdata" { act += $2; pages += $15 * $6; next }
		/^nr_slab_(un)?reclaimable / { vm += $2 }
		END { print act + 0, pages + 0, vm + 0 }' "$1"
	}
	set -- $(sums "$T/bb.on.out")
	on_act=$1 on_pages=$2 on_vm=$3
	set -- $(sums "$T/bb.off.out")
	off_act=$1 off_pages=$2 off_vm=$3
	[ "$on_act" -gt "$off_act" ] && ok "slabinfo: $on_act active objects with CPU slabs, $off_act without" ||
		bad "slabinfo active objects: on $on_act, off $off_act"
	[ "$on_pages" -gt 0 ] && [ "$on_pages" = "$on_vm" ] && [ "$off_pages" = "$off_vm" ] &&
		ok "nr_slab_* = slab pages in slabinfo (on: $on_vm, off: $off_vm)" ||
		bad "slab pages: on slabinfo $on_pages vmstat $on_vm, off slabinfo $off_pages vmstat $off_vm"
	for cs in on off; do
		r=$(sqlite3 "$T/bb.$cs.db" "SELECT (SELECT coalesce(sum(1 << \"order\"), 0) FROM events_named
			WHERE type_name = 'slab_new') - (SELECT coalesce(sum(1 << \"order\"), 0) FROM events_named
			WHERE type_name = 'slab_discard'), (SELECT sum(value) FROM counters
			WHERE name IN ('vmstat.nr_slab_reclaimable', 'vmstat.nr_slab_unreclaimable'))")
		[ "${r%|*}" = "${r#*|}" ] && [ "${r%|*}" -gt 0 ] &&
			ok "--cpu-slab $cs: slab_new - slab_discard pages = nr_slab_* at the end ($r)" ||
			bad "--cpu-slab $cs: trace slab pages vs counters: $r"
	done
else
	echo "skip busybox part: no $BB"
fi

# 3. determinism
for i in 1 2; do
	timeout 120 "$MMSIM" run --cpus 4 --json -o "$T/det$i.json" --trace "$T/det$i.db" -- \
		"$GUEST/threads" sum >/dev/null 2>&1 || bad "determinism run $i failed"
	sqlite3 "$T/det$i.db" "SELECT * FROM events ORDER BY seq" >"$T/det$i.ev"
done
cmp -s "$T/det1.json" "$T/det2.json" && [ -s "$T/det1.json" ] && ok "same run twice: identical --json" ||
	bad "--json differs between two identical runs"
cmp -s "$T/det1.ev" "$T/det2.ev" && [ -s "$T/det1.ev" ] && ok "same run twice: identical trace events" ||
	bad "trace events differ between two identical runs"

# 4. scenarios: off by default; config cpu_slab=on turns them on
scn() { # CONFIG_LINE WANT
	printf '%s\nkmem_cache_create c size=64\nkmem_cache_alloc a c\nexpect slabinfo.c.active_objs == %s\n' "$1" "$2" \
		>"$T/c.scn"
	timeout 30 "$MMSIM" scenario "$T/c.scn" >"$T/c.out" 2>&1
}
scn "config mem=16M" 1 && ok "scenario: no CPU slabs by default (1 active object)" ||
	bad "scenario default: $(cat "$T/c.out")"
scn "config mem=16M cpu_slab=on" 64 && ok "scenario with cpu_slab=on: the CPU slab's 64 objects count as active" ||
	bad "scenario cpu_slab=on: $(cat "$T/c.out")"

timeout 30 "$MMSIM" run -q --cpu-slab maybe -- "$GUEST/hello" >"$T/bad" 2>&1
rc=$?
[ $rc = 2 ] && grep -q "cpu-slab: 'maybe' is not on or off" "$T/bad" && ok "--cpu-slab maybe refused (exit 2)" ||
	bad "--cpu-slab maybe: rc $rc $(cat "$T/bad")"

# 5. invariants during real runs
checked() { # NAME SPAWN_ARGS...
	name=$1
	shift
	{
		echo "config mem=64M cpus=4 cpu_slab=on${ROOTCFG:-}"
		echo "spawn p $*"
		i=0
		while [ $i -lt 80 ]; do
			echo "run 100000"
			echo "check"
			i=$((i + 1))
		done
		echo "expect slabinfo.task_struct.num_objs > 0"
	} >"$T/$name.scn"
	timeout 120 "$MMSIM" scenario "$T/$name.scn" >"$T/$name.sout" 2>&1
	rc=$?
	n=$(grep -c '^check: ok' "$T/$name.sout")
	[ $rc = 0 ] && [ "$n" = 80 ] && ok "$name: mm_check ok after each of 80 slices on 4 CPUs" ||
		bad "$name: rc $rc, $n checks ok: $(grep -v '^run:\|^check: ok' "$T/$name.sout" | head -5)"
}
checked threads_join "$GUEST/threads" join
if [ -x $BB ]; then
	echo 'for i in 1 2 3 4; do /bin/busybox dd if=/dev/zero bs=64k count=16 2>/dev/null | /bin/busybox md5sum & done; wait' \
		>"$T/root/job.sh"
	ROOTCFG=" root=$T/root" checked busybox_pipelines /bin/busybox sh /job.sh

	# 6. slabinfo at recorded moments: checkpoints vs re-execution
	for cs in on off; do
		n=$(sqlite3 "$T/bb.$cs.db" "SELECT max(seq) FROM events")
		same=0
		for at in $((n / 4)) $((n / 2)) $((n * 3 / 4)) $((n - 1)); do
			"$MMSIM" proc "$T/bb.$cs.db" --at $at slabinfo >"$T/at1" 2>&1
			"$MMSIM" proc "$T/bb.$cs.db" --at $at --reexecute slabinfo >"$T/at2" 2>&1
			cmp -s "$T/at1" "$T/at2" && grep -q '^task_struct' "$T/at1" && same=$((same + 1))
		done
		[ $same = 4 ] && ok "--cpu-slab $cs: proc --at slabinfo from checkpoints = re-executed, 4 moments" ||
			bad "--cpu-slab $cs: proc --at slabinfo differs from re-execution ($same of 4 equal)"
	done
fi

echo "$pass passed, $fail failed"
[ $fail = 0 ]
