#!/bin/sh
# Host VMA limit (vm.max_map_count) of `mmsim run` (suite 'e2e').
# Usage: maplimit.sh MMSIM GUEST_DIR
#  - random first touches give every page its own host mapping: with
#    --host-map-limit 300 the run stops with the one-line message, exit 126
#  - sequential first touches get ascending, contiguous frames from the
#    buddy allocator: 4096 pages fit in 100 host mappings
#  - the default limit (vm.max_map_count - 4096) runs both
set -u
MMSIM=$1
G=$2
T=$(mktemp -d "${TMPDIR:-/tmp}/mmsim-maplimit.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

fail() {
	echo "FAIL [maplimit]: $*" >&2
	exit 1
}

"$MMSIM" run -q --host-map-limit 300 "$G/rand_access" 16 100000 >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" = 126 ] || { cat "$T/err" >&2; fail "rand_access with --host-map-limit 300 exited $rc, wanted 126"; }
[ "$(wc -l <"$T/err")" = 1 ] || { cat "$T/err" >&2; fail "the error is not one line"; }
grep -q "host map limit reached: guest memory needs 301 host mappings, host_map_limit=300" "$T/err" ||
	{ cat "$T/err" >&2; fail "wrong message"; }

"$MMSIM" run -q --host-map-limit 100 "$G/seq_sweep" 16 1 >"$T/out" 2>"$T/err" ||
	{ cat "$T/err" >&2; fail "seq_sweep 16 (4096 pages) did not fit in 100 host mappings"; }
grep -q "checksum" "$T/out" || fail "seq_sweep printed no checksum"

for prog in "rand_access 16 100000" "seq_sweep 16 1"; do
	# shellcheck disable=SC2086
	"$MMSIM" run -q "$G"/$prog >"$T/out" 2>"$T/err" || { cat "$T/err" >&2; fail "$prog failed with the default limit"; }
done

"$MMSIM" run -q --host-map-limit x "$G/hello" >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" = 2 ] || fail "--host-map-limit x exited $rc, wanted 2"
grep -q -- "--host-map-limit: 'x' is not a number" "$T/err" || { cat "$T/err" >&2; fail "wrong message for a bad value"; }
exit 0
