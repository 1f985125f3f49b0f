# bash functions: local -n namerefs, recursion, return values through globals, declare -f, FUNCNAME
PATH=$2:$PATH  # busybox applets (static) before the host's dynamic tools
hanoi() { local n=$1 from=$2 to=$3 via=$4; (( n == 0 )) && return; hanoi $((n-1)) $from $via $to; moves=$((moves+1)); hanoi $((n-1)) $via $to $from; }
moves=0; hanoi 10 A C B; echo "hanoi 10: $moves moves"
fill() { local -n out=$1; out=(one two three); }
fill arr; echo "nameref filled ${#arr[@]}: ${arr[*]}"
who() { echo "${FUNCNAME[0]} called from ${FUNCNAME[1]:-main}"; }
caller_fn() { who; }
caller_fn
sq() { echo $(( $1 * $1 )); }
declare -f sq
total=0; for i in {1..100}; do (( total += $(sq $i) )); done; echo "sum of squares $total"
cnt() { local IFS=:; set -- $1; echo $#; }
cnt "a:b::c"
type -t sq cnt echo ls 2>/dev/null
