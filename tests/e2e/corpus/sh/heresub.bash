# here-strings, process substitution, mapfile/readarray
PATH=$2:$PATH  # busybox applets (static) before the host's dynamic tools
read -r a b <<< "first second third"
echo "$a / $b"
wc -w <<< "count these four words"
mapfile -t lines < "$1/words"
echo "${#lines[@]} lines, third ${lines[2]}"
readarray -t -s 2 -n 3 some < "$1/words"
echo "${some[*]}"
diff <(sort "$1/a.txt") <(sort "$1/b.txt")
echo "diff status $?"
while read -r l; do echo "ps: $l"; done < <(seq 3)
paste <(seq 1 3) <(printf 'a\nb\nc\n')
mapfile -t -d , csv <<< "p,q,r"
echo "${#csv[@]} fields"
