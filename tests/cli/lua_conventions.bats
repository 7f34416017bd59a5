#!/usr/bin/env bats
# lua's own conventions: -l NAME (and -l G=NAME), -E, LUA_INIT and
# LUA_INIT_5_4 (code, or @FILE) run first unless -E; --seed seeds
# math.random as well as reel's picks.

bats_require_minimum_version 1.5.0

setup() {
	cd "$BATS_TEST_DIRNAME/../.."
	unset REEL_DATA REEL_PATH LUA_INIT LUA_INIT_5_4 LUA_PATH LUA_PATH_5_4
	mkdir -p "$BATS_TEST_TMPDIR/lib"
	printf 'return {name = "greeting", hello = function(who) return "hello " .. who end}\n' \
		> "$BATS_TEST_TMPDIR/lib/greeting.lua"
	export LUA_PATH="$BATS_TEST_TMPDIR/lib/?.lua;;"
}

@test "-l requires a module into the global of its name" {
	run ./reel -l greeting -e 'print(greeting.hello("films"), package.loaded.greeting == greeting)'
	[ "$status" -eq 0 ]
	[ "$output" = $'hello films\ttrue' ]
}

@test "-lNAME and -l G=NAME" {
	run ./reel -lgreeting -e 'print(greeting.name)'
	[ "$output" = greeting ]
	run ./reel -l g=greeting -e 'print(g.name, greeting)'
	[ "$output" = $'greeting\tnil' ]
}

@test "-l and -e run in the order given, before the script" {
	printf 'print("script", g.name)\n' > "$BATS_TEST_TMPDIR/s.lua"
	run ./reel -e 'print("first", g)' -l g=greeting -e 'print("then", g.name)' \
		"$BATS_TEST_TMPDIR/s.lua"
	[ "${lines[0]}" = $'first\tnil' ]
	[ "${lines[1]}" = $'then\tgreeting' ]
	[ "${lines[2]}" = $'script\tgreeting' ]
}

@test "-l reel gives the module; -l of a missing module is a script error" {
	run ./reel -l reel -e 'print(reel.version == require("reel").version)'
	[ "$output" = true ]
	run --separate-stderr ./reel -l no_such_module -e 'print("not reached")'
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ "${stderr_lines[0]}" == "reel: module 'no_such_module' not found:" ]]
	run --separate-stderr ./reel -l ''
	[ "$status" -eq 2 ]
}

@test "LUA_INIT runs first, as code" {
	LUA_INIT='seen = #films * 2' run ./reel -e 'print(seen)'
	[ "$status" -eq 0 ]
	[ "$output" = 20 ]
}

@test "LUA_INIT=@FILE runs the file; LUA_INIT_5_4 wins over LUA_INIT" {
	printf 'from_file = "yes"\n' > "$BATS_TEST_TMPDIR/init.lua"
	LUA_INIT="@$BATS_TEST_TMPDIR/init.lua" run ./reel -e 'print(from_file)'
	[ "$output" = yes ]
	LUA_INIT='which = "plain"' LUA_INIT_5_4='which = "5.4"' run ./reel -e 'print(which)'
	[ "$output" = 5.4 ]
}

@test "LUA_INIT runs before a script and before the prompt's input" {
	printf 'print(ready)\n' > "$BATS_TEST_TMPDIR/s.lua"
	LUA_INIT='ready = "set"' run ./reel "$BATS_TEST_TMPDIR/s.lua"
	[ "$output" = set ]
	LUA_INIT='ready = "piped"' run sh -c 'echo "print(ready)" | ./reel'
	[ "$output" = piped ]
}

@test "a failing LUA_INIT is a script error that names it" {
	LUA_INIT='error("init broke")' run --separate-stderr ./reel -e 'print("not reached")'
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ "${stderr_lines[0]}" == "reel: LUA_INIT:1: init broke" ]]
	LUA_INIT='@/no/such/init.lua' run --separate-stderr ./reel -e 'print(1)'
	[ "$status" -eq 1 ]
	[[ "${stderr_lines[0]}" == *"/no/such/init.lua"* ]]
	LUA_INIT_5_4='x = = 1' run --separate-stderr ./reel -e 'print(1)'
	[ "$status" -eq 1 ]
	[[ "${stderr_lines[0]}" == "reel: LUA_INIT_5_4:1: unexpected symbol"* ]]
}

@test "-E ignores LUA_INIT, LUA_INIT_5_4 and LUA_PATH" {
	LUA_INIT='error("must not run")' LUA_INIT_5_4='error("nor this")' \
		run ./reel -E -e 'print("clean")'
	[ "$status" -eq 0 ]
	[ "$output" = clean ]
	run ./reel -E -e 'print(pcall(require, "greeting"))'
	[[ "$output" == false* ]]
	run ./reel -E -e 'print(package.path:find(os.getenv("LUA_PATH"), 1, true))'
	[ "$output" = nil ]
}

@test "--sandbox takes no code from the environment" {
	LUA_INIT='error("must not run")' run ./reel --sandbox -e 'print("sandboxed")'
	[ "$status" -eq 0 ]
	[ "$output" = sandboxed ]
}

@test "--seed seeds math.random as well as reel's picks" {
	run ./reel --seed 42 -e 'print(math.random(1, 1000000), math.random(), films:random())'
	first=$output
	run ./reel --seed 42 -e 'print(math.random(1, 1000000), math.random(), films:random())'
	[ "$output" = "$first" ]
	run ./reel --seed 43 -e 'print(math.random(1, 1000000), math.random(), films:random())'
	[ "$output" != "$first" ]
	run ./reel --seed 42 -e 'math.randomseed(42) print(math.random(1, 1000000))'
	[ "$output" = "${first%%$'\t'*}" ]
}
