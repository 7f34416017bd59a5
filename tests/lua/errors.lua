-- tests/lua/errors.lua: how misuse is reported: read-only values, unknown
-- columns and ops, bad arguments, and errors raised inside callbacks.
dofile("tests/lua/tap.lua")

local function line_here()
	return debug.getinfo(2, "l").currentline
end

-- {====== read-only ======
throws(function() films[1].title = "x" end, "films are read-only (cannot set 'title')",
       "a film's field")
throws(function() films[1].year = 2000 end, "films are read-only (cannot set 'year')",
       "a film's number field")
throws(function() films.x = 1 end, "read-only (cannot set 'x')", "the Table")
throws(function() films[1] = 1 end, "read-only (cannot set '1')", "a Table's row")
local q = films:where{year = 2013}
throws(function() q.x = 1 end, "queries are read-only (cannot set 'x')", "a Query")
throws(function() q.where = print end, "read-only", "a Query's method")
is(#q, 3, "the query is unchanged")
-- }======

-- {====== unknown columns ======
local unknown = "no column 'durration' (did you mean 'duration'?)"
throws(function() films:where{durration = 100} end, unknown, "where")
throws(function() films:sort("durration") end, unknown, "sort")
throws(function() films:sort("-durration") end, unknown, "sort descending")
throws(function() films:select("title", "durration") end, unknown, "select")
throws(function() films:pluck("durration") end, unknown, "pluck")
throws(function() films:sum("durration") end, unknown, "sum")
throws(function() films:avg("durration") end, unknown, "avg")
throws(function() films:min("durration") end, unknown, "min")
throws(function() films:max("durration") end, unknown, "max")
throws(function() films:group("durration") end, unknown, "group")
throws(function() return films[1].durration end, unknown, "a film field")
throws(function() films:where{yeer = 2013} end, "did you mean 'year'", "where yeer")
throws(function() films:where{orignal_title = "x"} end,
       "did you mean 'original_title'", "where orignal_title")
local line = line_here(); local err = throws(function() films:sort("durration") end, unknown)
has(err, "errors.lua:" .. line .. ":", "the error names the script's file and line")
-- }======

-- {====== where{} misuse ======
err = throws(function() films:where{duration = {less = 110}} end, "unknown op 'less'",
             "an unknown op")
for _, op in ipairs{"eq", "ne", "lt", "le", "gt", "ge", "between", "in", "contains", "null"} do
	has(err, op, "the unknown-op error lists " .. op)
end
throws(function() films:where{duration = {lt = {}}} end, "bad value for duration.lt",
       "a table where a value should be")
throws(function() films:where{duration = {lt = print}} end, "got function",
       "a function where a value should be")
throws(function() films:where{duration = print} end, "bad value for duration.eq",
       "a function as a plain value")
throws(function() films:where{duration = {between = 100}} end, "between",
       "between needs two bounds")
throws(function() films:where{duration = {between = {100}}} end, "between",
       "between needs both bounds")
throws(function() films:where{duration = {["in"] = 5}} end, "in",
       "in needs an array")
throws(function() films:where{duration = {null = 1}} end, "null takes true or false",
       "null needs a boolean")
throws(function() films:where{duration = {lt = reel.null}} end, "reel.null",
       "reel.null cannot be compared")
throws(function() films:where{[1] = 5} end, "column names must be strings",
       "a numeric column key")
throws(function() films:where{title = {lt = 5}} end, "'title'",
       "a number against a string column raises, naming the column")
throws(function() films:where{duration = {contains = "1"}} end, "'duration'",
       "contains on a number column raises, naming the column")
throws(function() films:where("year") end, "bad argument #1 to 'where'",
       "where needs a table")
-- }======

-- {====== bad arguments ======
throws(function() films:limit(-1) end, "bad argument #1 to 'limit'", "limit(-1)")
throws(function() films:limit(1.5) end, "bad argument #1 to 'limit'", "limit(1.5)")
throws(function() films:limit("x") end, "bad argument #1 to 'limit'", "limit(\"x\")")
throws(function() films:offset(-2) end, "bad argument #1 to 'offset'", "offset(-2)")
throws(function() films:sample(-1) end, "bad argument #1 to 'sample'", "sample(-1)")
throws(function() films:filter(5) end, "bad argument #1 to 'filter'", "filter needs a function")
throws(function() films:map() end, "bad argument #1 to 'map'", "map needs a function")
throws(function() films:sort() end, "bad argument #1 to 'sort'", "sort needs keys")
throws(function() films:sort({}) end, "bad argument #1 to 'sort'", "sort of a table")
throws(function() films:select() end, "bad argument #1 to 'select'", "select needs a name")
throws(function() films:group() end, "bad argument #1 to 'group'", "group needs a name")
throws(function() films:search() end, "bad argument #1 to 'search'", "search needs text")
throws(function() films.count(5) end, "reel.Query expected", "a method on a non-query")
throws(function() reel.seed("x") end, "bad argument #1 to 'seed'", "seed needs an integer")
throws(function() reel.seed(1.5) end, "bad argument #1 to 'seed'", "seed(1.5)")
-- }======

-- {====== errors inside callbacks ======
line = line_here() + 1
err = throws(function() films:filter(function(f) error("boom in filter") end) end,
             "boom in filter", "a filter callback's error propagates")
has(err, "errors.lua:" .. line .. ":", "with the callback's file and line")
line = line_here() + 1
err = throws(function() films:filter(function(f) return f.durration end) end,
             "did you mean 'duration'", "a bad field inside filter")
has(err, "errors.lua:" .. line .. ":", "names the callback's line")
line = line_here() + 1
err = throws(function() films:sort(function(a, b) error("bad compare") end) end,
             "bad compare", "a comparator's error propagates")
has(err, "errors.lua:" .. line .. ":", "with its line")
throws(function() films:sort(function(a, b) return a.nope < b.nope end) end,
       "no column 'nope'", "a comparator using an unknown column")
throws(function() films:map(function() error("in map") end) end, "in map",
       "a map callback's error propagates")
is(#films, 10, "the table survives callback errors")
local after = films:filter(function(f) return f.duration < 110 end)
is(#after, 2, "and works after them")
-- }======

done()
