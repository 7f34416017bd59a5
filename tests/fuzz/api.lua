-- tests/fuzz/api.lua: random sequences of calls on reel's Lua API, run by
-- ./reel: every method of Tables, Queries, Films and group loops, with
-- arguments that are sometimes right and often hostile (wrong types, nil,
-- NaN, huge and negative numbers, empty strings, unknown columns), mixed
-- with collectgarbage(), __gc called by hand and finalizers that use the
-- objects they hold. Each call runs in pcall: an error is an answer, a
-- crash, a sanitizer report or a hang is a fault. Queries and histograms
-- print on standard output (send it to /dev/null); the figures go to
-- standard error, the seed first, so that a failing run can be replayed.
--
--   REEL_API_SEED=N        the run's seed (default 1; make check: the time)
--   REEL_API_SEQUENCES=N   how many sequences (default 1000)
--   REEL_API_FIRST=K       start at sequence K (replay one: SEQUENCES=1)
--   REEL_API_CALLS=N       calls a sequence (default 40)
--   REEL_API_TRACE=FILE    each call written (and flushed) before it runs
--   REEL_API_VERBOSE=1     each call's answers and raised messages counted
--
-- Sequence k of seed S draws the same calls whatever ran before it, and the
-- catalogues it works on are loaded afresh for it; when the collector runs
-- may differ, so a fault that hangs on a finalizer's timing may need the
-- run from its first sequence, with REEL_API_TRACE to see its last call.

local function env_integer(name, default)
	local text = os.getenv(name)
	if text == nil or text == "" then return default end
	local n = math.tointeger(tonumber(text))
	if n == nil then error(name .. " must be an integer, not " .. text) end
	return n
end

local SEED = env_integer("REEL_API_SEED", 1)
local SEQUENCES = env_integer("REEL_API_SEQUENCES", 1000)
local FIRST = env_integer("REEL_API_FIRST", 1)
local CALLS = env_integer("REEL_API_CALLS", 40)
local trace_path = os.getenv("REEL_API_TRACE")
local trace = trace_path and trace_path ~= "" and assert(io.open(trace_path, "w"))

local random = math.random
local stats = {calls = 0, errors = 0, finalizers = 0, collections = 0,
               by_name = {}, messages = {}}
local verbose = os.getenv("REEL_API_VERBOSE") == "1"

local function pick(list)
	return list[random(#list)]
end

local function chance(percent)
	return random(100) <= percent
end

-- {====== Fixtures: two catalogues made here, in a folder of their own ======
local folder = os.tmpname()
os.remove(folder)
assert(os.execute("mkdir -p '" .. folder .. "'"))

local words = {"prison", "daughter", "Amélie", "rain", "ÉCOLE", "war", "Zoë",
               "Part 2", "Part 10", "naïve", "東京", "the", "", "a,b", "q\"t"}

local function csv_cell(text)
	if text:find('[,"\n]') then return '"' .. text:gsub('"', '""') .. '"' end
	return text
end

local function fixture_row(i)
	local year = chance(10) and "" or tostring(1920 + random(0, 105))
	local duration = chance(10) and "" or tostring(random(1, 300))
	local rating = chance(10) and "" or string.format("%.1f", random() * 10)
	local released = chance(15) and "" or
		string.format("%04d-%02d-%02d", 1920 + random(0, 105), random(12), random(28))
	local title = pick(words) .. " " .. pick(words) .. (chance(5) and "" or " " .. i)
	local description = {}
	for _ = 1, random(0, 8) do description[#description + 1] = pick(words) end
	return table.concat({i, csv_cell(title), year, duration, rating, released,
		tostring(chance(50)), csv_cell(pick(words)),
		csv_cell(table.concat(description, " ")),
		tostring(random(math.mininteger, math.maxinteger))}, ",")
end

local function json_film(i)
	local genres = {}
	for _ = 1, random(0, 3) do
		genres[#genres + 1] = string.format("%q", pick({"Drama", "Comedy", "Horror", "Romance"}))
	end
	return string.format('{"id": %d, "title": "Film %d", "year": %s, "genres": [%s], ' ..
		'"director": "%s", "rating": %s, "cast": ["A %d", "B"]}', i, i,
		chance(10) and "null" or tostring(1950 + random(0, 75)),
		table.concat(genres, ", "), pick({"Lee", "Kim", "Varda", "Ozu"}),
		chance(10) and "null" or string.format("%.2f", random() * 10), random(5))
end

local function write(path, text)
	local f = assert(io.open(path, "w"))
	f:write(text)
	f:close()
end

local CSV = folder .. "/films.csv"
local JSON = folder .. "/films.json"
-- saves over what is no file must refuse it
assert(os.execute("mkfifo '" .. folder .. "/fifo.csv' && mkdir '" .. folder .. "/folder.csv'"))
math.randomseed(SEED)
do
	local lines = {"id,title,year,duration,rating,released,watched,director,description,big"}
	for i = 1, 150 do lines[#lines + 1] = fixture_row(i) end
	write(CSV, table.concat(lines, "\n") .. "\n")
	local films_json = {}
	for i = 1, 60 do films_json[#films_json + 1] = json_film(i) end
	write(JSON, "[" .. table.concat(films_json, ",\n") .. "]\n")
end
-- }======

-- {====== Values: right ones and hostile ones ======
local NAN = 0 / 0
local numbers = {0, 1, 2, 3, 7, -1, -0.0, 0.5, 2.5, 1e308, -1e308, 1 / 0, -1 / 0,
                 NAN, 2^31, 2^53, 2^63, math.maxinteger, math.mininteger,
                 math.maxinteger - 1, 1e-300, 1999, 2013, 110}
local strings = {"", "title", "-year", "year", "nope", "-", "--year", "\0",
                 "title\0x", "é", string.rep("x", 5000), "{title}", "%s%n",
                 "1998-01-01", "2013", "year(released)", "count"}

local function hostile_value(objects)
	local kind = random(10)
	if kind == 1 then return nil
	elseif kind == 2 then return chance(50)
	elseif kind <= 4 then return pick(numbers)
	elseif kind <= 6 then return pick(strings)
	elseif kind == 7 then return reel.null
	elseif kind == 8 then return pick({{}, {1, 2}, {year = 1}, {"title"},
	                                   setmetatable({}, {__index = function() error("boom") end}),
	                                   -- what error messages show of an argument
	                                   setmetatable({}, {__tostring = function() error("no text") end}),
	                                   setmetatable({}, {__tostring = function() return 1 end}),
	                                   setmetatable({}, {__name = 5})})
	elseif kind == 9 then return pick({print, coroutine.create(print), io.stdout})
	end
	return objects[random(#objects)]
end

local formats = {"table", "csv", "tsv", "json", "jsonl", "markdown", "lines",
                 "{title} ({year})", "{nope}", "{", "}", "{{title}}", "", "xml",
                 "{title:10}", "{year} {year} {year}"}
local ops = {"eq", "ne", "lt", "le", "gt", "ge", "between", "in", "contains",
             "null", "has", "like", "", "EQ"}
local aggregate_functions = {"count", "sum", "avg", "min", "max", "median",
                             "count_distinct", "count", "min", "max", "nope", ""}
local collations = {"binary", "nocase", "natural", "nope", 1, true}
local save_names = {"out.csv", "out.tsv", "out.json", "out.jsonl", "out.md",
                    "out.csv.gz", "out.jsonl.gz", "out.txt", "out", ".csv",
                    "missing/out.csv", "", "out.csv/", "fifo.csv", "folder.csv"}
-- }======

-- {====== What a Query's arguments look like ======
local function columns_of(q)
	local ok, names = pcall(function() return q:columns() end)
	if ok and type(names) == "table" and #names > 0 then return names end
	return {"title", "year"}
end

local function a_column(q)
	if chance(8) then return pick(strings) end
	return pick(columns_of(q))
end

local function a_count()
	if chance(70) then return random(0, 12) end
	return pick(numbers)
end

-- A value a cell of column `col` of q may hold, or a hostile one.
local function an_operand(q, col, objects)
	if chance(60) then
		local ok, value = pcall(function()
			local f = q[random(1, 5)]
			return f and f[col]
		end)
		if ok and type(value) == "table" and #value > 0 and chance(80) then
			return value[random(#value)] -- an element of a list cell
		end
		if ok and value ~= nil then return value end
	end
	return hostile_value(objects)
end

local function a_condition(q, col, objects)
	local op = pick(ops)
	local operand
	if op == "between" then
		operand = {an_operand(q, col, objects), an_operand(q, col, objects)}
	elseif op == "in" then
		operand = {}
		for i = 1, random(0, 12) do operand[i] = an_operand(q, col, objects) end
	elseif op == "null" then
		operand = chance(80) and chance(50) or hostile_value(objects)
	else
		operand = an_operand(q, col, objects)
	end
	local condition = {[op] = operand}
	if chance(20) then condition.accents = chance(80) and chance(50) or "no" end
	if chance(10) then condition[pick(ops)] = an_operand(q, col, objects) end
	return condition
end

local function where_args(q, objects)
	if chance(5) then return {hostile_value(objects)} end
	local conditions = {}
	for _ = 1, random(0, 3) do
		local col = a_column(q)
		if chance(20) then
			conditions[col] = an_operand(q, col, objects)
		elseif chance(10) then
			conditions[col] = {an_operand(q, col, objects), an_operand(q, col, objects)}
		else
			conditions[col] = a_condition(q, col, objects)
		end
	end
	return {conditions}
end

local function sort_keys(q)
	local keys = {}
	for i = 1, random(1, 3) do
		keys[i] = (chance(40) and "-" or "") .. a_column(q)
	end
	if chance(25) then keys[#keys + 1] = {collate = pick(collations)} end
	return keys
end

local plan_call -- below: the call to make on an object
local nesting = 0 -- callbacks planned inside callbacks being planned

-- Callbacks for filter, map and sort(fn): some behave, some do not; some
-- make another call of the API while the first one runs.
local function a_callback(kind, objects)
	local victim = objects[random(#objects)]
	local how = random(13)
	if how == 13 and nesting < 3 then
		nesting = nesting + 1
		local _, fn, args = plan_call(victim, objects)
		nesting = nesting - 1
		return function()
			if type(fn) == "function" then
				pcall(fn, table.unpack(args, 1, args.n or #args))
			end
			return true
		end
	end
	if how == 1 then return function() error("callback failed") end
	elseif how == 2 then return function() collectgarbage() return true end
	elseif how == 3 then return function(a) return a.nope end
	elseif how == 4 then return function() coroutine.yield() end
	elseif how == 5 then
		return function()
			local mt = getmetatable(victim)
			if type(mt) == "table" and mt.__gc then pcall(mt.__gc, victim) end
			collectgarbage()
			return true
		end
	elseif how == 6 then return function(a) return a:totable() end
	elseif how == 7 then return function() return random(2) == 1 end
	elseif how == 8 then
		return function(a) return pcall(function() return #victim + #tostring(a) end) end
	end
	if kind == "sort" then
		local col = pick({"year", "title", "duration", "id"})
		return function(a, b)
			local x, y = a[col], b[col]
			if type(x) ~= type(y) or type(x) == "boolean" then return false end
			return x < y
		end
	end
	return function(a) return a.year end
end

local function aggregate_args(q)
	local by
	local shape = random(6)
	if shape == 1 then by = nil
	elseif shape <= 3 then by = a_column(q)
	elseif shape == 4 then by = pick({"year", "month"}) .. "(" .. a_column(q) .. ")"
	elseif shape == 4 then by = {a_column(q), a_column(q)}
	else by = hostile_value({}) end
	local specs = {}
	for i = 1, random(0, 4) do
		local fn = pick(aggregate_functions)
		local text = fn == "count" and chance(50) and "count"
		             or fn .. "(" .. a_column(q) .. ")"
		if chance(20) then text = text .. " as " .. pick({"x", "count", "", "1"}) end
		if chance(5) then text = pick(strings) end
		specs[i] = text
	end
	if chance(10) then specs = pick(strings) end
	return {by, specs}
end

local function join_args(q, other, objects)
	local keys
	local shape = random(5)
	if shape <= 2 then keys = a_column(q)
	elseif shape == 3 then keys = {a_column(q), a_column(q)}
	elseif shape == 4 then keys = {left = a_column(q), right = a_column(other)}
	else keys = hostile_value(objects) end
	local opts
	if chance(50) then
		opts = {kind = pick({"inner", "left", "semi", "anti", "outer", 3}),
		        suffix = chance(80) and pick({"_r", "", "_right"}) or 5}
		if chance(20) then opts.match = pick({"loose", "exact", 1}) end
	end
	return {other, keys, opts}
end

local function similar_args(q, objects)
	local seed
	local shape = random(5)
	if shape <= 2 then seed = q[random(1, 3)]
	elseif shape == 3 then seed = {q[1], q[2], objects[random(#objects)]}
	elseif shape == 4 then seed = objects[random(#objects)]
	else seed = hostile_value(objects) end
	local opts
	if chance(50) then
		opts = {count = chance(70) and random(0, 20) or pick(numbers)}
		if chance(30) then
			opts.weights = chance(70) and {pick(numbers), pick(numbers), pick(numbers)}
			               or hostile_value(objects)
		end
		if chance(30) then
			opts.signals = {description = pick(numbers), year = pick(numbers),
			                genres = random(0, 2), director = hostile_value({})}
		end
	end
	return {seed, opts}
end

local function format_opts(q)
	if chance(50) then return nil end
	local opts = {}
	if chance(50) then opts.max_rows = a_count() end
	if chance(30) then opts.width = a_count() end
	if chance(30) then opts.columns = {a_column(q), a_column(q)} end
	if chance(10) then opts.nope = 1 end
	if chance(5) then opts[hostile_value({}) or 0] = 1 end
	return opts
end

local function histogram_opts()
	if chance(40) then return nil end
	local opts = {}
	if chance(40) then opts.bins = a_count() end
	if chance(30) then opts.step = pick(numbers) end
	if chance(30) then opts.width = a_count() end
	if chance(30) then opts.max = a_count() end
	return opts
end
-- }======

-- {====== The calls ======
-- Each entry: a name and a function of (receiver, objects) returning the
-- Lua function to run and its arguments; the result, when a Query, a Film
-- or a function (an iterator), joins the objects.
local query_calls = {
	{"count", function(q) return q.count, {q} end},
	{"#", function(q) return function(x) return #x end, {q} end},
	{"[i]", function(q) return function(x, i) return x[i] end, {q, chance(80) and random(-1, 12) or pick(numbers)} end},
	{"each", function(q) return q.each, {q} end},
	{"ipairs", function(q)
		return function(x, stop)
			local n = 0
			for _, f in ipairs(x) do
				n = n + 1
				if n == stop then return f end
			end
		end, {q, random(1, 20)}
	end},
	{"where", function(q, objects) return q.where, {q, table.unpack(where_args(q, objects))} end},
	{"filter", function(q, objects) return q.filter, {q, a_callback("filter", objects)} end},
	{"sort", function(q) return q.sort, {q, table.unpack(sort_keys(q))} end},
	{"sort(fn)", function(q, objects) return q.sort, {q, a_callback("sort", objects)} end},
	{"limit", function(q) return q.limit, {q, a_count()} end},
	{"offset", function(q) return q.offset, {q, a_count()} end},
	{"first", function(q) return q.first, {q} end},
	{"last", function(q) return q.last, {q} end},
	{"random", function(q) return q.random, {q} end},
	{"sample", function(q) return q.sample, {q, a_count()} end},
	{"shuffle", function(q) return q.shuffle, {q} end},
	{"select", function(q)
		local names = {}
		for i = 1, random(0, 3) do names[i] = a_column(q) end
		return q.select, {q, table.unpack(names)}
	end},
	{"sum", function(q) return q.sum, {q, a_column(q)} end},
	{"avg", function(q) return q.avg, {q, a_column(q)} end},
	{"min", function(q) return q.min, {q, a_column(q)} end},
	{"max", function(q) return q.max, {q, a_column(q)} end},
	{"map", function(q, objects) return q.map, {q, a_callback("map", objects)} end},
	{"pluck", function(q) return q.pluck, {q, a_column(q)} end},
	{"explode", function(q)
		return q.explode, {q, chance(70) and pick({"genres", "cast", "description"}) or a_column(q)}
	end},
	{"columns", function(q) return q.columns, {q} end},
	{"aggregate", function(q) return q.aggregate, {q, table.unpack(aggregate_args(q))} end},
	{"group", function(q) return q.group, {q, a_column(q)} end},
	{"join", function(q, objects)
		local other = objects[random(#objects)]
		return q.join, {q, table.unpack(join_args(q, other, objects))}
	end},
	{"search", function(q, objects)
		local text = chance(70) and pick(words) or hostile_value(objects)
		local opts = chance(50) and {rank = chance(50), columns = chance(50) and {a_column(q)} or nil} or nil
		return q.search, {q, text, opts}
	end},
	{"similar", function(q, objects) return q.similar, {q, table.unpack(similar_args(q, objects))} end},
	{"histogram", function(q) return q.histogram, {q, a_column(q), histogram_opts()} end},
	{"format", function(q) return q.format, {q, pick(formats), format_opts(q)} end},
	{"print", function(q) return q.print, {q, pick(formats), format_opts(q)} end},
	{"save", function(q)
		local fmt = chance(30) and pick(formats) or nil
		return q.save, {q, folder .. "/" .. pick(save_names), fmt}
	end},
	{"explain", function(q) return q.explain, {q} end},
	{"tostring", function(q) return tostring, {q} end},
	{"newindex", function(q) return function(x) x.title = 1 end, {q} end},
}

local film_calls = {
	{"field", function(f, objects)
		local key = chance(70) and pick({"title", "year", "duration", "genres", "score", "reason", "count"})
		            or hostile_value(objects)
		return function(x, k) return x[k] end, {f, key}
	end},
	{"tostring", function(f) return tostring, {f} end},
	{"totable", function(f) return function(x) return x:totable() end, {f} end},
	{"==", function(f, objects)
		local other = objects[random(#objects)]
		return function(x, y) return x == y end, {f, other}
	end},
	{"newindex", function(f) return function(x) x.year = 1 end, {f} end},
}

-- A method of a Query called on something else.
local function misplaced_call(objects)
	local name = pick(query_calls)[1]
	local method = films[name]
	if type(method) ~= "function" then method = films.count end
	return "misplaced " .. name, method, {hostile_value(objects), hostile_value(objects)}
end

-- The call to make on `target`: a name, a function and its arguments.
-- A copy of table t whose absent keys are read through __index, which
-- collects garbage or raises: the C side's lua_getfield of an option not
-- given then runs Lua in the middle of reading the arguments.
local function trapped(t)
	local copy, reads, collect = {}, random(0, 3), chance(50)
	for k, v in pairs(t) do copy[k] = v end
	return setmetatable(copy, {__index = function(_, k)
		reads = reads - 1
		if collect then collectgarbage() end
		if reads < 0 then error("trapped read of " .. tostring(k)) end
		return nil
	end})
end

local function trap_tables(args)
	for i = 2, #args do
		if type(args[i]) == "table" and getmetatable(args[i]) == nil and chance(15) then
			args[i] = trapped(args[i])
		end
	end
	return args
end

function plan_call(target, objects)
	local kind = type(target)
	if kind == "function" then
		return "iterate", function(next_one, times)
			local last
			for _ = 1, times do last = table.pack(next_one()) end
			return table.unpack(last)
		end, {target, random(1, 4)}
	end
	local mt = getmetatable(target)
	local calls = type(mt) == "table" and mt.__name == "reel.Film" and film_calls
	              or query_calls
	if chance(3) then return misplaced_call(objects) end
	local entry = pick(calls)
	local ok, fn, args = pcall(entry[2], target, objects)
	if not ok then
		return entry[1] .. " (unplanned)", error, {fn}
	end
	return entry[1], fn, type(args) == "table" and trap_tables(args) or args
end
-- }======

-- {====== Sequences ======
local function describe(value)
	local kind = type(value)
	if kind == "string" then
		return #value > 40 and string.format("%q..(%d)", value:sub(1, 20), #value)
		       or string.format("%q", value)
	elseif kind == "table" then
		local parts = {}
		for k, v in pairs(value) do
			if #parts > 6 then parts[#parts + 1] = "..." break end
			parts[#parts + 1] = tostring(k) .. "=" .. (type(v) == "table" and "{..}" or describe(v))
		end
		return "{" .. table.concat(parts, ", ") .. "}"
	elseif kind == "userdata" then
		return (getmetatable(value) and type(getmetatable(value)) == "table" and
		        getmetatable(value).__name or "userdata")
	end
	return tostring(value)
end

local function note(sequence, step, name, args)
	if not trace then return end
	local parts = {}
	for i = 1, args.n or #args do parts[i] = describe(args[i]) end
	trace:write(sequence, ".", step, " ", name, "(", table.concat(parts, ", "), ")\n")
	trace:flush()
end

local function keep(objects, value)
	local kind = type(value)
	if kind == "userdata" or kind == "function" then
		if #objects >= 24 then table.remove(objects, random(3, #objects)) end
		objects[#objects + 1] = value
	end
end

-- A finalizer that, when it runs, makes a call planned now on what it holds.
local function leave_probe(objects)
	local held = objects[random(#objects)]
	local name, fn, args = plan_call(held, objects)
	setmetatable({}, {__gc = function()
		stats.finalizers = stats.finalizers + 1
		pcall(fn, table.unpack(args, 1, args.n or #args))
		pcall(function() return #held end)
	end})
	return name
end

local function collected_by_hand(objects)
	local victim = objects[random(3, #objects)]
	local mt = getmetatable(victim)
	if type(mt) == "table" and type(mt.__gc) == "function" then
		pcall(mt.__gc, victim)
	end
end

-- One call: a method of one of the objects, or a step of the collector.
local function step(objects, sequence, n)
	local r = random(100)
	if r <= 4 then
		note(sequence, n, "collectgarbage", {})
		collectgarbage(pick({"collect", "step", "step"}))
		stats.collections = stats.collections + 1
		return
	elseif r <= 8 then
		note(sequence, n, "probe", {})
		leave_probe(objects)
		return
	elseif r <= 10 and #objects > 3 then
		note(sequence, n, "__gc by hand", {})
		collected_by_hand(objects)
		return
	elseif r <= 12 then
		-- a collation that is no collation lasts one call
		local value = chance(20) and hostile_value(objects) or pick({"binary", "nocase", "natural"})
		note(sequence, n, "reel.collation =", {value, n = 1})
		reel.collation = value
		return
	elseif r <= 13 then
		local opts = chance(50) and {format = pick({"csv", "json", "tsv", "xml", 1}),
		                             delimiter = chance(20) and pick({",", ";", "", ",,", 0}) or nil,
		                             encoding = chance(20) and pick({"utf-8", "latin1", "ebcdic"}) or nil}
		if opts and chance(30) then
			opts.columns = chance(80) and {duration = pick({"rating", "id", "nope"}), title = "director"}
			               or hostile_value(objects)
		end
		if opts and chance(30) then
			opts.lists = chance(80) and {[pick({"description", "title", "nope"})] = pick({" ", ",", "", true, false})}
			             or hostile_value(objects)
		end
		if opts and chance(20) then opts.nulls = chance(70) and {pick({"", "NA", "\\N"})} or hostile_value(objects) end
		if opts and chance(5) then opts.member = "films.csv" end
		local args = {pick({CSV, JSON, folder, folder .. "/out.csv", folder .. "/out.csv.gz",
		                    folder .. "/out.jsonl", folder .. "/nope", ""}),
		              opts, n = 2}
		note(sequence, n, "reel.load", args)
		stats.calls = stats.calls + 1
		local ok, t = pcall(reel.load, args[1], args[2])
		if ok then keep(objects, t) else stats.errors = stats.errors + 1 end
		return
	end
	if type(reel.collation) ~= "string" then reel.collation = nil end
	if r <= 14 then
		local lengths, counts = {}, {}
		for i = 1, random(0, 30) do
			lengths[i] = chance(95) and random(1, 240) or pick(numbers)
			counts[i] = chance(95) and random(0, 50) or pick(numbers)
		end
		if chance(5) then counts[#counts + 1] = 1 end
		local args = {lengths, counts, chance(90) and random(0, 20000) or pick(numbers), n = 3}
		note(sequence, n, "reel.schedule", args)
		stats.calls = stats.calls + 1
		if not pcall(reel.schedule, args[1], args[2], args[3]) then stats.errors = stats.errors + 1 end
		return
	end
	local target = objects[random(#objects)]
	local name, fn, args = plan_call(target, objects)
	args.n = args.n or #args
	note(sequence, n, name, args)
	stats.calls = stats.calls + 1
	if type(fn) ~= "function" then fn = error end -- a method this build lacks
	local co = coroutine.create(fn)
	local results = table.pack(coroutine.resume(co, table.unpack(args, 1, args.n)))
	local tally = stats.by_name[name] or {0, 0}
	stats.by_name[name] = tally
	if not results[1] or coroutine.status(co) ~= "dead" then
		stats.errors = stats.errors + 1
		tally[2] = tally[2] + 1
		if verbose then stats.messages[name .. ": " .. tostring(results[2]):gsub("%d+", "N")] = true end
		return
	end
	tally[1] = tally[1] + 1
	for i = 2, results.n do keep(objects, results[i]) end
end

local function run_sequence(k)
	math.randomseed(SEED, k)
	reel.seed(SEED + k)
	reel.collation = nil
	local objects = {films, reel.films}
	-- half the time the descriptions are lists of words
	keep(objects, assert(reel.load(CSV, chance(50) and {lists = {description = " "}} or nil)))
	keep(objects, assert(reel.load(JSON)))
	for n = 1, CALLS do step(objects, k, n) end
	reel.collation = nil
end
-- }======

io.stderr:write(string.format("api fuzz: seed %d, sequences %d to %d, %d calls each " ..
	"(replay one: REEL_API_SEED=%d REEL_API_FIRST=K REEL_API_SEQUENCES=1 " ..
	"REEL_API_TRACE=/dev/stderr)\n", SEED, FIRST, FIRST + SEQUENCES - 1, CALLS, SEED))
local started = os.time()
local clock = os.clock()
for k = FIRST, FIRST + SEQUENCES - 1 do run_sequence(k) end
collectgarbage()
collectgarbage()
os.execute("rm -rf '" .. folder .. "'")
io.stderr:write(string.format("api fuzz: %d sequences, %d calls (%d raised), %d " ..
	"finalizers ran, %d collections, %.1f s of processor (%d s)\n", SEQUENCES,
	stats.calls, stats.errors, stats.finalizers, stats.collections,
	os.clock() - clock, os.time() - started))
if verbose then
	local names = {}
	for name in pairs(stats.by_name) do names[#names + 1] = name end
	table.sort(names)
	for _, name in ipairs(names) do
		io.stderr:write(string.format("  %-20s %6d answered %6d raised\n", name,
			stats.by_name[name][1], stats.by_name[name][2]))
	end
	local messages = {}
	for m in pairs(stats.messages) do messages[#messages + 1] = m end
	table.sort(messages)
	for _, m in ipairs(messages) do io.stderr:write("  ! ", m:sub(1, 160), "\n") end
end
