#!/usr/bin/env bats
# Running Lua through ./reel: -e, script files, standard input, arg and
# `...`, "#!" lines, errors and their exit status.

bats_require_minimum_version 1.5.0

setup() {
	cd "$BATS_TEST_DIRNAME/../.."
	unset REEL_DATA REEL_PATH
}

@test "-e sees the built-in catalogue as films" {
	run ./reel -e 'print(#films, type(films))'
	[ "$status" -eq 0 ]
	[ "$output" = $'10\tuserdata' ]
}

@test "reel is a global and package.loaded.reel" {
	run ./reel -e 'print(type(reel), reel == package.loaded.reel, require("reel") == reel)'
	[ "$status" -eq 0 ]
	[ "$output" = $'table\ttrue\ttrue' ]
}

@test "-e chunks run in order, before the script" {
	printf 'print("script", x)\n' > "$BATS_TEST_TMPDIR/s.lua"
	run ./reel -e 'x = 1 print("first")' -e 'x = x + 1 print("second")' \
		"$BATS_TEST_TMPDIR/s.lua"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = first ]
	[ "${lines[1]}" = second ]
	[ "${lines[2]}" = $'script\t2' ]
}

@test "-e accepts its code glued to the option" {
	run ./reel '-eprint(6 * 7)'
	[ "$status" -eq 0 ]
	[ "$output" = 42 ]
}

@test "a script gets arg and ... as under lua" {
	script="$BATS_TEST_TMPDIR/args.lua"
	cat > "$script" <<'LUA'
print(arg[0], arg[1], arg[2], #arg)
print(select("#", ...), ...)
print(arg[-1], arg[-2], arg[-3])
LUA
	run ./reel -e 'x = 1' "$script" one 'two words'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$script"$'\tone\ttwo words\t2' ]
	[ "${lines[1]}" = $'2\tone\ttwo words' ]
	[ "${lines[2]}" = $'x = 1\t-e\t./reel' ]
}

@test "words after the script are its own, even ones that look like options" {
	printf 'print(...)\n' > "$BATS_TEST_TMPDIR/echo.lua"
	run ./reel "$BATS_TEST_TMPDIR/echo.lua" -e --frob -v
	[ "$status" -eq 0 ]
	[ "$output" = $'-e\t--frob\t-v' ]
}

@test "-- ends the options" {
	printf 'print(arg[0] == "-v.lua" or arg[0], ...)\n' > "$BATS_TEST_TMPDIR/dash.lua"
	cd "$BATS_TEST_TMPDIR"
	cp dash.lua ./-v.lua
	run "$OLDPWD/reel" -- -v.lua -h
	[ "$status" -eq 0 ]
	[ "$output" = $'true\t-h' ]
}

@test "a #! first line is skipped" {
	script="$BATS_TEST_TMPDIR/shebang.lua"
	printf '#!/usr/bin/env reel\nprint("ran", #films)\n' > "$script"
	run ./reel "$script"
	[ "$status" -eq 0 ]
	[ "$output" = $'ran\t10' ]
}

@test "- runs standard input as the script, with arguments" {
	run ./reel - a b <<'LUA'
#!/usr/bin/env reel
print(select("#", ...), ...)
print(arg[0])
LUA
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = $'2\ta\tb' ]
	[ "${lines[1]}" = "-" ]
}

@test "piped standard input without a script runs as a script" {
	run sh -c "echo 'print(#films)' | ./reel"
	[ "$status" -eq 0 ]
	[ "$output" = 10 ]
}

@test "-e without a script does not read standard input" {
	run sh -c "echo 'print(\"from stdin\")' | ./reel -e 'print(1)'"
	[ "$status" -eq 0 ]
	[ "$output" = 1 ]
}

@test "a runtime error exits 1 with the message and a traceback" {
	run --separate-stderr ./reel -e 'local function boom() error("boom") end boom()'
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ "$stderr" == "reel: (command line):1: boom"* ]]
	[[ "$stderr" == *"stack traceback"* ]]
}

@test "an error in a script file names the file and line" {
	script="$BATS_TEST_TMPDIR/fails.lua"
	printf 'print("before")\nlocal x = nil + 1\n' > "$script"
	run --separate-stderr ./reel "$script"
	[ "$status" -eq 1 ]
	[ "$output" = before ]
	[[ "$stderr" == "reel: $script:2: attempt to perform arithmetic"* ]]
	[[ "$stderr" == *"stack traceback"* ]]
}

@test "a non-string error object is described" {
	run --separate-stderr ./reel -e 'error({})'
	[ "$status" -eq 1 ]
	[[ "$stderr" == "reel: (error object is a table value)"* ]]
}

@test "a syntax error exits 1" {
	run --separate-stderr ./reel -e 'print(('
	[ "$status" -eq 1 ]
	[[ "$stderr" == "reel: (command line):1:"*"<eof>"* ]]
}

@test "the first failing -e stops the run" {
	run ./reel -e 'print("one")' -e 'error("two")' -e 'print("three")'
	[ "$status" -eq 1 ]
	[[ "$output" == *one* ]]
	[[ "$output" != *three* ]]
}

@test "os.exit(n) exits n" {
	run ./reel -e 'print("leaving") os.exit(7)'
	[ "$status" -eq 7 ]
	[ "$output" = leaving ]
	run ./reel -e 'os.exit(false)'
	[ "$status" -eq 1 ]
}

@test "precompiled chunks are refused" {
	chunk="$BATS_TEST_TMPDIR/chunk.luac"
	./reel -e "local f = assert(io.open('$chunk', 'wb'))
		f:write(string.dump(function() print('ran bytecode') end)) f:close()"
	[ -s "$chunk" ]
	run --separate-stderr ./reel "$chunk"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ "$stderr" == *"$chunk"*"binary chunk"* ]]
	run --separate-stderr ./reel - < "$chunk"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"binary chunk"* ]]
}

@test "-v and --version print the version and exit 0" {
	expected=$(./reel -e 'print("reel " .. reel.version .. " (" .. _VERSION .. ")")')
	run ./reel -v
	[ "$status" -eq 0 ]
	[ "$output" = "$expected" ]
	[[ "$output" =~ ^reel\ [0-9]+\.[0-9]+\.[0-9]+\ \(Lua\ 5\.4\)$ ]]
	run ./reel --version
	[ "$output" = "$expected" ]
}

@test "-h and --help print the usage on stdout and exit 0" {
	run --separate-stderr ./reel -h
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "${lines[0]}" = "usage: reel [options] [script [args...]]" ]
	for option in -e -i --data --column --seed --list --sandbox --timeout \
		--max-memory --help --version; do
		[[ "$output" == *" $option"* ]] || { echo "missing $option"; false; }
	done
	run ./reel --help
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "usage: reel [options] [script [args...]]" ]
}

@test "the man page documents every option and renders" {
	for option in -e -i -d --data --column --seed --list --sandbox --timeout \
		--max-memory -h --help -v --version REEL_DATA REEL_PATH NO_COLOR; do
		roff=$(printf '%s' "$option" | sed 's/-/\\-/g')
		grep -qF -- "$roff" reel.1 || { echo "reel.1 lacks $option"; false; }
	done
	if command -v groff > /dev/null; then
		run groff -man -Tutf8 -ww -z reel.1
		[ "$status" -eq 0 ]
		[ -z "$output" ]
	fi
}

@test "output that cannot be written is an error" {
	[ -w /dev/full ] || skip "no /dev/full"
	run --separate-stderr sh -c "./reel -e 'print(\"lost\")' > /dev/full"
	[ "$status" -eq 1 ]
	[[ "$stderr" == "reel: cannot write the output: No space left on device" ]]
	run --separate-stderr sh -c "./reel --list > /dev/full"
	[ "$status" -eq 1 ]
}
