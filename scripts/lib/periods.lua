-- Films counted per period (year, decade) with their average running time,
-- shared by by_year and by_decade. Relies on q:group("year") and reel.null.
local options = require("options")

local periods = {}

-- Totals for one group of films: how many, and the minutes of those timed.
local function add_group(row, group, timed)
  row.count = row.count + #group
  if not timed then return end
  row.minutes = row.minutes + (group:sum("duration") or 0)
  row.timed = row.timed + #group:where{ duration = { null = false } }
end

-- Periods in order: numbers by value, anything else by its text, and
-- the films without a usable year (key false) last.
local function earlier(a, b)
  if a.key == false or b.key == false then return b.key == false and a.key ~= false end
  if type(a.key) == "number" and type(b.key) == "number" then return a.key < b.key end
  return tostring(a.key) < tostring(b.key)
end

-- Rows {key, count, minutes, timed}, one per period_of(year), sorted by
-- period; films without a year, or whose period_of is nil, share the key
-- false.
function periods.tally(catalogue, period_of)
  options.require_columns(catalogue, { "year" })
  local timed = options.has_column(catalogue, "duration")
  if timed then options.require_numbers(catalogue, { "duration" }) end
  local by_key, rows = {}, {}
  for year, group in catalogue:group("year") do
    local key = false
    if year ~= reel.null then key = period_of(year) or false end
    local row = by_key[key]
    if not row then
      row = { key = key, count = 0, minutes = 0, timed = 0 }
      by_key[key], rows[#rows + 1] = row, row
    end
    add_group(row, group, timed)
  end
  table.sort(rows, earlier)
  return rows, timed
end

-- Prints the rows as an aligned table headed by `heading`; label(key) names
-- a period. The average column is left out when the catalogue has no
-- duration column.
function periods.print(rows, timed, heading, label)
  local cells = { { heading, "films", timed and "avg min" or nil } }
  for _, row in ipairs(rows) do
    local average = row.timed > 0 and string.format("%.1f", row.minutes / row.timed) or "-"
    local name = row.key == false and "unknown" or label(row.key)
    cells[#cells + 1] = { name, tostring(row.count), timed and average or nil }
  end
  local widths = {}
  for _, line in ipairs(cells) do
    for k, cell in ipairs(line) do widths[k] = math.max(widths[k] or 0, utf8.len(cell) or #cell) end
  end
  for _, line in ipairs(cells) do
    local out = { string.format("%-" .. widths[1] .. "s", line[1]) }
    for k = 2, #line do out[k] = string.format("%" .. widths[k] .. "s", line[k]) end
    print(table.concat(out, "  "))
  end
end

return periods
