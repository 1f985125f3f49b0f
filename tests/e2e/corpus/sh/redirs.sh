# redirections: exec fds, >&2, 2>&1 ordering, <> , /dev/null, noclobber-free pipes
exec 3< "$1/a.txt"
read -r first <&3
read -r second <&3
echo "from fd 3: $first $second"
exec 3<&-
echo to-stderr >&2
{ echo out; echo err >&2; } 2>&1 | sed 's/^/merged: /'
{ echo out2; echo err2 >&2; } 2>/dev/null
ls /nonexistent-path 2>&1 >/dev/null | sed 's/.*nonexistent.*/ls complained/'
cat < "$1/a.txt" | wc -l
echo "fd copy" 1>&2 2>/dev/null
read -r l < /dev/null; echo "read from /dev/null: $?"
