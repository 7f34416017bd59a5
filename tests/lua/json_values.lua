-- tests/lua/json_values.lua: JSON and JSON Lines whose numbers go straight
-- into their columns: a column that meets text late turns to text with
-- every value kept, several such columns, and strings read eight bytes at
-- a time with their escapes, UTF-8 and control characters where they fall.
dofile("tests/lua/tap.lua")

local function write(text)
	local path = os.tmpname()
	local f = assert(io.open(path, "w"))
	f:write(text)
	f:close()
	return path
end

-- 6000 rows: year is a number until row 5000, then text; duration stays a
-- number; rating turns to text at row 4500 (a late restart each).
local lines = {}
for i = 1, 6000 do
	local year = i == 5000 and '"unknown"' or tostring(1900 + i % 120)
	local rating = i == 4500 and '"n/a"' or tostring(i % 10 + 0.5)
	lines[i] = ('{"title": "Film %d", "year": %s, "duration": %d, "rating": %s}'):format(
		i, year, 60 + i % 90, rating)
end
local path = write(table.concat(lines, "\n") .. "\n")
local t = assert(reel.load(path, {format = "jsonl"}))
is(#t, 6000, "6000 rows")
is(math.type(t[1].duration), "integer", "duration stays integers")
is(t[6000].duration, 60 + 6000 % 90, "the last duration")
is(type(t[1].year), "string", "year turned to text by row 5000")
is(t[1].year, "1901", "its first value kept as written")
is(t[5000].year, "unknown", "the text itself")
is(t[4999].year, tostring(1900 + 4999 % 120), "the row before it")
is(type(t[1].rating), "string", "rating turned to text too")
is(t[4500].rating, "n/a", "rating's text")
is(t[4501].rating, tostring(4501 % 10 + 0.5), "rating's numbers after it, as written")
os.remove(path)

-- The same catalogue as an array of objects.
path = write("[" .. table.concat(lines, ",\n") .. "]")
local a = assert(reel.load(path, {format = "json"}))
is(#a, 6000, "an array of 6000 objects")
is(a[5000].year, "unknown", "year's text in the array too")
os.remove(path)

-- Strings longer than eight bytes, with what stops the scan past the first
-- eight: an escaped quote, a backslash, UTF-8, an escape at the very end.
path = write('{"title": "A long title \\"quoted\\" here", "year": 2001}\n' ..
             '{"title": "Twelve bytes\\\\ then a backslash", "year": 2002}\n' ..
             '{"title": "Sixteen bytes and Amélie", "year": 2003}\n' ..
             '{"title": "eight by\\u00e9", "year": 2004}\n')
local s = assert(reel.load(path, {format = "jsonl"}))
is(s[1].title, 'A long title "quoted" here', "an escaped quote past eight bytes")
is(s[2].title, "Twelve bytes\\ then a backslash", "a backslash past eight bytes")
is(s[3].title, "Sixteen bytes and Amélie", "UTF-8 past sixteen bytes")
is(s[4].title, "eight byé", "an escape right after eight bytes")
is(s[4].year, 2004, "years still numbers")
os.remove(path)

-- A control character after eight plain bytes is still refused, where it is.
path = write('{"title": "abcdefghij\tk", "year": 2001}\n')
local ok, why = reel.load(path, {format = "jsonl"})
is(ok, nil, "a tab inside a string is refused")
like(why, "control character in string", "named")
like(why, ":1:22", "at its line and column")
os.remove(path)
done()
