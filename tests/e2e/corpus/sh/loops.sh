# loops and control flow: for over words and globs, while/until, break/continue, case
for i in 1 2 3 4 5 6 7 8 9 10; do
	[ $((i % 2)) -eq 0 ] && continue
	[ "$i" -gt 7 ] && break
	printf '%s ' "$i"
done
echo
n=0
until [ $n -ge 5 ]; do n=$((n + 1)); done
echo "until ended at $n"
for f in "$1"/*.txt "$1"/nope*; do echo "glob: ${f##*/}"; done
for w in apple Banana 42 x.tar.gz ""; do
	case $w in
	[a-z]*) echo "$w lower" ;;
	[A-Z]*) echo "$w upper" ;;
	*[0-9]) echo "$w digits" ;;
	*.tar.*) echo "tarball" ;;
	*) echo "empty" ;;
	esac
done
i=0
while :; do
	i=$((i + 1))
	[ $i -ge 3 ] && break
	for j in a b c; do
		[ $j = b ] && continue 2
	done
	echo "not reached"
done
echo "outer i=$i"
