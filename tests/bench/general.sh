#!/bin/sh
# general.sh: the benchmark's general section (run by run.sh): work no
# query was tuned for, in reel, DuckDB (when it installed) and sqlite3 on
# the same files, in one invocation: sorts on text (binary and natural
# order) and on three keys,
# aggregates by text (counted, and filtered on an average) and by two
# integers, joins (then a filter, on text and
# an integer, semi, anti), in with 5 and 10,000 values, contains, loads of
# JSON Lines and of a JSON array, CSV and JSON Lines export, count_distinct
# and median. Prints each engine's time, reel's ratio to it, and whether
# the answers agree.
# usage: tests/bench/general.sh FILMS.csv RUNS DUCK_DIR   (from the top)
set -eu
CSV=$1
RUNS=${2:-5}
DUCK=${3:-}
REEL=${REEL:-./reel}
DIR=build/bench/general
RESULTS=$DIR/results.txt
mkdir -p "$DIR"
: > "$RESULTS"

# 500k ratings of films by id, and 50k (title, year) of watched films, one
# in ten with a year that matches nothing; the same bytes every time.
[ -s "$DIR/ratings.csv" ] || awk 'BEGIN { print "film_id,rating,votes"
	for (i = 1; i <= 500000; i++)
		printf "%d,%.1f,%d\n", (i * 7919) % 1000000 + 1, ((i * 31) % 91 + 10) / 10, (i * 13) % 100000 }' \
	> "$DIR/ratings.csv"
[ -s "$DIR/watched.csv" ] || awk -F, 'NR == 1 { print "title,year"; next }
	NR % 20 == 0 { print $2 "," ($3 + (NR % 200 == 0 ? 1000 : 0)) }' "$CSV" > "$DIR/watched.csv"
[ -s "$DIR/films.jsonl" ] || "$REEL" -d "$CSV" -e "assert(films:save('$DIR/films.jsonl'))
	assert(films:save('$DIR/films.json'))"

# in process
"$REEL" -d "$CSV" tests/bench/general.lua "$DIR" "$RUNS" | sed 's/^/reel /' >> "$RESULTS"
if [ -n "$DUCK" ]; then
	node "$DUCK/general.mjs" "$PWD/$CSV" "$PWD/$DIR" "$RUNS" | sed 's/^/duckdb /' >> "$RESULTS"
fi
ids=$(awk 'BEGIN { for (i = 1; i <= 10000; i++) printf "%s%d", (i > 1 ? "," : ""), (i * 97) % 1000000 + 1 }')
on="f.title = w.title and f.year = w.year"
{
	echo "create table films(id integer, title text, year integer, duration integer, description text);"
	echo "create table ratings(film_id integer, rating real, votes integer);"
	echo "create table watched(title text, year integer);"
	echo ".import --csv --skip 1 $CSV films"
	echo ".import --csv --skip 1 $DIR/ratings.csv ratings"
	echo ".import --csv --skip 1 $DIR/watched.csv watched"
	# what a sqlite3 user does before matching on these keys: without it,
	# each exists scans the whole list (hours for the semi and anti joins)
	echo "create index watched_title_year on watched(title, year);"
	echo ".timer on"
	for q in \
		"sort_text:select id from films order by title, id limit 1 offset 499999;" \
		"sort_three_keys:select id from films order by year, duration desc, title, id limit 1 offset 499999;" \
		"aggregate_text:select count(*) from (select title, count(*), avg(duration) from films group by title order by title);" \
		"aggregate_text_having:select count(*) from (select title, avg(duration) a from films group by title) where a >= 150;" \
		"aggregate_two_ints:select count(*) from (select year, duration, count(*), max(id) from films group by year, duration order by year, duration);" \
		"join_then_filter:select count(*) from films f join ratings r on f.id = r.film_id where r.rating >= 9;" \
		"join_text_int:select count(*) from films f join watched w on $on;" \
		"semi_join:select count(*) from films f where exists (select 1 from watched w where $on);" \
		"anti_join:select count(*) from films f where not exists (select 1 from watched w where $on);" \
		"in_5:select count(*) from films where year in (1950, 1960, 1970, 1980, 1990);" \
		"in_10000:select count(*) from films where id in ($ids);" \
		"contains:select count(*) from films where title like '%river%';" \
		"count_distinct:select count(distinct title) from films;"; do
		i=0
		while [ "$i" -lt "$RUNS" ]; do
			echo ".print @${q%%:*}"
			echo "${q#*:}"
			i=$((i + 1))
		done
	done
} | sqlite3 :memory: | awk '
	/^@/ { item = substr($0, 2); next }
	/^Run Time/ { t[item, ++n[item]] = $4; next }
	{ answer[item] = $0 }
	END { for (i in n) { for (j = 1; j <= n[i]; j++) v[j] = t[i, j]
		print "sqlite3", i, median(v, n[i]), answer[i]; delete v } }
	function median(a, m,   i, j, x) { for (i = 2; i <= m; i++) { x = a[i]
		for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
		return a[int((m + 1) / 2)] }' >> "$RESULTS"

# loads as whole processes: the median of three after a warm-up
load_time() {
	"$@" > /dev/null
	for round in 1 2 3; do
		/usr/bin/time -f "%e" -o "$DIR/time.txt" "$@" > "$DIR/answer.txt"
		echo "$(cat "$DIR/time.txt") $(tail -1 "$DIR/answer.txt")"
	done | sort -n | sed -n 2p
}
for format in jsonl json; do
	echo "reel load_$format $(load_time "$REEL" -d "$DIR/films.$format" -e 'print(#films)')" >> "$RESULTS"
	[ -z "$DUCK" ] || echo "duckdb load_$format $(load_time node "$DUCK/general.mjs" load "$PWD/$DIR/films.$format" json)" >> "$RESULTS"
done

echo "general: 1M films, 500k ratings, 50k watched (title, year)"
awk '
	{ t[$1, $2] = $3; a[$1, $2] = $4; items[$2] = ++n_items[$2] == 1 ? ++count : items[$2]; order[items[$2]] = $2 }
	END {
		printf "%-20s %10s %10s %7s %10s %7s  %s\n", "work", "reel", "duckdb", "ratio", "sqlite3", "ratio", "answers"
		for (o = 1; o <= count; o++) {
			i = order[o]; r = t["reel", i]
			printf "%-20s %10s", i, r
			for (p = 1; p <= 2; p++) { e = p == 1 ? "duckdb" : "sqlite3"
				x = t[e, i]
				printf " %10s %7s", x == "" ? "-" : x, (x == "" || x == 0) ? "-" : sprintf("%.2f", r / x) }
			same = "same"
			for (p = 1; p <= 2; p++) { e = p == 1 ? "duckdb" : "sqlite3"
				if (a[e, i] != "" && i !~ /^export/ && a[e, i] + 0 != a["reel", i] + 0) same = "DIFFER (reel " a["reel", i] ", " e " " a[e, i] ")" }
			printf "  %s\n", same
		}
	}' "$RESULTS"
awk '$1 == "reel" && $2 == "sort_text" { binary = $3 }
	$1 == "reel" && $2 == "sort_natural" { natural = $3 }
	END { if (binary > 0) printf "sort_natural: titles in natural order take %.2f times the binary order'"'"'s time (target: at most 1.5)\n", natural / binary }' "$RESULTS"
