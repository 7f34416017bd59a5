-- The films most like a given one, by description, genres, director, cast and year
local options = require("options")
local filters = require("filters")

local cli = options.parse(arg, {
  name = "similar",
  description = "Finds TITLE (its title or original title, in any case and with or\n"
             .. "without accents; the whole title first, then titles that start with\n"
             .. "it) and prints the films most like it, best first, with a score and\n"
             .. "why: the words their descriptions share (TF-IDF), their genres,\n"
             .. "director, cast and how close their years are, whichever the\n"
             .. "catalogue has. Example: reel similar Silenced --count 3",
  arguments = {
    { "TITLE", rest = true, help = "the film to start from (words are joined)" },
  },
  options = filters.with {
    { "count", kind = "integer", value = "N", default = 5, min = 1,
      help = "how many films to show" },
  },
})

local SIGNALS = { "description", "genres", "director", "cast", "year" }

-- The film asked for: the best match of a ranked search of the titles,
-- among the films of the type asked for first, then among all.
local function find_film(wanted)
  local columns = {}
  for _, name in ipairs({ "title", "original_title" }) do
    if options.has_column(films, name) then columns[#columns + 1] = name end
  end
  if #columns == 0 then options.require_columns(films, { "title" }) end
  local typed = filters.apply(films, { type = cli.type })
  return typed:search(wanted, { columns = columns, rank = true }):first()
      or films:search(wanted, { columns = columns, rank = true }):first()
end

options.require_any(films, SIGNALS, "similar compares")
local wanted = table.concat(cli.TITLE, " ")
local film = find_film(wanted)
if not film then options.fail("no film called '" .. wanted .. "'", 2) end

local alike = filters.apply(films, cli):similar(film, { count = cli.count })
local found = #alike
if found == 0 then
  options.fail("no film is like " .. tostring(film) .. filters.describe(cli))
end
filters.fewer(found, cli.count, "films are like " .. tostring(film))
filters.show(alike, cli, function(f)
  return string.format("%.2f  %s  %s", f.score, tostring(f), f.reason)
end, { "title", "year", "score", "reason" })
