-- general.lua: the benchmark's general section in reel (reel -d FILMS
-- tests/bench/general.lua DIR RUNS): work no query was tuned for, on the
-- 1M-film catalogue, DIR/ratings.csv (500k rows) and DIR/watched.csv (50k
-- title, year rows). Prints "item seconds answer" lines: the median of RUNS
-- timings (reel.clock: wall time, as the peers' are, since a join probes on
-- both cores) and a number the peers must give too.
local dir, runs = arg[1], tonumber(arg[2]) or 5
local ratings = assert(reel.load(dir .. "/ratings.csv"))
local watched = assert(reel.load(dir .. "/watched.csv"))

local function median(fn)
	local times, answer = {}, nil
	for i = 1, runs do
		local start = reel.clock()
		answer = fn()
		times[i] = reel.clock() - start
	end
	table.sort(times)
	return times[(runs + 1) // 2], answer
end

local function report(name, fn)
	local seconds, answer = median(fn)
	io.write(string.format("%s %.6f %s\n", name, seconds, tostring(answer)))
end

local years = {1950, 1960, 1970, 1980, 1990}
local ids = {}
for i = 1, 10000 do ids[i] = i * 97 % 1000000 + 1 end

report("sort_text", function() return films:sort("title")[500000].id end)
report("sort_natural", function()
	return films:sort("title", {collate = "natural"})[500000].id
end)
report("sort_three_keys", function()
	return films:sort("year", "-duration", "title")[500000].id
end)
report("aggregate_text", function()
	return #films:aggregate("title", {"count", "avg(duration)"})
end)
report("aggregate_text_having", function()
	return #films:aggregate("title", {"count", "avg(duration)"}):where{avg_duration = {ge = 150}}
end)
report("aggregate_two_ints", function()
	return #films:aggregate({"year", "duration"}, {"count", "max(id)"})
end)
report("join_then_filter", function()
	return #films:join(ratings, {left = "id", right = "film_id"}):where{rating = {ge = 9}}
end)
report("join_text_int", function() return #films:join(watched, {"title", "year"}) end)
report("semi_join", function()
	return #films:join(watched, {"title", "year"}, {kind = "semi"})
end)
report("anti_join", function()
	return #films:join(watched, {"title", "year"}, {kind = "anti"})
end)
report("in_5", function() return #films:where{year = {["in"] = years}} end)
report("in_10000", function() return #films:where{id = {["in"] = ids}} end)
report("contains", function() return #films:where{title = {contains = "river"}} end)
report("count_distinct", function()
	return films:aggregate(nil, {"count_distinct(title)"})[1].count_distinct_title
end)
report("median", function()
	return films:aggregate("year", {"median(duration)"}):sum("median_duration")
end)
report("export_csv", function() return assert(films:save(dir .. "/out.csv")) and 1 end)
report("export_jsonl", function() return assert(films:save(dir .. "/out.jsonl")) and 1 end)
