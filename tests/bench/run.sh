#!/bin/sh
# run.sh: reel against sqlite3, DuckDB (Node bindings, when they install) and
# plain lua5.4 tables on the same synthetic catalogue, in one invocation.
# usage: tests/bench/run.sh [ROWS] [RUNS]   (from the source folder, after
# `make reel`; `make bench ROWS=...` does both). Prints, per work item, each
# engine's time (whole-process seconds for load+count, else the in-process
# median of RUNS), reel's ratio to each peer, and peak resident memory.
set -eu
ROWS=${1:-1000000}
RUNS=${2:-5}
OUT=build/bench
CSV=$OUT/films_$ROWS.csv
REEL=${REEL:-./reel}
mkdir -p "$OUT"

[ -x "$OUT/gen" ] && [ "$OUT/gen" -nt tests/bench/gen.c ] ||
	${CC:-cc} -O2 -o "$OUT/gen" tests/bench/gen.c
[ -s "$CSV" ] || "$OUT/gen" "$ROWS" > "$CSV"
echo "catalogue: $CSV, $ROWS films, $(($(wc -c < "$CSV") / 1000000)) MB; $(nproc) cores"

# DuckDB through Node, when npm can fetch it; skipped otherwise.
DUCK=$OUT/duckdb
if command -v node >/dev/null && [ ! -d "$DUCK/node_modules/@duckdb/node-api" ]; then
	mkdir -p "$DUCK"
	(cd "$DUCK" && npm install --no-save --no-audit --no-fund @duckdb/node-api \
		>npm.log 2>&1) || echo "DuckDB: npm install failed, skipped"
fi
HAVE_DUCK=no
if [ -d "$DUCK/node_modules/@duckdb/node-api" ]; then
	cp tests/bench/duckdb.mjs "$DUCK/bench.mjs"
	HAVE_DUCK=yes
fi

RESULTS=$OUT/results.txt
: > "$RESULTS"
# whole ENGINE COMMAND...: load and a filtered count as one process
whole() {
	engine=$1
	shift
	/usr/bin/time -f "%e %M" -o "$OUT/time.txt" "$@" > /dev/null
	read -r seconds kb < "$OUT/time.txt"
	echo "$engine load+count $seconds" >> "$RESULTS"
	echo "$engine peak_MB $((kb / 1024))" >> "$RESULTS"
}
# inprocess ENGINE: lines "item seconds" on standard input
inprocess() {
	while read -r item seconds; do
		echo "$1 $item $seconds" >> "$RESULTS"
	done
}

SQL_SCHEMA="create table films(id integer, title text, year integer,
	duration integer, description text);"
SQL_IMPORT=".import --csv --skip 1 $CSV films"
COUNT="select count(*) from films where duration < 110;"

load_reel() { whole reel "$REEL" -d "$CSV" -e 'print(#films:where{duration = {lt = 110}})'; }
load_sqlite3() {
	printf '%s\n%s\n%s\n' "$SQL_SCHEMA" "$SQL_IMPORT" "$COUNT" |
		whole sqlite3 sqlite3 :memory:
}
load_duckdb() { whole duckdb node "$DUCK/bench.mjs" "$PWD/$CSV" 0; }
# Each engine's runs go one after another, after one untimed warm-up: on a
# virtual machine, the first process after another that freed much memory
# pays to get that memory back from the host (seen here: up to 0.2 s more
# for the same reel load), so no engine is timed right after a different one.
for engine in reel sqlite3 duckdb; do
	[ $engine != duckdb ] || [ $HAVE_DUCK = yes ] || continue
	timed=$RESULTS
	RESULTS=$OUT/warmup.txt
	load_$engine
	RESULTS=$timed
	for round in 1 2 3; do load_$engine; done
done
whole lua5.4 lua5.4 tests/bench/plain.lua "$CSV" 0

# start-up on the built-in list, against lua5.4's own: 50 runs each, 3 times
now() { date +%s%N; }
for round in 1 2 3; do
	for engine in reel lua5.4; do
		[ $engine = reel ] && cmd=$REEL || cmd=lua5.4
		start=$(now)
		i=0
		while [ $i -lt 50 ]; do "$cmd" -e '' >/dev/null; i=$((i + 1)); done
		echo "$engine startup $(echo "$start $(now)" | awk '{ printf "%.6f", ($2 - $1) / 50e9 }')" >> "$RESULTS"
	done
done

"$REEL" -d "$CSV" tests/bench/reel.lua "$RUNS" | inprocess reel
{
	echo "$SQL_SCHEMA"
	echo ".timer on"
	echo "$SQL_IMPORT"
	for q in "count:$COUNT" \
		"where_sort_limit:select * from films where duration < 110 order by year desc, title limit 3;" \
		"random:select * from films where duration < 110 order by random() limit 1;" \
		"group:select year, count(*), avg(duration) from films group by year order by year;" \
		"search:select count(*) from films where title like '%prison%' or description like '%prison%';"; do
		i=0
		while [ $i -lt "$RUNS" ]; do
			echo ".print @${q%%:*}"
			echo "${q#*:}"
			i=$((i + 1))
		done
	done
} | sqlite3 :memory: | awk -v runs="$RUNS" '
	/^@/ { item = substr($0, 2); next }
	/^Run Time/ { t[item, ++n[item]] = $4 }
	END { for (i in n) { m = 0
		for (j = 1; j <= n[i]; j++) v[j] = t[i, j]
		print i, median(v, n[i]); delete v } }
	function median(a, m,   i, j, x) { for (i = 2; i <= m; i++) { x = a[i]
		for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
		return a[int((m + 1) / 2)] }' | inprocess sqlite3
[ $HAVE_DUCK = no ] || node "$DUCK/bench.mjs" "$PWD/$CSV" "$RUNS" | inprocess duckdb
lua5.4 tests/bench/plain.lua "$CSV" 3 | inprocess lua5.4

# The table: for each item, the median over rounds per engine, and ratios.
awk '
	{ key = $1 SUBSEP $2; n[key]++; v[key, n[key]] = $3; engines[$1] = 1; items[$2] = 1 }
	function med(key,   i, m, a) { m = n[key]; if (!m) return ""
		for (i = 1; i <= m; i++) a[i] = v[key, i]; return median(a, m) }
	function median(a, m,   i, j, x) { for (i = 2; i <= m; i++) { x = a[i]
		for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
		return a[int((m + 1) / 2)] }
	END {
		split("load+count count where_sort_limit random group search filter_per_row peak_MB startup", order, " ")
		split("sqlite3 duckdb lua5.4", peers, " ")
		printf "%-17s %10s", "work", "reel"
		for (p = 1; p <= 3; p++) if (peers[p] in engines) printf " %10s %7s", peers[p], "ratio"
		printf "\n"
		for (o = 1; o <= 9; o++) {
			item = order[o]; r = med("reel" SUBSEP item)
			if (r == "") continue
			printf "%-17s %10s", item, r
			for (p = 1; p <= 3; p++) { if (!(peers[p] in engines)) continue
				x = med(peers[p] SUBSEP item)
				printf " %10s %7s", x == "" ? "-" : x, (x == "" || x == 0) ? "-" : sprintf("%.2f", r / x) }
			printf "\n"
		}
		if (("duckdb" SUBSEP "load") in n) printf "duckdb load alone: %s s\n", med("duckdb" SUBSEP "load")
		printf "reel peak memory / CSV size: %.2f\n", med("reel" SUBSEP "peak_MB") / csv_mb
		printf "reel filter: %.0f ns a film\n", med("reel" SUBSEP "filter_per_row") / rows * 1e9
	}' csv_mb="$(($(wc -c < "$CSV") / 1048576))" rows="$ROWS" "$RESULTS"
echo "(seconds; ratio = reel / peer, below 1 means reel is faster; filter_per_row is"
echo " the whole filter over every film: divide by $ROWS for the cost per row)"

# The general section: work no query was tuned for (general.sh).
echo
[ $HAVE_DUCK = no ] || cp tests/bench/general.mjs "$DUCK/general.mjs"
tests/bench/general.sh "$CSV" "$RUNS" "$([ $HAVE_DUCK = yes ] && echo "$DUCK")"
echo

# Similarity, recommend and marathon on a catalogue shaped like IMDb's.
REEL="$REEL" tests/bench/similar.sh "$ROWS"
echo

# SCALE=10: reel alone on ten times the rows too, the same load and count
# with a where, sort and limit, to see its cost grow with the rows: CPU
# seconds (user + system, both cores) and peak memory, each the median of
# three runs after a warm-up, and their ratios to the smaller catalogue's.
[ -n "${SCALE:-}" ] || exit 0
BIG=$OUT/films_$((ROWS * SCALE)).csv
[ -s "$BIG" ] || "$OUT/gen" $((ROWS * SCALE)) > "$BIG"
scale_run() {
	/usr/bin/time -f "%U %S %M" -o "$OUT/time.txt" "$REEL" -d "$1" -e \
		'print(#films:where{duration = {lt = 110}}, films:where{duration = {lt = 110}}:sort("-year", "title"):limit(3)[1].title)' \
		> /dev/null
	awk '{ printf "%.2f %d\n", $1 + $2, $3 / 1024 }' "$OUT/time.txt"
}
scale_median() {
	scale_run "$1" > /dev/null
	{ scale_run "$1"; scale_run "$1"; scale_run "$1"; } | sort -n | sed -n 2p
}
small=$(scale_median "$CSV")
big=$(scale_median "$BIG")
echo "$small $big" | awk -v rows="$ROWS" -v scale="$SCALE" '{
	printf "scale: %d films %.2f CPU s, %d MB; %d films %.2f CPU s, %d MB\n",
		rows, $1, $2, rows * scale, $3, $4
	printf "scale: %dx the rows cost %.1fx the CPU and %.1fx the memory\n",
		scale, $3 / $1, $4 / $2 }'
