-- Films per decade, with their average running time
local options = require("options")
local periods = require("periods")

options.parse(arg, {
  name = "by_decade",
  description = "Prints a table of decades with the number of films and their average\n"
             .. "running time in minutes (when the catalogue has durations).",
})

-- 2013 -> 2010; a year that is not a number has no decade.
local function decade_of(year)
  local number = tonumber(year)
  return number and math.floor(number) // 10 * 10
end

local rows, timed = periods.tally(films, decade_of)
periods.print(rows, timed, "decade", function(decade) return decade .. "s" end)
