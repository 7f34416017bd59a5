-- tests/lua/aggregate.lua: q:aggregate(by, specs): one row a distinct key
-- in key order, each function against a count by hand, the result a Query
-- like any other, and the errors of its arguments.
dofile("tests/lua/tap.lua")

local path = os.tmpname()
local f = assert(io.open(path, "w"))
f:write([[
title,director,year,duration
A,Kim,2001,100
B,Lee,2001,
C,Kim,2003,90
D,,2003,120
E,Kim,,95
F,Lee,2001,130
G,Kim,2003,90
]])
f:close()
local catalogue = assert(reel.load(path, {format = "csv"}))

-- The rows of a Query as arrays of the named fields.
local function rows(q, ...)
	local names, out = {...}, {}
	for _, film in ipairs(q) do
		local row = {}
		for i, name in ipairs(names) do row[i] = film[name] end
		out[#out + 1] = row
	end
	return out
end

-- {====== by one key ======
local by_year = catalogue:aggregate("year", {"count", "count(duration)",
	"sum(duration)", "avg(duration)", "min(duration)", "max(title) as last",
	"median(duration)", "count_distinct(director)"})
is_deeply(by_year:columns(), {"year", "count", "count_duration", "sum_duration",
	"avg_duration", "min_duration", "last", "median_duration",
	"count_distinct_director"}, "columns: the key, then one a spec, named")
is_deeply(rows(by_year, "year", "count", "count_duration"),
          {{2001, 3, 2}, {2003, 3, 3}, {nil, 1, 1}},
          "keys in order, the null key last; count of rows and of cells")
is_deeply(rows(by_year, "sum_duration", "avg_duration", "min_duration"),
          {{230, 115.0, 100}, {300, 100.0, 90}, {95, 95.0, 95}},
          "sum, avg and min skip nulls")
is_deeply(rows(by_year, "last", "median_duration", "count_distinct_director"),
          {{"F", 115.0, 2}, {"G", 90.0, 1}, {"E", 95.0, 1}},
          "max of text, median (the middle two averaged), distinct non-null cells")
-- }======

-- {====== several keys, none ======
is_deeply(rows(catalogue:aggregate({"director", "year"}, {"count"}), "director",
               "year", "count"),
          {{"Kim", 2001, 1}, {"Kim", 2003, 2}, {"Kim", nil, 1}, {"Lee", 2001, 2},
           {nil, 2003, 1}}, "two keys: each pair once, in order")
is_deeply(rows(catalogue:aggregate(nil, {"count", "max(year)"}), "count", "max_year"),
          {{7, 2003}}, "no key: one row over everything")
is(#catalogue:where{year = 1900}:aggregate(nil, {"count"}), 1,
   "no key over no rows: still one row")
is(catalogue:where{year = 1900}:aggregate(nil, {"count"})[1].count, 0, "counting 0")
is(#catalogue:where{year = 1900}:aggregate("year", {"count"}), 0,
   "a key over no rows: no rows")
is_deeply(rows(catalogue:aggregate("director"), "director"),
          {{"Kim"}, {"Lee"}, {reel.null ~= nil and nil}}, "no specs: the distinct keys")
-- }======

-- {====== a Query like any other ======
local busiest = catalogue:aggregate("director", {"count"}):where{count = {ge = 2}}
                         :sort("-count")
is_deeply(rows(busiest, "director", "count"), {{"Kim", 4}, {"Lee", 2}},
          "where and sort on the result")
like(busiest:explain(), "aggregate  3 rows  native, hash aggregate",
     "explain names it")
like(busiest:format("csv"), "^director,count\nKim,4\nLee,2\n$", "it prints")
local per_director = catalogue:join(catalogue:aggregate("director", {"count as films"}),
                                    "director")
is(per_director:where{title = "A"}:first().films, 4, "and joins")
-- brute force: medians of random columns
local numbers = {}
for i = 1, 200 do numbers[i] = string.format("%d,%d", i % 7, (i * 7919) % 101) end
local g = io.open(path, "w")
g:write("k,v\n", table.concat(numbers, "\n"), "\n")
g:close()
local random = assert(reel.load(path, {format = "csv"}))
local by_k, same = {}, true
for _, film in ipairs(random) do
	by_k[film.k] = by_k[film.k] or {}
	table.insert(by_k[film.k], film.v)
end
for _, film in ipairs(random:aggregate("k", {"median(v)"})) do
	local values = by_k[film.k]
	table.sort(values)
	local n = #values
	local median = n % 2 == 1 and values[(n + 1) // 2]
	               or (values[n // 2] + values[n // 2 + 1]) / 2
	same = same and film.median_v == median
end
ok(same, "each median equals the sorted values' middle")
-- }======

-- {====== errors ======
throws(function() catalogue:aggregate("year", {"mode(duration)"}) end,
       "unknown function in 'mode(duration)' (count, sum, avg, min, max, median, count_distinct)",
       "an unknown function lists the valid ones")
throws(function() catalogue:aggregate("year", {"avg(length)"}) end,
       "no column 'length'", "an unknown column")
throws(function() catalogue:aggregate("genre", {"count"}) end,
       "no column 'genre'", "an unknown key")
throws(function() catalogue:aggregate("year", {"sum(title)"}) end,
       "column 'title' holds strings, not numbers", "sum of text")
throws(function() catalogue:aggregate("year", {"count", "count"}) end,
       "two columns are called 'count'", "two results of one name")
throws(function() catalogue:aggregate("year", {"avg"}) end,
       "avg needs a column", "a function without its column")
throws(function() catalogue:aggregate("year", {"avg(duration) as"}) end,
       "cannot read 'avg(duration) as'", "an unfinished name")
throws(function() catalogue:aggregate("year", {42}) end,
       "spec 1 is not a string", "a spec that is no string")
-- }======

-- {====== many distinct keys ======
-- Enough rows and distinct keys that the distinct-key table is sized from
-- a sample and grows past it: every count against one made in Lua.
local many_path = os.tmpname()
local out = assert(io.open(many_path, "w"))
out:write("title,director\n")
local per_title, directors_of, titles = {}, {}, 0
for i = 1, 30000 do
	local title = "T" .. (i * 7919 % 18000)
	local director = "D" .. (i % 5)
	if not per_title[title] then
		per_title[title], directors_of[title] = 0, {}
		titles = titles + 1
	end
	per_title[title] = per_title[title] + 1
	directors_of[title][director] = true
	out:write(title, ",", director, "\n")
end
out:close()
local many = assert(reel.load(many_path, {format = "csv"}))
local grouped = many:aggregate("title", {"count", "count_distinct(director)"})
is(#grouped, titles, "as many groups as distinct titles")
local wrong = 0
for _, film in ipairs(grouped) do
	local distinct = 0
	for _ in pairs(directors_of[film.title]) do distinct = distinct + 1 end
	if film.count ~= per_title[film.title] or
	   film.count_distinct_director ~= distinct then wrong = wrong + 1 end
end
is(wrong, 0, "each title's count and distinct directors")
is(many:aggregate(nil, {"count_distinct(title)"})[1].count_distinct_title, titles,
   "count_distinct over the whole query")
os.remove(many_path)
-- }======

-- {====== medians of many groups ======
-- Groups of every size from 1 to 60 with repeated values, against the
-- middle of each group sorted in Lua.
local median_path = os.tmpname()
local out_m = assert(io.open(median_path, "w"))
out_m:write("grp,value\n")
local values_of = {}
for g = 1, 60 do
	values_of[g] = {}
	for i = 1, g do
		local v = (g * 31 + i * i * 17) % 23 - 11 + (i % 3) * 0.5
		values_of[g][i] = v
		out_m:write(g, ",", v, "\n")
	end
end
out_m:close()
local medians = assert(reel.load(median_path, {format = "csv"}))
local wrong_median = 0
for _, film in ipairs(medians:aggregate("grp", {"median(value)"})) do
	local sorted = values_of[film.grp]
	table.sort(sorted)
	local n = #sorted
	local want = n % 2 == 1 and sorted[(n + 1) // 2]
	             or (sorted[n // 2] + sorted[n // 2 + 1]) / 2
	if film.median_value ~= want then wrong_median = wrong_median + 1 end
end
is(wrong_median, 0, "each group's median, for sizes 1 to 60")
os.remove(median_path)
-- }======

-- {====== min and max of text ======
-- Texts that share their first eight bytes or end inside them, against the
-- least and greatest found in Lua, in byte order and in natural order.
local texts = {"Parasite", "Parasite II", "Parasite", "Paras", "parasite",
	"Part 10", "Part 2", "Zorro", "École", "abc", "Abc", "Parasites",
	"ParasiteZ", "Para"}
local text_path = os.tmpname()
local out_t = assert(io.open(text_path, "w"))
out_t:write("title\n", table.concat(texts, "\n"), "\n\n")
out_t:close()
local titles = assert(reel.load(text_path, {format = "csv"}))
local least, greatest = texts[1], texts[1]
for _, text in ipairs(texts) do
	if text < least then least = text end
	if text > greatest then greatest = text end
end
local before = reel.collation
reel.collation = "binary"
is(titles:min("title"), least, "min in byte order")
is(titles:max("title"), greatest, "max in byte order")
reel.collation = "natural"
is(titles:min("title"), "Abc", "min in natural order: case folded, ties by bytes")
is(titles:max("title"), "Zorro", "max in natural order: accents folded")
is(titles:sort("title", {collate = "natural"}):first().title, "Abc",
   "min agrees with the natural sort's first")
reel.collation = before
os.remove(text_path)
-- }======

os.remove(path)
done()
