-- tests/lua/film.lua: the Film view of a row: fields, totable, tostring,
-- equality, read-only rows, methods before columns.
dofile("tests/lua/tap.lua")

local f = films[1]
is(getmetatable(f).__name, "reel.Film", "films[1] is a Film")
is(type(f), "userdata", "a Film is a userdata")
is(f.title, "Miracle in Cell No. 7", "f.title")
is(f.original_title, "7번방의 선물", "a Hangul field")
is(f.year, 2013, "f.year")
is(math.type(f.year), "integer", "integer columns come out as integers")
is(f.duration, 127, "f.duration")
is(f["director"], "Lee Hwan-kyung", "f[\"director\"]")
is(f.rank, 1, "f.rank")
like(f.description, "^A father", "f.description")
is(tostring(f), "Miracle in Cell No. 7 (2013, 127 min)", "tostring(f)")
is(tostring(films[6]), "More than Blue (2009, 105 min)", "tostring of another")

-- every film's tostring agrees with its fields
local agree = true
for _, film in ipairs(films) do
	local expected = string.format("%s (%d, %d min)", film.title, film.year,
	                               film.duration)
	agree = agree and tostring(film) == expected
end
ok(agree, "tostring is Title (year, N min) for every film")

-- {====== totable ======
local t = f:totable()
is(type(t), "table", "totable gives a plain table")
is(getmetatable(t), nil, "with no metatable")
is(t.title, f.title, "totable().title")
is(t.duration, f.duration, "totable().duration")
local keys = 0
for k, v in pairs(t) do
	keys = keys + 1
	is(v, f[k], "totable()." .. k .. " equals f." .. k)
end
is(keys, #films:columns(), "totable has one key per column")
t.title = "changed"
is(f.title, "Miracle in Cell No. 7", "changing the copy leaves the film")
is(type(f.totable), "function", "methods are found by name first")
-- }======

-- {====== equality ======
ok(films[1] == films[1], "the same row twice is equal")
ok(films[1] ~= films[2], "different rows differ")
ok(films:sort("-rank")[10] == films[1], "the same row through another query")
ok(films:where{title = "Hope"}:first() == films[3], "found by where")
ok(films[1] ~= films[1]:totable(), "a film is not its table")
ok(films[1] ~= 1, "a film is not a number")
local other = assert(reel.load("data/films.csv"))
ok(other[1] ~= films[1], "the same row of another table differs")
is(tostring(other[1]), tostring(films[1]), "though it prints the same")
-- }======

-- {====== read-only and unknown columns ======
throws(function() f.title = "x" end, "films are read-only (cannot set 'title')",
       "assigning a field raises")
throws(function() f.new_field = 1 end, "films are read-only (cannot set 'new_field')",
       "adding a field raises")
is(f.title, "Miracle in Cell No. 7", "the film is unchanged")
throws(function() return f.durration end,
       "no column 'durration' (did you mean 'duration'?)", "did-you-mean")
throws(function() return f.Title end, "did you mean 'title'", "case slips suggest")
throws(function() return f.zzzzzzzzzzzzzzzz end, "no column 'zzzzzzzzzzzzzzzz'",
       "an unknown column with nothing close")
throws(function() return f.durration end, "film.lua:",
                   "the error names the script's line")
-- }======

-- {====== films in loops and arrays ======
local years = {}
for _, film in ipairs(films:where{year = 2013}) do years[#years + 1] = film.year end
is(#years, 3, "three films from 2013")
local kept = {}
for i = 1, 3 do kept[i] = films[i] end
collectgarbage("collect")
is(kept[3].title, "Hope", "films kept in a table stay usable")
-- }======

done()
