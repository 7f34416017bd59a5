#!/usr/bin/env bats
# The picking scripts' shared filters (--genre, --year, --min-rating,
# --min-votes, --type, -o), their columns found through the film names, and
# similar's title lookup and errors. Results are checked against plain Lua
# over the same catalogue.

bats_require_minimum_version 1.5.0

setup() {
	cd "$BATS_TEST_DIRNAME/../.."
	IMDB=tests/data/imdb/title.basics.tsv
	# title.basics with title.ratings joined on: votes and ratings as well
	RATED="$BATS_TEST_TMPDIR/rated.csv"
	./reel -e 'local b = reel.load("tests/data/imdb/title.basics.tsv")
		local r = reel.load("tests/data/imdb/title.ratings.tsv")
		assert(b:join(r, "tconst", {kind = "left"}):save(os.getenv("BATS_TEST_TMPDIR") .. "/rated.csv"))'
}

# Lines "Title (year, N min)" of the films of FILE for which the Lua
# expression over f holds.
films_where() {
	./reel --data "$1" -e "for _, f in ipairs(films) do if $2 then print(tostring(f)) end end" | sort
}

@test "random_under --genre, --year, --min-rating, --min-votes pick only matching films" {
	for seed in 1 2 3 4 5 6; do
		run --separate-stderr ./reel --seed $seed --data "$RATED" random_under 130 --count 20 \
			--genre drama --year 2009-2013 --min-rating 7.5 --min-votes 3000
		[ "$status" -eq 0 ]
		want=$(films_where "$RATED" 'f.duration < 130 and f.genres:find("Drama") and f.year >= 2009
			and f.year <= 2013 and (f.rating or 0) >= 7.5 and (f.votes or 0) >= 3000 and f.type == "movie"')
		[ "$(sort <<<"$output")" = "$want" ]
	done
	[[ "$stderr" == "random_under: only "*" films are shorter than 130 minutes (drama, 2009-2013, rated 7.5+, 3000+ votes) (asked for 20)" ]]
}

@test "--type: movies by default where the catalogue says, any type on request" {
	run --separate-stderr ./reel --data $IMDB random_under 1000 --count 100
	[ "$(sort <<<"$output")" = "$(films_where $IMDB 'f.type == "movie" and f.duration')" ]
	run --separate-stderr ./reel --data $IMDB random_under 1000 --count 100 --type any
	[ "$(sort <<<"$output")" = "$(films_where $IMDB 'f.duration and f.duration < 1000')" ]
	run --separate-stderr ./reel --data $IMDB random_under 1000 --count 100 --type tvseries
	[ "$output" = "$(films_where $IMDB 'f.type == "tvSeries" and f.duration')" ]
	run --separate-stderr ./reel --data $IMDB random_under --type cartoon
	[ "$status" -eq 3 ]
	[[ "$stderr" == "random_under: no film is of type 'cartoon' (the catalogue has: "*"movie"*"--type any keeps them all)" ]]
	run --separate-stderr ./reel random_under --type movie
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"no 'type' column"*"--column type=COLUMN"* ]]
}

@test "--genre matches whole genres, not parts of one" {
	printf 'title,duration,genres\nA,90,Music\nB,90,Musical\nC,90,"Drama, Music"\n' > "$BATS_TEST_TMPDIR/g.csv"
	run --separate-stderr ./reel --data "$BATS_TEST_TMPDIR/g.csv" random_under --genre music --count 5
	[ "$(sort <<<"$output")" = $'A (90 min)\nC (90 min)' ]
	run --separate-stderr ./reel --data "$BATS_TEST_TMPDIR/g.csv" random_under --genre music,drama --count 5
	[ "$output" = "C (90 min)" ]
}

@test "-o prints the picks in a format" {
	run ./reel --seed 1 random_under 200 --count 3 -o csv
	[ "${lines[0]}" = "title,year,duration" ]
	[ "${#lines[@]}" -eq 4 ]
	run ./reel similar Silenced --count 2 --output json
	[[ "${lines[1]}" == '{"title":"Hope","year":2013,"score":'*',"reason":"shares: '* ]]
	run ./reel marathon 240 -o tsv
	[ "$output" = $'title\tyear\tduration\nWedding Dress\t2010\t109\nWay Back Home\t2013\t131' ]
	run ./reel top duration -o markdown --count 1
	[ "${lines[2]}" = "| Way Back Home |      131 |" ]
	run --separate-stderr ./reel random_under -o yaml
	[ "$status" -eq 2 ]
	[[ "$stderr" == "random_under: --output must be one of table, csv, tsv, json, jsonl, markdown, not 'yaml'"* ]]
}

@test "bad filter values are usage errors" {
	for args in "--year 2013-2010" "--year last" "--min-rating high" "--min-votes -1" "--genre ,"; do
		run --separate-stderr ./reel random_under $args
		[ "$status" -eq 2 ] || { echo "$args: $status"; false; }
		[[ "$stderr" == "random_under: "*"usage: reel random_under"* ]]
	done
}

@test "a pick that finds fewer films than asked says so on stderr" {
	run --separate-stderr ./reel random_under 110 --count 3
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[ "$stderr" = "random_under: only 2 films are shorter than 110 minutes (asked for 3)" ]
	run --separate-stderr ./reel random_under 110
	[ -z "$stderr" ]
	run --separate-stderr ./reel similar Silenced --count 20
	[ "${#lines[@]}" -eq 9 ]
	[ "$stderr" = "random_under: only 9 films are like Silenced (2011, 125 min) (asked for 20)" ] ||
		[ "$stderr" = "similar: only 9 films are like Silenced (2011, 125 min) (asked for 20)" ]
}

@test "columns are found through the film names: Running Time min, overview" {
	printf 'Title,Running Time min,overview\nA,95,a quiet river town\nB,140,a loud city\nC,100,the quiet river\n' \
		> "$BATS_TEST_TMPDIR/own.csv"
	run --separate-stderr ./reel --data "$BATS_TEST_TMPDIR/own.csv" random_under 120 --count 5
	[ "$(sort <<<"$output")" = $'A (95 min)\nC (100 min)' ]
	run ./reel --data "$BATS_TEST_TMPDIR/own.csv" marathon 200
	[ "${lines[-1]}" = "total 3 h 15 min of 3 h 20 min" ]
	run ./reel --data "$BATS_TEST_TMPDIR/own.csv" similar a --count 1
	[[ "$output" == "0."*"  C (100 min)  shares: quiet, river" ]]
}

@test "a missing column names close ones and --column, exit 3" {
	printf 'title,Length (minutes),plot\nA,95,x\n' > "$BATS_TEST_TMPDIR/close.csv"
	run --separate-stderr ./reel --data "$BATS_TEST_TMPDIR/close.csv" random_under
	[ "$status" -eq 3 ]
	[ "$stderr" = "random_under: the catalogue has no 'duration' column (close: 'Length (minutes)'); name one with --column duration=COLUMN" ]
	run ./reel --data "$BATS_TEST_TMPDIR/close.csv" --column "duration=Length (minutes)" random_under
	[ "$output" = "A (95 min)" ]
	printf 'name,minutes\nA,95\n' > "$BATS_TEST_TMPDIR/none.csv"
	run --separate-stderr ./reel --data "$BATS_TEST_TMPDIR/none.csv" similar A
	[ "$status" -eq 3 ]
	[[ "$stderr" == "similar: the catalogue has none of the columns similar compares (description, genres, director, cast, year); name one with --column description=COLUMN" ]]
	[ "${#stderr_lines[@]}" -eq 1 ]
	run --separate-stderr ./reel --data "$BATS_TEST_TMPDIR/none.csv" random_under --genre drama
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"no 'genres' column"* ]]
}

@test "similar finds AMÉLIE as Amélie, and an unknown film is exit 2" {
	printf 'title,year,genres\nAmélie,2001,"Comedy, Romance"\nDelicatessen,1991,Comedy\nAmélie from Montmartre,1999,Drama\n' \
		> "$BATS_TEST_TMPDIR/fr.csv"
	run --separate-stderr ./reel --data "$BATS_TEST_TMPDIR/fr.csv" similar AMÉLIE
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "0."*"  Delicatessen (1991)  genres: Comedy" ]]
	[[ "$output" != *"Amélie (2001)"* ]]
	run --separate-stderr ./reel --data "$BATS_TEST_TMPDIR/fr.csv" similar amélie from
	[[ "$output" == *"Amélie (2001)"* ]]
	run --separate-stderr ./reel similar Parasite
	[ "$status" -eq 2 ]
	[ "$stderr" = "similar: no film called 'Parasite'" ]
}

@test "search looks in the film's text, ranked; --in and --all choose the columns" {
	run ./reel search home
	[ "$output" = $'Way Back Home (2013, 131 min)\nSpirits\' Homecoming (2016, 127 min)' ]
	run ./reel search a --in title --count 2 -o csv
	[ "${lines[0]}" = "title,year,duration" ]
	[ "${#lines[@]}" -eq 3 ]
	printf 'title,distributor\nStar,Big\nSmall,Star Films\n' > "$BATS_TEST_TMPDIR/d.csv"
	run ./reel --data "$BATS_TEST_TMPDIR/d.csv" search star
	[ "$output" = "Star" ]
	run ./reel --data "$BATS_TEST_TMPDIR/d.csv" search star --all
	[ "$output" = $'Star\nSmall' ]
}
