-- The films whose text contains every given word
local options = require("options")

local cli = options.parse(arg, {
  name = "search",
  description = "Prints the films whose text columns (title, description, ...)\n"
             .. "contain every WORD, ignoring case, one a line.",
  arguments = {
    { "WORDS", rest = true, help = "words that must all appear" },
  },
})

local found = films
for _, word in ipairs(cli.WORDS) do
  found = found:search(word)
end

if #found == 0 then
  options.fail("no film matches '" .. table.concat(cli.WORDS, " ") .. "'")
end
for _, film in ipairs(found) do
  print(tostring(film))
end
