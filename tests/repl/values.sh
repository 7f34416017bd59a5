# How the REPL prints values (reel -i fed through a pipe, so no tmux):
# Lua tables as nested Lua with sorted keys, a depth and width limit and
# <cycle>; strings raw at the top, quoted inside tables; _ the first value.
cd "$(dirname "$0")/../.." || exit 1
n=0
failed=0
# check DESCRIPTION LUA EXPECTED: the line printed for LUA is EXPECTED.
check() {
	n=$((n + 1))
	got=$(printf '%s\n' "$2" | ./reel -i 2>&1 | sed 's/^> //; /^$/d' | head -n 1)
	if [ "$got" = "$3" ]; then
		echo "ok $n - $1"
	else
		failed=1
		echo "not ok $n - $1"
		echo "#   got:      $got"
		echo "#   expected: $3"
	fi
}
# check_all DESCRIPTION LUA EXPECTED: the whole output (prompts removed).
check_all() {
	n=$((n + 1))
	got=$(printf '%s\n' "$2" | ./reel -i 2>&1 | sed 's/^> //; s/^> $//' |
		sed '/^$/d')
	if [ "$got" = "$3" ]; then
		echo "ok $n - $1"
	else
		failed=1
		echo "not ok $n - $1"
		printf '%s\n' "$got" | sed 's/^/#   /'
	fi
}

check "a string result prints raw, as lua does" '"raw " .. "text"' 'raw text'
check "several results print with tabs" 'nil, 1, "two"' "$(printf 'nil\t1\ttwo')"
check "an array prints as Lua" '{1, 2, 3}' '{1, 2, 3}'
check "strings inside a table are quoted" '{"a\"b", "new\nline"}' \
	'{"a\"b", "new\nline"}'
check "keys sort numbers first, then strings; identifiers bare" \
	'{b = 1, a = 2, [3] = "c", [-1] = 0, [1.5] = 0}' \
	'{[-1] = 0, [1.5] = 0, [3] = "c", a = 2, b = 1}'
check "other keys are bracketed" '{["not id"] = 1, ["end"] = 2}' \
	'{["end"] = 2, ["not id"] = 1}'
check "the array part comes first, without keys" '{x = 1, 10, 20}' \
	'{10, 20, x = 1}'
check "integer keys outside the array part keep their key" \
	'{1, 2, [0] = "zero", [5] = "five"}' '{1, 2, [0] = "zero", [5] = "five"}'
check "depth is cut after three levels" '{1, {2, {3, {4, {5}}}}}' \
	'{1, {2, {3, {...}}}}'
check "a cycle prints as <cycle>" 't = {} t.me = t return t' '{me = <cycle>}'
check "an empty table" '{}' '{}'
check "a table with __tostring prints through it" \
	'setmetatable({}, {__tostring = function() return "custom" end})' 'custom'
check "_ holds the first result of the last expression" \
	"$(printf '%s\n' '6 * 7, "other"' '_')" "$(printf '42\tother')"
n=$((n + 1))
entries=$(printf 'x = {} for i = 1, 60 do x["k" .. string.format("%%02d", i)] = i end\nx\n' |
	./reel -i | grep -c ' = ')
if [ "$entries" -eq 50 ]; then echo "ok $n - at most 50 entries a table"
else failed=1; echo "not ok $n - at most 50 entries a table (got $entries)"; fi
n=$((n + 1))
if printf 'x = {} for i = 1, 60 do x[i] = i end\nx\n' | ./reel -i |
	grep -q '50, \.\.\.$'; then echo "ok $n - \"...\" stands for the rest"
else failed=1; echo "not ok $n - \"...\" stands for the rest"; fi
check_all "a long table breaks into lines, nested ones indented" \
	'{title = "Miracle in Cell No. 7", year = 2013, tags = {"prison", "father", "daughter", "courtroom"}}' \
	"$(printf '%s\n' '{' \
		'  tags = {"prison", "father", "daughter", "courtroom"},' \
		'  title = "Miracle in Cell No. 7",' '  year = 2013' '}')"
check "at the prompt titles sort in natural order" \
	'reel.collation, films:sort("title"):first().title' \
	"$(printf 'natural\tA Moment to Remember')"
check "unless the session chose another order" \
	'reel.collation = "binary" return reel.collation' 'binary'
echo "1..$n"
exit $failed
