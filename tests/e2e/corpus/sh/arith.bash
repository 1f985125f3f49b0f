# bash arithmetic: (( )), let, ++/--, bases, overflow, integer division, RANDOM with a seed
PATH=$2:$PATH  # busybox applets (static) before the host's dynamic tools
(( x = 7 * 6 )); echo $x
let "y = x / 5" "z = x % 5"; echo $y $z
(( x++, y-- )); echo $x $y
echo $(( 16#ff + 8#17 + 2#1010 + 36#z ))
echo $(( 2**63 - 1 )) $(( 2**63 )) $(( -7 / 2 )) $(( -7 % 2 ))
(( 0 )); echo "(( 0 )) status $?"
i=0; while (( i < 5 )); do (( i += 2 )); done; echo "i=$i"
for (( j = 10; j > 0; j -= 3 )); do printf '%d ' $j; done; echo
RANDOM=42; echo "seeded: $RANDOM $RANDOM"
echo $(( 1 ? 2 : 3 )) $(( (3 > 2) && (2 > 3) )) $(( ~5 )) $(( 5 ^ 3 ))
declare -i n="3 + 4"; echo "declare -i: $n"
echo $(( 10 / 0 )) 2>&1
echo after
