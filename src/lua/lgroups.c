/*
** lgroups.c: q:group(col), a loop over the groups of a Query (see
** binding.h): `for key, g in q:group("year") do ... end`, each g a Query of
** the core's plan (a group node), the loop's state a reel.Groups userdata
** holding the core's grouping. Relies on core/plan.h.
*/
#include <stdbool.h>
#include <stddef.h>

#include <lauxlib.h>
#include <lua.h>

#include "binding.h"

/* The state of a loop. User value 1: the walked Query, whose Table the
** groups' Films show. */
typedef struct group_walk {
	plan_grouping *grouping; /* NULL until made, and once collected */
	size_t column;           /* the key */
	size_t next;
	bool collected;          /* its __gc ran */
} group_walk;

static int groups_gc(lua_State *L)
{
	group_walk *walk = luaL_checkudata(L, 1, REEL_GROUPS);
	walk->collected = true;
	plan_grouping_release(walk->grouping);
	walk->grouping = NULL;
	return 0;
}

/* The next `key, group` of the loop; upvalue 1 the walk. */
static int groups_next(lua_State *L)
{
	group_walk *walk = lua_touserdata(L, lua_upvalueindex(1));
	reel_error err = REEL_ERROR_INIT;
	film_query *q;
	row_id key_row;
	size_t i;
	if (walk->collected)
		return luaL_error(L, "attempt to use a collected group loop");
	if (walk->next >= plan_grouping_count(walk->grouping))
		return 0;
	i = walk->next++;
	lua_getiuservalue(L, lua_upvalueindex(1), 1); /* the walked Query */
	if (plan_grouping_key(walk->grouping, i, &key_row)) {
		table *t = plan_table(lquery_plan(L, -1));
		lreel_push_cell(L, t, walk->column, key_row, NULL_AS_SENTINEL);
	} else {
		lreel_push_null(L);
	}
	q = lquery_new(L, -2);
	lquery_take(L, q, plan_grouping_member(walk->grouping, i, &err), &err);
	return 2;
}

/* for key, g in q:group("year") do ... end */
static int query_group(lua_State *L)
{
	plan_node *input = lquery_plan(L, 1);
	size_t col = lreel_check_column(L, plan_table(input),
	                                luaL_checkstring(L, 2));
	reel_error err = REEL_ERROR_INIT;
	group_walk *walk;
	lua_settop(L, 1);
	walk = lua_newuserdatauv(L, sizeof *walk, 1);
	walk->grouping = NULL;
	walk->column = col;
	walk->next = 0;
	walk->collected = false;
	luaL_setmetatable(L, REEL_GROUPS);
	lua_pushvalue(L, 1);
	lua_setiuservalue(L, -2, 1);
	walk->grouping = plan_group(input, col, &err);
	if (walk->grouping == NULL)
		return lreel_fail(L, &err);
	lua_pushcclosure(L, groups_next, 1);
	return 1;
}

const luaL_Reg lgroups_methods[] = {
	{"group", query_group},
	{NULL, NULL}
};

void lgroups_register(lua_State *L)
{
	luaL_newmetatable(L, REEL_GROUPS);
	lua_pushcfunction(L, groups_gc);
	lua_setfield(L, -2, "__gc");
	lua_pop(L, 1);
}
