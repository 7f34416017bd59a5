/*
** lquery.c: the reel.Query userdata (see binding.h): each method checks its
** arguments and builds one node of the core's plan (core/plan.h), which
** runs nothing until a result is asked for. Lua steps (filter, a comparator
** sort, map) run here and hand the core the rows they kept. Relies on the
** core's plan and on Lua 5.4's C API.
*/
#include <stdint.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "binding.h"

/* {====== Queries and their plans ====== */

static film_query *test_query(lua_State *L, int index)
{
	return luaL_testudata(L, index, REEL_QUERY);
}

int lquery_is(lua_State *L, int index)
{
	return test_query(L, index) != NULL;
}

film_query *lquery_new(lua_State *L, int from)
{
	film_query *q;
	from = lua_absindex(L, from);
	q = lua_newuserdatauv(L, sizeof *q, 1);
	q->plan = NULL;
	q->collected = false;
	luaL_setmetatable(L, REEL_QUERY);
	lua_getiuservalue(L, from, 1);
	lua_setiuservalue(L, -2, 1);
	return q;
}

/* The Query on top of the stack shows the films of a Table holding its
** plan's table: a join, and a where pushed below one, read a table of their
** own. */
static void show_table_of(lua_State *L, const plan_node *n)
{
	film_table *ft;
	lua_getiuservalue(L, -1, 1);
	ft = lua_touserdata(L, -1);
	lua_pop(L, 1);
	if (ft != NULL && ft->films == plan_table(n))
		return;
	ltable_push(L, table_retain(plan_table(n)));
	lua_setiuservalue(L, -2, 1);
}

void lquery_take(lua_State *L, film_query *q, plan_node *n,
                 const reel_error *err)
{
	if (n == NULL)
		lreel_fail(L, err);
	q->plan = n;
	show_table_of(L, n);
}

void lquery_push_all(lua_State *L, int index)
{
	film_table *ft = ltable_check(L, index);
	film_query *q;
	reel_error err = REEL_ERROR_INIT;
	index = lua_absindex(L, index);
	if (ft->films == NULL)
		luaL_error(L, "attempt to use a collected catalogue");
	lua_getiuservalue(L, index, 1);
	q = lua_touserdata(L, -1);
	if (q != NULL && !q->collected)
		return;
	lua_pop(L, 1); /* none yet, or its __gc was called by hand: a new one */
	q = lua_newuserdatauv(L, sizeof *q, 1);
	q->plan = NULL;
	q->collected = false;
	luaL_setmetatable(L, REEL_QUERY);
	lua_pushvalue(L, index);
	lua_setiuservalue(L, -2, 1);
	lquery_take(L, q, plan_scan(ft->films, &err), &err);
	lua_pushvalue(L, -1);
	lua_setiuservalue(L, index, 1);
}

/* Lua runs finalizers newest first, so an older object's finalizer may
** reach a Query after its own __gc (or a script may call __gc itself). */
plan_node *lquery_plan(lua_State *L, int index)
{
	film_query *q = test_query(L, index);
	if (q == NULL) {
		if (luaL_testudata(L, index, REEL_TABLE) == NULL)
			luaL_typeerror(L, index, REEL_QUERY);
		index = lua_absindex(L, index);
		lquery_push_all(L, index);
		lua_replace(L, index);
		q = lua_touserdata(L, index);
	}
	if (q->collected)
		luaL_error(L, "attempt to use a collected query");
	return q->plan;
}

/* The rows of the Query at `index`, made now if they are not yet. */
static const selection *rows_of(lua_State *L, int index)
{
	reel_error err = REEL_ERROR_INIT;
	const selection *rows = plan_rows(lquery_plan(L, index), &err);
	if (rows == NULL)
		lreel_fail(L, &err);
	return rows;
}

static int query_gc(lua_State *L)
{
	film_query *q = luaL_checkudata(L, 1, REEL_QUERY);
	q->collected = true;
	plan_release(q->plan);
	q->plan = NULL;
	return 0;
}
/* }====== */

/* {====== Counting, indexing, iterating ====== */

int lquery_count(lua_State *L)
{
	reel_error err = REEL_ERROR_INIT;
	size_t n;
	if (plan_count(lquery_plan(L, 1), &n, &err) != 0)
		return lreel_fail(L, &err);
	lua_pushinteger(L, (lua_Integer)n);
	return 1;
}

static int push_nth(lua_State *L, size_t i);

/* q[i] is the i-th film (1-based); other keys name methods. q[1] is found
** as q:first() finds it (the top one of a sort, the first row a where
** keeps), without making the rows; any other place makes them once, so a
** loop over q[i] reads a list. */
int lquery_index(lua_State *L)
{
	int isinteger = 0;
	lua_Integer i = 0;
	if (lua_type(L, 2) == LUA_TNUMBER)
		i = lua_tointegerx(L, 2, &isinteger);
	if (isinteger && i == 1)
		return push_nth(L, 0);
	if (isinteger) {
		const selection *rows = rows_of(L, 1);
		if (i < 1 || (uint64_t)i > rows->count)
			return 0;
		lfilm_push(L, 1, rows->rows[i - 1]);
		return 1;
	}
	lua_pushvalue(L, 2);
	lua_rawget(L, lua_upvalueindex(1));
	return 1;
}

static int query_newindex(lua_State *L)
{
	return luaL_error(L, "queries are read-only (cannot set '%s')",
	                  luaL_tolstring(L, 2, NULL));
}

static int each_next(lua_State *L)
{
	lua_Integer i = lua_tointeger(L, lua_upvalueindex(2));
	const selection *rows = rows_of(L, lua_upvalueindex(1));
	if ((uint64_t)i >= rows->count)
		return 0;
	lua_pushinteger(L, i + 1);
	lua_replace(L, lua_upvalueindex(2));
	lfilm_push(L, lua_upvalueindex(1), rows->rows[i]);
	return 1;
}

/* for film in q:each() do ... end */
static int query_each(lua_State *L)
{
	rows_of(L, 1);
	lua_settop(L, 1);
	lua_pushinteger(L, 0);
	lua_pushcclosure(L, each_next, 2);
	return 1;
}

/* The film at place i of the Query at 1, found without making its rows
** where it can, or nothing. */
static int push_nth(lua_State *L, size_t i)
{
	reel_error err = REEL_ERROR_INIT;
	row_id row;
	int found = plan_row_at(lquery_plan(L, 1), i, &row, &err);
	if (found < 0)
		return lreel_fail(L, &err);
	if (found == 0)
		return 0;
	lfilm_push(L, 1, row);
	return 1;
}

static size_t count_of(lua_State *L)
{
	reel_error err = REEL_ERROR_INIT;
	size_t n;
	if (plan_count(lquery_plan(L, 1), &n, &err) != 0)
		lreel_fail(L, &err);
	return n;
}

static int query_first(lua_State *L)
{
	return push_nth(L, 0);
}

static int query_last(lua_State *L)
{
	size_t n = count_of(L);
	return n == 0 ? 0 : push_nth(L, n - 1);
}

static int query_random(lua_State *L)
{
	size_t n = count_of(L);
	if (n == 0)
		return 0;
	return push_nth(L, (size_t)sample_below(lreel_generator(L), n));
}
/* }====== */

/* {====== Native steps ====== */

static int query_where(lua_State *L)
{
	plan_node *input = lquery_plan(L, 1);
	reel_error err = REEL_ERROR_INIT;
	film_query *q;
	luaL_checktype(L, 2, LUA_TTABLE);
	lua_settop(L, 2);
	q = lquery_new(L, 1);
	lquery_take(L, q, lwhere_node(L, input, 2, &err), &err);
	return 1;
}

static const char *const sort_option_names[] = {"collate", NULL};

/* sort("col", "-col", ...[, opts]): the native path; opts.collate orders
** the text keys (else reel.collation). */
static int sort_by_columns(lua_State *L, plan_node *input)
{
	int i, n = lua_gettop(L) - 1;
	table *t = plan_table(input);
	collation collate;
	sort_key *keys;
	reel_error err = REEL_ERROR_INIT;
	film_query *q;
	if (lua_istable(L, n + 1)) {
		lreel_check_option_names(L, n + 1, sort_option_names);
		collate = lreel_check_collation(L, n + 1);
		n--;
	} else {
		collate = lreel_collation(L);
	}
	keys = lua_newuserdatauv(L, (size_t)n * sizeof *keys + 1, 0);
	for (i = 0; i < n; i++) {
		const char *name = luaL_checkstring(L, i + 2);
		keys[i].descending = name[0] == '-';
		keys[i].column = lreel_check_column(L, t, name + keys[i].descending);
		keys[i].collate = collate;
	}
	q = lquery_new(L, 1);
	lquery_take(L, q, plan_sort(input, keys, (size_t)n, &err), &err);
	return 1;
}

static int query_limit(lua_State *L)
{
	plan_node *input = lquery_plan(L, 1);
	size_t n = lreel_check_count(L, 2);
	reel_error err = REEL_ERROR_INIT;
	film_query *q = lquery_new(L, 1);
	lquery_take(L, q, plan_limit(input, "limit", 0, n, &err), &err);
	return 1;
}

static int query_offset(lua_State *L)
{
	plan_node *input = lquery_plan(L, 1);
	size_t n = lreel_check_count(L, 2);
	reel_error err = REEL_ERROR_INIT;
	film_query *q = lquery_new(L, 1);
	lquery_take(L, q, plan_limit(input, "offset", n, SIZE_MAX, &err), &err);
	return 1;
}

/* sample(n) and shuffle(): drawn at the call, in the order of the calls. */
static int draw(lua_State *L, const char *step, size_t n)
{
	plan_node *input = lquery_plan(L, 1);
	film_random *r = lreel_generator(L);
	reel_error err = REEL_ERROR_INIT;
	film_query *q = lquery_new(L, 1);
	lquery_take(L, q, plan_sample(input, step, n, r, &err), &err);
	return 1;
}

static int query_sample(lua_State *L)
{
	return draw(L, "sample", lreel_check_count(L, 2));
}

static int query_shuffle(lua_State *L)
{
	return draw(L, "shuffle", SIZE_MAX);
}

static int query_select(lua_State *L)
{
	plan_node *input = lquery_plan(L, 1);
	table *t = plan_table(input);
	int i, n = lua_gettop(L) - 1;
	size_t *columns;
	reel_error err = REEL_ERROR_INIT;
	film_query *q;
	luaL_checkstring(L, 2);
	columns = lua_newuserdatauv(L, (size_t)n * sizeof *columns, 0);
	for (i = 0; i < n; i++)
		columns[i] = lreel_check_column(L, t, luaL_checkstring(L, i + 2));
	q = lquery_new(L, 1);
	lquery_take(L, q, plan_select(input, columns, (size_t)n, &err), &err);
	return 1;
}
/* }====== */

/* {====== Lua steps: filter, sort(fn), map ====== */

/* The rows a Lua step kept, in a userdata-free selection owned by the new
** Query at the top of the stack from the start, so an error in the
** callback leaks nothing. */
static int query_filter(lua_State *L)
{
	const selection *in = rows_of(L, 1);
	reel_error err = REEL_ERROR_INIT;
	film_query *q;
	selection *kept;
	size_t i;
	luaL_checktype(L, 2, LUA_TFUNCTION);
	lua_settop(L, 2);
	q = lquery_new(L, 1); /* 3 */
	/* room grows as films are kept; most filters keep few */
	kept = selection_new(in->count < 64 ? in->count : 64);
	lquery_take(L, q, kept == NULL ? NULL
	                  : plan_given(lquery_plan(L, 1), "filter", kept, &err), &err);
	luaL_getmetatable(L, REEL_FILM); /* 4 */
	lua_getiuservalue(L, 1, 1);      /* 5: the Table */
	for (i = 0; i < in->count; i++) {
		int keep;
		lua_pushvalue(L, 2);
		lfilm_push_fast(L, in->rows[i], 4, 5);
		lua_call(L, 1, 1);
		keep = lua_toboolean(L, -1);
		lua_pop(L, 1);
		if (keep && selection_push(kept, in->rows[i]) != 0)
			lreel_nomemory(L);
	}
	lua_settop(L, 3);
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
	lfilm_push(L, c->query, a);
	lfilm_push(L, c->query, b);
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

static int sort_by_function(lua_State *L)
{
	const selection *in = rows_of(L, 1);
	reel_error err = REEL_ERROR_INIT;
	sort_call call;
	film_query *q;
	selection *sorted;
	row_id *scratch;
	lua_settop(L, 2);
	q = lquery_new(L, 1);
	sorted = selection_copy(in);
	lquery_take(L, q, sorted == NULL ? NULL
	                  : plan_given(lquery_plan(L, 1), "sort", sorted, &err), &err);
	scratch = lua_newuserdatauv(L, in->count * sizeof *scratch + 1, 0);
	call.L = L;
	call.function = 2;
	call.query = 1;
	selection_sort_with(sorted, scratch, compare_films, &call);
	lua_pop(L, 1);
	return 1;
}

static int query_sort(lua_State *L)
{
	if (lua_type(L, 2) == LUA_TFUNCTION)
		return sort_by_function(L);
	luaL_checkstring(L, 2);
	return sort_by_columns(L, lquery_plan(L, 1));
}

/* An array of fn(film) for each film; a nil result leaves a hole. The
** rows are asked for again after each call, since fn may have collected
** the Query (by calling its __gc): then that use raises. */
static int query_map(lua_State *L)
{
	const selection *rows = rows_of(L, 1);
	size_t i;
	luaL_checktype(L, 2, LUA_TFUNCTION);
	lua_settop(L, 2);
	lua_createtable(L, lreel_array_size(rows->count), 0);
	for (i = 0; i < rows->count; i = i + 1, rows = rows_of(L, 1)) {
		lua_pushvalue(L, 2);
		lfilm_push(L, 1, rows->rows[i]);
		lua_call(L, 1, 1);
		lua_rawseti(L, 3, (lua_Integer)i + 1);
	}
	return 1;
}
/* }====== */

/* {====== Aggregates and arrays ====== */

static int aggregate_column(lua_State *L, aggregate kind)
{
	plan_node *n = lquery_plan(L, 1);
	size_t col = lreel_check_column(L, plan_table(n), luaL_checkstring(L, 2));
	reel_error err = REEL_ERROR_INIT;
	value result;
	if (plan_total(n, col, kind, lreel_collation(L), &result, &err) != 0)
		return lreel_fail(L, &err);
	lreel_push_value(L, &result, NULL_AS_NIL);
	return 1;
}

static int query_sum(lua_State *L) { return aggregate_column(L, AGGREGATE_SUM); }
static int query_avg(lua_State *L) { return aggregate_column(L, AGGREGATE_AVG); }
static int query_min(lua_State *L) { return aggregate_column(L, AGGREGATE_MIN); }
static int query_max(lua_State *L) { return aggregate_column(L, AGGREGATE_MAX); }

/* An array of one column's values. A null comes out as reel.null rather
** than nil, so the array has no holes: #a is the number of films and
** ipairs visits them all. */
static int query_pluck(lua_State *L)
{
	const selection *rows = rows_of(L, 1);
	table *t = plan_table(lquery_plan(L, 1));
	size_t col = lreel_check_column(L, t, luaL_checkstring(L, 2));
	size_t i;
	lua_createtable(L, lreel_array_size(rows->count), 0);
	for (i = 0; i < rows->count; i++) {
		lreel_push_cell(L, t, col, rows->rows[i], NULL_AS_SENTINEL);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

/* The names of the selected columns, else of all. */
static int query_columns(lua_State *L)
{
	plan_node *n = lquery_plan(L, 1);
	table *t = plan_table(n);
	size_t i, count;
	const size_t *chosen = plan_columns(n, &count);
	if (chosen == NULL)
		count = t->column_count;
	lua_createtable(L, lreel_array_size(count), 0);
	for (i = 0; i < count; i++) {
		lua_pushstring(L, t->columns[chosen != NULL ? chosen[i] : i].name);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

/* One line a step of the plan, from the catalogue up. */
static int query_explain(lua_State *L)
{
	plan_node *n = lquery_plan(L, 1);
	reel_error err = REEL_ERROR_INIT;
	text_buffer *b = lreel_new_text(L);
	if (plan_explain(n, b, &err) != 0)
		return lreel_fail(L, &err);
	lreel_push_text(L, b);
	return 1;
}
/* }====== */


const luaL_Reg lquery_methods[] = {
	{"count", lquery_count},
	{"each", query_each},
	{"where", query_where},
	{"filter", query_filter},
	{"explain", query_explain},
	{"sort", query_sort},
	{"limit", query_limit},
	{"offset", query_offset},
	{"first", query_first},
	{"last", query_last},
	{"random", query_random},
	{"sample", query_sample},
	{"shuffle", query_shuffle},
	{"select", query_select},
	{"sum", query_sum},
	{"avg", query_avg},
	{"min", query_min},
	{"max", query_max},
	{"map", query_map},
	{"pluck", query_pluck},
	{"columns", query_columns},
	{NULL, NULL}
};

/* The methods table is every metamethod's upvalue (__index needs it). */
const luaL_Reg lquery_meta[] = {
	{"__index", lquery_index},
	{"__newindex", query_newindex},
	{"__len", lquery_count},
	{"__tostring", lformat_tostring},
	{"__gc", query_gc},
	{NULL, NULL}
};
