-- The films with the largest (or, with --asc, smallest) value in a column
local options = require("options")
local filters = require("filters")

local cli = options.parse(arg, {
  name = "top",
  description = "Prints, as a table, the films with the largest COLUMN first\n"
             .. "(films where it is empty are left out). Example: reel top rating\n"
             .. "--min-votes 50000 --count 10",
  arguments = {
    { "COLUMN", help = "the column to rank by, e.g. duration or year" },
  },
  options = filters.with {
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
local ranked = filters.apply(films, cli):where{ [column] = { null = false } }
                 :sort(order):limit(cli.count)
filters.fewer(#ranked, cli.count, "films have a " .. column .. filters.describe(cli))
if column == "title" or not options.has_column(films, "title") then
  ranked:select(column):print(cli.output)
else
  ranked:select("title", column):print(cli.output)
end
