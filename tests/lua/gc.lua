-- tests/lua/gc.lua: Films, Queries and group loops keep their table alive;
-- collecting in the middle of work loses nothing.
dofile("tests/lua/tap.lua")

local function load_copy()
	return assert(reel.load("data/films.csv"))
end

-- {====== views outliving their table's other references ======
local film, query, sorted
do
	local cat = load_copy()
	film = cat[3]
	query = cat:where{duration = {lt = 110}}
	sorted = cat:sort("-duration")
end
collectgarbage("collect")
collectgarbage("collect")
is(film.title, "Hope", "a Film outlives every other reference to its table")
is(tostring(film), "Hope (2013, 122 min)", "and still prints")
is(#query, 2, "a Query outlives its table's other references")
is_deeply(query:pluck("title"), {"Wedding Dress", "More than Blue"},
          "and still reads its rows")
is(sorted:first().title, "Way Back Home", "a sorted Query too")
is(query:where{year = 2009}:first().title, "More than Blue", "and still chains")

local lone
do
	lone = load_copy():limit(2)
end
collectgarbage("collect")
is(#lone, 2, "a Query made straight from a dropped table")
local from_lone = lone[2]
lone = nil
collectgarbage("collect")
is(from_lone.title, "Wedding Dress", "a Film from a dropped Query")
-- }======

-- {====== iterators outliving their query ======
local each
do
	each = load_copy():where{year = 2013}:each()
end
collectgarbage("collect")
local count = 0
for f in each do count = count + 1; is(f.year, 2013, "each after collect") end
is(count, 3, "the each() iterator kept its query")

local groups
do
	groups = load_copy():group("year")
end
collectgarbage("collect")
local ngroups = 0
for year, g in groups do
	ngroups = ngroups + 1
	collectgarbage("collect")
	ok(#g > 0 and g[1].year == year, "group " .. tostring(year) .. " after collect")
end
is(ngroups, 7, "the group loop kept its table")
-- }======

-- {====== collecting during callbacks ======
local cat = load_copy()
local kept = cat:filter(function(f)
	collectgarbage("collect")
	return f.duration > 120
end)
is(#kept, 5, "filter survives collections inside the callback")
local order = cat:sort(function(a, b)
	collectgarbage("step")
	return a.duration < b.duration
end)
is(order[1].title, "More than Blue", "a comparator sort survives collections")
local mapped = cat:map(function(f)
	collectgarbage("step")
	return f
end)
cat = nil
collectgarbage("collect")
is(mapped[10].title, "Spirits' Homecoming", "Films from map outlive the table")
-- }======

-- {====== a finalizer reaching a film after its table's __gc ======
-- Finalizers run in the reverse order of their objects' creation, so a probe
-- made before the table is finalized after it, and finds it collected.
local outcome
do
	local probe = setmetatable({}, {__gc = function(self)
		outcome = table.pack(pcall(function() return self.film.title end))
	end})
	probe.film = load_copy()[1]
end
collectgarbage("collect")
collectgarbage("collect")
ok(outcome ~= nil, "the probe's finalizer ran")
is(outcome and outcome[1], false, "using a collected catalogue raises")
has(outcome and outcome[2], "collected catalogue", "and says why")
-- }======

-- {====== many short-lived views ======
local before = collectgarbage("count")
for _ = 1, 200 do
	local c = load_copy()
	local _ = c:where{year = 2013}:sort("title"):select("title"):format("csv")
end
collectgarbage("collect")
collectgarbage("collect")
local after = collectgarbage("count")
ok(after < before + 256, "dropped tables and queries are collected")
-- }======

done()
