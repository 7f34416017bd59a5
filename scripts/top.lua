-- The films with the largest (or, with --asc, smallest) value in a column
local options = require("options")

local cli = options.parse(arg, {
  name = "top",
  description = "Prints, as a table, the films with the largest COLUMN first\n"
             .. "(films where it is empty are left out). Example: reel top duration",
  arguments = {
    { "COLUMN", help = "the column to rank by, e.g. duration or year" },
  },
  options = {
    { "count", kind = "integer", value = "N", default = 5, min = 1,
      help = "how many films to show" },
    { "asc", kind = "flag", help = "smallest first" },
  },
})

local column = cli.COLUMN
if not options.has_column(films, column) then
  options.usage_error("the catalogue has no column '" .. column .. "' (it has: "
                      .. table.concat(films:columns(), ", ") .. ")")
end

local order = cli.asc and column or "-" .. column
local ranked = films:where{ [column] = { null = false } }:sort(order):limit(cli.count)
if column == "title" or not options.has_column(films, "title") then
  ranked:select(column):print()
else
  ranked:select("title", column):print()
end
