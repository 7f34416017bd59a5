-- Your ratings (a Letterboxd export: Date,Name,Year,Letterboxd URI,Rating;
-- or an IMDb ratings export: Const,Your Rating,Date Rated,Title,...,Year)
-- read and found in the catalogue, for recommend. A rated film is found by
-- its IMDb id where both have one, else by its title (or original title)
-- and year, else loosely: case, accents, punctuation and a leading article
-- set aside, a year either way.
local options = require("options")

local ratings = {}

local DATA_ERROR = 3
-- The films rated highest that recommend starts from.
local MOST_SEEDS = 100

-- {====== Folding titles ======

-- The accented Latin letters (UTF-8) and the letter each folds to.
local ACCENTED = {
  a = "àáâãäåāăąÀÁÂÃÄÅĀĂĄ", c = "çćĉċčÇĆĈĊČ", d = "ďđĎĐ", e = "èéêëēĕėęěÈÉÊËĒĔĖĘĚ",
  g = "ĝğġģĜĞĠĢ", h = "ĥħĤĦ", i = "ìíîïĩīĭįıÌÍÎÏĨĪĬĮİ", j = "ĵĴ", k = "ķĶ",
  l = "ĺļľŀłĹĻĽĿŁ", n = "ñńņňÑŃŅŇ", o = "òóôõöøōŏőÒÓÔÕÖØŌŎŐ", r = "ŕŗřŔŖŘ",
  s = "śŝşšŚŜŞŠ", t = "ţťŧŢŤŦ", u = "ùúûüũūŭůűųÙÚÛÜŨŪŬŮŰŲ", w = "ŵŴ",
  y = "ýÿŷÝŸŶ", z = "źżžŹŻŽ", ss = "ß", ae = "æÆ", oe = "œŒ",
}
local PLAIN = {}
for plain, letters in pairs(ACCENTED) do
  for letter in letters:gmatch(utf8.charpattern) do PLAIN[letter] = plain end
end

local ARTICLES = { "the ", "a ", "an ", "le ", "la ", "les ", "l ", "el ", "los ",
                   "las ", "il ", "der ", "die ", "das " }

-- "The Amélie!" and "amelie" fold alike.
function ratings.fold(title)
  local text = tostring(title)
  if text:find("[\128-\255]") then text = text:gsub(utf8.charpattern, PLAIN) end
  text = text:lower()
  text = text:gsub("[%p%s]+", " "):gsub("^ ", ""):gsub(" $", "")
  for _, article in ipairs(ARTICLES) do
    if text:sub(1, #article) == article and #text > #article then
      return text:sub(#article + 1)
    end
  end
  return text
end

-- }======

-- {====== Reading an export ======

-- The first of `names` the table has as a column of its own.
local function own_column(t, names)
  local have = {}
  for _, column in ipairs(t:columns()) do have[column] = true end
  for _, name in ipairs(names) do
    if have[name] then return name end
  end
end

-- The export at `path`: its table and the columns that matter, by name.
function ratings.read(path)
  local t, why = reel.load(path)
  if not t then options.fail(why, DATA_ERROR) end
  local export = {
    films = t, path = path,
    title = own_column(t, { "Name", "Title", "title", "primaryTitle" }),
    original = own_column(t, { "Original Title", "originalTitle", "original_title" }),
    year = own_column(t, { "Year", "year", "startYear" }),
    rating = own_column(t, { "Your Rating", "Rating", "rating" }),
    id = own_column(t, { "Const", "tconst", "imdb_id", "imdbID" }),
  }
  if not export.title then
    options.fail(path .. " is no ratings export: it has no Name or Title column", DATA_ERROR)
  end
  if #t == 0 then options.fail(path .. " holds no ratings", DATA_ERROR) end
  return export
end

-- One entry a rated film: its title, year, id and rating (nil when none).
local function entries_of(export)
  local list = {}
  for _, f in ipairs(export.films) do
    local rating = export.rating and tonumber(f[export.rating])
    list[#list + 1] = {
      title = f[export.title], year = export.year and tonumber(f[export.year]),
      original = export.original and f[export.original],
      id = export.id and f[export.id], rating = rating, films = {},
    }
  end
  return list
end

-- }======

-- {====== Finding the films ======

local function key(title, year)
  return tostring(title) .. "\0" .. tostring(year)
end

-- Every entry by key, for the entries not found yet.
local function index_entries(entries, key_of)
  local by = {}
  for _, e in ipairs(entries) do
    local k = #e.films == 0 and key_of(e)
    if k then
      by[k] = by[k] or {}
      table.insert(by[k], e)
    end
  end
  return by
end

-- The films of a semi join, each given to the entries of its key.
local function take_matches(found, by, film_key)
  for _, film in ipairs(found) do
    for _, e in ipairs(by[film_key(film)] or {}) do table.insert(e.films, film) end
  end
end

local function by_id(catalogue, export, entries)
  if not export.id or not options.has_column(catalogue, "imdb_id") then return end
  local by = index_entries(entries, function(e) return e.id end)
  take_matches(catalogue:join(export.films, { left = "imdb_id", right = export.id },
                              { kind = "semi" }),
               by, function(f) return f.imdb_id end)
end

-- Title (or the catalogue's original title, and the export's) and year.
local function by_title(catalogue, export, entries, column, theirs)
  if not export.year or not theirs or not options.has_column(catalogue, column) then
    return
  end
  local by = index_entries(entries, function(e)
    return e.year and key(theirs == export.title and e.title or e.original, e.year)
  end)
  local good, found = pcall(catalogue.join, catalogue, export.films,
                            { left = { column, "year" }, right = { theirs, export.year } },
                            { kind = "semi" })
  if good then take_matches(found, by, function(f) return key(f[column], f.year) end) end
end

-- The longest run of ASCII letters and digits in a title, to narrow with.
local function plain_word(title)
  local best = ""
  for word in tostring(title):gmatch("[%w]+") do
    if #word > #best then best = word end
  end
  return #best >= 3 and best or nil
end

-- The catalogue's films that fold to the entry's title, a year either way:
-- among those whose title holds it (ignoring case), else those that hold
-- its longest plain word (accents aside).
local function loosely(catalogue, e)
  local near = catalogue:where{ year = { between = { e.year - 1, e.year + 1 } } }
  local columns = { "title", options.has_column(catalogue, "original_title") and "original_title" or nil }
  local word = plain_word(e.title)
  local holding = near:search(tostring(e.title), { columns = columns })
  if #holding > 0 or not word then
    near = holding
  else
    near = near:search(word, { columns = columns })
  end
  local wanted = ratings.fold(e.title)
  local has_original = options.has_column(catalogue, "original_title")
  for _, film in ipairs(near) do
    if ratings.fold(film.title) == wanted
       or (has_original and film.original_title and ratings.fold(film.original_title) == wanted) then
      table.insert(e.films, film)
    end
  end
end

local function by_folding(catalogue, entries)
  if not options.has_column(catalogue, "year") then return end
  for _, e in ipairs(entries) do
    if #e.films == 0 and e.year and e.title then loosely(catalogue, e) end
  end
end

-- }======

-- {====== Weights ======

-- How much each entry counts: above the average rating, by how much (the
-- MOST_SEEDS best only); every film alike when there are no ratings or all
-- are the same; 0 for the rest, which are still never proposed.
local function weigh(entries)
  local sum, n, high = 0, 0, nil
  for _, e in ipairs(entries) do
    if e.rating then
      sum, n = sum + e.rating, n + 1
      high = math.max(high or e.rating, e.rating)
    end
  end
  local mean = n > 0 and sum / n or 0
  local flat = n == 0 or high == mean
  local ranked = {}
  for _, e in ipairs(entries) do
    e.weight = flat and (e.rating or n == 0) and 1 or math.max(0, (e.rating or mean) - mean)
    if #e.films > 0 and e.weight > 0 then ranked[#ranked + 1] = e end
  end
  table.sort(ranked, function(a, b) return a.weight > b.weight end)
  for i = MOST_SEEDS + 1, #ranked do ranked[i].weight = 0 end
end

-- }======

-- The rated films found in the catalogue (Films of it) and their weights,
-- and how many entries were not found.
function ratings.match(catalogue, export)
  local entries = entries_of(export)
  by_id(catalogue, export, entries)
  by_title(catalogue, export, entries, "title", export.title)
  by_title(catalogue, export, entries, "original_title", export.original)
  by_title(catalogue, export, entries, "original_title", export.title)
  by_folding(catalogue, entries)
  weigh(entries)
  local films, weights, missing = {}, {}, 0
  for _, e in ipairs(entries) do
    if #e.films == 0 then missing = missing + 1 end
    for _, film in ipairs(e.films) do
      films[#films + 1], weights[#weights + 1] = film, e.weight / #e.films
    end
  end
  return films, weights, missing
end

return ratings
