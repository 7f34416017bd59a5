-- soak.lua: many mixed queries in one process on the bench's catalogue,
-- loaded as `films` (reel -d FILE tests/bench/soak.lua [QUERIES [FOLDER]]),
-- and what they do to resident memory: VmRSS from /proc/self/status after a
-- warm-up (a tenth of the queries) and at the end, each after a full
-- collection, so what grows is what the queries keep, not garbage not yet
-- collected. Prints "soak ..." lines; asserts nothing.
local QUERIES = tonumber(arg and arg[1]) or 3000
local folder = arg and arg[2] or "/tmp"
local WARMUP = QUERIES // 10

local function status_kib(field)
	local f = assert(io.open("/proc/self/status"))
	local text = f:read("a")
	f:close()
	return tonumber(text:match(field .. ":%s*(%d+)"))
end

local function resident()
	collectgarbage("collect")
	collectgarbage("collect")
	return status_kib("VmRSS")
end

local rng = math.random
local words = {"prison", "love", "war", "Paris", "summer", "ghost", "king", "moon"}

-- The mixed work: each item a name and a query that ends in a result.
local work = {
	{"where_count", function()
		local low = rng(1, 250)
		return #films:where{duration = {between = {low, low + rng(1, 60)}}}
	end},
	{"where_sort_limit", function()
		return films:where{year = {ge = rng(1920, 2020)}}:sort("-year", "title"):limit(rng(1, 20))[1]
	end},
	{"top_k", function() return films:sort(rng(2) == 1 and "duration" or "-duration"):limit(10):pluck("title") end},
	{"in_set", function()
		local years = {}
		for i = 1, rng(1, 30) do years[i] = rng(1920, 2025) end
		return films:where{year = {["in"] = years}}:count()
	end},
	{"random", function() return films:where{duration = {lt = rng(60, 200)}}:random() end},
	{"sample", function() return films:sample(rng(1, 1000)):pluck("year") end},
	{"offset", function() return films:offset(rng(0, 900000)):limit(100):format("csv") end},
	{"aggregate", function()
		return films:aggregate("year", {"count", "avg(duration)", "max(duration) as longest"}):count()
	end},
	{"totals", function()
		local q = films:where{year = {lt = rng(1930, 2025)}}
		return q:sum("duration"), q:avg("duration"), q:min("title"), q:max("year")
	end},
	{"group", function()
		local n = 0
		for _, g in films:where{year = {ge = 2015}}:group("year") do n = n + #g end
		return n
	end},
	{"contains", function()
		return films:where{title = {contains = words[rng(#words)]}}:limit(50):pluck("id")
	end},
	{"search", function()
		return films:offset(rng(0, 900000)):limit(100000):search(words[rng(#words)])
		       :limit(20):format("jsonl")
	end},
	{"filter", function()
		local start = rng(0, 990000)
		return films:offset(start):limit(5000):filter(function(f) return f.duration < 100 end):count()
	end},
	{"join", function()
		local a = films:where{year = rng(1920, 2025)}:limit(2000)
		local b = films:where{duration = {lt = 90}}:limit(5000):select("id", "duration")
		return a:join(b, "id"):count()
	end},
	{"format", function() return films:where{year = rng(1920, 2025)}:limit(200):format("table") end},
	{"save", function()
		return films:where{year = rng(1920, 2025)}:limit(500):save(folder .. "/soak.csv")
	end},
	{"similar", function()
		-- the first one builds the index the table keeps (in the warm-up)
		return films:similar(films[rng(1, #films)], {count = 10}):pluck("title")
	end},
	{"film", function()
		local f = films[rng(1, #films)]
		return f.title, f:totable(), tostring(f)
	end},
}

local spent = {}
local function run(i)
	local item = work[(i - 1) % #work + 1]
	local t = reel.clock()
	item[2]()
	spent[item[1]] = (spent[item[1]] or 0) + reel.clock() - t
end

math.randomseed(13)
local start = reel.clock()
for i = 1, WARMUP do run(i) end
local after_warmup = resident()
local samples = {}
for i = WARMUP + 1, QUERIES do
	run(i)
	if (i - WARMUP) % (QUERIES // 5) == 0 then samples[#samples + 1] = resident() end
end
local at_end = resident()
local seconds = reel.clock() - start
os.remove(folder .. "/soak.csv")

print(string.format("soak: %d mixed queries (%d kinds) on %d films in %.0f s, one process",
	QUERIES, #work, #films, seconds))
print(string.format("soak: resident %.0f MiB after %d warm-up queries, %.0f MiB at the end: %+.1f%% (target under 10%%)",
	after_warmup / 1024, WARMUP, at_end / 1024, (at_end - after_warmup) / after_warmup * 100))
local trend = {}
for i, kib in ipairs(samples) do trend[i] = string.format("%.0f", kib / 1024) end
print(string.format("soak: resident MiB along the way: %s; peak %.0f MiB",
	table.concat(trend, " "), status_kib("VmHWM") / 1024))
local kinds = {}
for name, t in pairs(spent) do kinds[#kinds + 1] = {name, t} end
table.sort(kinds, function(a, b) return a[2] > b[2] end)
for i, k in ipairs(kinds) do kinds[i] = string.format("%s %.1f", k[1], k[2]) end
print("soak: seconds by kind: " .. table.concat(kinds, ", "))
