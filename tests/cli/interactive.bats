#!/usr/bin/env bats
# The prompt (-i, or no script on a terminal) fed through a pipe.

bats_require_minimum_version 1.5.0

setup() {
	cd "$BATS_TEST_DIRNAME/../.."
	unset REEL_DATA REEL_PATH
}

@test "-i prints the value of an expression" {
	run --separate-stderr sh -c "printf '1 + 1\n#films\n' | ./reel -i"
	[ "$status" -eq 0 ]
	[[ "$output" == *"> 2"* ]]
	[[ "$output" == *"> 10"* ]]
}

@test "-i runs after -e and the script" {
	printf 'y = 5\n' > "$BATS_TEST_TMPDIR/set.lua"
	run sh -c "printf 'print(x + y)\n' | ./reel -e 'x = 2' -i '$BATS_TEST_TMPDIR/set.lua'"
	[ "$status" -eq 0 ]
	[[ "$output" == *7* ]]
}

@test "statements run, and several results print with tabs" {
	run sh -c "printf 'local a = 3\nz = 4\nz, z * 2\n' | ./reel -i"
	[ "$status" -eq 0 ]
	[[ "$output" == *$'4\t8'* ]]
}

@test "an incomplete statement continues on the next line" {
	run sh -c "printf 'for i = 1, 2 do\nprint(i * 10)\nend\n' | ./reel -i"
	[ "$status" -eq 0 ]
	[[ "$output" == *">> "* ]]
	[[ "$output" == *10*20* ]]
}

@test "an error prints and the loop goes on" {
	run --separate-stderr sh -c "printf 'error(\"boom\")\nprint(\"after\")\n' | ./reel -i"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"stdin:1: boom"* ]]
	[[ "$stderr" == *"stack traceback"* ]]
	[[ "$output" == *after* ]]
}

@test "a syntax error prints and the loop goes on" {
	run --separate-stderr sh -c "printf 'x = = 1\nprint(\"after\")\n' | ./reel -i"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"stdin:1:"* ]]
	[[ "$output" == *after* ]]
}

@test "an incomplete statement at the end of input is reported" {
	run --separate-stderr sh -c "printf 'if true then\n' | ./reel -i"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"<eof>"* ]]
}

@test "a query prints as a table of films" {
	run sh -c "printf 'films:sort(\"rank\"):limit(2)\n' | ./reel -i"
	[ "$status" -eq 0 ]
	first=$(./reel -e 'print(films:sort("rank")[1].title)')
	third=$(./reel -e 'print(films:sort("rank")[3].title)')
	[[ "$output" == *"$first"* ]]
	[[ "$output" != *"$third"* ]]
}

@test "a film prints as Title (year, N min)" {
	run sh -c "printf 'films[1]\n' | ./reel -i"
	expected=$(./reel -e 'print(tostring(films[1]))')
	[[ "$output" == *"$expected"* ]]
}

@test "_PROMPT and _PROMPT2 change the prompts" {
	run sh -c "printf '_PROMPT = \"films? \" _PROMPT2 = \"...? \"\nif true then\nend\n' | ./reel -i"
	[ "$status" -eq 0 ]
	[[ "$output" == *"films? ...? films? "* ]]
}

@test "a long line is read whole" {
	long=$(printf 'x%.0s' $(seq 1 3000))
	run sh -c "printf 's = \"$long\"\n#s\n' | ./reel -i"
	[ "$status" -eq 0 ]
	[[ "$output" == *3000* ]]
}

@test "the end of input leaves with status 0" {
	run sh -c "./reel -i < /dev/null"
	[ "$status" -eq 0 ]
	[ "$output" = "> " ]
}

@test "os.exit at the prompt exits with its status" {
	run sh -c "printf 'os.exit(5)\n' | ./reel -i"
	[ "$status" -eq 5 ]
}
