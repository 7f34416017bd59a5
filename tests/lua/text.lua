-- tests/lua/text.lua: text as people read it: the orders of text (binary,
-- nocase, natural) in sort, min, max and aggregate, reel.collation, and
-- matching with accents folded away (where's accents = false, search).
dofile("tests/lua/tap.lua")

local path = os.tmpname()
local function catalogue(text)
	local f = assert(io.open(path, "w"))
	f:write(text)
	f:close()
	return assert(reel.load(path, {format = "csv"}))
end

local function titles(q) return table.concat(q:pluck("title"), " | ") end

-- {====== orders ======
local t = catalogue("title,year\nPart 10,1\nPart 2,2\nZorro,3\nabc,4\nÉcole,5\n")
is(titles(t:sort("title")), "Part 10 | Part 2 | Zorro | abc | École",
   "binary by default: byte order")
is(titles(t:sort("title", {collate = "natural"})), "abc | École | Part 2 | Part 10 | Zorro",
   "natural: case and accents folded, numbers by value")
is(titles(t:sort("-title", {collate = "natural"})), "Zorro | Part 10 | Part 2 | École | abc",
   "natural, descending")
is(titles(t:sort("title", {collate = "nocase"})), "abc | École | Part 10 | Part 2 | Zorro",
   "nocase: case folded, numbers as text")
is(titles(t:sort("title", {collate = "binary"})), titles(t:sort("title")), "binary by name")
local ties = catalogue("title\nécole\nEcole\nÉcole\necole\nPart 02\nPart 2\n")
is(titles(ties:sort("title", {collate = "natural"})),
   "Ecole | ecole | École | école | Part 02 | Part 2",
   "ties under natural order go by their bytes: the order is total")
is(titles(ties:sort("title", {collate = "natural"}):limit(2)),
   "Ecole | ecole", "a limit of a natural sort")
throws(function() t:sort("title", {collate = "french"}) end,
       "option 'collate' must be \"binary\", \"nocase\" or \"natural\"", "an unknown order")
throws(function() t:sort("title", {order = "natural"}) end,
       "unknown option 'order'", "an unknown option")
-- }======

-- {====== reel.collation ======
is(t:min("title"), "Part 10", "min of text is bytewise by default")
reel.collation = "natural"
is(titles(t:sort("title")), "abc | École | Part 2 | Part 10 | Zorro",
   "reel.collation sets the order of a sort that names none")
is(t:min("title"), "abc", "and of min")
is(t:max("title"), "Zorro", "and of max")
is(titles(t:aggregate("title", {"count"})), "abc | École | Part 2 | Part 10 | Zorro",
   "and of aggregate's keys")
is(t:aggregate(nil, {"min(title)"})[1].min_title, "abc", "and of aggregate's min")
reel.collation = "nocase"
is(titles(t:sort("title")), "abc | École | Part 10 | Part 2 | Zorro", "nocase too")
reel.collation = "tidy"
throws(function() t:sort("title") end,
       "reel.collation must be \"binary\", \"nocase\" or \"natural\"", "a bad reel.collation")
reel.collation = nil
is(titles(t:sort("title")), "Part 10 | Part 2 | Zorro | abc | École", "nil: binary again")
-- }======

-- {====== accents ======
local names = catalogue("title\nAmélie\nAMELIE\nAmelia\nÉcole\n")
is(titles(names:where{title = {contains = "amelie"}}), "AMELIE",
   "contains folds case, and keeps accents unless told")
is(titles(names:where{title = {contains = "amelie", accents = false}}), "Amélie | AMELIE",
   "accents = false: \"amelie\" finds \"Amélie\"")
is(titles(names:where{title = {contains = "AMÉLIE", accents = false}}), "Amélie | AMELIE",
   "the needle's accents go too")
is(titles(names:where{title = {eq = "amelie", accents = false}}), "Amélie | AMELIE",
   "eq with accents = false ignores case and accents")
is(titles(names:where{title = {ne = "amelie", accents = false}}), "Amelia | École",
   "and so does ne")
is(titles(names:search("AMELIE")), "Amélie | AMELIE", "search folds accents by default")
is(titles(names:search("ecole")), "École", "whichever side has them")
throws(function() names:where{title = {lt = "b", accents = false}} end,
       "accents = false applies to contains, eq and ne on text", "not to lt")
throws(function() names:where{title = {contains = "a", accents = "no"}} end,
       "title.accents takes true or false", "accents takes a boolean")
-- }======

os.remove(path)
done()
