-- tests/lua/fuzzed.lua: what the API fuzzer (tests/fuzz/api.lua) found,
-- each kept as a test, and a short run of the fuzzer itself (make check
-- runs a long one under AddressSanitizer).
dofile("tests/lua/tap.lua")

local function finalize(object)
	getmetatable(object).__gc(object)
end

-- What `./reel -e code` writes and how it ends.
local function run(code)
	local out = io.popen("./reel -e '" .. code .. "' 2>&1")
	local text = out:read("a")
	local _, _, status = out:close()
	return text, status
end

-- {====== a callback that collects the Query it walks ======
local q = films:sort("title")
local seen = 0
throws(function()
	return q:map(function(film)
		seen = seen + 1
		finalize(q)
		return film.title
	end)
end, "attempt to use a collected query", "map whose callback collects its query raises")
is(seen, 1, "and stops at the film that collected it")

q = films:where{year = {gt = 2000}}
local titles = q:map(function(film) collectgarbage() return film.title end)
is(#titles, #films:where{year = {gt = 2000}}, "map with a collection in its callback")
-- }======

-- {====== histograms ======
local file = os.tmpname()
local f = assert(io.open(file, "w"))
f:write("big\n", math.mininteger, "\n", math.maxinteger, "\n0\n")
f:close()
local chart, status = run('reel.load("' .. file .. '"):histogram("big")')
is(status, 0, "a histogram of integers spanning all of 64 bits")
like(chart, "│", "draws its bars")
os.remove(file)

throws(function() return films:histogram("year", {width = 2^31}) end,
       "histogram: a width of at most 1000 cells",
       "a bar wider than a terminal is refused, not drawn")
-- }======

-- {====== a short run of the fuzzer ======
local log = os.tmpname()
local clean = os.execute("REEL_API_SEQUENCES=300 REEL_API_SEED=3 ./reel tests/fuzz/api.lua " ..
                      ">/dev/null 2>" .. log)
local f2 = assert(io.open(log))
local said = f2:read("a")
f2:close()
os.remove(log)
ok(clean, "300 sequences of random calls end cleanly", said)
like(said, "api fuzz: 300 sequences, %d+ calls", "and say how many calls they made")
like(said, "seed 3", "and which seed")
-- }======

done()
