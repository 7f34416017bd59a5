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

-- {====== zip ======
-- A zip archive written here, so a test can make any archive, hostile ones
-- too: each member {name, bytes} is stored, or deflated by gzip (whose
-- trailer gives its CRC-32) when it says deflate = true; `size` (when
-- given) is the size the archive claims for it.
local function deflated(bytes)
	spit(folder .. "/member", bytes)
	local gz = shell("gzip -c -n " .. folder .. "/member")
	local crc = string.unpack("<I4", gz, #gz - 7)
	return gz:sub(11, #gz - 8), crc -- past the 10-byte header (-n: no name)
end

local function crc32(bytes)
	local _, crc = deflated(bytes)
	return crc
end

local function zip(path, members)
	local body, central = {}, {}
	local offset = 0
	for _, m in ipairs(members) do
		local data, crc, method = m.bytes, nil, 0
		if m.deflate then
			data, crc = deflated(m.bytes)
			method = 8
		else
			crc = crc32(m.bytes)
		end
		local size = m.size or #m.bytes
		local fields = string.pack("<I2I2I2I2I2I4I4I4I2I2", 20, 0x800, method,
		                           0, 0x21, crc, #data, size, #m.name, 0)
		local loc = string.pack("<I4", 0x04034b50) .. fields .. m.name .. data
		central[#central + 1] = string.pack("<I4I2", 0x02014b50, 20) .. fields
			.. string.pack("<I2I2I2I4I4", 0, 0, 0, 0, offset) .. m.name
		body[#body + 1] = loc
		offset = offset + #loc
	end
	local cd = table.concat(central)
	spit(path, table.concat(body) .. cd .. string.pack("<I4I2I2I2I2I4I4I2",
		0x06054b50, 0, 0, #members, #members, #cd, offset, 0))
	return path
end

local ratings = "Date,Name,Year,Letterboxd URI,Rating\n" ..
	"2024-01-02,Amélie,2001,https://boxd.it/2b0k,4.5\n" ..
	"2024-01-03,Heat,1995,https://boxd.it/1mBa,4\n" ..
	"2024-01-05,\"Spider-Man: No Way Home\",2021,https://boxd.it/rBaK,3.5\n"
local diary = "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n" ..
	"2024-01-02,Amélie,2001,https://boxd.it/2b0k,4.5,,paris,2024-01-01\n" ..
	"2024-01-03,Heat,1995,https://boxd.it/1mBa,4,Yes,,2024-01-02\n"
local watchlist = "Date,Name,Year,Letterboxd URI\n2023-12-01,Alien,1979,https://boxd.it/2aHi\n"
local profile = "Date Joined,Username,Given Name,Family Name,Email Address,Location,Website,Bio,Pronoun,Favorite Films\n" ..
	"2020-01-01,someone,,,,,,,,\n"
local export = zip(folder .. "/letterboxd.zip", {
	{name = "profile.csv", bytes = profile},
	{name = "ratings.csv", bytes = ratings, deflate = true},
	{name = "diary.csv", bytes = diary, deflate = true},
	{name = "watched.csv", bytes = watchlist},
	{name = "watchlist.csv", bytes = watchlist},
	{name = "likes/films.csv", bytes = watchlist},
	{name = "deleted/", bytes = ""},
})
local t, why = reel.load(export)
is(t, nil, "an export of several catalogues needs opts.member")
is(why, export .. ": a zip archive of 6 catalogues: say which (member = \"...\"): " ..
   "profile.csv, ratings.csv, diary.csv, watched.csv, watchlist.csv, likes/films.csv",
   "and the error lists them (folders left out)")
local rated = assert(reel.load(export, {member = "ratings.csv"}))
is(#rated, 3, "opts.member picks ratings.csv")
ok(rated[1].title == "Amélie" and rated[1].year == 2001 and rated[1].rating == 4.5,
   "Letterboxd's Name, Year and Rating resolve as title, year and rating")
is(rated:where{title = "Spider-Man: No Way Home"}:count(), 1, "quoted CSV inside a deflated member")
local d = assert(reel.load(export, {member = "diary.csv"}))
ok(d[2].Rewatch == "Yes" and d[1]["Watched Date"] == "2024-01-01" and d[1].title == "Amélie",
   "diary.csv keeps its own columns beside the film names")
is(#assert(reel.load(export, {member = "films.csv"})), 1,
   "a member in a folder is found by its last name when only one has it")
t, why = reel.load(export, {member = "reviews.csv"})
is(why, export .. " has no member 'reviews.csv' (members: profile.csv, ratings.csv, " ..
   "diary.csv, watched.csv, watchlist.csv, likes/films.csv)", "an unknown member lists them")
t, why = reel.load(folder .. "/cut.db", {member = "x.csv"})
like(why, "cut.db: an SQLite database, not a zip archive %(the member option is for those%)",
     "opts.member on what is no zip")

local imdb = "Const,Your Rating,Date Rated,Title,Original Title,URL,Title Type,IMDb Rating," ..
	"Runtime (mins),Year,Genres,Num Votes,Release Date,Directors\n" ..
	"tt0211915,9,2024-01-02,Amélie,Le fabuleux destin d'Amélie Poulain," ..
	"https://www.imdb.com/title/tt0211915/,Movie,8.3,122,2001,\"Comedy, Romance\",780000,2001-04-25,Jean-Pierre Jeunet\n"
local one = zip(folder .. "/imdb.zip", {{name = "ratings.csv", bytes = imdb, deflate = true},
                                        {name = "README.txt", bytes = "from IMDb\n"}})
local i = assert(reel.load(one))
ok(#i == 1 and i[1].imdb_id == "tt0211915" and i[1].duration == 122 and i[1].rating == 8.3
   and i[1].original_title == "Le fabuleux destin d'Amélie Poulain" and i[1]["Your Rating"] == 9,
   "a zip of one catalogue loads it: the IMDb ratings export with its film names")
local only = zip(folder .. "/only.zip", {{name = "films", bytes = "title\tyear\nHeat\t1995\n"}})
is(assert(reel.load(only))[1].year, 1995, "a zip of one file, read by its bytes (TSV)")

-- SQLite and JSON inside
if has_sqlite3 then
	local inside = zip(folder .. "/db.zip", {{name = "films.db", bytes = slurp(folder .. "/several.db"), deflate = true}})
	is(#assert(reel.load(inside, {table = "movies"})), 2, "an SQLite database inside a zip, opts.table passed on")
end
local json = zip(folder .. "/json.zip", {{name = "films.json", bytes = '[{"title": "Heat", "year": 1995}]'}})
is(assert(reel.load(json))[1].title, "Heat", "JSON inside a zip")

-- hostile archives: each an error naming archive and member, nothing written
local files = listing(folder)
local climbing = zip(folder .. "/climb.zip", {{name = "../ratings.csv", bytes = ratings},
                                              {name = "notes.txt", bytes = "x"}})
t = assert(reel.load(climbing))
is(#t, 3, "a member called ../ratings.csv is read as any member is")
t, why = reel.load(climbing, {member = "ratings.csv"})
is(why, climbing .. " has no member 'ratings.csv' (members: ../ratings.csv, notes.txt)",
   "but its last name does not stand for it")
is(#assert(reel.load(climbing, {member = "../ratings.csv"})), 3, "its whole name does")
local png = "\137PNG\r\n\26\n\0\0\0\rIHDR\0\0\0\1"
local binary = zip(folder .. "/binary.zip", {{name = "films.csv", bytes = png}})
t, why = reel.load(binary)
is(why, binary .. ":films.csv: a PNG image, not a catalogue", "a binary member names archive and member")
local nul = zip(folder .. "/nul.zip", {{name = "films.csv", bytes = "title\0\0\0\n"}})
t, why = reel.load(nul)
like(why, "^.*nul%.zip:films%.csv:1:6: a NUL byte", "a NUL in a member: archive, member, line, column")
local evil = zip(folder .. "/evil.zip", {{name = "a\rb\127.csv", bytes = ratings},
                                         {name = "c.csv", bytes = ratings}})
t, why = reel.load(evil)
ok(why ~= nil and why:find("a?b?.csv", 1, true) and not why:find("[\r\127]"),
   "control characters in member names are not passed to the terminal")
local bytes = slurp(export)
spit(folder .. "/cut.zip", bytes:sub(1, #bytes // 2))
t, why = reel.load(folder .. "/cut.zip")
like(why, "cut%.zip: cannot be read as a zip archive: ", "a cut archive")
local intact = slurp(one) -- a byte of ratings.csv's deflated data flipped
spit(folder .. "/crc.zip", intact:sub(1, 59) .. string.char(intact:byte(60) ~ 0x55) .. intact:sub(61))
t, why = reel.load(folder .. "/crc.zip", {member = "README.txt"})
ok(t ~= nil, "a member intact beside a damaged one reads")
t, why = reel.load(folder .. "/crc.zip", {member = "ratings.csv"})
like(why, "crc%.zip:ratings%.csv: cannot be inflated: ", "the damaged one is an error: " .. tostring(why))
local lie = zip(folder .. "/lie.zip", {{name = "films.csv", bytes = "title\nHeat\n" .. string.rep("x", 5000) .. "\n", size = 20}})
t, why = reel.load(lie)
ok(t == nil and why:find("lie.zip:films.csv: ", 1, true), "a member longer than it claims: " .. tostring(why))

-- a bomb: 100 MB of zeros claimed and given in 100 KB
local zeros = assert(io.popen("head -c 100000000 /dev/zero | gzip -c -n")):read("a")
local raw = zeros:sub(11, #zeros - 8)
local crc = string.unpack("<I4", zeros, #zeros - 7)
local function bomb(path, claimed)
	local fields = string.pack("<I2I2I2I2I2I4I4I4I2I2", 20, 0, 8, 0, 0x21, crc, #raw, claimed, 9, 0)
	local loc = string.pack("<I4", 0x04034b50) .. fields .. "films.csv" .. raw
	local cd = string.pack("<I4I2", 0x02014b50, 20) .. fields ..
		string.pack("<I2I2I2I4I4", 0, 0, 0, 0, 0) .. "films.csv"
	spit(path, loc .. cd .. string.pack("<I4I2I2I2I2I4I4I2", 0x06054b50, 0, 0, 1, 1, #cd, #loc, 0))
	return path
end
t, why = reel.load(bomb(folder .. "/bomb.zip", 100000000))
is(why, folder .. "/bomb.zip:films.csv: a zip bomb? it claims 100000000 bytes from " .. #raw ..
   " (more than 200 to 1)", "a zip bomb is refused before it is inflated")
t, why = reel.load(bomb(folder .. "/liar.zip", 1000))
ok(t == nil and why:find("liar.zip:films.csv: ", 1, true),
   "a bomb that claims a small size stops there: " .. tostring(why))
os.remove(folder .. "/bomb.zip")
os.remove(folder .. "/liar.zip")
for _, made in ipairs{"binary", "climb", "crc", "cut", "evil", "lie", "nul"} do
	os.remove(folder .. "/" .. made .. ".zip")
end
is(listing(folder), files, "no hostile archive wrote anything")
-- }======

os.execute("rm -rf " .. folder)
done()
