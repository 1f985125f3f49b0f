# [[ ]]: patterns, regex with BASH_REMATCH, string and numeric comparisons, -v, &&/||
PATH=$2:$PATH  # busybox applets (static) before the host's dynamic tools
s="version-12.34-beta"
if [[ $s =~ ^version-([0-9]+)\.([0-9]+)-(.*)$ ]]; then
	echo "major ${BASH_REMATCH[1]} minor ${BASH_REMATCH[2]} tag ${BASH_REMATCH[3]}"
fi
[[ $s == version-* ]] && echo glob-match
[[ abc < abd && 10 -gt 9 ]] && echo both
[[ -v s && ! -v nosuch ]] && echo "-v works"
[[ -z "" || -n x ]] && echo "empty checks"
x=5; [[ x -eq 5 ]] && echo "arith in [[ ]]"
[[ -d /etc && -f /etc/passwd && ! -e /nonexistent ]] && echo "file tests"
shopt -s extglob
f=photo.JPEG
[[ $f == *.@(jpg|JPEG|png) ]] && echo extglob
shopt -s nocasematch
[[ HELLO == hello ]] && echo nocase
