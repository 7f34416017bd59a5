-- tests/lua/collected.lua: a Query, group loop or iterator whose __gc ran
-- raises "attempt to use a collected ..." on any use, and nothing reads the
-- memory a collected object gave back. Lua runs finalizers newest first, so
-- an older object's finalizer reaches newer objects after their own __gc;
-- a script can also call a __gc by hand.
dofile("tests/lua/tap.lua")

local function finalize(object)
	getmetatable(object).__gc(object)
end

-- What `use` does inside the finalizer of a probe made before `make` runs:
-- the probe is finalized after whatever make returned.
local function reached_after_gc(make, use)
	local outcome
	do
		local probe = setmetatable({}, {__gc = function(self)
			outcome = table.pack(pcall(use, self.held))
		end})
		probe.held = make()
	end
	collectgarbage("collect")
	collectgarbage("collect")
	return outcome
end

local function collected(outcome, what, name)
	ok(outcome ~= nil, name .. ": the probe's finalizer ran")
	is(outcome and outcome[1], false, name .. ": raises")
	has(outcome and outcome[2], "attempt to use a collected " .. what,
	    name .. ": and says why")
end

-- {====== finalizers that reach a collected Query ======
collected(reached_after_gc(function() return films:limit(3) end,
                           function(q) return #q end),
          "query", "#q of a limit")
collected(reached_after_gc(function() return films:sort("-year") end,
                           function(q) return q:first() end),
          "query", "first of a put-off sort")
collected(reached_after_gc(function() return films:where{year = {gt = 2000}} end,
                           function(q) return q:count() end),
          "query", "count of a put-off where")
collected(reached_after_gc(function() return films:sort("title") end,
                           function(q) return q:limit(2) end),
          "query", "limit of a put-off sort")
-- }======

-- {====== __gc called by hand ======
local q = films:limit(3)
finalize(q)
throws(function() return #q end, "attempt to use a collected query", "#q")
throws(function() return q[1] end, "attempt to use a collected query", "q[1]")
throws(function() return q:where{year = 2013} end, "collected query", "where")
throws(function() return q:format("csv") end, "collected query", "format")
throws(function() return q:sort("year") end, "collected query", "sort")
throws(function() return q:limit(1) end, "collected query", "limit")
throws(function() return q:explain() end, "collected query", "explain")
throws(function() return tostring(q) end, "collected query", "tostring")
lives(function() finalize(q) end, "a second __gc does nothing")

-- a put-off step over a parent collected first: the step holds what it
-- reads, so it goes on working
local parent = films:limit(5)
local where = parent:where{year = {gt = 2009}}
local expected = films:limit(5):where{year = {gt = 2009}}:pluck("title")
finalize(parent)
throws(function() return #parent end, "collected query", "the parent itself is collected")
is(#where, #expected, "a where over a collected parent still counts")
is_deeply(where:pluck("title"), expected, "and still reads its rows")

parent = films:limit(5)
local sorted = parent:sort("year")
expected = films:limit(5):sort("year"):pluck("title")
finalize(parent)
is_deeply(sorted:pluck("title"), expected, "a sort over a collected parent")
is(sorted:limit(2)[2].title, expected[2], "and its top rows")

parent = films:limit(8)
local top = parent:where{year = {gt = 2000}}:sort("title")
expected = films:limit(8):where{year = {gt = 2000}}:sort("title"):limit(2):pluck("title")
finalize(parent)
is_deeply(top:limit(2):pluck("title"), expected,
          "a where, sort and limit over a collected parent")

-- a Table whose __gc was called: its Queries hold the catalogue, its Films
-- do not
local copy = assert(reel.load("data/films.csv"))
local q2, film2 = copy:where{year = 2013}, copy[1]
finalize(copy)
is(#q2, 3, "a Query outlives its Table's __gc")
throws(function() return film2.title end, "attempt to use a collected catalogue",
       "a Film of a collected Table says so")
throws(function() return copy:count() end, "attempt to use a collected catalogue",
       "and so does the Table itself")
-- }======

-- {====== iterators and group loops ======
local it = films:each()
local _, each_query = debug.getupvalue(it, 1)
finalize(each_query)
throws(function() return it() end, "collected query", "each() over a collected query")
is(#films, 10, "the catalogue's own Query, collected by hand, is made again")
is(films[1].title, films:first().title, "and reads its rows")

local groups = films:group("year")
local _, walk = debug.getupvalue(groups, 1)
finalize(walk)
throws(function() return groups() end, "attempt to use a collected group loop",
       "a group loop whose state was collected")

groups = films:group("year")
local _, g = groups()
finalize(g)
throws(function() return #g end, "collected query", "a collected group")

groups = films:group("year")
local first_key, g2 = groups()
_, walk = debug.getupvalue(groups, 1)
finalize(walk)
is(g2[1].year, first_key, "a group holds its rows when its loop is collected")
-- }======

done()
