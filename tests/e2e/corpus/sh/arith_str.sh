# arithmetic expansion and parameter operations in busybox sh
x=17 y=5
echo $((x / y)) $((x % y)) $((x ** 2)) $((-x / y)) $((x << 3)) $((x & y | 8)) $((x > y ? x : y))
echo $((0x1f + 010 + 2#101))
i=0; i=$((i + 1)); : $((i += 10)); echo "i=$i"
echo $(( (1 << 62) * 2 ))
f=archive.tar.gz
echo "${f%.*} ${f%%.*} ${f#*.} ${f##*.} ${#f}"
echo "${unset:-default} ${unset:=assigned} $unset ${f:+alt}"
echo "${f:2:5} ${f/a/A} ${f//a/A}"
p=/usr/local/lib/libfoo.so
echo "${p##*/} ${p%/*}"
( echo "${nope:?is unset}" ) 2>&1 | sed 's/^[^:]*: //'
