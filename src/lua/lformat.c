/*
** lformat.c: a Query as text and as a file (see binding.h): q:format,
** q:print, tostring(q), q:save, and the REPL's rendering. Checks formats
** and options; core/format.h renders, core/save.h writes atomically.
*/
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "binding.h"
#include "core/format.h"
#include "core/save.h"

/* fmt: a format's name, or a template when it holds a '{'. */
static format_kind check_format(lua_State *L, int arg, format_options *o)
{
	const char *name = luaL_optstring(L, arg, "table");
	int kind;
	if (strchr(name, '{') != NULL) {
		o->template_text = name;
		return FORMAT_TEMPLATE;
	}
	kind = format_kind_from_name(name);
	if (kind < 0 || kind == FORMAT_TEMPLATE)
		luaL_argerror(L, arg, lua_pushfstring(L, "unknown format '%s' "
		              "(table, csv, tsv, json, markdown, lines, or a "
		              "template such as \"{title} ({year})\")", name));
	return (format_kind)kind;
}

/* Make `o` show the columns the plan selected (all when none). */
static void shown_columns(plan_node *n, format_options *o)
{
	o->columns = plan_columns(n, &o->column_count);
}

static size_t check_option_count(lua_State *L, int opts, const char *name)
{
	size_t n = 0;
	if (lua_getfield(L, opts, name) != LUA_TNIL) {
		int isinteger;
		lua_Integer i = lua_tointegerx(L, -1, &isinteger);
		if (lua_type(L, -1) != LUA_TNUMBER || !isinteger || i < 0)
			luaL_argerror(L, opts, lua_pushfstring(L, "option '%s' must "
			              "be a non-negative integer", name));
		n = (size_t)i;
	}
	lua_pop(L, 1);
	return n;
}

/* opts.columns: the columns as indices in a userdata left on the stack. */
static void check_option_columns(lua_State *L, int opts, const table *t,
                                 format_options *o)
{
	int names, n, i;
	size_t *columns;
	if (lua_getfield(L, opts, "columns") == LUA_TNIL)
		return;
	names = lua_gettop(L);
	n = lua_istable(L, names) ? (int)lua_rawlen(L, names) : 0;
	luaL_argcheck(L, n > 0, opts, "option 'columns' must be an array of "
	              "column names");
	columns = lua_newuserdatauv(L, (size_t)n * sizeof *columns, 0);
	for (i = 1; i <= n; i++) {
		luaL_argcheck(L, lua_rawgeti(L, names, i) == LUA_TSTRING, opts,
		              "option 'columns' must be an array of column names");
		columns[i - 1] = lreel_check_column(L, t, lua_tostring(L, -1));
		lua_pop(L, 1);
	}
	o->columns = columns;
	o->column_count = (size_t)n;
}

static const char *const format_option_names[] = {
	"columns", "max_rows", "width", NULL
};

/* The options of format(fmt, opts) and print(fmt, opts); the Query at 1
** gives the selected columns. Leaves what it made on the stack. */
static format_kind check_format_options(lua_State *L, plan_node *n,
                                        format_options *o)
{
	format_kind kind;
	memset(o, 0, sizeof *o);
	kind = check_format(L, 2, o);
	shown_columns(n, o);
	if (lua_isnoneornil(L, 3))
		return kind;
	luaL_checktype(L, 3, LUA_TTABLE);
	lreel_check_option_names(L, 3, format_option_names);
	o->max_rows = check_option_count(L, 3, "max_rows");
	o->max_width = check_option_count(L, 3, "width");
	check_option_columns(L, 3, plan_table(n), o);
	return kind;
}

/* Pushes the rows of `n` rendered as `kind`. */
static void push_rows(lua_State *L, plan_node *n, format_kind kind,
                      const format_options *o)
{
	reel_error err = REEL_ERROR_INIT;
	const selection *rows = plan_rows(n, &err);
	text_buffer *b;
	if (rows == NULL)
		lreel_fail(L, &err);
	b = lreel_new_text(L);
	if (format_rows(plan_table(n), rows, kind, o, b, &err) != 0)
		lreel_fail(L, &err);
	lreel_push_text(L, b);
}

static int query_format(lua_State *L)
{
	plan_node *n = lquery_plan(L, 1);
	format_options o;
	format_kind kind = check_format_options(L, n, &o);
	push_rows(L, n, kind, &o);
	return 1;
}

/* Writes what format would return, ending the last line if it is open. */
static int query_print(lua_State *L)
{
	size_t length;
	const char *text;
	query_format(L);
	text = lua_tolstring(L, -1, &length);
	lua_writestring(text, length);
	if (length > 0 && text[length - 1] != '\n')
		lua_writestring("\n", 1);
	fflush(stdout);
	return 0;
}

int lformat_tostring(lua_State *L)
{
	plan_node *n = lquery_plan(L, 1);
	format_options o;
	memset(&o, 0, sizeof o);
	shown_columns(n, &o);
	push_rows(L, n, FORMAT_TABLE, &o);
	return 1;
}

/* render(query, max_rows, max_width): the REPL's view of a Query, in a
** frame of its own so the Table to Query swap leaves the caller's stack be. */
static int query_render(lua_State *L)
{
	plan_node *n = lquery_plan(L, 1);
	format_options o;
	memset(&o, 0, sizeof o);
	shown_columns(n, &o);
	o.max_rows = (size_t)lua_tointeger(L, 2);
	o.max_width = (size_t)lua_tointeger(L, 3);
	push_rows(L, n, FORMAT_TABLE, &o);
	return 1;
}

void lformat_push_rendering(lua_State *L, int index, size_t max_rows,
                            size_t max_width)
{
	index = lua_absindex(L, index);
	lua_pushcfunction(L, query_render);
	lua_pushvalue(L, index);
	lua_pushinteger(L, max_rows <= INT64_MAX ? (lua_Integer)max_rows : 0);
	lua_pushinteger(L, max_width <= INT64_MAX ? (lua_Integer)max_width : 0);
	lua_call(L, 3, 1);
}

/* q:save(path[, fmt]): true, or nil and a message naming the path. The
** format is fmt, else the path's extension; the selected columns go out.
** Running out of memory raises, as everywhere else. */
static int query_save(lua_State *L)
{
	plan_node *n = lquery_plan(L, 1);
	const char *path = luaL_checkstring(L, 2);
	reel_error err = REEL_ERROR_INIT;
	const selection *rows;
	format_options o;
	int kind;
	memset(&o, 0, sizeof o);
	if (!lua_isnoneornil(L, 3))
		kind = (int)check_format(L, 3, &o);
	else if ((kind = save_format_from_path(path)) < 0)
		return luaL_argerror(L, 2, lua_pushfstring(L, "cannot tell the format "
		                     "of '%s' (give one: csv, tsv, json, markdown)", path));
	shown_columns(n, &o);
	if ((rows = plan_rows(n, &err)) == NULL)
		return lreel_fail(L, &err);
	if (save_rows(plan_table(n), rows, (format_kind)kind, &o, path, &err) != 0) {
		if (err.code == REEL_ERROR_MEMORY)
			return lreel_nomemory(L);
		luaL_pushfail(L);
		lua_pushstring(L, err.message);
		return 2;
	}
	lua_pushboolean(L, 1);
	return 1;
}

const luaL_Reg lformat_methods[] = {
	{"format", query_format},
	{"print", query_print},
	{"save", query_save},
	{NULL, NULL}
};
