-- tests/lua/hostile.lua: calls a careless or hostile script might make.
-- Each must end in a Lua error or a sensible answer: never a crash, a hang,
-- or memory that keeps growing. Wrong argument types to every method,
-- absurd limits, very long query chains, huge unpacks and templates, and
-- recursion without end.
dofile("tests/lua/tap.lua")

-- An error, as pcall gives it: a non-empty message string.
local function clean_error(okay, message)
	return not okay and type(message) == "string" and #message > 0
end

-- {====== wrong argument types to every method ======
local methods = {
	"count", "each", "where", "filter", "explain", "sort", "limit", "offset",
	"first", "last", "random", "sample", "shuffle", "search", "select",
	"group", "sum", "avg", "min", "max", "map", "pluck", "columns", "format",
	"join",
}
local strange = {
	nil, true, false, 0, -1, 1e18, -1e18, math.huge, -math.huge, 0 / 0,
	math.mininteger, math.maxinteger, "", "\0", "no such column", "-",
	string.rep("x", 5000), {}, {1, 2, 3}, {{}}, {year = {}}, tostring,
	coroutine.create(tostring), films, films[1], reel.null,
}
local count = select("#", table.unpack(strange, 1, 26))
local calls, survived, unclean = 0, 0, {}
local queries = {films, films:where{year = 2013}, films:limit(0)}
for _, q in ipairs(queries) do
	for _, name in ipairs(methods) do
		for i = 1, count do
			for _, extra in ipairs{0, 1} do
				local a = strange[i]
				local b = extra == 1 and strange[(i * 7) % count + 1] or nil
				local okay, message = pcall(q[name], q, a, b)
				calls = calls + 1
				if okay or clean_error(okay, message) then
					survived = survived + 1
				else
					unclean[#unclean + 1] = name .. "(" .. tostring(a) .. ")"
				end
			end
		end
	end
end
is(survived, calls, calls .. " calls with strange arguments end cleanly")
if #unclean > 0 then diag(table.concat(unclean, ", ")) end

-- Calling a method on something that is not a query.
for _, name in ipairs(methods) do
	local okay, message = pcall(films[name], "not a query")
	ok(clean_error(okay, message), name .. " on a string is an error")
end
ok(clean_error(pcall(films.where)), "where with no self")
ok(clean_error(pcall(getmetatable, films)) or true, "getmetatable is harmless")
-- }======

-- {====== indexes, limits and sizes out of range ======
is(films[0], nil, "films[0]")
is(films[-1], nil, "films[-1]")
is(films[1e18], nil, "films[1e18]")
is(films[math.maxinteger], nil, "films[maxinteger]")
is(films[0 / 0], nil, "films[nan]")
ok(clean_error(pcall(function() return films[{}] end)) or films[{}] == nil,
   "films[{}]")
is(#films:limit(math.maxinteger), #films, "limit(maxinteger) keeps all")
is(#films:offset(math.maxinteger), 0, "offset(maxinteger) keeps none")
for _, n in ipairs{-1, -1e18, 0 / 0, math.huge, math.mininteger, 1.5} do
	for _, name in ipairs{"limit", "offset", "sample", "first", "last"} do
		local okay, r = pcall(films[name], films, n)
		ok(okay or clean_error(okay, r), name .. "(" .. tostring(n) .. ")")
	end
end
local okay, big = pcall(films.sample, films, 1e18)
ok(clean_error(okay, big) or #big == #films, "sample(1e18) is the whole set or an error")
okay, big = pcall(films.sample, films, math.maxinteger)
ok(clean_error(okay, big) or #big == #films, "sample(maxinteger)")
is(films:limit(0):random(), nil, "random of nothing is nil")
is(#films:limit(0):sample(5), 0, "sample of nothing is empty")
ok(clean_error(pcall(reel.seed, "seven")), "reel.seed of a word")
for _, n in ipairs{0 / 0, 1e300, -1, math.mininteger, 2.5} do
	local okay2, r = pcall(reel.seed, n)
	ok(okay2 or clean_error(okay2, r), "reel.seed(" .. tostring(n) .. ")")
end
ok(clean_error(pcall(films.format, films, {max_rows = -1})) or true,
   "format with a negative max_rows")
for _, opts in ipairs{
	{max_rows = -1}, {max_width = -5}, {max_width = 1e18}, {max_rows = 0 / 0},
	{columns = {1, 2}}, {columns = {"nope"}}, {columns = "title"},
	{format = 5}, {format = "nope"}, {template = 5},
} do
	local okay2, r = pcall(films.format, films, opts)
	ok(okay2 and type(r) == "string" or clean_error(okay2, r), "format with odd options")
end
-- }======

-- {====== hostile where specs ======
for _, spec in ipairs{
	{year = {between = {}}}, {year = {between = {1}}}, {year = {between = {3, 1}}},
	{year = {["in"] = {}}}, {year = {["in"] = {films}}}, {[1] = 2}, {year = {foo = 1}},
	{title = {contains = 5}}, {year = {contains = "1"}}, {year = {ge = 0 / 0}},
	{year = {eq = films}}, {year = {eq = {}}}, {year = {null = "yes"}},
	{year = math.huge}, {year = -math.huge}, {title = string.rep("a", 1e5)},
	{[films] = 1}, {year = {lt = 2020, gt = 2000, ne = 2013, le = 1e300}},
} do
	local okay2, r = pcall(films.where, films, spec)
	ok(okay2 and #r <= #films or clean_error(okay2, r), "a strange where spec")
end
-- }======

-- {====== long chains ======
local function chain(step, n)
	local q = films
	for _ = 1, n do q = step(q) end
	return q
end
local before = collectgarbage("count")
local q = chain(function(x) return x:where{year = {ge = 0}} end, 200000)
is(#q, #films, "200,000 wheres in a row keep every film")
is(q:sort("rank")[1].title, films:sort("rank")[1].title, "and the end of the chain works")
q = chain(function(x) return x:sort("-year") end, 50000)
is(#q, #films, "50,000 sorts in a row")
q = chain(function(x) return x:limit(1e6):offset(0) end, 100000)
is(#q, #films, "200,000 limits and offsets in a row")
q = nil
collectgarbage()
collectgarbage()
ok(collectgarbage("count") - before < 4096,
   "the chains' memory is given back (" .. math.floor(collectgarbage("count") - before) .. " KB kept)")
-- }======

-- {====== huge unpacks, templates and strings ======
ok(clean_error(pcall(table.unpack, {}, 1, 1e7)), "table.unpack of ten million values")
ok(clean_error(pcall(table.unpack, {}, math.mininteger, math.maxinteger)),
   "table.unpack of every integer")
ok(clean_error(pcall(films.format, films, string.rep("{", 100001))),
   "a template of 100,001 opening braces (one unclosed)")
is(#films:limit(1):format(string.rep("{", 100000)), 50001,
   "a template of 100,000 opening braces is 50,000 literal ones")
ok(clean_error(pcall(films.format, films, string.rep("}", 100000))) or true,
   "a template of 100,000 closing braces")
local braces = films:limit(1):format(string.rep("{{", 50000))
is(#braces, 50001, "100,000 doubled braces are 50,000 literal ones")
local many = films:format(string.rep("{title}", 20000))
ok(#many > 20000 * #films, "a template with 20,000 placeholders")
ok(clean_error(pcall(films.format, films, "{" .. string.rep("x", 1e5) .. "}")),
   "a placeholder with a 100,000-byte name")
ok(clean_error(pcall(films.search, films, 5)) or true, "search for a number")
is(#films:search(string.rep("a", 1e5)), 0, "search for a 100,000-byte text")
is(#films:search("\0"), 0, "search for a NUL byte")
-- }======

-- {====== callbacks that misbehave ======
local raised = {}
local okay4, object = pcall(films.filter, films, function() error(raised) end)
ok(not okay4 and object == raised, "a filter raising a table passes it on")
ok(clean_error(pcall(films.filter, films, function() error() end)) or true,
   "a filter raising nil")
ok(clean_error(pcall(films.sort, films, function() error("x") end)),
   "a comparator raising an error")
lives(function() films:sort(function() return math.random() < 0.5 end) end,
      "an inconsistent comparator")
lives(function() films:sort(function() return "yes" end) end,
      "a comparator returning a string")
local co = coroutine.wrap(function()
	return pcall(films.filter, films, function() coroutine.yield(1) end)
end)
local first = co()
ok(first == false or first == 1, "yielding inside a filter")
-- }======

-- {====== recursion without end ======
local function down(n) return 1 + down(n + 1) end
local okay3, message = pcall(down, 1)
ok(clean_error(okay3, message) and message:find("stack overflow"),
   "unbounded Lua recursion is a stack overflow error")
local function nested(x)
	return #films:filter(function() return nested(x) > 0 end)
end
okay3, message = pcall(nested, 1)
ok(clean_error(okay3, message) and message:find("stack overflow"),
   "recursion through filter callbacks is a stack overflow error")
local function sorted(x)
	return films:sort(function() return #sorted(x) > 0 end)
end
okay3, message = pcall(sorted, 1)
ok(clean_error(okay3, message), "recursion through sort comparators is an error")
local loop = setmetatable({}, {})
getmetatable(loop).__index = function(t, k) return t[k] end
okay3, message = pcall(function() return loop.x end)
ok(clean_error(okay3, message), "an __index that calls itself")
local t = setmetatable({}, {__tostring = function(self) return tostring(self) end})
okay3, message = pcall(tostring, t)
ok(clean_error(okay3, message), "a __tostring that calls itself")
is(#films, 10, "and films is still whole")
-- }======

done()
