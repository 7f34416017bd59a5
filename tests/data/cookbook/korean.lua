-- korean.lua: a random Korean film under 110 minutes, from IMDb's datasets
-- (https://datasets.imdbws.com: title.basics, title.akas, title.ratings).
local folder = arg[1] or "."

-- IMDb serves the files gzipped; reel reads them either way.
local function dataset(name)
	local path = folder .. "/" .. name .. ".tsv"
	return reel.load(path .. ".gz") or assert(reel.load(path))
end

local basics, akas, ratings =
	dataset("title.basics"), dataset("title.akas"), dataset("title.ratings")

local korean = basics:where{titleType = "movie"}
	:join(akas:where{region = "KR"}, {left = "tconst", right = "titleId"})
	:join(ratings, "tconst")
local short = korean:where{duration = {lt = 110}}

print(#korean .. " Korean films, " .. #short .. " under 110 minutes:")
short:select("tconst", "title", "title_2", "duration", "rating"):print()
local film = short:random()
print(("Tonight: %s — %s, rated %.1f"):format(tostring(film), film.title_2, film.rating))
