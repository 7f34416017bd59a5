-- tests/lua/where_large.lua: filters over 150,000 rows, enough to be split
-- over both cores, against the same test written as a Lua loop: the rows
-- kept, their order and their count, for contains (with and without
-- accents), eq without accents, in (few values and many), ranges, nulls,
-- several predicates at once, and search.
dofile("tests/lua/tap.lua")

local titles = {"River Road", "Amélie", "AMELIE", "the river", "Night", "Séoul", "rivers", "", "Road"}
local path = os.tmpname()
local out = assert(io.open(path, "w"))
out:write("id,title,year,rating\n")
local rows = {}
local seed = 11
local function next_number(n)
	seed = (seed * 1103515245 + 12345) % 2147483648
	return seed % n + 1
end
for id = 1, 150000 do
	local title = titles[next_number(#titles)] .. " " .. next_number(50)
	local year = 1949 + next_number(60)
	if next_number(12) == 1 then year = nil end
	local rating = next_number(100) / 10
	rows[id] = {id = id, title = title, year = year, rating = rating}
	out:write(id, ",", title, ",", year or "", ",", rating, "\n")
end
out:close()
local films = assert(reel.load(path, {format = "csv"}))
os.remove(path)
is(#films, 150000, "150,000 rows loaded")

local function folded(s)
	return (s:lower():gsub("é", "e"))
end

local years = {1950, 1960, 1970, 1980, 1990}
local many = {}
for i = 1, 300 do many[i] = 1900 + i * 3 % 200 end
local many_set = {}
for _, y in ipairs(many) do many_set[y] = true end

local cases = {
	{"contains", {title = {contains = "river"}},
	 function(r) return r.title:lower():find("river", 1, true) ~= nil end},
	{"contains without accents", {title = {contains = "AMELIE", accents = false}},
	 function(r) return folded(r.title):find("amelie", 1, true) ~= nil end},
	{"eq without accents", {title = {eq = "seoul 7", accents = false}},
	 function(r) return folded(r.title) == "seoul 7" end},
	{"in, five values", {year = {["in"] = years}},
	 function(r) for _, y in ipairs(years) do if r.year == y then return true end end return false end},
	{"in, 300 values", {year = {["in"] = many}},
	 function(r) return r.year ~= nil and many_set[r.year] == true end},
	{"a range and a contains", {rating = {ge = 5}, title = {contains = "road"}},
	 function(r) return r.rating >= 5 and r.title:lower():find("road", 1, true) ~= nil end},
	{"nulls", {year = {null = true}}, function(r) return r.year == nil end},
}

for _, case in ipairs(cases) do
	local name, where, keep = case[1], case[2], case[3]
	local want = {}
	for _, r in ipairs(rows) do
		if keep(r) then want[#want + 1] = r.id end
	end
	local q = films:where(where)
	is(#q, #want, name .. ": the count a Lua loop gives")
	local wrong = 0
	for i, film in ipairs(q) do
		if film.id ~= want[i] then
			if wrong == 0 then diag(name, i, film.id, want[i]) end
			wrong = wrong + 1
		end
	end
	ok(wrong == 0 and #want > 0, name .. ": the same rows, in catalogue order")
end
-- search looks in every text column on two halves too, each folding
-- accents with a finder of its own
for _, needle in ipairs({"amelie", "SEOUL", "river road"}) do
	local want = {}
	for _, r in ipairs(rows) do
		if folded(r.title):find(folded(needle), 1, true) then want[#want + 1] = r.id end
	end
	local got = films:search(needle):pluck("id")
	table.sort(got)
	is_deeply(got, want, "search " .. needle .. ": the films a Lua loop finds")
end
done()
