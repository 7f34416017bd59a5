#!/usr/bin/env bats
# q:histogram(col[, opts]): a bar chart in Unicode blocks with the counts
# beside the bars: a bar a value for text and for integers over a small
# span (years), a bar a bin for numbers and wider integers (opts.bins,
# opts.step), nulls last; and the bundled by_decade --chart that uses it.

bats_require_minimum_version 1.5.0

setup() {
	cd "$BATS_TEST_DIRNAME/../.."
	unset REEL_DATA REEL_PATH LUA_INIT LUA_INIT_5_4
}

@test "a bar a year, the years between included, scaled to the largest count" {
	run ./reel -e 'films:histogram("year")'
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 13 ]
	[ "${lines[0]}" = "2004 │█████████████▍ 1" ]
	[ "${lines[1]}" = "2005 │ 0" ]
	[ "${lines[9]}" = "2013 │████████████████████████████████████████ 3" ]
	[ "${lines[12]}" = "2016 │█████████████▍ 1" ]
}

@test "the counts add up to the query's rows" {
	run ./reel -e 'films:where{duration = {lt = 125}}:histogram("year")'
	total=$(printf '%s\n' "$output" | awk '{ n += $NF } END { print n }')
	[ "$total" = "$(./reel -e 'print(#films:where{duration = {lt = 125}})')" ]
}

@test "text: the most frequent values first, ties in value order, max and the rest" {
	run ./reel -d tests/data/imdb_ratings_export.csv -e 'films:histogram("Title Type")'
	[ "${lines[0]}" = "Movie │████████████████████████████████████████ 6" ]
	[ "${lines[1]}" = "Short │██████▋ 1" ]
	run ./reel -e 'films:histogram("director", {max = 3, width = 10})'
	[ "${#lines[@]}" -eq 4 ]
	[ "${lines[0]}" = "Andrew Lau   │██████████ 1" ]
	[ "${lines[3]}" = "(7 more values: 7 rows)" ]
}

@test "numbers go into bins of a round width; step and bins choose others" {
	run ./reel -e 'films:histogram("duration")'
	[ "${lines[0]}" = "105–109 │██████████████████████████▋ 2" ]
	[ "${#lines[@]}" -eq 6 ]
	run ./reel -e 'films:histogram("year", {step = 10})'
	[ "$output" = $'2000–2009 │█████████████████▏ 3\n2010–2019 │████████████████████████████████████████ 7' ]
	run ./reel -e 'films:histogram("duration", {bins = 3, width = 20})'
	[ "${lines[0]}" = "105–113 │███████████████ 3" ]
	[ "${lines[2]}" = "123–131 │████████████████████ 4" ]
}

@test "decimal numbers: a value on an edge is in the bin above it" {
	run ./reel -d tests/data/imdb_ratings_export.csv -e 'films:histogram("rating", {width = 4})'
	[ "${lines[0]}" = "6.4–6.6 │██ 1" ]
	[ "${lines[8]}" = "  8–8.2 │████ 2" ]
}

@test "nulls have a bar of their own, last" {
	run ./reel -d tests/data/imdb_ratings_export.csv -e 'films:histogram("Your Rating", {width = 8})'
	[ "${lines[5]}" = "(null) │████ 1" ]
}

@test "an empty query says so" {
	run ./reel -e 'films:where{year = 1900}:histogram("year")'
	[ "$output" = "(no rows)" ]
}

@test "bad arguments are errors that say what is wrong" {
	run --separate-stderr ./reel -e 'films:histogram("yeer")'
	[ "$status" -eq 1 ]
	[[ "${stderr_lines[0]}" == *"no column 'yeer' (did you mean 'year'?)" ]]
	run --separate-stderr ./reel -e 'films:histogram("title", {bins = 4})'
	[[ "${stderr_lines[0]}" == *"histogram: column 'title' holds strings, which have no bins" ]]
	run --separate-stderr ./reel -e 'films:histogram("year", {bins = 0})'
	[[ "${stderr_lines[0]}" == *"option 'bins' must be a positive integer"* ]]
	run --separate-stderr ./reel -e 'films:histogram("year", {bins = 2, step = 5})'
	[[ "${stderr_lines[0]}" == *"give bins or step, not both"* ]]
	run --separate-stderr ./reel -e 'films:histogram("year", {step = -1})'
	[[ "${stderr_lines[0]}" == *"option 'step' must be a positive number"* ]]
	run --separate-stderr ./reel -e 'films:histogram("duration", {step = 0.001})'
	[[ "${stderr_lines[0]}" == *"histogram: more than 500 bins (give a larger step)" ]]
	run --separate-stderr ./reel -e 'films:histogram("year", {colour = "red"})'
	[[ "${stderr_lines[0]}" == *"unknown option 'colour'"* ]]
}

@test "by_decade --chart draws the films per decade" {
	run ./reel by_decade --chart
	[ "$status" -eq 0 ]
	[ "$output" = "$(./reel -e 'films:histogram("year", {step = 10})')" ]
	run ./reel by_decade --help
	[[ "$output" == *"--chart"* ]]
}
