-- Option parsing shared by the bundled scripts: usage, --help, errors, columns.
--
-- A script declares its arguments once and gets them back checked:
--
--   local options = require("options")
--   local cli = options.parse(arg, {
--     name = "random_under",
--     description = "Films picked at random among those under MINUTES.",
--     arguments = {
--       {"MINUTES", kind = "integer", default = 110, min = 1,
--        help = "the running time to stay under"},
--     },
--     options = {
--       {"count", kind = "integer", value = "N", default = 1, min = 1,
--        help = "how many films to pick"},
--       {"asc", kind = "flag", help = "smallest first"},
--     },
--   })
--   print(cli.MINUTES, cli.count, cli.asc)
--
-- Argument kinds: "integer" (checked against min/max), "string" (an
-- optional check(text) returns the value, or nil and why); `rest = true`
-- takes every remaining word as a list. Options: "flag", or valued as
-- `--count N` / `--count=N`. `--help`/`-h` prints the usage text and exits
-- 0; a bad argument prints "NAME: what is wrong" and the usage line on
-- stderr and exits 2.

local options = {}

local USAGE_ERROR, DATA_ERROR = 2, 3

-- The script being run, so later messages carry its name.
local current = { name = "reel", arguments = {}, options = {} }
-- The options its command line gave, by name (not those left at their
-- default).
local given = {}

local function leave(status)
  if io then io.stdout:flush() end
  os.exit(status)
end

-- Writes text on stderr and exits with status. Under --sandbox there is no
-- io library: raising the text is the only way left to show it (exit 1).
local function complain(text, status)
  if not io then error(text, 0) end
  io.stderr:write(text, "\n")
  leave(status)
end

-- "NAME: message" on stderr, then exit with status (1 by default).
function options.fail(message, status)
  complain(current.name .. ": " .. message, status or 1)
end

-- The name of the script being run.
function options.name()
  return current.name
end

-- {====== Usage text ======

local function is_optional(argument)
  return argument.default ~= nil or argument.optional
end

local function argument_label(argument)
  local label = argument[1] .. (argument.rest and "..." or "")
  return is_optional(argument) and "[" .. label .. "]" or label
end

-- "--count N", or "--asc" for a flag.
local function option_usage(option)
  if option.kind == "flag" then return "--" .. option[1] end
  return "--" .. option[1] .. " " .. (option.value or "VALUE")
end

local function option_label(option)
  local short = option.short and "-" .. option.short .. ", " or ""
  return short .. option_usage(option)
end

local function usage_line(spec)
  if spec.usage then return "usage: reel " .. spec.name .. " " .. spec.usage end
  local words = { "usage: reel", spec.name }
  for _, argument in ipairs(spec.arguments) do words[#words + 1] = argument_label(argument) end
  for _, option in ipairs(spec.options) do words[#words + 1] = "[" .. option_usage(option) .. "]" end
  return table.concat(words, " ")
end

-- One aligned "  label   help (default x)" line per entry.
local function describe(lines, entries, label_of)
  local width = 0
  for _, entry in ipairs(entries) do width = math.max(width, #label_of(entry)) end
  for _, entry in ipairs(entries) do
    local help = entry.help or ""
    if entry.default ~= nil and entry.kind ~= "flag" then
      help = help .. " (default " .. tostring(entry.default) .. ")"
    end
    lines[#lines + 1] = string.format("  %-" .. width .. "s  %s", label_of(entry), help)
  end
end

local function help_text(spec)
  local lines = { usage_line(spec), "" }
  if spec.description then lines[#lines + 1] = spec.description; lines[#lines + 1] = "" end
  if #spec.arguments > 0 then
    lines[#lines + 1] = "arguments:"
    describe(lines, spec.arguments, function(a) return a[1] end)
    lines[#lines + 1] = ""
  end
  local listed = { table.unpack(spec.options) }
  listed[#listed + 1] = { "help", short = "h", kind = "flag", help = "show this help and exit" }
  lines[#lines + 1] = "options:"
  describe(lines, listed, option_label)
  return table.concat(lines, "\n")
end

-- Reports a bad command line: "NAME: why", the usage line, exit 2.
function options.usage_error(message)
  complain(current.name .. ": " .. message .. "\n" .. usage_line(current), USAGE_ERROR)
end

-- }======

-- {====== Values ======

local function range_text(entry)
  if entry.min and entry.max then
    return string.format("from %d to %d", entry.min, entry.max)
  end
  return entry.min and "at least " .. entry.min or "at most " .. entry.max
end

-- The value of `text` for an argument or option named `label`.
local function convert(entry, text, label)
  if entry.kind == "integer" then
    local n = text:match("^[+-]?%d+$") and math.tointeger(tonumber(text))
    if not n then
      options.usage_error(label .. " must be an integer, not '" .. text .. "'")
    end
    if (entry.min and n < entry.min) or (entry.max and n > entry.max) then
      options.usage_error(label .. " must be " .. range_text(entry) .. ", not " .. n)
    end
    return n
  end
  if entry.check then
    local value, why = entry.check(text)
    if value == nil then options.usage_error(label .. " " .. why) end
    return value
  end
  return text
end

-- }======

-- {====== Parsing ======

local function find_option(spec, word)
  local long, inline = word:match("^%-%-([^=]+)=(.*)$")
  long = long or word:match("^%-%-(.+)$")
  local short = not long and word:match("^%-(%a)$")
  for _, option in ipairs(spec.options) do
    if option[1] == long or (short and option.short == short) then
      return option, inline
    end
  end
  options.usage_error("unknown option '" .. word .. "'")
end

-- Takes an option (and its value) at argv[i]; returns the next index.
local function take_option(spec, result, argv, i)
  local option, inline = find_option(spec, argv[i])
  local label = "--" .. option[1]
  given[option[1]] = true
  if option.kind == "flag" then
    if inline then options.usage_error(label .. " takes no value") end
    result[option[1]] = true
    return i + 1
  end
  if inline then
    result[option[1]] = convert(option, inline, label)
    return i + 1
  end
  if argv[i + 1] == nil then options.usage_error(label .. " needs a value") end
  result[option[1]] = convert(option, argv[i + 1], label)
  return i + 2
end

-- Words that start like an option ("-x", "--name"); "-" and "-5" are values.
local function looks_like_option(word)
  return word:match("^%-%-.") ~= nil or word:match("^%-%a") ~= nil
end

local function assign_arguments(spec, result, words)
  local next_word = 1
  for _, argument in ipairs(spec.arguments) do
    local name = argument[1]
    if argument.rest then
      local list = {}
      for k = next_word, #words do list[#list + 1] = convert(argument, words[k], name) end
      next_word = #words + 1
      if #list == 0 and not is_optional(argument) then options.usage_error("missing " .. name) end
      result[name] = list
    elseif words[next_word] ~= nil then
      result[name] = convert(argument, words[next_word], name)
      next_word = next_word + 1
    elseif is_optional(argument) then
      result[name] = argument.default
    else
      options.usage_error("missing " .. name)
    end
  end
  if words[next_word] ~= nil then
    options.usage_error("unexpected argument '" .. words[next_word] .. "'")
  end
end

-- Whether the command line gave option `name` (else it has its default).
function options.given(name)
  return given[name] == true
end

-- Parses the script's `arg` table against spec; returns the values by name.
function options.parse(argv, spec)
  spec.arguments = spec.arguments or {}
  spec.options = spec.options or {}
  current = spec
  given = {}
  local result, words, i = {}, {}, 1
  for _, option in ipairs(spec.options) do
    if option.kind == "flag" then result[option[1]] = false else result[option[1]] = option.default end
  end
  argv = argv or {}
  while argv[i] ~= nil do
    local word = argv[i]
    if word == "--help" or word == "-h" then
      print(help_text(spec))
      leave(0)
    elseif word == "--" then
      for k = i + 1, #argv do words[#words + 1] = argv[k] end
      break
    elseif looks_like_option(word) then
      i = take_option(spec, result, argv, i)
    else
      words[#words + 1] = word
      i = i + 1
    end
  end
  assign_arguments(spec, result, words)
  return result
end

-- }======

-- {====== Catalogue checks ======

-- Whether the catalogue (a Table or Query) has a column called name,
-- directly or through the canonical names (title, year, duration).
function options.has_column(catalogue, name)
  for _, column in ipairs(catalogue:columns()) do
    if column == name then return true end
  end
  return (pcall(catalogue.select, catalogue, name))
end

-- Words that columns standing for a film name often hold.
local HINTS = {
  title = { "title", "name" }, year = { "year", "date" },
  duration = { "duration", "runtime", "time", "min", "length" },
  description = { "desc", "plot", "overview", "synopsis", "summary", "story" },
  genres = { "genre" }, director = { "direct" }, cast = { "cast", "actor", "star" },
  rating = { "rating", "score", "average" }, votes = { "vote" },
  type = { "type", "kind" }, imdb_id = { "const", "imdb", "id" },
}

-- Levenshtein distance between two short names, ignoring case.
local function distance(a, b)
  a, b = a:lower(), b:lower()
  local row = {}
  for j = 0, #b do row[j] = j end
  for i = 1, #a do
    local diagonal, above = row[0], nil
    row[0] = i
    for j = 1, #b do
      above = row[j]
      row[j] = math.min(above + 1, row[j - 1] + 1,
                        diagonal + (a:byte(i) == b:byte(j) and 0 or 1))
      diagonal = above
    end
  end
  return row[#b]
end

-- The catalogue's columns that look as if they could stand for `name`.
function options.close_columns(catalogue, name)
  local close = {}
  for _, column in ipairs(catalogue:columns()) do
    local lower, near = column:lower(), distance(column, name) <= 2
    for _, hint in ipairs(HINTS[name] or {}) do
      near = near or lower:find(hint, 1, true) ~= nil
    end
    if near and #close < 4 then close[#close + 1] = "'" .. column .. "'" end
  end
  return close
end

-- The film names the scripts count, add or compare as numbers.
local NUMERIC = { year = true, duration = true, rating = true, votes = true }

-- Exits 3 when a column in names that the scripts read as numbers holds
-- text: "NAME: the catalogue's 'duration' column holds text, not numbers
-- ...; name a column of numbers with --column duration=COLUMN".
function options.require_numbers(catalogue, names)
  for _, name in ipairs(names) do
    local fine, why = pcall(catalogue.sum, catalogue, name)
    if not fine and tostring(why):find("holds strings", 1, true) then
      local sample = catalogue:where{ [name] = { null = false } }:first()
      local shown = sample and " ('" .. tostring(sample[name]):sub(1, 40) .. "')" or ""
      options.fail("the catalogue's '" .. name .. "' column holds text" .. shown
                   .. ", not numbers; name a column of numbers with --column "
                   .. name .. "=COLUMN", DATA_ERROR)
    end
  end
end

-- Exits 3 unless the catalogue has every column in names: "NAME: the
-- catalogue has no 'duration' column (close: 'Length'); name one with
-- --column duration=COLUMN"; and unless those read as numbers (year,
-- duration, rating, votes) hold numbers.
function options.require_columns(catalogue, names)
  local numeric = {}
  for _, name in ipairs(names) do
    if not options.has_column(catalogue, name) then
      local close = options.close_columns(catalogue, name)
      local hint = #close > 0 and " (close: " .. table.concat(close, ", ") .. ")" or ""
      options.fail("the catalogue has no '" .. name .. "' column" .. hint
                   .. "; name one with --column " .. name .. "=COLUMN", DATA_ERROR)
    end
    if NUMERIC[name] then numeric[#numeric + 1] = name end
  end
  options.require_numbers(catalogue, numeric)
end

-- Exits 3 unless the catalogue has one of the columns in names, which
-- `what` needs: "NAME: the catalogue has none of the columns similar
-- compares (description, genres, ...); name one with --column".
function options.require_any(catalogue, names, what)
  local close = {}
  for _, name in ipairs(names) do
    if options.has_column(catalogue, name) then return end
    for _, column in ipairs(options.close_columns(catalogue, name)) do
      close[#close + 1] = column
    end
  end
  options.fail("the catalogue has none of the columns " .. what .. " ("
               .. table.concat(names, ", ") .. ")"
               .. (#close > 0 and "; close: " .. table.concat(close, ", ") or "")
               .. "; name one with --column " .. names[1] .. "=COLUMN", DATA_ERROR)
end

-- }======

return options
