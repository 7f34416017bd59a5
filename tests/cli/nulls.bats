#!/usr/bin/env bats
# --nulls: the cells of the catalogue read as null. By default \N, NULL, NA
# and N/A; \N in any column, the others where the rest of the column is
# typed, so a marker never turns a column of numbers into text.

setup() {
	cd "$BATS_TEST_DIRNAME/../.."
	unset REEL_DATA REEL_PATH
	T=$BATS_TEST_TMPDIR
	printf 'title,year,duration\nA,2001,\\N\nB,2002,100\n' > "$T/mysql.csv"
	printf 'title,year,duration\nA,-,90\nB,2002,?\nC,NA,80\n' > "$T/dash.csv"
}

@test "\\N is null by default and the column stays integers" {
	run ./reel --data "$T/mysql.csv" -e 'for _, f in ipairs(films) do print(f.title, f.duration, math.type(f.duration)) end'
	[ "$status" -eq 0 ]
	[ "$output" = $'A\tnil\tnil\nB\t100\tinteger' ]
}

@test "--nulls LIST replaces the markers" {
	run ./reel --nulls '-,?,NA' --data "$T/dash.csv" -e 'print(films[1].year, films[2].duration, films[3].year, math.type(films[2].year))'
	[ "$status" -eq 0 ]
	[ "$output" = $'nil\tnil\tnil\tinteger' ]
	run ./reel --nulls=- --data "$T/dash.csv" -e 'print(films[1].year, films[3].year)'
	[ "$output" = $'-\tNA' ]
}

@test "--nulls '' reads no marker as null" {
	run ./reel --nulls '' --data "$T/mysql.csv" -e 'print(films[1].duration)'
	[ "$status" -eq 0 ]
	[ "$output" = '\N' ]
}

@test "a query prints the markers' cells as nulls" {
	run ./reel -o csv --data "$T/mysql.csv" -e 'films:sort("duration"):print()'
	[ "$status" -eq 0 ]
	[ "$output" = $'title,year,duration\nB,2002,100\nA,2001,' ]
}

@test "--nulls needs its list" {
	run ./reel --data "$T/mysql.csv" --nulls
	[ "$status" -eq 2 ]
	[[ "$output" == *"option '--nulls' needs an argument"* ]]
}

@test "an SQLite database's TEXT cells are held to the markers, --nulls or the defaults" {
	sqlite3 "$T/films.db" "CREATE TABLE films(title TEXT, year INTEGER, duration INTEGER);
		INSERT INTO films VALUES ('A', '-', 90), ('B', 2002, 'NA'), ('-', 2003, 80);"
	run ./reel --data "$T/films.db" -e 'print(films[2].duration, math.type(films[1].duration), films[1].year)'
	[ "$status" -eq 0 ]
	[ "$output" = $'nil\tinteger\t-' ]
	run ./reel --nulls - --data "$T/films.db" -e 'print(films[1].year, math.type(films[2].year), films[2].duration, films[3].title)'
	[ "$status" -eq 0 ]
	[ "$output" = $'nil\tinteger\tNA\t-' ]
}
