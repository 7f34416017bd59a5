-- tests/diff/sqlite.lua: reel's query answers against sqlite3's. Random
-- catalogues (seeded, reproducible) are written as CSV for reel and as
-- INSERT statements for sqlite3; random query chains (where, filter, sort,
-- sort(fn), limit, offset, joins with B or A itself, looks at the chain half
-- way) end in the rows' ids, a count, aggregates, a group loop or positions.
-- One reel process answers all the chains of a catalogue, one sqlite3
-- process all the chains of the run; each chain is one TAP test, and each
-- catalogue is also compared whole, as loaded.
--
--   prove --exec tests/run tests/diff/sqlite.lua
--   REEL_DIFF_CHAINS=3000 REEL_DIFF_SEED=7 prove --exec tests/run tests/diff/sqlite.lua
--
-- REEL_DIFF_CHAINS: how many chains (default 300); REEL_DIFF_SEED: which
-- (default 1); REEL_DIFF_HUGE=1 (the default from 1000 chains on) makes the
-- first catalogue 30000 rows, past the 4 MiB that reel reads in two halves;
-- REEL_DIFF_KEEP=1 keeps the temporary folder (the CSV files, the SQL and
-- the reel scripts) and says where it is. A failing chain prints the
-- settings that make it again, its Lua and SQL, and both answers.
--
-- The semantics mirrored in SQL (README and DESIGN, "Lua API"):
-- - a sort is stable (the input position is the last ORDER BY key) and puts
--   nulls last both ways: ORDER BY (x IS NULL), x [DESC], ..., position;
-- - strings compare bytewise (sqlite's BINARY collation);
-- - integers and numbers compare by value (sqlite compares them exactly);
-- - a null matches no comparison (ne included), only {null = true} (and
--   eq = reel.null); `in` is IN (...), an empty set matching nothing;
-- - contains folds case: instr(lower(x), lower(needle)) > 0, with needles of
--   ASCII only and texts whose case folding leaves ASCII letters ASCII and
--   non-ASCII letters non-ASCII (no ß, no Kelvin sign, no decomposed
--   accents), so that lower() of ASCII letters is all the folding that shows;
-- - groups come in ascending key order, the null group last, each group's
--   rows in input order; a join keeps the left order and each left row's
--   matches in right order; a null key never matches; 7 meets 7.0;
-- - sum of integers is an integer while it fits int64, else a number; avg
--   is a number; min and max keep the column's kind; nil on no values.
-- - a date column is ISO text in sqlite (a date alone, or a date-time in
--   UTC with a Z, no fractions), whose bytewise order is reel's time order;
--   the CSV spells some of them otherwise (a space for the T, no zone,
--   +00:00; whole columns as "Jun 12 1998"); year(col) is the text's first
--   four digits as an integer.
-- A boolean column is 0/1 in sqlite. Sums and averages of numbers may round
-- differently (reel adds with compensation): they agree within 1e-11 of
-- the sum (or mean) of the magnitudes.

dofile("tests/lua/tap.lua")

local function env_integer(name, default)
	local text = os.getenv(name)
	if text == nil or text == "" then return default end
	local n = math.tointeger(tonumber(text))
	if n == nil then error(name .. " must be an integer, not " .. text) end
	return n
end

local CHAINS = env_integer("REEL_DIFF_CHAINS", 300)
local SEED = env_integer("REEL_DIFF_SEED", 1)
local KEEP = (os.getenv("REEL_DIFF_KEEP") or "") ~= ""
-- A first catalogue of 30000 rows (5 MB of CSV, which reel reads in two
-- halves at once) when asked, or when the run is long.
local HUGE = env_integer("REEL_DIFF_HUGE", CHAINS >= 1000 and 1 or 0) ~= 0
local PER_CATALOGUE = 12
local REEL = arg and arg[-1] or "./reel"

local function shell_quote(s)
	return "'" .. s:gsub("'", "'\\''") .. "'"
end

local function command_output(command)
	local pipe = io.popen(command)
	local text = pipe:read("a")
	pipe:close()
	return text
end

if not os.execute("command -v sqlite3 >/dev/null 2>&1") then
	io.write("1..0 # SKIP sqlite3 is not installed\n")
	os.exit(0)
end

-- {====== Random numbers: splitmix64, the same on every machine ======

local function generator(seed)
	local state = seed
	local g = {}
	function g.next()
		state = state + 0x9e3779b97f4a7c15
		local z = state
		z = (z ~ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ~ (z >> 27)) * 0x94d049bb133111eb
		return z ~ (z >> 31)
	end
	function g.below(n) return (g.next() >> 1) % n end -- 0 .. n-1
	function g.int(lo, hi) return lo + g.below(hi - lo + 1) end
	function g.float() return (g.next() >> 11) * 2.0^-53 end
	function g.chance(p) return g.float() < p end
	function g.pick(list) return list[g.below(#list) + 1] end
	function g.shuffle(list)
		for i = #list, 2, -1 do
			local j = g.int(1, i)
			list[i], list[j] = list[j], list[i]
		end
		return list
	end
	return g
end
-- }======

-- {====== Values and how each side spells them ======

local NULL = setmetatable({}, {__tostring = function() return "NULL" end})

-- The shortest text that reads back as x, always with a point or an
-- exponent so that it stays a float (Lua) or a REAL (sqlite, reel's CSV).
local function float_text(x)
	local s
	for digits = 15, 17 do
		s = string.format("%." .. digits .. "g", x)
		if tonumber(s) == x then break end
	end
	if not s:find("[.eEn]") then s = s .. ".0" end
	return s
end

local function lua_string(s)
	return '"' .. (s:gsub('[%c"\\]', function(c)
		if c == "\n" then return "\\n" end
		if c == "\t" then return "\\t" end
		if c == '"' or c == "\\" then return "\\" .. c end
		return string.format("\\%03d", c:byte())
	end)) .. '"'
end

-- Control characters as char(n), so that each SQL statement is one line.
local function sql_string(s)
	local parts, run = {}, {}
	for i = 1, #s do
		local c = s:sub(i, i)
		if c:find("%c") then
			if #run > 0 then parts[#parts + 1] = "'" .. table.concat(run) .. "'" end
			run = {}
			parts[#parts + 1] = "char(" .. c:byte() .. ")"
		else
			run[#run + 1] = c == "'" and "''" or c
		end
	end
	if #run > 0 or #parts == 0 then parts[#parts + 1] = "'" .. table.concat(run) .. "'" end
	if #parts == 1 then return parts[1] end
	return "(" .. table.concat(parts, "||") .. ")"
end

local function lua_value(v)
	if v == NULL then return "reel.null" end
	if type(v) == "string" then return lua_string(v) end
	if type(v) == "boolean" then return tostring(v) end
	if math.type(v) == "integer" then
		return v == math.mininteger and "math.mininteger" or string.format("%d", v)
	end
	if v == math.huge then return "math.huge" end
	if v == -math.huge then return "-math.huge" end
	return float_text(v)
end

local function sql_value(v)
	if v == NULL then return "NULL" end
	if type(v) == "string" then return sql_string(v) end
	if type(v) == "boolean" then return v and "1" or "0" end
	if math.type(v) == "integer" then
		return v == math.mininteger and "(-9223372036854775807-1)" or string.format("%d", v)
	end
	if v == math.huge then return "9e999" end
	if v == -math.huge then return "-9e999" end
	return float_text(v)
end

local MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
	"Sep", "Oct", "Nov", "Dec"}

-- A date's ISO text as the CSV writes it: as it is, or in another spelling
-- reel reads as the same date.
local function date_text(v, g, c)
	local y, m, d, time = v:match("^(%d+)-(%d+)-(%d+)(.*)$")
	if c.written then
		return g.chance(0.5) and string.format("%s %d %s", MONTHS[tonumber(m)], tonumber(d), y)
		                      or string.format("%d %s %s", tonumber(d), MONTHS[tonumber(m)], y)
	end
	if time == "" then return v end
	local clock = time:sub(2, -2)
	return string.format("%s-%s-%s%s%s%s", y, m, d, g.pick{"T", " "}, clock,
	                     g.pick{"Z", "", "+00:00", "-0000"})
end

local function csv_cell(v, g, c)
	if v == NULL then return "" end
	if c.kind == "date" then v = date_text(v, g, c) end
	if type(v) == "boolean" then
		if c.bool_case and g.chance(0.5) then
			return g.pick(v and {"TRUE", "True"} or {"FALSE", "False"})
		end
		return tostring(v)
	end
	if math.type(v) == "integer" then return string.format("%d", v) end
	if type(v) == "number" then
		-- a whole number as integer text: reel reads the column as numbers
		-- once it meets a fraction further down
		if c.int_text and math.tointeger(v) then
			return string.format("%d", math.tointeger(v))
		end
		return float_text(v)
	end
	if v == "" or v:find('[,"\r\n]') or g.chance(0.3) then
		return '"' .. v:gsub('"', '""') .. '"'
	end
	return v
end
-- }======

-- {====== Catalogues ======

local TWO53 = 9007199254740992

local ASCII_WORDS = {
	"alpha", "Alpha", "ALPHA", "alphabet", "beta", "Beta test", "gamma, delta",
	'say "hi"', "O'Brien", "", " ", "  padded ", "x", "X", "xy", "xY z", "12",
	"007", "-5", "1e3", "true", "FALSE", "a|b", "tab\there", "two\nlines",
	"back\\slash", "Zebra", "zebra", "~tilde", "NULL", "NA", "a,b,c", '""',
	"The Host", "the host", "Oldboy", "OLDBOY", "old boy",
} -- no NUL: a catalogue holding one is refused (operands still get one)
-- Non-ASCII text whose case folding neither makes nor takes ASCII letters.
local UNICODE_WORDS = {
	"Amélie", "amélie", "AMÉLIE", "괴물", "괴물 2", "괴", "Ünïcödé", "naïve",
	"Naïve", "Ελλάδα", "ελλάδα", "Москва", "москва", "日本語", "🎬 film", "",
	"Zoë", "café", "cafe", "Café, crème", "l'été", "«quoted»", "señor",
	"SEÑOR", "a", "B", "Ωmega", "Åsa", "Mother (마더)", 'He said "안녕"',
}
-- Text that reads as numbers or booleans, before the first word of its
-- column: reel reads the column again from its first row as text.
local NUMBER_LIKE = {"12", "007", "-5", "1e3", "0.50", "+7", "true", "FALSE",
	"9007199254740993", "-0", "1.", ".5"}
local LONG_PREFIX = ("The quick brown fox jumps over the lazy dog; "):rep(3)
local LONG_WORDS = {
	"prison", "Prison", "PRISON", "brother", "mother", "a", "the", "The",
	"amnesia", "Silenced", "Amélie", "괴물", "deaf school", "Paris", "paris",
	"road trip", "film,", '"quoted"', "ÉCOLE", "école",
}
local KEY_WORDS = {"a", "A", "b", "é", "É", "괴물", "", "a ", "k,1", "Amélie"}

local function letters(g, alphabet, lo, hi)
	local out = {}
	for i = 1, g.int(lo, hi) do
		local at = g.int(1, #alphabet)
		out[i] = alphabet:sub(at, at)
	end
	return table.concat(out)
end

local gens = {}
function gens.small(g) return g.int(-3, 5) end
function gens.wide(g, c, r, rows)
	local pick = g.below(10)
	-- narrow (32 bits) all along, or up to late in the column
	if c.narrow or (c.late and r <= 0.8 * rows) or pick < 3 then
		if g.chance(0.2) then return g.pick{2147483647, -2147483648, 0, -1} end
		return g.int(-2147483648, 2147483647)
	elseif pick < 5 then
		return g.pick{2147483648, -2147483649, 4294967296, 4294967295, -4294967296}
	elseif pick < 7 then
		return (TWO53 + g.int(-3, 3)) * (g.chance(0.5) and 1 or -1)
	elseif pick < 8 then
		return g.int(TWO53, TWO53 + (1 << 40)) * (g.chance(0.5) and 1 or -1)
	elseif g.chance(0.1) then -- sums past int64 become numbers
		return g.pick{math.maxinteger, math.mininteger, math.maxinteger - 1,
		              math.mininteger + 1, 1 << 62, -(1 << 62)}
	end
	return g.int(-1000000000000, 1000000000000)
end
function gens.quarter(g) return g.int(-8, 12) / 4 end
function gens.real(g)
	local pick = g.below(10)
	local x
	if pick < 2 then
		x = g.pick{0.1, 0.2, 0.3, 1 / 3, 2.0^53, 2.0^53 + 2, 1e300, -1e300,
		           1e-300, 0.5, -0.5, 7.0, 1e15, 123456789.125}
	elseif pick < 4 then
		x = g.int(-1000, 1000) / 8
	else
		x = g.float() * 10.0^g.int(-6, 18)
		if g.chance(0.4) then x = -x end
	end
	if x == 0 then x = 0.0 end -- never a negative zero
	return x
end
function gens.ascii(g)
	if g.chance(0.7) then return g.pick(ASCII_WORDS) end
	return letters(g, "abcdeABCDE ,'\"", 0, 8)
end
function gens.unicode(g) return g.pick(UNICODE_WORDS) end
function gens.coin(g) return g.chance(0.5) end
function gens.long(g)
	local words = {}
	for i = 1, g.int(0, 25) do words[i] = g.pick(LONG_WORDS) end
	local text = table.concat(words, " ")
	if g.chance(0.3) then text = LONG_PREFIX .. text end
	return text
end
function gens.date(g, c)
	local day = string.format("%04d-%02d-%02d", g.int(1995, 2004), g.int(1, 12), g.int(1, 28))
	if c.times and g.chance(0.7) then
		return string.format("%sT%02d:%02d:%02dZ", day, g.int(0, 23), g.int(0, 59), g.int(0, 59))
	end
	return day
end
function gens.key(g, c) return g.int(0, c.range) end
function gens.key_text(g) return g.pick(KEY_WORDS) end
function gens.key_number(g, c)
	local x = g.int(0, c.range) + 0.0
	if g.chance(0.25) then x = x + 0.5 end
	return x
end

local A_COLUMNS = {
	{name = "id", kind = "int"},
	{name = "i1", kind = "int", gen = gens.small},
	{name = "i2", kind = "int", gen = gens.wide},
	{name = "n1", kind = "num", gen = gens.quarter},
	{name = "n2", kind = "num", gen = gens.real},
	{name = "s1", kind = "str", gen = gens.ascii},
	{name = "s2", kind = "str", gen = gens.unicode},
	{name = "b1", kind = "bool", gen = gens.coin},
	{name = "k", kind = "int", gen = gens.key},
	{name = "ks", kind = "str", gen = gens.key_text},
	{name = "t", kind = "str", gen = gens.long},
	{name = "d1", kind = "date", gen = gens.date},
}
local B_COLUMNS = {
	{name = "id", kind = "int"},
	{name = "k", kind = "int", gen = gens.key},
	{name = "ks", kind = "str", gen = gens.key_text},
	{name = "kn", kind = "num", gen = gens.key_number},
	{name = "v", kind = "int", gen = gens.wide},
	{name = "w", kind = "str", gen = gens.unicode},
}

-- Whether reel's type inference could read a text cell as something else
-- than text (a number or a boolean) or as nothing special.
local function plain_text(s)
	local lower = s:lower()
	local marker = s == "NULL" or s == "NA" or s == "N/A" or s == "\\N"
	return s:find("%a") ~= nil and not marker and tonumber(s) == nil and lower ~= "true" and
	       lower ~= "false" and not lower:find("^%s*[-+]?inf") and
	       not lower:find("^%s*[-+]?nan")
end

local function make_table(g, specs, rows, range, huge)
	local t = {rows = rows, columns = {}}
	local ids = {}
	for i = 1, rows do ids[i] = i end
	g.shuffle(ids)
	for _, spec in ipairs(specs) do
		local c = {name = spec.name, kind = spec.kind, cells = {}, range = range}
		c.narrow = g.chance(0.5)
		c.int_text = spec.kind == "num" and g.chance(0.3)
		c.late = g.chance(0.3) -- the kind of the cells changes late in the column
		c.bool_case = spec.kind == "bool" and g.chance(0.3)
		if spec.kind == "date" then
			c.written = g.chance(0.25)
			c.times = not c.written and g.chance(0.6)
		end
		local number_like = spec.kind == "str" and g.chance(0.15)
		local null_rate = spec.name == "id" and 0 or
			g.pick{0, 0, 0.05, 0.2, 0.5, 0.9, 1}
		if huge and spec.name == "t" then null_rate = 0 end
		local seen = {}
		for r = 1, rows do
			local v
			if spec.name == "id" then
				v = ids[r]
			elseif g.chance(null_rate) then
				v = NULL
			elseif #seen > 0 and g.chance(0.25) then
				v = g.pick(seen) -- a tie
			elseif number_like and r <= rows * 0.7 then
				v = g.pick(NUMBER_LIKE)
			else
				v = spec.gen(g, c, r, rows)
				-- whole numbers (as integer text) until late in the column
				if c.int_text and c.late and r <= 0.8 * rows then v = math.floor(v) + 0.0 end
				seen[#seen + 1] = v
			end
			c.cells[r] = v
		end
		-- reel reads a column as text once one cell is plain text
		if spec.kind == "str" then
			local last, plain
			for r = 1, rows do
				local v = c.cells[r]
				if v ~= NULL then
					last = r
					plain = plain or plain_text(v)
				end
			end
			if last and not plain then c.cells[last] = "plain" end
		end
		-- what reel infers: the kind of the cells; text when there are none
		c.values = {}
		for r = 1, rows do
			if c.cells[r] ~= NULL then c.values[#c.values + 1] = c.cells[r] end
		end
		c.type = #c.values > 0 and spec.kind or "str"
		if c.int_text then -- all whole numbers would read as integers
			c.int_text = false
			for _, v in ipairs(c.values) do
				if not math.tointeger(v) then c.int_text = true end
			end
		end
		t.columns[#t.columns + 1] = c
		t.columns[c.name] = c
	end
	return t
end

local function write_csv(t, path, g)
	local order = {}
	for i, c in ipairs(t.columns) do order[i] = c end
	g.shuffle(order)
	local lines, header = {}, {}
	for i, c in ipairs(order) do header[i] = c.name end
	lines[1] = table.concat(header, ",")
	for r = 1, t.rows do
		local cells = {}
		for i, c in ipairs(order) do cells[i] = csv_cell(c.cells[r], g, c) end
		lines[#lines + 1] = table.concat(cells, ",")
	end
	local f = assert(io.open(path, "w"))
	if g.chance(0.1) then f:write("\239\187\191") end -- a byte order mark
	f:write(table.concat(lines, g.chance(0.3) and "\r\n" or "\n"))
	if g.chance(0.8) then f:write("\n") end
	f:close()
end

local SQL_TYPES = {int = "INTEGER", num = "REAL", str = "TEXT", bool = "INTEGER",
                   date = "TEXT"}

local function sql_table(t, name, out)
	local defs = {"pos INTEGER"}
	for _, c in ipairs(t.columns) do
		defs[#defs + 1] = '"' .. c.name .. '" ' .. SQL_TYPES[c.kind]
	end
	out[#out + 1] = "CREATE TABLE " .. name .. " (" .. table.concat(defs, ", ") .. ");"
	for r = 1, t.rows do
		local values = {tostring(r)}
		for _, c in ipairs(t.columns) do values[#values + 1] = sql_value(c.cells[r]) end
		out[#out + 1] = "INSERT INTO " .. name .. " VALUES (" .. table.concat(values, ", ") .. ");"
	end
end
-- }======

-- {====== Query chains ======
-- A relation is what a chain has made so far: its Lua expression, the
-- name of its SQL CTE and its columns ({name, type, values, kind}).

local function copy_columns(columns)
	local out = {}
	for i, c in ipairs(columns) do out[i] = c end
	return out
end

local function numeric(c) return c.type == "int" or c.type == "num" end

-- A number near the column's values, or an awkward one.
local function number_operand(g, c)
	local pick = g.below(20)
	local v = #c.values > 0 and g.pick(c.values) or g.int(-5, 5)
	if type(v) ~= "number" then v = g.int(-5, 5) end
	if pick < 8 then return v end
	if pick < 10 then -- the same value as the other kind of number
		if math.type(v) == "integer" then return v + 0.0 end
		return math.tointeger(v) or v
	end
	if pick < 12 then return v + g.pick{-1, 1} end
	if pick < 14 then return v + 0.5 end
	if pick < 16 then return g.int(-5, 12) end
	if pick < 17 then return g.int(-5, 12) / 4 end
	return g.pick{math.maxinteger, math.mininteger, 2.0^63, -2.0^63, 1e300,
	              -1e300, math.huge, -math.huge, TWO53, TWO53 + 1, 2.0^53,
	              -TWO53 - 1, 2147483647, 2147483648, -2147483649}
end

local function text_operand(g, c)
	local pick = g.below(10)
	local v = #c.values > 0 and g.pick(c.values) or g.pick(ASCII_WORDS)
	if type(v) ~= "string" then v = g.pick(ASCII_WORDS) end
	if pick < 6 then return v end
	if pick < 7 then return v .. g.pick{"a", " ", "\0"} end
	if pick < 8 then return v:sub(1, math.max(0, #v - 1)) end
	if pick < 9 then return g.pick(UNICODE_WORDS) end
	return g.pick(ASCII_WORDS)
end

local function date_operand(g, c)
	local v = #c.values > 0 and g.pick(c.values) or gens.date(g, c)
	if g.chance(0.3) then v = gens.date(g, c) end
	if g.chance(0.2) then v = v:sub(1, 10) end -- a date alone: before its midnight
	return v
end

local function operand(g, c)
	if c.type == "bool" then return g.chance(0.5) end
	if c.type == "date" then return date_operand(g, c) end
	if c.type == "str" then return text_operand(g, c) end
	return number_operand(g, c)
end

-- A needle for contains: ASCII only, case changed at random.
local function needle(g, c)
	if g.chance(0.1) then return "" end
	local v = #c.values > 0 and g.pick(c.values) or "alpha"
	if type(v) ~= "string" then v = "alpha" end
	local ascii = v:gsub("[\128-\255]+", "\0")
	local runs = {}
	for run in ascii:gmatch("[^%z]+") do runs[#runs + 1] = run end
	local text
	if #runs == 0 or g.chance(0.15) then
		text = letters(g, "abcdeABCDEhlmo ", 1, 3)
	else
		local run = g.pick(runs)
		local i = g.int(1, #run)
		text = run:sub(i, g.int(i, #run))
	end
	return (text:gsub("%a", function(ch)
		if g.chance(0.5) then return ch end
		return ch:lower() == ch and ch:upper() or ch:lower()
	end))
end

local ORDER_OPS = {"lt", "le", "gt", "ge"}
local SQL_OPS = {eq = "=", ne = "<>", lt = "<", le = "<=", gt = ">", ge = ">="}

local function quoted(name) return '"' .. name .. '"' end

-- One op on column c: its Lua (`op = value`) and its SQL condition.
local function condition_op(g, c)
	local col = quoted(c.name)
	local ops = {"eq", "ne", "in", "null"}
	if c.type ~= "bool" then
		for _, op in ipairs(ORDER_OPS) do ops[#ops + 1] = op end
		ops[#ops + 1] = "between"
	end
	if c.type == "str" then
		ops[#ops + 1] = "contains"
		ops[#ops + 1] = "contains"
	end
	local op = g.pick(ops)
	if op == "null" then
		local want = g.chance(0.5)
		return op, "null = " .. tostring(want), col .. (want and " IS NULL" or " IS NOT NULL")
	elseif (op == "eq" or op == "ne") and g.chance(0.08) then
		return op, op .. " = reel.null", col .. (op == "eq" and " IS NULL" or " IS NOT NULL")
	elseif op == "in" then
		local set, lua, sql = {}, {}, {}
		for i = 1, g.pick{0, 1, 1, 2, 3, 5, 20} do
			set[i] = operand(g, c)
			lua[i] = lua_value(set[i])
			sql[i] = sql_value(set[i])
		end
		return op, '["in"] = {' .. table.concat(lua, ", ") .. "}",
			col .. " IN (" .. table.concat(sql, ", ") .. ")"
	elseif op == "between" then
		local lo, hi = operand(g, c), operand(g, c)
		if g.chance(0.7) and ((type(lo) == "string") == (type(hi) == "string")) and
			((type(lo) == "string" and lo > hi) or (type(lo) == "number" and lo > hi)) then
			lo, hi = hi, lo
		end
		return op, "between = {" .. lua_value(lo) .. ", " .. lua_value(hi) .. "}",
			col .. " BETWEEN " .. sql_value(lo) .. " AND " .. sql_value(hi)
	elseif op == "contains" then
		local text = needle(g, c)
		return op, "contains = " .. lua_value(text),
			"instr(lower(" .. col .. "), lower(" .. sql_value(text) .. ")) > 0"
	end
	local v = operand(g, c)
	return op, op .. " = " .. lua_value(v), col .. " " .. SQL_OPS[op] .. " " .. sql_value(v)
end

-- One column's condition of a where: `name = ...` and its SQL.
local function condition(g, c)
	local col = quoted(c.name)
	local pick = g.below(10)
	if pick < 2 then -- a plain value: eq
		local v = operand(g, c)
		return c.name .. " = " .. lua_value(v), col .. " = " .. sql_value(v)
	elseif pick < 3 then -- a plain array: in
		local lua, sql = {}, {}
		for i = 1, g.pick{0, 1, 2, 3} do
			local v = operand(g, c)
			lua[i], sql[i] = lua_value(v), sql_value(v)
		end
		return c.name .. " = {" .. table.concat(lua, ", ") .. "}",
			col .. " IN (" .. table.concat(sql, ", ") .. ")"
	elseif pick < 4 and g.chance(0.3) then
		return c.name .. " = reel.null", col .. " IS NULL"
	end
	local lua, sql, used = {}, {}, {}
	for _ = 1, g.pick{1, 1, 1, 2, 2, 3} do
		local op, l, s = condition_op(g, c)
		if not used[op] then
			used[op] = true
			lua[#lua + 1], sql[#sql + 1] = l, s
		end
	end
	return c.name .. " = {" .. table.concat(lua, ", ") .. "}",
		"(" .. table.concat(sql, " AND ") .. ")"
end

local function new_cte(state, body)
	state.count = state.count + 1
	local name = "t" .. state.count
	state.ctes[#state.ctes + 1] = name .. body
	return name
end

local function column_list(columns)
	local names = {}
	for i, c in ipairs(columns) do names[i] = quoted(c.name) end
	return table.concat(names, ", ")
end

local function step_where(g, rel, state)
	local chosen, lua, sql = {}, {}, {}
	local texts = {}
	for _, c in ipairs(rel.columns) do
		if c.type == "str" then texts[#texts + 1] = c end
	end
	if #texts > 0 and g.chance(0.2) then -- contains alone
		local c = g.pick(texts)
		local text = needle(g, c)
		rel.lua = rel.lua .. ":where{" .. c.name .. " = {contains = " .. lua_value(text) .. "}}"
		rel.cte = new_cte(state, " AS (SELECT * FROM " .. rel.cte .. " WHERE instr(lower(" ..
			quoted(c.name) .. "), lower(" .. sql_value(text) .. ")) > 0)")
		rel.steps[#rel.steps + 1] = "where(contains)"
		return
	end
	local n = g.pick{0, 1, 1, 1, 2, 2, 3}
	if n == 0 and not g.chance(0.3) then n = 1 end
	for _ = 1, n do
		local c = g.pick(rel.columns)
		if not chosen[c.name] then
			chosen[c.name] = true
			local l, s = condition(g, c)
			lua[#lua + 1], sql[#sql + 1] = l, s
		end
	end
	rel.lua = rel.lua .. ":where{" .. table.concat(lua, ", ") .. "}"
	local where = #sql > 0 and (" WHERE " .. table.concat(sql, " AND ")) or ""
	rel.cte = new_cte(state, " AS (SELECT * FROM " .. rel.cte .. where .. ")")
	rel.steps[#rel.steps + 1] = "where"
end

-- A Lua filter with the same meaning as a simple SQL condition.
local function step_filter(g, rel, state)
	local c = g.pick(rel.columns)
	local lua, sql
	if numeric(c) then
		local op = g.pick{"<", "<=", ">", ">=", "==", "~="}
		local v = number_operand(g, c)
		lua = "local x = f." .. c.name .. " return x ~= nil and x " .. op .. " " .. lua_value(v)
		sql = quoted(c.name) .. " " .. (op == "==" and "=" or op == "~=" and "<>" or op) ..
			" " .. sql_value(v)
	else
		local v = operand(g, c)
		local op = g.pick{"==", "~="}
		lua = "local x = f." .. c.name .. " return x ~= nil and x " .. op .. " " .. lua_value(v)
		sql = quoted(c.name) .. (op == "==" and " = " or " <> ") .. sql_value(v)
	end
	rel.lua = rel.lua .. ":filter(function(f) " .. lua .. " end)"
	rel.cte = new_cte(state, " AS (SELECT * FROM " .. rel.cte .. " WHERE " .. sql .. ")")
	rel.steps[#rel.steps + 1] = "filter"
end

local function reorder(rel, state, order_by)
	local cols = column_list(rel.columns)
	rel.cte = new_cte(state, "(" .. cols .. ", ord) AS (SELECT " .. cols ..
		", ROW_NUMBER() OVER (ORDER BY " .. order_by .. "ord) FROM " .. rel.cte .. ")")
end

local function step_sort(g, rel, state)
	local pool = g.shuffle(copy_columns(rel.columns))
	local keys, order = {}, {}
	for i = 1, g.pick{1, 1, 2, 2, 3} do
		local c = pool[i]
		if c == nil then break end
		local down = g.chance(0.4)
		keys[#keys + 1] = lua_string((down and "-" or "") .. c.name)
		order[#order + 1] = "(" .. quoted(c.name) .. " IS NULL), " .. quoted(c.name) ..
			(down and " DESC" or "") .. ", "
	end
	rel.lua = rel.lua .. ":sort(" .. table.concat(keys, ", ") .. ")"
	reorder(rel, state, table.concat(order))
	rel.steps[#rel.steps + 1] = "sort"
end

-- sort(fn): a comparator on a number column, nulls last.
local function step_sort_function(g, rel, state)
	local candidates = {}
	for _, c in ipairs(rel.columns) do
		if numeric(c) then candidates[#candidates + 1] = c end
	end
	if #candidates == 0 then return step_sort(g, rel, state) end
	local c = g.pick(candidates)
	local down = g.chance(0.5)
	rel.lua = rel.lua .. ":sort(function(a, b) local x, y = a." .. c.name .. ", b." ..
		c.name .. " if x == nil then return false elseif y == nil then return true end return x " ..
		(down and ">" or "<") .. " y end)"
	reorder(rel, state, "(" .. quoted(c.name) .. " IS NULL), " .. quoted(c.name) ..
		(down and " DESC" or "") .. ", ")
	rel.steps[#rel.steps + 1] = "sort(fn)"
end

local function count_argument(g)
	if g.chance(0.7) then return g.int(0, 12) end
	if g.chance(0.9) then return g.int(0, 400) end
	return g.int(0, 6000)
end

local function step_limit(g, rel, state)
	local n = count_argument(g)
	rel.lua = rel.lua .. ":limit(" .. n .. ")"
	rel.cte = new_cte(state, " AS (SELECT * FROM " .. rel.cte .. " ORDER BY ord LIMIT " .. n .. ")")
	rel.steps[#rel.steps + 1] = "limit"
end

local function step_offset(g, rel, state)
	local n = count_argument(g)
	rel.lua = rel.lua .. ":offset(" .. n .. ")"
	rel.cte = new_cte(state, " AS (SELECT * FROM " .. rel.cte ..
		" ORDER BY ord LIMIT -1 OFFSET " .. n .. ")")
	rel.steps[#rel.steps + 1] = "offset"
end

local aggregate, aggregate_table, sql_token, select_rows, sql_integer_sum -- below

-- A look at the chain so far (#q, its first film or an aggregate) before it
-- goes on: the rest of the chain builds on a query that has been run.
local function step_probe(g, rel, state)
	state.probes = state.probes + 1
	local name = "p" .. state.probes
	state.stmts[#state.stmts + 1] = "local " .. name .. " = " .. rel.lua
	rel.lua = name
	-- the look may go a step further on a branch of its own
	local main = rel
	if g.chance(0.5) then
		rel = {lua = name, cte = rel.cte, columns = rel.columns, steps = {}}
		g.pick{step_where, step_sort, step_limit, step_offset}(g, rel, state)
	end
	local pick, lua, sql = g.below(3)
	local from = "FROM " .. rel.cte
	if pick == 0 then
		lua, sql = "#" .. rel.lua, "'i:'||count(*)"
	elseif pick == 1 then
		lua = rel.lua .. ":first() and " .. rel.lua .. ":first().id"
		sql = sql_token("(SELECT id FROM " .. rel.cte .. " ORDER BY ord LIMIT 1)")
		from = ""
	else
		lua, sql = aggregate(g, rel, rel.lua)
	end
	state.stmts[#state.stmts + 1] = "row(" .. lua .. ")"
	state.sql[#state.sql + 1] = select_rows(state, {sql}, from)
	main.steps[#main.steps + 1] = rel == main and "probe" or "probe(" .. rel.steps[1] .. ")"
end

local function add_steps(g, rel, state, most)
	for _ = 1, g.int(0, most) do
		local pick = g.below(100)
		if pick < 5 then step_probe(g, rel, state)
		elseif pick < 42 then step_where(g, rel, state)
		elseif pick < 50 then step_filter(g, rel, state)
		elseif pick < 72 then step_sort(g, rel, state)
		elseif pick < 77 then step_sort_function(g, rel, state)
		elseif pick < 90 then step_limit(g, rel, state)
		else step_offset(g, rel, state) end
	end
end

local function base(lua, table_name, t, state)
	local rel = {lua = lua, columns = {}, steps = {}}
	for i, c in ipairs(t.columns) do
		rel.columns[i] = {name = c.name, type = c.type, kind = c.kind, values = c.values}
	end
	rel.cte = new_cte(state, "(" .. column_list(rel.columns) .. ", ord) AS (SELECT " ..
		column_list(rel.columns) .. ", pos FROM " .. table_name .. ")")
	return rel
end

-- Key pairs (left, right) of A with B, and of A with itself.
local JOIN_KEYS = {
	{"k", "k"}, {"k", "k"}, {"ks", "ks"}, {"ks", "ks"}, {"k", "kn"}, {"n1", "k"},
	{"i1", "k"}, {"s2", "w"}, {"n1", "kn"},
}
local SELF_KEYS = {
	{"k", "k"}, {"ks", "ks"}, {"i1", "k"}, {"s2", "s2"}, {"n1", "i1"}, {"b1", "b1"},
	{"id", "id"}, {"n2", "n2"}, {"t", "t"}, {"s1", "s1"},
}
-- Keys of few ties, so that a self-join of thousands of rows stays small.
local BIG_SELF_KEYS = {{"id", "id"}, {"t", "t"}}

-- The key pairs of a join: one pair, or now and then two different ones.
local function join_pairs(g, pairs)
	local first = g.pick(pairs)
	local second = g.pick(pairs)
	if g.chance(0.3) and (second[1] ~= first[1] or second[2] ~= first[2]) then
		return {first, second}
	end
	return {first}
end

-- The keys argument of join(), in one of the forms reel takes.
local function join_keys_lua(g, keys)
	local same, left, right = true, {}, {}
	for i, pair in ipairs(keys) do
		same = same and pair[1] == pair[2]
		left[i], right[i] = lua_string(pair[1]), lua_string(pair[2])
	end
	local function list(names)
		if #names == 1 and g.chance(0.5) then return names[1] end
		return "{" .. table.concat(names, ", ") .. "}"
	end
	if same and g.chance(0.5) then return list(left) end
	return "{left = " .. list(left) .. ", right = " .. list(right) .. "}"
end

local function join_condition(keys)
	local parts = {}
	for i, pair in ipairs(keys) do
		parts[i] = "l." .. quoted(pair[1]) .. " = r." .. quoted(pair[2])
	end
	return table.concat(parts, " AND ")
end

-- A right column left out of the result: a key with its left key's name.
local function repeats_key(keys, name)
	for _, pair in ipairs(keys) do
		if pair[2] == name and pair[1] == name then return true end
	end
	return false
end

-- semi and anti joins keep the left's rows (and columns) that have a match,
-- or none.
local function filter_join(rel, right, state, keys, kind)
	local select = {}
	for i, c in ipairs(rel.columns) do select[i] = "l." .. quoted(c.name) end
	rel.cte = new_cte(state, "(" .. column_list(rel.columns) .. ", ord) AS (SELECT " ..
		table.concat(select, ", ") .. ", l.ord FROM " .. rel.cte .. " AS l WHERE " ..
		(kind == "anti" and "NOT " or "") .. "EXISTS (SELECT 1 FROM " .. right.cte ..
		" AS r WHERE " .. join_condition(keys) .. "))")
end

-- rel:join(right, keys, opts); the result's columns are named as reel
-- names them (a right key left out when it shares its left key's name, a
-- clashing right name suffixed with _2).
local function step_join(g, rel, right, state, pairs)
	local keys = join_pairs(g, pairs)
	local kind = g.pick{"inner", "inner", "left", "left", "semi", "anti"}
	local options = {}
	if kind ~= "inner" then options[1] = "kind = " .. lua_string(kind)
	elseif g.chance(0.3) then options[1] = 'kind = "inner"' end
	local suffix = "_2"
	if g.chance(0.2) then
		suffix = g.pick{"_r", "2", "_2"}
		options[#options + 1] = "suffix = " .. lua_string(suffix)
	end
	local opts = #options > 0 and (", {" .. table.concat(options, ", ") .. "}") or ""
	rel.lua = rel.lua .. ":join(" .. right.lua .. ", " .. join_keys_lua(g, keys) .. opts .. ")"
	local names_of = {}
	for i, pair in ipairs(keys) do names_of[i] = pair[1] .. "=" .. pair[2] end
	rel.steps[#rel.steps + 1] = "join(" .. table.concat(names_of, ",") .. "," .. kind .. ")"
	if kind == "semi" or kind == "anti" then
		return filter_join(rel, right, state, keys, kind)
	end
	local columns, taken, select = {}, {}, {}
	for _, c in ipairs(rel.columns) do
		columns[#columns + 1] = c
		taken[c.name] = true
		select[#select + 1] = "l." .. quoted(c.name)
	end
	local right_names = {}
	for _, c in ipairs(right.columns) do right_names[c.name] = true end
	for _, c in ipairs(right.columns) do
		if not repeats_key(keys, c.name) then
			local name = c.name
			if taken[name] then
				repeat name = name .. suffix until not taken[name] and not right_names[name]
			end
			taken[name] = true
			columns[#columns + 1] = {name = name, type = c.type, kind = c.kind, values = c.values}
			select[#select + 1] = "r." .. quoted(c.name)
		end
	end
	local names = {}
	for i, c in ipairs(columns) do names[i] = quoted(c.name) end
	rel.cte = new_cte(state, "(" .. table.concat(names, ", ") .. ", ord) AS (SELECT " ..
		table.concat(select, ", ") .. ", ROW_NUMBER() OVER (ORDER BY l.ord, r.ord) FROM " ..
		rel.cte .. " AS l " .. (kind == "left" and "LEFT " or "") .. "JOIN " .. right.cte ..
		" AS r ON " .. join_condition(keys) .. ")")
	rel.columns = columns
end
-- }======

-- {====== Terminals: what a chain's answer is ======
-- Each gives Lua code that calls row(...) once per answer row, and a SQL
-- SELECT that gives the same rows, each value as a token.

-- A token from SQL: i:123, n:1.5 (n:1.5~S: S bounds the rounding of a sum
-- or average), s:HEX, b:true, null.
function sql_token(expr, c)
	if c and c.kind == "bool" then
		return "CASE WHEN " .. expr .. " IS NULL THEN 'null' WHEN " .. expr ..
			" THEN 'b:true' ELSE 'b:false' END"
	end
	return "CASE typeof(" .. expr .. ") WHEN 'null' THEN 'null' WHEN 'integer' THEN 'i:'||" ..
		expr .. " WHEN 'real' THEN 'n:'||printf('%!.17g', " .. expr .. ") ELSE 's:'||hex(" ..
		expr .. ") END"
end

local function sql_scaled(expr, scale)
	return "CASE typeof(" .. expr .. ") WHEN 'null' THEN 'null' WHEN 'integer' THEN 'i:'||" ..
		expr .. " ELSE 'n:'||printf('%!.17g', " .. expr .. ")||'~'||printf('%!.17g', " ..
		scale .. ") END"
end

-- The sum of an integer column: an integer while it fits int64, else a
-- number (reel's rule); sqlite's sum() would stop on an overflow. Found
-- exactly from the sums of each cell's high and low 32 bits.
function sql_integer_sum(col)
	local high = "(sum(" .. col .. " >> 32) + (sum(" .. col .. " & 4294967295) >> 32))"
	return "CASE WHEN count(" .. col .. ") = 0 THEN 'null' WHEN " .. high ..
		" BETWEEN -2147483648 AND 2147483647 THEN 'i:'||(" .. high .. " * 4294967296 + (sum(" ..
		col .. " & 4294967295) & 4294967295)) ELSE 'n:'||printf('%!.17g', total(" .. col ..
		"))||'~'||printf('%!.17g', total(abs(CAST(" .. col .. " AS REAL)))) END"
end

local function find_column(rel, name)
	for _, c in ipairs(rel.columns) do
		if c.name == name then return c end
	end
end

-- An aggregate: its Lua call on `q` and its SQL over the rows.
function aggregate(g, rel, q)
	local numbers, any = {}, {}
	for _, c in ipairs(rel.columns) do
		if numeric(c) then numbers[#numbers + 1] = c end
		any[#any + 1] = c
	end
	local fn = g.pick{"sum", "avg", "min", "max"}
	if (fn == "sum" or fn == "avg") and #numbers > 0 then
		local c = g.pick(numbers)
		local col = quoted(c.name)
		local lua = q .. ":" .. fn .. "(" .. lua_string(c.name) .. ")"
		if fn == "avg" then
			return lua, sql_scaled("avg(" .. col .. ")", "avg(abs(CAST(" .. col .. " AS REAL)))")
		elseif c.kind == "num" then
			return lua, sql_scaled("sum(" .. col .. ")", "total(abs(" .. col .. "))")
		end
		return lua, sql_integer_sum(col)
	end
	if fn == "sum" or fn == "avg" then fn = "min" end
	local c = g.pick(any)
	return q .. ":" .. fn .. "(" .. lua_string(c.name) .. ")",
		sql_token(fn .. "(" .. quoted(c.name) .. ")", c)
end

-- q:aggregate(keys, specs) against GROUP BY: the keys (none, one or two
-- columns) and count, count_distinct, avg, min, max and the sum of number
-- columns (an integer sum's type is the whole column's in reel).
function aggregate_table(g, rel, state)
	local keys, lua_keys, tokens, names = {}, {}, {}, {}
	for _ = 1, g.pick{0, 1, 1, 1, 2} do
		local c = g.pick(rel.columns)
		if not keys[c.name] and c.type == "date" and g.chance(0.5) then
			keys[c.name] = true -- its year: an integer key
			local year = "CAST(substr(" .. quoted(c.name) .. ", 1, 4) AS INTEGER)"
			keys[#keys + 1] = {name = c.name, expr = year}
			lua_keys[#lua_keys + 1] = lua_string("year(" .. c.name .. ")")
			tokens[#tokens + 1] = sql_token(year)
			names[#names + 1] = "f.year_" .. c.name
		elseif not keys[c.name] then
			keys[c.name] = true
			keys[#keys + 1] = c
			lua_keys[#lua_keys + 1] = lua_string(c.name)
			tokens[#tokens + 1] = sql_token(quoted(c.name), c)
			names[#names + 1] = "f." .. c.name
		end
	end
	local specs = {'"count as a1"'}
	tokens[#tokens + 1] = "'i:'||count(*)"
	names[#names + 1] = "f.a1"
	for i = 2, g.int(1, 4) do
		local c = g.pick(rel.columns)
		local col = quoted(c.name)
		local fn = g.pick{"count_distinct", "avg", "min", "max", "sum"}
		if (fn == "avg" or fn == "sum") and not numeric(c) then fn = "max" end
		if fn == "sum" and c.kind ~= "num" then fn = "avg" end
		specs[#specs + 1] = lua_string(fn .. "(" .. c.name .. ") as a" .. i)
		names[#names + 1] = "f.a" .. i
		if fn == "count_distinct" then
			tokens[#tokens + 1] = "'i:'||count(DISTINCT " .. col .. ")"
		elseif fn == "avg" then
			tokens[#tokens + 1] = sql_scaled("avg(" .. col .. ")",
				"avg(abs(CAST(" .. col .. " AS REAL)))")
		elseif fn == "sum" then
			tokens[#tokens + 1] = sql_scaled("sum(" .. col .. ")", "total(abs(" .. col .. "))")
		else
			tokens[#tokens + 1] = sql_token(fn .. "(" .. col .. ")", c)
		end
	end
	local by = #lua_keys == 0 and "nil" or
		(#lua_keys == 1 and g.chance(0.5) and lua_keys[1] or "{" .. table.concat(lua_keys, ", ") .. "}")
	local group, order = {}, {}
	for i, c in ipairs(keys) do
		local key = c.expr or quoted(c.name)
		group[i] = key
		order[i] = "(" .. key .. " IS NULL), " .. key
	end
	local rest = "FROM " .. rel.cte
	if #keys > 0 then
		rest = rest .. " GROUP BY " .. table.concat(group, ", ") .. " ORDER BY " ..
			table.concat(order, ", ")
	end
	return "aggregate(" .. by .. ")",
		"for _, f in ipairs(q:aggregate(" .. by .. ", {" .. table.concat(specs, ", ") ..
		"})) do row(" .. table.concat(names, ", ") .. ") end",
		select_rows(state, tokens, rest)
end

function select_rows(state, tokens, rest)
	return "WITH " .. table.concat(state.ctes, ", ") .. " SELECT " .. state.chain .. ", " ..
		table.concat(tokens, ", ") .. " " .. rest .. ";"
end

local function terminal(g, rel, state)
	local pick = g.below(100)
	local q = "q"
	if pick < 35 then -- the rows, by id (and id_2 ... after joins), in order
		local shown = {}
		for _, c in ipairs(rel.columns) do
			if c.name:find("^id") then shown[#shown + 1] = c.name end
		end
		if g.chance(0.15) then
			shown = {}
			for i, c in ipairs(rel.columns) do shown[i] = c.name end
		elseif g.chance(0.5) then
			shown[#shown + 1] = g.pick(rel.columns).name
		end
		local fields, tokens = {}, {}
		for i, name in ipairs(shown) do
			fields[i] = "f." .. name
			tokens[i] = sql_token(quoted(name), find_column(rel, name))
		end
		local lua
		local how = g.below(4)
		if how == 0 then
			lua = "for _, f in ipairs(q) do row(" .. table.concat(fields, ", ") .. ") end"
		elseif how == 1 then
			lua = "for i = 1, #q do local f = q[i] row(" .. table.concat(fields, ", ") .. ") end"
		elseif how == 2 then
			lua = "for f in q:each() do row(" .. table.concat(fields, ", ") .. ") end"
		else
			lua = "for _, v in ipairs(q:map(function(f) return {" ..
				table.concat(fields, ", ", 1, #fields) .. "} end)) do row(table.unpack(v, 1, " ..
				#fields .. ")) end"
		end
		return "rows", lua, select_rows(state, tokens, "FROM " .. rel.cte .. " ORDER BY ord")
	elseif pick < 45 then
		return "count", "row(#q, q:count())",
			select_rows(state, {"'i:'||count(*)", "'i:'||count(*)"}, "FROM " .. rel.cte)
	elseif pick < 65 then
		local lua, sql = {}, {}
		for i = 1, g.int(1, 3) do lua[i], sql[i] = aggregate(g, rel, q) end
		return "aggregate", "row(" .. table.concat(lua, ", ") .. ")",
			select_rows(state, sql, "FROM " .. rel.cte)
	elseif pick < 75 then -- q:aggregate(keys, specs): one row a key, in key order
		return aggregate_table(g, rel, state)
	elseif pick < 92 then -- for key, g in q:group(col)
		local key = g.pick(rel.columns)
		local k = quoted(key.name)
		local lua, sql = {"key", "#g"}, {sql_token(k, key), "'i:'||count(*)"}
		local windows = {} -- more columns for the rows, each over its group
		-- a window column over the group's rows; its name
		local function window(expr, order, frame)
			frame = frame or " ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING"
			windows[#windows + 1] = expr .. " OVER (PARTITION BY " .. k .. " ORDER BY " ..
				order .. "ord" .. frame .. ") AS __w" .. #windows + 1
			return "__w" .. #windows -- no column's name
		end
		for _ = 1, g.pick{0, 1, 2, 3, 5, 6} do
			local pick2 = g.below(9)
			if pick2 == 0 then
				lua[#lua + 1] = "g:first().id"
				sql[#sql + 1] = sql_token("min(" .. window("first_value(id)", "") .. ")")
			elseif pick2 == 1 then
				lua[#lua + 1] = "g:last().id"
				sql[#sql + 1] = sql_token("min(" .. window("last_value(id)", "") .. ")")
			elseif pick2 == 2 then -- the group's rows in order: sum of place * id
				lua[#lua + 1] = "(function(s) for i, f in ipairs(g) do s = s + i * f.id end return s end)(0)"
				sql[#sql + 1] = "'i:'||sum(id * " .. window("ROW_NUMBER()", "", "") .. ")"
			elseif pick2 == 3 then -- the group's rows sorted
				local c = g.pick(rel.columns)
				local down = g.chance(0.5)
				lua[#lua + 1] = "g:sort(" .. lua_string((down and "-" or "") .. c.name) ..
					"):first().id"
				sql[#sql + 1] = sql_token("min(" .. window("first_value(id)", "(" .. quoted(c.name) ..
					" IS NULL), " .. quoted(c.name) .. (down and " DESC" or "") .. ", ") .. ")")
			elseif pick2 == 4 then -- the group's rows filtered
				local l, s = condition(g, g.pick(rel.columns))
				lua[#lua + 1] = "#g:where{" .. l .. "}"
				sql[#sql + 1] = "'i:'||sum(CASE WHEN " .. s .. " THEN 1 ELSE 0 END)"
			else
				lua[#lua + 1], sql[#sql + 1] = aggregate(g, rel, "g")
			end
		end
		local columns = {"*"}
		for i, w in ipairs(windows) do columns[i + 1] = w end
		local from = "FROM (SELECT " .. table.concat(columns, ", ") .. " FROM " .. rel.cte ..
			") GROUP BY " .. k .. " ORDER BY (" .. k .. " IS NULL), " .. k
		return "group(" .. key.name .. ")",
			"for key, g in q:group(" .. lua_string(key.name) .. ") do row(" ..
			table.concat(lua, ", ") .. ") end",
			select_rows(state, sql, from)
	end
	-- positions: first, last, q[i]
	local lua, sql = {"q:first() and q:first().id", "q:last() and q:last().id"}, {
		sql_token("(SELECT id FROM " .. rel.cte .. " ORDER BY ord LIMIT 1)"),
		sql_token("(SELECT id FROM " .. rel.cte .. " ORDER BY ord DESC LIMIT 1)"),
	}
	for _ = 1, 3 do
		local i = g.pick{0, 1, 2, 3, 5, 10, 50}
		lua[#lua + 1] = "q[" .. i .. "] and q[" .. i .. "].id"
		sql[#sql + 1] = i < 1 and "'null'" or
			sql_token("(SELECT id FROM " .. rel.cte .. " ORDER BY ord LIMIT 1 OFFSET " .. (i - 1) .. ")")
	end
	return "positions", "row(" .. table.concat(lua, ", ") .. ")", select_rows(state, sql, "")
end

-- A whole chain: {lua = body, sql = {statements}, what = summary}.
local function make_chain(g, cat, chain)
	local state = {ctes = {}, count = 0, chain = chain, stmts = {}, sql = {}, probes = 0}
	local rel = base("A", cat.sql_a, cat.a, state)
	add_steps(g, rel, state, 4)
	-- up to two joins, with B or with A itself
	local joins = g.chance(0.3) and (g.chance(0.8) and 1 or 2) or 0
	for _ = 1, joins do
		local right
		if g.chance(0.25) then
			right = base("A", cat.sql_a, cat.a, state)
			add_steps(g, right, state, 2)
			step_join(g, rel, right, state, cat.a.rows > 400 and BIG_SELF_KEYS or SELF_KEYS)
		else
			right = base("B", cat.sql_b, cat.b, state)
			add_steps(g, right, state, 2)
			step_join(g, rel, right, state, JOIN_KEYS)
		end
		if g.chance(0.4) then add_steps(g, rel, state, 2) end
	end
	local what, lua, sql = terminal(g, rel, state)
	state.stmts[#state.stmts + 1] = "local q = " .. rel.lua
	state.stmts[#state.stmts + 1] = lua
	state.sql[#state.sql + 1] = sql
	return {
		lua = table.concat(state.stmts, "\n"),
		sql = state.sql,
		what = table.concat(rel.steps, ",") .. (#rel.steps > 0 and " -> " or "") .. what,
	}
end

-- The whole of a table, every column, as a chain: checks the loading.
local function load_chain(name, t, sql_name, chain)
	local state = {ctes = {}, count = 0, chain = chain}
	local rel = base(name, sql_name, t, state)
	local fields, tokens = {}, {}
	for i, c in ipairs(rel.columns) do
		fields[i] = "f." .. c.name
		tokens[i] = sql_token(quoted(c.name), c)
	end
	return {
		lua = "local q = " .. name .. "\nfor _, f in ipairs(q) do row(" ..
			table.concat(fields, ", ") .. ") end",
		sql = {select_rows(state, tokens, "FROM " .. rel.cte .. " ORDER BY ord")},
		what = "catalogue " .. name .. " as loaded",
	}
end
-- }======

-- {====== Running both sides ======

-- The reel side: a script that answers every chain of a catalogue, one
-- line a row ("chain|token|token"), then "chain|END".
local PRELUDE = [[
local HEX = {}
for b = 0, 255 do HEX[string.char(b)] = string.format("%02X", b) end
local function hex(s) return (s:gsub(".", HEX)) end
local function token(v)
	if v == nil or v == reel.null then return "null" end
	if math.type(v) == "integer" then return string.format("i:%d", v) end
	if math.type(v) == "float" then return "n:" .. string.format("%.17g", v) end
	if type(v) == "string" then return "s:" .. hex(v) end
	if type(v) == "boolean" then return "b:" .. tostring(v) end
	return "?" .. type(v) .. ":" .. tostring(v)
end
local function run(chain, fn)
	local out = {}
	local function row(...)
		local n, tokens = select("#", ...), {}
		for i = 1, n do tokens[i] = token((select(i, ...))) end
		out[#out + 1] = chain .. "|" .. table.concat(tokens, "|")
	end
	local good, err = pcall(fn, row)
	if not good then
		out[#out + 1] = chain .. "|error: " .. tostring(err):gsub("[\r\n|]", " ")
	end
	out[#out + 1] = chain .. "|END"
	io.write(table.concat(out, "\n"), "\n")
	io.flush()
end
]]

local function reel_script(cat)
	local parts = {PRELUDE,
		"local A = assert(reel.load(" .. lua_string(cat.csv_a) .. "))\n",
		"local B = assert(reel.load(" .. lua_string(cat.csv_b) .. "))\n"}
	for _, ch in ipairs(cat.chains) do
		parts[#parts + 1] = "run(" .. ch.number .. ", function(row)\n" .. ch.lua .. "\nend)\n"
	end
	return table.concat(parts)
end

-- Reads "chain|rest" lines into answers[chain] = {rows}; `done` notes the
-- chains whose END was seen.
local function read_answers(path, answers, done)
	local f = io.open(path)
	if f == nil then return end
	for line in f:lines() do
		local chain, rest = line:match("^(%d+)|(.*)$")
		if chain then
			chain = tonumber(chain)
			if rest == "END" and done then
				done[chain] = true
			else
				answers[chain] = answers[chain] or {}
				table.insert(answers[chain], rest)
			end
		end
	end
	f:close()
end

local function same_token(a, b)
	if a == b then return true end
	local x = a:match("^n:(.*)$")
	local y, scale = b:match("^n:([^~]*)~?(.*)$")
	x, y = tonumber(x), tonumber(y)
	if x == nil or y == nil then return false end
	local slack = 4e-16 * math.max(math.abs(x), math.abs(y))
	if scale ~= "" then slack = slack + 1e-11 * (tonumber(scale) or 0) end
	return math.abs(x - y) <= slack
end

local function same_row(a, b)
	local xs, ys = {}, {}
	for t in (a .. "|"):gmatch("([^|]*)|") do xs[#xs + 1] = t end
	for t in (b .. "|"):gmatch("([^|]*)|") do ys[#ys + 1] = t end
	if #xs ~= #ys then return false end
	for i = 1, #xs do
		if not same_token(xs[i], ys[i]) then return false end
	end
	return true
end

-- Tokens made readable: s:HEX as a quoted string.
local function readable(row)
	return (row:gsub("s:(%x*)", function(h)
		return lua_string((h:gsub("%x%x", function(b) return string.char(tonumber(b, 16)) end)))
	end))
end

local function show_rows(rows, limit)
	local out = {}
	for i = 1, math.min(#rows, limit) do out[i] = "  " .. readable(rows[i]) end
	if #rows > limit then out[#out + 1] = "  ... (" .. #rows .. " rows)" end
	if #rows == 0 then out[1] = "  (no rows)" end
	return table.concat(out, "\n")
end
-- }======

-- {====== The test ======

local dir = command_output("mktemp -d"):gsub("%s+$", "")
assert(dir ~= "", "mktemp -d failed")

local catalogues, sql = {}, {".headers off", ".mode list", ".separator |", "BEGIN;"}
local chain_line = {} -- the SQL script's line of each chain's statement
local made, number = 0, 0
while made < CHAINS do
	local index = #catalogues + 1
	local g = generator(SEED * 1000003 + index)
	local range = g.pick{3, 8, 20}
	local size = g.pick{0, 1, 2, 3, 5, 10, 20, 40, 40, 100, 100, 200, 300}
	if size > 3 then size = g.int(size // 2, size) end
	-- now and then past a where's chunk of 2048 rows and a top-k's 4096
	if g.chance(0.04) then size = g.int(2100, 6000) end
	local huge = HUGE and index == 1
	if huge then size = 30000 end
	local cat = {
		index = index,
		a = make_table(g, A_COLUMNS, size, range, huge),
		b = make_table(g, B_COLUMNS, g.pick{0, 1, 3, 5, 10, 20, 40}, range),
		csv_a = dir .. "/c" .. index .. "_a.csv",
		csv_b = dir .. "/c" .. index .. "_b.csv",
		sql_a = "c" .. index .. "_a",
		sql_b = "c" .. index .. "_b",
		chains = {},
	}
	write_csv(cat.a, cat.csv_a, g)
	write_csv(cat.b, cat.csv_b, g)
	sql_table(cat.a, cat.sql_a, sql)
	sql_table(cat.b, cat.sql_b, sql)
	local function add(ch)
		number = number + 1
		ch.number = number
		cat.chains[#cat.chains + 1] = ch
		for _, statement in ipairs(ch.sql) do
			sql[#sql + 1] = statement
			chain_line[#sql] = number
		end
	end
	add(load_chain("A", cat.a, cat.sql_a, number + 1))
	add(load_chain("B", cat.b, cat.sql_b, number + 1))
	for _ = 1, math.min(PER_CATALOGUE, CHAINS - made) do
		add(make_chain(g, cat, number + 1))
		made = made + 1
	end
	catalogues[#catalogues + 1] = cat
end

sql[#sql + 1] = "COMMIT;"
local sql_path = dir .. "/chains.sql"
local f = assert(io.open(sql_path, "w"))
f:write(table.concat(sql, "\n"), "\n")
f:close()
local sql_answers = {}
os.execute("sqlite3 :memory: < " .. shell_quote(sql_path) .. " > " ..
	shell_quote(dir .. "/sqlite.out") .. " 2> " .. shell_quote(dir .. "/sqlite.err"))
read_answers(dir .. "/sqlite.out", sql_answers)
local sql_errors = {} -- chain -> message
do
	local errors = io.open(dir .. "/sqlite.err")
	local text = errors and errors:read("a") or ""
	if errors then errors:close() end
	local line_chain = chain_line
	for message in text:gmatch("[^\n]+") do
		local line = tonumber(message:match("line (%d+)"))
		local chain = line and line_chain[line] or 0
		sql_errors[chain] = (sql_errors[chain] and sql_errors[chain] .. "\n" or "") .. message
	end
end

local failures, bad_exits = 0, {}
for _, cat in ipairs(catalogues) do
	local script = dir .. "/c" .. cat.index .. ".lua"
	local out = dir .. "/c" .. cat.index .. ".out"
	local s = assert(io.open(script, "w"))
	s:write(reel_script(cat))
	s:close()
	local good, how, status = os.execute(shell_quote(REEL) .. " --timeout 60 " ..
		shell_quote(script) .. " > " .. shell_quote(out) .. " 2> " .. shell_quote(out .. ".err"))
	local reel_answers, done = {}, {}
	read_answers(out, reel_answers, done)
	local crash
	if not good then
		local e = io.open(out .. ".err")
		crash = how .. " " .. tostring(status) .. ": " .. (e and e:read("a") or "")
		if e then e:close() end
		bad_exits[#bad_exits + 1] = "catalogue " .. cat.index .. ": " .. crash:sub(1, 2000)
	end
	for _, ch in ipairs(cat.chains) do
		local got, want = reel_answers[ch.number] or {}, sql_answers[ch.number] or {}
		local same = done[ch.number] and #got == #want and not sql_errors[ch.number]
		local first_difference
		if same then
			for i = 1, #got do
				if not same_row(got[i], want[i]) then
					same, first_difference = false, i
					break
				end
			end
		end
		local notes = {}
		if not same then
			failures = failures + 1
			notes = {
				"catalogue " .. cat.index .. " (" .. cat.a.rows .. " rows in A, " .. cat.b.rows ..
					" in B), chain " .. ch.number .. "; again with REEL_DIFF_SEED=" .. SEED ..
					" REEL_DIFF_HUGE=" .. (HUGE and 1 or 0) .. " REEL_DIFF_CHAINS=" .. made,
				"Lua (A and B are the catalogue's two CSV files, row(...) prints a row):",
				ch.lua, "SQL:", table.concat(ch.sql, "\n"),
			}
			if not done[ch.number] then
				notes[#notes + 1] = "reel never finished this chain: " .. tostring(crash)
			end
			if sql_errors[ch.number] then
				notes[#notes + 1] = "sqlite3: " .. sql_errors[ch.number]
			end
			if first_difference then
				notes[#notes + 1] = "first different row: " .. first_difference
			end
			notes[#notes + 1] = "reel:\n" .. show_rows(got, 30)
			notes[#notes + 1] = "sqlite3:\n" .. show_rows(want, 30)
			if cat.a.rows <= 12 and cat.b.rows <= 12 then
				for _, path in ipairs{cat.csv_a, cat.csv_b} do
					local c = io.open(path)
					notes[#notes + 1] = path:match("[^/]*$") .. ":\n" .. c:read("a")
					c:close()
				end
			end
		end
		ok(same, "chain " .. ch.number .. ": " .. ch.what, table.unpack(notes))
	end
end

ok(sql_errors[0] == nil, "sqlite3 reported no error outside the chains",
	tostring(sql_errors[0]))
ok(#bad_exits == 0, "every reel process exited with status 0", table.unpack(bad_exits))

if KEEP then
	diag("kept " .. dir)
else
	os.execute("rm -rf " .. shell_quote(dir))
end
if failures > 0 then
	diag(failures .. " chains differ; REEL_DIFF_KEEP=1 keeps the catalogues")
end
done()
-- }======
