/*
** lformat.c: a Query as text and as a file (see binding.h): q:format,
** q:print, tostring(q), q:save, the REPL's rendering, and the format
** queries print in when none is named (reel -o), and q:histogram. Checks
** formats and options; core/format.h renders (printing streams, a slice of
** rows at a time), core/chart.h draws charts, core/save.h writes
** atomically, core/progress.h counts long steps.
*/
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "binding.h"
#include "core/chart.h"
#include "core/format.h"
#include "core/progress.h"
#include "core/save.h"

/* {====== The default format ====== */
/* The registry's REEL_OUTPUT holds the format_kind queries print in when
** none is named; unset, a table. */
void lformat_set_output(lua_State *L, format_kind kind)
{
	lua_pushinteger(L, (lua_Integer)kind);
	lua_setfield(L, LUA_REGISTRYINDEX, REEL_OUTPUT);
}

format_kind lformat_output(lua_State *L)
{
	lua_Integer kind;
	lua_getfield(L, LUA_REGISTRYINDEX, REEL_OUTPUT);
	kind = lua_tointeger(L, -1);
	lua_pop(L, 1);
	return format_is_output(kind) ? (format_kind)kind : FORMAT_TABLE;
}
/* }====== */

/* fmt: a format's name, or a template when it holds a '{'; none, the
** default format. */
static format_kind check_format(lua_State *L, int arg, format_options *o)
{
	const char *name;
	int kind;
	if (lua_isnoneornil(L, arg))
		return lformat_output(L);
	name = luaL_checkstring(L, arg);
	if (strchr(name, '{') != NULL) {
		o->template_text = name;
		return FORMAT_TEMPLATE;
	}
	kind = format_kind_from_name(name);
	if (kind < 0 || kind == FORMAT_TEMPLATE)
		luaL_argerror(L, arg, lua_pushfstring(L, "unknown format '%s' "
		              "(%s, or a template such as \"{title} ({year})\")",
		              name, format_names_list(false)));
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

/* The rows of `n`, made now if they are not yet (a long run shows as a
** query's progress); raises on failure. */
static const selection *query_rows(lua_State *L, plan_node *n)
{
	reel_error err = REEL_ERROR_INIT;
	const selection *rows;
	progress_begin(PROGRESS_QUERY, NULL, 0, 0);
	rows = plan_rows(n, &err);
	progress_end();
	if (rows == NULL)
		lreel_fail(L, &err);
	return rows;
}

/* Pushes the rows of `n` rendered as `kind`. */
static void push_rows(lua_State *L, plan_node *n, format_kind kind,
                      const format_options *o)
{
	reel_error err = REEL_ERROR_INIT;
	const selection *rows = query_rows(L, n);
	text_buffer *b;
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

/* {====== Printing ====== */
/* Where printed text goes: a stream, and the last byte written, so an open
** last line can be ended. */
typedef struct print_target {
	FILE *stream;
	char last;
} print_target;

static int print_text(void *context, const char *text, size_t length)
{
	print_target *p = context;
	if (fwrite(text, 1, length, p->stream) != length)
		return -1;
	p->last = text[length - 1];
	return 0;
}

/* Streams the rows of `n` as `kind` to `stream`. A failed write stops the
** rows quietly: the stream's error flag tells the front end, as with
** Lua's print. Raises other errors. */
static void print_rows(lua_State *L, plan_node *n, format_kind kind,
                       const format_options *o, FILE *stream)
{
	reel_error err = REEL_ERROR_INIT;
	const selection *rows = query_rows(L, n);
	print_target p = {stream, '\n'};
	int status;
	progress_begin(PROGRESS_PRINT, NULL, 0, rows->count);
	status = format_write(plan_table(n), rows, kind, o, print_text, &p, &err);
	progress_end();
	if (status != 0 && err.code != REEL_ERROR_IO)
		lreel_fail(L, &err);
	if (status == 0 && p.last != '\n')
		fputc('\n', stream);
	fflush(stream);
}

/* q:print([fmt[, opts]]): what format would return, written as it is made,
** with the last line ended if it is open. */
static int query_print(lua_State *L)
{
	plan_node *n = lquery_plan(L, 1);
	format_options o;
	format_kind kind = check_format_options(L, n, &o);
	print_rows(L, n, kind, &o, stdout);
	return 0;
}

/* print_query(query, stream, max_rows): the REPL's paged view. */
static int print_query(lua_State *L)
{
	plan_node *n = lquery_plan(L, 1);
	FILE *stream = lua_touserdata(L, 2);
	format_options o;
	memset(&o, 0, sizeof o);
	shown_columns(n, &o);
	o.max_rows = (size_t)lua_tointeger(L, 3);
	print_rows(L, n, lformat_output(L), &o, stream);
	return 0;
}

void lformat_print(lua_State *L, int index, FILE *stream, size_t max_rows)
{
	index = lua_absindex(L, index);
	lua_pushcfunction(L, print_query);
	lua_pushvalue(L, index);
	lua_pushlightuserdata(L, stream);
	lua_pushinteger(L, max_rows <= INT64_MAX ? (lua_Integer)max_rows : 0);
	lua_call(L, 3, 0);
}
/* }====== */

/* tostring(q): the rows in the default format, without the newline that
** ends the last line, so that print(q) writes what q:print() writes. */
int lformat_tostring(lua_State *L)
{
	plan_node *n = lquery_plan(L, 1);
	format_options o;
	size_t length;
	const char *text;
	memset(&o, 0, sizeof o);
	shown_columns(n, &o);
	push_rows(L, n, lformat_output(L), &o);
	text = lua_tolstring(L, -1, &length);
	if (length > 0 && text[length - 1] == '\n')
		lua_pushlstring(L, text, length - 1);
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
	push_rows(L, n, lformat_output(L), &o);
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
		                     "of '%s' (give one: %s)", path,
		                     format_names_list(true)));
	shown_columns(n, &o);
	rows = query_rows(L, n);
	if (save_rows(plan_table(n), rows, (format_kind)kind, &o, path, &err) != 0)
		return lreel_fileresult(L, &err);
	lua_pushboolean(L, 1);
	return 1;
}

/* {====== Charts ====== */
static const char *const chart_option_names[] = {
	"bins", "step", "width", "max", NULL
};

/* opts[name], a positive integer when present; 0 when absent. */
static size_t check_positive_option(lua_State *L, int opts, const char *name)
{
	size_t n = check_option_count(L, opts, name);
	bool present = lua_getfield(L, opts, name) != LUA_TNIL;
	lua_pop(L, 1);
	if (present && n == 0)
		luaL_argerror(L, opts, lua_pushfstring(L, "option '%s' must be a "
		              "positive integer", name));
	return n;
}

static double check_option_step(lua_State *L, int opts)
{
	double step = 0;
	if (lua_getfield(L, opts, "step") != LUA_TNIL) {
		step = lua_type(L, -1) == LUA_TNUMBER ? (double)lua_tonumber(L, -1) : 0;
		if (!(step > 0) || step == HUGE_VAL)
			luaL_argerror(L, opts, "option 'step' must be a positive number");
	}
	lua_pop(L, 1);
	return step;
}

static void check_chart_options(lua_State *L, int opts, chart_options *o)
{
	memset(o, 0, sizeof *o);
	if (lua_isnoneornil(L, opts))
		return;
	luaL_checktype(L, opts, LUA_TTABLE);
	lreel_check_option_names(L, opts, chart_option_names);
	o->bins = check_positive_option(L, opts, "bins");
	o->width = check_positive_option(L, opts, "width");
	o->max_values = check_positive_option(L, opts, "max");
	o->step = check_option_step(L, opts);
	luaL_argcheck(L, o->bins == 0 || o->step == 0, opts,
	              "give bins or step, not both");
}

/* q:histogram(col[, opts]): a bar chart of the column's values, counted
** over the Query's rows, on standard output. */
static int query_histogram(lua_State *L)
{
	plan_node *n = lquery_plan(L, 1);
	size_t col = lreel_check_column(L, plan_table(n), luaL_checkstring(L, 2));
	reel_error err = REEL_ERROR_INIT;
	const selection *rows;
	chart_options o;
	text_buffer *b;
	size_t length;
	const char *text;
	check_chart_options(L, 3, &o);
	rows = query_rows(L, n);
	b = lreel_new_text(L);
	if (chart_histogram(plan_table(n), rows, col, &o, b, &err) != 0)
		lreel_fail(L, &err);
	lreel_push_text(L, b);
	text = lua_tolstring(L, -1, &length);
	lua_writestring(text, length);
	fflush(stdout);
	return 0;
}
/* }====== */

const luaL_Reg lformat_methods[] = {
	{"histogram", query_histogram},
	{"format", query_format},
	{"print", query_print},
	{"save", query_save},
	{NULL, NULL}
};
