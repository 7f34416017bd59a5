-- tests/lua/lists.lua: list columns: IMDb's genres, directors and writers,
-- opts.lists, where's has, q:explode and its aggregates (sqlite3 as the
-- oracle), printing a list as it was written, and the errors.
dofile("tests/lua/tap.lua")

local folder = os.tmpname()
os.remove(folder)
assert(os.execute("mkdir " .. folder))

local function spit(name, text)
	local path = folder .. "/" .. name
	local file = assert(io.open(path, "wb"))
	file:write(text)
	file:close()
	return path
end

local function shell(command)
	local p = io.popen(command)
	local text = p:read("a")
	p:close()
	return text
end

-- {====== IMDb's lists ======
local basics = assert(reel.load(spit("title.basics.tsv", table.concat({
	"tconst\ttitleType\tprimaryTitle\tstartYear\truntimeMinutes\tgenres",
	"tt1\tmovie\tMiracle in Cell No. 7\t2013\t127\tComedy,Drama",
	"tt2\tmovie\tWedding Dress\t2010\t109\tDrama,Romance",
	"tt3\tmovie\tNo Genre\t2001\t90\t\\N",
	"tt4\tmovie\tSpace Opera\t2002\t80\tAction,Drama,Sci-Fi",
	"tt5\tshort\tDrama Queen\t2003\t10\tComedy",
	"tt6\tmovie\tÉté\t2004\t95\tDrame,Comédie",
}, "\n") .. "\n")))
local crew = assert(reel.load(spit("title.crew.tsv",
	"tconst\tdirectors\twriters\ntt1\tnm1,nm2\tnm3\ntt2\tnm4\t\\N\n")))

is_deeply(basics[1].genres, {"Comedy", "Drama"}, "a genres cell is a Lua array")
is_deeply(basics[5].genres, {"Comedy"}, "a list of one")
is(basics[3].genres, nil, "a null list is nil")
is_deeply(crew[1].directors, {"nm1", "nm2"}, "directors are a list")
is_deeply(crew[1].writers, {"nm3"}, "writers are a list")
is_deeply(basics:first():totable().genres, {"Comedy", "Drama"}, "totable too")
is(#basics:pluck("genres"), 6, "pluck gives a list a film")
is_deeply(basics:pluck("genres")[2], {"Drama", "Romance"}, "pluck's cells are arrays")
-- }======

-- {====== has ======
local function titles(q) return q:pluck("primaryTitle") end
is_deeply(titles(basics:where{genres = {has = "Drama"}}),
          {"Miracle in Cell No. 7", "Wedding Dress", "Space Opera"},
          "has finds a whole element anywhere in the list")
is_deeply(titles(basics:where{genres = {has = "Sci-Fi"}}), {"Space Opera"},
          "has finds the last element")
is(#basics:where{genres = {has = "Dram"}}, 0, "has matches whole elements, not parts")
is(#basics:where{genres = {has = "drama"}}, 0, "has is case-sensitive, as eq is")
is(#basics:where{genres = {has = "drama", accents = false}}, 3,
   "accents = false folds case...")
is_deeply(titles(basics:where{genres = {has = "comedie", accents = false}}), {"Été"},
          "...and accents, as eq does")
is(#basics:where{genres = {has = "Drama"}, startYear = {ge = 2010}}, 2,
   "has ANDs with other ops")
is(#basics:where{genres = {has = "Drama"}}:where{genres = {has = "Comedy"}}, 1,
   "two has in a row")
is(basics:where{genres = {contains = "Sci"}}:count(), 1,
   "contains still looks in the text as written")
is(basics:where{genres = "Comedy,Drama"}:count(), 1, "eq compares the list as written")
throws(function() basics:where{primaryTitle = {has = "x"}} end,
       "has needs a list column, and 'primaryTitle' is not one", "has on text")
throws(function() basics:where{startYear = {has = 1}} end,
       "has needs a list column", "has on a number")
throws(function() basics:where{genres = {has = 1}} end,
       "holds strings, not integers", "has takes a string")
-- }======

-- {====== explode ======
local exploded = basics:explode("genres")
is(#exploded, 10, "explode: one row an element, null lists give none")
is_deeply(exploded:pluck("primaryTitle"),
          {"Miracle in Cell No. 7", "Miracle in Cell No. 7", "Wedding Dress",
           "Wedding Dress", "Space Opera", "Space Opera", "Space Opera",
           "Drama Queen", "Été", "Été"}, "the other columns repeat, in order")
is_deeply(exploded:pluck("genres"),
          {"Comedy", "Drama", "Drama", "Romance", "Action", "Drama", "Sci-Fi",
           "Comedy", "Drame", "Comédie"}, "each row has its element, as text")
is(math.type(exploded[1].startYear), "integer", "other columns keep their types")
is(exploded[1].title, "Miracle in Cell No. 7", "film names still resolve")
is(#exploded:where{genres = "Drama"}, 3, "where eq on the exploded column")
is_deeply(exploded:columns(), basics:columns(), "the same columns")
local counts = exploded:aggregate("genres", {"count"}):sort("-count", "genres")
is_deeply(counts:pluck("genres"),
          {"Drama", "Comedy", "Action", "Comédie", "Drame", "Romance", "Sci-Fi"},
          "explode then aggregate counts films per genre")
is_deeply(counts:pluck("count"), {3, 2, 1, 1, 1, 1, 1}, "with their counts")
like(exploded:aggregate("genres", {"count"}):explain(),
     "films  6 rows.*\nexplode  10 rows  native", "explain shows the explode step")
is(#basics:where{titleType = "movie"}:explode("genres"), 9,
   "explode after a where explodes only its rows")
is(#basics:explode("genres"):where{genres = "Drama"}:limit(2), 2,
   "and steps follow it")
throws(function() basics:explode("primaryTitle") end,
       "explode: 'primaryTitle' is not a list column", "explode of text")
throws(function() basics:explode("nope") end, "no column 'nope'", "an unknown column")
throws(function() exploded:explode("genres") end, "is not a list column",
       "an exploded column is text")
is(#basics:where{genres = {null = true}}:explode("genres"), 0,
   "nothing to explode gives no rows")
-- }======

-- {====== opts.lists ======
local csv = spit("cast.csv", 'title,cast,tags\n' ..
	'Parasite,"Song Kang-ho; Choi Woo-shik",a|b\n' ..
	'Mother,Kim Hye-ja,\n' ..
	'Oldboy,"Choi Min-sik ;  Yoo Ji-tae ;",x\n')
local cast = assert(reel.load(csv, {lists = {cast = ";", tags = "|"}}))
is_deeply(cast[1].cast, {"Song Kang-ho", "Choi Woo-shik"}, "opts.lists makes a list")
is_deeply(cast[3].cast, {"Choi Min-sik", "Yoo Ji-tae"},
          "elements are trimmed, empty ones left out")
is_deeply(cast[1].tags, {"a", "b"}, "any separator")
is(cast[2].tags, nil, "a null stays nil")
is(#cast:explode("cast"), 5, "explode of a list made by opts.lists")
is(#cast:where{cast = {has = "Yoo Ji-tae"}}, 1, "has on it")
local plain = assert(reel.load(folder .. "/title.basics.tsv", {lists = {genres = false}}))
is(plain[1].genres, "Comedy,Drama", "lists = {col = false} keeps the text")
local multi = assert(reel.load(spit("m.csv", 'title,people\nA,"x, y, z"\n'),
                               {lists = {people = ", "}}))
is_deeply(multi[1].people, {"x", "y", "z"}, "a separator of several bytes")
local by_name = assert(reel.load(spit("g.csv", 'name,genre\nA,"Drama, War"\n'),
                                 {lists = {genres = ","}}))
is_deeply(by_name[1].genre, {"Drama", "War"}, "a film name stands for its column")
local missing, err = reel.load(csv, {lists = {cst = ";"}})
is(missing, nil, "an unknown column fails the load")
has(err, "has no column 'cst' (did you mean 'cast'?)", "naming the close one")
local _, typed = reel.load(folder .. "/title.basics.tsv", {lists = {startYear = ","}})
has(typed, "column 'startYear' holds integers, not text", "a typed column is no list")
throws(function() reel.load(csv, {lists = {"cast"}}) end,
       "option 'lists' must map column names to separators", "a bad shape")
throws(function() reel.load(csv, {lists = ";"}) end,
       "option 'lists' must map column names to separators", "not a table")
local _, long = reel.load(csv, {lists = {cast = "12345678"}})
has(long, "longer than 7 bytes", "a separator too long")
-- }======

-- {====== printing ======
local two = basics:limit(2):select("primaryTitle", "genres")
is(two:format("csv"), 'primaryTitle,genres\nMiracle in Cell No. 7,"Comedy,Drama"\n' ..
   'Wedding Dress,"Drama,Romance"\n', "CSV prints a list as it was written")
is(two:format("tsv"), "primaryTitle\tgenres\nMiracle in Cell No. 7\tComedy,Drama\n" ..
   "Wedding Dress\tDrama,Romance\n", "TSV too")
is(two:format("jsonl"), '{"primaryTitle":"Miracle in Cell No. 7","genres":["Comedy","Drama"]}\n' ..
   '{"primaryTitle":"Wedding Dress","genres":["Drama","Romance"]}\n',
   "JSON prints a list as an array")
is(two:format("{primaryTitle}: {genres}\n"),
   "Miracle in Cell No. 7: Comedy,Drama\nWedding Dress: Drama,Romance\n",
   "a template shows the text")
is(cast:limit(1):select("cast"):format("json"),
   '[\n{"cast":["Song Kang-ho","Choi Woo-shik"]}\n]\n', "trimmed elements in JSON")
-- }======

-- {====== the counts per genre against sqlite3 ======
if os.execute("command -v sqlite3 >/dev/null 2>&1") then
	local rows, lines = {}, {"title,genre"}
	local names = {"Drama", "Comedy", "Action", "Horror", "Sci-Fi", "Romance"}
	for i = 1, 300 do
		local list = {}
		for g = 1, #names do
			if (i * g) % (g + 2) == 0 then list[#list + 1] = names[g] end
		end
		rows[#rows + 1] = ("tt%d\tmovie\tFilm %d\t%s"):format(i, i,
			#list > 0 and table.concat(list, ",") or "\\N")
		for _, g in ipairs(list) do lines[#lines + 1] = ("Film %d,%s"):format(i, g) end
	end
	local many = assert(reel.load(spit("many.tsv",
		"tconst\ttitleType\tprimaryTitle\tgenres\n" .. table.concat(rows, "\n") .. "\n")))
	spit("pairs.csv", table.concat(lines, "\n") .. "\n")
	local oracle = shell("sqlite3 -csv :memory: '.import " .. folder .. "/pairs.csv p' " ..
		"'SELECT genre, count(*) FROM p GROUP BY genre ORDER BY genre'")
	local mine = many:explode("genres"):aggregate("genres", {"count"})
	is(mine:format("csv"):gsub("^[^\n]*\n", ""):gsub("\r", ""), oracle:gsub("\r", ""),
	   "films per genre: the same as GROUP BY over the pairs")
	local drama = shell("sqlite3 :memory: '.import --csv " .. folder .. "/pairs.csv p' " ..
		"\"SELECT count(*) FROM p WHERE genre = 'Drama'\"")
	is(#many:where{genres = {has = "Drama"}}, tonumber(drama), "has agrees with sqlite3")
else
	ok(true, "# SKIP no sqlite3")
	ok(true, "# SKIP no sqlite3")
end
-- }======

os.execute("rm -rf " .. folder)
done()
