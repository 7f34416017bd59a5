/*
** ljoin.c: q:join(other, keys[, opts]) (see binding.h and DESIGN.md): the
** keys and options checked and turned into a join node of the core's plan.
** keys: a column both sides have, a list of them, or {left = ..., right =
** ...} with a column or a list on each side; opts.kind inner (default),
** left, semi or anti; opts.suffix for clashing names.
*/
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "binding.h"

/* {====== Keys ====== */

/* The columns named at `index` (a name or an array of names) of `t`, into
** a userdata pushed on the stack; *count gets how many. */
static size_t *check_key_list(lua_State *L, int index, const table *t,
                              const char *side, size_t *count)
{
	size_t *keys, i, n = 1;
	index = lua_absindex(L, index);
	if (lua_type(L, index) != LUA_TSTRING) {
		if (!lua_istable(L, index) || (n = lua_rawlen(L, index)) == 0)
			luaL_error(L, "join: the %s keys must be a column name or a list "
			           "of column names", side);
	}
	keys = lua_newuserdatauv(L, n * sizeof *keys, 0);
	for (i = 0; i < n; i++) {
		const char *name;
		if (lua_type(L, index) == LUA_TSTRING) {
			name = lua_tostring(L, index);
		} else {
			if (lua_rawgeti(L, index, (lua_Integer)i + 1) != LUA_TSTRING)
				luaL_error(L, "join: %s key %d is not a column name", side,
				           (int)i + 1);
			name = lua_tostring(L, -1);
			lua_pop(L, 1);
		}
		keys[i] = lreel_check_column(L, t, name);
	}
	*count = n;
	return keys;
}

/* keys at 3 into spec's key arrays (userdata left on the stack). */
static void check_join_keys(lua_State *L, const table *left,
                            const table *right, join_spec *spec)
{
	size_t left_count, right_count;
	int keys = 3;
	if (lua_istable(L, keys) && lua_rawlen(L, keys) == 0) {
		lua_getfield(L, keys, "left");
		lua_getfield(L, keys, "right");
		if (lua_isnil(L, -2) || lua_isnil(L, -1))
			luaL_argerror(L, 3, "keys must be a column, a list of columns, or "
			              "{left = name, right = name} (names or lists)");
		spec->left_keys = check_key_list(L, -2, left, "left", &left_count);
		spec->right_keys = check_key_list(L, -2, right, "right", &right_count);
	} else {
		luaL_argexpected(L, lua_type(L, keys) == LUA_TSTRING ||
		                 lua_istable(L, keys), 3,
		                 "column name, list of names or {left = ..., right = ...}");
		spec->left_keys = check_key_list(L, keys, left, "left", &left_count);
		spec->right_keys = check_key_list(L, keys, right, "right", &right_count);
	}
	if (left_count != right_count)
		luaL_error(L, "join: %d left key%s but %d right key%s", (int)left_count,
		           left_count == 1 ? "" : "s", (int)right_count,
		           right_count == 1 ? "" : "s");
	spec->key_count = left_count;
}
/* }====== */

/* {====== Options ====== */

static const char *const join_option_names[] = {"kind", "suffix", "match",
                                                NULL};
/* In join_kind order. */
static const char *const join_kinds[] = {"inner", "left", "semi", "anti", NULL};
/* How text keys compare: bytewise, or loosely (core/match.h). */
static const char *const join_matches[] = {"exact", "loose", NULL};

/* opts.match, at 4: whether text keys compare loosely. */
static bool check_join_match(lua_State *L)
{
	bool loose = false;
	if (lua_getfield(L, 4, "match") != LUA_TNIL) {
		const char *name = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1)
		                                                  : "";
		int i = 0;
		while (join_matches[i] != NULL && strcmp(join_matches[i], name) != 0)
			i++;
		luaL_argcheck(L, join_matches[i] != NULL, 4,
		              "option 'match' must be \"exact\" or \"loose\"");
		loose = i == 1;
	}
	lua_pop(L, 1);
	return loose;
}

/* opts.kind, opts.suffix (for clashing names) and opts.match, at 4. */
static void check_join_options(lua_State *L, join_spec *spec)
{
	spec->kind = JOIN_INNER;
	spec->suffix = "_2";
	spec->loose = false;
	if (lua_isnoneornil(L, 4))
		return;
	luaL_checktype(L, 4, LUA_TTABLE);
	lreel_check_option_names(L, 4, join_option_names);
	if (lua_getfield(L, 4, "kind") != LUA_TNIL) {
		const char *name = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1)
		                                                  : "";
		int i = 0;
		while (join_kinds[i] != NULL && strcmp(join_kinds[i], name) != 0)
			i++;
		luaL_argcheck(L, join_kinds[i] != NULL, 4, "option 'kind' must be "
		              "\"inner\", \"left\", \"semi\" or \"anti\"");
		spec->kind = (join_kind)i;
	}
	spec->loose = check_join_match(L);
	if (lua_getfield(L, 4, "suffix") != LUA_TNIL) {
		luaL_argcheck(L, lua_type(L, -1) == LUA_TSTRING &&
		              lua_rawlen(L, -1) > 0, 4,
		              "option 'suffix' must be a non-empty string");
		spec->suffix = lua_tostring(L, -1); /* held by opts */
	}
	lua_pop(L, 2);
}
/* }====== */

/* q:join(other, keys[, opts]): the Query of a new Table (inner, left), or
** of q's rows that have a match or none (semi, anti). */
static int query_join(lua_State *L)
{
	plan_node *left = lquery_plan(L, 1), *right = lquery_plan(L, 2);
	reel_error err = REEL_ERROR_INIT;
	join_spec spec;
	film_query *q;
	lua_settop(L, 4); /* what the checks push goes above the arguments */
	check_join_options(L, &spec);
	check_join_keys(L, plan_table(left), plan_table(right), &spec);
	q = lquery_new(L, 1);
	lquery_take(L, q, plan_join(left, right, &spec, &err), &err);
	return 1;
}

const luaL_Reg ljoin_methods[] = {
	{"join", query_join},
	{NULL, NULL}
};
