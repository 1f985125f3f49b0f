# command substitution: nesting, trailing newlines stripped, exit status, word splitting
a=$(echo hello; echo world)
echo "$a"
b=$(printf 'x\n\n\n')
echo "[$b]"
c=`echo backticks \`echo nested\``
echo "$c"
d=$(false) || echo "status of failed substitution: $?"
set -- $(echo one two three)
echo "$# words, second $2"
echo "$(echo "$(echo "deep $(echo est)")")"
echo "length ${#a}"
n=$(seq 100 | wc -l); echo "count $((n + 0))"
