-- tests/lua/sort_large.lua: sorts of text large enough to be split over
-- both cores (100,000 rows), against table.sort in Lua: ascending,
-- descending, ties kept in catalogue order, titles sharing long
-- prefixes, and natural order (ascending and descending, and of titles
-- mostly numbers).
dofile("tests/lua/tap.lua")

local words = {"river", "night", "Night", "home", "a", "", "road", "Seoul", "é", "river's"}
local path = os.tmpname()
local out = assert(io.open(path, "w"))
out:write("id,title\n")
local rows = {}
local seed = 7
local function next_number(n)
	seed = (seed * 1103515245 + 12345) % 2147483648
	return seed % n + 1
end
for id = 1, 100000 do
	local parts = {}
	for k = 1, next_number(5) do parts[k] = words[next_number(#words)] end
	-- a long shared prefix now and then, so the sort goes past 8 bytes
	local title = (id % 3 == 0 and "The Long Shared Beginning of " or "") .. table.concat(parts, " ")
	rows[id] = {id = id, title = title}
	out:write(id, ",\"", title, "\"\n")
end
out:close()
local catalogue = assert(reel.load(path, {format = "csv"}))
is(#catalogue, 100000, "100,000 rows loaded")

local function expected(descending)
	local copy = {}
	for i, row in ipairs(rows) do copy[i] = row end
	table.sort(copy, function(a, b)
		if a.title ~= b.title then
			if descending then return a.title > b.title end
			return a.title < b.title
		end
		return a.id < b.id -- stable: ties in catalogue order
	end)
	return copy
end

for _, descending in ipairs({false, true}) do
	local want = expected(descending)
	local wrong = 0
	for i, film in ipairs(catalogue:sort(descending and "-title" or "title")) do
		if film.id ~= want[i].id then wrong = wrong + 1 end
	end
	is(wrong, 0, (descending and "descending" or "ascending") ..
	   ": every row in Lua's order, ties in catalogue order")
end
-- Natural order, whose keys are made on two threads and whose ties are
-- put in byte order on two threads: case and accents folded (these words
-- hold no digits), ties by the bytes, then catalogue order.
local function folded(text) return (text:lower():gsub("é", "e")) end
local natural = {}
for i, row in ipairs(rows) do natural[i] = row end
table.sort(natural, function(a, b)
	local ka, kb = folded(a.title), folded(b.title)
	if ka ~= kb then return ka < kb end
	if a.title ~= b.title then return a.title < b.title end
	return a.id < b.id
end)
local wrong = 0
for i, film in ipairs(catalogue:sort("title", {collate = "natural"})) do
	if film.id ~= natural[i].id then wrong = wrong + 1 end
end
is(wrong, 0, "natural: every row in folded order, ties by bytes, then catalogue order")
table.sort(natural, function(a, b)
	local ka, kb = folded(a.title), folded(b.title)
	if ka ~= kb then return ka > kb end
	if a.title ~= b.title then return a.title > b.title end
	return a.id < b.id
end)
wrong = 0
for i, film in ipairs(catalogue:sort("-title", {collate = "natural"})) do
	if film.id ~= natural[i].id then wrong = wrong + 1 end
end
is(wrong, 0, "natural, descending: folded order reversed, ties by bytes reversed, then catalogue order")
-- nocase keeps accents, decomposed: "é" is "e" and U+0301 in its key
local function nocase(text) return (text:lower():gsub("é", "e\204\129")) end
table.sort(natural, function(a, b)
	local ka, kb = nocase(a.title), nocase(b.title)
	if ka ~= kb then return ka < kb end
	if a.title ~= b.title then return a.title < b.title end
	return a.id < b.id
end)
wrong = 0
for i, film in ipairs(catalogue:sort("title", {collate = "nocase"})) do
	if film.id ~= natural[i].id then wrong = wrong + 1 end
end
is(wrong, 0, "nocase: every row in case-folded order, ties by bytes, then catalogue order")
os.remove(path)

-- Titles mostly made of numbers, whose natural keys are longer than the
-- titles (a digit's run takes two bytes more): more than the room first
-- given to the keys, so they are made again in buffers that grow.
local function natural_key(text)
	return (folded(text):gsub("%d+", function(digits)
		local kept = digits:gsub("^0+(%d)", "%1")
		return "0" .. string.char(#kept) .. kept
	end))
end
local numbers = {"1", "2", "10", "02", "Part", "part", "007", "7", "é"}
path = os.tmpname()
out = assert(io.open(path, "w"))
out:write("id,title\n")
rows = {}
for id = 1, 80000 do
	local parts = {}
	for k = 1, next_number(6) do parts[k] = numbers[next_number(#numbers)] end
	rows[id] = {id = id, title = table.concat(parts, " ")}
	rows[id].key = natural_key(rows[id].title)
	out:write(id, ",\"", rows[id].title, "\"\n")
end
out:close()
local numbered = assert(reel.load(path, {format = "csv"}))
os.remove(path)
for _, descending in ipairs({false, true}) do
	local want = {}
	for i, row in ipairs(rows) do want[i] = row end
	table.sort(want, function(a, b)
		if a.key ~= b.key then
			if descending then return a.key > b.key end
			return a.key < b.key
		end
		if a.title ~= b.title then
			if descending then return a.title > b.title end
			return a.title < b.title
		end
		return a.id < b.id
	end)
	wrong = 0
	for i, film in ipairs(numbered:sort(descending and "-title" or "title",
	                                    {collate = "natural"})) do
		if film.id ~= want[i].id then wrong = wrong + 1 end
	end
	is(wrong, 0, "numbers by value" .. (descending and ", descending" or "") ..
	   ": keys longer than their titles")
end
done()
