#!/bin/sh
# print_memory.sh: what printing and saving a whole catalogue adds to reel's
# peak memory. Printing and saving stream the rows a slice at a time, so
# the figure stays near zero however many rows go out.
# usage: tests/bench/print_memory.sh [ROWS]   (from the source folder, after
# `make reel`; `make bench` runs it after run.sh). Each figure is the median
# of three runs' peak resident memory, less that of loading alone.
set -eu
ROWS=${1:-1000000}
OUT=build/bench
CSV=$OUT/films_$ROWS.csv
REEL=${REEL:-./reel}
mkdir -p "$OUT"
[ -x "$OUT/gen" ] && [ "$OUT/gen" -nt tests/bench/gen.c ] ||
	${CC:-cc} -O2 -o "$OUT/gen" tests/bench/gen.c
[ -s "$CSV" ] || "$OUT/gen" "$ROWS" > "$CSV"

# peak CODE: the median peak resident KiB of reel running CODE over the CSV.
peak() {
	for run in 1 2 3; do
		/usr/bin/time -f "%M" -o "$OUT/peak.txt" "$REEL" -d "$CSV" -e "$1" > /dev/null
		cat "$OUT/peak.txt"
	done | sort -n | sed -n 2p
}

base=$(peak '')
echo "printing $ROWS films: peak memory added to loading them ($((base / 1024)) MiB)"
for work in 'films:print("csv")' 'films:print("table")' 'films:print("jsonl")' \
            'films:print("markdown")' "films:save(\"$OUT/saved.csv\")"; do
	kb=$(peak "$work")
	printf '%-28s %+6.1f MiB\n' "$work" "$(echo "$kb $base" | awk '{ print ($1 - $2) / 1024 }')"
done
rm -f "$OUT/saved.csv"
