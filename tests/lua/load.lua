-- tests/lua/load.lua: reel.load in each format, its options and failures,
-- and the module's other fields.
dofile("tests/lua/tap.lua")

local function write(text, suffix)
	local path = os.tmpname() .. (suffix or "")
	local file = assert(io.open(path, "wb"))
	file:write(text)
	file:close()
	return path
end

-- {====== the module ======
is(type(reel), "table", "reel is a table")
like(reel.version, "^%d+%.%d+%.%d+$", "reel.version is a version string")
is(type(reel.load), "function", "reel.load")
is(type(reel.seed), "function", "reel.seed")
-- }======

-- {====== formats ======
local same = assert(reel.load("data/films.csv"))
is(getmetatable(same).__name, "reel.Table", "reel.load gives a Table")
is(#same, #films, "data/films.csv holds the built-in films")
is_deeply(same:pluck("title"), films:pluck("title"), "with the same titles")

local csv = write("title;year;duration\nAlpha;2001;90\nBeta;2002;100\n")
local semi = assert(reel.load(csv, {format = "csv", delimiter = ";"}))
is_deeply(semi:columns(), {"title", "year", "duration"}, "delimiter = ';'")
is(semi[2].duration, 100, "cells split at the delimiter")
is(tostring(semi[1]), "Alpha (2001, 90 min)", "a loaded film prints")
os.remove(csv)

local tsv = write("tconst\tprimaryTitle\tstartYear\truntimeMinutes\n" ..
                  "tt1\tFirst\t1999\t\\N\ntt2\tSecond\t2005\t88\n")
local imdb = assert(reel.load(tsv, {format = "tsv"}))
is(#imdb, 2, "tsv rows")
is(imdb[1].runtimeMinutes, nil, "\\N is null")
is(imdb[2].title, "Second", "film names resolve IMDb columns")
is(imdb[2].duration, 88, "duration from runtimeMinutes")
is(imdb[2]:totable().title, "Second", "totable holds the resolved names")
is(imdb[2]:totable().primaryTitle, "Second", "and the file's own")
os.remove(tsv)

local json = write('[{"title": "Gamma", "year": 2010, "duration": 95},' ..
                   ' {"title": "Delta", "year": 2011}]')
local js = assert(reel.load(json, {format = "json"}))
is(#js, 2, "json rows")
is(js[1].title, "Gamma", "json values")
is(js[2].duration, nil, "a missing key is null")
os.remove(json)

local detected = write("title,year\nOne,2000\n", ".csv")
is(#assert(reel.load(detected)), 1, "the format is detected from the name")
os.remove(detected)
-- }======

-- {====== failures ======
local t, msg = reel.load("tests/lua/no/such/file.csv")
is(t, nil, "a missing file returns nil")
has(msg, "no/such/file.csv", "and a message naming the file")

local broken = write("title,year\n\"unclosed,2000\n")
t, msg = reel.load(broken, {format = "csv"})
is(t, nil, "a malformed file returns nil")
is(type(msg), "string", "and a message")
os.remove(broken)

throws(function() reel.load() end, "bad argument #1 to 'load'", "load needs a path")
throws(function() reel.load("x.csv", 5) end, "bad argument #2 to 'load'",
       "opts must be a table")
throws(function() reel.load("x.csv", {format = "xml"}) end, "unknown format 'xml'",
       "an unknown format")
throws(function() reel.load("x.csv", {format = 5}) end, "format",
       "format must be a string")
throws(function() reel.load("x.csv", {delimiter = ";;"}) end, "one character",
       "a delimiter is one character")
throws(function() reel.load("x.csv", {delimiter = 9}) end, "one character",
       "a delimiter is a string")
throws(function() reel.load("x.csv", {colour = "red"}) end, "unknown option 'colour'",
       "unknown options are refused")
-- }======

done()
