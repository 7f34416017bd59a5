#!/bin/sh
# similar.sh: q:similar, reel recommend and reel marathon on ROWS synthetic
# films shaped like IMDb's title.basics with a plot, genres, directors and
# cast (gen_films.c), and q:similar on the plain catalogue of run.sh
# (descriptions only). Reports the index's build time and memory against
# the catalogue's, a query's time once the index is built, and the whole
# runs of recommend (500 ratings, as IMDb's export and as Letterboxd's) and
# marathon, with the load alone for comparison (each the median of three).
# usage: tests/bench/similar.sh [ROWS]   (from the source folder, after make)
set -eu
ROWS=${1:-1000000}
OUT=build/bench
REEL=${REEL:-./reel}
TSV=$OUT/imdb_$ROWS.tsv
CSV=$OUT/films_$ROWS.csv
mkdir -p "$OUT"
[ -x "$OUT/gen_films" ] && [ "$OUT/gen_films" -nt tests/bench/gen_films.c ] ||
	${CC:-cc} -O2 -o "$OUT/gen_films" tests/bench/gen_films.c -lm
[ -s "$TSV" ] || "$OUT/gen_films" "$ROWS" > "$TSV"
[ -x "$OUT/gen" ] || ${CC:-cc} -O2 -o "$OUT/gen" tests/bench/gen.c
[ -s "$CSV" ] || "$OUT/gen" "$ROWS" > "$CSV"

# 500 films rated 1 to 10, as IMDb's export (with ids) and as Letterboxd's
# (titles and years only, a tenth of them in capitals).
OUT="$OUT" "$REEL" -d "$TSV" --seed 7 -e '
	local out = os.getenv("OUT")
	local imdb = assert(io.open(out .. "/ratings_imdb.csv", "w"))
	local boxd = assert(io.open(out .. "/ratings_letterboxd.csv", "w"))
	imdb:write("Const,Your Rating,Date Rated,Title,Year\n")
	boxd:write("Date,Name,Year,Letterboxd URI,Rating\n")
	for i, f in ipairs(films:where{type = "movie"}:sample(500)) do
		local r = math.random(10)
		imdb:write(("%s,%d,2024-01-01,%s,%d\n"):format(f.imdb_id, r, f.title, f.year))
		boxd:write(("2024-01-01,%s,%d,https://boxd.it/%d,%.1f\n"):format(
			i % 10 == 0 and f.title:upper() or f.title, f.year, i, r / 2))
	end
	imdb:close() boxd:close()'

# median_time COMMAND...: the median wall time of three runs, in seconds.
median_time() {
	for run in 1 2 3; do
		/usr/bin/time -f "%e" -o "$OUT/time.txt" "$@" > /dev/null 2>&1 || true
		cat "$OUT/time.txt"
	done | sort -n | sed -n 2p
}

in_process() {
	"$REEL" -d "$1" tests/bench/similar.lua 5 | awk -v what="$2" '{
		printf "similar    %s: index built in %.2f s, a query %.4f s (median of 5);\n", what, $2, $3
		printf "           index %d MB for a catalogue of %d MB (%.2f of it)\n", $5, $4, $5 / $4 }'
}

echo "similar: $ROWS films like IMDb's ($(($(wc -c < "$TSV") / 1000000)) MB of TSV: plot, genres, directors, cast, year)"
in_process "$TSV" "IMDb-like"
in_process "$CSV" "plain (descriptions only)"
load=$(median_time "$REEL" -d "$TSV" -e '')
echo "load       $load s (the catalogue alone, for the figures below)"
for kind in imdb letterboxd; do
	t=$(median_time "$REEL" -d "$TSV" recommend "$OUT/ratings_$kind.csv")
	echo "recommend  500 ratings ($kind): $t s in all, $(echo "$t $load" | awk '{ printf "%.2f", $1 - $2 }') s after loading"
done
for minutes in 240 1000 100000; do
	t=$(median_time "$REEL" -d "$TSV" marathon "$minutes")
	echo "marathon   $minutes min: $t s in all, $(echo "$t $load" | awk '{ printf "%.2f", $1 - $2 }') s after loading"
done
