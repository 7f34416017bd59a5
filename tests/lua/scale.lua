-- tests/lua/scale.lua: a 100,000-film catalogue (made here, the shape of the
-- benchmark's) read by reel and checked against the same work done on plain
-- Lua tables: where, sort and the fused sort-then-limit (ties, nulls, both
-- directions), random, group with aggregates, search, filter, and explain.
-- Results only: nothing here is timed.
dofile("tests/lua/tap.lua")

-- {====== the catalogue ======
local ROWS = 100000
local words = {"love", "night", "river", "prison", "winter", "ghost", "city",
	"father", "Seoul", "PRISON", "summer", "home", "road", "Prisoner", "sea"}
local seed = 7
local function below(n) -- a small deterministic generator (an LCG)
	seed = (seed * 1103515245 + 12345) % 2147483648
	return (seed // 65536) % n
end

local plain, lines = {}, {"id,title,year,duration,description"}
for id = 1, ROWS do
	local title = words[below(#words) + 1] .. " " .. words[below(#words) + 1]
	local year = below(20) == 0 and "" or tostring(1990 + below(30))
	local duration = below(25) == 0 and "" or tostring(60 + below(120))
	local parts = {}
	for i = 1, 4 + below(6) do parts[i] = words[below(#words) + 1] end
	local description = table.concat(parts, " ")
	local quoted = below(8) == 0
	if quoted then description = description .. ", " .. 'said "so"' end
	plain[id] = {id = id, title = title, year = tonumber(year),
		duration = tonumber(duration), description = description}
	lines[#lines + 1] = table.concat({id, title, year, duration, quoted
		and '"' .. description:gsub('"', '""') .. '"' or description}, ",")
end
local path = os.tmpname() .. ".csv"
local out = assert(io.open(path, "w"))
out:write(table.concat(lines, "\n"), "\n")
out:close()
local big = reel.load(path)
os.remove(path)
is(#big, ROWS, "every film is read")
-- }======

-- {====== helpers ======
local function ids(q)
	local list = {}
	for i, f in ipairs(q) do list[i] = f.id end
	return list
end

local function where_under(limit)
	local list = {}
	for _, f in ipairs(plain) do
		if f.duration ~= nil and f.duration < limit then list[#list + 1] = f end
	end
	return list
end

-- A stable sort of plain films by keys like sort's ("-year", "title"),
-- nulls last either way.
local function stable_sort(list, ...)
	local keys = {...}
	local position = {}
	for i, f in ipairs(list) do position[f] = i end
	table.sort(list, function(a, b)
		for _, key in ipairs(keys) do
			local descending = key:sub(1, 1) == "-"
			local name = descending and key:sub(2) or key
			local x, y = a[name], b[name]
			if x ~= y then
				if x == nil then return false end
				if y == nil then return true end
				if descending then return x > y end
				return x < y
			end
		end
		return position[a] < position[b]
	end)
	return list
end

local function first_ids(list, n)
	local got = {}
	for i = 1, math.min(n, #list) do got[i] = list[i].id end
	return got
end
-- }======

-- {====== where, sort, limit ======
local under = where_under(110)
is(#big:where{duration = {lt = 110}}, #under, "count where duration < 110")
is_deeply(ids(big:where{duration = {lt = 110}}:sort("-year", "title"):limit(3)),
	first_ids(stable_sort(where_under(110), "-year", "title"), 3),
	"where, sort year desc and title, limit 3")
-- sorts are checked on the first 5,000 films, to keep plain Lua quick
local SOME = 5000
local some, some_plain = big:where{id = {le = SOME}}, {}
for i = 1, SOME do some_plain[i] = plain[i] end
for _, keys in ipairs{{"year"}, {"-year"}, {"title", "-duration"},
		{"-duration", "year"}, {"description"}} do
	local expected = stable_sort({table.unpack(some_plain)}, table.unpack(keys))
	local sorted = some:sort(table.unpack(keys))
	for _, n in ipairs{1, 7, 100} do
		is_deeply(ids(some:sort(table.unpack(keys)):limit(n)), first_ids(expected, n),
			"sort " .. table.concat(keys, ", ") .. " then limit " .. n .. " (top-k)")
		is_deeply(ids(sorted:limit(n)), first_ids(expected, n),
			"the same once the sort is done")
	end
end
is_deeply(ids(some:sort("-year")), first_ids(stable_sort({table.unpack(some_plain)},
	"-year"), SOME), "a sort without a limit: every film, in the plain sort's order")
local nulls_last = big:sort("year"):offset(ROWS - 3)
ok(nulls_last[1].year == nil and nulls_last[3].year == nil, "nulls sort last")
-- }======

-- {====== random, group, search, filter ======
local pick = big:where{duration = {lt = 110}}:random()
ok(pick ~= nil and pick.duration < 110, "a random film under 110 minutes")

local counts, sums = {}, {}
for _, f in ipairs(plain) do
	local key = f.year or "null"
	counts[key] = (counts[key] or 0) + 1
	if f.duration then sums[key] = (sums[key] or 0) + f.duration end
end
local groups_ok, years = true, 0
for year, g in big:group("year") do
	local key = year == reel.null and "null" or year
	years = years + 1
	groups_ok = groups_ok and #g == counts[key] and g:sum("duration") == sums[key]
end
ok(groups_ok, "group by year: each count and sum of durations")
is(years, 31, "thirty years and the null group")

local durations, timed = {}, {}
for _, f in ipairs(plain) do
	local key = f.year or "null"
	if f.duration then timed[key] = (timed[key] or 0) + 1 end
	durations[key] = sums[key]
end
local averages_ok = true
for year, g in big:group("year") do
	local key = year == reel.null and "null" or year
	averages_ok = averages_ok and math.abs(g:avg("duration") - durations[key] / timed[key]) < 1e-9
end
ok(averages_ok, "group by year: each average duration")

-- ids have no nulls and a small span: grouped by counting, one film a group
local by_id, ids_ok, last = 0, true, 0
for id, g in big:where{id = {le = 50000}}:group("id") do
	by_id = by_id + 1
	ids_ok = ids_ok and id == last + 1 and #g == 1 and g[1].id == id and g:avg("id") == id
	last = id
end
ok(ids_ok and by_id == 50000, "group by a column without nulls: 50000 groups in order")

local found = 0
for _, f in ipairs(plain) do
	if f.title:lower():find("prison", 1, true) or
	   f.description:lower():find("prison", 1, true) then found = found + 1 end
end
is(#big:search("prison"), found, "search is case-insensitive over the text columns")

local kept = big:filter(function(f) return f.duration ~= nil and f.duration < 110 end)
is(#kept, #under, "filter with a Lua function")
local held = {}
big:limit(5):filter(function(f) held[#held + 1] = f return true end)
is_deeply({held[1].id, held[5].id}, {1, 5}, "films kept by the callback stay themselves")
local index = getmetatable(held[1]).__index
is(index(held[2], "id"), 2, "a film's __index called directly")
ok(not pcall(index, big, "id"), "and refused on what is not a film")
ok(not pcall(index, newproxy and newproxy() or io.stdout, "id"), "nor on other userdata")
-- }======

-- {====== aggregates of a group loop, found for every group in one pass ======
-- A group's sum and avg come from one pass over the walked rows; a Query
-- made from the group (g:where{}) aggregates its own rows: both must agree
-- exactly, for integers with nulls, decimals (a compensated sum), the null
-- group, more aggregates than are remembered, and a group kept after its loop.
local small = {"year,minutes,rating,huge"}
for i = 1, 3000 do
	small[#small + 1] = table.concat({below(9) == 0 and "" or 2000 + below(12),
		below(7) == 0 and "" or 60 + below(100), below(5) == 0 and "" or below(100) / 10 + 0.1,
		below(3) == 0 and "9223372036854775807" or tostring(below(1000))}, ",")
end
local spath = os.tmpname() .. ".csv"
out = assert(io.open(spath, "w"))
out:write(table.concat(small, "\n"), "\n")
out:close()
local cat = reel.load(spath)
os.remove(spath)
local same, asked, kept = true, 0, nil
for year, g in cat:group("year") do
	local plain_g = g:where{}
	for _, column in ipairs{"minutes", "rating", "huge", "year"} do
		for _, how in ipairs{"sum", "avg", "min", "max"} do
			local a, b = g[how](g, column), plain_g[how](plain_g, column)
			same = same and (a == b or (a ~= a and b ~= b)) and math.type(a) == math.type(b)
			asked = asked + 1
		end
	end
	if year == reel.null then kept = g end
end
ok(same, "every group's sum, avg, min and max agree with the group's own rows (" .. asked .. " asked)")
ok(kept ~= nil and kept:avg("minutes") == kept:where{}:avg("minutes"),
	"a null group kept after its loop still answers")
is(math.type(kept:sum("huge")), "float", "an integer sum past int64 becomes a number there too")
local first_avg
for _, g in cat:where{minutes = {gt = 100}}:group("minutes") do
	first_avg = g:avg("rating")
	break
end
is(first_avg, cat:where{minutes = 101}:avg("rating"), "a loop left early: its first group's average")

-- A group by counting puts its rows off while the loop only counts and
-- aggregates; rows asked for later, even after the loop, are the group's.
local groups, sizes, expected_rows = {}, {}, {}
for year, g in cat:group("year") do
	groups[#groups + 1], sizes[#sizes + 1] = g, #g
	expected_rows[#expected_rows + 1] = #cat:where(year == reel.null
		and {year = {null = true}} or {year = year})
end
is_deeply(sizes, expected_rows, "#g of every group, rows put off")
local rows_agree = true
for i = #groups, 1, -1 do -- the last group first: all rows are made at once
	local g, year, n = groups[i], groups[i][1].year, 0
	for _, f in ipairs(g) do rows_agree, n = rows_agree and f.year == year, n + 1 end
	rows_agree = rows_agree and n == sizes[i]
end
ok(rows_agree, "each group's rows, made after its loop, hold its key alone")
local first_of, first_where = groups[2]:first(), cat:where{year = groups[2][1].year}:first()
is_deeply({first_of.minutes, first_of.rating, first_of.huge},
	{first_where.minutes, first_where.rating, first_where.huge},
	"first of a group: its first row in the input's order")
-- }======

-- {====== a large file with a fault near its end ======
local bad = os.tmpname() .. ".csv"
out = assert(io.open(bad, "w"))
lines[#lines - 1] = lines[#lines - 1] .. ",one too many"
out:write(table.concat(lines, "\n"), "\n")
out:close()
local loaded, message = reel.load(bad)
os.remove(bad)
ok(loaded == nil, "a row with an extra field fails the load")
like(tostring(message), ":" .. ROWS .. ":%d+: expected 5 fields, found 6",
	"the message names its line, counted over the whole file")
-- }======

-- {====== a put-off where: counted and picked without its selection ======
-- #q, first, last and random scan the where; anything else makes its rows.
-- Each answer must equal the one of the same where once its rows are made.
local function made(q) local _ = q[1]; return q end -- q[i] makes the rows
local short = big:where{duration = {lt = 110}, year = {ge = 2000}}
local expected = 0
for _, f in ipairs(plain) do
	if f.duration and f.duration < 110 and f.year and f.year >= 2000 then
		expected = expected + 1
	end
end
is(#short, expected, "# of a put-off where counts what it keeps")
is(#short, #made(big:where{duration = {lt = 110}, year = {ge = 2000}}),
	"and agrees with the made rows")
local whole = made(big:where{duration = {lt = 110}, year = {ge = 2000}})
is(big:where{duration = {lt = 110}, year = {ge = 2000}}:first().id, whole[1].id,
	"first of a put-off where")
is(big:where{duration = {lt = 110}, year = {ge = 2000}}:last().id, whole[#whole].id,
	"last of a put-off where")
reel.seed(11)
local scanned = {}
for i = 1, 20 do scanned[i] = short:random().id end
reel.seed(11)
local picked = {}
for i = 1, 20 do picked[i] = whole:random().id end
is_deeply(scanned, picked, "random of a put-off where draws as the made rows do")
is(big:where{duration = {lt = 0}}:random(), nil, "random of an empty where: nothing")
is(big:where{duration = {lt = 0}}:first(), nil, "first of an empty where: nothing")
is(big:where{duration = {lt = 0}}:last(), nil, "last of an empty where: nothing")
is(#big:where{}, ROWS, "an empty where keeps every film")
is(big:where{}:last().id, plain[ROWS].id, "and its last is the last film")
throws(function() return big:where{nosuch = 1} end, "no column 'nosuch'",
	"a bad where fails at the call, not when counted")
throws(function() return big:where{duration = "long"} end, "duration",
	"so does an operand of the wrong kind")
-- a where on a where, and a count before the rows are made
local nested = short:where{title = {contains = "prison"}}
local n = 0
for _, f in ipairs(whole) do
	if f.title:lower():find("prison", 1, true) then n = n + 1 end
end
is(#nested, n, "a where on a put-off where")
local counted = big:where{duration = {lt = 110}}
local before = #counted
is(#ids(counted), before, "rows made after a count agree with it")
like(big:where{duration = {lt = 110}}:explain(), "where  " .. #under .. " rows  native\n$",
	"explain of a put-off where counts its rows")
-- a put-off where keeps what it filters alive without the caller's help
local kept = big:where{title = {["in"] = {"love night", "sea road"}}}
collectgarbage()
collectgarbage()
local love = 0
for _, f in ipairs(plain) do
	if f.title == "love night" or f.title == "sea road" then love = love + 1 end
end
is(#kept, love, "an in set survives a collection before the count")
-- }======

-- {====== explain ======
local plan = big:where{duration = {lt = 110}}:sort("-year", "title"):limit(3):explain()
like(plan, "^films  100000 rows", "explain starts from the catalogue")
like(plan, "\nwhere  " .. #under .. " rows  native\n", "where ran natively")
like(plan, "\nsort  " .. #under .. " rows  native, put off", "the sort was put off")
like(plan, "\nlimit  3 rows  native, first rows only %(top%-k of the sort, one pass with the where%)",
	"and the limit took the top 3 as the where found them")
local sorted = big:sort("title")
is(sorted[1].id, big:sort("title"):pluck("id")[1], "q[1] of a sort is its first film")
like(sorted:explain(), "\nsort  100000 rows  native, put off",
	"found as a top 1, with the sort left undone")
local made = big:where{duration = {lt = 110}}
local _ = made[2] -- its rows are made (q[1] alone is found without them)
like(made:sort("-year", "title"):limit(3):explain(),
	"\nlimit  3 rows  native, first rows only %(top%-k of the sort%)\n$",
	"a where already made: the top 3 of its rows")
like(big:filter(function() return true end):explain(), "filter  100000 rows  calls Lua",
	"filter calls Lua")
like(big:limit(50):sort(function(a, b) return a.id > b.id end):explain(),
	"limit  50 rows  native\nsort  50 rows  calls Lua",
	"a comparator sort calls Lua")
local long = big
for i = 1, 12 do long = long:where{id = {gt = i}} end
like(long:explain(), "\n%.%.%.  5 steps not shown\n", "a long chain shows its latest steps")
like(long:explain(), "where  99988 rows  native\n$", "ending with the last")
-- }======

done()
