-- tests/lua/format.lua: format, print and tostring of queries: every
-- format, templates, options, and the table lined up by display width.
dofile("tests/lua/tap.lua")

-- Cells a string takes on a terminal: Hangul (and other East Asian wide
-- letters) two, everything else here one.
local function display_width(s)
	local w = 0
	for _, c in utf8.codes(s) do
		local wide = (c >= 0x1100 and c <= 0x115F) or (c >= 0x2E80 and c <= 0xA4CF)
		             or (c >= 0xAC00 and c <= 0xD7A3) or (c >= 0xF900 and c <= 0xFAFF)
		             or (c >= 0xFF00 and c <= 0xFF60)
		w = w + (wide and 2 or 1)
	end
	return w
end

local function lines(text)
	local t = {}
	for line in text:gmatch("(.-)\n") do t[#t + 1] = line end
	return t
end

-- {====== table ======
local text = films:format()
is(type(tostring(films)), "string", "tostring(films) is a string")
is(tostring(films) .. "\n", text, "tostring is the table without its last newline")
is(films:format("table"), text, "format(\"table\")")
is(tostring(films:where{}) .. "\n", text, "a Query of every row renders as the Table")
for _, f in ipairs(films) do
	has(text, f.title, "the table shows " .. f.title)
end

local wide = films:select("title", "original_title"):format()
local wl = lines(wide)
is(#wl, 10 + 4, "ten rows, a header and three borders")
local width = display_width(wl[1])
local aligned = true
for i, line in ipairs(wl) do
	if display_width(line) ~= width then
		aligned = false
		diag("line " .. i .. " is " .. display_width(line) .. " cells, not " .. width)
	end
end
ok(aligned, "every line of the Hangul table has the same display width")
has(wide, "7번방의 선물", "Hangul is shown whole")
ok(not wide:find("description", 1, true), "select leaves other columns out")
ok(wl[2]:find("title", 1, true) and wl[2]:find("original_title", 1, true),
   "the header names the selected columns")

local capped = films:format("table", {max_rows = 3})
has(capped, "... 7 more rows", "max_rows hides the rest")
ok(not capped:find(films[4].title, 1, true), "row 4 is not shown")

local narrow = films:format("table", {width = 60})
local fits = true
for _, line in ipairs(lines(narrow)) do
	fits = fits and display_width(line) <= 60
end
ok(fits, "width = 60 fits every line in 60 cells")
ok(#narrow < #text, "the narrow table is shorter")

local picked = films:format("table", {columns = {"year", "title"}})
ok(picked:find("year", 1, true) < picked:find("title", 1, true),
   "opts.columns picks and orders the columns")
ok(not picked:find("Lee Hwan-kyung", 1, true), "without the others")
is(films:select("director"):format("table", {columns = {"title"}}),
   films:select("title"):format(), "opts.columns overrides select")
has(films:where{year = 1900}:format(), "(no rows)", "an empty table says so")
-- }======

-- {====== csv, tsv, markdown, json ======
local csv = lines(films:select("title", "year"):format("csv"))
is(#csv, 11, "csv: a header and ten rows")
is(csv[1], "title,year", "csv header")
is(csv[2], "Miracle in Cell No. 7,2013", "csv row")
local full_csv = films:format("csv")
is(lines(full_csv)[1], table.concat(films:columns(), ","), "csv of every column")
has(full_csv, '"A father with a mental disability is jailed for a crime he did ' ..
    'not commit, and years later his daughter sets out to clear his name."',
    "csv quotes a field with commas")

local tsv = lines(films:select("title", "year", "duration"):format("tsv"))
is(tsv[1], "title\tyear\tduration", "tsv header")
is(tsv[3], "Wedding Dress\t2010\t109", "tsv row")
is(#tsv, 11, "tsv: a header and ten rows")

local md = lines(films:select("title", "duration"):format("markdown"))
is(#md, 12, "markdown: header, delimiter and ten rows")
like(md[1], "^| title", "markdown header")
like(md[2], "^| %-%-%-", "markdown delimiter row")
like(md[3], "^| Miracle in Cell No%. 7", "markdown row")

local json = films:select("title", "year"):format("json")
like(json, "^%[", "json is an array")
local objects = 0
for _ in json:gmatch("{") do objects = objects + 1 end
is(objects, 10, "json: one object per film")
like(json, '"title":%s*"Miracle in Cell No%. 7"', "json holds the title")
like(json, '"year":%s*2013', "json numbers are bare")
-- }======

-- {====== lines and templates ======
local ll = lines(films:format("lines"))
is(#ll, 10, "lines: one line per film")
local each_line = true
for i, f in ipairs(films) do each_line = each_line and ll[i] == tostring(f) end
ok(each_line, "each line is the film's tostring")

local tpl = lines(films:format("{title} ({year}, {duration} min)"))
is(#tpl, 10, "a template yields one line per film")
is(tpl[1], tostring(films[1]), "template line")
local all_match = true
for i, f in ipairs(films:sort("duration")) do
	local line = lines(films:sort("duration"):format("{rank}. {title}"))[i]
	all_match = all_match and line == f.rank .. ". " .. f.title
end
ok(all_match, "template lines follow the query order")
is(films:limit(1):format("{{{title}}}"), "{Miracle in Cell No. 7}\n",
   "doubled braces stand for braces")
throws(function() films:format("{nope}") end, "nope", "a template names an unknown column")
-- }======

-- {====== errors and print ======
local err = throws(function() films:format("yaml") end, "unknown format 'yaml'",
                   "an unknown format is an argument error")
has(err, "bad argument #1 to 'format'", "named as a bad argument")
for _, name in ipairs{"table", "csv", "tsv", "json", "markdown", "lines"} do
	has(err, name, "the error lists " .. name)
end
throws(function() films:format("csv", {colour = true}) end, "unknown option 'colour'",
       "unknown options are refused")
throws(function() films:format("table", {max_rows = -1}) end, "max_rows",
       "max_rows must be a non-negative integer")
throws(function() films:format("table", {columns = {"titel"}}) end,
       "did you mean 'title'", "opts.columns checks names")
throws(function() films:format("table", {columns = {}}) end, "option 'columns'",
       "opts.columns cannot be empty")
throws(function() films:format("table", {columns = {{}}}) end, "option 'columns'",
       "opts.columns holds names")
throws(function() films:format("table", {max_rows = 1.5}) end, "max_rows",
       "max_rows must be whole")
is(films:format("table", {max_rows = 2.0}), films:format("table", {max_rows = 2}),
   "an integral float will do")
throws(function() films:format(42) end, "unknown format '42'", "a number is no format")

-- TAP readers ignore lines starting with '#', so print a template of them.
local results = table.pack(films:limit(2):print("# printed: {title}"))
is(results.n, 0, "print returns nothing")
-- }======

done()
