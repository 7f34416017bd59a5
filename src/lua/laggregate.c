/*
** laggregate.c: q:aggregate(by, specs) (see binding.h and DESIGN.md): `by`
** a column, a list of them or nil; each spec a string such as "count",
** "avg(duration)" or "max(year) as latest", checked and turned into an
** aggregate node of the core's plan, whose result is a Query like any
** other.
*/
#include <ctype.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "binding.h"
#include "core/aggregate.h"

#define FUNCTIONS "count, sum, avg, min, max, median, count_distinct"

/* {====== Keys ====== */

/* A key: a column's name, or year(name) or month(name) of a date column;
** its column, and its part in *part. */
static size_t check_key(lua_State *L, const table *t, const char *key,
                        unsigned char *part)
{
	static const char *const parts[] = {"year(", "month(", NULL};
	size_t length = strlen(key), i, prefix;
	*part = AGGREGATE_PART_WHOLE;
	for (i = 0; parts[i] != NULL; i++) {
		prefix = strlen(parts[i]);
		if (table_column_index(t, key) < 0 && length > prefix + 1 &&
		    strncmp(key, parts[i], prefix) == 0 && key[length - 1] == ')') {
			lua_pushlstring(L, key + prefix, length - prefix - 1);
			*part = i == 0 ? AGGREGATE_PART_YEAR : AGGREGATE_PART_MONTH;
			i = lreel_check_column(L, t, lua_tostring(L, -1));
			lua_pop(L, 1);
			return i;
		}
	}
	return lreel_check_column(L, t, key);
}

/* by at `index`: nil, a name or a list of names, as columns of `t` in a
** userdata pushed on the stack (and their parts in another). */
static aggregate_by check_by(lua_State *L, int index, const table *t)
{
	aggregate_by by = {NULL, 0, COLLATE_BINARY, NULL};
	size_t *columns, i, n = 0;
	unsigned char *parts;
	if (lua_type(L, index) == LUA_TSTRING)
		n = 1;
	else if (lua_istable(L, index))
		n = lua_rawlen(L, index);
	else
		luaL_argexpected(L, lua_isnoneornil(L, index), index,
		                 "column name, list of names or nil");
	columns = lua_newuserdatauv(L, (n + 1) * sizeof *columns, 0);
	parts = lua_newuserdatauv(L, n + 1, 0);
	if (lua_type(L, index) == LUA_TSTRING)
		columns[0] = check_key(L, t, lua_tostring(L, index), &parts[0]);
	for (i = 0; lua_istable(L, index) && i < n; i++) {
		if (lua_rawgeti(L, index, (lua_Integer)i + 1) != LUA_TSTRING)
			luaL_error(L, "aggregate: key %d is not a column name", (int)i + 1);
		columns[i] = check_key(L, t, lua_tostring(L, -1), &parts[i]);
		lua_pop(L, 1);
	}
	by.columns = columns;
	by.count = n;
	by.parts = parts;
	return by;
}
/* }====== */

/* {====== Specs ====== */

/* The word at *at (letters, digits, _) copied into `out`; its length. */
static size_t take_word(const char **at, char *out, size_t room)
{
	size_t n = 0;
	while (isspace((unsigned char)**at))
		(*at)++;
	while ((isalnum((unsigned char)**at) || **at == '_') && n + 1 < room)
		out[n++] = *(*at)++;
	out[n] = '\0';
	while (isspace((unsigned char)**at))
		(*at)++;
	return n;
}

/* The column name inside "(...)" at *at, copied into `out`. */
static bool take_argument(const char **at, char *out, size_t room)
{
	const char *close;
	size_t n;
	if (**at != '(' || (close = strchr(*at, ')')) == NULL)
		return false;
	for (++*at; isspace((unsigned char)**at); ++*at)
		;
	n = (size_t)(close - *at);
	while (n > 0 && isspace((unsigned char)(*at)[n - 1]))
		n--;
	if (n == 0 || n >= room)
		return false;
	memcpy(out, *at, n);
	out[n] = '\0';
	*at = close + 1;
	return true;
}

/* One spec string, its function and column into *s and its result's name
** (pushed, kept alive by the stack). */
static void check_spec(lua_State *L, const char *text, const table *t,
                       aggregate_spec *s)
{
	char function[32], argument[256] = "", alias[256] = "", word[8];
	const char *at = text;
	int f;
	take_word(&at, function, sizeof function);
	f = aggregate_function_from_name(function);
	if (f < 0)
		luaL_error(L, "aggregate: unknown function in '%s' (%s)", text, FUNCTIONS);
	s->function = (aggregate_function)f;
	if (*at == '(' && !take_argument(&at, argument, sizeof argument))
		luaL_error(L, "aggregate: bad argument in '%s'", text);
	if (argument[0] == '\0' && f != AGGREGATE_COUNT)
		luaL_error(L, "aggregate: %s needs a column, as in '%s(duration)'",
		           function, function);
	take_word(&at, word, sizeof word);
	if (strcmp(word, "as") == 0)
		take_word(&at, alias, sizeof alias);
	if ((word[0] != '\0' && (strcmp(word, "as") != 0 || alias[0] == '\0')) ||
	    *at != '\0')
		luaL_error(L, "aggregate: cannot read '%s' (as in \"avg(duration) as "
		           "length\")", text);
	s->column = argument[0] != '\0' ? lreel_check_column(L, t, argument)
	                              : AGGREGATE_ROWS;
	if (alias[0] != '\0')
		lua_pushstring(L, alias);
	else if (argument[0] != '\0')
		lua_pushfstring(L, "%s_%s", function, argument);
	else
		lua_pushstring(L, function);
	s->name = lua_tostring(L, -1);
}

/* The array of specs at `index`, into a userdata pushed on the stack. */
static aggregate_spec *check_specs(lua_State *L, int index, const table *t,
                                   size_t *count)
{
	size_t i, n = 0;
	aggregate_spec *specs;
	if (!lua_isnoneornil(L, index)) {
		luaL_checktype(L, index, LUA_TTABLE);
		n = lua_rawlen(L, index);
	}
	luaL_checkstack(L, (int)(n < 1000 ? n : 1000) + 8, "too many specs");
	specs = lua_newuserdatauv(L, (n + 1) * sizeof *specs, 0);
	for (i = 0; i < n; i++) {
		if (lua_rawgeti(L, index, (lua_Integer)i + 1) != LUA_TSTRING)
			luaL_error(L, "aggregate: spec %d is not a string such as "
			           "\"avg(duration)\"", (int)i + 1);
		check_spec(L, lua_tostring(L, -1), t, &specs[i]);
		lua_replace(L, -2); /* the name stays, its spec text goes */
		luaL_checkstack(L, 4, "too many specs");
	}
	*count = n;
	return specs;
}
/* }====== */

/* q:aggregate(by, specs): a Query of one row a distinct key. */
static int query_aggregate(lua_State *L)
{
	plan_node *input = lquery_plan(L, 1);
	const table *t = plan_table(input);
	reel_error err = REEL_ERROR_INIT;
	aggregate_by by;
	aggregate_spec *specs;
	size_t count;
	film_query *q;
	lua_settop(L, 3);
	by = check_by(L, 2, t);
	by.collate = lreel_collation(L);
	specs = check_specs(L, 3, t, &count);
	q = lquery_new(L, 1);
	lquery_take(L, q, plan_aggregate(input, &by, specs, count, &err), &err);
	return 1;
}

const luaL_Reg laggregate_methods[] = {
	{"aggregate", query_aggregate},
	{NULL, NULL}
};
