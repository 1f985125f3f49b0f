# assorted bash features: case fallthrough, select-free menus, printf arrays, string repeat, read -n, getopts
PATH=$2:$PATH  # busybox applets (static) before the host's dynamic tools
for w in a b c; do
	case $w in
	a) echo "a;;&" ;;&
	[ab]) echo "$w matched [ab]" ;;
	*) echo "$w default" ;;
	esac
done
printf -v line '%*s' 20 ''; echo "[${line// /-}]"
read -r -n 3 chunk <<< "abcdef"; echo "read -n: $chunk"
read -r -d : field <<< "upto:colon"; echo "read -d: $field"
set -- -v -o out.txt input
while getopts "vo:" opt; do echo "opt $opt ${OPTARG:-}"; done
shift $((OPTIND - 1)); echo "args: $*"
echo "${BASH_VERSINFO[0]}.${BASH_VERSINFO[1]}"
x=$'tab\there\nnewline'; echo "$x" | od -c
printf '%s\n' "${PIPESTATUS[@]}"
time_unused=1; echo "done"
