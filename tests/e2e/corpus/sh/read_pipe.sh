# read from pipes: fields, IFS, while-read totals, read -r, lines without newline
echo "alpha beta gamma delta" | { read -r x y rest; echo "x=$x y=$y rest=$rest"; }
printf 'a:b:c\n' | { IFS=: read -r p q r; echo "$r$q$p"; }
total=0
while read -r num name mod; do total=$((total + num)); done < "$1/nums"
echo "total $total"
seq 1 5 | while read -r l; do echo "line $l"; done | tail -n 2
printf 'no newline' | { read -r l; echo "status $? got '$l'"; }
printf 'back\\slash\n' | { read l; echo "$l"; read l; echo "second status $?"; }
lines=$(wc -l < "$1/words")
echo "words has $lines lines"
