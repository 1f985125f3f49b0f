#!/bin/sh
# tests/sys/shebang.sh MMSIM GUESTDIR - "#!" scripts (Linux's binfmt_script)
# natively and under `mmsim run --root /`: the same argv, AT_EXECFN,
# /proc/self/exe, comm, errno and output for scripts run from the command
# line, from a guest shell and by a C guest's execve (sys_execve prints the
# errno); odd "#!" lines (blanks, NUL, CR, no newline, too long), nested
# interpreters up to ELOOP, EACCES, ENOEXEC and the shell's fallback;
# dynamically linked programs from a guest shell, ELIBBAD.  Paths are
# absolute so that native and guest see the same names.
set -u
MMSIM=$1
G=$2
BB=/bin/busybox
T=$(mktemp -d /var/tmp/sb.XXXXXX) # not /tmp: the guest has its own (a tmpfs); short: part 4 puts
# $T/x where ld.so's 27-character path was
trap 'rm -rf "$T"' EXIT
fail=0
pass=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }
run() { timeout 20 "$MMSIM" run -q --root / "$@"; }

cp "$G/sys_showargs" "$G/sys_execve" "$T/"
SA=$T/sys_showargs
ln -s "$BB" "$T/awk"
mk() { # name, contents (printf format, no arguments), then chmod +x
	printf "$2" > "$T/$1" && chmod +x "$T/$1"
}
mk sh1 '#!/bin/busybox sh\necho "sh1: $0 [$1] [$2] $#"\nexit 7\n'
mk sa "#!$SA  one arg  with\tspaces \t \nrest\n"
mk aw "#!$T/awk -f\nBEGIN { print \"awk:\", ARGV[1], ARGC }\n"
mk awk1 '#!/bin/busybox awk -f\n'
mk crlf "#!$SA\r\n"
mk bare '#!\n'
mk hashbang '#!'
mk blanks '#!   \t  '
mk nul1 "#!$SA\0junk arg\n"
mk nul2 "#!$SA a\0b c\n"
mk nonl "#!$SA"
mk noint "#!$T/nonexistent\n"
mk intdir "#!$T\n"
mk plain 'echo "plain: $0 $1"\n'
mk emptyfile ''
cp "$SA" "$T/sa_noexec" && chmod -x "$T/sa_noexec"
mk intnx "#!$T/sa_noexec\n"
mk noexec "#!$SA\n" && chmod -x "$T/noexec"
{ printf '#!/'; printf '%0300d\n' 0; } > "$T/longname"; chmod +x "$T/longname"
{ printf '#!%s ' "$SA"; printf '%0300d tail\n' 0; } > "$T/longarg"; chmod +x "$T/longarg"
{ printf '#!'; printf '%0260d' 0 | tr 0 ' '; printf '%s x\n' "$SA"; } > "$T/longblank"; chmod +x "$T/longblank"
# a chain: n0 is a shell script, nK's interpreter is n(K-1) with argument xK
mk n0 '#!/bin/busybox sh\necho "n0: $0 $*"\n'
for k in 1 2 3 4 5 6; do mk n$k "#!$T/n$((k - 1)) x$k\n"; done
mk nsa "#!$T/sa lvl\n"

# 1. a C guest's execve: output, errno and exit status as natively
same_execve() { # script [args...]
	f=$1; shift
	(cd "$T" && ./sys_execve "$T/$f" "X$f" "$@") > "$T/native.out" 2>&1; nrc=$?
	run -- "$BB" sh -c 'cd "$0" && exec ./sys_execve "$@"' "$T" "$T/$f" "X$f" "$@" > "$T/sim.out" 2>&1; src=$?
	if cmp -s "$T/native.out" "$T/sim.out" && [ $nrc -eq $src ]; then ok "execve $f: $(head -c 60 "$T/native.out" | head -1)"
	else bad "execve $f (native rc $nrc, mmsim rc $src)"; diff "$T/native.out" "$T/sim.out" | head -8; fi
}
for f in sa nul1 nul2 nonl longarg nsa; do same_execve $f a1 'b 2'; done
for f in crlf bare hashbang blanks noint intdir intnx noexec longname longblank plain emptyfile; do same_execve $f a1; done
for k in 0 4 5 6; do same_execve n$k a1; done
(cd "$T" && ./sys_execve "$T/sa") > "$T/native.out" 2>&1
run -- "$T/sys_execve" "$T/sa" > "$T/sim.out" 2>&1
cmp -s "$T/native.out" "$T/sim.out" && ok "execve of a script with an empty argv" || { bad "empty argv"; diff "$T/native.out" "$T/sim.out"; }
grep -q '^exe=<'"$SA"'>$' "$T/native.out" && grep -q '^execfn=<'"$T"'/sa>$' "$T/sim.out" && grep -q '^comm=<sa>$' "$T/sim.out" &&
	ok "AT_EXECFN and comm are the script's, /proc/self/exe the interpreter's" || { bad "execfn/exe/comm"; cat "$T/sim.out"; }
(cd "$T" && ./sys_execve "$T/n5" n5) | grep -q ELOOP &&
	(cd "$T" && ./sys_execve "$T/n4" n4) | grep -q "^n0: $T/n0 x1" && ok "5 nested interpreters run, the 6th is ELOOP (natively too)" ||
	bad "native nesting limit changed"

# 2. guest shells: busybox sh runs scripts, falls back to sh for ENOEXEC,
#    reports the errors as natively
same_sh() { # description, command (run in $T)
	"$BB" sh -c "cd $T && $2" > "$T/native.out" 2>&1; nrc=$?
	run -- "$BB" sh -c "cd $T && $2" > "$T/sim.out" 2>&1; src=$?
	if cmp -s "$T/native.out" "$T/sim.out" && [ $nrc -eq $src ]; then ok "sh: $1"
	else bad "sh: $1 (native rc $nrc, mmsim rc $src)"; diff "$T/native.out" "$T/sim.out" | head -8; fi
}
same_sh "script with args" "./sh1 a 'b c'"
same_sh "one-argument interpreter (awk -f)" "./aw q"
same_sh "'busybox awk -f' is one argument" "./awk1 q"
same_sh "nested interpreters" "./n3 a b"
same_sh "6 levels: ELOOP" "./n6 a"
same_sh "no #!: the shell runs it itself" "./plain p1"
same_sh "not executable: EACCES" "./noexec"
same_sh "missing interpreter" "./noint"
same_sh "script via PATH" "PATH=$T:\$PATH sh1 z"

# 3. the command line runs a script like execve (the script path given
#    to the interpreter is its guest path, here the same absolute path)
for f in sh1 sa nsa aw; do
	"$T/$f" a 'b c' > "$T/native.out" 2>&1; nrc=$?
	run -- "$T/$f" a 'b c' > "$T/sim.out" 2>&1; src=$?
	cmp -s "$T/native.out" "$T/sim.out" && [ $nrc -eq $src ] && ok "mmsim run $f" ||
		{ bad "mmsim run $f (native rc $nrc, mmsim rc $src)"; diff "$T/native.out" "$T/sim.out" | head -5; }
done
out=$(cd "$T" && timeout 20 "$MMSIM" run -q --root / -- ./sh1 rel 2>&1); rc=$?
[ "$out" = "sh1: $T/sh1 [rel] [] 1" ] && [ $rc -eq 7 ] && ok "mmsim run ./script (relative to the host cwd)" || bad "relative script: rc $rc '$out'"
# a script found inside another root, interpreter inside that root
mkdir -p "$T/root/bin" "$T/root/s"
cp "$BB" "$T/root/bin/busybox"
printf '#!/bin/busybox sh\necho "in root: $0 $1"\n' > "$T/root/s/r.sh"; chmod +x "$T/root/s/r.sh"
out=$(timeout 20 "$MMSIM" run -q --root "$T/root" -- /s/r.sh x 2>&1)
[ "$out" = "in root: /s/r.sh x" ] && ok "script looked up under --root" || bad "script under --root: '$out'"
# refusals: one line naming the script, exit 2
for c in "-- $T/noint" "-- $T/noexec" "-- $T/longname" "-- $T/n6" "-- $T/plain" "--root $T/root -- $T/sh1" "NOROOT $T/sh1"; do
	case $c in
	NOROOT*) timeout 20 "$MMSIM" run -q ${c#NOROOT } 2> "$T/err"; rc=$? ;;
	*) timeout 20 "$MMSIM" run -q --root / $c 2> "$T/err"; rc=$? ;;
	esac
	[ $rc -eq 2 ] && [ "$(wc -l < "$T/err")" -eq 1 ] && grep -q "^mmsim run: $T/" "$T/err" &&
		ok "refused: $(cat "$T/err")" || { bad "command line '$c': rc $rc"; cat "$T/err"; }
done

# 4. dynamically linked programs run from a guest shell as natively (no
#    exec refusal); one whose interpreter is not an ELF file gets ELIBBAD
#    (not ENOEXEC, which would make the shell run the binary as a script)
python3 - /bin/true "$T/badld" "$T/x" <<'EOF'
import sys
d = open(sys.argv[1], "rb").read()
old = b"/lib64/ld-linux-x86-64.so.2\0"
new = sys.argv[3].encode()
assert old in d and len(new) < len(old), (len(new), len(old))
open(sys.argv[2], "wb").write(d.replace(old, new + b"\0" * (len(old) - len(new)), 1))
EOF
"$BB" seq 1000 > "$T/x" # more than an ELF header: a shorter one is a short read (EIO)
chmod +x "$T/badld" "$T/x"
nat=$("$T/sys_execve" "$T/badld" badld 2>&1)
out=$(run -- "$T/sys_execve" "$T/badld" badld 2>&1)
[ "$out" = "$nat" ] && [ "$out" = "execve $T/badld: ELIBBAD" ] && ok "execve of a program whose interpreter is no ELF: ELIBBAD" ||
	bad "bad interpreter execve: '$out' (native '$nat')"
"$BB" sh -c "$T/badld" > /dev/null 2> "$T/nerr"
run -- "$BB" sh -c "$T/badld" > /dev/null 2> "$T/err"
cmp -s "$T/err" "$T/nerr" && grep -q "Accessing a corrupted shared library" "$T/err" && ! grep -q "syntax error" "$T/err" &&
	ok "the shell reports ELIBBAD, does not run the binary as a script" || { bad "shell on ELIBBAD"; cat "$T/err"; }
cmd="cd $T && /bin/ls sh1 sys_execve; /bin/ls sh1; tar czf - sh1 | wc -c"
"$BB" sh -c "$cmd" > "$T/nout" 2>&1
"$MMSIM" run --root / --json -o "$T/j" -- "$BB" sh -c "$cmd" > "$T/out" 2>&1
cmp -s "$T/out" "$T/nout" && ok "dynamic /bin/ls and tar's gzip from a guest shell: native output" ||
	{ bad "dynamic programs from a guest shell"; diff "$T/nout" "$T/out" | head -5; }
python3 - "$T/j" <<'EOF' && ok "no exec refusal in --json" || { bad "exec_refusals JSON"; cat "$T/j"; }
import json, sys
j = json.load(open(sys.argv[1]))
assert j["exec_refusals"] == [], j["exec_refusals"]
assert [p["comm"] for p in j["processes"]].count("ls") == 2, j["processes"]
EOF

echo "shebang: $pass passed, $fail failed"
[ $fail -eq 0 ]
