# here-documents: expanded, quoted, tab-stripped, into a loop and a function
name=world
cat <<END
hello $name, $((6 * 7)) and $(echo subst)
END
cat <<'END'
literal $name $(not run)
END
cat <<-END
	tabs stripped for $name
	END
while read -r a b; do echo "[$b:$a]"; done <<END
1 one
2 two
3 three
END
f() { tr a-z A-Z; }
f <<END
piped into a function
END
