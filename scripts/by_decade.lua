-- Films per decade, with their average running time
local options = require("options")
local periods = require("periods")

local cli = options.parse(arg, {
  name = "by_decade",
  description = "Prints a table of decades with the number of films and their average\n"
             .. "running time in minutes (when the catalogue has durations); with\n"
             .. "--chart, a bar chart of the films per decade instead.",
  options = {
    {"chart", kind = "flag", help = "draw the films per decade as a bar chart"},
  },
})

if cli.chart then
  options.require_columns(films, { "year" })
  films:histogram("year", { step = 10 })
  return
end

-- 2013 -> 2010; a year that is not a number has no decade.
local function decade_of(year)
  local number = tonumber(year)
  return number and math.floor(number) // 10 * 10
end

local rows, timed = periods.tally(films, decade_of)
periods.print(rows, timed, "decade", function(decade) return decade .. "s" end)
