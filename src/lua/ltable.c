/*
** ltable.c: the reel.Table userdata, a catalogue held from Lua (see
** binding.h). A Table answers every Query method as the Query of all its
** rows (lquery.c), kept as its user value 1 once made. Relies on table.h.
*/
#include <lauxlib.h>
#include <lua.h>

#include "binding.h"

film_table *ltable_check(lua_State *L, int index)
{
	return luaL_checkudata(L, index, REEL_TABLE);
}

static int table_gc(lua_State *L)
{
	film_table *ft = ltable_check(L, 1);
	table_free(ft->films); /* the plans that read it hold it still */
	ft->films = NULL;
	return 0;
}

/* Runs protected: a memory error here leaves `t` to ltable_push. */
static int push_protected(lua_State *L)
{
	table *t = lua_touserdata(L, 1);
	film_table *ft;
	lreel_register_types(L); /* pushed before luaopen_reel ran */
	ft = lua_newuserdatauv(L, sizeof *ft, 1);
	ft->films = NULL;
	luaL_setmetatable(L, REEL_TABLE);
	ft->films = t; /* held from here on: nothing below can fail */
	return 1;
}

void ltable_push(lua_State *L, table *t)
{
	lua_pushcfunction(L, push_protected);
	lua_pushlightuserdata(L, t);
	if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
		table_free(t); /* the userdata never took it */
		lua_error(L);
	}
}

static int table_newindex(lua_State *L)
{
	return luaL_error(L, "catalogues are read-only (cannot set '%s')",
	                  luaL_tolstring(L, 2, NULL));
}

/* A Table is indexed, counted and printed as the Query of its rows: the
** Query's metamethods swap it in (lquery_plan). */
const luaL_Reg ltable_meta[] = {
	{"__index", lquery_index},
	{"__newindex", table_newindex},
	{"__len", lquery_count},
	{"__tostring", lformat_tostring},
	{"__gc", table_gc},
	{NULL, NULL}
};
