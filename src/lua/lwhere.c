/*
** lwhere.c: q:where{...} turned into predicates (see binding.h): each
** `column = condition` pair of the table checked and made into predicates
** of core/where.h, which the plan copies and checks against the columns.
** Relies on Lua 5.4's C API.
*/
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "binding.h"
#include "core/where.h"

/* The predicates of one where{} call. Their memory (and that of `in` sets)
** is Lua's, anchored in a table on the stack until the plan has copied
** them. */
typedef struct where_build {
	const table *films;
	predicate *predicates;
	size_t count;
	int anchor;
} where_build;

static int badoperand(lua_State *L, const char *name, const char *op,
                      int index)
{
	return luaL_error(L, "where: bad value for %s.%s (a number, string or "
	                  "boolean expected, got %s)", name, op,
	                  luaL_typename(L, index));
}

/* The Lua value at `index` as a comparison operand for where{name = {op =
** ...}}. Strings point into Lua's copy, alive as long as the where table. */
static value checkoperand(lua_State *L, int index, const char *name,
                          const char *op)
{
	value v;
	switch (lua_type(L, index)) {
	case LUA_TNUMBER:
		if (lua_isinteger(L, index)) {
			v.kind = VALUE_INTEGER;
			v.as.integer = (int64_t)lua_tointeger(L, index);
		} else {
			v.kind = VALUE_NUMBER;
			v.as.number = (double)lua_tonumber(L, index);
		}
		return v;
	case LUA_TSTRING:
		v.kind = VALUE_STRING;
		v.as.string.text = lua_tolstring(L, index, &v.as.string.length);
		return v;
	case LUA_TBOOLEAN:
		v.kind = VALUE_BOOLEAN;
		v.as.boolean = lua_toboolean(L, index);
		return v;
	}
	if (lreel_is_null(L, index))
		luaL_error(L, "where: reel.null never matches %s.%s "
		           "(use {null = true})", name, op);
	badoperand(L, name, op, index);
	return v;
}

static predicate *addpredicate(where_build *w, size_t col, predicate_op op)
{
	predicate *p = &w->predicates[w->count++];
	memset(p, 0, sizeof *p);
	p->column = col;
	p->op = op;
	return p;
}

/* Keeps the userdata on top of the stack alive until the query is run. */
static void anchor(lua_State *L, where_build *w)
{
	lua_rawseti(L, w->anchor, (lua_Integer)lua_rawlen(L, w->anchor) + 1);
}

/* An `in` set from the array at `index`. */
static void addset(lua_State *L, where_build *w, size_t col, int index,
                   const char *name)
{
	size_t i, n = lua_rawlen(L, index);
	value *set = lua_newuserdatauv(L, n * sizeof *set + 1, 0);
	predicate *p;
	anchor(L, w);
	for (i = 0; i < n; i++) {
		if (lua_rawgeti(L, index, (lua_Integer)i + 1) == LUA_TNIL)
			luaL_error(L, "where: the set for %s.in has a hole at %d",
			           name, (int)i + 1);
		set[i] = checkoperand(L, -1, name, "in");
		lua_pop(L, 1);
	}
	p = addpredicate(w, col, OP_IN);
	p->set = set;
	p->set_count = n;
}

/* between = {lo, hi} */
static void addbetween(lua_State *L, where_build *w, size_t col,
                       int index, const char *name)
{
	predicate *p;
	value lo, hi;
	if (!lua_istable(L, index) || lua_rawlen(L, index) != 2)
		luaL_error(L, "where: %s.between takes {low, high}", name);
	lua_rawgeti(L, index, 1);
	lua_rawgeti(L, index, 2);
	lo = checkoperand(L, -2, name, "between");
	hi = checkoperand(L, -1, name, "between");
	lua_pop(L, 2);
	p = addpredicate(w, col, OP_BETWEEN);
	p->operand = lo;
	p->upper = hi;
}

static int unknownop(lua_State *L, const char *column_name, int key)
{
	const char *name = luaL_tolstring(L, key, NULL);
	luaL_Buffer b;
	int op;
	luaL_buffinit(L, &b);
	for (op = 0; op < OP_COUNT; op++) {
		luaL_addstring(&b, op == 0 ? "" : ", ");
		luaL_addstring(&b, where_op_name((predicate_op)op));
	}
	luaL_pushresult(&b);
	return luaL_error(L, "where: unknown op '%s' for %s (valid ops: %s)",
	                  name, column_name, lua_tostring(L, -1));
}

static void addnullop(where_build *w, size_t col, bool keep_nulls)
{
	predicate *p = addpredicate(w, col, OP_NULL);
	p->operand.kind = VALUE_BOOLEAN;
	p->operand.as.boolean = keep_nulls;
}

/* One `op = operand` pair of a column's table: key at -2, operand at -1.
** eq/ne reel.null read as null = true/false. */
static void addop(lua_State *L, where_build *w, size_t col,
                  const char *name)
{
	int operand = lua_gettop(L);
	int op = lua_type(L, -2) == LUA_TSTRING
	         ? where_op_from_name(lua_tostring(L, -2)) : -1;
	if (op < 0)
		unknownop(L, name, operand - 1);
	if (op == OP_IN) {
		if (!lua_istable(L, operand))
			luaL_error(L, "where: %s.in takes an array of values", name);
		addset(L, w, col, operand, name);
	} else if (op == OP_BETWEEN) {
		addbetween(L, w, col, operand, name);
	} else if (op == OP_NULL) {
		if (!lua_isboolean(L, operand))
			luaL_error(L, "where: %s.null takes true or false", name);
		addnullop(w, col, lua_toboolean(L, operand));
	} else if ((op == OP_EQ || op == OP_NE) && lreel_is_null(L, operand)) {
		addnullop(w, col, op == OP_EQ);
	} else {
		const char *opname = where_op_name((predicate_op)op);
		addpredicate(w, col, (predicate_op)op)->operand =
			checkoperand(L, operand, name, opname);
	}
}

/* A table of ops has string keys; a plain array is an `in` set. */
static int isoptable(lua_State *L, int index)
{
	lua_pushnil(L);
	while (lua_next(L, index) != 0) {
		int named = lua_type(L, -2) == LUA_TSTRING;
		lua_pop(L, 1);
		if (named) {
			lua_pop(L, 1);
			return 1;
		}
	}
	return 0;
}

/* `accents = false` beside a column's ops folds accents away for them
** (contains, eq, ne): true when accents count. */
static bool check_accents(lua_State *L, int condition, const char *name)
{
	bool accents = true;
	if (lua_getfield(L, condition, "accents") != LUA_TNIL) {
		if (!lua_isboolean(L, -1))
			luaL_error(L, "where: %s.accents takes true or false", name);
		accents = lua_toboolean(L, -1);
	}
	lua_pop(L, 1);
	return accents;
}

/* The key at `index` names an option of the ops (accents), not an op. */
static bool is_option_key(lua_State *L, int index)
{
	return lua_type(L, index) == LUA_TSTRING &&
	       strcmp(lua_tostring(L, index), "accents") == 0;
}

/* One `column = condition` pair of where{}: key at -2, condition at -1. */
static void addcondition(lua_State *L, where_build *w)
{
	int condition = lua_gettop(L);
	const char *name;
	size_t col;
	if (lua_type(L, -2) != LUA_TSTRING)
		luaL_error(L, "where: column names must be strings (got %s)",
		           luaL_typename(L, -2));
	name = lua_tostring(L, -2);
	col = lreel_check_column(L, w->films, name);
	if (lreel_is_null(L, condition)) {
		addnullop(w, col, true);
	} else if (!lua_istable(L, condition)) {
		addpredicate(w, col, OP_EQ)->operand =
			checkoperand(L, condition, name, "eq");
	} else if (!isoptable(L, condition)) {
		addset(L, w, col, condition, name);
	} else {
		size_t first = w->count;
		bool accents = check_accents(L, condition, name);
		lua_pushnil(L);
		while (lua_next(L, condition) != 0) {
			if (!is_option_key(L, -2))
				addop(L, w, col, name);
			lua_pop(L, 1);
		}
		for (; !accents && first < w->count; first++)
			w->predicates[first].no_accents = true;
	}
}

static size_t countkeys(lua_State *L, int index)
{
	size_t n = 0;
	lua_pushnil(L);
	while (lua_next(L, index) != 0) {
		lua_pop(L, 1);
		n++;
	}
	return n;
}

plan_node *lwhere_node(lua_State *L, plan_node *input, int arg,
                       reel_error *err)
{
	where_build w;
	int top = lua_gettop(L);
	plan_node *n;
	arg = lua_absindex(L, arg);
	w.films = plan_table(input);
	/* each column holds each op at most once */
	w.predicates = lua_newuserdatauv(L, countkeys(L, arg) * OP_COUNT *
	                                 sizeof *w.predicates + 1, 0);
	w.count = 0;
	lua_newtable(L);
	w.anchor = lua_gettop(L);
	lua_pushnil(L);
	while (lua_next(L, arg) != 0) {
		addcondition(L, &w);
		lua_pop(L, 1);
	}
	n = plan_where(input, w.predicates, w.count, err);
	lua_settop(L, top);
	return n;
}
