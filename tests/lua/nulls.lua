-- tests/lua/nulls.lua: null markers in CSV, TSV and JSON text (\N, NULL,
-- NA, N/A by default; opts.nulls sets the list): a typed column is never
-- made text by its markers, a text column keeps all but \N as text.
dofile("tests/lua/tap.lua")

local function write(text, suffix)
	local path = os.tmpname() .. (suffix or ".csv")
	local file = assert(io.open(path, "wb"))
	file:write(text)
	file:close()
	return path
end

local function load(text, opts, suffix)
	local path = write(text, suffix)
	local t, message = reel.load(path, opts)
	os.remove(path)
	return assert(t, message)
end

-- {====== \N ======
local t = load("title,year,duration\nA,2001,\\N\nB,2002,100\n")
is(t[1].duration, nil, "\\N in a CSV integer column is nil")
is(t[2].duration, 100, "the column's other cells are integers")
is(math.type(t[2].duration), "integer", "of integer type")
is(t:sum("duration"), 100, "and sum as numbers")
is(#t:where{duration = {null = true}}, 1, "where null finds the \\N cell")

t = load("title,note\nA,\\N\nB,hello\n")
is(t[1].note, nil, "\\N is null in a text column too")
is(t[2].note, "hello", "beside text")

t = load("title,duration\nA,\"\\N\"\nB,90\n")
is(t[1].duration, nil, "a quoted \\N is null as well")
-- }======

-- {====== NULL, NA, N/A ======
t = load("title,year,rating,seen\nA,NULL,N/A,NA\nB,2002,7.5,true\nC,NA,8,false\n")
is(t[1].year, nil, "NULL in an integer column is nil")
is(t[3].year, nil, "NA in an integer column is nil")
is(math.type(t[2].year), "integer", "the year column stays integers")
is(t[1].rating, nil, "N/A in a number column is nil")
is(t[2].rating, 7.5, "the rating column stays numbers")
is(t[3].rating, 8.0, "8 read as a number beside 7.5")
is(t[1].seen, nil, "NA in a boolean column is nil")
is(t[2].seen, true, "the booleans stay booleans")
is(t:max("year"), 2002, "max skips the markers")

t = load("title,country\nNA,US\nB,NA\nC,N/A\nD,NULL\n")
is(t[1].title, "NA", "a text column keeps NA as text (a film may be called that)")
is(t[2].country, "NA", "NA stays text beside other text")
is(t[3].country, "N/A", "N/A stays text beside other text")
is(t[4].country, "NULL", "NULL stays text beside other text")

t = load("title,budget\nA,NA\nB,N/A\n")
is(t[1].budget, nil, "a column of nothing but markers is null")
is(t[2].budget, nil, "every cell of it")

t = load("title,year\nA,na\nB,2001\n")
is(t[1].year, "na", "markers match exactly: na is not NA")
is(t[2].year, "2001", "so that column is text")
-- }======

-- {====== the value path and late markers ======
local rows = {"title,year,duration"}
for i = 1, 5000 do
	rows[#rows + 1] = ("F%d,%d,%s"):format(i, 1900 + i % 100,
		i == 4999 and "NA" or i == 3 and "\\N" or tostring(80 + i % 60))
end
t = load(table.concat(rows, "\n") .. "\n")
is(#t, 5000, "a long file with markers deep down")
is(t[4999].duration, nil, "a marker after thousands of integers is nil")
is(t[3].duration, nil, "and an early \\N")
is(math.type(t[5000].duration), "integer", "the column stays integers")
rows[#rows + 1] = "Last,2000,long"
t = load(table.concat(rows, "\n") .. "\n")
is(t[5001].duration, "long", "a text cell at the end makes the column text")
is(t[4999].duration, "NA", "and NA stays text in it")
is(t[3].duration, nil, "while \\N is still null")
-- }======

-- {====== TSV and JSON ======
t = load("title\tyear\tduration\nA\tNULL\t\\N\nB\t1999\t95\n", nil, ".tsv")
is(t[1].year, nil, "NULL in a TSV integer column")
is(t[2].duration, 95, "TSV integers beside \\N")

t = load('[{"title": "A", "year": "NA", "duration": "\\\\N"},' ..
         ' {"title": "B", "year": 1999, "duration": 90}]', nil, ".json")
is(t[1].year, nil, "\"NA\" in a JSON integer column")
is(t[1].duration, nil, "\"\\\\N\" in JSON text is null")
is(t[2].year, 1999, "the JSON column stays integers")
-- }======

-- {====== opts.nulls ======
t = load("title,year,duration\nA,-,90\nB,2002,?\n", {nulls = {"-", "?"}})
is(t[1].year, nil, "opts.nulls: '-' is null")
is(t[2].duration, nil, "opts.nulls: '?' is null")
is(math.type(t[1].duration), "integer", "beside integers")
t = load("title,year,duration\nA,-,90\nC,NA,\\N\n", {nulls = {"-", "?"}})
is(t[2].year, "NA", "the list replaces the defaults: NA is text again")
is(t[1].year, "-", "so the column is text, and keeps '-' as text")
is(t[2].duration, "\\N", "\\N too is text when the list leaves it out")

t = load("title,year\nA,\\N\nB,2002\n", {nulls = {}})
is(t[1].year, "\\N", "an empty list: no markers")

t = load("title,year\nA,\\N\nB,NA\nC,2003\n", {nulls = {"\\N", "NA"}})
is(t[1].year, nil, "a list with \\N keeps it null")
is(t[2].year, nil, "and NA")
is(t[3].year, 2003, "integers")

throws(function() reel.load("x.csv", {nulls = "NA"}) end,
       "option 'nulls' must be a list of strings", "opts.nulls must be a list")
throws(function() reel.load("x.csv", {nulls = {"NA", 3}}) end,
       "option 'nulls' must be a list of strings", "of strings")
-- }======

done()
