#!/usr/bin/env bats
# Shell completion: completion/reel.bash driven as bash's programmable
# completion drives it (COMP_WORDS, COMP_CWORD, then COMPREPLY), and both
# scripts checked against what reel itself takes: every option of --help,
# the formats of -o. The zsh script is driven in a terminal by
# tests/repl/zsh_completion.sh.

bats_require_minimum_version 1.5.0

setup() {
	cd "$BATS_TEST_DIRNAME/../.."
	unset REEL_DATA REEL_PATH
}

# complete WORD...: COMPREPLY, one a line, for the command line WORD...
# with the cursor at the end of the last word.
complete() {
	bash -c 'source completion/reel.bash
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_reel
		printf "%s\n" "${COMPREPLY[@]}"' bash "$@"
}

@test "bash: options" {
	run complete ./reel --ou
	[ "$output" = --output ]
	run complete ./reel --s
	[ "$output" = $'--seed\n--sandbox' ]
}

@test "bash: the formats after -o and --output" {
	run complete ./reel -o j
	[ "$output" = $'json\njsonl' ]
	run complete ./reel --output = m
	[ "$output" = markdown ]
}

@test "bash: bundled script names, and files, in place of a script" {
	run complete ./reel by_
	[ "$output" = $'by_decade\nby_year' ]
	run complete ./reel tests/data/films.js
	[ "$output" = $'tests/data/films.jsonl\ntests/data/films.json' ] ||
	[ "$output" = $'tests/data/films.json\ntests/data/films.jsonl' ]
}

@test "bash: files after --data, -d and --data=" {
	for words in "--data tests/data/released" "-d tests/data/released" \
	             "--data = tests/data/released"; do
		# shellcheck disable=SC2086
		run complete ./reel $words
		[ "$output" = tests/data/released.csv ] || { echo "$words: $output"; return 1; }
	done
}

@test "bash: nothing for Lua code, and files for a script's own arguments" {
	run complete ./reel -e 'pri'
	[ -z "$output" ]
	run complete ./reel top tests/data/released
	[ "$output" = tests/data/released.csv ]
	run complete ./reel top --c
	[ -z "$output" ]
}

@test "both scripts know every option reel --help lists" {
	options=$(./reel --help | grep -o -E '^  (-[a-zA-Z], )?--?[a-zA-Z-]+' |
		sed 's/,//' | tr -s ' ' '\n' | grep -v '^$' | sort -u)
	[ -n "$options" ]
	for option in $options; do
		grep -q -- "$option\\b" completion/reel.bash ||
			{ echo "bash lacks $option"; return 1; }
		grep -q -- "$option\\b" completion/_reel ||
			{ echo "zsh lacks $option"; return 1; }
	done
}

@test "both scripts offer the formats -o takes" {
	valid=$(./reel -o '?' 2>&1 | sed -n "s/.*(valid: \(.*\))/\1/p" | sed 's/, / /g')
	[ -n "$valid" ]
	grep -q "_reel_formats=\"$valid\"" completion/reel.bash
	grep -q "(format:($valid))" completion/_reel || grep -q ":format:($valid)" completion/_reel
}
