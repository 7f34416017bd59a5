#!/usr/bin/env bats
# The man page reel.1 documents every call of the Lua API (every Query
# method, every field of the module), every option of --help and every
# environment variable reel reads; it is well-formed roff.

bats_require_minimum_version 1.5.0

setup() {
	cd "$BATS_TEST_DIRNAME/../.."
	# reel.1 as plain text: roff's escaped dashes and font changes undone
	sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\(dq/"/g' reel.1 > "$BATS_TEST_TMPDIR/reel.txt"
}

@test "every Query method is documented as q:NAME" {
	methods=$(./reel -e 'local _, m = debug.getupvalue(getmetatable(films).__index, 1)
		for name in pairs(m) do print(name) end')
	[ -n "$methods" ]
	for name in $methods; do
		grep -q -E "q:$name\\b" "$BATS_TEST_TMPDIR/reel.txt" ||
			{ echo "reel.1 lacks q:$name"; return 1; }
	done
}

@test "every field of the module is documented as reel.NAME" {
	for name in $(./reel -e 'for name in pairs(reel) do print(name) end'); do
		grep -q "reel\\.$name" "$BATS_TEST_TMPDIR/reel.txt" ||
			{ echo "reel.1 lacks reel.$name"; return 1; }
	done
}

@test "a film's calls are documented" {
	grep -q "f:totable()" "$BATS_TEST_TMPDIR/reel.txt"
	grep -q "tostring(f)" "$BATS_TEST_TMPDIR/reel.txt"
}

@test "every option of --help is documented" {
	options=$(./reel --help | grep -o -E '^  (-[a-zA-Z], )?--?[a-zA-Z-]+' |
		sed 's/,//' | tr -s ' ' '\n' | grep -v '^$' | sort -u)
	[ -n "$options" ]
	for option in $options; do
		grep -q -E -- "^\\.[BIR]+ (.* )?\"?$option\\b" "$BATS_TEST_TMPDIR/reel.txt" ||
			{ echo "reel.1 lacks $option"; return 1; }
	done
}

@test "every environment variable is documented" {
	for name in REEL_DATA REEL_PATH REEL_HISTORY LUA_INIT LUA_INIT_5_4 LUA_PATH \
	            PAGER NO_COLOR; do
		sed -n '/^\.SH ENVIRONMENT/,/^\.SH /p' "$BATS_TEST_TMPDIR/reel.txt" |
			grep -q "$name" || { echo "ENVIRONMENT lacks $name"; return 1; }
	done
}

@test "every output format is documented" {
	for format in table csv tsv json jsonl markdown lines; do
		grep -q -E "\\b$format\\b" "$BATS_TEST_TMPDIR/reel.txt" ||
			{ echo "reel.1 lacks $format"; return 1; }
	done
}

@test "reel.1 renders without warnings" {
	command -v groff >/dev/null || skip "no groff"
	run --separate-stderr groff -man -Tutf8 -ww -z reel.1
	[ -z "$stderr" ] || { echo "$stderr"; return 1; }
}
