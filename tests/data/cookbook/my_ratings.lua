-- my_ratings.lua: an IMDb ratings export (films, via --data): your ratings
-- next to IMDb's, and the films you rated highest saved as Markdown.
local rated = films:where{["Your Rating"] = {null = false}, ["Title Type"] = "Movie"}
for _, f in ipairs(rated:sort("-Your Rating", "title")) do
	print(("%-22s you %2d, IMDb %.1f"):format(f.title, f["Your Rating"], f.rating))
end
print(("%d films: you average %.1f, IMDb %.1f"):format(#rated,
	rated:avg("Your Rating"), rated:avg("rating")))
assert(rated:where{["Your Rating"] = {ge = 9}}
	:select("title", "year", "Your Rating", "director"):save("favourites.md"))
