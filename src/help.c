/*
** help.c: the text behind the REPL's help(), one static table with a line
** per call of the Lua API (DESIGN.md) and, for each, its usage and an
** example. Relies only on the Lua API to print through the global print's
** stream (stdout).
*/
#include "help.h"

#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

typedef struct help_topic {
	const char *name;    /* what help("name") looks up */
	const char *call;    /* the call as it is written */
	const char *summary; /* the line help() shows */
	const char *example; /* a line to try at the prompt */
} help_topic;

static const help_topic topics[] = {
	{"count", "#q, q:count()", "how many films the query holds",
	 "#films:where{year = 2013}"},
	{"index", "q[i]", "the i-th film (1-based, in query order), or nil",
	 "films:sort(\"-duration\")[1]"},
	{"each", "ipairs(q), q:each()", "iterate over the films",
	 "for i, f in ipairs(films) do print(i, f.title) end"},
	{"where", "q:where{col = v, col = {op = v, ...}, ...}",
	 "keep the films that match every key (in C); ops eq ne lt le gt ge "
	 "between in contains null",
	 "films:where{year = {ge = 2010}, duration = {lt = 120}}"},
	{"filter", "q:filter(fn)", "keep the films for which fn(film) is truthy",
	 "films:filter(function(f) return f.title:find(\"Home\") end)"},
	{"sort", "q:sort(\"col\", \"-col\", ...), q:sort(fn)",
	 "stable sort by columns (- descends, nulls last) or a comparator",
	 "films:sort(\"-year\", \"title\")"},
	{"limit", "q:limit(n)", "the first n films", "films:sort(\"rank\"):limit(3)"},
	{"offset", "q:offset(n)", "skip the first n films",
	 "films:sort(\"rank\"):offset(5)"},
	{"first", "q:first()", "the first film, or nil",
	 "films:sort(\"duration\"):first()"},
	{"last", "q:last()", "the last film, or nil", "films:sort(\"year\"):last()"},
	{"random", "q:random()", "one film at random, or nil",
	 "films:where{duration = {lt = 110}}:random()"},
	{"sample", "q:sample(n)", "n films at random, without replacement",
	 "films:sample(3)"},
	{"shuffle", "q:shuffle()", "all the films in a random order",
	 "films:shuffle():limit(2)"},
	{"search", "q:search(text)",
	 "films whose text columns hold text (case-insensitive)",
	 "films:search(\"home\")"},
	{"select", "q:select(col, ...)", "the columns that format and print show",
	 "films:select(\"title\", \"year\")"},
	{"group", "q:group(col)",
	 "loop over the distinct values of a column, each with its films",
	 "for year, g in films:group(\"year\") do print(year, #g) end"},
	{"sum", "q:sum(col)",
	 "the total of a column, nulls skipped (nil when nothing is left)",
	 "films:avg(\"duration\")"},
	{"avg", "q:avg(col)", "the mean of a column", "films:avg(\"duration\")"},
	{"min", "q:min(col)", "the smallest value of a column", "films:min(\"year\")"},
	{"max", "q:max(col)", "the largest value of a column",
	 "films:max(\"duration\")"},
	{"map", "q:map(fn)", "a Lua array of fn(film) for each film",
	 "films:limit(3):map(function(f) return f.title:upper() end)"},
	{"pluck", "q:pluck(col)", "a Lua array of one column's values",
	 "films:pluck(\"year\")"},
	{"columns", "q:columns()", "the names of the query's columns",
	 "films:columns()"},
	{"join", "q:join(other, key[, opts])",
	 "inner join on a column (key a name or {left = a, right = b})",
	 "basics:join(ratings, \"tconst\")"},
	{"save", "q:save(path[, fmt])",
	 "write the films to a file atomically: true, or nil and a message",
	 "films:where{year = 2013}:save(\"2013.csv\")"},
	{"format", "q:format(fmt[, opts])",
	 "the films as text: table, csv, tsv, json, markdown, lines or a "
	 "\"{col}\" template",
	 "films:limit(2):format(\"{title} ({year})\")"},
	{"print", "q:print(fmt[, opts])", "write the films as format would",
	 "films:limit(3):print(\"markdown\")"},
	{"tostring", "tostring(q), tostring(f)",
	 "a query as a table, a film as Title (year, N min)",
	 "tostring(films[1])"},
	{"field", "f.col, f[\"Any Column\"]",
	 "a film's value for a column, nil when null; a typo names the close match",
	 "films[1].director"},
	{"totable", "f:totable()", "a film as a plain Lua table",
	 "films[1]:totable()"},
	{"load", "reel.load(path[, opts])",
	 "read a catalogue (CSV, TSV, JSON, gzip); opts.format, opts.columns, "
	 "opts.delimiter",
	 "mine = reel.load(\"ratings.csv\", {columns = {duration = \"Runtime (mins)\"}})"},
	{"seed", "reel.seed(n)", "make random, sample and shuffle reproducible",
	 "reel.seed(42)"},
	{"version", "reel.version", "reel's version", "reel.version"},
	{"null", "reel.null",
	 "stands for a null where nil cannot (group keys, where{col = reel.null})",
	 "films:where{original_title = reel.null}"},
	{"help", "help([topic])", "this list, or one call's usage",
	 "help(\"where\")"},
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
		printf("  %-46s %s\n", topics[i].call, topics[i].summary);
	puts("help(\"where\") shows one call with an example.");
}

static void show_topic(const help_topic *t)
{
	printf("%s\n  %s\n  example: %s\n", t->call, t->summary, t->example);
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
