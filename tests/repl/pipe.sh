# Standard input that is not a terminal runs as a script: no banner, no
# prompt, no readline. Plain sh, no tmux needed.
cd "$(dirname "$0")/../.." || exit 1
out=$(echo 'print(#films)' | ./reel 2>&1)
status=$?
n=0
check() {
	n=$((n + 1))
	if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fi
}
check "piped standard input runs as a script" '[ "$status" -eq 0 ]'
check "it prints 10" '[ "$out" = 10 ]'
check "no banner" '! printf "%s" "$out" | grep -q "help()"'
check "no prompt" '! printf "%s" "$out" | grep -q ">"'
out=$(printf 'x = 1 +\n2\nprint(x * 14)\n' | ./reel 2>&1)
check "a statement over two lines runs as in a script" '[ "$out" = 42 ]'
out=$(printf '1 + 1\n' | ./reel 2>&1)
check "an expression alone is not printed but refused, as lua does" \
	'printf "%s" "$out" | grep -q "unexpected symbol"'
echo "1..$n"
