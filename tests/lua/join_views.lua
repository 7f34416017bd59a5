-- tests/lua/join_views.lua: a join's columns read its two sides through
-- row ids (no cell copied), on 130,000 films and 60,000 reviews, enough
-- for where, sort, aggregate and search to run on both cores: inner and
-- left joins, then where on either side's columns, sort, aggregate, group,
-- search, explode, csv and json saved and read back, q[i] and pluck, a
-- join of a join, and a left join's lone rows null in every kind of column,
-- each against the same computed with Lua tables.
dofile("tests/lua/tap.lua")

local dir = os.tmpname()
os.remove(dir)
assert(os.execute("mkdir -p " .. dir))
local seed = 11
local function next_number(n)
	seed = (seed * 1103515245 + 12345) % 2147483648
	return (seed // 65536) % n + 1 -- the high bits: the low ones repeat
end

local FILMS, REVIEWS, CRITICS = 130000, 60000, 40
local films, reviews, critics = {}, {}, {}
local out = assert(io.open(dir .. "/films.csv", "w"))
out:write("id,title,year,rating,seen,released\n")
for id = 1, FILMS do
	local f = {id = id, title = "Film " .. next_number(5000), year = 1960 + next_number(60),
	           rating = next_number(100) / 10, seen = next_number(2) == 1,
	           released = string.format("%04d-%02d-%02d", 1960 + next_number(60),
	                                    next_number(12), next_number(28))}
	if next_number(40) == 1 then f.year = nil end
	if next_number(30) == 1 then f.rating = nil end
	films[id] = f
	out:write(id, ",", f.title, ",", f.year or "", ",", f.rating or "", ",",
	          tostring(f.seen), ",", f.released, "\n")
end
out:close()
out = assert(io.open(dir .. "/reviews.csv", "w"))
out:write("film_id,critic,score,stars,fresh,reviewed,tags\n")
for i = 1, REVIEWS do
	-- ids past the films match nothing; many films have none, some two
	local r = {film_id = next_number(FILMS + 20000), critic = "Critic " .. next_number(CRITICS),
	           score = next_number(1000) / 8, stars = next_number(10),
	           fresh = next_number(3) == 1,
	           reviewed = string.format("%04d-%02d-%02d", 2000 + next_number(20),
	                                    next_number(12), next_number(28)),
	           tags = ({"warm", "cold", "long|short", "odd|even|warm"})[next_number(4)]}
	if next_number(25) == 1 then r.score = nil end
	reviews[i] = r
	out:write(r.film_id, ",", r.critic, ",", r.score or "", ",", r.stars, ",",
	          tostring(r.fresh), ",", r.reviewed, ",", r.tags, "\n")
end
out:close()
out = assert(io.open(dir .. "/critics.csv", "w"))
out:write("name,paper,since\n")
for c = 1, CRITICS do
	if c % 7 ~= 0 then -- some critics unknown: a left join's lone rows
		critics["Critic " .. c] = {paper = "Paper " .. (c % 5), since = 1980 + c}
		out:write("Critic ", c, ",Paper ", c % 5, ",", 1980 + c, "\n")
	end
end
out:close()
local catalogue = assert(reel.load(dir .. "/films.csv"))
local rated = assert(reel.load(dir .. "/reviews.csv", {lists = {tags = "|"}}))
local papers = assert(reel.load(dir .. "/critics.csv"))

-- Lua's joins: each film in order with its reviews in theirs.
local by_film = {}
for _, r in ipairs(reviews) do
	by_film[r.film_id] = by_film[r.film_id] or {}
	table.insert(by_film[r.film_id], r)
end
local inner, left = {}, {}
for _, f in ipairs(films) do
	local found = by_film[f.id]
	for _, r in ipairs(found or {}) do
		inner[#inner + 1] = {f = f, r = r}
		left[#left + 1] = {f = f, r = r}
	end
	if not found then left[#left + 1] = {f = f, r = {}} end
end

local keys = {left = "id", right = "film_id"}
local j = catalogue:join(rated, keys)
local lj = catalogue:join(rated, keys, {kind = "left"})
is(#j, #inner, "inner join: its rows")
is(#lj, #left, "left join: its rows")
ok(#lj > #j and #j > 30000, "enough rows of each kind for both cores")

local function unnull(v)
	if v == reel.null then return nil end
	return v
end
-- Whether a column of q (pluck) is `want` row by row; the first wrong row.
local function same_column(q, col, want_of, rows)
	local got = q:pluck(col)
	if #got ~= #rows then return false, "count " .. #got .. " not " .. #rows end
	for i, row in ipairs(rows) do
		local want = want_of(row)
		if unnull(got[i]) ~= want then
			return false, "row " .. i .. ": " .. tostring(got[i]) .. " not " .. tostring(want)
		end
	end
	return true
end
local function check(q, col, want_of, rows, label)
	local good, why = same_column(q, col, want_of, rows)
	ok(good, label)
	if not good then diag(why) end
end
local function select(rows, keep)
	local kept = {}
	for _, row in ipairs(rows) do
		if keep(row) then kept[#kept + 1] = row end
	end
	return kept
end

-- {====== Every kind of column, and the lone rows' nulls ======
local function f_id(row) return row.f.id end
check(j, "id", f_id, inner, "inner: a left integer column")
check(j, "title", function(row) return row.f.title end, inner, "inner: a left text column")
check(j, "rating", function(row) return row.f.rating end, inner, "inner: a left number column with nulls")
check(j, "critic", function(row) return row.r.critic end, inner, "inner: a right text column")
check(j, "score", function(row) return row.r.score end, inner, "inner: a right number column with nulls")
check(j, "stars", function(row) return row.r.stars end, inner, "inner: a right integer column")
check(j, "fresh", function(row) return row.r.fresh end, inner, "inner: a right boolean column")
check(j, "reviewed", function(row) return row.r.reviewed end, inner, "inner: a right date column")
check(lj, "year", function(row) return row.f.year end, left, "left: a left integer column with nulls")
check(lj, "seen", function(row) return row.f.seen end, left, "left: a left boolean column")
check(lj, "released", function(row) return row.f.released end, left, "left: a left date column")
for _, col in ipairs({"critic", "score", "stars", "fresh", "reviewed"}) do
	check(lj, col, function(row) return row.r[col] end, left,
	      "left: the right column " .. col .. ", nil on lone rows")
end
local lone
for i, row in ipairs(left) do
	if row.r.critic == nil then lone = i break end
end
local film = lj[lone]
ok(film.id == left[lone].f.id and film.stars == nil and film.score == nil and
   film.critic == nil and film.fresh == nil and film.reviewed == nil and
   film.tags == nil and film.film_id == nil,
   "q[i] of a lone row: every right cell nil (integer, number, text, boolean, date, list)")
local matched = lj[1].critic ~= nil and 1 or 2
is(lj[matched].critic, left[matched].r.critic, "q[i] of a matched row reads its review")
is(j[#j].title, inner[#inner].f.title, "q[#q] reads the last pair")
-- }======

-- {====== where ======
local function ids_of(rows) local t = {} for i, row in ipairs(rows) do t[i] = row.f.id end return t end
local function same_ids(q, rows, label)
	check(q, "id", f_id, rows, label)
end
same_ids(j:where{year = {ge = 2000}, stars = {ge = 7}},
         select(inner, function(row) return row.f.year and row.f.year >= 2000 and row.r.stars >= 7 end),
         "inner: where on a left and a right column")
same_ids(j:where{critic = "Critic 3", score = {lt = 40}},
         select(inner, function(row) return row.r.critic == "Critic 3" and row.r.score and row.r.score < 40 end),
         "inner: where on a right text and number column")
same_ids(j:where{fresh = true, reviewed = {ge = "2010-01-01"}},
         select(inner, function(row) return row.r.fresh and row.r.reviewed >= "2010-01-01" end),
         "inner: where on a right boolean and date column")
same_ids(j:where{stars = {["in"] = {1, 4, 9}}},
         select(inner, function(row) local s = row.r.stars return s == 1 or s == 4 or s == 9 end),
         "inner: where in on a right column")
same_ids(lj:where{stars = {ge = 7}},
         select(left, function(row) return row.r.stars and row.r.stars >= 7 end),
         "left: where on a right column stays above the join (lone rows fail it)")
same_ids(lj:where{stars = {ne = 3}},
         select(left, function(row) return row.r.stars and row.r.stars ~= 3 end),
         "left: ne on a right column keeps no lone row")
same_ids(lj:where{critic = {null = true}},
         select(left, function(row) return row.r.critic == nil end),
         "left: the lone rows are the right column's nulls")
same_ids(lj:where{score = {null = true}, year = {lt = 1990}},
         select(left, function(row) return row.r.score == nil and row.f.year and row.f.year < 1990 end),
         "left: null on a right column with nulls of its own, and a left column")
same_ids(lj:where{critic = {contains = "ic 1"}},
         select(left, function(row) return row.r.critic and row.r.critic:find("ic 1", 1, true) end),
         "left: contains on a right text column")
same_ids(lj:where{score = {null = false}},
         select(left, function(row) return row.r.score ~= nil end),
         "left: not null on a right column drops the lone rows")
is(#lj:where{stars = {ge = 7}}, #select(left, function(row) return row.r.stars and row.r.stars >= 7 end),
   "left: the count of a where on a right column")
-- }======

-- {====== sort ======
-- Stable sorts in Lua: by the key, then the place in the join.
local function sorted(rows, key, descending)
	local placed = {}
	for i, row in ipairs(rows) do placed[i] = {row = row, at = i} end
	table.sort(placed, function(a, b)
		local x, y = key(a.row), key(b.row)
		if x == nil or y == nil then
			if (x == nil) ~= (y == nil) then return y == nil end -- nulls last
			return a.at < b.at
		end
		if x ~= y then
			if descending then return x > y end
			return x < y
		end
		return a.at < b.at
	end)
	local out = {}
	for i, p in ipairs(placed) do out[i] = p.row end
	return out
end
local by_title = sorted(inner, function(row) return row.f.title end)
same_ids(j:sort("title"), by_title, "inner: sort by a left text column")
local by_score = sorted(left, function(row) return row.r.score end, true)
same_ids(lj:sort("-score"), by_score, "left: sort by a right number column, descending, lone rows last")
same_ids(lj:sort("stars"), sorted(left, function(row) return row.r.stars end),
         "left: sort by a right integer column")
same_ids(lj:sort("critic"):limit(50), {table.unpack(sorted(left, function(row) return row.r.critic end), 1, 50)},
         "left: the first rows by a right text column")
same_ids(lj:sort("-reviewed"):limit(20), {table.unpack(sorted(left, function(row) return row.r.reviewed end, true), 1, 20)},
         "left: the first rows by a right date column, descending")
same_ids(j:where{year = {ge = 2010}}:sort("-fresh", "title"),
         sorted(sorted(select(inner, function(row) return row.f.year and row.f.year >= 2010 end),
                       function(row) return row.f.title end),
                function(row) return row.r.fresh and 1 or 0 end, true),
         "inner: where, then sort by a right boolean and a left text column")
-- }======

-- {====== aggregate and group ======
local function counts_by(rows, key)
	local counts, sums = {}, {}
	for _, row in ipairs(rows) do
		local k = key(row)
		if k == nil then k = "null" end
		counts[k] = (counts[k] or 0) + 1
		sums[k] = (sums[k] or 0) + (row.f.year or 0)
	end
	return counts, sums
end
local function check_aggregate(q, by, rows, key, label)
	local counts, sums = counts_by(rows, key)
	local agg = q:aggregate(by, {"count", "sum(year)"})
	local wrong, groups = 0, 0
	for _, k in ipairs(agg:pluck(by)) do groups = groups + 1 end
	local keys_, c, s = agg:pluck(by), agg:pluck("count"), agg:pluck("sum_year")
	for i = 1, #keys_ do
		local k = keys_[i] == reel.null and "null" or keys_[i]
		if counts[k] ~= c[i] or sums[k] ~= (unnull(s[i]) or 0) then wrong = wrong + 1 end
	end
	local want_groups = 0
	for _ in pairs(counts) do want_groups = want_groups + 1 end
	ok(wrong == 0 and groups == want_groups, label)
end
check_aggregate(j, "stars", inner, function(row) return row.r.stars end,
                "inner: aggregate by a right integer column")
check_aggregate(lj, "stars", left, function(row) return row.r.stars end,
                "left: aggregate by a right integer column, lone rows the null group")
check_aggregate(lj, "critic", left, function(row) return row.r.critic end,
                "left: aggregate by a right text column")
check_aggregate(lj, "fresh", left, function(row) return row.r.fresh end,
                "left: aggregate by a right boolean column")
local sum_stars, cells = 0, 0
for _, row in ipairs(left) do
	if row.r.stars then sum_stars, cells = sum_stars + row.r.stars, cells + 1 end
end
is(lj:sum("stars"), sum_stars, "left: sum of a right column skips the lone rows")
is(lj:avg("stars"), sum_stars / cells, "left: avg of a right column")
local most = 0
for _, row in ipairs(left) do if row.r.score and row.r.score > most then most = row.r.score end end
is(lj:max("score"), most, "left: max of a right number column")
local distinct = lj:aggregate(nil, {"count_distinct(critic) as critics", "count(score) as scored"})
local scored, named, critic_count = 0, {}, 0
for _, row in ipairs(left) do
	if row.r.score then scored = scored + 1 end
	if row.r.critic and not named[row.r.critic] then
		named[row.r.critic] = true
		critic_count = critic_count + 1
	end
end
is(distinct[1].critics, critic_count, "left: count_distinct of a right column")
is(distinct[1].scored, scored, "left: count of a right column's cells")
local years = lj:aggregate("year(reviewed)", {"count"})
local by_year = {}
for _, row in ipairs(left) do
	local y = row.r.reviewed and tonumber(row.r.reviewed:sub(1, 4)) or "null"
	by_year[y] = (by_year[y] or 0) + 1
end
local wrong = 0
for _, g in ipairs(years:map(function(f) return {f.year_reviewed, f.count} end)) do
	if by_year[unnull(g[1]) or "null"] ~= g[2] then wrong = wrong + 1 end
end
local year_count = 0
for _ in pairs(by_year) do year_count = year_count + 1 end
ok(wrong == 0 and #years == year_count and year_count == 21,
   "left: aggregate by the year of a right date column")
if wrong > 0 or #years ~= 21 then diag(years:format("csv")) end
local group_counts, want_counts = {}, counts_by(left, function(row) return row.r.stars end)
for key, g in lj:group("stars") do
	group_counts[key == reel.null and "null" or key] = #g
end
is_deeply(group_counts, want_counts, "left: group by a right column, lone rows in the null group")
group_counts = {}
for key, g in j:group("critic") do group_counts[key] = #g end
is_deeply(group_counts, (counts_by(inner, function(row) return row.r.critic end)),
          "inner: group by a right text column")
-- }======

-- {====== search, explode ======
local function has_text(row, text)
	return row.f.title:lower():find(text, 1, true) or
	       (row.r.critic and row.r.critic:lower():find(text, 1, true))
end
same_ids(lj:search("critic 17"), select(left, function(row) return has_text(row, "critic 17") end),
         "left: search in every text column")
same_ids(lj:search("film 42", {columns = {"title"}}),
         select(left, function(row) return row.f.title:lower():find("film 42", 1, true) end),
         "left: search in a left column")
local tags = {}
for _, row in ipairs(inner) do
	for tag in row.r.tags:gmatch("[^|]+") do tags[#tags + 1] = {f = row.f, r = row.r, tag = tag} end
end
local exploded = j:explode("tags")
check(exploded, "tags", function(row) return row.tag end, tags, "inner: explode a right list column")
check(exploded, "critic", function(row) return row.r.critic end, tags,
      "inner: explode keeps the other columns")
ok(lj[lone].tags == nil and #lj:explode("tags") == #tags, "left: a lone row's list is null, and explodes to nothing")
-- }======

-- {====== csv and json, saved and read back ======
local picked = lj:where{id = {le = 20000}}:select("id", "title", "critic", "score", "fresh", "reviewed")
local want = select(left, function(row) return row.f.id <= 20000 end)
for _, fmt in ipairs({"csv", "json"}) do
	local path = dir .. "/out." .. fmt
	is(picked:save(path), true, fmt .. ": saved")
	local back = assert(reel.load(path))
	is(#back, #want, fmt .. ": its rows read back")
	check(back, "id", f_id, want, fmt .. ": the ids")
	check(back, "critic", function(row) return row.r.critic end, want, fmt .. ": a right text column, lone rows null")
	check(back, "score", function(row) return row.r.score end, want, fmt .. ": a right number column")
	check(back, "reviewed", function(row) return row.r.reviewed end, want, fmt .. ": a right date column")
	os.remove(path)
end
local text = lj:limit(3):format("json")
ok(text:find(left[1].f.title, 1, true) ~= nil, "format json of a join names its films")
like(j:limit(1):format("csv"), "^id,title,year,rating,seen,released,film_id,critic,score,stars,fresh,reviewed,tags\n",
     "format csv: both sides' columns")
-- }======

-- {====== a join of a join ======
local three = lj:join(papers, {left = "critic", right = "name"}, {kind = "left"})
local want3 = {}
for _, row in ipairs(left) do
	want3[#want3 + 1] = {f = row.f, r = row.r, c = row.r.critic and critics[row.r.critic] or {}}
end
is(#three, #want3, "three tables: its rows")
check(three, "id", f_id, want3, "three tables: the first table's column")
check(three, "stars", function(row) return row.r.stars end, want3, "three tables: the second's, through composed maps")
check(three, "paper", function(row) return row.c.paper end, want3, "three tables: the third's, nil where unknown")
check(three, "since", function(row) return row.c.since end, want3, "three tables: a third integer column")
same_ids(three:where{paper = "Paper 2", stars = {ge = 5}},
         select(want3, function(row) return row.c.paper == "Paper 2" and row.r.stars >= 5 end),
         "three tables: where on the second and third tables' columns")
same_ids(three:sort("-since", "title"):limit(100),
         {table.unpack(sorted(sorted(want3, function(row) return row.f.title end),
                              function(row) return row.c.since end, true), 1, 100)},
         "three tables: sort by the third's and the first's columns")
local loose = lj:join(papers, {left = "critic", right = "name"}, {kind = "left", match = "loose"})
check(loose, "paper", function(row) return row.c.paper end, want3,
      "three tables: a loose join on the second's text column")
local inner3 = j:join(papers, {left = "critic", right = "name"})
is(#inner3, #select(inner, function(row) return critics[row.r.critic] ~= nil end), "three tables, inner: its rows")
-- }======

os.remove(dir .. "/films.csv")
os.remove(dir .. "/reviews.csv")
os.remove(dir .. "/critics.csv")
os.remove(dir)
done()
