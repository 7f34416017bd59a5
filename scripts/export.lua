-- The catalogue as CSV, TSV, JSON or Markdown
local options = require("options")

local FORMATS = { csv = true, tsv = true, json = true, markdown = true }

local cli = options.parse(arg, {
  name = "export",
  description = "Writes the whole catalogue to standard output in FORMAT.\n"
             .. "Example: reel export csv > films.csv",
  arguments = {
    { "FORMAT", help = "csv, tsv, json or markdown",
      check = function(text)
        if FORMATS[text] then return text end
        return nil, "must be csv, tsv, json or markdown, not '" .. text .. "'"
      end },
  },
})

films:print(cli.FORMAT)
