-- tests/bench/similar.lua: q:similar in process, on the catalogue given with
-- --data: the index built by the first query, then the median of RUNS
-- queries from other films, and the resident memory the catalogue and the
-- index take (from /proc/self/status). usage: reel -d FILE similar.lua [RUNS]
local runs = tonumber(arg[1]) or 5

local function resident_mb()
	for line in io.lines("/proc/self/status") do
		local kb = line:match("^VmRSS:%s+(%d+)")
		if kb then return tonumber(kb) / 1024 end
	end
end

local clock = reel.clock or os.clock -- wall time: the index is built on two threads
local rows = #films
local loaded = resident_mb()
local start = clock()
local first = #films:similar(films[1])
local built = clock() - start
local indexed = resident_mb()
local times = {}
for i = 1, runs do
	local f = films[(i * 7919) % rows + 1]
	start = clock()
	first = first + #films:similar(f, { count = 10 })
	times[i] = clock() - start
end
table.sort(times)
print(string.format("%d %.2f %.4f %.0f %.0f", rows, built, times[(runs + 1) // 2],
                    loaded, indexed - loaded))
