# bash arrays: indexed, associative, slices, append, unset, iteration order of keys sorted
PATH=$2:$PATH  # busybox applets (static) before the host's dynamic tools
a=(zero one "two words" three)
echo "${#a[@]} ${a[2]} ${a[-1]} ${a[@]:1:2}"
a+=(four)
unset 'a[1]'
echo "indices ${!a[@]}"
for x in "${a[@]}"; do printf '<%s>' "$x"; done; echo
declare -A age=([alice]=30 [bob]=25)
age[carol]=35
for k in $(printf '%s\n' "${!age[@]}" | sort); do echo "$k=${age[$k]}"; done
echo "has bob: ${age[bob]+yes} has zed: ${age[zed]+yes}"
b=("${a[@]/o/0}")
echo "${b[*]}"
IFS=, read -ra parts <<< "x,y,,z"
echo "${#parts[@]} parts: ${parts[*]}"
declare -p parts
