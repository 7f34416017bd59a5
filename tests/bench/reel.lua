-- reel.lua: the benchmark's work items, in process, on the catalogue loaded
-- as `films` (reel -d FILE tests/bench/reel.lua [RUNS]). Prints one line per
-- item: its name and the median of RUNS timings in seconds (reel.clock:
-- wall time, as the peers' are, since where, search and group run on both
-- cores).
local runs = tonumber(arg and arg[1]) or 5

local function median(fn)
	local times = {}
	for i = 1, runs do
		local start = reel.clock()
		fn()
		times[i] = reel.clock() - start
	end
	table.sort(times)
	return times[(runs + 1) // 2]
end

local function report(name, fn)
	io.write(string.format("%s %.6f\n", name, median(fn)))
end

local n = #films
report("count", function() return #films:where{duration = {lt = 110}} end)
report("where_sort_limit", function()
	-- a Query runs when a result is asked for: its first film here
	return films:where{duration = {lt = 110}}:sort("-year", "title"):limit(3)[1]
end)
report("random", function() return films:where{duration = {lt = 110}}:random() end)
report("group", function()
	for _, g in films:group("year") do
		local _, _ = #g, g:avg("duration")
	end
end)
report("search", function() return #films:search("prison") end)
report("filter_per_row", function()
	return films:filter(function(f) return f.duration < 110 end)
end)
io.write(string.format("rows %d\n", n))
