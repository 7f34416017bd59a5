-- wide_inputs.lua: writes the readers' large fuzz inputs into
-- tests/fuzz/corpus/read_csv, read_tsv and read_json: headers of thousands
-- of columns (distinct, one repeated at the end, names that differ only in
-- their last bytes, ragged rows under them), a header name of 100 KB, and
-- lines of over 100 KB (bare, quoted with doubled quotes and line
-- breaks, a JSON string with escapes). make check replays them under the
-- sanitizers, where a reader that is quadratic in the columns or the
-- length of a line shows as a slow replay.
--   lua5.4 tests/fuzz/wide_inputs.lua      (from the source folder)
-- The inputs are made the same way each time (no randomness).

local corpus = "tests/fuzz/corpus/"
local COLUMNS = 4000

local function write(target, name, text)
	local f = assert(io.open(corpus .. target .. "/" .. name, "wb"))
	f:write(text)
	f:close()
end

-- `n` names made by `name(i)`, joined by `sep`.
local function joined(n, sep, name)
	local parts = {}
	for i = 1, n do parts[i] = name(i) end
	return table.concat(parts, sep)
end

-- Rows of `n` cells: numbers, empty cells, text, in turn.
local function rows(count, n, sep)
	local lines = {}
	for r = 1, count do
		lines[r] = joined(n, sep, function(i)
			local k = (i + r) % 3
			return k == 0 and tostring(i * r) or k == 1 and "" or "t" .. i
		end)
	end
	return table.concat(lines, "\n") .. "\n"
end

local function column(i) return "column_" .. i end

-- {====== CSV: the first byte picks the delimiter ("\0": detected) ======
local AUTO, COMMA = "\0", ","
write("read_csv", "wide_header", AUTO .. joined(COLUMNS, ",", column) .. "\n" ..
      rows(3, COLUMNS, ","))
write("read_csv", "wide_header_repeated", COMMA .. joined(COLUMNS, ",", column) ..
      ",column_1\n" .. rows(2, COLUMNS + 1, ","))
-- names alike but for their last bytes, so a hash of their starts collides
write("read_csv", "wide_header_alike", COMMA .. joined(COLUMNS, ",", function(i)
	return string.rep("x", 30) .. string.format("%05d", i)
end) .. "\n" .. rows(2, COLUMNS, ","))
write("read_csv", "wide_header_ragged", AUTO .. joined(COLUMNS, ",", column) .. "\n" ..
      rows(1, COLUMNS // 2, ",") .. rows(1, COLUMNS * 2, ","))
write("read_csv", "wide_header_only", COMMA .. joined(COLUMNS * 2, ",", column) .. "\n")
-- enough columns that a check of each name against all the others before
-- it (what the readers once did) takes seconds: the replay would show it
write("read_csv", "widest_header", AUTO .. joined(50000, ",", function(i)
	return "c" .. i
end) .. "\n1,2,3\n")
write("read_csv", "long_name", COMMA .. "title," .. string.rep("n", 100000) .. "\nA,1\n")
write("read_csv", "long_line", COMMA .. "title,year\n" .. string.rep("abc ", 30000) ..
      ",2001\nShort,2002\n")
write("read_csv", "long_quoted", COMMA .. "title,year\n\"" ..
      string.rep("say \"\"hi\"\",\nthen go; ", 6000) .. "\",2001\n")
write("read_csv", "long_unclosed", COMMA .. "title,year\n\"" .. string.rep("open,", 25000))
-- }======

-- {====== TSV ======
write("read_tsv", "wide_header", joined(COLUMNS, "\t", column) .. "\n" ..
      rows(3, COLUMNS, "\t"))
write("read_tsv", "wide_header_repeated", joined(COLUMNS, "\t", column) ..
      "\tcolumn_" .. COLUMNS .. "\n" .. rows(1, COLUMNS + 1, "\t"))
write("read_tsv", "wide_header_ragged", joined(COLUMNS, "\t", column) .. "\n" ..
      rows(1, 3, "\t") .. rows(1, COLUMNS + 7, "\t"))
write("read_tsv", "long_line", "title\tyear\n" .. string.rep("word ", 30000) ..
      "\t2001\nShort\t\\N\n")
-- }======

-- {====== JSON ======
local function object(n, r)
	return "{" .. joined(n, ", ", function(i)
		local k = (i + r) % 3
		local v = k == 0 and tostring(i * r) or k == 1 and "null" or '"t' .. i .. '"'
		return '"' .. column(i) .. '": ' .. v
	end) .. "}"
end
write("read_json", "wide_objects", "[" .. object(COLUMNS, 1) .. ",\n" ..
      object(COLUMNS, 2) .. "]\n")
-- each film with a key of its own: n films make n columns of n cells, so
-- this one is kept to a few hundred
write("read_json", "wide_union", "[" .. joined(600, ",\n", function(i)
	return '{"title": "F' .. i .. '", "' .. column(i) .. '": ' .. i .. "}"
end) .. "]\n")
write("read_json", "wide_lines", object(COLUMNS, 1) .. "\n" .. object(COLUMNS // 2, 2) .. "\n")
write("read_json", "long_string", '[{"title": "' ..
      string.rep("a\\\"b\\n\\u00e9 ", 12000) .. '", "year": 2001}]\n')
write("read_json", "long_key", '[{"' .. string.rep("k", 100000) .. '": 1, "title": "A"}]\n')
-- }======
