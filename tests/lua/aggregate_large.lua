-- tests/lua/aggregate_large.lua: q:aggregate and q:group on 240,000 films,
-- enough to be grouped on both cores, against the same groups made with Lua
-- tables: text keys with many groups, two keys at once, wide integer keys,
-- small integer keys grouped by their slots, null keys, a number column
-- where 7 and 7.0 are one key, and the rows of a where, whose keys span less
-- than their column's whole range.
dofile("tests/lua/tap.lua")

local ROWS = 240000
local seed = 11
local function next_number(n)
	seed = (seed * 1103515245 + 12345) % 2147483648
	return seed % n + 1
end

local path = os.tmpname()
local out = assert(io.open(path, "w"))
out:write("id,title,year,stars,code,duration\n")
local films = {}
for id = 1, ROWS do
	local film = {id = id, title = "Film " .. next_number(90000), year = 1950 + next_number(70),
	              code = next_number(1000000000), duration = 60 + next_number(120)}
	-- stars: 7 written both as "7" and "7.0", so the column holds numbers
	local stars = next_number(20)
	film.stars = stars / 2
	local written = stars % 2 == 0 and (next_number(2) == 1 and tostring(stars // 2)
	                                    or string.format("%.1f", stars / 2))
	                or tostring(stars / 2)
	if next_number(40) == 1 then film.title = nil end
	if next_number(30) == 1 then film.year = nil end
	if next_number(50) == 1 then film.duration = nil end
	films[id] = film
	out:write(id, ",", film.title or "", ",", film.year or "", ",", written, ",",
	          film.code, ",", film.duration or "", "\n")
end
out:close()
local catalogue = assert(reel.load(path))
os.remove(path)

local NULL = {} -- the key of null cells in the Lua tables

local function size(t)
	local n = 0
	for _ in pairs(t) do n = n + 1 end
	return n
end

-- Lua's groups: key -> {count, rows with a duration, sum, least, most,
-- durations, distinct titles}.
local function lua_groups(key_of, list)
	local groups = {}
	for _, f in ipairs(list or films) do
		local k = key_of(f)
		local g = groups[k]
		if g == nil then
			g = {count = 0, durations = {}, sum = 0, titles = {}, distinct = 0, ids = 0}
			groups[k] = g
		end
		g.count = g.count + 1
		g.ids = math.max(g.ids, f.id)
		if f.duration then
			g.durations[#g.durations + 1] = f.duration
			g.sum = g.sum + f.duration
		end
		if f.title and not g.titles[f.title] then
			g.titles[f.title] = true
			g.distinct = g.distinct + 1
		end
	end
	return groups
end

local function median(values)
	if #values == 0 then return nil end
	table.sort(values)
	local n = #values
	if n % 2 == 1 then return values[(n + 1) // 2] end
	return (values[n // 2] + values[n // 2 + 1]) / 2
end

local SPECS = {"count", "count(duration)", "sum(duration)", "avg(duration)",
               "median(duration)", "max(id)", "count_distinct(title)"}

-- Each result row against Lua's group of its key, and the rows in key
-- order (nulls last).
local function check(name, result, groups, key_of_row, before)
	local wrong, seen, previous, ordered = 0, 0, nil, true
	for _, row in ipairs(result) do
		local k = key_of_row(row)
		local g = groups[k]
		seen = seen + 1
		if g == nil or row.count ~= g.count or row.count_duration ~= #g.durations or
		   (row.sum_duration or 0) ~= g.sum or row.max_id ~= g.ids or
		   row.count_distinct_title ~= g.distinct or
		   (#g.durations > 0 and math.abs(row.avg_duration - g.sum / #g.durations) > 1e-9) or
		   row.median_duration ~= median(g.durations) then
			wrong = wrong + 1
			if wrong == 1 then diag(name .. ": first wrong key " .. tostring(k)) end
		end
		if previous ~= nil and not before(previous, row) then ordered = false end
		previous = row
	end
	is(seen, size(groups), name .. ": one row a distinct key")
	is(wrong, 0, name .. ": every row as Lua counts it")
	ok(ordered, name .. ": rows in key order, nulls last")
end

-- a < b for one key, nulls last
local function less(a, b)
	if a == nil then return false end
	if b == nil then return true end
	return a < b
end

check("by title", catalogue:aggregate("title", SPECS),
      lua_groups(function(f) return f.title or NULL end),
      function(row) return row.title or NULL end,
      function(a, b) return less(a.title, b.title) end)

check("by stars (7 and 7.0 one key)", catalogue:aggregate("stars", SPECS),
      lua_groups(function(f) return f.stars end),
      function(row) return row.stars end,
      function(a, b) return less(a.stars, b.stars) end)

check("by a wide integer", catalogue:aggregate("code", SPECS),
      lua_groups(function(f) return f.code end),
      function(row) return row.code end,
      function(a, b) return less(a.code, b.code) end)

local function pair(title, year)
	return (title or "\0null") .. "|" .. tostring(year)
end
check("by title and year", catalogue:aggregate({"title", "year"}, SPECS),
      lua_groups(function(f) return pair(f.title, f.year) end),
      function(row) return pair(row.title, row.year) end,
      function(a, b)
	      if a.title ~= b.title then return less(a.title, b.title) end
	      return less(a.year, b.year)
      end)

-- two small integer keys, both with nulls: grouped by their slots directly
local function years(year, duration)
	return tostring(year) .. "|" .. tostring(duration)
end
check("by year and duration", catalogue:aggregate({"year", "duration"}, SPECS),
      lua_groups(function(f) return years(f.year, f.duration) end),
      function(row) return years(row.year, row.duration) end,
      function(a, b)
	      if a.year ~= b.year then return less(a.year, b.year) end
	      return less(a.duration, b.duration)
      end)

-- `#` of an aggregate counts its keys without filling its table: the rows
-- the filled table has, for every way of grouping
for _, by in ipairs{"title", "stars", "code", {"title", "year"}, {"year", "duration"},
                    "year", false} do
	local key = by or nil
	local name = type(by) == "table" and table.concat(by, ", ") or by or "no key"
	is(#catalogue:aggregate(key, {"count", "avg(duration)"}),
	   #catalogue:aggregate(key, {"count"}):pluck("count"),
	   "# of an aggregate by " .. name .. " as its filled rows")
end
is(#catalogue:where{year = {ge = 1990, le = 1999}}:aggregate({"year", "duration"}, {"count"}),
   #catalogue:where{year = {ge = 1990, le = 1999}}:aggregate({"year", "duration"},
                                                              {"count"}):pluck("count"),
   "# of an aggregate of a where as its filled rows")

-- A where's count over an aggregate by title reads the aggregate's rows in
-- the order its keys were first met (a count needs no order); the same
-- aggregate, and the where's rows, read after that are in key order
local by_title = catalogue:aggregate("title", SPECS)
local title_groups = lua_groups(function(f) return f.title or NULL end)
local often = 0
for _, g in pairs(title_groups) do
	if g.count >= 3 then often = often + 1 end
end
local often_query = by_title:where{count = {ge = 3}}
is(#often_query, often, "a where's count over an aggregate by title")
check("by title, read after a where counted it", by_title, title_groups,
      function(row) return row.title or NULL end,
      function(a, b) return less(a.title, b.title) end)
local in_order, previous = true, nil
for _, row in ipairs(often_query) do
	if previous ~= nil and not less(previous, row.title) then in_order = false end
	previous = row.title
end
ok(in_order and #often_query:pluck("title") == often,
   "the where's rows, read after its count, in key order")

-- count_distinct over everything, and by a small integer key
local titles, distinct = {}, 0
for _, f in ipairs(films) do
	if f.title and not titles[f.title] then
		titles[f.title] = true
		distinct = distinct + 1
	end
end
is(catalogue:aggregate(nil, {"count_distinct(title)"})[1].count_distinct_title, distinct,
   "count_distinct of every title")
check("by year", catalogue:aggregate("year", SPECS),
      lua_groups(function(f) return f.year or NULL end),
      function(row) return row.year or NULL end,
      function(a, b) return less(a.year, b.year) end)

-- q:group: every group's films, in the input's order
local groups = {}
for _, f in ipairs(films) do
	local k = f.title or NULL
	groups[k] = groups[k] or {}
	table.insert(groups[k], f.id)
end
local wrong, count = 0, 0
for key, g in catalogue:group("title") do
	local expected = groups[key == reel.null and NULL or key]
	count = count + 1
	local ids = g:pluck("id")
	if expected == nil or #ids ~= #expected then
		wrong = wrong + 1
	else
		for i = 1, #ids do
			if ids[i] ~= expected[i] then wrong = wrong + 1 break end
		end
	end
end
is(count, size(groups), "q:group: one group a distinct title")
is(wrong, 0, "q:group: each group's films in the input's order")

-- q:group by a small integer key with nulls: counted on both cores, each
-- group's count, first film and films as Lua's
local by_year, durations = {}, {}
for _, f in ipairs(films) do
	local k = f.year or NULL
	by_year[k] = by_year[k] or {}
	table.insert(by_year[k], f.id)
	durations[k] = durations[k] or {sum = 0, cells = 0}
	if f.duration then
		durations[k].sum = durations[k].sum + f.duration
		durations[k].cells = durations[k].cells + 1
	end
end
wrong, count = 0, 0
local sums_wrong = 0
local last = -math.huge
for year, g in catalogue:group("year") do
	local expected = by_year[year == reel.null and NULL or year]
	local d = durations[year == reel.null and NULL or year]
	-- sums of every group in one pass, on both cores: exact integers
	if g:sum("duration") ~= d.sum or math.type(g:sum("duration")) ~= "integer" or
	   g:avg("duration") ~= d.sum / d.cells then
		sums_wrong = sums_wrong + 1
	end
	local ids = g:pluck("id")
	count = count + 1
	if year ~= reel.null then
		if year < last then wrong = wrong + 1 end
		last = year
	end
	if expected == nil or #g ~= #expected or #ids ~= #expected or ids[1] ~= expected[1] or
	   ids[#ids] ~= expected[#expected] then
		wrong = wrong + 1
	end
end
is(count, size(by_year), "q:group by year: one group a year, and one for the nulls")
is(wrong, 0, "q:group by year: in order, each group's count and films as Lua's")
is(sums_wrong, 0, "q:group by year: each group's sum and average of durations as Lua's")

-- The rows of a where: the years of the 1990s span less than the column's
-- range, and short films leave some (year, duration) slots empty; grouped
-- by slots, by counting and on both cores as the whole table is.
local function kept(keep)
	local list = {}
	for _, f in ipairs(films) do
		if keep(f) then list[#list + 1] = f end
	end
	return list
end
local nineties = kept(function(f) return f.year and f.year >= 1990 and f.year <= 1999 end)
check("1990s by year and duration",
      catalogue:where{year = {ge = 1990, le = 1999}}:aggregate({"year", "duration"}, SPECS),
      lua_groups(function(f) return years(f.year, f.duration) end, nineties),
      function(row) return years(row.year, row.duration) end,
      function(a, b)
	      if a.year ~= b.year then return less(a.year, b.year) end
	      return less(a.duration, b.duration)
      end)
local short = kept(function(f) return f.duration and f.duration < 150 end)
ok(#short >= 65536, "short films are enough to be grouped on both cores")
check("short films by year", catalogue:where{duration = {lt = 150}}:aggregate("year", SPECS),
      lua_groups(function(f) return f.year or NULL end, short),
      function(row) return row.year or NULL end,
      function(a, b) return less(a.year, b.year) end)
local short_groups = lua_groups(function(f) return f.year or NULL end, short)
wrong, count = 0, 0
for year, g in catalogue:where{duration = {lt = 150}}:group("year") do
	local expected = short_groups[year == reel.null and NULL or year]
	count = count + 1
	if expected == nil or #g ~= expected.count or g:sum("duration") ~= expected.sum then
		wrong = wrong + 1
	end
end
is(count, size(short_groups), "q:group of short films by year: one group a year")
is(wrong, 0, "q:group of short films by year: each group's count and sum as Lua's")

done()
