-- tests/lua/dates.lua: date columns: read from ISO dates and date-times and
-- the forms people write, kept in time order, compared with ISO text in
-- where, grouped by year(col) and month(col), printed as ISO everywhere.
dofile("tests/lua/tap.lua")

local function write(text, suffix)
	local path = os.tmpname() .. (suffix or ".csv")
	local file = assert(io.open(path, "wb"))
	file:write(text)
	file:close()
	return path
end

local function load(text, suffix)
	local path = write(text, suffix)
	local t, message = reel.load(path)
	os.remove(path)
	return assert(t, message)
end

-- Whether column `col` of t holds dates: where compares it with ISO text
-- and refuses a number.
local function is_date_column(t, col)
	local ok_text = pcall(function() return t:where{[col] = {ge = "1900-01-01"}}:count() end)
	local ok_number, message = pcall(function() return t:where{[col] = {ge = 1900}}:count() end)
	return ok_text and not ok_number and tostring(message):find("holds dates") ~= nil
end

local films_csv = [[
title,released,seen,written
Silenced,2011-09-22,2020-01-02T20:00:00Z,Sep 22 2011
Tampopo,1985-11-23,2020-01-02 21:30:00+01:00,"November 23, 1985"
Hope,\N,NA,2 Oct 2013
Harmony,2010-01-28,2021-05-06T07:08:09.25Z,28 January 2010
Paterson,2016-12-28,2019-12-31T23:59:59-02:00,Dec 28 2016
]]
local t = load(films_csv)

-- {====== reading ======
ok(is_date_column(t, "released"), "ISO dates make a date column")
ok(is_date_column(t, "seen"), "ISO date-times, with zones and fractions, too")
ok(is_date_column(t, "written"), "so do dates written with month names")
is(t[1].released, "2011-09-22", "a Film's date is its ISO text")
is(type(t[1].released), "string", "a Lua string")
is(t[1].seen, "2020-01-02T20:00:00Z", "a date-time in UTC")
is(t[2].seen, "2020-01-02T20:30:00Z", "an offset moved to UTC")
is(t[4].seen, "2021-05-06T07:08:09.25Z", "a fraction kept")
is(t[5].seen, "2020-01-01T01:59:59Z", "a west offset over new year")
is(t[1].written, "2011-09-22", "Sep 22 2011")
is(t[2].written, "1985-11-23", "November 23, 1985")
is(t[3].written, "2013-10-02", "2 Oct 2013")
is(t[4].written, "2010-01-28", "28 January 2010")
is(t[3].released, nil, "\\N in a date column is nil")
is(t[3].seen, nil, "NA in a date column is nil")
is(t[1]:totable().released, "2011-09-22", "totable holds the ISO text")
is(t[1].year, 2011, "a year column is made from the release date")
is(t[3].year, nil, "null where the date is")

local mixed = load("title,when\nA,2001-02-03\nB,Feb 3 2001\n")
is(mixed[2].when, "Feb 3 2001", "ISO and written forms mixed: the column stays text")
ok(not is_date_column(mixed, "when"), "not a date column")
local bad = load("title,when\nA,2001-02-03\nB,2001-02-30\n")
is(bad[2].when, "2001-02-30", "a day that does not exist keeps the column text")
local slashes = load("title,when\nA,02/03/2001\nB,12/03/2001\n")
is(slashes[1].when, "02/03/2001", "day/month order is not guessed: text")
local numbers = load("title,when\nA,2001\nB,19990101\n")
is(math.type(numbers[1].when), "integer", "a year alone is an integer, not a date")
local late = {"title,released"}
for i = 1, 5000 do
	late[#late + 1] = ("F%d,%04d-%02d-%02d"):format(i, 1900 + i % 120, 1 + i % 12, 1 + i % 28)
end
late[#late + 1] = "Last,soon"
local long = load(table.concat(late, "\n") .. "\n")
is(long[5001].released, "soon", "text after 5000 dates makes the column text")
late[#late] = "Last,\\N"
long = load(table.concat(late, "\n") .. "\n")
ok(is_date_column(long, "released"), "5000 dates and a \\N: dates")
is(long[5000].released, "1980-09-17", "read in place")
-- }======

-- {====== order ======
is_deeply(t:sort("released"):pluck("title"),
          {"Tampopo", "Harmony", "Silenced", "Paterson", "Hope"},
          "sort in time order, nulls last")
is_deeply(t:sort("-released"):pluck("title"),
          {"Paterson", "Silenced", "Harmony", "Tampopo", "Hope"},
          "descending, nulls last")
is_deeply(t:sort("seen"):pluck("title"),
          {"Paterson", "Silenced", "Tampopo", "Harmony", "Hope"},
          "date-times in time order across zones")
is_deeply(t:sort("written"):pluck("title"),
          {"Tampopo", "Harmony", "Silenced", "Hope", "Paterson"},
          "written dates in time order, not text order")
is(t:min("released"), "1985-11-23", "min")
is(t:max("seen"), "2021-05-06T07:08:09.25Z", "max")
is(t:sort("released"):limit(1)[1].title, "Tampopo", "top-k on dates")
-- }======

-- {====== where ======
is(#t:where{released = {ge = "2010-01-01"}}, 3, "ge an ISO date")
is(#t:where{released = {lt = "2010-01-28"}}, 1, "lt")
is(#t:where{released = {le = "2010-01-28"}}, 2, "le")
is(#t:where{released = {gt = "2016-12-28"}}, 0, "gt")
is(#t:where{released = "2011-09-22"}, 1, "eq")
is(#t:where{released = {ne = "2011-09-22"}}, 3, "ne (nulls match neither)")
is(#t:where{released = {between = {"2010-01-01", "2012-01-01"}}}, 2, "between")
is(#t:where{released = {["in"] = {"2011-09-22", "Nov 23 1985", "1999-01-01"}}}, 2,
   "in, with a written date among the set")
is(#t:where{released = {null = true}}, 1, "null")
is(#t:where{seen = {ge = "2020-01-02T20:15:00Z"}}, 2, "a date-time bound")
is(#t:where{seen = {ge = "2020-01-02T21:15:00+01:00"}}, 2, "a bound with an offset")
is(#t:where{seen = {lt = "2020-01-02"}}, 1, "a date bound on date-times: midnight")
is(#t:where{written = {ge = "2011-01-01"}}, 3, "a written column, an ISO bound")
throws(function() t:where{released = {ge = "2011-02-30"}}:count() end,
       "'2011-02-30' is no date", "a bound that is no date")
throws(function() t:where{released = {ge = 2011}}:count() end,
       "column 'released' holds dates, not integers", "a number is refused")
throws(function() t:where{released = {contains = "2011"}}:count() end,
       "contains needs a string column", "contains is for text")
-- }======

-- {====== aggregate and group ======
local by_year = t:aggregate("year(released)", {"count", "min(released)", "max(seen)"})
is_deeply(by_year:columns(), {"year_released", "count", "min_released", "max_seen"},
          "year(col) gives the column year_col")
is_deeply(by_year:limit(4):pluck("year_released"), {1985, 2010, 2011, 2016},
          "one row a year, in order")
is(#by_year, 5, "with the null year")
is(#t:aggregate("year(released)", {"count", "max(seen)"}), 5,
   "counted before its table is filled: the same rows")
is(#t:aggregate({"year(written)", "month(written)"}, {"count"}),
   #t:aggregate({"year(written)", "month(written)"}, {"count"}):pluck("count"),
   "two date parts counted as filled")
is(by_year[5].year_released, nil, "the null year")
is(by_year[1].min_released, "1985-11-23", "min of dates is a date")
is(math.type(by_year[1].year_released), "integer", "years are integers")
local by_month = t:aggregate({"month(written)"}, {"count"})
is_deeply(by_month:pluck("month_written"), {1, 9, 10, 11, 12}, "month(col): 1 to 12")
local both = t:aggregate({"year(written)", "month(written)"}, {"count"})
is_deeply(both:columns(), {"year_written", "month_written", "count"}, "year and month")
is(both:where{year_written = 2013}[1].month_written, 10, "grouped together")
local by_date = t:aggregate("released", {"count"})
is(by_date[1].released, "1985-11-23", "a date key prints as ISO")
throws(function() t:aggregate("year(title)", {"count"}) end,
       "year() needs a column of dates, and 'title' holds strings",
       "year() of text")
throws(function() t:aggregate(nil, {"sum(released)"}) end,
       "holds dates, not numbers", "sum of dates")
throws(function() t:avg("released") end, "holds dates", "avg of dates")
local seen = {}
for key, g in t:group("released") do seen[#seen + 1] = tostring(key) .. "=" .. #g end
is(table.concat(seen, " "), "1985-11-23=1 2010-01-28=1 2011-09-22=1 2016-12-28=1 reel.null=1",
   "group keys are ISO text, in time order")
local other = load("released,event\n2011-09-22,premiere\n1985-11-23,release\n")
is(#t:join(other, "released"), 2, "join on a date column")
is(t:join(other, "released"):sort("released")[1].event, "release", "matching dates")
-- }======

-- {====== printing and saving ======
is(t:select("title", "released", "seen"):limit(2):format("csv"),
   "title,released,seen\nSilenced,2011-09-22,2020-01-02T20:00:00Z\n" ..
   "Tampopo,1985-11-23,2020-01-02T20:30:00Z\n", "CSV prints ISO")
is(t:select("released"):limit(1):format("json"), '[\n{"released":"2011-09-22"}\n]\n',
   "JSON prints a date as a string")
is(t:select("title", "released"):where{title = "Hope"}:format("tsv"),
   "title\treleased\nHope\t\\N\n", "TSV prints a null date as \\N")
is(t:limit(1):format("{title} ({released})"), "Silenced (2011-09-22)\n", "a template")
has(tostring(t:select("title", "written"):limit(1)), "2011-09-22", "a table")
for _, ext in ipairs{"csv", "json", "tsv"} do
	local path = os.tmpname() .. "." .. ext
	assert(t:save(path))
	local back = assert(reel.load(path))
	os.remove(path)
	ok(is_date_column(back, "written"), ext .. ": a saved date column loads as dates")
	is_deeply(back:pluck("seen"), t:pluck("seen"), ext .. ": the same date-times")
end
-- }======

-- {====== a file read in two halves ======
-- Past 4 MiB a CSV is read in two halves at once, each classifying its own
-- cells: the halves must agree on dates and on markers.
local function big(second_half_date)
	local rows = {"title,released,duration,note"}
	for i = 1, 60000 do
		local late = i > 30000
		rows[#rows + 1] = ("Film number %d with a long enough title,%s,%s,%s"):format(i,
			late and second_half_date(i) or ("%04d-%02d-%02d"):format(1950 + i % 70, 1 + i % 12, 1 + i % 28),
			(late and i % 1000 == 0) and "NA" or tostring(80 + i % 90),
			i % 7 == 0 and "\\N" or "a note that pads the row to make the file big")
	end
	return load(table.concat(rows, "\n") .. "\n")
end
local halves = big(function(i) return ("%04d-%02d-%02dT12:00:00Z"):format(1950 + i % 70, 1 + i % 12, 1 + i % 28) end)
is(#halves, 60000, "a file of two halves")
ok(is_date_column(halves, "released"), "dates in one half, date-times in the other: dates")
is(halves[60000].released, "1960-01-25T12:00:00Z", "a date-time of the second half")
is(halves[1000].released, "1970-05-21", "a date of the first half")
is(halves[59000].duration, nil, "NA in the second half's integers is nil")
is(math.type(halves[59001].duration), "integer", "the column stays integers")
is(halves[7].note, nil, "\\N in text is nil in the first half")
is(halves[59997].note, nil, "and in the second")
local mixed_halves = big(function(i) return ("%d Jun 1999"):format(1 + i % 28) end)
is(mixed_halves[60000].released, "25 Jun 1999", "ISO in one half, written in the other: text")
is(mixed_halves[1].released, "1951-02-02", "as written")
-- }======

-- {====== JSON ======
local j = load('[{"title": "A", "released": "1998-06-12"},' ..
               ' {"title": "B", "released": "Jun 12 1999"}]', ".json")
is(j[1].released, "1998-06-12", "JSON date strings")
local j2 = load('[{"title": "A", "released": "1998-06-12T10:00:00Z"},' ..
                ' {"title": "B", "released": null}]', ".json")
ok(is_date_column(j2, "released"), "JSON date-times and null: dates")
-- }======

done()
