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

-- {====== Loose matching ======
-- A Letterboxd export and IMDb's basics spell the same films differently.
local letterboxd = assert(reel.load(write("ratings.csv", [[
Date,Name,Year,Letterboxd URI,Rating
2024-01-02,The Matrix,1999,https://boxd.it/1,5
2024-01-03,Amélie,2001,https://boxd.it/2,4.5
2024-01-04,Spider-Man: No Way Home,2021,https://boxd.it/3,3
2024-01-05,"Good, the Bad and the Ugly, The",1966,https://boxd.it/4,5
2024-01-06,Schindler’s List,1993,https://boxd.it/5,5
2024-01-07,Romeo & Juliet,1968,https://boxd.it/6,4
2024-01-08,Hope,2013,https://boxd.it/7,5
2024-01-09,A Film Nobody Has,2020,https://boxd.it/8,2
2024-01-10,Matrix,1999,https://boxd.it/9,1
]])))
local imdb = assert(reel.load(write("title.basics.tsv", table.concat({
	"tconst\ttitleType\tprimaryTitle\tstartYear\truntimeMinutes\tgenres",
	"tt0133093\tmovie\tMatrix, The\t1999\t136\tAction,Sci-Fi",
	"tt0211915\tmovie\tAMELIE\t2001\t122\tComedy,Romance",
	"tt10872600\tmovie\tSpider-Man No Way Home\t2021\t148\tAction",
	"tt0060196\tmovie\tThe Good, the Bad and the Ugly\t1966\t178\tWestern",
	"tt0108052\tmovie\tSchindler's List\t1993\t195\tDrama",
	"tt0063518\tmovie\tRomeo and Juliet\t1968\t138\tDrama",
	"tt3153806\tmovie\tHope\t2013\t122\tDrama",
	"tt9999999\tmovie\tHope\t1998\t95\tDrama",
}, "\n") .. "\n")))

local exact = letterboxd:join(imdb, {"title", "year"})
is(#exact, 1, "an exact join matches only the film spelled alike")
local loose = letterboxd:join(imdb, {"title", "year"}, {match = "loose"})
is_deeply(loose:pluck("Name"), {"The Matrix", "Amélie", "Spider-Man: No Way Home",
	"Good, the Bad and the Ugly, The", "Schindler’s List", "Romeo & Juliet", "Hope",
	"Matrix"}, "a loose join folds case, accents, punctuation, spacing, & and articles")
is_deeply(loose:pluck("primaryTitle"), {"Matrix, The", "AMELIE", "Spider-Man No Way Home",
	"The Good, the Bad and the Ugly", "Schindler's List", "Romeo and Juliet", "Hope",
	"Matrix, The"}, "each with the film it matched")
is(loose[7].tconst, "tt3153806", "numbers keys stay exact: the year picks the Hope")
is(#letterboxd:join(imdb, {"title", "year"}, {match = "loose", kind = "semi"}), 8,
   "semi: the films with a match, once each")
local missing = letterboxd:join(imdb, {"title", "year"}, {match = "loose", kind = "anti"})
is_deeply(missing:pluck("Name"), {"A Film Nobody Has"}, "anti: the films with no match")
local left = letterboxd:join(imdb, {"title", "year"}, {match = "loose", kind = "left"})
is(#left, 9, "left keeps every film")
is(left[8].tconst, nil, "with nulls where none matched")
is(#imdb:join(letterboxd, {"title", "year"}, {match = "loose", kind = "anti"}), 1,
   "the other way round: IMDb's 1998 Hope was not rated")
is(#letterboxd:join(imdb, {left = "Name", right = "primaryTitle"}, {match = "loose"}), 9,
   "on the title alone the two Hopes both match")
is(#letterboxd:join(imdb, {"title", "year"}, {match = "exact"}), 1, "match = exact is the default")
like(loose:explain(), "join  8 rows  native, hash join on loose keys", "explain says so")
is(#letterboxd:join(imdb, {"title", "year"}, {match = "loose"}):where{genres = {has = "Drama"}}, 3,
   "a where on the result still goes below the loose join")
local the = assert(reel.load(write("the.csv", "title\nThe\nA\nThe The\n")))
is(#the:join(the, "title", {match = "loose"}), 5,
   "a title that is only an article keeps it (The and The The meet)")
local bare = assert(reel.load(write("bare.csv", "title\n!!!\n???\n")))
is(#bare:join(bare, "title", {match = "loose"}), 2, "nothing but punctuation keys as itself")
local korean = assert(reel.load(write("ko.csv", "title\n기생충\n올드보이\n")))
local ko2 = assert(reel.load(write("ko2.csv", "title\n기생충!\n")))
is(#korean:join(ko2, "title", {match = "loose"}), 1, "letters of any script are kept")
throws(function() letterboxd:join(imdb, "title", {match = "fuzzy"}) end,
       "option 'match' must be \"exact\" or \"loose\"", "an unknown match")
-- }======

os.execute("rm -rf " .. dir)
done()
