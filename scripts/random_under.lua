-- A random film shorter than MINUTES (default 110)
local options = require("options")
local filters = require("filters")

local cli = options.parse(arg, {
  name = "random_under",
  description = "Prints films picked at random among those that run for less than\n"
             .. "MINUTES minutes, one a line. --seed N (before the script name) makes\n"
             .. "the pick reproducible. Example: reel random_under 100 --genre drama",
  arguments = {
    { "MINUTES", kind = "integer", default = 110, min = 1,
      help = "pick among films shorter than this" },
  },
  options = filters.with {
    { "count", kind = "integer", value = "N", default = 1, min = 1,
      help = "how many different films to pick" },
  },
})

options.require_columns(films, { "duration" })

local shorter = filters.apply(films, cli):where{ duration = { lt = cli.MINUTES } }
local found = #shorter
if found == 0 then
  options.fail("no film is shorter than " .. cli.MINUTES .. " minutes" .. filters.describe(cli))
end

filters.fewer(found, cli.count, "films are shorter than " .. cli.MINUTES .. " minutes"
                                .. filters.describe(cli))
filters.show(shorter:sample(math.min(cli.count, found)), cli, tostring)
