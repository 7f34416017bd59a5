#!/usr/bin/env bats
# q:save's temporary file on every way out (an error, --timeout, SIGINT,
# SIGTERM, and a later save after SIGKILL), and targets that are not regular
# files, which are refused with nil and a message. Regression tests for
# issue 13.

bats_require_minimum_version 1.5.0

setup() {
	cd "$BATS_TEST_DIRNAME/../.."
	unset REEL_DATA REEL_PATH
	T=$BATS_TEST_TMPDIR
	mkdir "$T/out"
}

# A catalogue of $1 films, about 100 bytes each, in $T/big.csv.
big_catalogue() {
	awk -v n="$1" 'BEGIN { print "rank,title,year,duration,director,description"
		for (i = 1; i <= n; i++)
			printf "%d,Film number %d,%d,%d,Director %d,a film about the number %d and more\n",
				i, i, 1950 + i % 70, 80 + i % 90, i % 500, i }' > "$T/big.csv"
}

# The files in $T/out other than the target films.csv: none may be left.
leftovers() {
	ls -A "$T/out" | grep -v '^films\.csv$' || true
}

# {====== targets that are not regular files ======

# Through a symbolic link, so that a broken save run as root replaces the
# link, never the device itself.
@test "saving over a device (/dev/full) is refused: nil and a message, the device kept" {
	ln -s /dev/full "$T/out/full.csv"
	run ./reel -e "print(films:save('$T/out/full.csv', 'csv'))"
	[ "$status" -eq 0 ]
	[ "$output" = $'nil\t'"$T/out/full.csv: cannot save over a device (only a regular file is replaced)" ]
	[ -L "$T/out/full.csv" ]
	[ -c /dev/full ]
}

@test "saving over a named pipe or a folder is refused" {
	mkfifo "$T/out/pipe.csv"
	run ./reel -e "print(films:save('$T/out/pipe.csv'))"
	[ "$output" = $'nil\t'"$T/out/pipe.csv: cannot save over a named pipe (only a regular file is replaced)" ]
	[ -p "$T/out/pipe.csv" ]
	mkdir "$T/out/folder.csv"
	run ./reel -e "print(films:save('$T/out/folder.csv'))"
	[ "$output" = $'nil\t'"$T/out/folder.csv: cannot save over a folder (only a regular file is replaced)" ]
	[ -d "$T/out/folder.csv" ]
	[ "$(ls -A "$T/out" | wc -l)" -eq 2 ]
}

# }======

# {====== temporary files ======

@test "a later save removes the temporary file a killed save left" {
	sh -c 'exit 0' &
	dead=$!
	wait $dead
	: > "$T/out/.films.csv.reel-$dead.AbC123"
	: > "$T/out/.films.csv.reel-$$.XyZ789"   # a live process's: kept
	: > "$T/out/.other.csv.reel-$dead.AbC123" # another file's: kept
	run ./reel -e "assert(films:save('$T/out/films.csv'))"
	[ "$status" -eq 0 ]
	[ ! -e "$T/out/.films.csv.reel-$dead.AbC123" ]
	[ -e "$T/out/.films.csv.reel-$$.XyZ789" ]
	[ -e "$T/out/.other.csv.reel-$dead.AbC123" ]
}

@test "SIGKILL in the middle of a save: the next save cleans up" {
	big_catalogue 300000
	./reel --data "$T/big.csv" -e "while true do films:save('$T/out/films.csv') end" &
	pid=$!
	sleep 2
	kill -KILL $pid
	wait $pid || true
	run ./reel -e "assert(films:save('$T/out/films.csv'))"
	[ "$status" -eq 0 ]
	[ -z "$(leftovers)" ]
}

@test "SIGTERM in the middle of saves leaves no temporary file" {
	big_catalogue 300000
	./reel --data "$T/big.csv" -e "while true do films:save('$T/out/films.csv') end" &
	pid=$!
	sleep 2
	kill -TERM $pid
	status=0
	wait $pid || status=$?
	[ "$status" -eq 143 ]
	[ -z "$(leftovers)" ]
}

@test "Ctrl-C in the middle of saves: interrupted!, no temporary file" {
	# valgrind's stand-in for ./reel (make check) takes signals at its own
	# moments: this one is for the build itself
	head -c 4 reel | grep -q ELF || skip "./reel is a stand-in, not the build"
	big_catalogue 300000
	./reel --data "$T/big.csv" -e "while true do films:save('$T/out/films.csv') end" 2> "$T/err" &
	pid=$!
	sleep 2
	kill -INT $pid
	status=0
	wait $pid || status=$?
	[ "$status" -eq 1 ]
	[[ "$(head -1 "$T/err")" == "reel: "*"interrupted!" ]]
	[ -z "$(leftovers)" ]
}

@test "--timeout in the middle of a save: exit 4, no temporary file" {
	big_catalogue 300000
	run --separate-stderr ./reel --timeout 1 --data "$T/big.csv" \
		-e "while true do films:save('$T/out/films.csv') end"
	[ "$status" -eq 4 ]
	[ "$stderr" = "reel: time limit exceeded" ]
	[ -z "$(leftovers)" ]
}

@test "a save that fails (a full disk) leaves nothing and says why" {
	run ./reel -e "print(films:save('$T/out/missing/films.csv'))"
	[[ "$output" == $'nil\t'"$T/out/missing/films.csv: cannot save: "* ]]
	[ -z "$(leftovers)" ]
}

# }======
