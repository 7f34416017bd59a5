-- tests/lua/json_large.lua: JSON Lines and a JSON array big enough to be
-- read in two halves on two threads (over 4 MB), against the values Lua
-- made them from: the same columns in the same order (one first seen in
-- the second half last), the same types (a column of numbers in one half
-- and text in the other is text in both, with the same values), the same
-- cells, lists and all; objects written over several lines, so that the
-- middle may fall inside one; and an error in the second half named at
-- its line and column.
dofile("tests/lua/tap.lua")

local folder = os.tmpname()
os.remove(folder)
assert(os.execute("mkdir " .. folder))
local function spit(name, parts)
	local path = folder .. "/" .. name
	local file = assert(io.open(path, "wb"))
	file:write(table.concat(parts))
	file:close()
	return path
end

local count = 60000
local objects, want = {}, {}
local want_columns = {"id", "title", "year", "code", "rating", "tags", "deep.a.b",
                      "sparse", "late"}
for i = 1, count do
	local year = tostring(1900 + i % 120)
	if i == 45000 then year = '"unknown"' end -- text in the second half only
	local code = tostring(i % 7)
	if i == 10 then code = '"x7"' end -- text in the first half only
	local late = i > count / 2 + 100 and (',"late":' .. i) or ""
	local tag = i % 5 == 0 and '"Crouching Tiger, Hidden Dragon"' or '"Hero"'
	want[i] = {i, "Film é " .. i, i == 45000 and "unknown" or year,
	           i == 10 and "x7" or code, (i % 100) / 10,
	           (i % 5 == 0 and "Crouching Tiger, Hidden Dragon" or "Hero") .. "\1b",
	           i % 3, i % 4 ~= 0 and "s" or nil, late ~= "" and i or nil}
	objects[i] = string.format(
		'{"id":%d,"title":"Film \\u00e9 %d","year":%s,"code":%s,"rating":%s,' ..
		'"tags":[%s,"b"],"deep":{"a":{"b":%d}},"sparse":%s%s}',
		i, i, year, code, (i % 100) / 10, tag, i % 3,
		i % 4 == 0 and "null" or '"s"', late)
end

local function rows_of(t)
	local columns = t:columns()
	local cells = {}
	for i = 1, #t do
		local row = {}
		for c, name in ipairs(columns) do
			local v = t[i][name]
			row[c] = type(v) == "table" and table.concat(v, "\1") or v
		end
		cells[i] = row
	end
	return columns, cells
end

local function check(path, what)
	local lines = assert(reel.load(path))
	local columns, got = rows_of(lines)
	is(#lines, count, what .. ": every object")
	is_deeply(columns, want_columns, what .. ": the columns, in the order first seen")
	local wrong = 0
	for i = 1, count do
		for c = 1, #columns do
			if got[i][c] ~= want[i][c] or math.type(got[i][c]) ~= math.type(want[i][c]) then
				wrong = wrong + 1
			end
		end
	end
	is(wrong, 0, what .. ": every cell, and its type")
	return lines
end

local lines = check(spit("films.jsonl", {table.concat(objects, "\n"), "\n"}), "JSON Lines")
is(lines[1].year, "1901", "numbers in one half, text in the other: text")
is(lines[1].code, "1", "and the other way round")
is(math.type(lines[1].id), "integer", "a column of numbers in both halves stays numbers")
is(lines[count].late, count, "a column first seen in the second half")

check(spit("films.json", {"[", table.concat(objects, ",\n"), "]\n"}), "an array")

-- Every object over several lines: the line break past the middle may be
-- inside an object, and then the text is read whole.
local spread = {}
for i, object in ipairs(objects) do
	spread[i] = object:gsub(',"year"', ',\n  "year"'):gsub(',"tags"', ',\n  "tags"')
end
for _, shift in ipairs({"", " ", "  "}) do
	check(spit("spread.jsonl", {shift, table.concat(spread, "\n"), "\n"}),
	      "objects over several lines" .. (#shift > 0 and ", shifted" or ""))
	check(spit("spread.json", {shift, "[", table.concat(spread, ",\n"), "]\n"}),
	      "an array of objects over several lines" .. (#shift > 0 and ", shifted" or ""))
end

-- An error in the second half: the same place a reading of the whole names.
local broken = {}
for i, object in ipairs(objects) do broken[i] = object end
broken[50000] = '{"id":50000,"title":}'
local path = spit("broken.jsonl", {table.concat(broken, "\n"), "\n"})
local none, message = reel.load(path)
is(none, nil, "an error in the second half: no table")
like(message, "broken%.jsonl:50000:21: ", "and its line and column")
path = spit("broken.json", {"[", table.concat(broken, ",\n"), "]\n"})
none, message = reel.load(path)
is(none, nil, "an error in an array's second half: no table")
like(message, "broken%.json:50000:21: ", "and its line and column")
broken[count] = objects[count] .. ","
path = spit("comma.json", {"[", table.concat(objects, ",\n", 1, count - 1), ",\n",
                           broken[count], "]\n"})
none, message = reel.load(path)
is(none, nil, "an array ending in a comma: no table")
like(message, "comma%.json:60000:%d+: expected an object", "and its line and column")

os.execute("rm -r " .. folder)
done()
