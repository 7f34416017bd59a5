-- Films per year, with their average running time
local options = require("options")
local periods = require("periods")

options.parse(arg, {
  name = "by_year",
  description = "Prints a table of years with the number of films and their average\n"
             .. "running time in minutes (when the catalogue has durations).",
})

local rows, timed = periods.tally(films, function(year) return year end)
periods.print(rows, timed, "year", tostring)
