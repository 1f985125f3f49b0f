# bash traps: EXIT, ERR with set -E, RETURN, DEBUG-free; set -e and pipefail behaviour
PATH=$2:$PATH  # busybox applets (static) before the host's dynamic tools
trap 'echo "EXIT trap (status $?)"' EXIT
trap 'echo "ERR trap at line $LINENO: status $?"' ERR
false
echo "after false"
f() { return 3; }
f
set -o pipefail
false | true
echo "pipefail status $?"
set +o pipefail
false | true
echo "no pipefail status $?"
true | false | true
echo "PIPESTATUS ${PIPESTATUS[*]}"
set -e
( exit 0 )
if false; then :; fi
false || echo "|| protects from set -e"
echo "about to fail"
false
echo "not reached"
