-- tests/lua/output_escapes.lua: JSON and CSV text written for titles that
-- need escapes or quotes at every place around the eight-byte stretches
-- the writers check at once: each special byte at each offset, against an
-- escaper written in Lua, and the text read back by reel's own readers.
dofile("tests/lua/tap.lua")

local specials = {'"', "\\", "\n", "\t", "\1", "\31", "\127", "é", "한", ",", "\r"}
local function escaped(s)
	local map = {['"'] = '\\"', ["\\"] = "\\\\", ["\n"] = "\\n", ["\t"] = "\\t",
	             ["\r"] = "\\r", ["\b"] = "\\b", ["\f"] = "\\f"}
	return '"' .. s:gsub('[%c"\\]', function(c)
		return map[c] or (c == "\127" and c) or string.format("\\u%04x", c:byte())
	end) .. '"'
end

local path = os.tmpname()
local out = assert(io.open(path, "w"))
out:write("id,title\n")
local titles, id = {}, 0
for _, special in ipairs(specials) do
	for at = 0, 19 do
		local title = ("abcdefghijklmnopqrst"):sub(1, at) .. special .. ("uvwxyz"):rep(at % 3)
		id = id + 1
		titles[id] = title
		out:write(id, ',"', title:gsub('"', '""'), '"\n')
	end
end
out:close()
local films = assert(reel.load(path, {format = "csv"}))
os.remove(path)
is(#films, #titles, "every title loaded")

local lines, wrong = {}, 0
for line in films:select("title"):format("jsonl"):gmatch("[^\n]+") do
	lines[#lines + 1] = line
end
for i, title in ipairs(titles) do
	if lines[i] ~= '{"title":' .. escaped(title) .. "}" then
		if wrong == 0 then diag("row " .. i .. ": " .. tostring(lines[i])) end
		wrong = wrong + 1
	end
end
is(wrong, 0, "each title escaped as the Lua escaper does, at every offset")

local saved = os.tmpname() .. ".jsonl"
assert(films:save(saved))
local back = assert(reel.load(saved))
os.remove(saved)
wrong = 0
for i, film in ipairs(back) do
	if film.title ~= titles[i] then wrong = wrong + 1 end
end
is(wrong, 0, "the saved JSON Lines read back to the same titles")

local function quoted(s)
	if s == "" or s:find('[,"\r\n]') or s:find("^[ \t]") or s:find("[ \t]$") then
		return '"' .. s:gsub('"', '""') .. '"'
	end
	return s
end
local csv = films:select("title"):format("csv")
is(csv, "title\n" .. table.concat((function()
	local t = {}
	for i, title in ipairs(titles) do t[i] = quoted(title) end
	return t
end)(), "\n") .. "\n", "CSV quotes exactly the titles RFC 4180 needs quoted, at every offset")
saved = os.tmpname() .. ".csv"
assert(films:save(saved))
back = assert(reel.load(saved))
os.remove(saved)
wrong = 0
for i, film in ipairs(back) do
	if film.title ~= titles[i] then wrong = wrong + 1 end
end
is(wrong, 0, "the saved CSV reads back to the same titles")
done()
