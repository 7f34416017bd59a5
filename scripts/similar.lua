-- The films most like a given one, by description, director and year
local options = require("options")

local cli = options.parse(arg, {
  name = "similar",
  description = "Finds TITLE (a case-insensitive prefix of the title, or the original\n"
             .. "title or its prefix) and prints the other films most like it, with a\n"
             .. "score: the cosine of the descriptions' TF-IDF word vectors, plus a\n"
             .. "bonus for the same director and for years close together.",
  arguments = {
    { "TITLE", rest = true, help = "the film to start from (words are joined)" },
  },
  options = {
    { "count", kind = "integer", value = "N", default = 5, min = 1,
      help = "how many films to show" },
  },
})

options.require_columns(films, { "title", "description" })
local has_original = options.has_column(films, "original_title")
local has_director = options.has_column(films, "director")
local has_year = options.has_column(films, "year")

local DIRECTOR_BONUS = 0.2
local YEAR_BONUS, YEAR_HALF_LIFE = 0.1, 3   -- halves every 3 years apart

-- {====== Finding the film ======

local function starts_with(text, prefix)
  return type(text) == "string" and text:sub(1, #prefix) == prefix
end

-- The position of the film asked for: an exact title (ignoring case) wins;
-- otherwise the first film in the catalogue whose title or original title
-- starts with the words.
local function find_film(wanted)
  local lowered = wanted:lower()
  local first_prefix
  for i, film in ipairs(films) do
    local title = film.title and tostring(film.title)
    local original = has_original and film.original_title and tostring(film.original_title)
    if (title and title:lower() == lowered) or original == wanted then return i end
    if not first_prefix and (starts_with(title and title:lower(), lowered)
                             or starts_with(original, wanted)) then
      first_prefix = i
    end
  end
  return first_prefix
end

-- }======

-- {====== Word vectors ======

local STOPWORDS = {}
for word in ([[the and for with from that this his her him hers its their them they
  she who whom whose what when where which while into onto over under after
  before about than then there here are was were been being has have had not
  but all any one two out off own other others some such only very just also
  can could will would should may might must our your you yet]]):gmatch("%a+") do
  STOPWORDS[word] = true
end

-- "girls" -> "girl", so plural and singular meet; "boss", "virus" and
-- "basis" keep their s.
local function singular(word)
  if #word > 3 and word:match("[^sui]s$") then return word:sub(1, -2) end
  return word
end

-- Lowercased words of three or more letters, no stopwords, plurals made
-- singular. Bytes above 127 count as letters so Hangul words survive.
local function words_of(text)
  local words = {}
  for word in tostring(text or ""):lower():gmatch("[%a\128-\255]+") do
    if (utf8.len(word) or #word) >= 3 and not STOPWORDS[word] then
      words[#words + 1] = singular(word)
    end
  end
  return words
end

-- A unit-length TF-IDF vector for each film, keyed by the film's position.
local function tfidf_vectors(catalogue)
  local counts, seen_in = {}, {}
  for i, film in ipairs(catalogue) do
    local tf = {}
    for _, word in ipairs(words_of(film.description)) do tf[word] = (tf[word] or 0) + 1 end
    for word in pairs(tf) do seen_in[word] = (seen_in[word] or 0) + 1 end
    counts[i] = tf
  end
  local n = #counts
  for _, tf in ipairs(counts) do
    local norm = 0
    for word, count in pairs(tf) do
      tf[word] = count * (math.log((1 + n) / (1 + seen_in[word])) + 1)
      norm = norm + tf[word] ^ 2
    end
    norm = math.sqrt(norm)
    for word, weight in pairs(tf) do tf[word] = weight / norm end  -- idf > 0: no zero norm
  end
  return counts
end

local function cosine(a, b)
  local sum = 0
  for word, weight in pairs(a) do sum = sum + weight * (b[word] or 0) end
  return sum
end

-- }======

local function bonus(film, other)
  local extra = 0
  if has_director and film.director ~= nil and film.director == other.director then
    extra = extra + DIRECTOR_BONUS
  end
  if has_year and tonumber(film.year) and tonumber(other.year) then
    local gap = math.abs(tonumber(film.year) - tonumber(other.year))
    extra = extra + YEAR_BONUS * 0.5 ^ (gap / YEAR_HALF_LIFE)
  end
  return extra
end

local wanted = table.concat(cli.TITLE, " ")
local position = find_film(wanted)
if not position then options.fail("no film called '" .. wanted .. "'") end

local film, vectors, ranked = films[position], tfidf_vectors(films), {}
local mine = vectors[position]
for i, other in ipairs(films) do
  if i ~= position then
    ranked[#ranked + 1] = { film = other, position = i,
                            score = cosine(mine, vectors[i]) + bonus(film, other) }
  end
end
table.sort(ranked, function(a, b)
  if a.score ~= b.score then return a.score > b.score end
  return a.position < b.position
end)
for k = 1, math.min(cli.count, #ranked) do
  print(string.format("%.2f  %s", ranked[k].score, tostring(ranked[k].film)))
end
