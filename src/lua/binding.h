/*
** binding.h: what the files of the Lua binding share (not for the front
** ends, which use lreel.h). One file a userdata type: ltable.c (Table),
** lquery.c (Query), lfilm.c (Film), lgroups.c (a group loop); lwhere.c
** turns where{} into predicates, lformat.c renders and saves, lreel.c is
** the module and the helpers below. The binding checks arguments and
** builds plan nodes; the core (core/plan.h) runs them.
*/
#ifndef REEL_BINDING_H
#define REEL_BINDING_H

#include <stdbool.h>
#include <stdio.h>

#include <lauxlib.h>
#include <lua.h>

#include "core/format.h"
#include "core/collate.h"
#include "core/plan.h"
#include "lreel.h"
#include "core/table.h"
#include "core/text.h"

/* Names of the userdata types and of the registry slots. */
#define REEL_NULL "reel.null"
#define REEL_RANDOM "reel.random"
#define REEL_TEXT "reel.Text"
#define REEL_GROUPS "reel.Groups"
#define REEL_OUTPUT "reel.output"

/* {====== lreel.c: errors, values, options ====== */
/* Raises the core's error: a memory error as Lua's own, anything else as
** its message. */
int lreel_fail(lua_State *L, const reel_error *err);
/* For a failure of the outside world (a file): pushes nil and the message
** and returns 2, as io.open does; memory and a stop (stop.h) still raise. */
int lreel_fileresult(lua_State *L, const reel_error *err);
/* Raises the message Lua's own memory errors carry, so the front end treats
** both alike. */
int lreel_nomemory(lua_State *L);

/* How a null cell comes out as a Lua value. */
typedef enum null_as {
	NULL_AS_NIL,     /* film fields: nil, as a missing field */
	NULL_AS_SENTINEL /* arrays and group keys: reel.null, so no hole */
} null_as;

void lreel_push_null(lua_State *L);
int lreel_is_null(lua_State *L, int index);
void lreel_push_value(lua_State *L, const value *v, null_as nulls);
void lreel_push_cell(lua_State *L, const table *t, size_t col, row_id row,
                     null_as nulls);
/* The column called `name`, or an error naming the closest one. */
size_t lreel_check_column(lua_State *L, const table *t, const char *name);
/* A count argument: limit(n), offset(n), sample(n). */
size_t lreel_check_count(lua_State *L, int arg);
/* A size hint for lua_createtable (only a hint: past INT_MAX, none). */
int lreel_array_size(size_t count);
/* Every key of the options table at `opts` is one of `valid`, or an error
** listing them. */
void lreel_check_option_names(lua_State *L, int opts,
                              const char *const valid[]);
/* The order of text a sort, min, max or aggregate uses when none is named:
** reel.collation ("binary" unless set). */
collation lreel_collation(lua_State *L);
/* opts.collate of the options table at `opts`, else reel.collation. */
collation lreel_check_collation(lua_State *L, int opts);
/* Registers every userdata type's metatable (once per state). */
void lreel_register_types(lua_State *L);
/* The one generator behind random, sample and shuffle. */
film_random *lreel_generator(lua_State *L);
/* A text_buffer inside a userdata, so a Lua error between rendering and
** pushing the result cannot leak it; lreel_push_text replaces the box on top
** of the stack by its text. */
text_buffer *lreel_new_text(lua_State *L);
void lreel_push_text(lua_State *L, text_buffer *b);
/* }====== */

/* {====== ltable.c ====== */
typedef struct film_table {
	table *films; /* one holder of the table; NULL once collected */
} film_table;

film_table *ltable_check(lua_State *L, int index);
/* Pushes `t` as a reel.Table userdata holding it from now on (it is freed
** by __gc, also when this call raises). */
void ltable_push(lua_State *L, table *t);
extern const luaL_Reg ltable_meta[];
/* }====== */

/* {====== lquery.c ====== */
/* A reel.Query: one holder of a plan node, NULL once collected. User value
** 1: the reel.Table whose films it shows (so its Films stay valid). */
typedef struct film_query {
	plan_node *plan;
	bool collected; /* its __gc ran: a finalizer may still reach it */
} film_query;

/* The plan of the Query at `index`; a Table there is replaced by the Query
** of all its rows, so every method serves both. Raises on a collected
** Query. */
plan_node *lquery_plan(lua_State *L, int index);
/* Pushes a new, empty Query showing the films of the same Table as the
** Query at `from`. It is safe to collect as it is; the caller gives it its
** plan with lquery_take before anything else can see it. */
film_query *lquery_new(lua_State *L, int from);
/* Gives `n` (just built, one holder) to `q`, on top of the stack; a NULL n
** raises err. */
void lquery_take(lua_State *L, film_query *q, plan_node *n,
                 const reel_error *err);
/* Pushes the Query of all the rows of the Table at `index`. */
void lquery_push_all(lua_State *L, int index);
int lquery_is(lua_State *L, int index);
/* q[i], and the methods (the upvalue); #q. A Table's metamethods too. */
int lquery_index(lua_State *L);
int lquery_count(lua_State *L);
extern const luaL_Reg lquery_methods[];
extern const luaL_Reg lquery_meta[];
/* }====== */

/* {====== lfilm.c ====== */
/* Pushes a Film for `row` of the table behind the Query at `query`. */
void lfilm_push(lua_State *L, int query, row_id row);
/* The same, with the Film metatable at `meta` and the Table at `films`
** already on the stack: no registry lookup per film. */
void lfilm_push_fast(lua_State *L, row_id row, int meta, int films);
int lfilm_is(lua_State *L, int index);
/* The table and row of the Film at `index`, or NULL when it is no Film. */
table *lfilm_row(lua_State *L, int index, row_id *row);
/* A film as a record for the REPL, pushed as a string. */
void lfilm_push_record(lua_State *L, int index, size_t max_width);
/* Registers the Film metatable. */
void lfilm_register(lua_State *L);
/* }====== */

/* {====== lwhere.c ====== */
/* The node of q:where{...}: the where table at `arg` checked and turned
** into predicates over the Query's table. */
plan_node *lwhere_node(lua_State *L, plan_node *input, int arg,
                       reel_error *err);
/* }====== */

/* {====== laggregate.c ====== */
extern const luaL_Reg laggregate_methods[];
/* }====== */

/* {====== llist.c ====== */
extern const luaL_Reg llist_methods[];
/* Pushes a list cell (of list column c) as a Lua array of its elements. */
void llist_push_cell(lua_State *L, const column *c, const char *text,
                     size_t length);
/* reel.load's opts.lists: its shape checked before the load, applied to the
** Table on top of the stack after it (0, or 2 with nil and a message). */
void llist_check_load_option(lua_State *L, int opts);
int llist_apply_load_option(lua_State *L, int opts, const char *path);
/* }====== */

/* {====== ljoin.c ====== */
extern const luaL_Reg ljoin_methods[];
/* }====== */

/* {====== lsearch.c, lsimilar.c ====== */
extern const luaL_Reg lsearch_methods[];
extern const luaL_Reg lsimilar_methods[];
/* }====== */

/* {====== lgroups.c ====== */
extern const luaL_Reg lgroups_methods[];
void lgroups_register(lua_State *L);
/* }====== */

/* {====== lformat.c ====== */
extern const luaL_Reg lformat_methods[];
/* The format queries print in when none is named (registry REEL_OUTPUT). */
void lformat_set_output(lua_State *L, format_kind kind);
format_kind lformat_output(lua_State *L);
/* Streams the Query at `index` to `stream` in that format (a table of at
** most max_rows rows, 0: all), for the REPL's pager. Raises on errors. */
void lformat_print(lua_State *L, int index, FILE *stream, size_t max_rows);
/* The Query at 1 rendered as a table, for __tostring. */
int lformat_tostring(lua_State *L);
/* The Query at `index` rendered for the REPL, pushed. */
void lformat_push_rendering(lua_State *L, int index, size_t max_rows,
                            size_t max_width);
/* }====== */

#endif
