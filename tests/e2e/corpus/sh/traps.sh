# traps: EXIT, signals sent to self, trap reset, ignored signal, trap in subshell
trap 'echo "exit trap, status $?"' EXIT
trap 'echo "caught USR1"' USR1
kill -USR1 $$
trap 'echo "caught TERM"' TERM
kill -TERM $$
trap - USR1
trap '' INT
kill -INT $$
echo "survived ignored INT"
( trap 'echo "subshell exit"' EXIT; echo in subshell )
trap
exit 4
