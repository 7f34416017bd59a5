#!/usr/bin/env bats
# The catalogue: --data, REEL_DATA, --column, data errors (exit 3) and
# --seed.

bats_require_minimum_version 1.5.0

setup() {
	cd "$BATS_TEST_DIRNAME/../.."
	unset REEL_DATA REEL_PATH
	cat > "$BATS_TEST_TMPDIR/mine.csv" <<'CSV'
Name,Year,Minutes,Rating
Paterson,2016,118,7.4
Stalker,1979,162,8.1
Tampopo,1985,114,7.8
CSV
}

@test "the built-in catalogue is data/films.csv" {
	expected=$(($(wc -l < data/films.csv) - 1))
	run ./reel -e 'print(#films, films[1].title, films[1].duration)'
	[ "$status" -eq 0 ]
	first=$(sed -n 2p data/films.csv | cut -d, -f2)
	minutes=$(sed -n 2p data/films.csv | cut -d, -f5)
	[ "$output" = "$expected"$'\t'"$first"$'\t'"$minutes" ]
}

@test "--data loads a file as films, film names resolved" {
	run ./reel --data "$BATS_TEST_TMPDIR/mine.csv" \
		-e 'print(#films, films[2].title, films[2].year, films[2].Minutes)'
	[ "$status" -eq 0 ]
	[ "$output" = $'3\tStalker\t1979\t162' ]
	run ./reel -d "$BATS_TEST_TMPDIR/mine.csv" -e 'print(#films)'
	[ "$output" = 3 ]
	run ./reel "--data=$BATS_TEST_TMPDIR/mine.csv" -e 'print(#films)'
	[ "$output" = 3 ]
}

@test "REEL_DATA stands for --data, and --data wins over it" {
	REEL_DATA="$BATS_TEST_TMPDIR/mine.csv" run ./reel -e 'print(#films)'
	[ "$status" -eq 0 ]
	[ "$output" = 3 ]
	cp "$BATS_TEST_TMPDIR/mine.csv" "$BATS_TEST_TMPDIR/two.csv"
	sed -i '$d' "$BATS_TEST_TMPDIR/two.csv"
	REEL_DATA="$BATS_TEST_TMPDIR/mine.csv" run ./reel \
		--data "$BATS_TEST_TMPDIR/two.csv" -e 'print(#films)'
	[ "$output" = 2 ]
	REEL_DATA= run ./reel -e 'print(#films)'
	[ "$output" = 10 ]
}

@test "a missing data file is a data error" {
	run --separate-stderr ./reel --data "$BATS_TEST_TMPDIR/none.csv" -e 'print("ran")'
	[ "$status" -eq 3 ]
	[ -z "$output" ]
	[[ "$stderr" == "reel: "*"$BATS_TEST_TMPDIR/none.csv"* ]]
	REEL_DATA="$BATS_TEST_TMPDIR/none.csv" run ./reel -e 'print("ran")'
	[ "$status" -eq 3 ]
}

@test "a malformed CSV is a data error naming FILE:LINE:COL" {
	bad="$BATS_TEST_TMPDIR/bad.csv"
	printf 'title,year\nAlpha,2001\n"Beta,2002\n' > "$bad"
	run --separate-stderr ./reel --data "$bad" -e 'print("ran")'
	[ "$status" -eq 3 ]
	[ -z "$output" ]
	[[ "$stderr" =~ ^reel:\ .*bad\.csv:[0-9]+:[0-9]+: ]]
}

@test "a row with too many fields is a data error at its line" {
	bad="$BATS_TEST_TMPDIR/wide.csv"
	printf 'title,year\nAlpha,2001\nBeta,2002,extra\n' > "$bad"
	run --separate-stderr ./reel --data "$bad" -e 'print("ran")'
	[ "$status" -eq 3 ]
	[[ "$stderr" =~ ^reel:\ .*wide\.csv:3:[0-9]+: ]]
}

@test "--column maps a film field to a column of the data" {
	run ./reel --data "$BATS_TEST_TMPDIR/mine.csv" --column duration=Minutes \
		-e 'print(films[3].duration, films:where{duration = {gt = 115}}:count())'
	[ "$status" -eq 0 ]
	[ "$output" = $'114\t2' ]
}

@test "--column is repeatable and overrides a resolved name" {
	run ./reel --data "$BATS_TEST_TMPDIR/mine.csv" --column duration=Minutes \
		--column title=Rating -e 'print(films[1].title, films[1].duration)'
	[ "$status" -eq 0 ]
	[ "$output" = $'7.4\t118' ]
}

@test "--column with an unknown source is a data error naming it" {
	run --separate-stderr ./reel --data "$BATS_TEST_TMPDIR/mine.csv" \
		--column duration=Runtime -e 'print("ran")'
	[ "$status" -eq 3 ]
	[ -z "$output" ]
	[[ "$stderr" == "reel: --column duration=Runtime:"*"'Runtime'"* ]]
	run --separate-stderr ./reel --column duration=Length -e 'print("ran")'
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"'Length'"* ]]
}

@test "--column suggests a close column name" {
	run --separate-stderr ./reel --data "$BATS_TEST_TMPDIR/mine.csv" \
		--column duration=minute -e 'print("ran")'
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"no column 'minute' (did you mean 'Minutes'?)" ]]
}

@test "--seed makes random picks reproducible" {
	run ./reel --seed 42 -e 'print(films:random())' -e 'print(films:shuffle():format("lines"))'
	[ "$status" -eq 0 ]
	first="$output"
	run ./reel --seed 42 -e 'print(films:random())' -e 'print(films:shuffle():format("lines"))'
	[ "$output" = "$first" ]
	[ -n "$first" ]
}

@test "--seed N is reel.seed(N) before the first chunk" {
	run ./reel --seed 42 -e 'print(films:random(), films:sample(3):format("lines"))'
	[ "$status" -eq 0 ]
	with_option="$output"
	run ./reel -e 'reel.seed(42) print(films:random(), films:sample(3):format("lines"))'
	[ "$output" = "$with_option" ]
}

@test "different seeds give different orders" {
	seen=$(for seed in 1 2 3 4 5 6; do
		./reel --seed "$seed" -e 'print(films:shuffle():format("{rank}"):gsub("\n", ","))'
	done | sort -u | wc -l)
	[ "$seen" -gt 1 ]
}
