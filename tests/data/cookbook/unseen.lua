-- unseen.lua: a Letterboxd export matched to IMDb's datasets: the films
-- you have not seen, under two hours, rated 7.5 or more on IMDb.
-- usage: reel unseen.lua LETTERBOXD.zip IMDB_FOLDER
local export, imdb_folder = arg[1] or "letterboxd.zip", arg[2] or "."
local watched = assert(reel.load(export, {member = "watched.csv"}))
local movies = assert(reel.load(imdb_folder .. "/title.basics.tsv"))
	:where{titleType = "movie"}
	:join(assert(reel.load(imdb_folder .. "/title.ratings.tsv")), "tconst")

-- Letterboxd and IMDb spell titles differently: match them loosely (case,
-- accents, punctuation and a leading article aside) on title and year.
local keys, loose = {"title", "year"}, {match = "loose"}
local found = watched:join(movies, keys, loose)
print(("%d of your %d films are in IMDb's files"):format(#found, #watched))
found:select("Name", "primaryTitle", "tconst"):print()
print("not found: " .. table.concat(
	watched:join(movies, keys, {match = "loose", kind = "anti"}):pluck("Name"), ", "))

-- The films IMDb has that you have not seen (an anti join), filtered.
movies:join(watched, keys, {match = "loose", kind = "anti"})
	:where{duration = {lt = 120}, rating = {ge = 7.5}}
	:sort("-rating")
	:select("title", "year", "duration", "rating")
	:print()
