/*
** lreel.c: the `reel` module (see lreel.h and DESIGN.md "Lua API"):
** reel.load, reel.films (the built-in list), reel.seed, reel.null,
** reel.version, the registration of every userdata type, and the helpers
** the binding's files share (binding.h). The same module is built into the
** reel command and as reel.so for plain lua5.4. Relies on the core
** (read.h for loading, progress.h to count a load) and on Lua 5.4's C API. Every
** piece of core memory is owned by a userdata with __gc from the moment it
** exists, so a Lua error at any point leaks nothing.
*/
#include "lreel.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <lauxlib.h>
#include <lua.h>

#include "binding.h"
#include "core/builtin.h"
#include "core/date.h"
#include "core/list.h"
#include "core/progress.h"
#include "core/read.h"
#include "core/schedule.h"

/* {====== Errors and plain values ====== */

int lreel_nomemory(lua_State *L)
{
	lua_pushliteral(L, "not enough memory");
	return lua_error(L);
}

int lreel_fail(lua_State *L, const reel_error *err)
{
	if (err->code == REEL_ERROR_MEMORY || err->message[0] == '\0')
		return lreel_nomemory(L);
	if (err->code == REEL_ERROR_STOPPED) { /* as the hook says it: no place */
		lua_pushstring(L, err->message);
		return lua_error(L);
	}
	return luaL_error(L, "%s", err->message);
}

int lreel_fileresult(lua_State *L, const reel_error *err)
{
	if (err->code == REEL_ERROR_MEMORY || err->code == REEL_ERROR_STOPPED)
		return lreel_fail(L, err); /* limits and Ctrl-C stop the script */
	luaL_pushfail(L);
	lua_pushstring(L, err->message);
	return 2;
}

void lreel_push_null(lua_State *L)
{
	lua_getfield(L, LUA_REGISTRYINDEX, REEL_NULL);
}

int lreel_is_null(lua_State *L, int index)
{
	int same;
	index = lua_absindex(L, index);
	lreel_push_null(L);
	same = lua_rawequal(L, index, -1);
	lua_pop(L, 1);
	return same;
}

void lreel_push_value(lua_State *L, const value *v, null_as nulls)
{
	switch (v->kind) {
	case VALUE_INTEGER:
		lua_pushinteger(L, (lua_Integer)v->as.integer);
		break;
	case VALUE_NUMBER:
		lua_pushnumber(L, (lua_Number)v->as.number);
		break;
	case VALUE_BOOLEAN:
		lua_pushboolean(L, v->as.boolean);
		break;
	case VALUE_STRING:
		lua_pushlstring(L, v->as.string.text, v->as.string.length);
		break;
	case VALUE_DATE: { /* a date is its ISO text in Lua */
		char text[DATE_TEXT_SIZE];
		lua_pushlstring(L, text, date_format(v->as.integer, text));
		break;
	}
	default:
		if (nulls == NULL_AS_SENTINEL)
			lreel_push_null(L);
		else
			lua_pushnil(L);
	}
}

void lreel_push_cell(lua_State *L, const table *t, size_t col, row_id row,
                     null_as nulls)
{
	value v = table_value(t, col, row);
	if (v.kind == VALUE_STRING && column_is_list(&t->columns[col]))
		llist_push_cell(L, &t->columns[col], v.as.string.text,
		                v.as.string.length);
	else
		lreel_push_value(L, &v, nulls);
}

size_t lreel_check_column(lua_State *L, const table *t, const char *name)
{
	int col = table_column_index(t, name);
	const char *close;
	if (col >= 0)
		return (size_t)col;
	close = table_closest_column(t, name);
	if (close != NULL)
		luaL_error(L, "no column '%s' (did you mean '%s'?)", name, close);
	return (size_t)luaL_error(L, "no column '%s'", name);
}

int lreel_array_size(size_t count)
{
	return count <= INT_MAX ? (int)count : 0;
}

size_t lreel_check_count(lua_State *L, int arg)
{
	lua_Integer n = luaL_checkinteger(L, arg);
	luaL_argcheck(L, n >= 0, arg, "non-negative integer expected");
	if ((uint64_t)n > SIZE_MAX)
		return SIZE_MAX;
	return (size_t)n;
}

/* The key at -2 names no option: say which ones there are. */
static int unknown_option(lua_State *L, int opts, const char *const valid[])
{
	luaL_Buffer b;
	int i;
	const char *key = luaL_tolstring(L, -2, NULL);
	luaL_buffinit(L, &b);
	for (i = 0; valid[i] != NULL; i++) {
		luaL_addstring(&b, i == 0 ? "" : ", ");
		luaL_addstring(&b, valid[i]);
	}
	luaL_pushresult(&b);
	return luaL_argerror(L, opts, lua_pushfstring(L, "unknown option '%s' "
	                     "(valid: %s)", key, lua_tostring(L, -1)));
}

void lreel_check_option_names(lua_State *L, int opts,
                              const char *const valid[])
{
	lua_pushnil(L);
	while (lua_next(L, opts) != 0) {
		int i = 0;
		const char *key = lua_type(L, -2) == LUA_TSTRING
		                  ? lua_tostring(L, -2) : NULL;
		while (key != NULL && valid[i] != NULL && strcmp(valid[i], key) != 0)
			i++;
		if (key == NULL || valid[i] == NULL)
			unknown_option(L, opts, valid);
		lua_pop(L, 1);
	}
}
/* }====== */

/* {====== Collation ====== */

static collation collation_named(lua_State *L, int index, const char *what)
{
	const char *name = lua_type(L, index) == LUA_TSTRING ? lua_tostring(L, index)
	                                                     : "";
	int c = collate_from_name(name);
	if (c < 0)
		luaL_error(L, "%s must be \"binary\", \"nocase\" or \"natural\"", what);
	return (collation)c;
}

collation lreel_collation(lua_State *L)
{
	collation c = COLLATE_BINARY;
	int top = lua_gettop(L);
	if (lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE) == LUA_TTABLE &&
	    lua_getfield(L, -1, "reel") == LUA_TTABLE &&
	    lua_getfield(L, -1, "collation") != LUA_TNIL)
		c = collation_named(L, -1, "reel.collation");
	lua_settop(L, top);
	return c;
}

collation lreel_check_collation(lua_State *L, int opts)
{
	collation c;
	if (lua_getfield(L, opts, "collate") == LUA_TNIL) {
		lua_pop(L, 1);
		return lreel_collation(L);
	}
	c = collation_named(L, -1, "option 'collate'");
	lua_pop(L, 1);
	return c;
}
/* }====== */

/* {====== Text boxes ====== */

text_buffer *lreel_new_text(lua_State *L)
{
	text_buffer *b = lua_newuserdatauv(L, sizeof *b, 0);
	text_buffer_init(b);
	luaL_setmetatable(L, REEL_TEXT);
	return b;
}

static int text_gc(lua_State *L)
{
	text_buffer *b = luaL_checkudata(L, 1, REEL_TEXT);
	text_buffer_free(b);
	memset(b, 0, sizeof *b); /* a second __gc finds nothing to free */
	return 0;
}

void lreel_push_text(lua_State *L, text_buffer *b)
{
	if (b->failed)
		lreel_nomemory(L);
	lua_pushlstring(L, b->data != NULL ? b->data : "", b->length);
	text_buffer_free(b);
	memset(b, 0, sizeof *b);
	lua_remove(L, -2);
}
/* }====== */

/* {====== The generator and reel.null ====== */

static uint64_t entropy(lua_State *L)
{
	uint64_t seed = (uint64_t)time(NULL);
	seed = seed * 0x9e3779b97f4a7c15u ^ (uint64_t)clock();
	seed ^= (uint64_t)(uintptr_t)L;
	seed ^= (uint64_t)(uintptr_t)&seed << 17;
	return seed;
}

film_random *lreel_generator(lua_State *L)
{
	film_random *r;
	lua_getfield(L, LUA_REGISTRYINDEX, REEL_RANDOM);
	r = lua_touserdata(L, -1);
	lua_pop(L, 1);
	if (r != NULL)
		return r;
	r = lua_newuserdatauv(L, sizeof *r, 0);
	sample_seed(r, entropy(L));
	lua_setfield(L, LUA_REGISTRYINDEX, REEL_RANDOM);
	return r;
}

void lreel_seed(lua_State *L, uint64_t seed)
{
	sample_seed(lreel_generator(L), seed);
}

static int null_tostring(lua_State *L)
{
	lua_pushliteral(L, REEL_NULL);
	return 1;
}

static int null_newindex(lua_State *L)
{
	return luaL_error(L, "reel.null cannot be modified");
}

static const luaL_Reg null_meta[] = {
	{"__tostring", null_tostring},
	{"__newindex", null_newindex},
	{NULL, NULL}
};

/* The sentinel is one empty userdata, made once per state; its metatable
** is hidden, so no script can change how it behaves. */
static void register_null(lua_State *L)
{
	if (lua_getfield(L, LUA_REGISTRYINDEX, REEL_NULL) != LUA_TNIL) {
		lua_pop(L, 1);
		return;
	}
	lua_pop(L, 1);
	lua_newuserdatauv(L, 0, 0);
	luaL_newmetatable(L, REEL_NULL);
	luaL_setfuncs(L, null_meta, 0);
	lua_pushliteral(L, REEL_NULL);
	lua_setfield(L, -2, "__metatable");
	lua_setmetatable(L, -2);
	lua_setfield(L, LUA_REGISTRYINDEX, REEL_NULL);
}
/* }====== */

/* {====== reel.load ====== */

static catalogue_format check_catalogue_format(lua_State *L, int opts)
{
	static const char *const names[] = {"csv", "tsv", "json", "jsonl", NULL};
	static const catalogue_format formats[] = { /* the JSON reader reads both */
		CATALOGUE_CSV, CATALOGUE_TSV, CATALOGUE_JSON, CATALOGUE_JSON
	};
	catalogue_format format = CATALOGUE_DETECT;
	if (lua_getfield(L, opts, "format") != LUA_TNIL) {
		const char *name = lua_type(L, -1) == LUA_TSTRING
		                   ? lua_tostring(L, -1) : "";
		int i = 0;
		while (names[i] != NULL && strcmp(names[i], name) != 0)
			i++;
		if (names[i] == NULL) {
			name = luaL_tolstring(L, -1, NULL);
			luaL_argerror(L, opts, lua_pushfstring(L, "unknown format "
			              "'%s' (csv, tsv, json, jsonl)", name));
		}
		format = formats[i];
	}
	lua_pop(L, 1);
	return format;
}

static char check_delimiter(lua_State *L, int opts)
{
	char delimiter = '\0';
	if (lua_getfield(L, opts, "delimiter") != LUA_TNIL) {
		size_t length = 0;
		const char *text = lua_type(L, -1) == LUA_TSTRING
		                   ? lua_tolstring(L, -1, &length) : NULL;
		luaL_argcheck(L, length == 1, opts,
		              "option 'delimiter' must be one character");
		delimiter = text[0];
	}
	lua_pop(L, 1);
	return delimiter;
}

static const char *const load_option_names[] = {
	"format", "delimiter", "columns", "encoding", "nulls", "lists",
	"table", "member", NULL
};

/* opts.table (an SQLite database's table) or opts.member (a zip archive's
** member): a name, or NULL. The string stays in opts for the load. */
static const char *check_name_option(lua_State *L, int opts, const char *key)
{
	const char *name = NULL;
	if (lua_getfield(L, opts, key) != LUA_TNIL) {
		if (lua_type(L, -1) != LUA_TSTRING)
			luaL_argerror(L, opts, lua_pushfstring(L, "option '%s' must be a "
			              "name", key));
		name = lua_tostring(L, -1);
	}
	lua_pop(L, 1);
	return name;
}

/* opts.encoding: "utf-8", "latin1", "cp1252" or "utf-16" (and their usual
** spellings). */
static read_encoding check_encoding(lua_State *L, int opts)
{
	int encoding = READ_ENCODING_DETECT;
	if (lua_getfield(L, opts, "encoding") != LUA_TNIL) {
		const char *name = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
		encoding = read_encoding_from_name(name);
		if (encoding < 0)
			luaL_argerror(L, opts, lua_pushfstring(L, "unknown encoding '%s' "
			              "(utf-8, latin1, cp1252, utf-16)",
			              luaL_tolstring(L, -1, NULL)));
	}
	lua_pop(L, 1);
	return (read_encoding)encoding;
}

/* opts.nulls = {"NA", "-", ...}: the cells read as null, as a
** NULL-terminated list in a userdata left on the stack (so nothing leaks if
** a later check raises); the strings stay in opts.nulls. NULL when unset. */
static const char *const *check_nulls(lua_State *L, int opts)
{
	const char **markers = NULL;
	lua_Integer i, n;
	if (lua_getfield(L, opts, "nulls") == LUA_TNIL) {
		lua_pop(L, 1);
		return NULL;
	}
	luaL_argcheck(L, lua_istable(L, -1), opts,
	              "option 'nulls' must be a list of strings");
	n = (lua_Integer)lua_rawlen(L, -1);
	markers = lua_newuserdatauv(L, ((size_t)n + 1) * sizeof *markers, 0);
	for (i = 1; i <= n; i++) {
		luaL_argcheck(L, lua_rawgeti(L, -2, i) == LUA_TSTRING, opts,
		              "option 'nulls' must be a list of strings");
		markers[i - 1] = lua_tostring(L, -1);
		lua_pop(L, 1);
	}
	markers[n] = NULL;
	lua_remove(L, -2); /* opts.nulls stays reachable through opts */
	return markers;
}

/* opts.columns = {duration = "Length", ...}, film names to the file's
** columns: its shape is checked before the file is read. */
static void check_load_columns(lua_State *L, int opts)
{
	if (lua_getfield(L, opts, "columns") != LUA_TNIL) {
		int mapping = lua_gettop(L);
		luaL_argcheck(L, lua_istable(L, mapping), opts, "option 'columns' "
		              "must map film names to column names");
		lua_pushnil(L);
		while (lua_next(L, mapping) != 0) {
			luaL_argcheck(L, lua_type(L, -2) == LUA_TSTRING &&
			              lua_type(L, -1) == LUA_TSTRING, opts, "option "
			              "'columns' must map film names to column names");
			lua_pop(L, 1);
		}
	}
	lua_pop(L, 1);
}

/* Applies opts.columns to the Table on top of the stack (which owns the
** table, so a memory error leaks nothing). Returns 0, or 2 with nil and a
** message naming the missing column pushed. */
static int map_load_columns(lua_State *L, int opts, const char *path)
{
	table *t = ltable_check(L, -1)->films;
	if (opts == 0)
		return 0;
	if (lua_getfield(L, opts, "columns") == LUA_TNIL) {
		lua_pop(L, 1);
		return 0;
	}
	lua_pushnil(L);
	while (lua_next(L, -2) != 0) {
		const char *source = lua_tostring(L, -1);
		if (table_set_alias(t, lua_tostring(L, -2), source) != 0) {
			const char *close = table_closest_column(t, source);
			if (table_column_index(t, source) >= 0)
				return lreel_nomemory(L);
			luaL_pushfail(L);
			lua_pushfstring(L, "%s has no column '%s'%s%s%s", path, source,
			                close ? " (did you mean '" : "", close ? close : "",
			                close ? "'?)" : "");
			return 2;
		}
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	return 0;
}

/* reel.load(path[, opts]): a Table, or nil and a message (the file cannot
** be read, or is no catalogue). "-" is standard input. */
static int reel_load(lua_State *L)
{
	const char *path = luaL_checkstring(L, 1);
	read_options opts = READ_OPTIONS_INIT;
	reel_error err = REEL_ERROR_INIT;
	int has_opts = !lua_isnoneornil(L, 2);
	table *t;
	if (has_opts) {
		luaL_checktype(L, 2, LUA_TTABLE);
		lreel_check_option_names(L, 2, load_option_names);
		opts.format = check_catalogue_format(L, 2);
		opts.delimiter = check_delimiter(L, 2);
		opts.encoding = check_encoding(L, 2);
		opts.table = check_name_option(L, 2, "table");
		opts.member = check_name_option(L, 2, "member");
		opts.nulls = check_nulls(L, 2);
		check_load_columns(L, 2);
		llist_check_load_option(L, 2);
	}
	progress_begin(PROGRESS_LOAD, path, 0, 0);
	t = read_catalogue(path, &opts, &err);
	progress_end();
	if (t == NULL)
		return lreel_fileresult(L, &err);
	ltable_push(L, t);
	if (llist_apply_load_option(L, has_opts ? 2 : 0, path) == 2)
		return 2;
	return map_load_columns(L, has_opts ? 2 : 0, path) == 2 ? 2 : 1;
}

table *lreel_read_builtin(reel_error *err)
{
	table *t = read_csv((const char *)reel_films_csv, reel_films_csv_size,
	                    "films.csv", ',', err);
	if (t != NULL && table_resolve_film_names(t) != 0) {
		table_free(t);
		error_memory(err, "films.csv");
		return NULL;
	}
	return t;
}

/* Sets reel.films, in the module table on top, to the built-in list. */
static void set_builtin_films(lua_State *L)
{
	reel_error err = REEL_ERROR_INIT;
	table *t = lreel_read_builtin(&err);
	if (t == NULL)
		lreel_fail(L, &err);
	ltable_push(L, t);
	lua_setfield(L, -2, "films");
}

/* reel.clock(): wall-clock seconds (monotonic). os.clock counts processor
** time, which work spread over both cores doubles. */
static int reel_clock(lua_State *L)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	lua_pushnumber(L, (lua_Number)now.tv_sec + (lua_Number)now.tv_nsec / 1e9);
	return 1;
}

/* An array argument of whole numbers from 0 to UINT32_MAX, copied into a
** block Lua owns (left on the stack), so no error leaks it. */
static uint32_t *check_minutes_array(lua_State *L, int arg, size_t *n)
{
	size_t i;
	uint32_t *out;
	luaL_checktype(L, arg, LUA_TTABLE);
	*n = (size_t)lua_rawlen(L, arg);
	out = lua_newuserdatauv(L, (*n + 1) * sizeof *out, 0);
	for (i = 0; i < *n; i++) {
		lua_Integer x;
		int whole;
		lua_rawgeti(L, arg, (lua_Integer)i + 1);
		x = lua_tointegerx(L, -1, &whole);
		lua_pop(L, 1);
		if (!whole || x < 0 || (lua_Unsigned)x > UINT32_MAX)
			luaL_error(L, "bad argument #%d to 'schedule' (item %d is not a whole "
			           "number from 0 to 4294967295)", arg, (int)i + 1);
		out[i] = (uint32_t)x;
	}
	return out;
}

/* reel.schedule(lengths, counts, minutes): how many films of each length
** (counts[i] of lengths[i] minutes available) fill at most `minutes` best,
** the largest total then the most films, earlier lengths first on a tie;
** returns that array and the total (core/schedule.c). */
static int reel_schedule(lua_State *L)
{
	size_t n, counted, i;
	lua_Integer budget = luaL_checkinteger(L, 3);
	uint32_t *lengths, *counts, *taken;
	int64_t total;
	reel_error err = REEL_ERROR_INIT;
	luaL_argcheck(L, budget >= 0 && budget <= 10000000, 3,
	              "minutes must be from 0 to 10000000");
	lengths = check_minutes_array(L, 1, &n);
	counts = check_minutes_array(L, 2, &counted);
	luaL_argcheck(L, counted == n, 2, "needs as many counts as lengths");
	for (i = 0; i < n; i++)
		luaL_argcheck(L, lengths[i] > 0, 1, "every length must be above 0");
	taken = lua_newuserdatauv(L, (n + 1) * sizeof *taken, 0);
	total = schedule_fill(lengths, counts, n, (uint32_t)budget, taken, &err);
	if (total < 0)
		return lreel_fail(L, &err);
	lua_createtable(L, (int)n, 0);
	for (i = 0; i < n; i++) {
		lua_pushinteger(L, (lua_Integer)taken[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_pushinteger(L, (lua_Integer)total);
	return 2;
}

static int reel_seed(lua_State *L)
{
	lreel_seed(L, (uint64_t)luaL_checkinteger(L, 1));
	return 0;
}
/* }====== */

/* {====== The module ====== */

static const luaL_Reg reel_functions[] = {
	{"load", reel_load},
	{"seed", reel_seed},
	{"clock", reel_clock},
	{"schedule", reel_schedule},
	{NULL, NULL}
};

/* A metatable `name` with `meta`, each sharing the methods table on top of
** the stack as upvalue (left there). */
static void create_meta(lua_State *L, const char *name, const luaL_Reg *meta)
{
	luaL_newmetatable(L, name);
	lua_pushvalue(L, -2);
	luaL_setfuncs(L, meta, 1);
	lua_pop(L, 1);
}

static void create_helper(lua_State *L, const char *name, lua_CFunction gc)
{
	luaL_newmetatable(L, name);
	lua_pushcfunction(L, gc);
	lua_setfield(L, -2, "__gc");
	lua_pop(L, 1);
}

/* Query methods live in one table, the upvalue of every metamethod of
** reel.Query and reel.Table: a Table answers as the Query of all rows. */
void lreel_register_types(lua_State *L)
{
	if (luaL_getmetatable(L, REEL_QUERY) != LUA_TNIL) {
		lua_pop(L, 1);
		return;
	}
	lua_pop(L, 1);
	lua_newtable(L);
	luaL_setfuncs(L, lquery_methods, 0);
	luaL_setfuncs(L, lformat_methods, 0);
	luaL_setfuncs(L, lgroups_methods, 0);
	luaL_setfuncs(L, ljoin_methods, 0);
	luaL_setfuncs(L, laggregate_methods, 0);
	luaL_setfuncs(L, llist_methods, 0);
	luaL_setfuncs(L, lsearch_methods, 0);
	luaL_setfuncs(L, lsimilar_methods, 0);
	create_meta(L, REEL_QUERY, lquery_meta);
	create_meta(L, REEL_TABLE, ltable_meta);
	lua_pop(L, 1);
	lfilm_register(L);
	lgroups_register(L);
	create_helper(L, REEL_TEXT, text_gc);
	register_null(L);
}

/* A reader's warning (a whole number too large to be one, kept as text). */
static void warn_on_stderr(void *context, const char *message)
{
	(void)context;
	fprintf(stderr, "reel: warning: %s\n", message);
	fflush(stderr);
}

int luaopen_reel(lua_State *L)
{
	read_set_warning(warn_on_stderr, NULL);
	lreel_register_types(L);
	lreel_generator(L);
	luaL_newlib(L, reel_functions);
	lreel_push_null(L);
	lua_setfield(L, -2, "null");
	lua_pushliteral(L, REEL_VERSION);
	lua_setfield(L, -2, "version");
	set_builtin_films(L);
	return 1;
}
/* }====== */

/* {====== For the front ends ====== */

int lreel_is_query(lua_State *L, int index)
{
	return lquery_is(L, index) || luaL_testudata(L, index, REEL_TABLE) != NULL;
}

int lreel_is_film(lua_State *L, int index)
{
	return lfilm_is(L, index);
}

void lreel_push_table(lua_State *L, table *t)
{
	ltable_push(L, t);
}

void lreel_set_output(lua_State *L, int kind)
{
	lformat_set_output(L, format_is_output(kind) ? (format_kind)kind
	                                             : FORMAT_TABLE);
}

int lreel_output(lua_State *L)
{
	return (int)lformat_output(L);
}

void lreel_print(lua_State *L, int index, FILE *stream, size_t max_rows)
{
	lformat_print(L, index, stream, max_rows);
}

size_t lreel_count(lua_State *L, int index)
{
	size_t count;
	index = lua_absindex(L, index);
	lua_pushcfunction(L, lquery_count);
	lua_pushvalue(L, index);
	lua_call(L, 1, 1);
	count = (size_t)lua_tointeger(L, -1);
	lua_pop(L, 1);
	return count;
}

void lreel_push_rendering(lua_State *L, int index, size_t max_rows,
                          size_t max_width)
{
	index = lua_absindex(L, index);
	if (lfilm_is(L, index))
		lfilm_push_record(L, index, max_width);
	else if (lreel_is_query(L, index))
		lformat_push_rendering(L, index, max_rows, max_width);
	else
		luaL_tolstring(L, index, NULL);
}

static int forbidden_save(lua_State *L)
{
	return luaL_error(L, "save is not available in the sandbox");
}

/* Replacing save in the methods table reaches Queries and Tables both. */
void lreel_forbid_files(lua_State *L)
{
	if (luaL_getmetatable(L, REEL_QUERY) == LUA_TTABLE &&
	    lua_getfield(L, -1, "__index") == LUA_TFUNCTION &&
	    lua_getupvalue(L, -1, 1) != NULL) {
		lua_pushcfunction(L, forbidden_save);
		lua_setfield(L, -2, "save");
		lua_pop(L, 1);
	}
	lua_pop(L, 2);
}
/* }====== */
