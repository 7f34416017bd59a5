#!/usr/bin/env bats
# Catalogues found by their bytes, whatever their names: CSV, TSV, JSON,
# gzip, SQLite databases and zip archives; files of other kinds (images,
# programs, other archives) refused with exit 3 and what they look like.

bats_require_minimum_version 1.5.0

setup() {
	cd "$BATS_TEST_DIRNAME/../.."
	unset REEL_DATA REEL_PATH
	T=$BATS_TEST_TMPDIR/files
	mkdir -p "$T"
}

# Runs --data FILE; it must fail with exit 3 and exactly MESSAGE, and
# leave nothing new in $T.
refused() {
	local before after
	before=$(ls -A "$T" | wc -l)
	run --separate-stderr ./reel --data "$1" -e 'print(#films)'
	after=$(ls -A "$T" | wc -l)
	[ "$status" -eq 3 ]
	[ "$output" = "" ]
	[ "$stderr" = "reel: $2" ]
	[ "$before" = "$after" ]
}

# {====== detection ======

@test "text catalogues load whatever their names say" {
	printf 'title,year\nHope,2013\n' > "$T/films.png"
	run ./reel --data "$T/films.png" -e 'print(#films, films[1].year)'
	[ "$status" -eq 0 ]
	[ "$output" = $'1\t2013' ]
	printf '[{"title": "Hope", "year": 2013}]' > "$T/films.dat"
	run ./reel --data "$T/films.dat" -e 'print(films[1].title, math.type(films[1].year))'
	[ "$output" = $'Hope\tinteger' ]
	printf 'title\tyear\nHope\t2013\n' | gzip > "$T/films.bin"
	run ./reel --data "$T/films.bin" -e 'print(films[1].title)'
	[ "$output" = Hope ]
}

@test "images, programs and other archives are named for what they are" {
	printf '\211PNG\r\n\032\n\0\0\0\rIHDR\0\0\0\1' > "$T/poster.png"
	refused "$T/poster.png" "$T/poster.png: a PNG image, not a catalogue"
	printf '\211PNG\r\n\032\n\0\0\0\rIHDR\0\0\0\1' > "$T/films.csv"
	refused "$T/films.csv" "$T/films.csv: a PNG image, not a catalogue"
	printf '\377\330\377\340\0\020JFIF\0' > "$T/still.jpg"
	refused "$T/still.jpg" "$T/still.jpg: a JPEG image, not a catalogue"
	printf 'GIF89a\001\000\001\000' > "$T/a.gif"
	refused "$T/a.gif" "$T/a.gif: a GIF image, not a catalogue"
	printf '\177ELF\002\001\001\0\0\0' > "$T/prog"
	refused "$T/prog" "$T/prog: a program (ELF), not a catalogue"
	printf 'MZ\220\0\003\0\0\0\004\0' > "$T/setup.exe"
	refused "$T/setup.exe" "$T/setup.exe: a Windows program (PE), not a catalogue"
	printf '\317\372\355\376\007\0\0\001' > "$T/macho"
	refused "$T/macho" "$T/macho: a program (Mach-O), not a catalogue"
	printf 'BZh91AY&SY\001\002\003' > "$T/films.csv.bz2"
	refused "$T/films.csv.bz2" "$T/films.csv.bz2: bzip2 data (decompress it first), not a catalogue"
	head -c 1024 /dev/zero > "$T/films.tar"
	printf 'ustar\00000' | dd of="$T/films.tar" bs=1 seek=257 conv=notrunc 2> /dev/null
	refused "$T/films.tar" "$T/films.tar: a tar archive (unpack it first), not a catalogue"
}

@test "text that merely opens like a signature is read as text" {
	printf 'MZ title,year\nHope,2013\n' > "$T/odd.csv"
	run ./reel --data "$T/odd.csv" -e 'print(#films)'
	[ "$status" -eq 0 ]
	[ "$output" = 1 ]
}

@test "standard input is told by its bytes too" {
	run --separate-stderr sh -c "printf '\211PNG\r\n\032\n\0\0\0\rIHDR' | ./reel --data - -e 'print(#films)'"
	[ "$status" -eq 3 ]
	[ "$stderr" = "reel: stdin: a PNG image, not a catalogue" ]
}

@test "a gzip file holding an image is named for what it holds" {
	printf '\211PNG\r\n\032\n\0\0\0\rIHDR' | gzip > "$T/poster.png.gz"
	refused "$T/poster.png.gz" "$T/poster.png.gz: a PNG image, not a catalogue"
}
# }======

# {====== SQLite ======

@test "--data reads an SQLite database's one table, from a file or standard input" {
	sqlite3 "$T/films.db" "CREATE TABLE movies(title TEXT, year INTEGER, runtime INTEGER);
		INSERT INTO movies VALUES ('Heat', 1995, 170), ('Alien', 1979, 117);"
	run ./reel --data "$T/films.db" -e 'print(#films, films[2].title, math.type(films[2].year), films:sum("duration"))'
	[ "$status" -eq 0 ]
	[ "$output" = $'2\tAlien\tinteger\t287' ]
	run sh -c "./reel --data - -e 'print(#films)' < '$T/films.db'"
	[ "$output" = 2 ]
}

@test "a database of several tables is exit 3, naming them" {
	sqlite3 "$T/two.db" "CREATE TABLE movies(title TEXT); CREATE TABLE people(name TEXT);"
	refused "$T/two.db" "$T/two.db: an SQLite database of 2 tables: say which (table = \"...\"): movies, people"
}

@test "a damaged database is exit 3 and nothing is written" {
	sqlite3 "$T/films.db" "CREATE TABLE movies(title TEXT, year INTEGER);
		WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
		INSERT INTO movies SELECT 'Film ' || i, 1900 + i FROM n;"
	printf 'garbage garbage garbage garbage' | dd of="$T/films.db" bs=1 seek=4100 conv=notrunc 2> /dev/null
	run --separate-stderr ./reel --data "$T/films.db" -e 'print(#films)'
	[ "$status" -eq 3 ]
	[[ "$stderr" == "reel: $T/films.db: a damaged SQLite database: "* ]]
	[ "$(ls -A "$T")" = films.db ]
}
# }======

# {====== zip ======

# A Letterboxd-shaped export in $T/letterboxd.zip.
letterboxd_export() {
	mkdir -p "$T/export"
	printf 'Date,Name,Year,Letterboxd URI,Rating\n2024-01-02,Heat,1995,https://boxd.it/1mBa,4\n2024-01-03,Alien,1979,https://boxd.it/2aHi,4.5\n' > "$T/export/ratings.csv"
	printf 'Date,Name,Year,Letterboxd URI\n2024-01-02,Heat,1995,https://boxd.it/1mBa\n' > "$T/export/watched.csv"
	(cd "$T/export" && zip -q ../letterboxd.zip ratings.csv watched.csv)
	rm -r "$T/export"
}

@test "--data reads a zip of one catalogue, from a file or standard input" {
	letterboxd_export
	mkdir "$T/one" && printf 'title,year\nHeat,1995\n' > "$T/one/films.csv"
	(cd "$T/one" && zip -q ../one.zip films.csv) && rm -r "$T/one"
	run ./reel --data "$T/one.zip" -e 'print(#films, films[1].title)'
	[ "$status" -eq 0 ]
	[ "$output" = $'1\tHeat' ]
	run sh -c "./reel --data - -e 'print(films[1].year)' < '$T/one.zip'"
	[ "$output" = 1995 ]
}

@test "an export of several catalogues is exit 3, listing them; a script picks one with member" {
	letterboxd_export
	refused "$T/letterboxd.zip" "$T/letterboxd.zip: a zip archive of 2 catalogues: say which (member = \"...\"): ratings.csv, watched.csv"
	run ./reel -e "local r = assert(reel.load('$T/letterboxd.zip', {member = 'ratings.csv'}))
		print(#r, r:sort('-rating')[1].title)"
	[ "$output" = $'2\tAlien' ]
}

@test "a zip member larger than --max-memory allows is refused before it is inflated (exit 4)" {
	mkdir "$T/big"
	awk 'BEGIN { print "title,year"; for (i = 0; i < 200000; i++) printf "Film number %d,%d\n", i, 1900 + i % 100 }' > "$T/big/films.csv"
	(cd "$T/big" && zip -q ../big.zip films.csv) && rm -r "$T/big"
	run --separate-stderr ./reel --max-memory 2M --data "$T/big.zip" -e 'print(#films)'
	[ "$status" -eq 4 ]
	[[ "$stderr" == *"memory"* ]]
	run ./reel --max-memory 64M --data "$T/big.zip" -e 'print(#films)'
	[ "$output" = 200000 ]
}

@test "a cut zip is exit 3 and nothing is written" {
	letterboxd_export
	head -c 200 "$T/letterboxd.zip" > "$T/cut.zip"
	rm "$T/letterboxd.zip"
	run --separate-stderr ./reel --data "$T/cut.zip" -e 'print(#films)'
	[ "$status" -eq 3 ]
	[[ "$stderr" == "reel: $T/cut.zip: cannot be read as a zip archive: "* ]]
	[ "$(ls -A "$T")" = cut.zip ]
}
# }======

# {====== gzip ======

@test "a gzip file of several members loads whole, however small the last one says it is" {
	awk 'BEGIN { print "title,year"; for (i = 0; i < 50000; i++) printf "Film %d,%d\n", i, 1900 + i % 100 }' | gzip > "$T/films.csv.gz"
	printf 'Last,2024\n' | gzip >> "$T/films.csv.gz"
	run ./reel --data "$T/films.csv.gz" -e 'print(#films, films[#films].title)'
	[ "$status" -eq 0 ]
	[ "$output" = $'50001\tLast' ]
}

@test "a gzip member inside a zip is inflated and read" {
	mkdir "$T/z"
	printf 'title,year\nHeat,1995\n' | gzip > "$T/z/films.csv.gz"
	(cd "$T/z" && zip -q ../films.zip films.csv.gz) && rm -r "$T/z"
	run ./reel --data "$T/films.zip" -e 'print(#films, films[1].year)'
	[ "$output" = $'1\t1995' ]
}

@test "gzip in gzip in gzip is refused, not unwound without end" {
	printf 'title,year\nHeat,1995\n' | gzip | gzip > "$T/twice.csv.gz"
	run ./reel --data "$T/twice.csv.gz" -e 'print(#films)'
	[ "$output" = 1 ]
	gzip -c "$T/twice.csv.gz" | gzip > "$T/four.csv.gz"
	refused "$T/four.csv.gz" "$T/four.csv.gz: gzip in gzip in gzip: decompress it first"
}
# }======

@test "JSON named .csv or .tsv is read as JSON; CSV named .json gets the JSON reader's message" {
	printf '[{"title": "Heat", "year": 1995}]\n' > "$T/films.csv"
	run ./reel --data "$T/films.csv" -e 'print(#films, films[1].title, films[1].year)'
	[ "$status" -eq 0 ]
	[ "$output" = $'1\tHeat\t1995' ]
	printf '{"title": "Heat", "year": 1995}\n{"title": "Up", "year": 2009}\n' > "$T/films.tsv"
	run ./reel --data "$T/films.tsv" -e 'print(#films)'
	[ "$output" = 2 ]
	printf 'title,year\nHeat,1995\n' > "$T/films.json"
	run --separate-stderr ./reel --data "$T/films.json" -e 'print(#films)'
	[ "$status" -eq 3 ]
	[[ "$stderr" == "reel: $T/films.json:1:1: "* ]]
}

@test "a header that opens with a signature's letters is text: PAR1, RIFF, OggS, GIF8" {
	for head in PAR1 RIFF OggS GIF8 Rar! ID3x; do
		printf '%s,year\nHeat,1995\n' "$head" > "$T/films.csv"
		run ./reel --data "$T/films.csv" -e 'print(#films)'
		[ "$status" -eq 0 ]
		[ "$output" = 1 ]
	done
	printf 'PAR1\025\004\025\020\025\024' > "$T/films.parquet"
	refused "$T/films.parquet" "$T/films.parquet: a Parquet file, not a catalogue"
}
