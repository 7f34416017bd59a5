-- tests/lua/top_collated.lua: the first rows of a sort under a collation
-- (natural, nocase), found by the heap without sorting the rest, are the
-- first rows of the full sort: ascending and descending, with ties, nulls,
-- accents and numbers inside titles, for q[1], q:first() and limits, with
-- and without a where before the sort.
dofile("tests/lua/tap.lua")

local words = {"Part 2", "part 10", "PART 9", "École", "ecole", "Zorro", "abc", "Abc", "", "Part 02"}
local path = os.tmpname()
local out = assert(io.open(path, "w"))
out:write("id,title,year\n")
local seed = 3
local function next_number(n)
	seed = (seed * 1103515245 + 12345) % 2147483648
	return seed % n + 1
end
for id = 1, 3000 do
	local title = words[next_number(#words)]
	if next_number(4) == 1 then title = title .. " " .. next_number(30) end
	if next_number(40) == 1 then title = "" end -- empty: a null
	out:write(id, ",", title, ",", 1990 + next_number(30), "\n")
end
out:close()
local films = assert(reel.load(path, {format = "csv"}))
os.remove(path)

local function ids(q)
	local list = {}
	for i, film in ipairs(q) do list[i] = film.id end
	return list
end

for _, collate in ipairs({"natural", "nocase"}) do
	for _, key in ipairs({"title", "-title"}) do
		local label = collate .. " " .. key
		local full = ids(films:sort(key, {collate = collate}))
		local first = films:sort(key, {collate = collate})[1]
		is(first.id, full[1], label .. ": q[1] is the full sort's first")
		is(films:sort(key, {collate = collate}):first().id, full[1], label .. ": q:first() too")
		for _, k in ipairs({1, 7, 100}) do
			local top = ids(films:sort(key, {collate = collate}):limit(k))
			local want = {table.unpack(full, 1, k)}
			is_deeply(top, want, label .. ": limit " .. k .. " is the full sort's first " .. k)
		end
		local recent = films:where{year = {ge = 2005}}
		local whole = ids(recent:sort(key, {collate = collate}))
		is_deeply(ids(recent:sort(key, {collate = collate}):limit(25)),
		          {table.unpack(whole, 1, 25)}, label .. ": after a where, limit 25 too")
	end
end
done()
