-- tests/lua/nested_json.lua: nested JSON: objects flattened into dotted
-- columns, the film names found inside them (a Trakt history), arrays of
-- scalars as lists, arrays of objects as JSON text, JSON Lines alike, and
-- what stays an error.
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

-- {====== A Trakt history ======
local trakt = assert(reel.load(spit("history.json", [[
[{"id":1,"watched_at":"2024-01-02T20:00:00.000Z","action":"watch","type":"movie",
  "movie":{"title":"Parasite","year":2019,"runtime":132,
           "ids":{"trakt":1,"slug":"parasite-2019","imdb":"tt6751668","tmdb":496243},
           "genres":["drama","thriller"]}},
 {"id":2,"watched_at":"2024-01-03T21:00:00.000Z","action":"watch","type":"episode",
  "episode":{"season":1,"number":2,"title":"Pilot"},
  "show":{"title":"Kingdom","year":2019,"ids":{"imdb":"tt6611916"}}},
 {"id":3,"watched_at":"2024-01-05T19:30:00.000Z","action":"watch","type":"movie",
  "movie":{"title":"Burning","year":2018,"runtime":148,
           "ids":{"trakt":3,"slug":"burning-2018","imdb":"tt7282468","tmdb":491584},
           "genres":["mystery"]}}]
]])))
is(#trakt, 3, "a row an entry")
is_deeply(trakt:columns(), {"id", "watched_at", "action", "type", "movie.title",
	"movie.year", "movie.runtime", "movie.ids.trakt", "movie.ids.slug",
	"movie.ids.imdb", "movie.ids.tmdb", "movie.genres", "episode.season",
	"episode.number", "episode.title", "show.title", "show.year", "show.ids.imdb"},
	"objects flatten into dotted names, in first-seen order")
is(trakt[1]["movie.ids.imdb"], "tt6751668", "a field two objects down")
is(math.type(trakt[1]["movie.year"]), "integer", "nested values keep their types")
is(trakt[2]["movie.title"], nil, "a field an entry lacks is null")
is(trakt[1].title, "Parasite", "title resolves to movie.title")
is(trakt[3].year, 2018, "year to movie.year")
is(trakt[3].duration, 148, "duration to movie.runtime")
is(trakt[1].imdb_id, "tt6751668", "imdb_id to movie.ids.imdb")
is(trakt[2].title, nil, "a movie's title over a show's or an episode's")
is_deeply(trakt[1]["movie.genres"], {"drama", "thriller"}, "an array of strings is a list")
is(#trakt:where{type = "movie"}:where{duration = {lt = 140}}, 1,
   "where on a resolved nested name")
is(tostring(trakt[1]), "Parasite (2019, 132 min)", "a nested film prints")
is(#trakt:explode("movie.genres"), 3, "a nested list explodes")
is(trakt:where{title = "Burning"}:first()["movie.ids.slug"], "burning-2018",
   "where finds it by the film name")
-- }======

-- {====== Shapes ======
local shapes = assert(reel.load(spit("shapes.jsonl", table.concat({
	'{"title":"A","cast":[{"name":"Kim","role":"lead"}],"tags":["x","y"],"meta":{},"deep":{"a":{"b":{"c":1}}}}',
	'{"title":"B","cast":[],"tags":[1,2.5,true],"nums":[[1,2],[3]],"deep":{"a":{"b":{"c":2,"d":"e"}}}}',
	'{"title":"C","cast":null,"tags":"z","nums":null,"deep":null}',
}, "\n") .. "\n")))
is_deeply(shapes:columns(), {"title", "cast", "tags", "deep.a.b.c", "nums", "deep.a.b.d", "deep"},
          "JSON Lines flatten the same way; an empty object adds no column")
is(shapes[1].cast, '[{"name":"Kim","role":"lead"}]', "an array of objects stays JSON text")
is(shapes[2].cast, "[]", "and so does its empty array")
is(shapes[2].nums, "[[1,2],[3]]", "an array of arrays stays JSON text")
is_deeply(shapes[2].tags, {"1", "2.5", "true"}, "an array of other scalars is a list of their text")
is_deeply(shapes[3].tags, {"z"}, "a lone string in a list column is a list of one")
is(shapes[1]["deep.a.b.c"], 1, "three levels down")
is(shapes[3]["deep.a.b.c"], nil, "a null object is null below it")
is(shapes[3].deep, nil, "and in a column of its own")

local joined = assert(reel.load(spit("joiners.json",
	'[{"t":["Crouching Tiger, Hidden Dragon","Hero"]},{"t":["a|b","c"]},{"t":["d"]}]')))
is_deeply(joined[1].t, {"Crouching Tiger, Hidden Dragon", "Hero"},
          "an element with a comma stays whole")
is_deeply(joined[2].t, {"a|b", "c"}, "and one with a bar")
is(joined:select("t"):format("csv"), 't\n"Crouching Tiger, Hidden Dragon;Hero"\na|b;c\nd\n',
   "text formats join the elements with a separator none of them holds")
is(joined:select("t"):format("jsonl"),
   '{"t":["Crouching Tiger, Hidden Dragon","Hero"]}\n{"t":["a|b","c"]}\n{"t":["d"]}\n',
   "JSON writes the arrays back")
local empty = assert(reel.load(spit("empty.json", '[{"t":["a"]},{"t":[]}]')))
is_deeply(empty[2].t, {}, "an empty array is an empty list, not null")
is(empty:select("t"):format("jsonl"), '{"t":["a"]}\n{"t":[]}\n', "and prints as one")
is(#empty:explode("t"), 1, "it explodes to no row")
local escaped = assert(reel.load(spit("esc.json", '[{"t":["\\u00c9t\\u00e9","a\\"b"]}]')))
is_deeply(escaped[1].t, {"Été", 'a"b'}, "escapes in elements are decoded")

local same = assert(reel.load(spit("dots.json", '[{"a.b":1},{"a":{"b":2}}]')))
is_deeply(same:pluck("a.b"), {1, 2}, "a dotted key and a nested one meet in one column")

local path = folder .. "/back.json"
assert(trakt:save(path))
local back = assert(reel.load(path))
is_deeply(back:columns(), trakt:columns(), "saved and loaded back, the same columns")
is_deeply(back[1]["movie.genres"], {"drama", "thriller"}, "lists load back as lists")
-- }======

-- {====== Errors stay errors ======
local function fails(text, part, name)
	local t, err = reel.load(spit("bad.json", text))
	is(t, nil, name)
	has(err or "", part, name .. ": the message")
end
fails('[{"movie":{"title":"A",}}]', "expected a string key", "a trailing comma inside")
fails('[{"movie":{"title" "A"}}]', "bad.json:1:20: expected ':' after key", "line and column inside")
fails('[{"movie":{"title":"A"]}', "expected ',' or '}'", "an unclosed object")
fails('[{"t":["a",]}]', "unexpected character", "a trailing comma in an array")
fails('[{"t":["a"}]', "expected ',' or ']'", "an unclosed array")
fails('[{"t":' .. string.rep("[", 600) .. string.rep("]", 600) .. '}]', "nesting too deep",
      "deep arrays")
local deep = string.rep('{"a":', 40) .. "1" .. string.rep("}", 40)
local deeper = assert(reel.load(spit("deep.json", "[" .. deep .. "]")))
is(#deeper:columns(), 1, "objects past 32 levels stay JSON text in one column")
like(deeper:columns()[1], "^a%.a%.", "named down to there")
-- }======

os.execute("rm -rf " .. folder)
done()
