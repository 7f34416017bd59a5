#!/usr/bin/env bats
# -o/--output FORMAT: how queries print from -e, scripts and tostring, in
# every format, each parsed back and compared with the query's own rows;
# JSON Lines as a format and an extension; printing that streams (the same
# text as format gives, however many slices it goes out in).

bats_require_minimum_version 1.5.0

setup() {
	cd "$BATS_TEST_DIRNAME/../.."
	unset REEL_DATA REEL_PATH LUA_INIT LUA_INIT_5_4
}

QUERY='films:sort("rank"):select("title", "year", "duration", "director")'

# parse_back FILE FORMAT: the rows in FILE as "title|year|duration|director"
# lines, read by reel itself (csv, tsv, json, jsonl) or split on the bars of
# a table or a Markdown table (after their two header lines).
parse_back() {
	cat > "$BATS_TEST_TMPDIR/parse.lua" <<'LUA'
local path, format = ...
if format == "table" or format == "markdown" then
	local bar = format == "table" and "│" or "|"
	local n = 0
	for line in io.lines(path) do
		n = n + 1
		local cells = {}
		for cell in (line .. bar):gmatch("(.-)" .. bar) do
			cells[#cells + 1] = cell:match("^%s*(.-)%s*$")
		end
		-- a line "│ a │ b │" splits into "", "a", "b", ""
		if n > 2 and #cells == 6 then
			print(table.concat(cells, "|", 2, 5))
		end
	end
	return
end
local t = assert(reel.load(path, {format = format}))
for f in t:each() do
	print(table.concat({f.title, f.year, f.duration, f.director}, "|"))
end
LUA
	./reel "$BATS_TEST_TMPDIR/parse.lua" "$1" "$2"
}

expected_rows() {
	./reel -e "for f in $QUERY:each() do
		print(table.concat({f.title, f.year, f.duration, f.director}, '|')) end"
}

@test "-o prints queries in each format, and each reads back as the rows" {
	expected=$(expected_rows)
	for format in table csv tsv json jsonl markdown; do
		./reel -o "$format" -e "$QUERY:print()" > "$BATS_TEST_TMPDIR/out.$format"
		got=$(parse_back "$BATS_TEST_TMPDIR/out.$format" "$format")
		[ "$got" = "$expected" ] || { echo "$format: $got"; return 1; }
	done
}

@test "--output=FORMAT and -oFORMAT are the same option" {
	run ./reel --output=csv -e 'films:limit(1):select("year"):print()'
	[ "$output" = $'year\n2013' ]
	run ./reel -ojsonl -e 'films:limit(1):select("year"):print()'
	[ "$output" = '{"year":2013}' ]
}

@test "-o sets tostring(q) and print(q) too, and a named format still wins" {
	./reel -o csv -e 'print(films:limit(2):select("year"))' > "$BATS_TEST_TMPDIR/print"
	./reel -o csv -e 'films:limit(2):select("year"):print()' > "$BATS_TEST_TMPDIR/method"
	cmp "$BATS_TEST_TMPDIR/print" "$BATS_TEST_TMPDIR/method"
	run ./reel -o csv -e 'print(films:limit(1):select("year"))'
	[ "$output" = $'year\n2013' ]
	run ./reel -o csv -e 'films:limit(1):select("year"):print("json")'
	[ "$output" = $'[\n{"year":2013}\n]' ]
}

@test "-o reaches a script and standard input as well as -e" {
	printf 'films:limit(2):select("title"):print()\n' > "$BATS_TEST_TMPDIR/s.lua"
	run ./reel -o tsv "$BATS_TEST_TMPDIR/s.lua"
	[ "$output" = $'title\nMiracle in Cell No. 7\nWedding Dress' ]
	run ./reel -o jsonl - < "$BATS_TEST_TMPDIR/s.lua"
	[ "${lines[0]}" = '{"title":"Miracle in Cell No. 7"}' ]
}

@test "without -o queries print as a table" {
	run ./reel -e 'films:limit(1):select("year"):print()'
	[ "${lines[0]}" = "┌──────┐" ]
}

@test "an unknown -o format lists the valid ones, exit 2" {
	run --separate-stderr ./reel -o xml -e 'print(1)'
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "${stderr_lines[0]}" = "reel: unknown output format 'xml' (valid: table, csv, tsv, json, jsonl, markdown)" ]
	run --separate-stderr ./reel --output lines
	[ "$status" -eq 2 ]
	run --separate-stderr ./reel -o
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "reel: option '-o' needs an argument" ]
}

@test "jsonl: one object a line, saved as .jsonl and .ndjson, read back" {
	run ./reel -e 'films:limit(2):select("title", "year"):print("jsonl")'
	[ "${lines[0]}" = '{"title":"Miracle in Cell No. 7","year":2013}' ]
	[ "${lines[1]}" = '{"title":"Wedding Dress","year":2010}' ]
	[ "${#lines[@]}" -eq 2 ]
	for ext in jsonl ndjson jsonl.gz; do
		run ./reel -e "
			local path = '$BATS_TEST_TMPDIR/films.$ext'
			assert(films:save(path))
			local back = assert(reel.load(path))
			print(#back, back[1].title, back[1].year)"
		[ "$output" = $'10\tMiracle in Cell No. 7\t2013' ] || { echo "$ext: $output"; return 1; }
	done
	zcat "$BATS_TEST_TMPDIR/films.jsonl.gz" | head -c 10 | grep -q '^{"rank":1'
	run ./reel -e 'print(films:where{year = 1900}:format("jsonl") == "")'
	[ "$output" = true ]
}

@test "reel.load takes format = \"jsonl\"" {
	run ./reel -e 'print(#assert(reel.load("tests/data/films.jsonl", {format = "jsonl"})))'
	[ "$status" -eq 0 ]
	[ "$output" -gt 0 ]
}

# A catalogue of 8000 films, 360 KB of CSV: printing goes out in slices.
make_big() {
	awk 'BEGIN { print "id,title,year,duration,note";
		for (i = 1; i <= 8000; i++)
			printf "%d,\"Film %d, part %d\",%d,%d,%s\n", i, i, i % 7, 1950 + i % 70,
			       80 + i % 90, (i % 5 ? "\"ok \"\"quoted\"\"\"" : "") }' \
		> "$BATS_TEST_TMPDIR/big.csv"
}

@test "printing streams the same text that format returns, in every format" {
	make_big
	for format in table csv tsv json jsonl markdown lines '{id}: {title}'; do
		./reel -d "$BATS_TEST_TMPDIR/big.csv" -e "films:print('$format')" \
			> "$BATS_TEST_TMPDIR/printed"
		./reel -d "$BATS_TEST_TMPDIR/big.csv" -e "io.write(films:format('$format'))" \
			> "$BATS_TEST_TMPDIR/formatted"
		cmp "$BATS_TEST_TMPDIR/printed" "$BATS_TEST_TMPDIR/formatted" ||
			{ echo "differs: $format"; return 1; }
	done
	[ "$(wc -l < "$BATS_TEST_TMPDIR/printed")" -eq 8000 ]
}

@test "saving streams: a big save reads back whole in every format" {
	make_big
	run ./reel -d "$BATS_TEST_TMPDIR/big.csv" -e "
		for _, ext in ipairs{'csv', 'tsv', 'json', 'jsonl', 'csv.gz'} do
			local path = '$BATS_TEST_TMPDIR/saved.' .. ext
			assert(films:sort('-id'):save(path))
			local back = assert(reel.load(path))
			assert(#back == 8000 and back[1].id == 8000 and back[8000].title == 'Film 1, part 1',
			       ext)
		end
		print('ok')"
	[ "$status" -eq 0 ]
	[ "$output" = ok ]
}

@test "printing into a closed pipe stops quietly or reports, never hangs" {
	make_big
	run sh -c './reel -d "$1" -e "films:print(\"csv\") films:print(\"csv\")" | head -n 2' sh \
		"$BATS_TEST_TMPDIR/big.csv"
	[ "${lines[0]}" = "id,title,year,duration,note" ]
}
