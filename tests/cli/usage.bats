#!/usr/bin/env bats
# Usage errors: each exits 2 with a message naming what was wrong.

bats_require_minimum_version 1.5.0

USAGE="usage: reel [options] [script [args...]]"

setup() {
	cd "$BATS_TEST_DIRNAME/../.."
	unset REEL_DATA REEL_PATH
}

# Runs reel with the arguments; expects exit 2, nothing on stdout and
# $expected as the first line of stderr.
usage_fails() {
	run --separate-stderr ./reel "$@"
	[ "$status" -eq 2 ] || { echo "status $status: $stderr"; return 1; }
	[ -z "$output" ] || { echo "stdout: $output"; return 1; }
	[ "${stderr_lines[0]}" = "$expected" ] || { echo "stderr: $stderr"; return 1; }
}

@test "an unknown option" {
	expected="reel: unknown option '--frob'" usage_fails --frob
	[ "${stderr_lines[1]}" = "$USAGE" ]
	expected="reel: unknown option '-x'" usage_fails -x -e 'print(1)'
}

@test "an option without its argument" {
	expected="reel: option '-e' needs an argument" usage_fails -e
	[ "${stderr_lines[1]}" = "$USAGE" ]
	expected="reel: option '--data' needs an argument" usage_fails --data
	expected="reel: option '-d' needs an argument" usage_fails -d
	expected="reel: option '--seed' needs an argument" usage_fails --seed
	expected="reel: option '--column' needs an argument" usage_fails --column
	expected="reel: option '--timeout' needs an argument" usage_fails --timeout
	expected="reel: option '--max-memory' needs an argument" usage_fails --max-memory
}

@test "a bad --seed" {
	expected="reel: bad --seed 'abc' (an integer expected)" usage_fails --seed abc
	expected="reel: bad --seed '4.2' (an integer expected)" usage_fails --seed 4.2
	expected="reel: bad --seed '' (an integer expected)" usage_fails --seed ''
	expected="reel: bad --seed '99999999999999999999' (an integer expected)" \
		usage_fails --seed 99999999999999999999
}

@test "a bad --timeout" {
	expected="reel: bad --timeout 'soon' (seconds expected)" usage_fails --timeout soon
	expected="reel: bad --timeout '0' (seconds expected)" usage_fails --timeout 0
	expected="reel: bad --timeout '-3' (seconds expected)" usage_fails --timeout=-3
}

@test "a bad --max-memory" {
	expected="reel: bad --max-memory '12Q' (a size such as 512M expected)" \
		usage_fails --max-memory 12Q
	expected="reel: bad --max-memory 'M' (a size such as 512M expected)" \
		usage_fails --max-memory M
	expected="reel: bad --max-memory '0' (a size such as 512M expected)" \
		usage_fails --max-memory 0
	expected="reel: bad --max-memory '-1G' (a size such as 512M expected)" \
		usage_fails --max-memory -1G
}

@test "a bad --column" {
	expected="reel: bad --column 'duration' (FIELD=SOURCE expected)" \
		usage_fails --column duration
	expected="reel: bad --column '=Runtime' (FIELD=SOURCE expected)" \
		usage_fails --column =Runtime
	expected="reel: bad --column 'duration=' (FIELD=SOURCE expected)" \
		usage_fails --column duration=
}

@test "an empty --data" {
	expected="reel: bad --data '' (a file name expected)" usage_fails --data ''
	expected="reel: bad --data '' (a file name expected)" usage_fails -d ''
}

@test "a script name that no folder holds" {
	expected="reel: no script named 'no_such_script' (reel --list shows the bundled scripts)" \
		usage_fails no_such_script
}

@test "a script path that cannot be opened" {
	expected="reel: cannot open missing.lua: No such file or directory" \
		usage_fails missing.lua
	expected="reel: cannot open $BATS_TEST_TMPDIR/nope: No such file or directory" \
		usage_fails "$BATS_TEST_TMPDIR/nope"
}

@test "the usage error comes before any code runs" {
	run --separate-stderr ./reel -e 'print("ran")' --frob
	[ "$status" -eq 2 ]
	[ -z "$output" ]
}

@test "well-formed limits are accepted" {
	run ./reel --timeout 2.5 --max-memory 256M --sandbox --seed -3 -e 'print("ok")'
	[ "$status" -eq 0 ]
	[ "$output" = ok ]
	run ./reel --timeout=1 --max-memory=1G --seed=7 -e 'print("ok")'
	[ "$status" -eq 0 ]
	[ "$output" = ok ]
}
