/*
** lsimilar.c: q:similar(film[, opts]) (see binding.h and DESIGN.md): the
** films of q most like a film, or like several (a Query, a Table or an
** array of Films, each weighed by opts.weights), as a Query of a new table
** with `score` and `reason` columns, best first. opts.count caps the films
** (default 10); opts.signals weighs description, genres, director, cast and
** year (0 leaves one out). The core (core/similar.h) ranks them.
*/
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "binding.h"
#include "core/similar.h"

#define DEFAULT_COUNT 10

/* {====== Seeds ====== */

/* The Films of the Query or Table at `index` as seeds of weight 1, into a
** userdata pushed on the stack; *count gets how many. */
static similar_seed *seeds_of_query(lua_State *L, int index, size_t *count)
{
	plan_node *n = lquery_plan(L, index);
	reel_error err = REEL_ERROR_INIT;
	const selection *rows = plan_rows(n, &err);
	similar_seed *seeds;
	size_t i;
	if (rows == NULL)
		lreel_fail(L, &err);
	seeds = lua_newuserdatauv(L, (rows->count + 1) * sizeof *seeds, 0);
	for (i = 0; i < rows->count; i++) {
		seeds[i].films = plan_table(n);
		seeds[i].row = rows->rows[i];
		seeds[i].weight = 1;
	}
	*count = rows->count;
	return seeds;
}

/* The Films of the array at `index`, each seed of weight 1. */
static similar_seed *seeds_of_array(lua_State *L, int index, size_t *count)
{
	size_t n = lua_rawlen(L, index), i;
	similar_seed *seeds = lua_newuserdatauv(L, (n + 1) * sizeof *seeds, 0);
	for (i = 0; i < n; i++) {
		lua_rawgeti(L, index, (lua_Integer)i + 1);
		seeds[i].films = lfilm_row(L, -1, &seeds[i].row);
		if (seeds[i].films == NULL)
			luaL_error(L, "similar: item %d of the films is not a film", (int)i + 1);
		seeds[i].weight = 1;
		lua_pop(L, 1); /* the array keeps the Film, and the Film its table */
	}
	*count = n;
	return seeds;
}

/* The film or films at 2 as seeds, in a userdata pushed on the stack. */
static similar_seed *check_seeds(lua_State *L, size_t *count)
{
	similar_seed *seeds;
	row_id row;
	table *t = lfilm_row(L, 2, &row);
	if (t != NULL) {
		seeds = lua_newuserdatauv(L, sizeof *seeds, 0);
		seeds->films = t;
		seeds->row = row;
		seeds->weight = 1;
		*count = 1;
		return seeds;
	}
	if (lquery_is(L, 2) || luaL_testudata(L, 2, REEL_TABLE) != NULL)
		return seeds_of_query(L, 2, count);
	luaL_argexpected(L, lua_istable(L, 2), 2, "film, query or array of films");
	return seeds_of_array(L, 2, count);
}
/* }====== */

/* {====== Options ====== */

static const char *const similar_option_names[] = {
	"count", "weights", "signals", NULL
};

/* opts.weights: one number a seed. */
static void check_weights(lua_State *L, int opts, similar_seed *seeds,
                          size_t count)
{
	size_t i;
	if (lua_getfield(L, opts, "weights") == LUA_TNIL) {
		lua_pop(L, 1);
		return;
	}
	luaL_argcheck(L, lua_istable(L, -1) && lua_rawlen(L, -1) == count, opts,
	              "option 'weights' must be an array of a number a film");
	for (i = 0; i < count; i++) {
		int isnumber;
		lua_rawgeti(L, -1, (lua_Integer)i + 1);
		seeds[i].weight = lua_tonumberx(L, -1, &isnumber);
		luaL_argcheck(L, isnumber, opts, "option 'weights' must be an array "
		              "of a number a film");
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
}

/* opts.signals = {description = 1, year = 0, ...}: each a number >= 0. */
static void check_signals(lua_State *L, int opts, double *weights)
{
	unsigned s;
	if (lua_getfield(L, opts, "signals") == LUA_TNIL) {
		lua_pop(L, 1);
		return;
	}
	luaL_argcheck(L, lua_istable(L, -1), opts, "option 'signals' must be a "
	              "table such as {description = 1, year = 0}");
	for (s = 0; s < SIMILAR_SIGNALS; s++) {
		int isnumber = 1;
		if (lua_getfield(L, -1, similar_index_signal_name(s)) != LUA_TNIL)
			weights[s] = lua_tonumberx(L, -1, &isnumber);
		luaL_argcheck(L, isnumber && weights[s] >= 0, opts, lua_pushfstring(L,
		              "signal '%s' must be a number of 0 or more",
		              similar_index_signal_name(s)));
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
}

static void check_options(lua_State *L, int opts, similar_request *r)
{
	r->count = DEFAULT_COUNT;
	similar_default_weights(r->weights);
	if (lua_isnoneornil(L, opts))
		return;
	luaL_checktype(L, opts, LUA_TTABLE);
	lreel_check_option_names(L, opts, similar_option_names);
	if (lua_getfield(L, opts, "count") != LUA_TNIL) {
		luaL_argcheck(L, lua_isinteger(L, -1) && lua_tointeger(L, -1) >= 0, opts,
		              "option 'count' must be an integer of 0 or more");
		r->count = lreel_check_count(L, -1);
	}
	lua_pop(L, 1);
	check_weights(L, opts, r->seeds, r->seed_count);
	check_signals(L, opts, r->weights);
}
/* }====== */

/* q:similar(film[, opts]): a Query of the films most like it. */
static int query_similar(lua_State *L)
{
	plan_node *input = lquery_plan(L, 1);
	reel_error err = REEL_ERROR_INIT;
	similar_request r;
	film_query *q;
	lua_settop(L, 3);
	memset(&r, 0, sizeof r);
	r.seeds = check_seeds(L, &r.seed_count); /* 4, with the Query made */
	check_options(L, 3, &r);
	q = lquery_new(L, 1);
	lquery_take(L, q, plan_similar(input, &r, &err), &err);
	return 1;
}

const luaL_Reg lsimilar_methods[] = {
	{"similar", query_similar},
	{NULL, NULL}
};
