-- tests/lua/catalogues.lua: real catalogue files (tests/data): their types
-- and nulls, film names, opts.columns, the year from a release date, joins,
-- saving and loading back, invalid UTF-8 and malformed files.
dofile("tests/lua/tap.lua")

local DATA = "tests/data/"

local function load(name, opts)
	return assert(reel.load(DATA .. name, opts))
end

local function slurp(path)
	local file = io.open(path, "rb")
	if file == nil then return nil end
	local text = file:read("a")
	file:close()
	return text
end

local function spit(path, text)
	local file = assert(io.open(path, "wb"))
	file:write(text)
	file:close()
end

-- A fresh folder for the files a test writes; removed by cleanup().
local folder = os.tmpname()
os.remove(folder)
assert(os.execute("mkdir " .. folder))
local function cleanup()
	os.execute("rm -rf " .. folder)
end

local function listing(dir)
	local p = io.popen("ls -A " .. dir)
	local names = {}
	for name in p:lines() do names[#names + 1] = name end
	p:close()
	return names
end

-- Every cell of two catalogues, compared as values and as Lua types.
local function same_films(a, b)
	local ca, cb = a:columns(), b:columns()
	if #ca ~= #cb then return false, ("%d columns, then %d"):format(#ca, #cb) end
	for i = 1, #ca do
		if ca[i] ~= cb[i] then return false, "column " .. ca[i] .. " became " .. cb[i] end
	end
	if #a ~= #b then return false, ("%d rows, then %d"):format(#a, #b) end
	-- a list is the same as its text: a CSV keeps no mark of a list
	local function cell(v)
		return type(v) == "table" and table.concat(v, ",") or v
	end
	for r = 1, #a do
		for _, c in ipairs(ca) do
			local x, y = cell(a[r][c]), cell(b[r][c])
			if x ~= y or math.type(x) ~= math.type(y) then
				return false, ("row %d, %s: %q became %q"):format(r, c,
				       tostring(x), tostring(y))
			end
		end
	end
	return true
end

-- {====== IMDb datasets: types, nulls, film names ======
local basics = load("imdb/title.basics.tsv")
is(#basics, 16, "title.basics: every row")
is(math.type(basics[1].startYear), "integer", "startYear is an integer column")
is(basics[1].tconst, "tt0000001", "tconst stays a string")
is(basics[1].endYear, nil, "\\N is null")
is(basics[13].endYear, 2016, "a non-null endYear beside nulls")
is(basics[15].runtimeMinutes, nil, "a null runtime")
is(basics[15].originalTitle, nil, "a null original title")
is(basics[12].primaryTitle, 'Say "Hi', "a lone quote is kept (TSV has no quoting)")
is(basics[10].title, "Spirits' Homecoming", "an apostrophe is kept")
is(basics[1].title, "Miracle in Cell No. 7", "title resolves to primaryTitle")
is(basics[1].original_title, "7번방의 선물", "original_title to originalTitle")
is(basics[2].year, 2010, "year to startYear")
is(basics[2].duration, 109, "duration to runtimeMinutes")
is_deeply(basics[1].genres, {"Comedy", "Drama"}, "genres: a list from IMDb's TSV")
is(tostring(basics[6]), "More than Blue (2009, 105 min)", "a dataset film prints")
is(#basics:where{duration = {lt = 110}}, 5, "where works on a resolved name")

local ratings = load("imdb/title.ratings.tsv")
is(math.type(ratings[1].averageRating), "float", "averageRating is a number")
is(ratings[1].rating, 8.1, "rating resolves to averageRating")
is(math.type(ratings[1].numVotes), "integer", "numVotes is an integer")
local gz = load("imdb/title.ratings.tsv.gz")
ok(same_films(ratings, gz), "a .gz file reads as the file it holds")

local akas = load("imdb/title.akas.tsv")
is(#akas:where{region = "KR"}, 12, "akas: the KR rows")
is(akas[1].region, nil, "a null region")
-- }======

-- {====== IMDb export, Letterboxd, JSON ======
local export = load("imdb_ratings_export.csv")
is(export[1].title, "Miracle in Cell No. 7", "export: title from Title")
is(export[1].duration, 127, "export: duration from Runtime (mins)")
is(export[1].year, 2013, "export: year from Year, not from the release date")
is(export[1].rating, 8.1, "export: rating from IMDb Rating")
is(export[1].director, "Lee Hwan-kyung", "export: director from Directors")
is(export[3]["Your Rating"], nil, "an empty rating is null")
is(export[5].title, 'Say "Hi', "doubled quotes in a quoted field")
is(export[5].Directors, "Park, Ji-won", "a comma in a quoted field")
is(export[1].Genres, "Comedy, Drama", "a quoted list stays one string")
is(math.type(export[1]["Num Votes"]), "integer", "Num Votes is an integer")

local watchlist = load("letterboxd_watchlist.csv")
is(#watchlist, 6, "Letterboxd: every film")
is(watchlist[1].title, "Wedding Dress", "Letterboxd: title from Name")
is(watchlist[1].year, 2010, "Letterboxd: year from Year")
is(watchlist[5].year, nil, "a film without a year")
is(watchlist[5].title, "Me, Myself and the Sea", "a quoted name with a comma")
is(watchlist[1].Date, "2024-01-05", "Date (the day it was added) is no year source")
is(tostring(watchlist[4]), "Way Back Home (2013)", "a watchlist film prints")

local json = load("films.json")
is_deeply(json:columns(), {"title", "original_title", "year", "duration",
	"rating", "seen", "genres", "note"}, "JSON: the union of keys in first-seen order")
is(json[1].seen, true, "JSON booleans")
is_deeply(json[2].genres, {"Drama"}, "a JSON array of strings is a list")
is(json[3].rating, nil, "JSON null is null")
is(json[3].original_title, nil, "a missing key is null")
is(json[3].title, 'Say "Hi"\nagain', "escapes decoded")
is(json[4].title, "", "an empty string is not null")
local lines = load("films.jsonl")
is(#lines, 3, "JSON Lines: every object")
is(lines[2]["director.name"], "Yim Soon-rye", "a nested object flattens into dotted names")
is(lines[3].duration, nil, "a JSON Lines null")
-- }======

-- {====== CSV edge cases ======
local quoted = load("edge/quoted.csv")
is(quoted[1].title, "Line one\nline two", "a line break inside quotes")
is(quoted[1].note, 'He said "no"', "doubled quotes")
is(quoted[2].note, "", "\"\" is an empty string")
is(quoted[3].note, nil, "nothing is null")
is(quoted[4].title, "Crlf\r\ninside", "a CRLF inside quotes is kept")
is(quoted[4].note, "tab\there", "a tab inside quotes")
local bom = load("edge/bom_crlf.csv")
is(bom:columns()[1], "title", "a byte-order mark is not part of the first name")
is(bom[2].title, "Daisy, again", "CRLF line ends")
is(bom[2].duration, 110, "the last field of a CRLF line is clean")
local semi = load("edge/semicolon.csv")
is_deeply(semi:columns(), {"title", "year", "duration", "note"}, "; is detected")
is(semi[1].note, "a;b", "a quoted ;")
-- }======

-- {====== opts.columns ======
local released = load("released.csv", {columns = {duration = "runtime"}})
is(released[1].duration, 127, "opts.columns maps a film name")
is(tostring(released[2]), "Wedding Dress (2010, 109 min)", "and tostring uses it")
is(#released:where{duration = {ge = 110}}, 2, "and where uses it")
local mine = load("imdb_ratings_export.csv", {columns = {title = "Original Title",
	rating = "Your Rating"}})
is(mine[1].title, "7번방의 선물", "a mapping moves a resolved film name")
is(mine[1].rating, 9, "a second mapping")
local lb = load("letterboxd_watchlist.csv", {columns = {Name = "Letterboxd URI"}})
is(lb[1].Name, "https://boxd.it/aB1c", "an explicit mapping wins over a column of that name")
is(lb[1].title, "Wedding Dress", "the film name resolved from it stays")
local bad, message = reel.load(DATA .. "released.csv", {columns = {duration = "runtme"}})
is(bad, nil, "an unknown source column: nil")
is(message, DATA .. "released.csv has no column 'runtme' (did you mean 'runtime'?)",
   "and a message naming it")
throws(function() reel.load(DATA .. "released.csv", {columns = {duration = 3}}) end,
       "option 'columns' must map film names to column names", "a bad mapping raises")
throws(function() reel.load(DATA .. "released.csv", {columns = "runtime"}) end,
       "option 'columns'", "columns must be a table")
-- }======

-- {====== the year from a release date ======
is(math.type(released[1].year), "integer", "year is derived as an integer")
is_deeply(released:pluck("year"), {2013, 2010, 2006, reel.null},
          "from ISO dates and others; null without a date")
is(#released:where{year = 2010}, 1, "where on the derived year")
is(released:columns()[4], "year", "the derived column comes last")
local jr = os.tmpname() .. ".json"
spit(jr, '[{"name": "A", "releaseDate": "1999-12-31"}, {"name": "B", "released": 2001}]')
local derived = assert(reel.load(jr))
is(derived[1].year, 1999, "releaseDate in JSON")
is(derived[2].year, nil, "only the first release date column is used")
os.remove(jr)
is(#export:columns(), 14, "a catalogue with a year source gets no derived year")
-- }======

-- {====== joins ======
local rated = basics:join(ratings, "tconst")
is(getmetatable(rated).__name, "reel.Query", "join gives a Query")
is(#rated, 14, "inner join: the films with a rating")
is_deeply(rated:pluck("tconst"), {"tt0000001", "tt0000002", "tt0000003",
	"tt0000004", "tt0000005", "tt0000006", "tt0000007", "tt0000008",
	"tt0000009", "tt0000010", "tt0000011", "tt0000013", "tt0000014",
	"tt0000016"}, "in the left order")
is(#rated:columns(), 11, "both sides' columns, the shared key once")
is(rated[1].averageRating, 8.1, "a right column")
is(rated[1].rating, 8.1, "a right film name carries over")
is(rated[1].title, "Miracle in Cell No. 7", "a left film name carries over")
is(math.type(rated[1].numVotes), "integer", "typed as its source")
is(rated[12].endYear, 2016, "a left null-bitmap column keeps its values")

local all = basics:join(ratings, "tconst", {kind = "left"})
is(#all, 16, "left join: every left film")
is(all[12].tconst, "tt0000012", "in the left order")
is(all[12].averageRating, nil, "unmatched: the right side is null")
is(all[15].numVotes, nil, "another unmatched film")

local sorted = ratings:sort("-averageRating"):limit(3)
local top = sorted:join(basics, "tconst")
is_deeply(top:pluck("tconst"), {"tt0000013", "tt0000003", "tt0000001"},
          "the left Query's order, not its table's")
local picked = basics:where{year = 2013}:join(ratings:where{rating = {ge = 8}}, "tconst")
is(#picked, 2, "only the selected rows of each side take part")

local kr = akas:where{region = "KR"}
local korean = basics:join(kr, {left = "tconst", right = "titleId"})
is(#korean, 12, "{left =, right =}: differently named keys")
ok(korean:columns()[10] == "titleId", "the right key is kept when named differently")
is(korean[1].title, "Miracle in Cell No. 7", "title keeps its left meaning")
is(korean[1].title_2, "7번방의 선물", "a right column named like a left film name gets _2")
local suffixed = basics:join(kr, {left = "tconst", right = "titleId"}, {suffix = "_kr"})
is(suffixed[1].title_kr, "7번방의 선물", "opts.suffix")

local multi = basics:where{tconst = "tt0000001"}:join(akas, {left = "tconst", right = "titleId"})
is_deeply(multi:pluck("ordering"), {1, 2, 3}, "several matches come in the right order")
local self = basics:join(basics, "tconst")
is(self:columns()[10], "titleType_2", "a self join suffixes every right column")
local chained = basics:join(kr, {left = "tconst", right = "titleId"}):join(ratings, "tconst")
is(#chained, 12, "a join of a join")
is(chained:where{duration = {lt = 110}, titleType = "movie"}:count(), 3,
   "the Korean films under 110 minutes")

local left_nums = reel.load(DATA .. "edge/semicolon.csv")
local n1 = os.tmpname() .. ".csv"
spit(n1, "year,label\n2013.0,float\n2006,int\n,none\n")
local nums = assert(reel.load(n1))
local by_number = left_nums:join(nums, "year")
is_deeply(by_number:pluck("label"), {"float", "int"}, "integer and number keys meet by value")
local nulls = nums:join(nums, "year", {kind = "left"})
is(#nulls, 3, "a null key never matches, but a left join keeps its row")
is(nulls[3].label_2, nil, "with nulls on the right")
is(#basics:join(nums, {left = "tconst", right = "year"}), 0,
   "strings never equal numbers")
os.remove(n1)

throws(function() basics:join(ratings, "nope") end, "no column 'nope'", "an unknown key")
throws(function() basics:join(ratings, "tconst", {kind = "outer"}) end,
       "option 'kind' must be \"inner\", \"left\", \"semi\" or \"anti\"",
       "an unknown kind")
throws(function() basics:join(ratings, "tconst", {suffix = ""}) end,
       "suffix", "an empty suffix")
throws(function() basics:join(ratings, "tconst", {sort = true}) end,
       "unknown option 'sort'", "an unknown option")
throws(function() basics:join("ratings", "tconst") end, "reel.Query", "other must be a Query")
throws(function() basics:join(ratings, {left = "tconst"}) end,
       "{left = name, right = name}", "a half key")
-- }======

-- {====== save and load back ======
local function round_trip(films, ext, name)
	local path = folder .. "/round." .. ext
	is(films:save(path), true, name .. ": save returns true")
	local back, err = reel.load(path)
	ok(back ~= nil, name .. ": loads back", err)
	if back then ok(same_films(films, back), name .. ": the same table") end
	os.remove(path)
end

round_trip(quoted, "csv", "CSV with line breaks, quotes, empty and null")
round_trip(json, "csv", "JSON's values through CSV")
round_trip(json, "json", "JSON through JSON")
round_trip(quoted, "json", "line breaks and quotes through JSON")
round_trip(basics, "tsv", "an IMDb dataset through TSV")
round_trip(basics, "csv", "an IMDb dataset through CSV")
round_trip(basics, "json", "an IMDb dataset through JSON")
round_trip(export, "tsv", "an IMDb export through TSV")
round_trip(lines, "tsv", "JSON Lines through TSV")
round_trip(basics, "csv.gz", "gzip through zlib")
round_trip(rated, "csv", "a joined Query")

local csv_text = quoted:format("csv")
quoted:save(folder .. "/q.csv")
is(slurp(folder .. "/q.csv"), csv_text, "the file holds what format gives")
has(csv_text, '\nEmpty quoted,2010,""\n', "CSV writes \"\" for an empty string")
has(csv_text, "\nNull note,2011,\n", "and nothing for a null")

local tsv_path = folder .. "/e.tsv"
local empties = assert(reel.load(DATA .. "edge/quoted.csv")):where{year = {ne = 2012}}
empties:save(tsv_path)
local etsv = assert(reel.load(tsv_path))
is(slurp(tsv_path), "title\tyear\tnote\nLine one line two\t2013\tHe said \"no\"\n" ..
   "Empty quoted\t2010\t\nNull note\t2011\t\\N\n",
   "TSV writes \\N for null, and a space for a line break it cannot hold")
is(etsv[3].note, nil, "a null comes back null")
is(etsv[1].note, 'He said "no"', "quotes are plain text in TSV")

basics:select("tconst", "title"):save(folder .. "/two.csv")
is(slurp(folder .. "/two.csv"):match("^[^\n]*"), "tconst,primaryTitle",
   "save writes the selected columns")
is(basics:limit(2):save(folder .. "/fmt.txt", "json"), true, "fmt names the format")
is(#assert(reel.load(folder .. "/fmt.txt", {format = "json"})), 2, "and it was JSON")
is(basics:limit(1):save(folder .. "/films.md"), true, ".md")
like(slurp(folder .. "/films.md"), "^| tconst +|", "is Markdown")
throws(function() basics:save(folder .. "/films.dat") end, "cannot tell the format",
       "an unknown extension without fmt raises")
throws(function() basics:save(folder .. "/x.csv", "yaml") end, "unknown format",
       "an unknown fmt raises")

-- atomicity
local gone = folder .. "/missing/films.csv"
local saved, why = basics:save(gone)
is(saved, nil, "saving into a missing folder: nil")
has(why or "", gone, "and a message naming the path")
is(#listing(folder .. "/missing 2>/dev/null"), 0, "leaves nothing")

local target = folder .. "/replace.csv"
spit(target, string.rep("an older and much longer file\n", 500))
is(basics:limit(2):save(target), true, "saving over an existing file")
is(slurp(target), basics:limit(2):format("csv"), "replaces it whole")

assert(os.execute("mkdir " .. folder .. "/adir"))
local before = #listing(folder)
saved, why = basics:save(folder .. "/adir", "csv")
is(saved, nil, "a rename that fails (over a folder): nil")
has(why or "", folder .. "/adir", "naming the path")
is(#listing(folder), before, "and no temporary file is left")
-- }======

-- {====== invalid UTF-8 and other encodings ======
local invalid = DATA .. "edge/invalid_utf8.csv"
local broken, why = reel.load(invalid)
is(broken, nil, "invalid UTF-8 is refused, not passed through")
is(why, invalid .. ":3:5: invalid UTF-8 (byte 0xFF): if the file is not UTF-8, "
   .. "say its encoding (--encoding or opts.encoding: latin1, cp1252, utf-16)",
   "naming line, column and the encoding option")
local latin = load("edge/invalid_utf8.csv", {encoding = "latin1"})
is(latin[2].title, "Bad \u{FF}\u{FE} byte", "read as Latin-1, made UTF-8")
is(latin[3].title, "Cut \u{ED}\u{95}", "every byte a character")
is(latin[3].year, 2003, "numbers as ever")
has(tostring(latin), "Bad \u{FF}\u{FE} byte", "the table shows them")
round_trip(latin, "csv", "Latin-1 made UTF-8, through CSV")
round_trip(latin, "json", "and through JSON")
local euro = load("edge/invalid_utf8.csv", {encoding = "cp1252"})
is(euro[2].title, "Bad \u{FF}\u{FE} byte", "cp1252 agrees where Latin-1 does")
throws(function() reel.load(invalid, {encoding = "ebcdic"}) end,
       "unknown encoding 'ebcdic' (utf-8, latin1, cp1252, utf-16)", "an unknown encoding")
local utf16 = folder .. "/utf16.csv"
spit(utf16, "\xFF\xFE" .. (("title,year\nSilenced,2011\n\u{AC00},2012\n"):gsub(".", "%0\0")))
local sixteen = assert(reel.load(utf16))
is(#sixteen, 2, "UTF-16 with a byte-order mark is read, not one garbled film")
is(sixteen[1].year, 2011, "its numbers")
local sixteen_text = {}
for i = 1, #sixteen do sixteen_text[i] = sixteen[i].title end
is(sixteen_text[1], "Silenced", "its text")
spit(utf16, (("title,year\nSilenced,2011\n"):gsub(".", "%0\0")))
broken, why = reel.load(utf16)
has(why, "UTF-16 without a byte-order mark?", "UTF-16 with no mark: a hint")
is(assert(reel.load(utf16, {encoding = "utf-16"}))[1].title, "Silenced", "and read once named")
spit(folder .. "/nul_key.json", '[{"title\\u0000x": 1}]')
broken, why = reel.load(folder .. "/nul_key.json")
is(why, folder .. "/nul_key.json:1:9: \\u0000 in a string: reel's text cannot hold NUL characters",
   "a JSON key holding \\u0000: a message that says something")
spit(folder .. "/double_bom.csv", "\xEF\xBB\xBF\xEF\xBB\xBFtitle,year\nA,1\n")
broken, why = reel.load(folder .. "/double_bom.csv")
is(why, folder .. "/double_bom.csv:1:1: a second byte-order mark", "a doubled byte-order mark")
spit(folder .. "/nul.csv", "tit\0le,year\nA,1\n")
broken, why = reel.load(folder .. "/nul.csv")
is(why, folder .. "/nul.csv:1:4: a NUL byte: binary data, not a text catalogue",
   "a NUL cutting a header name")
spit(folder .. "/paper.csv", "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog >>\n")
broken, why = reel.load(folder .. "/paper.csv")
is(why, folder .. "/paper.csv: a PDF document, not a catalogue",
   "a PDF named .csv is named for what it is")
-- }======

-- {====== malformed files ======
local malformed = {
	{"unterminated_quote.csv", "unterminated_quote.csv:3:1: unterminated quoted field"},
	{"field_count.csv", "field_count.csv:3:1: expected 3 fields, found 2"},
	{"field_count.tsv", "field_count.tsv:3:1: expected 3 fields, found 4"},
	{"invalid.json", "invalid.json:3:21: expected ',' or '}'"},
	{"invalid.jsonl", "invalid.jsonl:2:30: expected ',' or '}'"},
	{"lone_quote.csv", "lone_quote.csv:2:5: quote inside an unquoted field"},
}
for _, case in ipairs(malformed) do
	local t, msg = reel.load(DATA .. "malformed/" .. case[1])
	is(t, nil, case[1] .. ": no table")
	is(msg, DATA .. "malformed/" .. case[2], case[1] .. ": FILE:LINE:COL")
end
-- }======

cleanup()
done()
