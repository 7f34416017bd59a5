-- A random film shorter than MINUTES (default 110)
local options = require("options")

local cli = options.parse(arg, {
  name = "random_under",
  description = "Prints films picked at random among those that run for less than\n"
             .. "MINUTES minutes, one a line. --seed N (before the script name) makes\n"
             .. "the pick reproducible.",
  arguments = {
    { "MINUTES", kind = "integer", default = 110, min = 1,
      help = "pick among films shorter than this" },
  },
  options = {
    { "count", kind = "integer", value = "N", default = 1, min = 1,
      help = "how many different films to pick" },
  },
})

options.require_columns(films, { "duration" })

local shorter = films:where{ duration = { lt = cli.MINUTES } }
if #shorter == 0 then
  options.fail("no film is shorter than " .. cli.MINUTES .. " minutes")
end

for _, film in ipairs(shorter:sample(math.min(cli.count, #shorter))) do
  print(tostring(film))
end
