-- tests/lua/formats.lua: catalogues that are not plain text: SQLite
-- databases (made here with the sqlite3 command, whose answers are the
-- oracle) and zip archives (made here by a small zip writer), and the
-- hostile kinds of each: a damaged database, a zip bomb, a member path
-- like ../x, a binary member, a cut archive.
dofile("tests/lua/tap.lua")

local folder = os.tmpname()
os.remove(folder)
assert(os.execute("mkdir -p " .. folder))

local function spit(path, text)
	local file = assert(io.open(path, "wb"))
	file:write(text)
	file:close()
end

local function slurp(path)
	local file = assert(io.open(path, "rb"))
	local text = file:read("a")
	file:close()
	return text
end

-- The output of a shell command.
local function shell(command)
	local pipe = assert(io.popen(command))
	local text = pipe:read("a")
	pipe:close()
	return text
end

-- The names in a folder, sorted, as one line.
local function listing(path)
	return shell("ls -A " .. path .. " | sort | tr '\\n' ' '")
end

-- {====== SQLite ======
local has_sqlite3 = os.execute("command -v sqlite3 >/dev/null 2>&1")

-- A database at `path` made by sqlite3 from the SQL.
local function database(path, sql)
	os.remove(path)
	spit(folder .. "/make.sql", sql)
	assert(os.execute("sqlite3 " .. path .. " < " .. folder .. "/make.sql > /dev/null"))
	return path
end

-- sqlite3's answer to a query, one line a row, '|' between values.
local function oracle(path, sql)
	return shell("sqlite3 " .. path .. " " .. string.format("%q", sql))
end

if has_sqlite3 then
	local db = database(folder .. "/films.db", [[
CREATE TABLE movies(id INTEGER PRIMARY KEY, title TEXT, year INTEGER,
                    rating REAL, code TEXT, runtime INTEGER, anything);
INSERT INTO movies VALUES (1, 'Amélie', 2001, 8.0, '007', 122, 1);
INSERT INTO movies VALUES (2, 'Heat', 1995, 8.3, '010', 170, 'two');
INSERT INTO movies VALUES (3, 'Alien', 1979, NULL, NULL, 117, 2.5);
INSERT INTO movies VALUES (4, 'Up', NULL, 8.25, 'x', NULL, NULL);
]])
	local films = assert(reel.load(db))
	is(#films, 4, "an SQLite database of one table loads it")
	is(math.type(films[1].year), "integer", "an INTEGER column stays integers")
	is(math.type(films[1].rating), "float", "a REAL column is numbers, 8.0 among them")
	is(films[1].rating, 8.0, "8.0 is 8.0")
	is(films[1].code, "007", "a TEXT column stays text, leading zeros and all")
	is(films[4].year, nil, "NULL is null")
	is(films[3].anything, "2.5", "a column of mixed storage classes is text")
	is(films[1].duration, 122, "the film names resolve (duration from runtime)")
	is(films:where{year = {ge = 1990}}:count(),
	   tonumber(oracle(db, "SELECT count(*) FROM movies WHERE year >= 1990")),
	   "a where agrees with sqlite3")
	is(table.concat(films:sort("-rating"):pluck("title"), "|"),
	   oracle(db, "SELECT title FROM movies ORDER BY rating IS NULL, rating DESC"):gsub("\n", "|"):gsub("|$", ""),
	   "a sort by a REAL column agrees with sqlite3")
	is(films:sum("duration"), tonumber(oracle(db, "SELECT sum(runtime) FROM movies")),
	   "a sum agrees with sqlite3")

	-- several tables, views, names
	local several = database(folder .. "/several.db", [[
CREATE TABLE movies(title TEXT, year INT);
CREATE TABLE "the people"(name TEXT);
CREATE VIEW old AS SELECT * FROM movies WHERE year < 1990;
INSERT INTO movies VALUES ('Alien', 1979), ('Heat', 1995);
INSERT INTO "the people" VALUES ('Ripley');
]])
	local t, why = reel.load(several)
	is(t, nil, "a database of several tables without opts.table fails")
	is(why, several .. ": an SQLite database of 2 tables: say which (table = \"...\"): movies, the people",
	   "and lists them")
	is(#assert(reel.load(several, {table = "movies"})), 2, "opts.table picks one")
	is(assert(reel.load(several, {table = "the people"}))[1].name, "Ripley",
	   "a name that needs quoting")
	is(#assert(reel.load(several, {table = "old"})), 1, "a view is read too")
	t, why = reel.load(several, {table = "Movie"})
	is(why, several .. " has no table 'Movie' (it has: movies, old, the people)",
	   "an unknown table lists those there are")
	throws(function() reel.load(several, {table = 3}) end, "option 'table' must be a name",
	       "opts.table is a name")

	-- written by no one: no journal, no WAL, no change of a byte
	local wal = database(folder .. "/wal.db", [[
PRAGMA journal_mode = WAL;
CREATE TABLE movies(title TEXT, year INT);
INSERT INTO movies VALUES ('Alien', 1979), ('Heat', 1995);
]])
	local before, files = slurp(wal), listing(folder)
	is(#assert(reel.load(wal)), 2, "a database in WAL mode loads")
	ok(slurp(wal) == before and listing(folder) == files,
	   "and nothing is written beside or into it")
	is(#assert(reel.load(db)), 4, "nor beside a database in journal mode")
	is(listing(folder), files, "no journal left")

	-- hostile databases
	local bytes = slurp(db)
	spit(folder .. "/cut.db", bytes:sub(1, 3000))
	t, why = reel.load(folder .. "/cut.db")
	like(why, "^" .. folder:gsub("%p", "%%%0") .. "/cut%.db: .*SQLite",
	     "a cut database: an error naming the file")
	spit(folder .. "/damaged.db", bytes:sub(1, 4100) .. string.rep("\255", 200)
	     .. bytes:sub(4301))
	t, why = reel.load(folder .. "/damaged.db")
	is(t, nil, "a damaged page is an error, not films made of its debris")
	like(why, "damaged.db: a damaged SQLite database: ", "and says so")
	spit(folder .. "/header.db", "SQLite format 3\0" .. string.rep("x", 200))
	t, why = reel.load(folder .. "/header.db")
	like(why, "header.db: .*SQLite database", "a header and no database")
	local empty = database(folder .. "/empty.db", "CREATE TABLE x(a); DROP TABLE x;")
	t, why = reel.load(empty)
	is(why, empty .. ": an SQLite database with no tables", "a database of no tables")
	local blobs = database(folder .. "/blobs.db", [[
CREATE TABLE films(title TEXT, poster BLOB, note BLOB);
INSERT INTO films VALUES ('Heat', x'89504E470D0A1A0A00', CAST('good' AS BLOB));
INSERT INTO films VALUES ('Up', NULL, NULL);
]])
	t = assert(reel.load(blobs))
	ok(t[1].poster == nil and t[1].note == "good",
	   "a BLOB that is not text is null; one that is text is text")
	local bad = database(folder .. "/bad_text.db",
	                     "CREATE TABLE films(title TEXT); INSERT INTO films VALUES (CAST(x'41FF42' AS TEXT));")
	t, why = reel.load(bad)
	is(why, bad .. ": table 'films', row 1, column 'title': invalid UTF-8",
	   "TEXT that is not UTF-8 is an error naming table, row and column")
else
	ok(true, "# SKIP sqlite3 is not installed")
end
-- }======

os.execute("rm -rf " .. folder)
done()
