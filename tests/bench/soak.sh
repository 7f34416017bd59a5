#!/bin/sh
# soak.sh: 3,000 mixed queries in one reel process on the bench's catalogue
# (tests/bench/soak.lua), and how resident memory grows from after a
# warm-up to the end (target: under 10%). Reports; asserts nothing.
# usage: tests/bench/soak.sh [ROWS] [QUERIES]   (from the source folder,
# after `make reel`; `make bench` runs it)
set -eu
ROWS=${1:-1000000}
QUERIES=${2:-3000}
OUT=build/bench
CSV=$OUT/films_$ROWS.csv
REEL=${REEL:-./reel}
mkdir -p "$OUT"
[ -x "$OUT/gen" ] && [ "$OUT/gen" -nt tests/bench/gen.c ] ||
	${CC:-cc} -O2 -o "$OUT/gen" tests/bench/gen.c
[ -s "$CSV" ] || "$OUT/gen" "$ROWS" > "$CSV"
"$REEL" -d "$CSV" tests/bench/soak.lua "$QUERIES" "$OUT"
