#!/usr/bin/env bats
# Resource limits (exit 4) and the sandbox. A runaway must stop within 5
# seconds of wall clock (REEL_TIME_SLACK: more, for make check's valgrind).

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
	[ $((SECONDS - start)) -le "${REEL_TIME_SLACK:-5}" ]
}

@test "--timeout cannot be swallowed by pcall" {
	start=$SECONDS
	run --separate-stderr timeout 30 ./reel --timeout 0.5 -e '
		while true do pcall(function() while true do end end) end'
	[ "$status" -eq 4 ]
	[ "$stderr" = "reel: time limit exceeded" ]
	[ $((SECONDS - start)) -le "${REEL_TIME_SLACK:-5}" ]
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
	[[ "$stderr" == "reel: memory limit exceeded (--max-memory "*" was needed)" ]]
}

@test "--max-memory stops a huge string" {
	run --separate-stderr ./reel --max-memory 20M -e 'local s = string.rep("x", 1e8)'
	[ "$status" -eq 4 ]
	[[ "$stderr" == "reel: memory limit exceeded (--max-memory "*" was needed)" ]]
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
	[[ "$stderr" == "reel: memory limit exceeded (--max-memory "*" was needed)" ]]
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

# {====== --timeout inside reel's own callbacks ======

# Runs ./reel --timeout 1 with the code; it must stop with exit 4 and the
# message well within 5 seconds of wall clock.
stops_in_time() {
	local start=$SECONDS
	run --separate-stderr timeout 30 ./reel --timeout 1 -e "$1"
	[ "$status" -eq 4 ]
	[ "$stderr" = "reel: time limit exceeded" ]
	[ $((SECONDS - start)) -le "${REEL_TIME_SLACK:-5}" ]
}

@test "--timeout stops a filter callback that spins" {
	stops_in_time 'films:filter(function() while true do end end)'
}

@test "--timeout stops a sort comparator that spins" {
	stops_in_time 'films:sort(function(a, b) while true do end end)'
}

@test "--timeout stops a spinning filter retried under pcall" {
	stops_in_time 'while true do
		pcall(films.filter, films, function() while true do end end) end'
}

@test "--timeout stops a spinning comparator retried under pcall" {
	stops_in_time 'while true do
		pcall(films.sort, films, function() while true do end end) end'
}

@test "--timeout stops a loop of pcall and error handlers" {
	stops_in_time 'while true do xpcall(function() while true do end end,
		function() while true do end end) end'
}

@test "--timeout stops endless recursion caught by pcall" {
	stops_in_time 'local function f() return pcall(f) end while true do f() end'
}

@test "--timeout stops a runaway line at the prompt, which goes on" {
	run --separate-stderr sh -c "printf 'while true do end\nprint(\"after\")\n' |
		timeout 30 ./reel --timeout 1 -i"
	[ "$status" -eq 0 ]
	[[ "$output" == *after* ]]
	[[ "$stderr" == *"time limit exceeded"* ]]
}

# }======

# {====== --max-memory: sizes, and Lua's and the core's memory together ======

@test "--max-memory takes K, M and G, in either case" {
	for size in 64M 64m 65536K 65536k 1G 1g 67108864; do
		run ./reel --max-memory "$size" -e 'print(#films)'
		[ "$status" -eq 0 ]
		[ "$output" = 10 ]
	done
}

@test "--max-memory refuses a size it cannot read" {
	for size in 0 -5 10X 1.5M M '' 99999999999999999999G; do
		run --separate-stderr ./reel --max-memory "$size" -e 'print(1)'
		[ "$status" -eq 2 ]
		[[ "$stderr" == *"bad --max-memory"* ]]
	done
}

@test "--max-memory stops a string bomb" {
	run --separate-stderr timeout 60 ./reel --max-memory 32M \
		-e 'local s = "x" while true do s = s .. s end'
	[ "$status" -eq 4 ]
	[[ "$stderr" == "reel: memory limit exceeded (--max-memory "*" was needed)" ]]
}

@test "--max-memory stops a table of strings" {
	run --separate-stderr timeout 60 ./reel --max-memory 32M \
		-e 'local t = {} for i = 1, 1e9 do t[i] = string.rep("x", 100) .. i end'
	[ "$status" -eq 4 ]
	[[ "$stderr" == "reel: memory limit exceeded (--max-memory "*" was needed)" ]]
}

@test "--max-memory counts the core's selections: samples kept" {
	run --separate-stderr timeout 60 ./reel --max-memory 16M \
		-e 'local t = {} for i = 1, 1e9 do t[i] = films:sample(10) end'
	[ "$status" -eq 4 ]
	[[ "$stderr" == "reel: memory limit exceeded (--max-memory "*" was needed)" ]]
}

@test "--max-memory counts the core's tables: catalogues kept" {
	run --separate-stderr timeout 60 ./reel --max-memory 16M -e '
		local t = {} for i = 1, 1e9 do t[i] = assert(reel.load("data/films.csv")) end'
	[ "$status" -eq 4 ]
	[[ "$stderr" == "reel: memory limit exceeded (--max-memory "*" was needed)" ]]
}

# A catalogue of $1 films, about 50 bytes each.
big_catalogue() {
	awk -v n="$1" 'BEGIN { print "rank,title,year,duration,director"
		for (i = 1; i <= n; i++)
			printf "%d,Film number %d,%d,%d,Director %d\n", i, i, 1950 + i % 70, 80 + i % 90, i % 500 }' \
		> "$BATS_TEST_TMPDIR/big.csv"
}

@test "--max-memory stops reel.load of a catalogue too big for it" {
	big_catalogue 200000
	run --separate-stderr timeout 60 ./reel --max-memory 8M \
		-e "local big = assert(reel.load('$BATS_TEST_TMPDIR/big.csv')) print(#big)"
	[ "$status" -eq 4 ]
	[[ "$stderr" == "reel: memory limit exceeded (--max-memory "*" was needed)" ]]
	run ./reel --max-memory 256M \
		-e "local big = assert(reel.load('$BATS_TEST_TMPDIR/big.csv')) print(#big)"
	[ "$status" -eq 0 ]
	[ "$output" = 200000 ]
}

@test "--max-memory stops --data of a catalogue too big for it" {
	big_catalogue 200000
	run --separate-stderr ./reel --max-memory 8M --data "$BATS_TEST_TMPDIR/big.csv" -e 'print(#films)'
	[ "$status" -eq 4 ]
	[[ "$stderr" == "reel: memory limit exceeded (--max-memory "*" was needed)" ]]
}

@test "--max-memory stops core work on a big catalogue" {
	big_catalogue 100000
	run --separate-stderr timeout 60 ./reel --max-memory 64M --data "$BATS_TEST_TMPDIR/big.csv" -e '
		local kept = {} for i = 1, 1e9 do kept[i] = films:sort("-year") end'
	[ "$status" -eq 4 ]
	[[ "$stderr" == "reel: memory limit exceeded (--max-memory "*" was needed)" ]]
}

@test "--max-memory: garbage is collected, so a long loop within the limit runs" {
	big_catalogue 100000
	run timeout 120 ./reel --max-memory 64M --data "$BATS_TEST_TMPDIR/big.csv" -e '
		for i = 1, 200 do local q = films:sort("-year"):where{year = {ge = 1990}} end
		print("done")'
	[ "$status" -eq 0 ]
	[ "$output" = done ]
}

# {====== --max-memory that fits and holds ======

# Resident memory is only the build's to measure: not valgrind's stand-in
# for ./reel, nor an AddressSanitizer build (its shadow memory).
measures_memory() {
	head -c 4 reel | grep -q ELF || skip "./reel is a stand-in, not the build"
	if ldd reel 2>/dev/null | grep -q libasan; then
		skip "./reel is built with AddressSanitizer"
	fi
}

# The peak resident memory of the process so far, in KiB, as Lua code.
PEAK='local function peak() for l in io.lines("/proc/self/status") do
	local kb = l:match("^VmHWM:%s*(%d+)") if kb then return tonumber(kb) end end end'

@test "--max-memory: a catalogue loads under a cap of 1.5 times its file" {
	big_catalogue 400000
	kb=$(( $(wc -c < "$BATS_TEST_TMPDIR/big.csv") * 3 / 2 / 1024 ))
	run --separate-stderr ./reel --max-memory ${kb}K --data "$BATS_TEST_TMPDIR/big.csv" \
		-e 'print(#films, films[400000].title)'
	[ "$status" -eq 0 ]
	[ "$output" = $'400000\tFilm number 400000' ]
	run --separate-stderr ./reel --max-memory ${kb}K \
		-e "print(#assert(reel.load('$BATS_TEST_TMPDIR/big.csv')))"
	[ "$output" = 400000 ]
}

@test "--max-memory: resident memory stays within the cap and a small constant" {
	measures_memory
	big_catalogue 400000
	size=$(wc -c < "$BATS_TEST_TMPDIR/big.csv")
	for kb in $((size / 2 / 1024)) $((size * 9 / 10 / 1024)) $((size * 3 / 2 / 1024)); do
		run --separate-stderr ./reel --max-memory ${kb}K -e "$PEAK
			local ok = pcall(reel.load, '$BATS_TEST_TMPDIR/big.csv')
			print(ok, peak())"
		[ "$status" -eq 0 ]
		peak=${output#*$'\t'}
		echo "cap ${kb}K: ${output%%$'\t'*}, peak ${peak}K" >&3
		[ "$peak" -le $((kb + 8192)) ]
	done
}

@test "--max-memory: the limit's message says how much was needed" {
	big_catalogue 200000
	run --separate-stderr ./reel --max-memory 4M --data "$BATS_TEST_TMPDIR/big.csv" -e 'print(#films)'
	[ "$status" -eq 4 ]
	[[ "$stderr" =~ ^"reel: memory limit exceeded (--max-memory 4M; at least "([0-9.]+)"M was needed)"$ ]]
	awk -v m="${BASH_REMATCH[1]}" 'BEGIN { exit !(m > 4) }'
}

@test "a caught memory error leaves a later error its own message and exit 1" {
	run --separate-stderr ./reel --max-memory 20M -e '
		print(pcall(string.rep, "x", 1e8)) error("my bug")'
	[ "$status" -eq 1 ]
	[ "$output" = $'false\tnot enough memory' ]
	[[ "$stderr" == "reel: (command line):2: my bug"* ]]
	big_catalogue 200000
	run --separate-stderr ./reel --max-memory 8M -e "
		print(pcall(reel.load, '$BATS_TEST_TMPDIR/big.csv')) error('my bug')"
	[ "$status" -eq 1 ]
	[[ "$stderr" == "reel: (command line):2: my bug"* ]]
	run --separate-stderr ./reel --max-memory 20M -e '
		pcall(string.rep, "x", 1e8) local s = string.rep("x", 1e8)'
	[ "$status" -eq 4 ]
}

@test "--max-memory: a stream and a gzip file load under their cap too" {
	big_catalogue 200000
	kb=$(( $(wc -c < "$BATS_TEST_TMPDIR/big.csv") * 5 / 2 / 1024 ))
	run sh -c "./reel --max-memory ${kb}K --data - -e 'print(#films)' < '$BATS_TEST_TMPDIR/big.csv'"
	[ "$status" -eq 0 ]
	[ "$output" = 200000 ]
	gzip -k "$BATS_TEST_TMPDIR/big.csv"
	run ./reel --max-memory ${kb}K --data "$BATS_TEST_TMPDIR/big.csv.gz" -e 'print(#films)'
	[ "$status" -eq 0 ]
	[ "$output" = 200000 ]
}

# }======

@test "--max-memory at the prompt: the line fails and the prompt goes on" {
	run --separate-stderr sh -c "printf 'local s = string.rep(\"x\", 1e8)\nprint(\"after\")\n' |
		timeout 30 ./reel --max-memory 20M -i"
	[ "$status" -eq 0 ]
	[[ "$output" == *after* ]]
	[[ "$stderr" == *memory* ]]
}

# }======

# {====== --timeout where the hook cannot reach ======

@test "--timeout stops a finalizer that spins (hooks are off in finalizers)" {
	stops_in_time 'setmetatable({}, {__gc = function() while true do end end})
		collectgarbage()'
}

@test "--timeout also watches the finalizers run at the end" {
	start=$SECONDS
	run --separate-stderr timeout 30 ./reel --timeout 1 -e '
		setmetatable({}, {__gc = function() while true do end end}) print("ran")'
	[ "$status" -eq 4 ]
	[ "$output" = ran ]
	[ "$stderr" = "reel: time limit exceeded" ]
	[ $((SECONDS - start)) -le "${REEL_TIME_SLACK:-5}" ]
}

@test "--timeout: a prompt left waiting is not a runaway" {
	run sh -c "{ printf 'x = 1\n'; sleep 2; printf 'print(x + 1)\n'; } |
		timeout 30 ./reel --timeout 1 -i"
	[ "$status" -eq 0 ]
	[[ "$output" == *2* ]]
}

# }======

@test "--timeout takes absurdly long limits and tiny ones" {
	run ./reel --timeout 1e300 -e 'print("ok")'
	[ "$status" -eq 0 ]
	[ "$output" = ok ]
	run --separate-stderr timeout 30 ./reel --timeout 0.001 -e 'while true do end'
	[ "$status" -eq 4 ]
	run --separate-stderr ./reel --timeout 0 -e 'print(1)'
	[ "$status" -eq 2 ]
	run --separate-stderr ./reel --timeout nan -e 'print(1)'
	[ "$status" -eq 2 ]
}

# {====== corrupt downloads ======

@test "a .gz file of random bytes is a data error" {
	head -c 5000 /dev/urandom > "$BATS_TEST_TMPDIR/noise.csv.gz"
	run --separate-stderr ./reel --data "$BATS_TEST_TMPDIR/noise.csv.gz" -e 'print(#films)'
	[ "$status" -eq 3 ]
	[[ "$stderr" == "reel: $BATS_TEST_TMPDIR/noise.csv.gz"* ]]
}

@test "a gzip bomb of zeros is no catalogue, and stops at its first bytes" {
	head -c 100000000 /dev/zero | gzip -9 > "$BATS_TEST_TMPDIR/bomb.csv.gz"
	run --separate-stderr timeout 60 ./reel --data "$BATS_TEST_TMPDIR/bomb.csv.gz" -e 'print(#films)'
	[ "$status" -eq 3 ]
	[ "$stderr" = "reel: $BATS_TEST_TMPDIR/bomb.csv.gz:1:1: a NUL byte: binary data, not a text catalogue" ]
}

@test "a gzip bomb of text stops at --max-memory" {
	yes 'a,b' | head -c 100000000 | gzip -9 > "$BATS_TEST_TMPDIR/bomb.csv.gz"
	run --separate-stderr timeout 60 ./reel --max-memory 32M \
		--data "$BATS_TEST_TMPDIR/bomb.csv.gz" -e 'print(#films)'
	[ "$status" -eq 4 ]
	[[ "$stderr" == "reel: memory limit exceeded (--max-memory "*" was needed)" ]]
}

@test "a 50 MB cell stops at --max-memory" {
	{ printf 'title,year\n'; head -c 50000000 /dev/zero | tr '\0' a; printf ',1\n'; } |
		gzip > "$BATS_TEST_TMPDIR/long.csv.gz"
	run --separate-stderr timeout 60 ./reel --max-memory 32M \
		--data "$BATS_TEST_TMPDIR/long.csv.gz" -e 'print(#films)'
	[ "$status" -eq 4 ]
	[[ "$stderr" == "reel: memory limit exceeded (--max-memory "*" was needed)" ]]
}

@test "a truncated .gz download is a data error, not a shorter catalogue" {
	gzip -c data/films.csv | head -c 107 > "$BATS_TEST_TMPDIR/cut.csv.gz"
	run --separate-stderr ./reel --data "$BATS_TEST_TMPDIR/cut.csv.gz" -e 'print(#films)'
	[ "$status" -eq 3 ]
	[ "$output" = "" ]
	[ "$stderr" = "reel: $BATS_TEST_TMPDIR/cut.csv.gz: cannot decompress: unexpected end of file" ]
}

# }======

@test "--timeout ends a spinning xpcall handler cleanly: earlier output is kept" {
	start=$SECONDS
	run --separate-stderr sh -c "timeout 30 ./reel --timeout 1 -e '
		print(\"kept\") while true do
			xpcall(function() while true do end end, function() while true do end end)
		end' | cat"
	[ "$output" = kept ]
	[ "$stderr" = "reel: time limit exceeded" ]
	[ $((SECONDS - start)) -le "${REEL_TIME_SLACK:-5}" ]
}

@test "xpcall still passes arguments, handles errors and yields" {
	run ./reel -e 'print(xpcall(function(a, b) return a + b end, print, 2, 3))
		print(xpcall(error, function(m) return "handled " .. m end, "boom", 0))
		local co = coroutine.wrap(function()
			return xpcall(function() coroutine.yield(1) return 2 end, print) end)
		print(co(), co())'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = $'true\t5' ]
	[ "${lines[1]}" = $'false\thandled boom' ]
	[ "${lines[2]}" = $'1\ttrue\t2' ]
}

@test "a large natural sort under --max-memory gives the order it gives without a cap" {
	lua5.4 -e 'print("id,title")
		for i = 1, 70000 do print(i .. ",Film " .. (i * 7919 % 70000) .. (i % 3 == 0 and " Part 2" or "")) end' \
		> "$BATS_TEST_TMPDIR/many.csv"
	code='local q = films:sort("title", {collate = "natural"}) print(q[1].id, q[35000].id, q[70000].id)'
	run ./reel -d "$BATS_TEST_TMPDIR/many.csv" -e "$code"
	[ "$status" -eq 0 ]
	uncapped=$output
	run ./reel --max-memory 256M -d "$BATS_TEST_TMPDIR/many.csv" -e "$code"
	[ "$status" -eq 0 ]
	[ "$output" = "$uncapped" ]
	[ -n "$uncapped" ]
}
