/*
** lreel.c: the Lua binding, the `reel` module and its Table, Query and Film
** userdata (see lreel.h and DESIGN.md "Lua API").
** Relies on the core (table.h, read.h, query.h, format.h) for all the work
** on films, and on Lua 5.4's C API. Every piece of core memory is owned by a
** userdata with __gc from the moment it exists, so a Lua error at any point
** leaks nothing.
*/
#include "lreel.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <lauxlib.h>
#include <lua.h>

#include "format.h"
#include "memory.h"
#include "query.h"
#include "read.h"
#include "save.h"
#include "table.h"

/* Names of the helper userdata types and of the registry slots. */
#define REEL_NULL "reel.null"
#define REEL_RANDOM "reel.random"
#define REEL_TEXT "reel.Text"
#define REEL_GROUPS "reel.Groups"

/* A reel.Table: the catalogue it owns. User value 1: the Query of all its
** rows, made the first time a Query method is called on the Table. */
typedef struct film_table {
	table *films; /* NULL once collected */
} film_table;

/* {====== Plans (explain) ====== */
/* What made a Query, step by step, for q:explain(): each step's method, how
** it ran and the rows after it. A Query copies its parent's steps and adds
** its own, inside its own userdata (no allocation that can fail); a long
** chain keeps its first step and its latest ones. */
#define PLAN_STEPS 8
#define STEP_NAME 14

typedef enum step_kind {
	STEP_NATIVE,   /* in C over the columns */
	STEP_LUA,      /* calls a Lua function per film (filter, sort(fn)) */
	STEP_PUT_OFF,  /* a sort not done yet: done when its rows are needed */
	STEP_TOP_K,    /* a limit that took its rows from the sort before it */
	STEP_TOP_K_WHERE /* ...and from the where before that, in one pass */
} step_kind;

typedef struct plan_step {
	char name[STEP_NAME];
	unsigned char kind; /* a step_kind */
	size_t rows;        /* after the step; the latest step's is the Query's */
} plan_step;

typedef struct query_plan {
	unsigned count;     /* steps kept */
	unsigned dropped;   /* steps left out after the first */
	plan_step steps[PLAN_STEPS];
} query_plan;
/* }====== */

/* A reel.Query. User value 1: the reel.Table; user value 2: the selected
** columns (a column_list userdata) or nil for all. A native sort is put off
** until its rows are needed (`sorted_from` and `keys` set, `rows` NULL), so
** that sort(...):limit(k) can take the first k without sorting the rest,
** and where(...):sort(...):limit(k) without making the where's rows.
** A where is put off too (`where` set, `rows` NULL): #q, q:first() and
** q:random() scan without making the selection, anything else makes it.
** So are a group loop's rows (`group` set, `rows` NULL): #g and the
** loop's aggregates do without them. */
typedef struct film_query {
	selection *rows; /* NULL until made; freed by __gc */
	struct film_query *sorted_from; /* a put-off sort's input Query, made
	                                   or a put-off where (user value 3) */
	sort_key *keys;      /* and its keys; freed by __gc */
	size_t key_count;
	query_plan plan;
	size_t group;        /* 1 + its place in a group loop (user value 3), or 0 */
	const predicate *where;       /* a put-off where's predicates, */
	size_t where_count;
	const selection *where_input; /* over these rows: user value 3 keeps both */
	struct film_query *where_from;/* the Query those rows belong to */
	size_t kept;  /* 1 + its rows' count when known before its rows are made
	                 (a put-off where once counted, a group), or 0 */
	bool collected; /* its __gc ran: a finalizer may still reach it */
} film_query;

/* The columns chosen by select, as indices into the table's columns. Plain
** Lua memory: the Queries sharing it keep it alive through user values. */
typedef struct column_list {
	size_t count;
	size_t columns[];
} column_list;

/* A reel.Film: one row. User value 1: the reel.Table, which keeps `owner`
** (that same Table's memory) valid for as long as the Film lives. */
typedef struct film {
	row_id row;
	const struct film_table *owner;
} film;

/* One aggregate of every group of a loop, found in one pass over the
** walked rows when a group first asks for it (g:avg("duration")). */
typedef struct group_answers {
	aggregate kind;
	size_t column;
	value *values;      /* one a group, or NULL: go group by group */
} group_answers;

#define GROUP_ANSWERS 4 /* aggregates remembered; past that, group by group */

/* The state of a `for key, g in q:group(col)` loop. User value 1: the
** walked Query. */
typedef struct group_walk {
	group_list *groups; /* NULL until made; freed by __gc */
	size_t next;
	size_t column;
	group_answers answers[GROUP_ANSWERS]; /* values freed by __gc */
	size_t answer_count;
	bool collected; /* its __gc ran */
} group_walk;

/* How a null cell comes out as a Lua value. */
typedef enum null_as {
	NULL_AS_NIL,     /* film fields: nil, as a missing field */
	NULL_AS_SENTINEL /* arrays and group keys: reel.null, so no hole */
} null_as;


/* {====== Errors and plain values ====== */

/* The core ran out of memory: raise the message Lua's own memory errors
** carry, so the front end treats both alike. */
static int nomemory(lua_State *L)
{
	lua_pushliteral(L, "not enough memory");
	return lua_error(L);
}

/* A core error message (or a memory error when the core left none). */
static int corefail(lua_State *L, const char *err)
{
	if (err[0] == '\0')
		return nomemory(L);
	return luaL_error(L, "%s", err);
}

static void pushnull(lua_State *L)
{
	lua_getfield(L, LUA_REGISTRYINDEX, REEL_NULL);
}

static int isnull(lua_State *L, int index)
{
	int same;
	index = lua_absindex(L, index);
	pushnull(L);
	same = lua_rawequal(L, index, -1);
	lua_pop(L, 1);
	return same;
}

static void pushvalue(lua_State *L, const value *v, null_as nulls)
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
	default:
		if (nulls == NULL_AS_SENTINEL)
			pushnull(L);
		else
			lua_pushnil(L);
	}
}

static void pushcell(lua_State *L, const table *t, size_t col, row_id row,
                     null_as nulls)
{
	value v = table_value(t, col, row);
	pushvalue(L, &v, nulls);
}

/* The column called `name`, or an error naming the closest one. */
static size_t checkcolumn(lua_State *L, const table *t, const char *name)
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

/* A size hint for lua_createtable (only a hint: past INT_MAX, none). */
static int arraysize(size_t count)
{
	return count <= INT_MAX ? (int)count : 0;
}

/* A count argument: limit(n), offset(n), sample(n). */
static size_t checkcount(lua_State *L, int arg)
{
	lua_Integer n = luaL_checkinteger(L, arg);
	luaL_argcheck(L, n >= 0, arg, "non-negative integer expected");
	if ((uint64_t)n > SIZE_MAX)
		return SIZE_MAX;
	return (size_t)n;
}

/* }====== */


/* {====== Text boxes ====== */

/* A text_buffer inside a userdata, so a Lua error between rendering and
** pushing the result cannot leak it. */
static text_buffer *newtext(lua_State *L)
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

/* Replaces the text box on top of the stack by its text. */
static void pushtext(lua_State *L, text_buffer *b)
{
	if (b->failed)
		nomemory(L);
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

/* The one generator behind random, sample and shuffle, kept in the
** registry; made (and seeded from the clock) when missing. */
static film_random *generator(lua_State *L)
{
	film_random *r;
	lua_getfield(L, LUA_REGISTRYINDEX, REEL_RANDOM);
	r = lua_touserdata(L, -1);
	lua_pop(L, 1);
	if (r != NULL)
		return r;
	r = lua_newuserdatauv(L, sizeof *r, 0);
	film_random_seed(r, entropy(L));
	lua_setfield(L, LUA_REGISTRYINDEX, REEL_RANDOM);
	return r;
}

void lreel_seed(lua_State *L, uint64_t seed)
{
	film_random_seed(generator(L), seed);
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
static void registernull(lua_State *L)
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


/* {====== Tables, Queries and Films ====== */

static film_table *checktable(lua_State *L, int index)
{
	return luaL_checkudata(L, index, REEL_TABLE);
}

static film *checkfilm(lua_State *L, int index)
{
	return luaL_checkudata(L, index, REEL_FILM);
}

/* Lua runs finalizers newest first, so an older object's finalizer may
** reach a Query (or the Query a put-off step reads) after its own __gc. */
static film_query *alive(lua_State *L, film_query *q)
{
	if (q != NULL && q->collected)
		luaL_error(L, "attempt to use a collected query");
	return q;
}

/* The Query at `index`, or NULL when it is something else. */
static film_query *testquery(lua_State *L, int index)
{
	return alive(L, luaL_testudata(L, index, REEL_QUERY));
}

/* The loop state of a group loop, which its __gc may have emptied. */
static group_walk *walk_alive(lua_State *L, group_walk *walk)
{
	if (walk->collected)
		luaL_error(L, "attempt to use a collected group loop");
	return walk;
}

/* The catalogue behind the Query or Film at `index` (its user value 1). A
** finalizer of the script's may reach a view after its table's __gc. */
static table *films_of(lua_State *L, int index)
{
	film_table *ft;
	lua_getiuservalue(L, index, 1);
	ft = lua_touserdata(L, -1);
	lua_pop(L, 1);
	if (ft == NULL || ft->films == NULL)
		luaL_error(L, "attempt to use a collected catalogue");
	return ft->films;
}

/* The selected columns of the Query at `index`, or NULL for all. */
static column_list *columns_of(lua_State *L, int index)
{
	column_list *list;
	lua_getiuservalue(L, index, 2);
	list = lua_touserdata(L, -1);
	lua_pop(L, 1);
	return list;
}

/* Make `o` show the columns the Query at `index` selected (all when none). */
static void shown_columns(lua_State *L, int index, format_options *o)
{
	column_list *selected = columns_of(L, index);
	if (selected != NULL) {
		o->columns = selected->columns;
		o->column_count = selected->count;
	}
}

static int table_gc(lua_State *L)
{
	film_table *ft = checktable(L, 1);
	table_free(ft->films);
	ft->films = NULL;
	return 0;
}

static void registertypes(lua_State *L);

/* Runs protected: a memory error here leaves `t` to lreel_push_table. */
static int push_table_protected(lua_State *L)
{
	table *t = lua_touserdata(L, 1);
	film_table *ft;
	if (luaL_getmetatable(L, REEL_TABLE) == LUA_TNIL)
		registertypes(L); /* pushed before luaopen_reel ran */
	lua_pop(L, 1);
	ft = lua_newuserdatauv(L, sizeof *ft, 1);
	ft->films = NULL;
	luaL_setmetatable(L, REEL_TABLE);
	ft->films = t; /* owned from here on: nothing below can fail */
	return 1;
}

void lreel_push_table(lua_State *L, table *t)
{
	lua_pushcfunction(L, push_table_protected);
	lua_pushlightuserdata(L, t);
	if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
		table_free(t); /* the userdata never took it */
		lua_error(L);
	}
}

/* {====== Plans and put-off sorts ====== */

/* How many rows the Query has, without doing a put-off sort. */
static size_t query_rows(const film_query *q)
{
	if (q->collected)
		return 0;
	if (q->rows != NULL)
		return q->rows->count;
	if (q->kept > 0)
		return q->kept - 1;
	return q->sorted_from != NULL ? query_rows(q->sorted_from) : 0;
}

/* The name the running method was called by ("where", "sort"), or the
** loop that made the Query ("group"). */
static void step_name(lua_State *L, char *name)
{
	lua_Debug ar;
	const char *called = NULL;
	if (lua_getstack(L, 0, &ar) && lua_getinfo(L, "n", &ar))
		called = ar.namewhat != NULL && strcmp(ar.namewhat, "for iterator") == 0
		         ? "group" : ar.name;
	snprintf(name, STEP_NAME, "%s", called != NULL ? called : "?");
}

/* The parent's steps (its latest one now knows its rows), then this one. */
static void plan_add_step(lua_State *L, film_query *q, const film_query *parent)
{
	query_plan *p = &q->plan;
	plan_step *step;
	if (parent != NULL && parent->plan.count > 0) {
		*p = parent->plan;
		p->steps[p->count - 1].rows = query_rows(parent);
	} else {
		p->count = 1;
		snprintf(p->steps[0].name, STEP_NAME, "films");
		p->steps[0].rows = parent != NULL ? query_rows(parent) : 0;
	}
	if (p->count == PLAN_STEPS) { /* keep the first, drop the next */
		memmove(&p->steps[1], &p->steps[2], (PLAN_STEPS - 2) * sizeof *step);
		p->count--;
		p->dropped++;
	}
	step = &p->steps[p->count++];
	step_name(L, step->name);
	step->kind = lua_type(L, 2) == LUA_TFUNCTION ? STEP_LUA : STEP_NATIVE;
	step->rows = 0;
}

/* Makes the rows of the where the Query at `index` puts off, if any. */
static film_query *settle_where(lua_State *L, int index, film_query *q)
{
	char err[REEL_ERROR_MAX] = "";
	if (q->rows != NULL || q->where == NULL)
		return q;
	index = lua_absindex(L, index);
	alive(L, q->where_from);
	q->rows = query_where(films_of(L, index), q->where_input, q->where,
	                      q->where_count, err);
	if (q->rows == NULL)
		corefail(L, err);
	q->where = NULL;
	q->where_input = NULL;
	lua_pushnil(L);
	lua_setiuservalue(L, index, 3); /* the predicates and input can go */
	return q;
}

/* Makes the rows of the group of a loop the Query at `index` is, if put
** off: the loop's groups get theirs all at once. */
static film_query *settle_group(lua_State *L, int index, film_query *q)
{
	group_walk *walk;
	film_query *walked;
	if (q->rows != NULL || q->group == 0)
		return q;
	index = lua_absindex(L, index);
	lua_getiuservalue(L, index, 3);
	walk = walk_alive(L, lua_touserdata(L, -1));
	lua_getiuservalue(L, -1, 1);
	walked = alive(L, lua_touserdata(L, -1));
	if (query_group_rows(films_of(L, -1), walked->rows, walk->column,
	                     walk->groups) != 0)
		nomemory(L);
	q->rows = walk->groups->groups[q->group - 1].rows; /* handed over */
	walk->groups->groups[q->group - 1].rows = NULL;
	lua_pop(L, 2);
	return q;
}

/* Does the sort the Query at `index` puts off, if any. */
static film_query *settle_sort(lua_State *L, int index, film_query *q)
{
	film_query *input;
	if (q->rows != NULL || q->sorted_from == NULL)
		return q;
	index = lua_absindex(L, index);
	lua_getiuservalue(L, index, 3);
	input = settle_where(L, -1, alive(L, q->sorted_from));
	q->rows = query_sort(films_of(L, index), input->rows, q->keys, q->key_count);
	lua_pop(L, 1);
	if (q->rows == NULL)
		nomemory(L);
	q->sorted_from = NULL;
	lua_pushnil(L);
	lua_setiuservalue(L, index, 3); /* the input can go */
	reel_free(q->keys);
	q->keys = NULL;
	return q;
}

/* }====== */

/* A new, empty Query on the same table and columns as the Query at `from`,
** pushed, with `uservalues` user values (2, or 3 for a group's). Safe to
** collect as it is; the caller fills in rows. */
static film_query *newquery_with(lua_State *L, int from, int uservalues)
{
	film_query *q;
	from = lua_absindex(L, from);
	q = lua_newuserdatauv(L, sizeof *q, uservalues);
	memset(q, 0, sizeof *q);
	luaL_setmetatable(L, REEL_QUERY);
	plan_add_step(L, q, testquery(L, from));
	lua_getiuservalue(L, from, 1);
	lua_setiuservalue(L, -2, 1);
	lua_getiuservalue(L, from, 2);
	lua_setiuservalue(L, -2, 2);
	return q;
}

static film_query *newquery(lua_State *L, int from)
{
	return newquery_with(L, from, 2);
}

/* Gives `rows`, just made by the core, to the Query `q`; NULL means the
** core ran out of memory. */
static void setrows(lua_State *L, film_query *q, selection *rows)
{
	q->rows = rows;
	if (rows == NULL)
		nomemory(L);
}

/* Pushes the Query of all the rows of the Table at `index`. */
static film_query *pushallrows(lua_State *L, int index)
{
	film_query *q;
	index = lua_absindex(L, index);
	lua_getiuservalue(L, index, 1);
	q = lua_touserdata(L, -1);
	if (q != NULL && !q->collected)
		return q;
	lua_pop(L, 1); /* none yet, or its __gc was called by hand: a new one */
	q = lua_newuserdatauv(L, sizeof *q, 2);
	memset(q, 0, sizeof *q);
	luaL_setmetatable(L, REEL_QUERY);
	lua_pushvalue(L, index);
	lua_setiuservalue(L, -2, 1);
	setrows(L, q, selection_all(films_of(L, -1)));
	lua_pushvalue(L, -1);
	lua_setiuservalue(L, index, 1);
	return q;
}

/* The Query at `index`; a Table there is replaced by the Query of all its
** rows, so every method serves both. */
static film_query *toquery(lua_State *L, int index)
{
	film_query *q = testquery(L, index);
	if (q != NULL)
		return settle_sort(L, index,
		                   settle_group(L, index, settle_where(L, index, q)));
	if (luaL_testudata(L, index, REEL_TABLE) == NULL)
		luaL_typeerror(L, index, REEL_QUERY);
	index = lua_absindex(L, index);
	q = pushallrows(L, index);
	lua_replace(L, index);
	return q;
}

/* Pushes a Film for `row` of the table behind the Query at `query`. */
static void pushfilm(lua_State *L, int query, row_id row)
{
	film *f;
	query = lua_absindex(L, query);
	f = lua_newuserdatauv(L, sizeof *f, 1);
	f->row = row;
	f->owner = NULL;
	luaL_setmetatable(L, REEL_FILM);
	lua_getiuservalue(L, query, 1);
	f->owner = lua_touserdata(L, -1);
	lua_setiuservalue(L, -2, 1);
}

/* }====== */


/* {====== Film ====== */

/* The Film at index 1 of a Film metamethod whose upvalue 2 is the Film
** metatable: one comparison with it instead of luaL_checkudata's registry
** lookup, since f.duration runs once a film in a filter. */
static film *thisfilm(lua_State *L)
{
	film *f = lua_touserdata(L, 1);
	int same = f != NULL && lua_getmetatable(L, 1) &&
	           lua_rawequal(L, -1, lua_upvalueindex(2));
	if (f != NULL)
		lua_settop(L, 2);
	return same ? f : checkfilm(L, 1);
}

/* Methods first (totable), then the film's columns. */
static int film_index(lua_State *L)
{
	film *f = thisfilm(L);
	const char *name = luaL_checkstring(L, 2);
	table *t;
	lua_pushvalue(L, 2);
	if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL)
		return 1;
	if (f->owner == NULL || f->owner->films == NULL)
		luaL_error(L, "attempt to use a collected catalogue");
	t = f->owner->films; /* no user value lookup: once a film in a filter */
	pushcell(L, t, checkcolumn(L, t, name), f->row, NULL_AS_NIL);
	return 1;
}

static int film_newindex(lua_State *L)
{
	checkfilm(L, 1);
	return luaL_error(L, "films are read-only (cannot set '%s')",
	                  luaL_tolstring(L, 2, NULL));
}

static int film_tostring(lua_State *L)
{
	film *f = checkfilm(L, 1);
	table *t = films_of(L, 1);
	text_buffer *b = newtext(L);
	format_film(t, f->row, b);
	pushtext(L, b);
	return 1;
}

static int film_eq(lua_State *L)
{
	film *a = luaL_testudata(L, 1, REEL_FILM);
	film *b = luaL_testudata(L, 2, REEL_FILM);
	if (a == NULL || b == NULL || a->row != b->row) {
		lua_pushboolean(L, 0);
		return 1;
	}
	lua_getiuservalue(L, 1, 1);
	lua_getiuservalue(L, 2, 1);
	lua_pushboolean(L, lua_rawequal(L, -1, -2));
	return 1;
}

/* Every column that is not null; the film names resolved for the
** catalogue (title, year, ...) too, where no column is called so, so a
** table from an IMDb file still has t.title. */
static int film_totable(lua_State *L)
{
	film *f = checkfilm(L, 1);
	table *t = films_of(L, 1);
	size_t i;
	lua_createtable(L, 0, arraysize(t->column_count));
	for (i = 0; i < t->column_count; i++) {
		pushcell(L, t, i, f->row, NULL_AS_NIL);
		lua_setfield(L, -2, t->columns[i].name);
	}
	for (i = 0; i < t->alias_count; i++) {
		const column_alias *a = &t->aliases[i];
		if (lua_getfield(L, -1, a->name) == LUA_TNIL &&
		    table_column_index(t, a->name) == (int)a->column) {
			pushcell(L, t, a->column, f->row, NULL_AS_NIL);
			lua_setfield(L, -3, a->name);
		}
		lua_pop(L, 1);
	}
	return 1;
}

/* }====== */


/* {====== Query: counting, indexing, iterating ====== */

/* q[i] is the i-th film (1-based); other keys name methods. */
static int query_index(lua_State *L)
{
	int isinteger = 0;
	lua_Integer i = 0;
	if (lua_type(L, 2) == LUA_TNUMBER)
		i = lua_tointegerx(L, 2, &isinteger);
	if (isinteger) {
		film_query *q = toquery(L, 1);
		if (i < 1 || (uint64_t)i > q->rows->count)
			return 0;
		pushfilm(L, 1, q->rows->rows[i - 1]);
		return 1;
	}
	lua_pushvalue(L, 2);
	lua_rawget(L, lua_upvalueindex(1));
	return 1;
}

static int query_newindex(lua_State *L)
{
	const char *what = luaL_testudata(L, 1, REEL_TABLE) != NULL
	                   ? "catalogues" : "queries";
	return luaL_error(L, "%s are read-only (cannot set '%s')", what,
	                  luaL_tolstring(L, 2, NULL));
}

/* The Query at 1 as it is when it puts off a where or is a group whose
** rows are put off, else made ready as toquery makes it: for the methods
** that can count, scan or aggregate without the rows. */
static film_query *scannable(lua_State *L)
{
	film_query *q = testquery(L, 1);
	if (q != NULL && q->rows == NULL && (q->where != NULL || q->kept > 0))
		return q;
	return toquery(L, 1);
}

/* How many rows the scannable Query q (at 1) has. */
static size_t row_count(lua_State *L, film_query *q)
{
	char err[REEL_ERROR_MAX] = "";
	size_t n;
	if (q->rows != NULL)
		return q->rows->count;
	if (q->kept == 0) { /* a put-off where, not yet counted */
		alive(L, q->where_from);
		n = query_where_count(films_of(L, 1), q->where_input, q->where,
		                      q->where_count, err);
		if (n == (size_t)-1)
			corefail(L, err);
		q->kept = n + 1;
	}
	return q->kept - 1;
}

/* The row at place i (from 0) of the scannable Query q (at 1): false when
** it has fewer rows. */
static bool row_at(lua_State *L, film_query *q, size_t i, row_id *row)
{
	char err[REEL_ERROR_MAX] = "";
	int found;
	if (q->rows == NULL && q->where == NULL)
		q = toquery(L, 1); /* a group's rows */
	if (q->rows != NULL) {
		if (i >= q->rows->count)
			return false;
		*row = q->rows->rows[i];
		return true;
	}
	alive(L, q->where_from);
	found = query_where_nth(films_of(L, 1), q->where_input, q->where,
	                        q->where_count, i, row, err);
	if (found < 0)
		corefail(L, err);
	return found == 1;
}

static int query_count(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)row_count(L, scannable(L)));
	return 1;
}

static int each_next(lua_State *L)
{
	film_query *q = alive(L, lua_touserdata(L, lua_upvalueindex(1)));
	lua_Integer i = lua_tointeger(L, lua_upvalueindex(2));
	if ((uint64_t)i >= q->rows->count)
		return 0;
	lua_pushinteger(L, i + 1);
	lua_replace(L, lua_upvalueindex(2));
	pushfilm(L, lua_upvalueindex(1), q->rows->rows[i]);
	return 1;
}

/* for film in q:each() do ... end */
static int query_each(lua_State *L)
{
	toquery(L, 1);
	lua_settop(L, 1);
	lua_pushinteger(L, 0);
	lua_pushcclosure(L, each_next, 2);
	return 1;
}

/* }====== */


/* {====== Query: where ====== */

#define OP_COUNT (OP_NULL + 1)

/* The predicates of one where{} call. Their memory (and that of `in` sets)
** is Lua's, anchored in a table on the stack. */
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
	if (isnull(L, index))
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
		luaL_addstring(&b, predicate_op_name((predicate_op)op));
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
	         ? predicate_op_from_name(lua_tostring(L, -2)) : -1;
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
	} else if ((op == OP_EQ || op == OP_NE) && isnull(L, operand)) {
		addnullop(w, col, op == OP_EQ);
	} else {
		const char *opname = predicate_op_name((predicate_op)op);
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
	col = checkcolumn(L, w->films, name);
	if (isnull(L, condition)) {
		addnullop(w, col, true);
	} else if (!lua_istable(L, condition)) {
		addpredicate(w, col, OP_EQ)->operand =
			checkoperand(L, condition, name, "eq");
	} else if (!isoptable(L, condition)) {
		addset(L, w, col, condition, name);
	} else {
		lua_pushnil(L);
		while (lua_next(L, condition) != 0) {
			addop(L, w, col, name);
			lua_pop(L, 1);
		}
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

/* User value 3 of the put-off where's Query on top: what its predicates
** point into (their userdata at `predicates`, the anchor table at
** `anchor`) and the Query (at 1) whose rows it filters. */
static void keep_where(lua_State *L, int predicates, int anchor)
{
	lua_createtable(L, 3, 0);
	lua_pushvalue(L, predicates);
	lua_rawseti(L, -2, 1);
	lua_pushvalue(L, anchor);
	lua_rawseti(L, -2, 2);
	lua_pushvalue(L, 1);
	lua_rawseti(L, -2, 3);
	lua_setiuservalue(L, -2, 3);
}

static int query_where_method(lua_State *L)
{
	film_query *q = toquery(L, 1), *result;
	char err[REEL_ERROR_MAX] = "";
	where_build w;
	luaL_checktype(L, 2, LUA_TTABLE);
	lua_settop(L, 2);
	w.films = films_of(L, 1);
	/* each column holds each op at most once */
	w.predicates = lua_newuserdatauv(L, countkeys(L, 2) * OP_COUNT *
	                                 sizeof *w.predicates + 1, 0); /* 3 */
	w.count = 0;
	lua_newtable(L);
	w.anchor = lua_gettop(L);
	lua_pushnil(L);
	while (lua_next(L, 2) != 0) {
		addcondition(L, &w);
		lua_pop(L, 1);
	}
	if (query_where_check(w.films, w.predicates, w.count, err) != 0)
		corefail(L, err);
	result = newquery_with(L, 1, 3);
	result->where = w.predicates;
	result->where_count = w.count;
	result->where_input = q->rows;
	result->where_from = q;
	keep_where(L, 3, w.anchor);
	return 1;
}

/* }====== */


/* {====== Query: filter and sort ====== */

/* pushfilm with the Film metatable and the Table already on the stack:
** no registry lookup per film. Each film is its own userdata, so a callback
** may keep the films it is given (a film reused from call to call would
** change under it); what a film costs is one small allocation. */
static void pushfilm_fast(lua_State *L, row_id row, int meta, int films)
{
	film *f = lua_newuserdatauv(L, sizeof *f, 1);
	f->row = row;
	f->owner = lua_touserdata(L, films);
	lua_pushvalue(L, meta);
	lua_setmetatable(L, -2);
	lua_pushvalue(L, films);
	lua_setiuservalue(L, -2, 1);
}

static int query_filter(lua_State *L)
{
	film_query *q = toquery(L, 1), *result;
	size_t i;
	luaL_checktype(L, 2, LUA_TFUNCTION);
	lua_settop(L, 2);
	result = newquery(L, 1);
	/* room grows as films are kept; most filters keep few */
	setrows(L, result, selection_new(q->rows->count < 64 ? q->rows->count
	                                                     : 64));
	luaL_getmetatable(L, REEL_FILM); /* 4 */
	lua_getiuservalue(L, 1, 1);      /* 5: the Table */
	for (i = 0; i < q->rows->count; i++) {
		int keep;
		lua_pushvalue(L, 2);
		pushfilm_fast(L, q->rows->rows[i], 4, 5);
		lua_call(L, 1, 1);
		keep = lua_toboolean(L, -1);
		lua_pop(L, 1);
		if (keep && selection_push(result->rows, q->rows->rows[i]) != 0)
			nomemory(L);
	}
	lua_settop(L, 3);
	return 1;
}

/* sort("col", "-col", ...): the native path. */
static int sort_by_columns(lua_State *L, film_query *q)
{
	int i, n = lua_gettop(L) - 1;
	table *t = films_of(L, 1);
	sort_key *keys = lua_newuserdatauv(L, (size_t)n * sizeof *keys, 0);
	film_query *result;
	for (i = 0; i < n; i++) {
		const char *name = luaL_checkstring(L, i + 2);
		keys[i].descending = name[0] == '-';
		keys[i].column = checkcolumn(L, t, name + keys[i].descending);
	}
	result = newquery_with(L, 1, 3);
	result->plan.steps[result->plan.count - 1].kind = STEP_PUT_OFF;
	/* put off: a limit may need only the first rows (query_limit) */
	result->keys = reel_malloc((size_t)n * sizeof *keys);
	if (result->keys == NULL)
		return nomemory(L);
	memcpy(result->keys, keys, (size_t)n * sizeof *keys);
	result->key_count = (size_t)n;
	result->sorted_from = q;
	lua_pushvalue(L, 1);
	lua_setiuservalue(L, -2, 3);
	return 1;
}

typedef struct sort_call {
	lua_State *L;
	int function; /* stack index of the comparator */
	int query;    /* stack index of the Query, for making Films */
} sort_call;

/* Whether the comparator puts film `a` before film `b`. */
static int goes_before(sort_call *c, row_id a, row_id b)
{
	lua_State *L = c->L;
	int before;
	lua_pushvalue(L, c->function);
	pushfilm(L, c->query, a);
	pushfilm(L, c->query, b);
	lua_call(L, 2, 1);
	before = lua_toboolean(L, -1);
	lua_pop(L, 1);
	return before;
}

/* A comparator like table.sort's says only "a goes first"; asking both
** ways tells "after" from "either", which keeps the sort stable. */
static int compare_films(void *context, row_id a, row_id b)
{
	if (goes_before(context, a, b))
		return -1;
	return goes_before(context, b, a) ? 1 : 0;
}

static int sort_by_function(lua_State *L, film_query *q)
{
	sort_call call;
	film_query *result;
	row_id *scratch;
	lua_settop(L, 2);
	result = newquery(L, 1);
	setrows(L, result, selection_copy(q->rows));
	scratch = lua_newuserdatauv(L, q->rows->count * sizeof *scratch + 1, 0);
	call.L = L;
	call.function = 2;
	call.query = 1;
	selection_sort_with(result->rows, scratch, compare_films, &call);
	lua_pop(L, 1);
	return 1;
}

static int query_sort_method(lua_State *L)
{
	film_query *q;
	if (lua_type(L, 2) == LUA_TFUNCTION)
		return sort_by_function(L, toquery(L, 1));
	luaL_checkstring(L, 2);
	q = testquery(L, 1);
	if (q != NULL && q->rows == NULL && q->where != NULL)
		row_count(L, q); /* the where stays put off; explain shows its rows */
	else
		q = toquery(L, 1);
	return sort_by_columns(L, q);
}

/* }====== */


/* {====== Query: slices, samples, search, select ====== */

/* The first n rows of the put-off sort q (at 1) into `result`: a top-k
** of its input, in one pass with the where when that is put off too. */
static void top_of_sort(lua_State *L, const film_query *q, film_query *result,
                        size_t n)
{
	const film_query *input = alive(L, q->sorted_from);
	table *t = films_of(L, 1);
	char err[REEL_ERROR_MAX] = "";
	if (input->rows != NULL) {
		setrows(L, result, query_sort_limit(t, input->rows, q->keys,
		                                    q->key_count, n));
		return;
	}
	alive(L, input->where_from);
	result->rows = query_where_sort_limit(t, input->where_input, input->where,
	                                      input->where_count, q->keys,
	                                      q->key_count, n, err);
	if (result->rows == NULL)
		corefail(L, err);
	result->plan.steps[result->plan.count - 1].kind = STEP_TOP_K_WHERE;
}

/* After a put-off sort, only the first n rows are found (a top-k). */
static int query_limit(lua_State *L)
{
	film_query *q = testquery(L, 1), *result;
	size_t n = checkcount(L, 2);
	if (q != NULL && q->rows == NULL && q->sorted_from != NULL) {
		result = newquery(L, 1);
		result->plan.steps[result->plan.count - 1].kind = STEP_TOP_K;
		top_of_sort(L, q, result, n);
		return 1;
	}
	q = toquery(L, 1);
	result = newquery(L, 1);
	setrows(L, result, query_slice(q->rows, 0, n));
	return 1;
}

/* {====== Query: explain ====== */
static const char *const step_kinds[] = {
	"native", "calls Lua per film", "native, put off until needed",
	"native, first rows only (top-k of the sort)",
	"native, first rows only (top-k of the sort, one pass with the where)"
};

/* One line a step: what ran, how, and the rows after it. */
static int query_explain(lua_State *L)
{
	film_query *q = testquery(L, 1);
	luaL_Buffer b;
	unsigned i;
	if (q == NULL)
		q = toquery(L, 1);
	else if (q->rows == NULL && q->where != NULL)
		row_count(L, q); /* counted, not made */
	luaL_buffinit(L, &b);
	if (q->plan.count == 0) /* the catalogue's own Query */
		lua_pushfstring(L, "films  %I rows\n", (lua_Integer)query_rows(q));
	else
		lua_pushliteral(L, "");
	luaL_addvalue(&b);
	for (i = 0; i < q->plan.count; i++) {
		const plan_step *step = &q->plan.steps[i];
		size_t rows = i + 1 == q->plan.count ? query_rows(q) : step->rows;
		lua_pushfstring(L, "%s  %I rows  %s\n", step->name, (lua_Integer)rows,
		                i == 0 ? "the catalogue" : step_kinds[step->kind]);
		luaL_addvalue(&b);
		if (i == 0 && q->plan.dropped > 0) {
			lua_pushfstring(L, "...  %d steps not shown\n", (int)q->plan.dropped);
			luaL_addvalue(&b);
		}
	}
	luaL_pushresult(&b);
	return 1;
}
/* }====== */

static int query_offset(lua_State *L)
{
	film_query *q = toquery(L, 1);
	size_t n = checkcount(L, 2);
	size_t rest = q->rows->count > n ? q->rows->count - n : 0;
	film_query *result = newquery(L, 1);
	setrows(L, result, query_slice(q->rows, n, rest));
	return 1;
}

/* The film at place i of the scannable Query q (at 1), or nothing. */
static int pushnth(lua_State *L, film_query *q, size_t i)
{
	row_id row;
	if (!row_at(L, q, i, &row))
		return 0;
	pushfilm(L, 1, row);
	return 1;
}

static int query_first(lua_State *L)
{
	return pushnth(L, scannable(L), 0);
}

static int query_last(lua_State *L)
{
	film_query *q = scannable(L);
	size_t n = row_count(L, q);
	return n == 0 ? 0 : pushnth(L, q, n - 1);
}

static int query_random(lua_State *L)
{
	film_query *q = scannable(L);
	size_t n = row_count(L, q);
	if (n == 0)
		return 0;
	return pushnth(L, q, film_random_below(generator(L), n));
}

static int query_sample_method(lua_State *L)
{
	film_query *q = toquery(L, 1);
	size_t n = checkcount(L, 2);
	film_random *r = generator(L);
	film_query *result = newquery(L, 1);
	setrows(L, result, query_sample(q->rows, n, r));
	return 1;
}

static int query_shuffle_method(lua_State *L)
{
	film_query *q = toquery(L, 1);
	film_random *r = generator(L);
	film_query *result = newquery(L, 1);
	setrows(L, result, query_shuffle(q->rows, r));
	return 1;
}

static int query_search_method(lua_State *L)
{
	film_query *q = toquery(L, 1);
	size_t length;
	const char *text = luaL_checklstring(L, 2, &length);
	table *t = films_of(L, 1);
	film_query *result = newquery(L, 1);
	setrows(L, result, query_search(t, q->rows, text, length));
	return 1;
}

/* A column_list of the names at first..last, pushed. */
static column_list *checkcolumns(lua_State *L, const table *t, int first,
                                 int last)
{
	size_t n = last >= first ? (size_t)(last - first + 1) : 0;
	column_list *list = lua_newuserdatauv(L, sizeof *list +
	                                      n * sizeof list->columns[0], 0);
	size_t i;
	list->count = n;
	for (i = 0; i < n; i++) {
		const char *name = luaL_checkstring(L, first + (int)i);
		list->columns[i] = checkcolumn(L, t, name);
	}
	return list;
}

static int query_select(lua_State *L)
{
	film_query *q = toquery(L, 1), *result;
	int last = lua_gettop(L);
	luaL_checkstring(L, 2);
	checkcolumns(L, films_of(L, 1), 2, last);
	result = newquery(L, 1);
	lua_pushvalue(L, -2);
	lua_setiuservalue(L, -2, 2);
	setrows(L, result, selection_copy(q->rows));
	return 1;
}

/* }====== */


/* {====== Query: groups ====== */

static int groups_gc(lua_State *L)
{
	group_walk *walk = luaL_checkudata(L, 1, REEL_GROUPS);
	size_t i;
	walk->collected = true;
	group_list_free(walk->groups);
	walk->groups = NULL;
	for (i = 0; i < walk->answer_count; i++) {
		reel_free(walk->answers[i].values);
		walk->answers[i].values = NULL;
	}
	return 0;
}

/* The next `key, group` of the loop; upvalue 1 the walk, 2 the Query. */
static int groups_next(lua_State *L)
{
	group_walk *walk = walk_alive(L, lua_touserdata(L, lua_upvalueindex(1)));
	const film_group *g;
	film_query *result;
	table *t;
	if (walk->groups == NULL || walk->next >= walk->groups->count)
		return 0;
	t = films_of(L, lua_upvalueindex(2));
	g = &walk->groups->groups[walk->next++];
	if (g->key_is_null)
		pushnull(L);
	else
		pushcell(L, t, walk->column, g->key_row, NULL_AS_SENTINEL);
	result = newquery_with(L, lua_upvalueindex(2), 3);
	result->rows = g->rows; /* handed over, not copied: the walk is done */
	walk->groups->groups[walk->next - 1].rows = NULL; /* with this group */
	result->group = walk->next;
	result->kept = g->count + 1;
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_setiuservalue(L, -2, 3);
	return 2;
}

/* for key, g in q:group("year") do ... end */
static int query_group_method(lua_State *L)
{
	film_query *q = toquery(L, 1);
	table *t = films_of(L, 1);
	size_t col = checkcolumn(L, t, luaL_checkstring(L, 2));
	group_walk *walk;
	lua_settop(L, 1);
	walk = lua_newuserdatauv(L, sizeof *walk, 1);
	memset(walk, 0, sizeof *walk);
	walk->column = col;
	luaL_setmetatable(L, REEL_GROUPS);
	lua_pushvalue(L, 1);
	lua_setiuservalue(L, -2, 1);
	walk->groups = query_group_keys(t, q->rows, col);
	if (walk->groups == NULL)
		nomemory(L);
	lua_pushvalue(L, 1);
	lua_pushcclosure(L, groups_next, 2);
	return 1;
}

/* }====== */


/* {====== Query: aggregates and arrays ====== */

/* The answers of every group of `walk` for (kind, col), found now if this
** is the first group to ask; NULL when there are none to be had. */
static const group_answers *walk_answers(lua_State *L, group_walk *walk, int walk_at,
                                         table *t, size_t col, aggregate kind)
{
	group_answers *a;
	film_query *walked;
	size_t i;
	int done;
	for (i = 0; i < walk->answer_count; i++)
		if (walk->answers[i].kind == kind && walk->answers[i].column == col)
			return &walk->answers[i];
	if (walk->answer_count == GROUP_ANSWERS || walk->groups == NULL)
		return NULL;
	a = &walk->answers[walk->answer_count];
	a->kind = kind;
	a->column = col;
	a->values = reel_malloc(walk->groups->count * sizeof *a->values + 1);
	if (a->values == NULL)
		nomemory(L);
	walk->answer_count++; /* from here on __gc frees values */
	lua_getiuservalue(L, walk_at, 1);
	walked = alive(L, lua_touserdata(L, -1));
	lua_pop(L, 1);
	done = query_group_aggregates(t, walked->rows, walk->column, walk->groups,
	                              col, kind, a->values);
	if (done < 0)
		nomemory(L);
	if (done == 0) {
		reel_free(a->values);
		a->values = NULL;
	}
	return a;
}

/* A group's aggregate from its loop's one pass over every group, which
** reads the column in order instead of at the group's scattered rows.
** False: aggregate the group's own rows. */
static bool group_aggregate(lua_State *L, const film_query *q, table *t,
                            size_t col, aggregate kind, value *result)
{
	const group_answers *a = NULL;
	group_walk *walk;
	if (q->group == 0 || (kind != AGGREGATE_SUM && kind != AGGREGATE_AVG))
		return false;
	lua_getiuservalue(L, 1, 3);
	walk = luaL_testudata(L, -1, REEL_GROUPS);
	if (walk != NULL)
		a = walk_answers(L, walk, lua_gettop(L), t, col, kind);
	lua_pop(L, 1);
	if (a == NULL || a->values == NULL)
		return false;
	*result = a->values[q->group - 1];
	return true;
}

static int aggregate_column(lua_State *L, aggregate kind)
{
	film_query *q = scannable(L); /* a group's rows may stay put off */
	table *t = films_of(L, 1);
	size_t col = checkcolumn(L, t, luaL_checkstring(L, 2));
	char err[REEL_ERROR_MAX] = "";
	value result;
	if (group_aggregate(L, q, t, col, kind, &result)) {
		pushvalue(L, &result, NULL_AS_NIL);
		return 1;
	}
	q = toquery(L, 1);
	if (query_aggregate(t, q->rows, col, kind, &result, err) != 0)
		corefail(L, err);
	pushvalue(L, &result, NULL_AS_NIL);
	return 1;
}

static int query_sum(lua_State *L) { return aggregate_column(L, AGGREGATE_SUM); }
static int query_avg(lua_State *L) { return aggregate_column(L, AGGREGATE_AVG); }
static int query_min(lua_State *L) { return aggregate_column(L, AGGREGATE_MIN); }
static int query_max(lua_State *L) { return aggregate_column(L, AGGREGATE_MAX); }

/* An array of fn(film) for each film; a nil result leaves a hole. */
static int query_map(lua_State *L)
{
	film_query *q = toquery(L, 1);
	size_t i;
	luaL_checktype(L, 2, LUA_TFUNCTION);
	lua_settop(L, 2);
	lua_createtable(L, arraysize(q->rows->count), 0);
	for (i = 0; i < q->rows->count; i++) {
		lua_pushvalue(L, 2);
		pushfilm(L, 1, q->rows->rows[i]);
		lua_call(L, 1, 1);
		lua_rawseti(L, 3, (lua_Integer)i + 1);
	}
	return 1;
}

/* An array of one column's values. A null comes out as reel.null rather
** than nil, so the array has no holes: #a is the number of films and
** ipairs visits them all. */
static int query_pluck(lua_State *L)
{
	film_query *q = toquery(L, 1);
	table *t = films_of(L, 1);
	size_t col = checkcolumn(L, t, luaL_checkstring(L, 2));
	size_t i;
	lua_createtable(L, arraysize(q->rows->count), 0);
	for (i = 0; i < q->rows->count; i++) {
		pushcell(L, t, col, q->rows->rows[i], NULL_AS_SENTINEL);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

/* The names of the selected columns, else of all. */
static int query_columns(lua_State *L)
{
	table *t;
	column_list *list;
	size_t i, n;
	toquery(L, 1);
	t = films_of(L, 1);
	list = columns_of(L, 1);
	n = list != NULL ? list->count : t->column_count;
	lua_createtable(L, arraysize(n), 0);
	for (i = 0; i < n; i++) {
		size_t col = list != NULL ? list->columns[i] : i;
		lua_pushstring(L, t->columns[col].name);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

/* }====== */


/* {====== Query: format, print, tostring ====== */

/* fmt: a format's name, or a template when it holds a '{'. */
static format_kind checkformat(lua_State *L, int arg, format_options *o)
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

static size_t checkoption_count(lua_State *L, int opts, const char *name)
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

/* The key at -2 names no option: say which ones there are. */
static int unknownoption(lua_State *L, int opts, const char *const valid[])
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

/* Every key of the options table at `opts` is one of `valid`. */
static void checkoption_names(lua_State *L, int opts,
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
			unknownoption(L, opts, valid);
		lua_pop(L, 1);
	}
}

/* opts.columns: pushes a column_list (or nil). */
static void checkoption_columns(lua_State *L, int opts, const table *t,
                                format_options *o)
{
	int names, n;
	column_list *list;
	if (lua_getfield(L, opts, "columns") == LUA_TNIL)
		return;
	names = lua_gettop(L);
	n = lua_istable(L, names) ? (int)lua_rawlen(L, names) : 0;
	luaL_argcheck(L, n > 0, opts, "option 'columns' must be an array of "
	              "column names");
	luaL_checkstack(L, n, "too many columns");
	for (int i = 1; i <= n; i++)
		luaL_argcheck(L, lua_rawgeti(L, names, i) == LUA_TSTRING, opts,
		              "option 'columns' must be an array of column names");
	list = checkcolumns(L, t, names + 1, names + n);
	lua_replace(L, names);
	lua_settop(L, names);
	o->columns = list->columns;
	o->column_count = list->count;
}

static const char *const format_option_names[] = {
	"columns", "max_rows", "width", NULL
};

/* The options of format(fmt, opts) and print(fmt, opts); the Query at 1
** gives the selected columns. Leaves what it made on the stack. */
static format_kind checkformat_options(lua_State *L, const table *t,
                                       format_options *o)
{
	format_kind kind;
	memset(o, 0, sizeof *o);
	kind = checkformat(L, 2, o);
	shown_columns(L, 1, o);
	if (lua_isnoneornil(L, 3))
		return kind;
	luaL_checktype(L, 3, LUA_TTABLE);
	checkoption_names(L, 3, format_option_names);
	o->max_rows = checkoption_count(L, 3, "max_rows");
	o->max_width = checkoption_count(L, 3, "width");
	checkoption_columns(L, 3, t, o);
	return kind;
}

/* Pushes the rows of the Query at 1 rendered as `kind`. */
static void pushrows(lua_State *L, format_kind kind, const format_options *o)
{
	film_query *q = lua_touserdata(L, 1);
	table *t = films_of(L, 1);
	char err[REEL_ERROR_MAX] = "";
	text_buffer *b = newtext(L);
	if (format_rows(t, q->rows, kind, o, b, err) != 0)
		corefail(L, err);
	pushtext(L, b);
}

static int query_format(lua_State *L)
{
	format_options o;
	format_kind kind;
	toquery(L, 1);
	kind = checkformat_options(L, films_of(L, 1), &o);
	pushrows(L, kind, &o);
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

static int query_tostring(lua_State *L)
{
	format_options o;
	toquery(L, 1);
	memset(&o, 0, sizeof o);
	shown_columns(L, 1, &o);
	pushrows(L, FORMAT_TABLE, &o);
	return 1;
}

static int query_gc(lua_State *L)
{
	film_query *q = luaL_checkudata(L, 1, REEL_QUERY);
	q->collected = true;
	selection_free(q->rows);
	q->rows = NULL;
	reel_free(q->keys);
	q->keys = NULL;
	return 0;
}

/* }====== */


/* {====== Query: join and save ====== */

/* key: a column both sides have, or {left = name, right = name}. */
static void checkjoin_key(lua_State *L, const table *left, const table *right,
                          size_t *left_key, size_t *right_key)
{
	const char *l, *r;
	if (lua_type(L, 3) == LUA_TSTRING) {
		l = r = lua_tostring(L, 3);
	} else {
		luaL_argexpected(L, lua_istable(L, 3), 3,
		                 "column name or {left = name, right = name}");
		lua_getfield(L, 3, "left");
		lua_getfield(L, 3, "right");
		luaL_argcheck(L, lua_type(L, -2) == LUA_TSTRING &&
		              lua_type(L, -1) == LUA_TSTRING, 3,
		              "key must be {left = name, right = name}");
		l = lua_tostring(L, -2);
		r = lua_tostring(L, -1);
	}
	*left_key = checkcolumn(L, left, l);
	*right_key = checkcolumn(L, right, r);
}

static const char *const join_option_names[] = {"kind", "suffix", NULL};

/* opts.kind ("inner" or "left") and opts.suffix (for clashing names). */
static join_kind checkjoin_options(lua_State *L, const char **suffix)
{
	join_kind kind = JOIN_INNER;
	*suffix = "_2";
	if (lua_isnoneornil(L, 4))
		return kind;
	luaL_checktype(L, 4, LUA_TTABLE);
	checkoption_names(L, 4, join_option_names);
	if (lua_getfield(L, 4, "kind") != LUA_TNIL) {
		const char *name = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1)
		                                                  : "";
		luaL_argcheck(L, strcmp(name, "inner") == 0 || strcmp(name, "left") == 0,
		              4, "option 'kind' must be \"inner\" or \"left\"");
		kind = name[0] == 'l' ? JOIN_LEFT : JOIN_INNER;
	}
	if (lua_getfield(L, 4, "suffix") != LUA_TNIL) {
		luaL_argcheck(L, lua_type(L, -1) == LUA_TSTRING &&
		              lua_rawlen(L, -1) > 0, 4,
		              "option 'suffix' must be a non-empty string");
		*suffix = lua_tostring(L, -1); /* held by opts */
	}
	lua_pop(L, 2);
	return kind;
}

/* q:join(other, key[, opts]): a Query of all the rows of a new Table. */
static int query_join(lua_State *L)
{
	film_query *lq = toquery(L, 1), *rq = toquery(L, 2);
	table *left = films_of(L, 1), *right = films_of(L, 2), *t;
	size_t left_key, right_key;
	const char *suffix;
	char err[REEL_ERROR_MAX] = "";
	join_kind kind;
	lua_settop(L, 4); /* what the checks push goes above the arguments */
	checkjoin_key(L, left, right, &left_key, &right_key);
	kind = checkjoin_options(L, &suffix);
	t = table_join(left, lq->rows, right, rq->rows, left_key, right_key, kind,
	               suffix, err);
	if (t == NULL)
		return strstr(err, "out of memory") ? nomemory(L) : corefail(L, err);
	lreel_push_table(L, t);
	pushallrows(L, -1);
	return 1;
}

/* q:save(path[, fmt]): true, or nil and a message naming the path. The
** format is fmt, else the path's extension; the selected columns go out. */
static int query_save(lua_State *L)
{
	film_query *q = toquery(L, 1);
	const char *path = luaL_checkstring(L, 2);
	char err[REEL_ERROR_MAX] = "";
	format_options o;
	int kind;
	memset(&o, 0, sizeof o);
	if (!lua_isnoneornil(L, 3))
		kind = (int)checkformat(L, 3, &o);
	else if ((kind = save_format_from_path(path)) < 0)
		return luaL_argerror(L, 2, lua_pushfstring(L, "cannot tell the format "
		                     "of '%s' (give one: csv, tsv, json, markdown)", path));
	shown_columns(L, 1, &o);
	if (save_rows(films_of(L, 1), q->rows, (format_kind)kind, &o, path, err) != 0) {
		if (strstr(err, ": out of memory") != NULL)
			return nomemory(L);
		luaL_pushfail(L);
		lua_pushstring(L, err);
		return 2;
	}
	lua_pushboolean(L, 1);
	return 1;
}

static int forbidden_save(lua_State *L)
{
	return luaL_error(L, "save is not available in the sandbox");
}

/* Query methods live in one methods table, the upvalue of every metamethod
** of reel.Query and reel.Table: replacing save there reaches both. */
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


/* {====== The module ====== */

static catalogue_format checkcatalogue_format(lua_State *L, int opts)
{
	static const char *const names[] = {"csv", "tsv", "json", NULL};
	static const catalogue_format formats[] = {
		CATALOGUE_CSV, CATALOGUE_TSV, CATALOGUE_JSON
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
			              "'%s' (csv, tsv, json)", name));
		}
		format = formats[i];
	}
	lua_pop(L, 1);
	return format;
}

static char checkdelimiter(lua_State *L, int opts)
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
	"format", "delimiter", "columns", NULL
};

/* {====== reel.load: opts.columns ====== */
/* opts.columns = {duration = "Length", ...}, film names to the file's
** columns: its shape is checked before the file is read. */
static void checkload_columns(lua_State *L, int opts)
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
static int mapload_columns(lua_State *L, int opts, const char *path)
{
	table *t = checktable(L, -1)->films;
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
				return nomemory(L);
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
/* }====== */

/* reel.load(path[, opts]): a Table, or nil and a message. */
static int reel_load(lua_State *L)
{
	const char *path = luaL_checkstring(L, 1);
	read_options opts = {CATALOGUE_DETECT, '\0'};
	char err[REEL_ERROR_MAX] = "";
	int has_opts = !lua_isnoneornil(L, 2);
	table *t;
	if (has_opts) {
		luaL_checktype(L, 2, LUA_TTABLE);
		checkoption_names(L, 2, load_option_names);
		opts.format = checkcatalogue_format(L, 2);
		opts.delimiter = checkdelimiter(L, 2);
		checkload_columns(L, 2);
	}
	t = read_catalogue(path, &opts, err);
	if (t == NULL) {
		luaL_pushfail(L);
		lua_pushstring(L, err[0] != '\0' ? err : "not enough memory");
		return 2;
	}
	lreel_push_table(L, t);
	return mapload_columns(L, has_opts ? 2 : 0, path) == 2 ? 2 : 1;
}

static int reel_seed(lua_State *L)
{
	lreel_seed(L, (uint64_t)luaL_checkinteger(L, 1));
	return 0;
}

static const luaL_Reg reel_functions[] = {
	{"load", reel_load},
	{"seed", reel_seed},
	{NULL, NULL}
};

/* Shared by Query and Table (a Table answers as the Query of all rows). */
static const luaL_Reg query_methods[] = {
	{"count", query_count},
	{"each", query_each},
	{"where", query_where_method},
	{"filter", query_filter},
	{"explain", query_explain},
	{"sort", query_sort_method},
	{"limit", query_limit},
	{"offset", query_offset},
	{"first", query_first},
	{"last", query_last},
	{"random", query_random},
	{"sample", query_sample_method},
	{"shuffle", query_shuffle_method},
	{"search", query_search_method},
	{"select", query_select},
	{"group", query_group_method},
	{"sum", query_sum},
	{"avg", query_avg},
	{"min", query_min},
	{"max", query_max},
	{"map", query_map},
	{"pluck", query_pluck},
	{"columns", query_columns},
	{"format", query_format},
	{"print", query_print},
	{"join", query_join},
	{"save", query_save},
	{NULL, NULL}
};

/* The methods table is every metamethod's upvalue (__index needs it). */
static const luaL_Reg query_meta[] = {
	{"__index", query_index},
	{"__newindex", query_newindex},
	{"__len", query_count},
	{"__tostring", query_tostring},
	{"__gc", query_gc},
	{NULL, NULL}
};

static const luaL_Reg table_meta[] = {
	{"__index", query_index},
	{"__newindex", query_newindex},
	{"__len", query_count},
	{"__tostring", query_tostring},
	{"__gc", table_gc},
	{NULL, NULL}
};

static const luaL_Reg film_methods[] = {
	{"totable", film_totable},
	{NULL, NULL}
};

static const luaL_Reg film_meta[] = {
	{"__index", film_index},
	{"__newindex", film_newindex},
	{"__tostring", film_tostring},
	{"__eq", film_eq},
	{NULL, NULL}
};

/* A metatable `name` with `meta`, each sharing the methods table on top of
** the stack as upvalue (left there). */
static void createmeta(lua_State *L, const char *name, const luaL_Reg *meta)
{
	luaL_newmetatable(L, name);
	lua_pushvalue(L, -2);
	luaL_setfuncs(L, meta, 1);
	lua_pop(L, 1);
}

static void createhelper(lua_State *L, const char *name, lua_CFunction gc)
{
	luaL_newmetatable(L, name);
	lua_pushcfunction(L, gc);
	lua_setfield(L, -2, "__gc");
	lua_pop(L, 1);
}

static void registertypes(lua_State *L)
{
	luaL_newlib(L, query_methods);
	createmeta(L, REEL_QUERY, query_meta);
	createmeta(L, REEL_TABLE, table_meta);
	lua_pop(L, 1);
	luaL_newlib(L, film_methods);
	createmeta(L, REEL_FILM, film_meta);
	luaL_getmetatable(L, REEL_FILM); /* __index also gets the metatable */
	lua_pushvalue(L, -2);
	lua_pushvalue(L, -2);
	lua_pushcclosure(L, film_index, 2);
	lua_setfield(L, -2, "__index");
	lua_pop(L, 2);
	createhelper(L, REEL_TEXT, text_gc);
	createhelper(L, REEL_GROUPS, groups_gc);
	registernull(L);
}

int luaopen_reel(lua_State *L)
{
	registertypes(L);
	generator(L);
	luaL_newlib(L, reel_functions);
	pushnull(L);
	lua_setfield(L, -2, "null");
	lua_pushliteral(L, REEL_VERSION);
	lua_setfield(L, -2, "version");
	return 1;
}

/* }====== */


/* {====== For the front ends ====== */

int lreel_is_query(lua_State *L, int index)
{
	return luaL_testudata(L, index, REEL_QUERY) != NULL ||
	       luaL_testudata(L, index, REEL_TABLE) != NULL;
}

int lreel_is_film(lua_State *L, int index)
{
	return luaL_testudata(L, index, REEL_FILM) != NULL;
}

/* Appends `text` cut with an ellipsis, whole code points at a time, so it
** takes at most `room` cells (room >= 1). */
static void append_cut(text_buffer *out, const char *text, size_t length,
                       size_t room)
{
	size_t used = 0, at = 0;
	if (format_display_width(text, length) <= room) {
		text_buffer_append(out, text, length);
		return;
	}
	while (at < length) {
		size_t next = at + 1, w;
		while (next < length && ((unsigned char)text[next] & 0xC0) == 0x80)
			next++;
		w = format_display_width(text + at, next - at);
		if (used + w + 1 > room)
			break;
		used += w;
		at = next;
	}
	text_buffer_append(out, text, at);
	text_buffer_append_string(out, "\xe2\x80\xa6"); /* … */
}

/* One "name: value" line, the value starting at column `indent`. */
static void render_field(const table *t, size_t col, row_id row, size_t indent,
                         size_t max_width, text_buffer *out)
{
	const char *name = t->columns[col].name;
	size_t w = format_display_width(name, strlen(name)) + 1;
	value v = table_value(t, col, row);
	text_buffer cell;
	text_buffer_append_string(out, name);
	text_buffer_append(out, ":", 1);
	if (v.kind != VALUE_NULL) {
		for (; w <= indent; w++)
			text_buffer_append(out, " ", 1);
		text_buffer_init(&cell);
		format_value(&v, &cell);
		if (cell.failed)
			out->failed = true;
		else if (max_width > indent + 1)
			append_cut(out, cell.data, cell.length, max_width - indent - 1);
		else
			text_buffer_append(out, cell.data, cell.length);
		text_buffer_free(&cell);
	}
	text_buffer_append(out, "\n", 1);
}

/* A film as a record: one "column: value" line per column, the values
** lined up after the longest name and cut to fit max_width (0: whole). */
static void render_record(lua_State *L, int index, size_t max_width,
                          text_buffer *out)
{
	film *f = lua_touserdata(L, index);
	table *t = films_of(L, index);
	size_t i, widest = 0;
	for (i = 0; i < t->column_count; i++) {
		const char *name = t->columns[i].name;
		size_t w = format_display_width(name, strlen(name));
		widest = w > widest ? w : widest;
	}
	for (i = 0; i < t->column_count; i++)
		render_field(t, i, f->row, widest + 1, max_width, out);
}

/* render(query, max_rows, max_width): the REPL's view of a Query, in a
** frame of its own so the Table to Query swap leaves the caller's stack be. */
static int query_render(lua_State *L)
{
	format_options o;
	toquery(L, 1);
	memset(&o, 0, sizeof o);
	shown_columns(L, 1, &o);
	o.max_rows = (size_t)lua_tointeger(L, 2);
	o.max_width = (size_t)lua_tointeger(L, 3);
	pushrows(L, FORMAT_TABLE, &o);
	return 1;
}

void lreel_push_rendering(lua_State *L, int index, size_t max_rows,
                          size_t max_width)
{
	index = lua_absindex(L, index);
	if (lreel_is_film(L, index)) {
		text_buffer *b = newtext(L);
		render_record(L, index, max_width, b);
		pushtext(L, b);
	} else if (lreel_is_query(L, index)) {
		lua_pushcfunction(L, query_render);
		lua_pushvalue(L, index);
		lua_pushinteger(L, max_rows <= INT64_MAX ? (lua_Integer)max_rows : 0);
		lua_pushinteger(L, max_width <= INT64_MAX ? (lua_Integer)max_width
		                                          : 0);
		lua_call(L, 3, 1);
	} else {
		luaL_tolstring(L, index, NULL);
	}
}

/* }====== */
