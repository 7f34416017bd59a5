/*
** help.c: the text behind the REPL's help(), one static table with a line
** per call of the Lua API (DESIGN.md) and, for each, its usage and an
** example. Relies only on the Lua API to print through the global print's
** stream (stdout).
*/
#include "cli/help.h"

#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

typedef struct help_topic {
	const char *name;    /* what help("name") looks up */
	const char *call;    /* the call, short, for the list */
	const char *summary; /* what it does, in a few words */
	const char *usage;   /* the call in full, with what its arguments mean */
	const char *example; /* a line to try at the prompt */
} help_topic;

static const help_topic topics[] = {
	{"count", "#q, q:count()", "how many films the query holds",
	 "#q and q:count() give the number of films", "#films:where{year = 2013}"},
	{"index", "q[i]", "the i-th film, or nil",
	 "q[i]: the i-th film (1-based, in query order), nil past the end",
	 "films:sort(\"-duration\")[1]"},
	{"each", "ipairs(q), q:each()", "iterate over the films",
	 "for i, f in ipairs(q) do ... end; for f in q:each() do ... end",
	 "for i, f in ipairs(films) do print(i, f.title) end"},
	{"where", "q:where{...}", "keep films matching conditions (in C)",
	 "q:where{col = v, col = {op = v, ...}, ...}: every key must match;\n"
	 "  ops eq ne lt le gt ge between in contains null has (an element of a\n"
	 "  list); a null never matches a comparison; a date column compares\n"
	 "  with ISO text: released = {ge = \"1998-01-01\"}",
	 "films:where{year = {ge = 2010}, duration = {lt = 120}}"},
	{"filter", "q:filter(fn)", "keep films for which fn(film) is true",
	 "q:filter(fn): keeps the films for which fn(film) is truthy",
	 "films:filter(function(f) return f.title:find(\"Home\") end)"},
	{"sort", "q:sort(\"col\", ...)", "sort by columns or a comparator",
	 "q:sort(\"col\", \"-col\", ...) or q:sort(fn): stable; - descends; "
	 "nulls last;\n  dates in time order", "films:sort(\"-year\", \"title\")"},
	{"limit", "q:limit(n)", "the first n films", "q:limit(n)",
	 "films:sort(\"rank\"):limit(3)"},
	{"offset", "q:offset(n)", "skip the first n films", "q:offset(n)",
	 "films:sort(\"rank\"):offset(5)"},
	{"first", "q:first()", "the first film, or nil", "q:first()",
	 "films:sort(\"duration\"):first()"},
	{"last", "q:last()", "the last film, or nil", "q:last()",
	 "films:sort(\"year\"):last()"},
	{"random", "q:random()", "one film at random, or nil", "q:random()",
	 "films:where{duration = {lt = 110}}:random()"},
	{"sample", "q:sample(n)", "n films at random, without replacement",
	 "q:sample(n)", "films:sample(3)"},
	{"shuffle", "q:shuffle()", "all the films in a random order",
	 "q:shuffle()", "films:shuffle():limit(2)"},
	{"search", "q:search(text)", "films whose text columns hold text",
	 "q:search(text): a case-insensitive substring over the text columns",
	 "films:search(\"home\")"},
	{"select", "q:select(col, ...)", "the columns format and print show",
	 "q:select(col, ...)", "films:select(\"title\", \"year\")"},
	{"explode", "q:explode(col)", "a row an element of a list column",
	 "q:explode(col): one row an element of a list (IMDb's genres, a JSON\n"
	 "  array, opts.lists), the other columns repeated",
	 "imdb:explode(\"genres\"):aggregate(\"genres\", {\"count\"})"},
	{"group", "q:group(col)", "loop over a column's values and films",
	 "for key, g in q:group(col) do ... end: g is a query; null keys are "
	 "reel.null", "for year, g in films:group(\"year\") do print(year, #g) end"},
	{"sum", "q:sum(col)", "the total of a column",
	 "q:sum(col): nulls skipped; nil when nothing is left",
	 "films:sum(\"duration\")"},
	{"avg", "q:avg(col)", "the mean of a column",
	 "q:avg(col): nulls skipped; nil when nothing is left",
	 "films:avg(\"duration\")"},
	{"min", "q:min(col)", "the smallest value of a column",
	 "q:min(col): nulls skipped; nil when nothing is left",
	 "films:min(\"year\")"},
	{"max", "q:max(col)", "the largest value of a column",
	 "q:max(col): nulls skipped; nil when nothing is left",
	 "films:max(\"duration\")"},
	{"map", "q:map(fn)", "a Lua array of fn(film)", "q:map(fn)",
	 "films:limit(3):map(function(f) return f.title:upper() end)"},
	{"pluck", "q:pluck(col)", "a Lua array of a column's values",
	 "q:pluck(col)", "films:pluck(\"year\")"},
	{"columns", "q:columns()", "the names of the query's columns",
	 "q:columns()", "films:columns()"},
	{"join", "q:join(other, key)", "films of both sides matched on a key",
	 "q:join(other, key[, opts]): key a column or {left = a, right = b};\n"
	 "  opts.kind = \"left\" keeps unmatched films (semi, anti: q's films with\n"
	 "  a match or none), opts.suffix renames clashes; opts.match = \"loose\"\n"
	 "  sets case, accents, punctuation and articles of text keys aside",
	 "basics:join(ratings, \"tconst\")"},
	{"save", "q:save(path[, fmt])", "write the films to a file",
	 "q:save(path[, fmt]): atomically, in the format of the extension\n"
	 "  (.csv .tsv .json .jsonl .md, and .gz); true, or nil and a message",
	 "films:where{year = 2013}:save(\"2013.csv\")"},
	{"format", "q:format(fmt)", "the films as text",
	 "q:format(fmt[, opts]): fmt table (the default, or reel -o's), csv,\n"
	 "  tsv, json, jsonl, markdown, lines, or a template with {column}\n"
	 "  placeholders",
	 "films:limit(2):format(\"{title} ({year})\")"},
	{"print", "q:print(fmt)", "write the films as format would",
	 "q:print(fmt[, opts]): streamed, a slice of rows at a time",
	 "films:limit(3):print(\"markdown\")"},
	{"histogram", "q:histogram(col)", "a bar chart of a column's values",
	 "q:histogram(col[, opts]): counts a value (text, years) or a bin\n"
	 "  (numbers); opts.bins, opts.step (bin width), opts.width (cells),\n"
	 "  opts.max (text values shown)",
	 "films:histogram(\"year\", {step = 10})"},
	{"tostring", "tostring(q), tostring(f)", "a table; Title (year, N min)",
	 "tostring(q) is the rendering in the default format; tostring(f)\n"
	 "  Title (year, N min)",
	 "tostring(films[1])"},
	{"field", "f.col, f[\"Any Column\"]", "a film's value, nil when null",
	 "f.col or f[\"Any Column\"]; an unknown column names the close match",
	 "films[1].director"},
	{"totable", "f:totable()", "a film as a plain Lua table", "f:totable()",
	 "films[1]:totable()"},
	{"load", "reel.load(path)", "read a catalogue (CSV, TSV, JSON, gz, SQLite, zip)",
	 "reel.load(path[, opts]): opts.format, opts.delimiter,\n"
	 "  opts.columns = {duration = \"Runtime (mins)\"},\n"
	 "  opts.nulls = {\"NA\", \"-\"} (the cells read as null),\n"
	 "  opts.lists = {cast = \";\"} (columns that are lists),\n"
	 "  opts.table = \"movies\" (an SQLite database's), opts.member =\n"
	 "  \"ratings.csv\" (a zip's); the format is known by the bytes",
	 "mine = reel.load(\"films.csv\")"},
	{"films", "reel.films", "the built-in list of ten films",
	 "reel.films: the built-in catalogue, whatever `films` holds now",
	 "reel.films:where{year = 2013}"},
	{"seed", "reel.seed(n)", "make random choices reproducible",
	 "reel.seed(n): as --seed n", "reel.seed(42)"},
	{"version", "reel.version", "reel's version", "reel.version",
	 "reel.version"},
	{"null", "reel.null", "a null where nil cannot stand",
	 "reel.null: group keys, where{col = reel.null}",
	 "films:where{original_title = reel.null}"},
	{"help", "help([topic])", "this list, or one call in full",
	 "help() lists the calls; help(\"where\") shows one", "help(\"where\")"},
};

#define TOPIC_COUNT (sizeof topics / sizeof topics[0])

/* "q:where", "reel.load", "films:where" and "where" name the same topic. */
static const char *topic_word(const char *name)
{
	const char *cut = strpbrk(name, ".:");
	while (cut != NULL) {
		name = cut + 1;
		cut = strpbrk(name, ".:");
	}
	return name;
}

static const help_topic *find_topic(const char *name)
{
	size_t i;
	name = topic_word(name);
	for (i = 0; i < TOPIC_COUNT; i++)
		if (strcmp(topics[i].name, name) == 0)
			return &topics[i];
	return NULL;
}

/* The list: the calls lined up, each with its summary. */
static void list_topics(void)
{
	size_t i;
	puts("The catalogue is `films`; every query method returns a new query.");
	for (i = 0; i < TOPIC_COUNT; i++)
		printf("  %-26s %s\n", topics[i].call, topics[i].summary);
	puts("help(\"where\") shows one call with an example.");
}

static void show_topic(const help_topic *t)
{
	printf("%s: %s\n  %s\n  example: %s\n", t->call, t->summary, t->usage,
	       t->example);
}

static int help_call(lua_State *L)
{
	const help_topic *t;
	if (lua_isnoneornil(L, 1)) {
		list_topics();
	} else if ((t = find_topic(luaL_checkstring(L, 1))) != NULL) {
		show_topic(t);
	} else {
		printf("no help for '%s'; help() lists the calls\n",
		       lua_tostring(L, 1));
	}
	fflush(stdout);
	return 0;
}

void help_register(lua_State *L)
{
	lua_pushcfunction(L, help_call);
	lua_setglobal(L, "help");
}
