-- tests/lua/schedule.lua: reel.schedule, the fill behind marathon for many
-- films: on random lengths and counts, its total and number of films
-- against a plain dynamic programme over every film, and its answer
-- within what was available; its bad arguments.
dofile("tests/lua/tap.lua")

-- The best (total, films) for `limit` minutes over every film one by one.
local function best_by_hand(lengths, counts, limit)
	local most = {[0] = 0}
	for s = 1, limit do most[s] = -1 end
	for i, d in ipairs(lengths) do
		for _ = 1, counts[i] do
			for s = limit, d, -1 do
				if most[s - d] >= 0 and most[s - d] + 1 > most[s] then most[s] = most[s - d] + 1 end
			end
		end
	end
	local total = limit
	while most[total] < 0 do total = total - 1 end
	return total, most[total]
end

local seed = 11
local function random(n)
	seed = (seed * 1103515245 + 12345) % 2147483648
	return seed % n + 1
end

local wrong = {}
for case = 1, 200 do
	local n, lengths, counts, seen = random(8), {}, {}, {}
	for i = 1, n do
		local d
		repeat d = random(90) + 5 until not seen[d]
		seen[d] = true
		lengths[i], counts[i] = d, random(6) - 1
	end
	local limit = random(400)
	local taken, total = reel.schedule(lengths, counts, limit)
	local want_total, want_films = best_by_hand(lengths, counts, limit)
	local minutes, films = 0, 0
	for i = 1, n do
		if taken[i] > counts[i] then wrong[#wrong + 1] = case .. ": more than available" end
		minutes, films = minutes + taken[i] * lengths[i], films + taken[i]
	end
	if total ~= want_total or minutes ~= total or films ~= want_films then
		wrong[#wrong + 1] = ("case %d: %d min in %d films, not %d in %d"):format(
			case, total, films, want_total, want_films)
	end
end
is(#wrong, 0, "200 random fills: the largest total, then the most films " ..
   (wrong[1] or ""))

local taken, total = reel.schedule({100, 90, 30}, {3, 2, 5}, 240)
is(total, 240, "240 minutes filled")
is(table.concat(taken, ","), "0,1,5", "by one 90 and five 30s: six films")
taken, total = reel.schedule({}, {}, 100)
is(total, 0, "no films: nothing filled")
throws(function() reel.schedule({0}, {1}, 10) end, "every length must be above 0", "a length of 0")
throws(function() reel.schedule({5}, {1, 2}, 10) end, "as many counts as lengths", "counts that do not match")
throws(function() reel.schedule({5.5}, {1}, 10) end, "item 1 is not a whole number", "a length that is no whole number")
throws(function() reel.schedule({5}, {1}, -1) end, "minutes must be from 0", "negative minutes")
done()
