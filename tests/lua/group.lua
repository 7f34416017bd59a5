-- tests/lua/group.lua: q:group(col) loops, the null group keyed reel.null,
-- and aggregates over groups and over columns holding nulls.
dofile("tests/lua/tap.lua")

-- {====== the built-in films by year ======
local expected = {}
for _, f in ipairs(films) do
	expected[f.year] = (expected[f.year] or 0) + 1
end
local keys = {}
for year in pairs(expected) do keys[#keys + 1] = year end
table.sort(keys)

local got_keys, sizes, members_ok = {}, {}, true
for year, g in films:group("year") do
	got_keys[#got_keys + 1] = year
	sizes[year] = #g
	is(getmetatable(g).__name, "reel.Query", "group " .. year .. " is a Query")
	for _, f in ipairs(g) do members_ok = members_ok and f.year == year end
end
is_deeply(got_keys, keys, "one group per year, in ascending order")
is_deeply(sizes, expected, "each group holds its year's films")
ok(members_ok, "every film is in its own year's group")

for year, g in films:group("year") do
	if year == 2013 then
		is_deeply(g:pluck("rank"), {1, 3, 9}, "a group keeps the input order")
		is(g:sum("duration"), 127 + 122 + 131, "aggregates over a group")
		is(g:sort("-duration"):first().title, "Way Back Home", "groups chain")
	end
end

local sorted_first = {}
for _, g in films:sort("-rank"):group("year") do
	sorted_first[#sorted_first + 1] = g[1].rank
end
is(sorted_first[#sorted_first], 10, "groups follow the query's order within")

local n = 0
for _ in films:where{year = 1900}:group("year") do n = n + 1 end
is(n, 0, "no groups from no films")

local by_title = 0
for title, g in films:group("title") do
	by_title = by_title + 1
	is(type(title), "string", "string keys (" .. title .. ")")
	is(#g, 1, "one film per title")
end
is(by_title, 10, "ten titles")

local sel_cols
for _, g in films:select("title"):group("year") do sel_cols = g:columns() end
is_deeply(sel_cols, {"title"}, "a group keeps the selected columns")
-- }======

-- {====== a catalogue with nulls ======
local path = os.tmpname()
local file = assert(io.open(path, "w"))
file:write("title,year,rating\n",
           "Alpha,2001,7.5\n",
           "Beta,,8.0\n",
           "Gamma,2001,\n",
           "Delta,,6.5\n",
           "Epsilon,1999,9.0\n")
file:close()
local cat = assert(reel.load(path, {format = "csv"}))
os.remove(path)
is(#cat, 5, "the catalogue with nulls loads")

local order, groups = {}, {}
for year, g in cat:group("year") do
	order[#order + 1] = year
	groups[#groups + 1] = g:pluck("title")
end
is(#order, 3, "two years and the null group: the loop goes on past null")
is(order[1], 1999, "ascending keys")
is(order[2], 2001, "ascending keys")
ok(order[3] == reel.null, "the null group comes last, keyed reel.null")
is_deeply(groups[3], {"Beta", "Delta"}, "the null group holds the null rows")
is_deeply(groups[2], {"Alpha", "Gamma"}, "2001's group")

is(cat[2].year, nil, "a null field is nil")
is(cat[2]:totable().year, nil, "totable leaves nulls out")
local years = cat:pluck("year")
is(#years, 5, "pluck keeps a place for every film")
ok(years[2] == reel.null and years[4] == reel.null, "nulls pluck as reel.null")
is(years[5], 1999, "non-null values pluck as themselves")

is(cat:sum("year"), 2001 + 2001 + 1999, "sum skips nulls")
ok(math.abs(cat:avg("rating") - (7.5 + 8.0 + 6.5 + 9.0) / 4) < 1e-9, "avg skips nulls")
is(math.type(cat:max("rating")), "float", "max of numbers is a number")
is(cat:max("rating"), 9.0, "max")
is(cat:min("rating"), 6.5, "min")
is(cat:where{year = reel.null}:sum("year"), nil, "sum of only nulls is nil")
is(#cat:where{year = reel.null}, 2, "where{col = reel.null} finds nulls")
is(#cat:where{year = {null = false}}, 3, "null = false finds the rest")
is(#cat:where{year = {lt = 3000}}, 3, "a null never matches a comparison")
is(#cat:where{year = {ne = 1999}}, 2, "not even ne")
is_deeply(cat:sort("year"):pluck("title"),
          {"Epsilon", "Alpha", "Gamma", "Beta", "Delta"}, "nulls sort last")
is_deeply(cat:sort("-year"):pluck("title"),
          {"Alpha", "Gamma", "Epsilon", "Beta", "Delta"}, "nulls last descending too")
throws(function() return cat:sum("title") end, "'title'", "sum of strings raises")
throws(function() return cat:avg("title") end, "'title'", "avg of strings raises")
-- }======

-- {====== reel.null ======
is(tostring(reel.null), "reel.null", "tostring(reel.null)")
is(type(reel.null), "userdata", "reel.null is a userdata")
throws(function() reel.null.x = 1 end, "cannot be modified", "reel.null is read-only")
ok(type(getmetatable(reel.null)) ~= "table", "its metatable is hidden")
ok(reel.null ~= nil and reel.null ~= false, "reel.null is not nil")
-- }======

done()
