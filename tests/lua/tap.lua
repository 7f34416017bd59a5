-- tests/lua/tap.lua: a small TAP producer shared by the Lua API tests.
-- Loaded with dofile("tests/lua/tap.lua"); defines the globals ok, is, isnt,
-- like, has, throws, lives, is_deeply, diag and done. done() prints the plan
-- and exits 0 when every test passed, 1 otherwise.

local count, failed = 0, 0

local function show(v)
	if type(v) == "string" then return string.format("%q", v) end
	return tostring(v)
end

-- Where the test file called in: the first frame outside this file.
local function caller()
	local level = 2
	while true do
		local info = debug.getinfo(level, "Sl")
		if info == nil then return "?" end
		if not info.short_src:find("tap.lua", 1, true) then
			return info.short_src .. ":" .. info.currentline
		end
		level = level + 1
	end
end

function diag(...)
	local text = table.concat({...}, "\n")
	for line in (text .. "\n"):gmatch("(.-)\n") do
		io.write("# ", line, "\n")
	end
end

function ok(cond, name, ...)
	count = count + 1
	io.write(cond and "ok " or "not ok ", count, name and (" - " .. name) or "", "\n")
	if not cond then
		failed = failed + 1
		diag("failed at " .. caller())
		if select("#", ...) > 0 then diag(...) end
	end
	return cond
end

function is(got, expected, name)
	return ok(got == expected, name, "     got: " .. show(got),
	          "expected: " .. show(expected))
end

function isnt(got, unexpected, name)
	return ok(got ~= unexpected, name, "got the unwanted " .. show(got))
end

-- A Lua pattern.
function like(text, pattern, name)
	return ok(type(text) == "string" and text:find(pattern) ~= nil, name,
	          "     got: " .. show(text), "expected: like " .. show(pattern))
end

-- A plain substring.
function has(text, part, name)
	return ok(type(text) == "string" and text:find(part, 1, true) ~= nil, name,
	          "     got: " .. show(text), "expected to hold " .. show(part))
end

-- fn raises an error whose message holds `part` (plain text); returns it.
function throws(fn, part, name)
	local good, err = pcall(fn)
	err = tostring(err)
	ok(not good and err:find(part, 1, true) ~= nil, name,
	   good and "no error was raised" or ("error: " .. err),
	   "expected an error holding " .. show(part))
	return err
end

function lives(fn, name)
	local good, err = pcall(fn)
	return ok(good, name, "error: " .. tostring(err))
end

local function deep_equal(a, b, path)
	if type(a) ~= "table" or type(b) ~= "table" then
		if a == b then return true end
		return false, path .. ": " .. show(a) .. " ~= " .. show(b)
	end
	for k, v in pairs(a) do
		local same, where = deep_equal(v, b[k], path .. "[" .. show(k) .. "]")
		if not same then return false, where end
	end
	for k, v in pairs(b) do
		if a[k] == nil then
			return false, path .. "[" .. show(k) .. "]: nil ~= " .. show(v)
		end
	end
	return true
end

function is_deeply(got, expected, name)
	local same, where = deep_equal(got, expected, "")
	return ok(same, name, where)
end

function done()
	io.write("1..", count, "\n")
	if failed > 0 then diag(failed .. " of " .. count .. " failed") end
	-- closing the state first runs every __gc, so leak checkers see a clean exit
	os.exit(failed == 0 and 0 or 1, true)
end
