-- tests/lua/random.lua: random, sample and shuffle, their one generator,
-- and reel.seed for repeatable draws.
dofile("tests/lua/tap.lua")

local function ranks(q)
	local t = {}
	for i, f in ipairs(q) do t[i] = f.rank end
	return t
end

-- {====== random ======
local short = films:where{duration = {lt = 110}}
local qualifying, seen = true, {}
for _ = 1, 200 do
	local f = short:random()
	qualifying = qualifying and f.duration < 110
	seen[f.title] = true
end
ok(qualifying, "random() picks only films under 110 minutes")
ok(seen["Wedding Dress"] and seen["More than Blue"], "and, over 200 draws, both of them")

local function draws(q, n)
	local t = {}
	for i = 1, n do t[i] = q:random().rank end
	return t
end
reel.seed(7)
local first = draws(films, 20)
reel.seed(7)
is_deeply(draws(films, 20), first, "after reel.seed(7), the same sequence twice")
reel.seed(7)
local again = draws(short, 20)
reel.seed(7)
is_deeply(draws(short, 20), again, "the same for a where{} query")
reel.seed(8)
local other = draws(films, 20)
ok(table.concat(other, ",") ~= table.concat(first, ","), "another seed, another sequence")

local hits = {}
reel.seed(1)
for _ = 1, 1000 do
	local r = films:random().rank
	hits[r] = (hits[r] or 0) + 1
end
local spread = true
for r = 1, 10 do spread = spread and (hits[r] or 0) > 50 end
ok(spread, "each of ten films comes up often in 1000 draws")
-- }======

-- {====== sample and shuffle ======
local function is_permutation_of(list, of)
	local count = {}
	for _, v in ipairs(of) do count[v] = (count[v] or 0) + 1 end
	for _, v in ipairs(list) do
		if not count[v] or count[v] == 0 then return false end
		count[v] = count[v] - 1
	end
	return true
end

local all = ranks(films)
local shuffled = films:shuffle()
is(#shuffled, 10, "shuffle keeps every film")
ok(is_permutation_of(ranks(shuffled), all), "shuffle is a permutation")
local s3 = films:sample(3)
is(#s3, 3, "sample(3) draws three")
ok(is_permutation_of(ranks(s3), all), "without replacement")
is(#films:sample(0), 0, "sample(0)")
is(#films:sample(50), 10, "sample past the count draws all")
ok(is_permutation_of(ranks(films:sample(50)), all), "all of them once")
local sub = films:where{year = 2013}
local from_sub = true
for _, f in ipairs(sub:sample(2)) do from_sub = from_sub and f.year == 2013 end
ok(from_sub, "a sample of a query stays within it")

reel.seed(42)
local a, b = ranks(films:shuffle()), ranks(films:sample(5))
reel.seed(42)
is_deeply(ranks(films:shuffle()), a, "shuffle repeats under a seed")
is_deeply(ranks(films:sample(5)), b, "sample repeats under a seed")

local moved = false
for _ = 1, 10 do
	moved = moved or table.concat(ranks(films:shuffle()), ",") ~= table.concat(all, ",")
end
ok(moved, "shuffles do move films")
-- }======

done()
