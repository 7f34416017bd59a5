-- tests/lua/join_large.lua: joins of 120,000 films with 25,000 ratings,
-- enough to be probed and gathered on both cores and through the key
-- filter of a small right side, against the same join
-- done with Lua tables: the count of every kind (made without rows) and
-- the rows themselves, with keys that repeat, that are missing and null.
dofile("tests/lua/tap.lua")

local dir = os.tmpname()
os.remove(dir)
assert(os.execute("mkdir -p " .. dir))
local seed = 5
local function next_number(n)
	seed = (seed * 1103515245 + 12345) % 2147483648
	return seed % n + 1
end

local films, ratings = {}, {}
local out = assert(io.open(dir .. "/films.csv", "w"))
out:write("id,title,year\n")
for id = 1, 120000 do
	local film = {id = id, title = "Film " .. next_number(4000), year = 1990 + next_number(30)}
	if next_number(50) == 1 then film.year = nil end
	films[id] = film
	out:write(id, ",", film.title, ",", film.year or "", "\n")
end
out:close()
out = assert(io.open(dir .. "/ratings.csv", "w"))
out:write("film_id,name,released,stars\n")
for i = 1, 25000 do
	-- ids past the films match nothing; some films are rated twice
	local rating = {film_id = next_number(150000), name = "Film " .. next_number(4000),
	                released = 1990 + next_number(30), stars = next_number(10)}
	ratings[i] = rating
	out:write(rating.film_id, ",", rating.name, ",", rating.released, ",", rating.stars, "\n")
end
out:close()
local catalogue = assert(reel.load(dir .. "/films.csv"))
local rated = assert(reel.load(dir .. "/ratings.csv"))
os.remove(dir .. "/films.csv")
os.remove(dir .. "/ratings.csv")
os.remove(dir)

-- Lua's join: for each film in order, its ratings in their order.
local function lua_join(key_of_film, key_of_rating, kind)
	local by_key = {}
	for _, r in ipairs(ratings) do
		local k = key_of_rating(r)
		by_key[k] = by_key[k] or {}
		table.insert(by_key[k], r)
	end
	local rows = {}
	for _, f in ipairs(films) do
		local k = key_of_film(f)
		local found = k and by_key[k] or {}
		if kind == "inner" or kind == "left" then
			for _, r in ipairs(found) do rows[#rows + 1] = {f.id, r.stars} end
			if kind == "left" and #found == 0 then rows[#rows + 1] = {f.id} end
		elseif (#found > 0) == (kind == "semi") then
			rows[#rows + 1] = {f.id}
		end
	end
	return rows
end

local keyings = {
	{"id", {left = "id", right = "film_id"},
	 function(f) return f.id end, function(r) return r.film_id end},
	{"title and year", {left = {"title", "year"}, right = {"name", "released"}},
	 function(f) return f.year and f.title .. "|" .. f.year end,
	 function(r) return r.name .. "|" .. r.released end},
}
for _, keying in ipairs(keyings) do
	local name, keys, of_film, of_rating = keying[1], keying[2], keying[3], keying[4]
	for _, kind in ipairs({"inner", "left", "semi", "anti"}) do
		local want = lua_join(of_film, of_rating, kind)
		local label = kind .. " join on " .. name
		is(#catalogue:join(rated, keys, {kind = kind}), #want, label .. ": its count, made without rows")
		local q = catalogue:join(rated, keys, {kind = kind})
		local ids, stars = q:pluck("id"), (kind == "inner" or kind == "left") and q:pluck("stars")
		local wrong = 0
		for i, row in ipairs(want) do
			local star = stars and stars[i]
			if star == reel.null then star = nil end
			if ids[i] ~= row[1] or (stars and star ~= row[2]) then wrong = wrong + 1 end
		end
		ok(#ids == #want and wrong == 0, label .. ": its rows and columns, in the left's order")
	end
end
done()
