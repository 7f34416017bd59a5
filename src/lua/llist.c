/*
** llist.c: list columns in Lua: a list cell as a Lua array of strings,
** q:explode(col), and reel.load's opts.lists. Relies on core/list.h and
** core/plan.h.
*/
#include "binding.h"
#include "core/list.h"

/* {====== List cells ====== */
void llist_push_cell(lua_State *L, const column *c, const char *text,
                     size_t length)
{
	list_cursor cursor;
	const char *element;
	size_t size;
	lua_Integer n = 0;
	lua_createtable(L, lreel_array_size(list_count(c, text, length)), 0);
	list_open(&cursor, c, text, length);
	while (list_next(&cursor, &element, &size)) {
		lua_pushlstring(L, element, size);
		lua_rawseti(L, -2, ++n);
	}
}
/* }====== */

/* {====== q:explode(col) ====== */
/* A Query of one row an element of a list column. */
static int query_explode(lua_State *L)
{
	plan_node *input = lquery_plan(L, 1);
	size_t col = lreel_check_column(L, plan_table(input),
	                                luaL_checkstring(L, 2));
	reel_error err = REEL_ERROR_INIT;
	film_query *q = lquery_new(L, 1);
	lquery_take(L, q, plan_explode(input, col, &err), &err);
	return 1;
}

const luaL_Reg llist_methods[] = {
	{"explode", query_explode},
	{NULL, NULL}
};
/* }====== */

/* {====== opts.lists ====== */
/* opts.lists = {col = ",", ...}: its shape, before the file is read. */
void llist_check_load_option(lua_State *L, int opts)
{
	if (lua_getfield(L, opts, "lists") != LUA_TNIL) {
		int lists = lua_gettop(L);
		luaL_argcheck(L, lua_istable(L, lists), opts, "option 'lists' must "
		              "map column names to separators ({genres = \",\"})");
		lua_pushnil(L);
		while (lua_next(L, lists) != 0) {
			luaL_argcheck(L, lua_type(L, -2) == LUA_TSTRING &&
			              (lua_type(L, -1) == LUA_TSTRING ||
			               lua_type(L, -1) == LUA_TBOOLEAN), opts,
			              "option 'lists' must map column names to "
			              "separators ({genres = \",\"}), or false");
			lua_pop(L, 1);
		}
	}
	lua_pop(L, 1);
}

/* The separator a value of opts.lists gives: its text, "" for false (the
** column is text, not a list), "," for true. */
static const char *separator_of(lua_State *L, int index)
{
	if (lua_type(L, index) == LUA_TBOOLEAN)
		return lua_toboolean(L, index) ? "," : "";
	return lua_tostring(L, index);
}

/* Applies opts.lists to the table of the Table on top of the stack.
** Returns 0, or 2 with nil and a message pushed (no such column, or a
** column that cannot be a list). */
int llist_apply_load_option(lua_State *L, int opts, const char *path)
{
	table *t = ltable_check(L, -1)->films;
	if (opts == 0)
		return 0;
	if (lua_getfield(L, opts, "lists") == LUA_TNIL) {
		lua_pop(L, 1);
		return 0;
	}
	lua_pushnil(L);
	while (lua_next(L, -2) != 0) {
		const char *name = lua_tostring(L, -2);
		int col = table_column_index(t, name);
		reel_error err = REEL_ERROR_INIT;
		if (col < 0 || list_mark(t, (size_t)col, separator_of(L, -1), &err) != 0) {
			const char *close = col < 0 ? table_closest_column(t, name) : NULL;
			luaL_pushfail(L);
			if (col >= 0)
				lua_pushfstring(L, "%s: %s", path, err.message);
			else
				lua_pushfstring(L, "%s has no column '%s'%s%s%s", path, name,
				                close ? " (did you mean '" : "",
				                close ? close : "", close ? "'?)" : "");
			return 2;
		}
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	return 0;
}
/* }====== */
