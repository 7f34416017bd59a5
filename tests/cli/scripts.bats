#!/usr/bin/env bats
# The bundled scripts (scripts/*.lua) run through ./reel: their output is
# checked against what plain Lua over `films` computes, never against
# copied results.

bats_require_minimum_version 1.5.0

SCRIPTS="random_under marathon similar by_year by_decade search top export"

setup() {
	cd "$BATS_TEST_DIRNAME/../.."
}

# Lines "Title (year, N min)" of the films for which the Lua expression
# (over a film f) holds, in catalogue order.
films_where() {
	./reel -e "for _, f in ipairs(films) do if $1 then print(tostring(f)) end end"
}

# The running time of the film shown as $1 by tostring.
minutes_of() {
	FILM="$1" ./reel -e 'for _, f in ipairs(films) do
		if tostring(f) == os.getenv("FILM") then print(f.duration) end end'
}

@test "every script answers --help on stdout with exit 0" {
	for script in $SCRIPTS; do
		run --separate-stderr ./reel "$script" --help
		[ "$status" -eq 0 ] || { echo "$script: $status $stderr"; false; }
		[[ "${lines[0]}" == "usage: reel $script"* ]]
		[ -z "$stderr" ]
	done
}

@test "every script opens with a comment that reel --list shows" {
	run ./reel --list
	[ "$status" -eq 0 ]
	for script in $SCRIPTS; do
		summary=$(head -n 1 "scripts/$script.lua")
		[[ "$summary" == "-- "* ]]
		grep -F "$script" <<<"$output" | grep -qF "${summary#-- }"
	done
}

@test "random_under 110 only ever picks films under 110 minutes" {
	allowed=$(films_where 'f.duration < 110')
	[ -n "$allowed" ]
	seen=""
	for seed in $(seq 1 20); do
		run --separate-stderr ./reel --seed "$seed" random_under 110
		[ "$status" -eq 0 ] || { echo "seed $seed: status $status: $stderr"; false; }
		[ "${#lines[@]}" -eq 1 ]
		grep -qxF -- "${lines[0]}" <<<"$allowed"
		seen="$seen${lines[0]}"$'\n'
	done
	# over twenty seeds, every qualifying film turns up at least once
	while IFS= read -r film; do
		grep -qxF -- "$film" <<<"$seen"
	done <<<"$allowed"
}

@test "random_under picks the default of 110 minutes without an argument" {
	allowed=$(films_where 'f.duration < 110')
	for seed in 3 4 5; do
		run ./reel --seed "$seed" random_under
		[ "$status" -eq 0 ]
		grep -qxF -- "$output" <<<"$allowed"
	done
}

@test "random_under --count 2 prints two different films under the limit" {
	allowed=$(films_where 'f.duration < 120')
	for seed in 1 2 3 4 5; do
		run ./reel --seed "$seed" random_under 120 --count 2
		[ "$status" -eq 0 ]
		[ "${#lines[@]}" -eq 2 ]
		[ "${lines[0]}" != "${lines[1]}" ]
		grep -qxF -- "${lines[0]}" <<<"$allowed"
		grep -qxF -- "${lines[1]}" <<<"$allowed"
	done
}

@test "random_under is reproducible with --seed" {
	first=$(./reel --seed 42 random_under 130 --count 3)
	second=$(./reel --seed 42 random_under 130 --count 3)
	[ -n "$first" ]
	[ "$first" = "$second" ]
}

@test "random_under says so and exits 1 when no film is short enough" {
	shortest=$(./reel -e 'local m; for _, f in ipairs(films) do
		m = math.min(m or f.duration, f.duration) end; print(m)')
	run --separate-stderr ./reel random_under "$shortest"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ "$stderr" == "random_under: "* ]]
}

# The best choice for $1 minutes by brute force over every subset: the
# largest total, then the most films, then the smallest ranks; its films
# in rank order, one "Title (year, N min)" a line.
brute_force_marathon() {
	LIMIT="$1" ./reel -e '
		local limit, list = tonumber(os.getenv("LIMIT")), {}
		for _, f in ipairs(films) do list[#list + 1] = f end
		table.sort(list, function(a, b) return a.rank < b.rank end)
		local best
		for mask = 0, (1 << #list) - 1 do
			local total, chosen = 0, {}
			for i, f in ipairs(list) do
				if mask & (1 << (i - 1)) ~= 0 then
					total = total + f.duration; chosen[#chosen + 1] = f
				end
			end
			local better = best == nil or total > best.total
				or (total == best.total and #chosen > #best.chosen)
			if not better and best and total == best.total and #chosen == #best.chosen then
				for k = 1, #chosen do
					if chosen[k].rank ~= best.chosen[k].rank then
						better = chosen[k].rank < best.chosen[k].rank; break
					end
				end
			end
			if total <= limit and better then best = { total = total, chosen = chosen } end
		end
		for _, f in ipairs(best.chosen) do print(tostring(f)) end'
}

@test "marathon 240 picks the best set, as brute force finds it" {
	run --separate-stderr ./reel marathon 240
	[ "$status" -eq 0 ]
	expected=$(brute_force_marathon 240)
	got=$(sed -n '/^total /!s/^[0-9][0-9]:[0-9][0-9]  //p' <<<"$output")
	[ "$got" = "$expected" ]
	total=0
	while IFS= read -r film; do
		total=$((total + $(minutes_of "$film")))
	done <<<"$got"
	[ "$total" -le 240 ]
	printf -v want 'total %d h %02d min of 4 h 00 min' $((total / 60)) $((total % 60))
	[ "${lines[-1]}" = "$want" ]
}

@test "marathon agrees with brute force for other lengths" {
	for limit in 110 300 500 777 1000; do
		expected=$(brute_force_marathon "$limit")
		got=$(./reel marathon "$limit" | sed -n '/^total /!s/^[0-9][0-9]:[0-9][0-9]  //p')
		[ "$got" = "$expected" ] || { echo "$limit: $got"; false; }
	done
}

@test "marathon schedules the films back to back from --start" {
	run ./reel marathon 500 --start 22:45
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "22:45  "* ]]
	at=$((22 * 60 + 45))
	for line in "${lines[@]}"; do
		[[ "$line" == "total "* ]] && break
		printf -v clock '%02d:%02d' $((at / 60 % 24)) $((at % 60))
		[ "${line:0:5}" = "$clock" ]
		at=$((at + $(minutes_of "${line:7}")))
	done
	run ./reel marathon 240
	[[ "${lines[0]}" == "19:00  "* ]]
}

@test "marathon plans from a large catalogue of equal lengths" {
	# 3000 films: only the best-ranked few of each length can matter
	{
		echo "rank,title,year,duration"
		for i in $(seq 3000 -1 1); do echo "$i,Film $i,2000,$((90 + i % 2 * 10))"; done
	} >"$BATS_TEST_TMPDIR/many.csv"
	run ./reel --data "$BATS_TEST_TMPDIR/many.csv" marathon 280
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "19:00  Film 1 (2000, 100 min)" ]
	[ "${lines[1]}" = "20:40  Film 2 (2000, 90 min)" ]
	[ "${lines[2]}" = "22:10  Film 4 (2000, 90 min)" ]
	[ "${lines[3]}" = "total 4 h 40 min of 4 h 40 min" ]
}

@test "marathon fills a budget that thousands of films could fill, each film once" {
	{
		echo "title,year,duration"
		for i in $(seq 1 2500); do echo "Film $i,2000,$((100 + i % 50))"; done
	} >"$BATS_TEST_TMPDIR/many.csv"
	run --separate-stderr ./reel --data "$BATS_TEST_TMPDIR/many.csv" marathon 100000
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "total 1666 h 40 min of 1666 h 40 min" ]
	films=$(printf '%s\n' "${lines[@]}" | grep -c ' min)$')
	minutes=$(printf '%s\n' "${lines[@]}" | sed -n 's/.*, \([0-9]*\) min)$/\1/p' | awk '{ s += $1 } END { print s }')
	[ "$minutes" -eq 100000 ]
	[ "$(printf '%s\n' "${lines[@]}" | grep ' min)$' | sed 's/^[0-9:]*  //' | sort -u | wc -l)" -eq "$films" ]
	# lengths run 100 to 149, 50 films each: the most films are the most
	# of the shortest that fit, since any total up to their longest is there
	most=$(seq 1 2500 | awk '{ print 100 + $1 % 50 }' | sort -n |
		awk '{ sum += $1; if (sum > 100000) exit; n++ } END { print n }')
	[ "$films" -eq "$most" ]
}

@test "marathon rejects a bad length or start with a usage error" {
	for args in "" "0" "-5" "abc" "100001" "240 --start 25:00" "240 --start 7pm" "240 --start"; do
		run --separate-stderr ./reel marathon $args
		[ "$status" -eq 2 ] || { echo "'$args': $status"; false; }
		[[ "$stderr" == "marathon: "* ]]
		[[ "$stderr" == *"usage: reel marathon MINUTES"* ]]
	done
}

@test "similar finds Silenced by title, prefix or original title" {
	run --separate-stderr ./reel similar Silenced
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 5 ]
	by_title=$output
	for line in "${lines[@]}"; do
		[[ "$line" =~ ^[0-9]+\.[0-9][0-9]\ \ .+\ \([0-9]{4},\ [0-9]+\ min\)\ \ .+$ ]]
		[[ "$line" != *Silenced* ]]
	done
	run ./reel similar silen
	[ "$status" -eq 0 ]
	[ "$output" = "$by_title" ]
	run ./reel similar 도가니
	[ "$status" -eq 0 ]
	[ "$output" = "$by_title" ]
}

@test "similar ranks by score and honours --count" {
	run ./reel similar Hope --count 9
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 9 ]
	scores=$(cut -d' ' -f1 <<<"$output")
	[ "$scores" = "$(sort -rn <<<"$scores")" ]
	[[ "$output" != *"Hope ("* ]]
	run ./reel similar Hope --count 2
	[ "${#lines[@]}" -eq 2 ]
}

@test "similar gives the same director and close years a higher score" {
	# two films alike in all but director and year: the matching one wins
	cat >"$BATS_TEST_TMPDIR/pair.csv" <<-'CSV'
		title,year,director,description
		Start,2000,Kim,"A quiet story about rivers"
		Far,1950,Lee,"A quiet story about rivers"
		Near,2001,Kim,"A quiet story about rivers"
	CSV
	run ./reel --data "$BATS_TEST_TMPDIR/pair.csv" similar Start
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[0]}" == *Near* ]]
	[[ "${lines[1]}" == *Far* ]]
	# found by a prefix, in a catalogue without original titles
	run ./reel --data "$BATS_TEST_TMPDIR/pair.csv" similar nea
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *Start* ]]
	[[ "${lines[1]}" == *Far* ]]
}

@test "similar reports an unknown title with exit 2" {
	run --separate-stderr ./reel similar "no such film"
	[ "$status" -eq 2 ]
	[[ "$stderr" == "similar: "*"no such film"* ]]
}

# The film counts of a by_year / by_decade table (the second column).
count_column() {
	awk 'NR > 1 { n += $2 } END { print n }' <<<"$1"
}

@test "by_year counts add up to the catalogue, one row a year" {
	total=$(./reel -e 'print(#films)')
	years=$(./reel -e 'local seen, n = {}, 0
		for _, f in ipairs(films) do if not seen[f.year] then seen[f.year] = true; n = n + 1 end end
		print(n)')
	run ./reel by_year
	[ "$status" -eq 0 ]
	[ "$(count_column "$output")" -eq "$total" ]
	[ "${#lines[@]}" -eq $((years + 1)) ]
}

@test "by_year shows each year's average running time" {
	run ./reel by_year
	expected=$(./reel -e 'local sum, n = {}, {}
		for _, f in ipairs(films) do
			sum[f.year] = (sum[f.year] or 0) + f.duration; n[f.year] = (n[f.year] or 0) + 1
		end
		for year, s in pairs(sum) do print(year .. " " .. string.format("%.1f", s / n[year])) end' | sort)
	got=$(awk 'NR > 1 { print $1 " " $3 }' <<<"$output" | sort)
	[ "$got" = "$expected" ]
}

@test "by_decade counts add up to the catalogue" {
	total=$(./reel -e 'print(#films)')
	run ./reel by_decade
	[ "$status" -eq 0 ]
	[ "$(count_column "$output")" -eq "$total" ]
	expected=$(./reel -e 'local seen = {}
		for _, f in ipairs(films) do seen[f.year // 10 * 10] = true end
		for d in pairs(seen) do print(d .. "s") end' | sort)
	[ "$(awk 'NR > 1 { print $1 }' <<<"$output" | sort)" = "$expected" ]
}

@test "search with two words lists the films that contain both" {
	expected=$(films_where '(function()
		local text = table.concat({f.title, f.original_title, f.director, f.description}, " "):lower()
		return text:find("girl", 1, true) and text:find("home", 1, true) end)()')
	[ -n "$expected" ]
	run ./reel search GIRL home
	[ "$status" -eq 0 ]
	[ "$output" = "$expected" ]
	one_word=$(./reel search girl)
	[ "${#lines[@]}" -lt "$(wc -l <<<"$one_word")" ]
}

@test "search without a match exits 1, without words exits 2" {
	run --separate-stderr ./reel search girl xyzzy
	[ "$status" -eq 1 ]
	[[ "$stderr" == "search: "* ]]
	run --separate-stderr ./reel search
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"usage: reel search"* ]]
}

@test "top duration --count 3 shows the three longest films" {
	ranked=$(./reel -e 'local list = {}
		for _, f in ipairs(films) do list[#list + 1] = f end
		table.sort(list, function(a, b) return a.duration > b.duration end)
		for _, f in ipairs(list) do print(f.title .. "\t" .. f.duration) end')
	third=$(sed -n 3p <<<"$ranked" | cut -f2)
	fourth=$(sed -n 4p <<<"$ranked" | cut -f2)
	[ "$third" -gt "$fourth" ]  # no tie at the cut, so the three are certain
	run ./reel top duration --count 3
	[ "$status" -eq 0 ]
	while IFS=$'\t' read -r title minutes; do
		if [ "$minutes" -ge "$third" ]; then
			[[ "$output" == *"$title"* ]]
		else
			[[ "$output" != *"$title"* ]]
		fi
	done <<<"$ranked"
}

@test "top --asc shows the shortest first" {
	shortest=$(./reel -e 'local best
		for _, f in ipairs(films) do if not best or f.duration < best.duration then best = f end end
		print(best.title)')
	run ./reel top duration --asc --count 1
	[ "$status" -eq 0 ]
	[[ "$output" == *"$shortest"* ]]
}

@test "top rejects an unknown column with exit 2, naming it" {
	run --separate-stderr ./reel top popularity
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"'popularity'"* ]]
	[[ "$stderr" == *"usage: reel top COLUMN"* ]]
}

@test "export csv round-trips through --data" {
	./reel export csv >"$BATS_TEST_TMPDIR/films.csv"
	run ./reel --data "$BATS_TEST_TMPDIR/films.csv" -e 'print(#films)'
	[ "$status" -eq 0 ]
	[ "$output" -eq "$(./reel -e 'print(#films)')" ]
	summary='local t = {} for _, f in ipairs(films) do t[#t + 1] = tostring(f) .. f.director end print(table.concat(t, "|"))'
	[ "$(./reel --data "$BATS_TEST_TMPDIR/films.csv" -e "$summary")" = "$(./reel -e "$summary")" ]
}

@test "export writes json, tsv and markdown" {
	run ./reel export json
	[ "$status" -eq 0 ]
	[[ "$output" == "["* ]]
	[[ "$output" == *"Silenced"* ]]
	run ./reel export tsv
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *$'\t'* ]]
	[ "${#lines[@]}" -eq $(($(./reel -e 'print(#films)') + 1)) ]
	run ./reel export markdown
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "|"* ]]
}

@test "usage errors exit 2 with the script's usage line on stderr" {
	while IFS='|' read -r script args; do
		run --separate-stderr ./reel "$script" $args
		[ "$status" -eq 2 ] || { echo "$script $args: $status"; false; }
		[ -z "$output" ]
		[[ "$stderr" == "$script: "* ]]
		[[ "$stderr" == *$'\n'"usage: reel $script"* ]]
	done <<-'CASES'
		random_under|abc
		random_under|110 --count
		random_under|110 --count two
		random_under|110 --count 0
		random_under|110 120
		random_under|--fast
		similar|
		similar|Hope --count -1
		top|
		top|duration --count x
		export|
		export|xml
		by_year|1999
		by_decade|--all
	CASES
}

@test "a catalogue without durations fails with exit 3 naming the column" {
	printf 'title,year\nAlpha,2001\nBeta,2012\n' >"$BATS_TEST_TMPDIR/short.csv"
	for script in "random_under 110" "marathon 240"; do
		run --separate-stderr ./reel --data "$BATS_TEST_TMPDIR/short.csv" $script
		[ "$status" -eq 3 ] || { echo "$script: $status"; false; }
		[[ "$stderr" == *"the catalogue has no 'duration' column"* ]]
	done
	# counting by year still works: only the average column is left out
	run ./reel --data "$BATS_TEST_TMPDIR/short.csv" by_decade
	[ "$status" -eq 0 ]
	[ "$(count_column "$output")" -eq 2 ]
}

@test "text where a script needs numbers is one line naming the column and --column, exit 3" {
	printf 'title,year,duration\nAlpha,2001,long\nBeta,2012,short\n' >"$BATS_TEST_TMPDIR/words.csv"
	for script in "random_under 110" "marathon 240" "by_year" "by_decade"; do
		run --separate-stderr ./reel --data "$BATS_TEST_TMPDIR/words.csv" $script
		[ "$status" -eq 3 ] || { echo "$script: $status $stderr"; false; }
		[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ] || { echo "$script: $stderr"; false; }
		[[ "$stderr" == *"'duration' column holds text ('long'), not numbers"*"--column duration=COLUMN"* ]]
	done
	printf 'title,year,duration\nAlpha,soon,100\nBeta,later,90\n' >"$BATS_TEST_TMPDIR/years.csv"
	run --separate-stderr ./reel --data "$BATS_TEST_TMPDIR/years.csv" random_under 110 --year 2000-2010
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"'year' column holds text ('soon')"*"--column year=COLUMN"* ]]
	[[ "$stderr" != *traceback* ]]
}
