/*
** lsearch.c: q:search(text[, opts]) (see binding.h and DESIGN.md): the
** films whose text holds `text`, ignoring case; opts.columns (a column or
** a list of them) limits where it looks, opts.rank orders the films by
** relevance instead of keeping q's order. The core (core/search.h) runs it.
*/
#include <lauxlib.h>
#include <lua.h>

#include "binding.h"

static const char *const search_option_names[] = {"columns", "rank", NULL};

/* opts.columns at `opts`: a name or a list of names, as columns of `t` in
** a userdata pushed on the stack. */
static void check_columns(lua_State *L, int opts, const table *t,
                          search_scope *scope)
{
	size_t n = 1, i, *columns;
	int list = lua_getfield(L, opts, "columns") == LUA_TTABLE;
	int names = lua_gettop(L);
	if (lua_isnil(L, names))
		return;
	if (list)
		n = lua_rawlen(L, names);
	luaL_argcheck(L, (list && n > 0) || lua_type(L, names) == LUA_TSTRING, opts,
	              "option 'columns' must be a column name or a list of them");
	columns = lua_newuserdatauv(L, n * sizeof *columns, 0);
	for (i = 0; i < n; i++) {
		if (list && lua_rawgeti(L, names, (lua_Integer)i + 1) != LUA_TSTRING)
			luaL_argerror(L, opts, "option 'columns' must be a column name or "
			              "a list of them");
		columns[i] = lreel_check_column(L, t, lua_tostring(L, list ? -1 : names));
		if (list)
			lua_pop(L, 1);
	}
	scope->columns = columns;
	scope->column_count = n;
}

static int query_search(lua_State *L)
{
	plan_node *input = lquery_plan(L, 1);
	size_t length;
	const char *text = luaL_checklstring(L, 2, &length);
	search_scope scope = {NULL, 0, false};
	reel_error err = REEL_ERROR_INIT;
	film_query *q;
	lua_settop(L, 3);
	if (!lua_isnil(L, 3)) {
		luaL_checktype(L, 3, LUA_TTABLE);
		lreel_check_option_names(L, 3, search_option_names);
		lua_getfield(L, 3, "rank");
		scope.rank = lua_toboolean(L, -1);
		check_columns(L, 3, plan_table(input), &scope);
	}
	q = lquery_new(L, 1);
	lquery_take(L, q, plan_search(input, text, length, &scope, &err), &err);
	return 1;
}

const luaL_Reg lsearch_methods[] = {
	{"search", query_search},
	{NULL, NULL}
};
