/*
** lreel.h: the Lua binding, the `reel` module and its Table, Query, Film
** and group loop userdata. The front ends (src/cli) use it to open the
** module and to hand a catalogue to a Lua state.
*/
#ifndef REEL_LREEL_H
#define REEL_LREEL_H

#include <stdio.h>

#include <lua.h>

#include "core/table.h"

#define REEL_VERSION "0.1.0"

#define REEL_TABLE "reel.Table"
#define REEL_QUERY "reel.Query"
#define REEL_FILM "reel.Film"

/* Opens the module: returns the `reel` table (reel.load, reel.seed,
** reel.null, reel.version, ...) and registers the userdata metatables. The
** random generator starts from a seed taken from the clock. */
int luaopen_reel(lua_State *L);

/* Pushes `t` as a reel.Table userdata that owns it from now on (it is freed
** by __gc, also when this call raises a memory error). */
void lreel_push_table(lua_State *L, table *t);

/* Seeds the generator behind random, sample and shuffle (as reel.seed). */
void lreel_seed(lua_State *L, uint64_t seed);

/* The built-in list (data/films.csv, compiled in) read afresh, its film
** names resolved; NULL with err filled when memory runs out. */
table *lreel_read_builtin(reel_error *err);

/* The format queries print in when none is named, a format_kind of
** core/format.h (reel -o); a table by default. */
void lreel_set_output(lua_State *L, int kind);
int lreel_output(lua_State *L);

/* Whether the value at index is a Query (or Table), and its rendering as a
** table of at most max_rows rows fitted to max_width cells (0: no limit),
** pushed as a string. For the REPL's printing. */
int lreel_is_query(lua_State *L, int index);
int lreel_is_film(lua_State *L, int index);
void lreel_push_rendering(lua_State *L, int index, size_t max_rows,
                          size_t max_width);
/* How many films the Query (or Table) at index holds (may raise). */
size_t lreel_count(lua_State *L, int index);
/* Streams the Query at index to `stream` in the -o format (a table of at
** most max_rows rows, 0: all; no width limit): the REPL's pager. May raise. */
void lreel_print(lua_State *L, int index, FILE *stream, size_t max_rows);

/* {====== Sandbox ====== */
/* Makes q:save (of every Query and Table) raise "save is not available in
** the sandbox". For --sandbox, which also takes reel.load away. */
void lreel_forbid_files(lua_State *L);
/* }====== */

#endif
