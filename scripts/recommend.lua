-- Films you have not rated, most like those you rated highest
local options = require("options")
local filters = require("filters")
local ratings = require("ratings")

local cli = options.parse(arg, {
  name = "recommend",
  description = "Reads your ratings (Letterboxd's ratings.csv, or IMDb's ratings export)\n"
             .. "and prints the films of the catalogue you have not rated that are most\n"
             .. "like the ones you rated highest, with the film each is most like and\n"
             .. "why. Rated films are found by IMDb id where both have one, else by\n"
             .. "title and year. Example: reel -d title.basics.tsv recommend ratings.csv",
  arguments = {
    { "RATINGS", help = "your ratings export, a CSV file" },
  },
  options = filters.with {
    { "count", kind = "integer", value = "N", default = 10, min = 1,
      help = "how many films to recommend" },
  },
})

local SIGNALS = { "description", "genres", "director", "cast", "year" }

options.require_any(films, SIGNALS, "recommend compares")
local export = ratings.read(cli.RATINGS)
local rated, weights, missing = ratings.match(films, export)
if #rated == 0 then
  local films_of = #export.films == 1 and "the film" or "none of the " .. #export.films .. " films"
  options.fail(films_of .. " of " .. cli.RATINGS
               .. (#export.films == 1 and " is not" or " is") .. " in the catalogue"
               .. " (found by IMDb id, or by title and year)", 3)
end
if missing > 0 and io then
  io.stderr:write(string.format("recommend: %d of the %d films of %s %s not in the catalogue\n",
                                missing, #export.films, cli.RATINGS, missing == 1 and "is" or "are"))
end

local alike = filters.apply(films, cli):similar(rated, { weights = weights, count = cli.count })
local found = #alike
if found == 0 then
  options.fail("no film of the catalogue is like the ones you rated" .. filters.describe(cli))
end
filters.fewer(found, cli.count, "films are like the ones you rated" .. filters.describe(cli))
filters.show(alike, cli, function(f)
  return string.format("%.2f  %s  %s", f.score, tostring(f), f.reason)
end, { "title", "year", "score", "reason" })
