# parameter expansion: ${var//}, case changes, substrings, indirect, printf -v, %q
PATH=$2:$PATH  # busybox applets (static) before the host's dynamic tools
s="Hello, World of Bash"
echo "${s//o/0} | ${s/#Hello/Bye} | ${s/%Bash/sh} | ${s^^} | ${s,,} | ${s~~}"
echo "${s:7} | ${s: -4} | ${s:0:5} | ${#s}"
name=s; echo "indirect: ${!name}"
printf -v padded '%08.3f|%-6s|%x' 3.14159 ab 255
echo "$padded"
printf '%q\n' "it's a \"test\" with spaces" 'tab	here'
printf -v joined '%s,' a b c; echo "${joined%,}"
v="  trim me  "; v="${v#"${v%%[![:space:]]*}"}"; v="${v%"${v##*[![:space:]]}"}"; echo "[$v]"
declare -u up=shout; declare -l low=QUIET; echo "$up $low"
x=abc; echo "${x@Q} ${x@U}"
