#!/usr/bin/env bats
# Finding scripts: --list, bundled names along REEL_PATH and the folder
# beside the executable, and their shared lib/ modules.

bats_require_minimum_version 1.5.0

setup() {
	cd "$BATS_TEST_DIRNAME/../.."
	REEL="$PWD/reel"
	unset REEL_DATA REEL_PATH
	mine="$BATS_TEST_TMPDIR/mine"
	mkdir -p "$mine/lib"
	printf -- '-- Say hello to the catalogue\nlocal greet = require("greet")\nprint(greet(#films), ...)\n' \
		> "$mine/hello.lua"
	printf 'return function(n) return "hello " .. n end\n' > "$mine/lib/greet.lua"
	printf -- '-- A helper, not a script\n' > "$mine/lib/helper.lua"
}

# The first comment line of a script, without "-- ".
summary_of() {
	sed -n '/^--/{s/^-- *//;p;q}' "$1"
}

@test "--list shows every bundled script with its first comment line" {
	run --separate-stderr ./reel --list
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	count=0
	for script in scripts/*.lua; do
		name=$(basename "$script" .lua)
		summary=$(summary_of "$script")
		[ -n "$summary" ]
		printf '%s\n' "$output" | grep -Eq "^$name +$(printf '%s' "$summary" | sed 's/[][\.*^$()|+?{}]/\\&/g')\$" ||
			{ echo "no line for $name: $summary"; false; }
		count=$((count + 1))
	done
	[ "${#lines[@]}" -eq "$count" ]
	[[ "$output" == *random_under* ]]
}

@test "--list is sorted and skips lib/" {
	run ./reel --list
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" | cut -d' ' -f1 | LC_ALL=C sort -c
	[[ "$output" != *options* ]]
}

@test "--list takes REEL_PATH first, and a name found twice once" {
	printf -- '-- My own random pick\nprint("mine")\n' > "$mine/random_under.lua"
	REEL_PATH="$mine" run ./reel --list
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | grep -c '^random_under ')" -eq 1 ]
	printf '%s\n' "$output" | grep -Eq '^random_under +My own random pick$'
	printf '%s\n' "$output" | grep -Eq '^hello +Say hello to the catalogue$'
	[[ "$output" != *helper* ]]
}

@test "the checkout's scripts are found from any working folder" {
	cd "$BATS_TEST_TMPDIR"
	run "$REEL" --list
	[ "$status" -eq 0 ]
	[[ "$output" == *random_under* ]]
	run "$REEL" --seed 1 random_under 500
	[ "$status" -eq 0 ]
	[ -n "$output" ]
}

@test "a bundled name runs NAME.lua from REEL_PATH with its lib/ modules" {
	REEL_PATH="$BATS_TEST_TMPDIR/empty::$mine" run ./reel hello a b
	[ "$status" -eq 0 ]
	[ "$output" = $'hello 10\ta\tb' ]
}

@test "arg[0] of a bundled script is its file" {
	printf 'print(arg[0])\n' > "$mine/where.lua"
	REEL_PATH="$mine" run ./reel where
	[ "$output" = "$mine/where.lua" ]
}

@test "an existing file in the working folder beats a bundled name" {
	cd "$BATS_TEST_TMPDIR"
	printf 'print("local file")\n' > random_under
	run "$REEL" random_under
	[ "$status" -eq 0 ]
	[ "$output" = "local file" ]
}

@test "the bundled scripts can require their shared modules" {
	run ./reel -e 'print(type(require("options")))'
	[ "$status" -eq 0 ]
	[ "$output" = table ]
}
