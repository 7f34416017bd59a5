#!/usr/bin/env bats
# Code from a stranger: reel runs Lua source text only, on every path that
# loads code, and --sandbox keeps a script away from files, processes,
# native code and reel's own machinery.

bats_require_minimum_version 1.5.0

setup() {
	cd "$BATS_TEST_DIRNAME/../.."
	unset REEL_DATA REEL_PATH
	printf 'print("text ran")\nreturn 42\n' > "$BATS_TEST_TMPDIR/plain.lua"
	# A precompiled chunk, made by reel itself with string.dump.
	./reel -e "local f = assert(io.open('$BATS_TEST_TMPDIR/compiled.luac', 'wb'))
		f:write(string.dump(function() print('bytecode ran') return 7 end))
		f:close()"
	mkdir -p "$BATS_TEST_TMPDIR/mods"
	cp "$BATS_TEST_TMPDIR/compiled.luac" "$BATS_TEST_TMPDIR/mods/compiled.lua"
	cp "$BATS_TEST_TMPDIR/plain.lua" "$BATS_TEST_TMPDIR/mods/plain.lua"
}

refused="precompiled binary chunk refused (reel runs Lua source text only)"

@test "the precompiled chunk really is one" {
	[ "$(head -c 4 "$BATS_TEST_TMPDIR/compiled.luac")" = $'\033Lua' ]
}

@test "a precompiled script file is refused with exit 1" {
	run --separate-stderr ./reel "$BATS_TEST_TMPDIR/compiled.luac"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "$stderr" = "reel: $BATS_TEST_TMPDIR/compiled.luac: $refused" ]
}

@test "a precompiled chunk on standard input is refused" {
	run --separate-stderr ./reel - < "$BATS_TEST_TMPDIR/compiled.luac"
	[ "$status" -eq 1 ]
	[ "$stderr" = "reel: stdin: $refused" ]
	run --separate-stderr sh -c "./reel < '$BATS_TEST_TMPDIR/compiled.luac'"
	[ "$status" -eq 1 ]
	[ "$stderr" = "reel: stdin: $refused" ]
}

@test "-e refuses a chunk that starts like bytecode" {
	run --separate-stderr ./reel -e $'\033Lua'
	[ "$status" -eq 1 ]
	[ "$stderr" = "reel: (command line): $refused" ]
}

@test "load refuses a precompiled string, whatever mode is asked" {
	run ./reel -e 'local code = string.dump(function() return 1 end)
		print(load(code))
		print(load(code, "x", "b"))
		print(load(code, "x", "bt", {}))'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = $'nil\t'"$refused" ]
	[ "${lines[1]}" = $'nil\t'"$refused" ]
	[ "${lines[2]}" = $'nil\t'"$refused" ]
}

@test "load refuses bytecode handed over by a reader function" {
	run ./reel -e 'local code, done = string.dump(function() return 1 end)
		print(load(function() if not done then done = true return code end end))'
	[ "$status" -eq 0 ]
	[ "$output" = $'nil\t'"$refused" ]
}

@test "load still runs text, with the globals or a given env" {
	run ./reel -e 'print(load("return 1 + 1")(), load("return print")() == print,
		load("return x", "=c", "t", {x = 5})(), load("return x", "=c", nil, {x = 6})())'
	[ "$status" -eq 0 ]
	[ "$output" = $'2\ttrue\t5\t6' ]
}

@test "loadfile refuses a precompiled file and loads text" {
	run ./reel -e "print(loadfile('$BATS_TEST_TMPDIR/compiled.luac'))
		print(loadfile('$BATS_TEST_TMPDIR/compiled.luac', 'b'))
		print(loadfile('$BATS_TEST_TMPDIR/plain.lua')())
		print(loadfile('$BATS_TEST_TMPDIR/plain.lua', 't', {print = print})())"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = $'nil\t'"$BATS_TEST_TMPDIR/compiled.luac: $refused" ]
	[ "${lines[1]}" = $'nil\t'"$BATS_TEST_TMPDIR/compiled.luac: $refused" ]
	[ "${lines[2]}" = "text ran" ]
	[ "${lines[3]}" = 42 ]
	[ "${lines[5]}" = 42 ]
	[[ "$output" != *"bytecode ran"* ]]
}

@test "dofile refuses a precompiled file and runs text" {
	run ./reel -e "print(pcall(dofile, '$BATS_TEST_TMPDIR/compiled.luac'))
		print(dofile('$BATS_TEST_TMPDIR/plain.lua'))"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = $'false\t'"$BATS_TEST_TMPDIR/compiled.luac: $refused" ]
	[ "${lines[1]}" = "text ran" ]
	[ "${lines[2]}" = 42 ]
	[[ "$output" != *"bytecode ran"* ]]
}

@test "require refuses a precompiled module and loads text ones" {
	run ./reel -e "package.path = '$BATS_TEST_TMPDIR/mods/?.lua'
		print(pcall(require, 'compiled'))
		print(require('plain'))"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = $'false\t'"error loading module 'compiled' from file '$BATS_TEST_TMPDIR/mods/compiled.lua':" ]
	[ "${lines[1]}" = $'\t'"$refused" ]
	[ "${lines[2]}" = "text ran" ]
	[ "${lines[3]}" = $'42\t'"$BATS_TEST_TMPDIR/mods/plain.lua" ]
	[[ "$output" != *"bytecode ran"* ]]
}

@test "require follows package.path as a script changes it" {
	run ./reel -e "package.path = 42 print(pcall(require, 'plain'))"
	[[ "$output" == *"'package.path' must be a string"* ]]
}

@test "a precompiled chunk typed at the prompt is refused" {
	run sh -c "printf '\033Lua\nprint(\"after\")\n' | ./reel -i"
	[[ "$output" == *"binary chunk"* || "$output" == *"$refused"* ]]
	[[ "$output" == *after* ]]
}

@test "--sandbox keeps base, string, table, math, utf8 and coroutine" {
	run ./reel --sandbox -e 'print(type(print), type(pcall), type(load),
		type(string.format), type(table.sort), type(math.floor),
		type(utf8.char), type(coroutine.wrap), type(select), type(collectgarbage))'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'function\t%.0s' 1 2 3 4 5 6 7 8 9)function" ]
}

@test "--sandbox leaves os.clock, os.time, os.date and os.exit only" {
	run ./reel --sandbox -e 'local names = {}
		for k in pairs(os) do names[#names + 1] = k end
		table.sort(names) print(table.concat(names, " "))
		print(require("os") == os, os.time{year = 2000, month = 1, day = 1} > 0,
			os.date("!%Y", 0), os.clock() >= 0)'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "clock date exit time" ]
	[ "${lines[1]}" = $'true\ttrue\t1970\ttrue' ]
}

@test "--sandbox takes away io, debug, package and file loading" {
	run ./reel --sandbox -e 'print(io, debug, package, dofile, loadfile,
		os.execute, os.getenv, os.setlocale, os.remove, reel.load)'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'nil\t%.0s' 1 2 3 4 5 6 7 8 9)nil" ]
	for m in io debug package; do
		run ./reel --sandbox -e "print(pcall(require, '$m'))"
		[[ "${lines[0]}" == $'false\t'"module '$m' not found:" ]]
	done
}

@test "--sandbox: the global table has no way back to what was removed" {
	run ./reel --sandbox -e 'print(_G.io, _G.package, _ENV.debug,
		require("_G").loadfile, rawget(_G, "dofile"))'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'nil\t%.0s' 1 2 3 4)nil" ]
}

@test "--sandbox: require finds the bundled modules as text, never C modules" {
	run ./reel --sandbox -e 'print(type(require("options")), type(require("periods")))'
	[ "$status" -eq 0 ]
	[ "$output" = $'table\ttable' ]
	run ./reel --sandbox -e "print(pcall(require, 'lpeg'))"
	[[ "${lines[0]}" == $'false\t'"module 'lpeg' not found:" ]]
	[[ "$output" != *".so"* ]]
}

@test "--sandbox: a precompiled module in a script folder's lib/ is refused" {
	mkdir -p "$BATS_TEST_TMPDIR/folder/lib"
	cp "$BATS_TEST_TMPDIR/compiled.luac" "$BATS_TEST_TMPDIR/folder/lib/evil.lua"
	REEL_PATH="$BATS_TEST_TMPDIR/folder" run ./reel --sandbox -e 'print(pcall(require, "evil"))'
	[ "$status" -eq 0 ]
	[[ "$output" == *"$refused"* ]]
	[[ "$output" != *"bytecode ran"* ]]
}

@test "--sandbox: load takes text only and sees the sandbox's globals" {
	run ./reel --sandbox -e 'print(load(string.dump(function() end)))
		print(load("return io, os.execute, print ~= nil")())'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = $'nil\t'"$refused" ]
	[ "${lines[1]}" = $'nil\tnil\ttrue' ]
}

@test "--sandbox: the string metatable cannot be reached" {
	run ./reel --sandbox -e 'print(getmetatable(""), getmetatable("x") == nil)
		print(pcall(function() getmetatable("").__index = {} end))
		print(("ok"):upper())'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = $'false\tfalse' ]
	[[ "${lines[1]}" == $'false\t'*"attempt to index a boolean value"* ]]
	[ "${lines[2]}" = OK ]
}

@test "--sandbox: reel's userdata hide their metatables" {
	run ./reel --sandbox -e 'print(getmetatable(films), getmetatable(films:limit(1)),
		getmetatable(films[1]), type(getmetatable(reel.null)) ~= "table")
		print(pcall(setmetatable, films, {}))'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = $'false\tfalse\tfalse\ttrue' ]
	[[ "${lines[1]}" == $'false\t'* ]]
}

@test "--sandbox: replacing library functions changes nothing reel does" {
	expected=$(./reel -e 'print(films:sort("rank"):limit(3):format("csv"))')
	run ./reel --sandbox -e 'string.format = nil tostring = nil
		string.rep = error table.concat = error reel.load = error
		reel.seed = error
		print(films:sort("rank"):limit(3):format("csv"))'
	[ "$status" -eq 0 ]
	[ "$output" = "$expected" ]
}

@test "--sandbox: methods cannot be replaced through a film or query" {
	run ./reel --sandbox -e 'print(pcall(function() films.where = print end))
		print(pcall(function() films[1].title = "x" end))
		print(#films:where{year = 2013} > 0)'
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == $'false\t'* ]]
	[[ "${lines[1]}" == $'false\t'* ]]
	[ "${lines[2]}" = true ]
}

@test "--sandbox: only the catalogue chosen with --data is visible" {
	run ./reel --sandbox --data data/films.csv -e 'print(#films, reel.load)'
	[ "$status" -eq 0 ]
	[ "$output" = $'10\tnil' ]
}

@test "--sandbox: the bundled scripts still run" {
	run ./reel --sandbox --seed 1 random_under 200
	[ "$status" -eq 0 ]
	[ -n "$output" ]
}

@test "--sandbox: os.exit ends reel with its status, finalizers run" {
	run --separate-stderr ./reel --sandbox -e '
		setmetatable({}, {__gc = function() print("finalized") end})
		print("before") os.exit(5) print("after")'
	[ "$status" -eq 5 ]
	[ "$output" = $'before\nfinalized' ]
	run ./reel --sandbox -e 'os.exit(true)'
	[ "$status" -eq 0 ]
	run ./reel --sandbox -e 'os.exit(false)'
	[ "$status" -eq 1 ]
}

@test "--sandbox: a bundled script's --help ends with status 0" {
	run ./reel --sandbox top --help
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "usage: reel top"* ]]
}

@test "--sandbox: q:save is refused and writes nothing" {
	run --separate-stderr ./reel --sandbox -e "films:limit(2):save('$BATS_TEST_TMPDIR/out.csv')"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"save is not available in the sandbox"* ]]
	[ ! -e "$BATS_TEST_TMPDIR/out.csv" ]
	run ./reel --sandbox -e "print(pcall(films.save, films, '$BATS_TEST_TMPDIR/out.csv'))"
	[[ "$output" == $'false\t'*"save is not available in the sandbox"* ]]
	[ ! -e "$BATS_TEST_TMPDIR/out.csv" ]
}

@test "no loader that takes bytecode is left, even through the debug library" {
	run ./reel -e 'print(select("#", debug.getupvalue(load, 1)),
		select("#", debug.getupvalue(loadfile, 1)), select("#", debug.getupvalue(dofile, 1)))
		local seen = 0
		for i = 1, 10 do
			local name, value = debug.getupvalue(package.searchers[2], i)
			if name == nil then break end
			seen = seen + 1
			if type(value) == "function" and value ~= package.searchpath then
				print("a loader behind the searcher")
			end
		end
		print(seen)'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = $'0\t0\t0' ]
	[ "${lines[1]}" = 2 ]
}

@test "a sandboxed finalizer that reaches a collected query gets an error, not a crash" {
	run --separate-stderr ./reel --sandbox -e 'local h = setmetatable({}, {__gc = function(o) print(pcall(function() return #o.q end)) end}) h.q = films:limit(3) h = nil collectgarbage()'
	[ "$status" -eq 0 ]
	[[ "$output" == *"false"*"attempt to use a collected query"* ]]
}

@test "a finalizer at exit that reaches a put-off sort gets an error, not a crash" {
	run --separate-stderr ./reel --sandbox -e 'k = setmetatable({}, {__gc = function(o) print(pcall(o.q.first, o.q)) end}) k.q = films:sort("-year")'
	[ "$status" -eq 0 ]
	[[ "$output" == *"attempt to use a collected query"* ]]
}
