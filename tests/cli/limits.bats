#!/usr/bin/env bats
# Resource limits (exit 4) and the sandbox.

bats_require_minimum_version 1.5.0

setup() {
	cd "$BATS_TEST_DIRNAME/../.."
	unset REEL_DATA REEL_PATH
}

@test "--timeout stops an endless loop with exit 4" {
	start=$SECONDS
	run --separate-stderr timeout 30 ./reel --timeout 1 -e 'while true do end'
	[ "$status" -eq 4 ]
	[ "$stderr" = "reel: time limit exceeded" ]
	[ $((SECONDS - start)) -le 5 ]
}

@test "--timeout cannot be swallowed by pcall" {
	start=$SECONDS
	run --separate-stderr timeout 30 ./reel --timeout 0.5 -e '
		while true do pcall(function() while true do end end) end'
	[ "$status" -eq 4 ]
	[ "$stderr" = "reel: time limit exceeded" ]
	[ $((SECONDS - start)) -le 5 ]
}

@test "--timeout stops a script file and a coroutine too" {
	script="$BATS_TEST_TMPDIR/spin.lua"
	printf 'local co = coroutine.wrap(function() while true do end end)\nco()\n' > "$script"
	run --separate-stderr timeout 30 ./reel --timeout 1 "$script"
	[ "$status" -eq 4 ]
	[ "$stderr" = "reel: time limit exceeded" ]
}

@test "a run within --timeout succeeds" {
	run ./reel --timeout 10 -e 'local n = 0 for i = 1, 1e6 do n = n + i end print(n)'
	[ "$status" -eq 0 ]
	[ "$output" = 500000500000 ]
}

@test "--max-memory stops a growing table with exit 4" {
	run --separate-stderr timeout 60 ./reel --max-memory 20M \
		-e 'local t = {} for i = 1, 1e9 do t[i] = i end'
	[ "$status" -eq 4 ]
	[ "$stderr" = "reel: memory limit exceeded" ]
}

@test "--max-memory stops a huge string" {
	run --separate-stderr ./reel --max-memory 20M -e 'local s = string.rep("x", 1e8)'
	[ "$status" -eq 4 ]
	[ "$stderr" = "reel: memory limit exceeded" ]
}

@test "--max-memory leaves room for ordinary work" {
	run ./reel --max-memory 20M -e 'local t = {} for i = 1, 1e5 do t[i] = i end print(#t, #films)'
	[ "$status" -eq 0 ]
	[ "$output" = $'100000\t10' ]
}

@test "--max-memory too small for anything exits 4" {
	run --separate-stderr ./reel --max-memory 16K -e 'print("ran")'
	[ "$status" -eq 4 ]
	[ -z "$output" ]
	[ "$stderr" = "reel: memory limit exceeded" ]
}

@test "a memory error without --max-memory is a script error" {
	run --separate-stderr ./reel -e 'error("out of memory, says the script")'
	[ "$status" -eq 1 ]
}

@test "--sandbox takes away files, processes and native code" {
	run ./reel --sandbox -e 'print(io, debug, dofile, loadfile, os.execute,
		os.remove, os.getenv, package, reel.load)'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'nil\t%.0s' 1 2 3 4 5 6 7 8)nil" ]
	run ./reel --sandbox -e 'print(pcall(require, "io"))'
	[ "${lines[0]}" = $'false\tmodule \'io\' not found:' ]
}

@test "--sandbox keeps the query language and safe libraries" {
	in_2013=$(cut -d, -f4 data/films.csv | grep -c '^2013$')
	run ./reel --sandbox -e 'print(#films:where{year = 2013}, string.upper("ok"),
		math.max(1, 2), os.time() > 0, type(require("options")))'
	[ "$status" -eq 0 ]
	[ "$output" = "$in_2013"$'\tOK\t2\ttrue\ttable' ]
}

@test "--sandbox load() takes source text only" {
	run ./reel --sandbox -e 'print(load("return 1 + 1")())
		print(load(string.dump(function() end)))'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 2 ]
	[[ "${lines[1]}" == "nil"*"binary chunk"* ]]
}

@test "--sandbox require finds the scripts' modules only, whatever the folder" {
	printf 'print("escaped")\n' > "$BATS_TEST_TMPDIR/outside.lua"
	run ./reel --sandbox -e "print(package, pcall(require, '$BATS_TEST_TMPDIR/outside'))
		print(pcall(require, 'outside'))
		print(type(require('options')))"
	[ "$status" -eq 0 ]
	[[ "$output" != *escaped* ]]
	[[ "${lines[0]}" == $'nil\tfalse\tmodule '* ]]
	[[ "$output" == *$'false\tmodule \'outside\' not found:'* ]]
	[ "${lines[-1]}" = table ]
	run ./reel -e "package.path = '$BATS_TEST_TMPDIR/?.lua' require('outside')"
	[ "$output" = escaped ]
}
