# functions: arguments, return status, local variables, recursion, $@ quoting
fact() { if [ "$1" -le 1 ]; then echo 1; else echo $(( $1 * $(fact $(( $1 - 1 ))) )); fi; }
echo "fact 10 = $(fact 10)"
count() { echo "$# args:"; for a in "$@"; do echo " <$a>"; done; }
count a "b c" "" 'd  e'
set -- x "y z"
count "$@"
count $*
v=global
scope() { local v=local; echo "inside $v"; inner; }
inner() { echo "inner sees $v"; }
scope
echo "outside $v"
check() { return "$1"; }
check 0 && echo ok0
check 3 || echo "failed with $?"
fib() { n=$1; a=0; b=1; while [ "$n" -gt 0 ]; do t=$((a + b)); a=$b; b=$t; n=$((n - 1)); done; echo $a; }
echo "fib 50 = $(fib 50)"
