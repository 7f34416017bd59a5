-- watchlist.lua: the films of a Letterboxd watchlist export (films, via
-- --data) that fit in two hours, with runtimes from IMDb's title.basics.
local basics = assert(reel.load(arg[1] or "title.basics.tsv.gz"))

-- A left join keeps the films IMDb does not know, with null runtimes.
local watch = films:join(basics:where{titleType = "movie"},
	{left = "Name", right = "primaryTitle"}, {kind = "left"})
watch:where{duration = {le = 120}}:sort("duration"):print("lines")
print("not found: " .. table.concat(watch:where{tconst = reel.null}:pluck("Name"), ", "))
assert(watch:select("Name", "Year", "duration", "tconst"):save("watchlist.csv"))
