#!/bin/sh
# check_run.sh CODE [-p TEXT]... [-n TEXT]... -- COMMAND [ARGS...]
# Run COMMAND; fail unless it exits with CODE, its output (stdout and
# stderr together) contains every -p TEXT and none of the -n TEXT.
code=$1; shift
want=""; unwanted=""
while [ "$1" != "--" ]; do
  case "$1" in
    -p) want="$want
$2"; shift 2 ;;
    -n) unwanted="$unwanted
$2"; shift 2 ;;
    *) echo "check_run.sh: bad argument '$1'" >&2; exit 99 ;;
  esac
done
shift
out=$("$@" 2>&1); rc=$?
printf '%s\n' "$out"
status=0
if [ "$rc" -ne "$code" ]; then echo "check_run.sh: exit status $rc, expected $code" >&2; status=1; fi
old_ifs=$IFS; IFS='
'
for t in $want; do
  case "$out" in *"$t"*) ;; *) echo "check_run.sh: output lacks: $t" >&2; status=1 ;; esac
done
for t in $unwanted; do
  case "$out" in *"$t"*) echo "check_run.sh: output has: $t" >&2; status=1 ;; esac
done
IFS=$old_ifs
exit $status
