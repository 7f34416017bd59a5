-- The films whose text contains every given word
local options = require("options")
local filters = require("filters")

local cli = options.parse(arg, {
  name = "search",
  description = "Prints the films whose titles, descriptions, genres, directors or cast\n"
             .. "contain every WORD, ignoring case, the best matches first (a whole\n"
             .. "title before a title that starts with it, a title before a\n"
             .. "description), one a line. Example: reel search star --in title",
  arguments = {
    { "WORDS", rest = true, help = "words that must all appear" },
  },
  options = filters.with {
    { "in", value = "COLUMN[,COLUMN]",
      help = "look only in these columns (default: the film's text columns)" },
    { "all", kind = "flag", help = "look in every text column of the catalogue" },
    { "count", kind = "integer", value = "N", min = 1, help = "show at most N films" },
  },
})

local FILM_TEXT = { "title", "original_title", "description", "genres", "director", "cast" }

-- The columns to look in: --in, every text column with --all, else the
-- film names the catalogue has (and every text column when it has none).
local function columns_to_search()
  if cli.all then return nil end
  local wanted, found = {}, {}
  if cli["in"] then
    for name in cli["in"]:gmatch("[^,]+") do wanted[#wanted + 1] = name end
    options.require_columns(films, wanted)
    return wanted
  end
  for _, name in ipairs(FILM_TEXT) do
    if options.has_column(films, name) then found[#found + 1] = name end
  end
  return #found > 0 and found or nil
end

local columns = columns_to_search()
local found, longest = filters.apply(films, cli), cli.WORDS[1]
for _, word in ipairs(cli.WORDS) do
  local good, result = pcall(found.search, found, word, { columns = columns })
  if not good then options.fail(tostring(result):gsub("^.-:%d+: ", ""), 3) end
  found = result
  if #word > #longest then longest = word end
end
found = found:search(longest, { columns = columns, rank = true })

local total = #found
if total == 0 then
  options.fail("no film matches '" .. table.concat(cli.WORDS, " ") .. "'" .. filters.describe(cli))
end
if cli.count then found = found:limit(cli.count) end
filters.show(found, cli, tostring)
