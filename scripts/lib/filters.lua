-- Filters and output shared by the scripts that pick films: --genre,
-- --year A[-B], --min-rating, --min-votes, --type and -o FORMAT.
--
--   local options = require("options")
--   local filters = require("filters")
--   local cli = options.parse(arg, {
--     name = "random_under",
--     options = filters.with { {"count", kind = "integer", default = 1} },
--   })
--   local pool = filters.apply(films, cli)    -- a Query
--   filters.show(pool:sample(3), cli, function(f) return tostring(f) end)
--
-- The columns are found through the film names (genres, year, rating,
-- votes, type), so IMDb's, Letterboxd's and TMDB's headers all work; a
-- filter whose column the catalogue lacks exits 3 naming close columns and
-- --column. --type keeps the films of a title type (IMDb's titleType,
-- "movie" by default where the catalogue has such a column; "any" keeps
-- every type).
local options = require("options")

local filters = {}

local FORMATS = { "table", "csv", "tsv", "json", "jsonl", "markdown" }

-- {====== Checking values ======

-- "1990" or "1990-1999" as {first, last}; nil and why for anything else.
local function check_years(text)
  local first, last = text:match("^(%d+)%-(%d+)$")
  first, last = tonumber(first or text:match("^%d+$")), tonumber(last)
  if not first then return nil, "must be a year or YEAR-YEAR, not '" .. text .. "'" end
  last = last or first
  if last < first then return nil, "must go from the earlier year, not '" .. text .. "'" end
  return { first, last }
end

local function check_number(text)
  local n = tonumber(text)
  if not n then return nil, "must be a number, not '" .. text .. "'" end
  return n
end

local function check_format(text)
  for _, name in ipairs(FORMATS) do
    if name == text then return text end
  end
  return nil, "must be one of " .. table.concat(FORMATS, ", ") .. ", not '" .. text .. "'"
end

local function check_genres(text)
  local list = {}
  for genre in text:gmatch("[^,]+") do
    genre = genre:match("^%s*(.-)%s*$")
    if genre ~= "" then list[#list + 1] = genre end
  end
  if #list == 0 then return nil, "must name a genre" end
  return list
end

-- }======

-- The filter options, after the script's own `list`.
function filters.with(list)
  local all = { table.unpack(list or {}) }
  for _, option in ipairs({
    { "genre", value = "G[,G]", check = check_genres,
      help = "only films of every genre named (IMDb genres: Drama, Comedy, ...)" },
    { "year", value = "A[-B]", check = check_years, help = "only films from year A (to B)" },
    { "min-rating", value = "X", check = check_number, help = "only films rated X or more" },
    { "min-votes", value = "N", kind = "integer", min = 0,
      help = "only films with N votes or more" },
    { "type", value = "TYPE",
      help = "only films of this title type, 'any' for all (default movie where the catalogue says)" },
    { "output", short = "o", value = "FORMAT", check = check_format,
      help = "print as " .. table.concat(FORMATS, ", ") .. " instead of lines" },
  }) do
    all[#all + 1] = option
  end
  return all
end

-- {====== Applying them ======

-- "TV Movie", "tvMovie" and "tv_movie" are one type.
local function type_key(text)
  return tostring(text):lower():gsub("[%s%-_]", "")
end

-- The catalogue's own spellings of a title type, e.g. {"movie"} or
-- {"Movie"}; and every spelling, for a message.
local function type_values(catalogue, wanted)
  local matching, all = {}, {}
  for _, value in ipairs(catalogue:aggregate("type", { "count" }):pluck("type")) do
    if value ~= reel.null then
      all[#all + 1] = tostring(value)
      if type_key(value) == type_key(wanted) then matching[#matching + 1] = value end
    end
  end
  return matching, all
end

local function by_type(q, cli)
  local wanted = cli.type or "movie"
  if wanted == "any" then return q end
  if not options.has_column(q, "type") then
    if cli.type then options.require_columns(q, { "type" }) end
    return q
  end
  local matching, all = type_values(q, wanted)
  if #matching == 0 then
    options.fail("no film is of type '" .. wanted .. "' (the catalogue has: "
                 .. table.concat(all, ", ") .. "; --type any keeps them all)", 3)
  end
  return q:where{ type = { ["in"] = matching } }
end

-- A genres cell (a list, or text such as "Crime, Drama") as a set of
-- lower-case names.
local function genre_set(cell)
  local set = {}
  if type(cell) == "table" then cell = table.concat(cell, ",") end
  for genre in tostring(cell or ""):gmatch("[^,|;]+") do
    set[genre:match("^%s*(.-)%s*$"):lower()] = true
  end
  return set
end

local function by_genres(q, genres)
  options.require_columns(q, { "genres" })
  for _, genre in ipairs(genres) do
    local wanted = genre:lower()
    q = q:search(genre, { columns = { "genres" } })
         :filter(function(f) return genre_set(f.genres)[wanted] end)
  end
  return q
end

-- A where that a column of the wrong type refuses is a data error.
local function checked_where(q, name, condition, what)
  options.require_columns(q, { name })
  local good, result = pcall(q.where, q, { [name] = condition })
  if not good then
    options.fail("cannot filter by " .. what .. ": " .. tostring(result):gsub("^.-:%d+: ", ""), 3)
  end
  return result
end

-- The catalogue with the command line's filters, as a Query.
function filters.apply(catalogue, cli)
  local q = by_type(catalogue, cli)
  if cli.year then
    q = checked_where(q, "year", { between = cli.year }, "year")
  end
  if cli["min-rating"] then
    q = checked_where(q, "rating", { ge = cli["min-rating"] }, "rating")
  end
  if cli["min-votes"] then
    q = checked_where(q, "votes", { ge = cli["min-votes"] }, "votes")
  end
  if cli.genre then q = by_genres(q, cli.genre) end
  return q
end

-- What the filters asked for, for a message: " (drama, 1990-1999)".
function filters.describe(cli)
  local parts = {}
  if cli.genre then parts[#parts + 1] = table.concat(cli.genre, ", ") end
  if cli.year then
    parts[#parts + 1] = cli.year[1] == cli.year[2] and tostring(cli.year[1])
                        or cli.year[1] .. "-" .. cli.year[2]
  end
  if cli["min-rating"] then parts[#parts + 1] = "rated " .. cli["min-rating"] .. "+" end
  if cli["min-votes"] then parts[#parts + 1] = cli["min-votes"] .. "+ votes" end
  if cli.type and cli.type ~= "any" then parts[#parts + 1] = cli.type end
  return #parts > 0 and " (" .. table.concat(parts, ", ") .. ")" or ""
end

-- }======

-- {====== Output ======

-- The film names among `wanted` the query has, for -o.
local function present(q, wanted)
  local names = {}
  for _, name in ipairs(wanted) do
    if options.has_column(q, name) then names[#names + 1] = name end
  end
  return names
end

-- Prints the films of q: with -o, as that format (the columns among
-- `columns` the query has); otherwise one line a film, line(film).
function filters.show(q, cli, line, columns)
  if cli.output then
    local names = present(q, columns or { "title", "year", "duration", "genres", "rating" })
    if #names > 0 then q = q:select(table.unpack(names)) end
    q:print(cli.output)
    return
  end
  for _, film in ipairs(q) do print(line(film)) end
end

-- Says on stderr when a pick found fewer films than --count asked for.
function filters.fewer(found, asked, what)
  if found < asked and options.given("count") and io then
    io.stderr:write(string.format("%s: only %d %s (asked for %d)\n",
                                  options.name(), found, what, asked))
  end
end

-- }======

return filters
