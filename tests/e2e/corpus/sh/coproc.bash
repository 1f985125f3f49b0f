# coproc with bc-like worker, brace expansion, globbing in a data dir, extglob, nullglob
PATH=$2:$PATH  # busybox applets (static) before the host's dynamic tools
coproc UP { tr a-z A-Z; }
echo "hello coproc" >&"${UP[1]}"
exec {UP[1]}>&-
read -r line <&"${UP[0]}"
echo "$line"
wait $UP_PID 2>/dev/null
echo {1..5} {a..e..2} {x,y}{1,2} {05..10..2}
cd "$1" || exit 1
echo *.txt
shopt -s nullglob; echo none: *.nothing; shopt -u nullglob
shopt -s extglob; echo !(*.txt|*.gz|tree|bytes|nums|text)
shopt -s globstar; echo tree/**/*.dat
