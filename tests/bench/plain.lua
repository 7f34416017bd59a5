-- plain.lua: the benchmark's peer in plain Lua 5.4 tables, one table per
-- film (lua5.4 tests/bench/plain.lua FILE [RUNS]). Same output as reel.lua.
local path, runs = arg[1], tonumber(arg[2]) or 3

-- One CSV record from `line` (quoted fields with commas and doubled quotes;
-- no line breaks inside quotes in the generated catalogue).
local function fields(line)
	local out, i, n = {}, 1, #line
	while i <= n + 1 do
		if line:sub(i, i) == '"' then
			local j, parts = i + 1, {}
			while true do
				local q = line:find('"', j, true)
				parts[#parts + 1] = line:sub(j, q - 1)
				if line:sub(q + 1, q + 1) == '"' then
					parts[#parts + 1] = '"'
					j = q + 2
				else
					i = q + 2
					break
				end
			end
			out[#out + 1] = table.concat(parts)
		else
			local c = line:find(",", i, true) or n + 1
			out[#out + 1] = line:sub(i, c - 1)
			i = c + 1
		end
	end
	return out
end

local function load()
	local films, first = {}, true
	for line in io.lines(path) do
		if first then
			first = false
		else
			local f = fields(line)
			films[#films + 1] = {id = tonumber(f[1]), title = f[2],
				year = tonumber(f[3]), duration = tonumber(f[4]), description = f[5]}
		end
	end
	return films
end

local function median(fn)
	local times = {}
	for i = 1, runs do
		local start = os.clock()
		fn()
		times[i] = os.clock() - start
	end
	table.sort(times)
	return times[(runs + 1) // 2]
end

local function report(name, fn)
	io.write(string.format("%s %.6f\n", name, median(fn)))
end

local start = os.clock()
local films = load()
io.write(string.format("load %.6f\n", os.clock() - start))
if runs == 0 then
	local n = 0
	for _, f in ipairs(films) do if f.duration < 110 then n = n + 1 end end
	print("count", n)
	return
end

local function under(limit)
	local out = {}
	for _, f in ipairs(films) do
		if f.duration < limit then out[#out + 1] = f end
	end
	return out
end

report("count", function() return #under(110) end)
report("where_sort_limit", function()
	local rows = under(110)
	table.sort(rows, function(a, b)
		if a.year ~= b.year then return a.year > b.year end
		return a.title < b.title
	end)
	return {rows[1], rows[2], rows[3]}
end)
report("random", function() local rows = under(110); return rows[math.random(#rows)] end)
report("group", function()
	local count, sum = {}, {}
	for _, f in ipairs(films) do
		count[f.year] = (count[f.year] or 0) + 1
		sum[f.year] = (sum[f.year] or 0) + f.duration
	end
	local years = {}
	for y in pairs(count) do years[#years + 1] = y end
	table.sort(years)
	return years
end)
report("search", function()
	local n = 0
	for _, f in ipairs(films) do
		if f.title:lower():find("prison", 1, true) or
		   f.description:lower():find("prison", 1, true) then n = n + 1 end
	end
	return n
end)
io.write(string.format("rows %d\n", #films))
