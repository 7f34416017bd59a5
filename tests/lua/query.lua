-- tests/lua/query.lua: counting, indexing, iterating, where, filter, sort,
-- slices, search, select, aggregates, map and pluck on the built-in films.
dofile("tests/lua/tap.lua")

-- Plain Lua copies of the catalogue, the reference the methods are held to.
local rows = {}
for i, f in ipairs(films) do rows[i] = f:totable() end

local function titles(q)
	local t = {}
	for i, f in ipairs(q) do t[i] = f.title end
	return t
end

local function reference(keep)
	local t = {}
	for _, r in ipairs(rows) do
		if keep(r) then t[#t + 1] = r.title end
	end
	return t
end

-- {====== counting and indexing ======
is(type(films), "userdata", "films is a userdata")
is(#films, 10, "#films counts the built-in films")
is(films:count(), #films, "count() agrees with #")
is(#rows, 10, "ipairs visits every film")
is(tostring(films[1]), "Miracle in Cell No. 7 (2013, 127 min)", "films[1]")
is(films[10].title, "Spirits' Homecoming", "films[10] is the last")
is(films[0], nil, "films[0] is nil")
is(films[11], nil, "past the end is nil")
is(films[-1], nil, "negative index is nil")
is(films[1.5], nil, "a non-integer number is no film")
is(films[2.0].title, "Wedding Dress", "an integral float indexes")
is(type(films.where), "function", "string keys name methods")
is(films.nosuchmethod, nil, "an unknown method is nil")

local seen = {}
for f in films:each() do seen[#seen + 1] = f.rank end
is(#seen, 10, "each() yields every film")
is(seen[1], 1, "each() in file order (first)")
is(seen[10], 10, "each() in file order (last)")
local it = films:limit(1):each()
ok(it() ~= nil and it() == nil and it() == nil, "each() stays finished")
-- }======

-- {====== where ======
local short = films:where{duration = {lt = 110}}
is_deeply(titles(short), {"Wedding Dress", "More than Blue"}, "under 110 minutes")
is_deeply(titles(short), reference(function(r) return r.duration < 110 end),
          "lt agrees with Lua")
is(getmetatable(short).__name, "reel.Query", "where returns a Query")
is(#films, 10, "where leaves the table alone")

is_deeply(titles(films:where{year = 2013}),
          reference(function(r) return r.year == 2013 end), "eq by plain value")
is_deeply(titles(films:where{title = "Hope"}), {"Hope"}, "eq on a string")
is_deeply(titles(films:where{year = {ne = 2013}}),
          reference(function(r) return r.year ~= 2013 end), "ne")
is_deeply(titles(films:where{duration = {le = 110}}),
          reference(function(r) return r.duration <= 110 end), "le")
is_deeply(titles(films:where{duration = {gt = 125}}),
          reference(function(r) return r.duration > 125 end), "gt")
is_deeply(titles(films:where{duration = {ge = 125}}),
          reference(function(r) return r.duration >= 125 end), "ge")
is_deeply(titles(films:where{duration = {between = {110, 120}}}),
          reference(function(r) return r.duration >= 110 and r.duration <= 120 end),
          "between is inclusive")
is_deeply(titles(films:where{year = {["in"] = {2006, 2016}}}),
          reference(function(r) return r.year == 2006 or r.year == 2016 end), "in")
is_deeply(titles(films:where{year = {2006, 2016}}),
          titles(films:where{year = {["in"] = {2006, 2016}}}),
          "a plain array means in")
is(#films:where{year = {}}, 0, "an empty set matches nothing")
is_deeply(titles(films:where{title = {contains = "HOME"}}),
          reference(function(r) return r.title:lower():find("home", 1, true) end),
          "contains ignores case")
is_deeply(titles(films:where{duration = {gt = 110, lt = 125}}),
          reference(function(r) return r.duration > 110 and r.duration < 125 end),
          "several ops in one table AND together")
is_deeply(titles(films:where{year = 2013, duration = {gt = 125}}),
          reference(function(r) return r.year == 2013 and r.duration > 125 end),
          "several columns AND together")
is_deeply(titles(films:where{duration = 110.0}), {"Daisy"}, "a float operand")
is(#films:where{}, 10, "an empty where keeps everything")
is(#films:where{title = {null = true}}, 0, "null = true: no null titles")
is(#films:where{title = {null = false}}, 10, "null = false: all titles")
is(#films:where{title = reel.null}, 0, "reel.null means null = true")
is(#films:where{title = {ne = reel.null}}, 10, "ne reel.null means null = false")
is_deeply(titles(films:where{year = 2013}:where{duration = {lt = 125}}),
          reference(function(r) return r.year == 2013 and r.duration < 125 end),
          "where chains")
-- }======

-- {====== filter ======
local function long(f) return f.duration > 120 end
is_deeply(titles(films:filter(long)),
          reference(function(r) return r.duration > 120 end), "filter")
is_deeply(titles(films:filter(long)), titles(films:where{duration = {gt = 120}}),
          "filter and where agree")
is(#films:filter(function() return nil end), 0, "filter by nil keeps nothing")
is(#films:filter(function() return 0 end), 10, "0 is truthy in Lua")
is_deeply(titles(films:where{year = {ge = 2010}}:filter(long)),
          reference(function(r) return r.year >= 2010 and r.duration > 120 end),
          "native and Lua predicates compose")
-- }======

-- {====== sort ======
local function sorted_titles(less)
	local copy = {}
	for i, r in ipairs(rows) do copy[i] = r end
	-- a stable reference: ties keep file order (rank)
	table.sort(copy, function(a, b)
		if less(a, b) then return true end
		if less(b, a) then return false end
		return a.rank < b.rank
	end)
	local t = {}
	for i, r in ipairs(copy) do t[i] = r.title end
	return t
end

local by_duration = sorted_titles(function(a, b) return a.duration < b.duration end)
is_deeply(titles(films:sort("duration")), by_duration, "sort ascending, stable")
is_deeply(titles(films:sort("-duration")),
          sorted_titles(function(a, b) return a.duration > b.duration end),
          "sort descending, stable")
is_deeply(titles(films:sort("-year", "title")),
          sorted_titles(function(a, b)
          	if a.year ~= b.year then return a.year > b.year end
          	return a.title < b.title
          end), "sort by two keys")
is_deeply(titles(films:sort(function(a, b) return a.duration < b.duration end)),
          by_duration, "sort with a comparator, stable")
is_deeply(titles(films:sort(function(a, b) return a.year > b.year end)),
          sorted_titles(function(a, b) return a.year > b.year end),
          "comparator sort keeps ties in order")
is_deeply(titles(films:sort(function() return false end)), titles(films),
          "a comparator that never says less keeps the order")
is_deeply(titles(films:sort("title")), titles(films:sort(function(a, b)
	return a.title < b.title end)), "native and comparator sorts agree")
is(films:sort("duration")[1].title, "More than Blue", "the shortest first")
-- }======

-- {====== slices and single films ======
is_deeply(titles(films:limit(3)), {rows[1].title, rows[2].title, rows[3].title},
          "limit")
is(#films:limit(0), 0, "limit(0)")
is(#films:limit(100), 10, "limit past the end")
is_deeply(titles(films:offset(8)), {rows[9].title, rows[10].title}, "offset")
is(#films:offset(10), 0, "offset to the end")
is(#films:offset(50), 0, "offset past the end")
is_deeply(titles(films:offset(2):limit(2)), {rows[3].title, rows[4].title},
          "offset then limit")
is(films:first(), films[1], "first")
is(films:last(), films[10], "last")
is(films:where{year = 1900}:first(), nil, "first of nothing")
is(films:where{year = 1900}:last(), nil, "last of nothing")
is(films:where{year = 1900}:random(), nil, "random of nothing")
is(films:sort("-duration"):first().title, "Way Back Home", "the longest")
-- }======

-- {====== search and select ======
is_deeply(titles(films:search("prison")),
          reference(function(r)
          	for _, v in pairs(r) do
          		if type(v) == "string" and v:lower():find("prison", 1, true) then
          			return true
          		end
          	end
          end), "search finds text in any string column")
is_deeply(titles(films:search("PRISON")), titles(films:search("prison")),
          "search ignores case")
is(#films:search("선물"), 1, "search finds Hangul")
is(#films:search("no such words anywhere"), 0, "search with no match")

local all_names = films:columns()
is_deeply(all_names, {"rank", "title", "original_title", "year", "duration",
                      "director", "description"}, "columns()")
local sel = films:select("title", "year")
is_deeply(sel:columns(), {"title", "year"}, "select narrows columns()")
is(#sel, 10, "select keeps the rows")
is_deeply(sel:where{year = 2013}:columns(), {"title", "year"},
          "selected columns carry through later methods")
is(sel[1].duration, 127, "films of a selection still have every column")
-- }======

-- {====== aggregates, map, pluck ======
local durations = films:pluck("duration")
is_deeply(durations, {127, 109, 122, 110, 117, 105, 115, 125, 131, 127},
          "pluck in file order")
local total, low, high = 0, math.huge, -math.huge
for _, d in ipairs(durations) do
	total = total + d
	low, high = math.min(low, d), math.max(high, d)
end
is(films:sum("duration"), total, "sum")
is(math.type(films:sum("duration")), "integer", "sum of integers is an integer")
ok(math.abs(films:avg("duration") - total / #durations) < 1e-9, "avg")
is(films:min("duration"), low, "min")
is(films:max("duration"), high, "max")
is(films:min("title"), "A Moment to Remember", "min of strings")
is(films:max("title"), "Wedding Dress", "max of strings")
is(films:where{year = 1900}:sum("duration"), nil, "sum of nothing is nil")
is(films:where{year = 1900}:max("duration"), nil, "max of nothing is nil")
is(films:where{year = 2013}:sum("duration"),
   127 + 122 + 131, "sum over a where")

local doubled = films:map(function(f) return f.duration * 2 end)
is(#doubled, 10, "map returns an array")
is(doubled[2], 218, "map applies the function")
is_deeply(films:map(function(f) return f.title end), titles(films),
          "map in query order")
is_deeply(films:sort("duration"):pluck("title"), by_duration, "pluck in query order")
is_deeply(films:where{year = 1900}:pluck("title"), {}, "pluck of nothing")
-- }======

-- {====== immutability ======
local base = films:where{year = {ge = 2010}}
local n = #base
base:sort("-duration"):limit(2)
base:filter(function() return false end)
is(#base, n, "methods leave their query alone")
-- }======

done()
