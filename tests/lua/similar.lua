-- tests/lua/similar.lua: q:similar against a brute-force scorer written
-- here from the definition in core/similar.h, on small random catalogues;
-- its reasons checked against the films' cells; its options and errors;
-- and q:search's columns and ranking.
dofile("tests/lua/tap.lua")

local dir = os.tmpname()
os.remove(dir)
assert(os.execute("mkdir -p " .. dir))

local function write(name, text)
	local path = dir .. "/" .. name
	local f = assert(io.open(path, "w"))
	f:write(text)
	f:close()
	return path
end

local function csv_cell(v)
	if v == nil then return "" end
	v = tostring(v)
	if v:find('[,"\n]') then return '"' .. v:gsub('"', '""') .. '"' end
	return v
end

-- {====== Random catalogues ======
-- Words that are no common word of any language reel knows and do not end
-- in "s" (English plurals are made singular), so the brute force needs no
-- stemming or stop words.
local WORDS = { "river", "prison", "daughter", "winter", "ghost", "city",
	"father", "mother", "secret", "summer", "road", "train", "island",
	"memory", "heart", "storm", "garden", "letter", "stranger", "friend",
	"village", "mountain", "wedding", "detective", "school", "song", "fire",
	"shadow", "promise", "journey", "silence", "crown", "mirror", "harbour",
	"bridge", "soldier", "teacher", "thief", "queen", "king", "doctor" }
local GENRES = { "Drama", "Comedy", "Crime", "Romance", "Thriller", "War", "Music" }
local PEOPLE = { "Kim Ji-woon", "Lee Chang-dong", "Bong Joon-ho", "Park Chan-wook",
	"Hong Sang-soo", "Im Kwon-taek", "Yoon Ga-eun", "Jeon Do-yeon", "Song Kang-ho" }

local function pick(list, n)
	local chosen, seen = {}, {}
	while #chosen < n do
		local item = list[math.random(#list)]
		if not seen[item] then seen[item] = true; chosen[#chosen + 1] = item end
	end
	return chosen
end

local function random_description()
	if math.random(6) == 1 then return nil end
	local words = {}
	for i = 1, math.random(3, 12) do
		local w = WORDS[math.random(math.min(#WORDS, 8 + i * 3))]
		if math.random(5) == 1 then w = w:sub(1, 1):upper() .. w:sub(2) end
		words[#words + 1] = w
	end
	return table.concat(words, math.random(2) == 1 and " " or ", ")
end

local function random_film(id)
	return {
		id = id, title = "Film " .. id,
		year = math.random(8) > 1 and math.random(1990, 2020) or nil,
		description = random_description(),
		genres = math.random(5) > 1 and table.concat(pick(GENRES, math.random(3)), ", ") or nil,
		director = math.random(4) > 1 and pick(PEOPLE, 1)[1] or nil,
		cast = math.random(3) > 1 and table.concat(pick(PEOPLE, math.random(2, 4)), ", ") or nil,
	}
end

local COLUMNS = { "id", "title", "year", "description", "genres", "director", "cast" }

local function save_catalogue(name, list)
	local lines = { table.concat(COLUMNS, ",") }
	for _, f in ipairs(list) do
		local cells = {}
		for i, c in ipairs(COLUMNS) do cells[i] = csv_cell(f[c]) end
		lines[#lines + 1] = table.concat(cells, ",")
	end
	return assert(reel.load(write(name, table.concat(lines, "\n") .. "\n")))
end
-- }======

-- {====== The brute force ======
local WEIGHTS = { description = 1, genres = 0.5, director = 0.3, cast = 0.3, year = 0.1 }
local TERM_SIGNALS = { "description", "genres", "director", "cast" }

-- A cell's terms counted: lower-case words, or the items of a list.
local function terms(signal, cell)
	local counts = {}
	if cell == nil then return counts end
	local pattern = signal == "description" and "%a+" or "[^,]+"
	for term in cell:gmatch(pattern) do
		term = term:match("^%s*(.-)%s*$"):lower()
		counts[term] = (counts[term] or 0) + 1
	end
	return counts
end

-- Each film's vector for each signal, with idf over the catalogue.
local function vectors(list)
	local all = {}
	for _, signal in ipairs(TERM_SIGNALS) do
		local df, films, counted = {}, 0, {}
		for i, f in ipairs(list) do
			counted[i] = terms(signal, f[signal])
			if next(counted[i]) then films = films + 1 end
			for term in pairs(counted[i]) do df[term] = (df[term] or 0) + 1 end
		end
		local vs = {}
		for i in ipairs(list) do
			local v, norm = {}, 0
			for term, n in pairs(counted[i]) do
				v[term] = (1 + math.log(n)) * (math.log((1 + films) / (1 + df[term])) + 1)
				norm = norm + v[term] ^ 2
			end
			vs[i] = { v = v, norm = math.sqrt(norm) }
		end
		all[signal] = vs
	end
	return all
end

local function cosine(a, b)
	if a.norm == 0 or b.norm == 0 then return 0 end
	local dot = 0
	for term, w in pairs(a.v) do dot = dot + w * (b.v[term] or 0) end
	return dot / (a.norm * b.norm)
end

local function likeness(all, list, i, j)
	local score = 0
	for _, signal in ipairs(TERM_SIGNALS) do
		score = score + WEIGHTS[signal] * cosine(all[signal][i], all[signal][j])
	end
	if list[i].year and list[j].year then
		score = score + WEIGHTS.year * 0.5 ^ (math.abs(list[i].year - list[j].year) / 3)
	end
	return score
end

-- id -> score of every film with a score above 0, like the seeds
-- (positions in list) with their weights.
local function brute_scores(list, seeds, weights)
	local all, total, scores = vectors(list), 0, {}
	for k in ipairs(seeds) do total = total + math.abs(weights[k]) end
	local is_seed = {}
	for _, s in ipairs(seeds) do is_seed[s] = true end
	for j, f in ipairs(list) do
		local sum = 0
		for k, s in ipairs(seeds) do sum = sum + weights[k] * likeness(all, list, s, j) end
		sum = sum / total
		if not is_seed[j] and sum > 1e-9 then scores[f.id] = sum end
	end
	return scores
end
-- }======

-- {====== Against the brute force ======
local function compare(t, list, seeds, weights, label)
	local films, k = {}, 0
	for _, s in ipairs(seeds) do films[#films + 1] = t[s] end
	local got = t:similar(#films == 1 and weights[1] == 1 and films[1] or films,
	                      { weights = weights, count = #list })
	local want, good, last = brute_scores(list, seeds, weights), true, math.huge
	for _, f in ipairs(got) do
		k = k + 1
		local expected = want[f.id]
		if expected == nil or math.abs(expected - f.score) > 0.0011 or f.score > last + 1e-9 then
			good = false
			diag(label .. ": film " .. f.id .. " scored " .. f.score .. ", brute force "
			     .. tostring(expected))
			break
		end
		last = f.score
	end
	local n = 0
	for _ in pairs(want) do n = n + 1 end
	return ok(good and n == k, label .. ": " .. k .. " films as the brute force scores them",
	          "brute force: " .. n .. " films")
end

math.randomseed(20240916)
for round = 1, 6 do
	local list = {}
	for id = 1, 20 + round * 10 do list[#list + 1] = random_film(id) end
	local t = save_catalogue("random" .. round .. ".csv", list)
	compare(t, list, { math.random(#list) }, { 1 }, "round " .. round .. ", one film")
	compare(t, list, { 1, 2, 3 }, { 3, 1, 0.5 }, "round " .. round .. ", three weighed films")
end
-- }======

-- {====== Reasons ======
local function items(cell)
	local set = {}
	for item in tostring(cell or ""):gmatch("[^,]+") do set[item:match("^%s*(.-)%s*$"):lower()] = true end
	return set
end

local function words(cell)
	local set = {}
	for w in tostring(cell or ""):gmatch("%a+") do set[w:lower()] = true end
	return set
end

-- Every claim of a reason, checked against the two films' cells.
local function reason_true(seed, f)
	for part in (f.reason .. "; "):gmatch("(.-); ") do
		local list = part:match("^shares: (.*)$") or part:match("^with (.*)$")
		             or part:match("^genres: (.*)$")
		local column = part:match("^shares") and "description" or part:match("^with") and "cast" or "genres"
		if part == "same director" then
			if not next(items(seed.director)) or not items(seed.director)[tostring(f.director):lower()] then
				return false, part
			end
		elseif part == "same year" or part:match("^%d+ years? apart$") then
			local apart = tonumber(part:match("^(%d+)")) or 0
			if math.abs(seed.year - f.year) ~= apart then return false, part end
		elseif list then
			local mine = column == "description" and words or items
			for item in list:gmatch("[^,]+") do
				item = item:match("^%s*(.-)%s*$"):lower()
				if not mine(seed[column])[item] or not mine(f[column])[item] then return false, part end
			end
		else
			return false, part
		end
	end
	return true
end

do
	local list = {}
	for id = 1, 60 do list[#list + 1] = random_film(id) end
	local t = save_catalogue("reasons.csv", list)
	local all_true, checked, why = true, 0, nil
	for i = 1, 10 do
		local seed = t[i]
		for _, f in ipairs(t:similar(seed, { count = 60 })) do
			local good, part = reason_true(seed, f)
			checked = checked + 1
			if not good then all_true, why = false, f.id .. ": " .. f.reason .. " (" .. part .. ")"; break end
		end
	end
	ok(all_true and checked > 100, "every part of " .. checked .. " reasons is true of both films", why)
end

local silenced = films:where{ title = "Silenced" }:first()
local like = films:similar(silenced, { count = 3 })
is_deeply(like:columns(), { "rank", "title", "original_title", "year", "duration",
                            "director", "description", "score", "reason" },
          "the result has the films' columns, then score and reason")
is(#like, 3, "opts.count caps the films")
is(like[1].title, "Hope", "Silenced is most like Hope, which shares its words")
has(like[1].reason, "shares: ", "a shared description's words are the reason")
is(tostring(like[1]), "Hope (2013, 122 min)", "the result's films print as films")
has(like:explain(), "similar  3 rows  native, similarity index", "explain shows the similarity index")
is_deeply(films:similar(silenced, { count = 3 }):pluck("title"), like:pluck("title"),
          "the index is made once and gives the same answer again")
-- }======

-- {====== Seeds, options and errors ======
local seeds = films:where{ title = { ["in"] = { "Silenced", "Hope" } } }
local both = films:similar(seeds, { count = 20 })
for _, f in ipairs(both) do
	if f.title == "Silenced" or f.title == "Hope" then ok(false, "a seed is never proposed") end
end
like = both:first()
like = like and like.reason or ""
like = like:match("^like ([^:]+): ")
ok(like == "Silenced" or like == "Hope", "with several films, the reason names the one most like")
is(#films:similar({ films[1], films[2] }), 8, "an array of films; both left out")
is(#films:where{ year = 2013 }:similar(silenced), 3, "the candidates are the query's films")

local ratings = assert(reel.load("tests/data/imdb_ratings_export.csv"))
local from_other = films:similar(ratings:where{ Title = "Silenced" }:first(), { count = 3 })
is(from_other[1].title, "Silenced", "a film of another catalogue: its own row is not left out")

local yearless = films:similar(silenced, { signals = { year = 0 }, count = 20 })
ok(#yearless < 9, "signals = {year = 0}: films alike only by year are gone", #yearless)
for _, f in ipairs(yearless) do
	if f.reason:find("apart") or f.reason:find("same year") then ok(false, "no year in a reason") end
end
throws(function() films:similar(silenced, { signal = {} }) end, "signal", "a misspelt option")
throws(function() films:similar(silenced, { signals = { year = -1 } }) end, "signal 'year'",
       "a negative weight")
throws(function() films:similar(silenced, { count = -2 }) end, "count", "a negative count")
throws(function() films:similar({ films[1] }, { weights = { 1, 2 } }) end, "weights",
       "a weight a film")
throws(function() films:similar("Silenced") end, "film, query or array of films",
       "a title is not a film")
throws(function() films:similar({ "Silenced" }) end, "is not a film", "nor in an array")

local bare = assert(reel.load(write("bare.csv", "title,duration\nA,90\nB,100\n")))
throws(function() return #bare:similar(bare[1]) end, "none of the columns description",
       "a catalogue with nothing to compare")
local plain = assert(reel.load(write("plain.csv", "title,plot\nA,a quiet river\nB,the quiet river\nC,war\n")))
is(plain:similar(plain[1])[1].title, "B", "plot stands for description")
local clash = assert(reel.load(write("clash.csv", "title,score,genres\nA,1,Drama\nB,2,Drama\n")))
is_deeply(clash:similar(clash[1]):columns(), { "title", "score", "genres", "score_2", "reason" },
          "a catalogue's own score column keeps its name")
-- }======

-- {====== Folded words ======
local accents = assert(reel.load(write("accents.csv", [[
title,year,description
Amélie,2001,"Une JEUNE serveuse, à Montmartre: le destin fabuleux d'Amélie"
Le Fabuleux Destin,2001,Le destin d'une jeune serveuse
Stranger,2001,A stranger at a station
]])))
local amelie = accents:search("AMÉLIE", { columns = { "title" }, rank = true }):first()
is(amelie and amelie.title, "Amélie", "AMÉLIE finds Amélie")
local near = accents:similar(amelie)
is(near[1].title, "Le Fabuleux Destin", "French words meet however they are cased and accented")
has(near[1].reason, "destin", "the shared words are folded")
ok(not near[1].reason:find("%f[%a]une%f[%A]") and not near[1].reason:find("%f[%a]le%f[%A]"),
   "French common words are left out", near[1].reason)
-- }======

-- {====== Search ======
is_deeply(films:search("prison", { columns = { "title" } }):pluck("title"), {},
          "columns limits where search looks")
is_deeply(films:search("prison", { columns = "description" }):pluck("title"),
          { "Harmony", "Way Back Home" }, "a column's name alone")
is_deeply(films:search("home"):pluck("title"), { "Way Back Home", "Spirits' Homecoming" },
          "without rank, catalogue order")
local catalogue = assert(reel.load(write("stars.csv", [[
title,description,votes
The Lucky Ones,A star is born,10
Starship,Troopers in space,500
Falling Star,Love,5
Star,Just the one,1
Star Wars,A space opera,20
Stardust,Fairy tale,30
]])))
is_deeply(catalogue:search("star", { rank = true }):pluck("title"),
          { "Star", "Star Wars", "Falling Star", "Starship", "Stardust", "The Lucky Ones" },
          "rank: the whole title, its first words, whole words, then the start of a word, a title before a description")
is_deeply(catalogue:search("star", { rank = true, columns = { "description" } }):pluck("title"),
          { "The Lucky Ones" }, "rank within the columns asked for")
throws(function() films:search("x", { columns = { "year" } }) end, "holds integers, not text",
       "search looks in text columns only")
throws(function() films:search("x", { columns = { "titel" } }) end, "did you mean 'title'",
       "a misspelt column")
throws(function() films:search("x", { rank = true, colums = {} }) end, "colums",
       "a misspelt option")
-- }======

os.execute("rm -rf " .. dir)
done()
