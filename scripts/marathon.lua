-- The films that fill MINUTES best, as a back-to-back schedule
local options = require("options")
local filters = require("filters")

-- The planning in Lua takes MINUTES x films steps: past SMALL_WORK steps
-- the films go by length to reel.schedule, which fills the minutes in C
-- with work that grows with the lengths, not the films.
local MAX_MINUTES, SMALL_WORK = 100000, 2000000

-- "HH:MM" as minutes after midnight; nil and why for anything else.
local function parse_clock(text)
  local hours, minutes = text:match("^(%d%d?):(%d%d)$")
  hours, minutes = tonumber(hours), tonumber(minutes)
  if not hours or hours > 23 or minutes > 59 then
    return nil, "must be a time of day as HH:MM, not '" .. text .. "'"
  end
  return hours * 60 + minutes
end

local function check_clock(text)
  local minutes, why = parse_clock(text)
  return minutes and text, why
end

local cli = options.parse(arg, {
  name = "marathon",
  description = "Chooses the films whose running times add up to the most that fits in\n"
             .. "MINUTES (then the most films, then the best ranked) and prints them\n"
             .. "back to back. Example: reel marathon 240 --genre comedy",
  arguments = {
    { "MINUTES", kind = "integer", min = 1, max = MAX_MINUTES,
      help = "the time available, from 1 to " .. MAX_MINUTES },
  },
  options = filters.with {
    { "start", value = "HH:MM", default = "19:00", check = check_clock,
      help = "when the first film starts" },
  },
})

options.require_columns(films, { "duration" })

-- The candidates in tie-break order (rank, else catalogue order), with
-- whole-minute durations (rounded up, so the schedule never runs over).
-- Only the best-ranked limit // d films of each duration d can be in the
-- best choice: swapping a chosen film for a better-ranked one of the same
-- length keeps the total and the count and improves the ranks. So a large
-- catalogue shrinks to the few films that matter. The durations come to
-- Lua as one array of numbers, so no film but a candidate is ever made.
local function candidates(pool, limit)
  local fitting = pool:where{ duration = { gt = 0, le = limit } }
  if options.has_column(films, "rank") then fitting = fitting:sort("rank") end
  local places, minutes, per_length = {}, {}, {}
  for place, duration in ipairs(fitting:pluck("duration")) do
    local d = math.ceil(duration)
    local taken = per_length[d] or 0
    if taken < limit // d then
      per_length[d] = taken + 1
      places[#places + 1], minutes[#minutes + 1] = place, d
    end
  end
  return fitting, places, minutes
end

-- {====== Subset sum ======
-- most[s] is the largest number of films, among those not yet looked at
-- (the DP walks from the last candidate to the first), whose durations add
-- up to exactly s; -1 when none do. take[i] is a bitset over s: whether
-- film i belongs to a best choice for s among films i..n, preferring to
-- take it on a tie. Walking forwards and taking film i whenever its bit is
-- set then yields the most films for a total, with the smallest ranks.

local function has_bit(bits, s)
  local word = bits[(s >> 6) + 1]
  return word ~= nil and word & (1 << (s & 63)) ~= 0
end

local function fill_table(minutes, limit)
  local most, take, reach = { [0] = 0 }, {}, 0
  for s = 1, limit do most[s] = -1 end
  for i = #minutes, 1, -1 do
    local d, bits = minutes[i], {}
    reach = math.min(limit, reach + d)
    for s = reach, d, -1 do
      local with = most[s - d]
      if with >= 0 and with + 1 >= most[s] then
        most[s] = with + 1
        local word = (s >> 6) + 1   -- set bit s, inline: this loop is the hot path
        bits[word] = (bits[word] or 0) | (1 << (s & 63))
      end
    end
    take[i] = bits
  end
  return most, take
end

-- The indexes of the best choice of films for at most `limit` minutes.
local function best_choice(minutes, limit)
  local most, take = fill_table(minutes, limit)
  local total = limit
  while most[total] < 0 do total = total - 1 end
  local chosen, left = {}, total
  for i = 1, #minutes do
    if left >= minutes[i] and has_bit(take[i], left) then
      chosen[#chosen + 1] = i
      left = left - minutes[i]
    end
  end
  return chosen, total
end

-- The same choice for many films: how many of each length reel.schedule
-- takes (lengths in the order their best-ranked film comes), then the
-- best-ranked films of each length, in rank order.
local function best_choice_by_length(minutes, limit)
  local lengths, counts, index = {}, {}, {}
  for _, d in ipairs(minutes) do
    if not index[d] then
      lengths[#lengths + 1], counts[#counts + 1] = d, 0
      index[d] = #lengths
    end
    counts[index[d]] = counts[index[d]] + 1
  end
  local taken, total = reel.schedule(lengths, counts, limit)
  local chosen = {}
  for i, d in ipairs(minutes) do
    local k = index[d]
    if taken[k] > 0 then
      taken[k] = taken[k] - 1
      chosen[#chosen + 1] = i
    end
  end
  return chosen, total
end

-- }======

local function clock(minute_of_day)
  minute_of_day = minute_of_day % (24 * 60)
  return string.format("%02d:%02d", minute_of_day // 60, minute_of_day % 60)
end

local function hours(minutes)
  return string.format("%d h %02d min", minutes // 60, minutes % 60)
end

local pool = filters.apply(films, cli)
local fitting, places, minutes = candidates(pool, cli.MINUTES)
if #places == 0 then
  options.fail("no film is " .. cli.MINUTES .. " minutes long or shorter" .. filters.describe(cli))
end
local chosen, total
if #minutes * cli.MINUTES <= SMALL_WORK then
  chosen, total = best_choice(minutes, cli.MINUTES)
else
  chosen, total = best_choice_by_length(minutes, cli.MINUTES)
end
local at = parse_clock(cli.start)
if cli.output then
  local wanted, k = {}, 0
  for _, i in ipairs(chosen) do wanted[places[i]] = true end
  local schedule = fitting:filter(function() k = k + 1; return wanted[k] end)
  filters.show(schedule, cli, tostring, { "title", "year", "duration" })
  return
end
for _, i in ipairs(chosen) do
  print(clock(at) .. "  " .. tostring(fitting[places[i]]))
  at = at + minutes[i]
end
print("total " .. hours(total) .. " of " .. hours(cli.MINUTES))
