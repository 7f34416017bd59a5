#!/usr/bin/env bats
# reel recommend RATINGS: films not rated, most like those rated highest,
# from a Letterboxd or an IMDb ratings export; never a film the user rated,
# and a one-line error with exit 2 or 3 for what it cannot use.

bats_require_minimum_version 1.5.0

setup() {
	cd "$BATS_TEST_DIRNAME/../.."
	D=tests/data
}

# The films a recommend printed, as "Title (year": the lines' second field.
recommended() {
	sed -n 's/^[0-9.]*  \(.* ([0-9]*\), .*/\1/p;s/^[0-9.]*  \(.* ([0-9]*\))  .*/\1/p' <<<"$1" | sort -u
}

# "title|year" of every rated film of a ratings file, folded as recommend
# folds them, and the same of each recommended film: none may meet.
check_none_rated() {
	local ratings=$1 catalogue=$2 output=$3
	OUT="$output" RATINGS="$ratings" ./reel ${catalogue:+--data "$catalogue"} -e '
		package.path = "scripts/lib/?.lua;" .. package.path
		local r = require("ratings")
		local rated = {}
		local t = assert(reel.load(os.getenv("RATINGS")))
		local name = t:columns()[2] == "Name" and "Name" or "Title"
		for _, f in ipairs(t) do rated[r.fold(f[name]) .. "|" .. tostring(f.Year)] = true end
		for line in os.getenv("OUT"):gmatch("[^\n]+") do
			local title, year = line:match("^[%d.]+  (.-) %((%d+)[,)]")
			assert(title, "not a film: " .. line)
			if rated[r.fold(title) .. "|" .. year] then error("proposed a rated film: " .. line) end
		end'
}

@test "recommend on the built-in list from a Letterboxd export" {
	run --separate-stderr ./reel recommend $D/letterboxd_ratings.csv
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -ge 3 ]
	for line in "${lines[@]}"; do
		[[ "$line" =~ ^[0-9]+\.[0-9][0-9]\ \ .+\ \([0-9]{4},\ [0-9]+\ min\)\ \ like\ .+:\ .+$ ]]
	done
	check_none_rated $D/letterboxd_ratings.csv "" "$output"
	# MIRACLE IN CELL NO. 7 and "Way back home" are the built-in films
	[[ "$output" != *"Miracle in Cell"* ]]
	[[ "$output" != *"Way Back Home"* ]]
	[[ "$stderr" == "recommend: 2 of the 7 films of $D/letterboxd_ratings.csv are not in the catalogue" ]]
}

@test "recommend from an IMDb export matches by IMDb id" {
	run --separate-stderr ./reel --data $D/imdb/title.basics.tsv recommend $D/imdb_ratings_export.csv --count 4
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 4 ]
	check_none_rated $D/imdb_ratings_export.csv $D/imdb/title.basics.tsv "$output"
	# Little Forest and Paterson are found by their ids: never proposed
	[[ "$output" != *"Little Forest"* ]]
	[[ "$output" != *Paterson* ]]
}

@test "recommend never proposes a rated film, on random catalogues and ratings" {
	for seed in 1 2 3; do
		./reel --seed $seed -e '
			local genres = {"Drama", "Comedy", "Crime", "Romance", "War"}
			local c = assert(io.open(os.getenv("BATS_TEST_TMPDIR") .. "/c.csv", "w"))
			local r = assert(io.open(os.getenv("BATS_TEST_TMPDIR") .. "/r.csv", "w"))
			c:write("title,year,genres,director\n")
			r:write("Date,Name,Year,Letterboxd URI,Rating\n")
			for i = 1, 300 do
				local title, year = "Film number " .. (i % 250), 1980 + i % 40
				c:write(("%s,%d,\"%s, %s\",Director %d\n"):format(title, year,
					genres[math.random(5)], genres[math.random(5)], math.random(30)))
				if math.random(6) == 1 then
					local spelt = math.random(2) == 1 and title:upper() or title .. "!"
					r:write(("2024-01-01,%s,%d,https://boxd.it/%d,%.1f\n"):format(spelt, year, i,
						math.random(1, 10) / 2))
				end
			end
			c:close() r:close()'
		for count in 5 40 300; do
			run --separate-stderr ./reel --data "$BATS_TEST_TMPDIR/c.csv" recommend "$BATS_TEST_TMPDIR/r.csv" --count $count
			[ "$status" -eq 0 ] || { echo "seed $seed: $stderr"; false; }
			check_none_rated "$BATS_TEST_TMPDIR/r.csv" "$BATS_TEST_TMPDIR/c.csv" "$output"
		done
	done
}

@test "recommend takes the filters and -o" {
	run --separate-stderr ./reel --data $D/imdb/title.basics.tsv recommend $D/imdb_ratings_export.csv --genre romance -o csv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "primaryTitle,startYear,score,reason" ]
	[ "${#lines[@]}" -ge 2 ]
	while IFS= read -r title; do
		TITLE="$title" ./reel --data $D/imdb/title.basics.tsv -e '
			assert(films:where{title = os.getenv("TITLE"), genres = {has = "Romance"}}:first())'
	done < <(tail -n +2 <<<"$output" | cut -d, -f1)
}

@test "recommend with bad input: one line and exit 2 or 3" {
	: > "$BATS_TEST_TMPDIR/empty.csv"
	printf 'Date,Name,Year,Letterboxd URI,Rating\n' > "$BATS_TEST_TMPDIR/header.csv"
	printf 'a,b\n1,2\n' > "$BATS_TEST_TMPDIR/other.csv"
	printf 'Date,Name,Year,Letterboxd URI,Rating\n2024-01-01,Nothing Like It,1901,x,5\n' > "$BATS_TEST_TMPDIR/unknown.csv"
	printf 'title,duration\nA,90\n' > "$BATS_TEST_TMPDIR/bare.csv"
	for args in "$BATS_TEST_TMPDIR/empty.csv" "$BATS_TEST_TMPDIR/header.csv" \
	            "$BATS_TEST_TMPDIR/other.csv" "$BATS_TEST_TMPDIR/unknown.csv" \
	            "$BATS_TEST_TMPDIR/missing.csv" "--data $BATS_TEST_TMPDIR/bare.csv $D/letterboxd_ratings.csv" \
	            "" "$D/letterboxd_ratings.csv --count 0"; do
		if [[ "$args" == --data* ]]; then
			run --separate-stderr ./reel ${args%% *} $(cut -d' ' -f2 <<<"$args") recommend ${args##* }
		else
			run --separate-stderr ./reel recommend $args
		fi
		[ "$status" -eq 2 ] || [ "$status" -eq 3 ] || { echo "'$args': $status $stderr"; false; }
		[ -z "$output" ]
		[[ "$stderr" == "recommend: "* ]] || { echo "'$args': $stderr"; false; }
		[[ "$stderr" != *traceback* ]]
	done
	run --separate-stderr ./reel recommend "$BATS_TEST_TMPDIR/header.csv"
	[ "$stderr" = "recommend: $BATS_TEST_TMPDIR/header.csv holds no ratings" ]
	run --separate-stderr ./reel --data "$BATS_TEST_TMPDIR/bare.csv" recommend $D/letterboxd_ratings.csv
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"none of the columns recommend compares"*"--column description=COLUMN"* ]]
}
