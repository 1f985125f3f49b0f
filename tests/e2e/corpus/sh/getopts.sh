# getopts, shift, set --, positional parameters
parse() {
	OPTIND=1
	while getopts "ab:c" o; do
		case $o in
		a) echo "flag a" ;;
		b) echo "b=$OPTARG" ;;
		c) echo "flag c" ;;
		?) echo "bad option" ;;
		esac
	done
	shift $((OPTIND - 1))
	echo "rest: $*"
}
parse -a -b val -c file1 file2
parse -ac -bX -- -notopt
parse -z 2>/dev/null
set -- 1 2 3 4 5
shift 2
echo "$# left: $@"
eval "last=\${$#}"
echo "last $last"
