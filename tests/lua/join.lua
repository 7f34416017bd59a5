-- tests/lua/join.lua: joins on several keys, semi and anti joins, a where
-- on a join's result pushed below it, and the errors of join's arguments.
dofile("tests/lua/tap.lua")

local dir = os.tmpname()
os.remove(dir)
assert(os.execute("mkdir -p " .. dir))

local function write(name, text)
	local path = dir .. "/" .. name
	local f = assert(io.open(path, "w"))
	f:write(text)
	f:close()
	return path
end

-- The watched list says title and year; two films share a title.
local catalogue = assert(reel.load(write("films.csv", [[
id,title,year,duration
1,Hope,2013,122
2,Hope,1998,95
3,Silenced,2011,125
4,Harmony,2010,115
5,Untitled,,90
]])))
local watched = assert(reel.load(write("watched.csv", [[
title,year,stars
Hope,2013,5
Silenced,2011.0,4
Harmony,2009,3
Untitled,,2
]])))

local function ids(q) return q:pluck("id") end

-- {====== several keys ======
local both = catalogue:join(watched, {"title", "year"})
is_deeply(ids(both), {1, 3}, "title and year both match: one Hope, Silenced")
is_deeply(both:pluck("stars"), {5, 4}, "with the watched list's columns")
is_deeply(both:columns(), {"id", "title", "year", "duration", "stars"},
          "keys of the same name are not repeated")
is_deeply(ids(catalogue:join(watched, {left = {"title", "year"},
                                       right = {"title", "year"}})), {1, 3},
          "the same keys as {left = ..., right = ...}")
is_deeply(ids(catalogue:join(watched, "title")), {1, 2, 3, 4, 5},
          "on the title alone, both Hopes match")
-- }======

-- {====== kinds ======
is_deeply(ids(catalogue:join(watched, {"title", "year"}, {kind = "semi"})), {1, 3},
          "semi: the films that have a match, once each")
is_deeply(ids(catalogue:join(watched, {"title", "year"}, {kind = "anti"})), {2, 4, 5},
          "anti: those that have none (a null year never matches)")
is_deeply(catalogue:join(watched, "title", {kind = "semi"}):columns(),
          catalogue:columns(), "a semi join keeps the left's columns")
local left = catalogue:join(watched, {"title", "year"}, {kind = "left"})
is(#left, 5, "left: every film")
is(left:where{id = 2}:first().stars, nil, "an unmatched film has no stars")
-- }======

-- {====== a where on the result ======
local joined = catalogue:join(watched, "title")
local pushed = joined:where{duration = {gt = 100}, stars = {ge = 4}}
like(pushed:explain(), "hash join %(the where on its result runs below it%)",
     "a where on a join runs below it")
is_deeply(ids(pushed), ids(joined:filter(function(f)
	return f.duration > 100 and f.stars >= 4
end)), "and keeps the rows a filter of the result keeps")
is(pushed[1].title, "Hope", "its films read the pushed join's own table")
local kept = catalogue:join(watched, "title", {kind = "left"}):where{stars = {ge = 4}}
is_deeply(ids(kept), {1, 2, 3},
          "a where on the right columns of a left join drops unmatched films")
is_deeply(ids(catalogue:join(watched, {"title", "year"}, {kind = "anti"})
              :where{id = {lt = 5}}), {2, 4}, "a where on an anti join")
-- }======

-- {====== errors ======
throws(function() catalogue:join(watched, "stars") end, "no column 'stars'",
       "a key missing on the left")
throws(function() catalogue:join(watched, {"title", "duration"}) end,
       "no column 'duration'", "a key missing on the right")
throws(function() catalogue:join(watched, {left = {"title", "year"}, right = "title"}) end,
       "join: 2 left keys but 1 right key", "mismatched key counts")
throws(function() catalogue:join(watched, {}) end,
       "{left = name, right = name}", "no keys")
throws(function() catalogue:join(watched, {left = "title"}) end,
       "{left = name, right = name}", "a half key")
throws(function() catalogue:join(watched, "title", {kind = "outer"}) end,
       "\"inner\", \"left\", \"semi\" or \"anti\"", "an unknown kind")
-- }======

os.execute("rm -rf " .. dir)
done()
