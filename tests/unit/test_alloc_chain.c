/*
** test_alloc_chain.c: running out of memory at every step of a session.
** A session is what reel does for a typical query: create a Lua state, open
** the libraries and the reel module, load a catalogue, run a query chain and
** format its answer. It is run again and again, failing first the 1st core
** allocation (reel_memory_fail_after), then the 2nd, and so on until a run
** passes them all; then the same for Lua's allocator, failing from the N-th
** allocation on. Every failed run must end in a clean error that names
** memory, and leave no core memory behind (LeakSanitizer checks the rest
** under make check). Links the whole program but main.c.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "core/builtin.h"
#include "core/error.h"
#include "core/memory.h"
#include "core/read.h"
#include "lua/lreel.h"
#include "tap.h"

/* A query chain over everything the binding does often. */
static const char session_chunk[] =
	"reel.seed(7)\n"
	"local other = assert(reel.load('data/films.csv'))\n"
	"local q = films:where{duration = {lt = 130}}:sort('-year', 'title')\n"
	"local j = films:join(other:where{year = {ge = 2013}}, 'title',\n"
	"  {kind = 'left'})\n"
	"local parts = {\n"
	"  tostring(#j:where{year_2 = {null = true}}),\n"
	"  j:sort('-duration_2', 'title'):limit(3):format('csv'),\n"
	"  q:limit(4):format('csv'), q:format('json'),\n"
	"  films:sample(3):format('{rank}. {title} ({year})'),\n"
	"  other:where{year = {ge = 2010}}:format('table'),\n"
	"  tostring(films[1]), tostring(#films:search('daughter')),\n"
	"  tostring(#films:where{year = {['in'] = {1990, 1995, 2000, 2001, 2003,\n"
	"    2005, 2007, 2009, 2010, 2013}}}),\n"
	"}\n"
	"for year, group in films:group('year') do\n"
	"  parts[#parts + 1] = year .. '=' .. #group\n"
	"end\n"
	"table.sort(parts)\n"
	"return table.concat(parts, '\\n')\n";

/* {====== A Lua allocator that fails on demand ====== */

static unsigned long lua_countdown; /* 0: never fail */
static int lua_failing;             /* the countdown ran out */

static void *failing_alloc(void *ud, void *block, size_t old_size,
                           size_t new_size)
{
	(void)ud;
	if (new_size == 0) {
		free(block);
		return NULL;
	}
	if (block == NULL)
		old_size = 0;
	if (new_size > old_size && lua_countdown > 0 &&
	    (lua_failing || --lua_countdown == 0)) {
		lua_failing = 1; /* from then on, as when memory is gone */
		return NULL;
	}
	return realloc(block, new_size);
}

/* }====== */

/* {====== One session ====== */

static int run_session(lua_State *L)
{
	reel_error err = REEL_ERROR_INIT;
	read_options opts = {.format = CATALOGUE_CSV, .delimiter = ','};
	table *t;
	luaL_openlibs(L);
	luaL_requiref(L, "reel", luaopen_reel, 1);
	t = read_catalogue_buffer((const char *)reel_films_csv,
	                          reel_films_csv_size, "films.csv", &opts, &err);
	if (t == NULL)
		return luaL_error(L, "%s", err.message);
	lreel_push_table(L, t);
	lua_setglobal(L, "films");
	if (luaL_loadbufferx(L, session_chunk, sizeof session_chunk - 1,
	                     "=session", "t") != LUA_OK)
		return lua_error(L);
	lua_call(L, 0, 1);
	return 1;
}

/* Runs one session: its answer in `answer` (malloc'd), or NULL with the
** error in `error` (malloc'd; "(no state)" when none could be made). */
static void session(char **answer, char **error)
{
	lua_State *L = lua_newstate(failing_alloc, NULL);
	*answer = *error = NULL;
	if (L == NULL) {
		*error = strdup("(no state): not enough memory");
		return;
	}
	lua_pushcfunction(L, run_session);
	if (lua_pcall(L, 0, 1, 0) == LUA_OK)
		*answer = strdup(lua_tostring(L, -1));
	else
		*error = strdup(lua_tostring(L, -1) ? lua_tostring(L, -1) : "");
	lua_close(L);
}

/* }====== */

/* {====== The walks ====== */

typedef struct walk {
	const char *what;
	unsigned long steps;     /* sessions run with a failure injected */
	unsigned long unclean;   /* failed without naming memory */
	unsigned long leaky;     /* left core memory behind */
	unsigned long wrong;     /* passed with another answer */
} walk;

static const char *expected;

/* Checks one run's outcome against what a clean failure or a pass is. */
static void judge(walk *w, unsigned long n, const char *answer,
                  const char *error)
{
	if (reel_memory_used() != 0) {
		w->leaky++;
		printf("# %s %lu: %zu core bytes left\n", w->what, n,
		       reel_memory_used());
	}
	if (error != NULL && strstr(error, "memory") == NULL) {
		w->unclean++;
		printf("# %s %lu: %s\n", w->what, n, error);
	}
	if (answer != NULL && strcmp(answer, expected) != 0) {
		w->wrong++;
		printf("# %s %lu: another answer\n", w->what, n);
	}
}

static void report(const walk *w)
{
	ok(w->steps > 10, "%s: %lu failure points walked", w->what, w->steps);
	ok(w->unclean == 0, "%s: every failure is a memory error", w->what);
	ok(w->leaky == 0, "%s: no core memory left behind", w->what);
	ok(w->wrong == 0, "%s: a run that copes gives the right answer",
	   w->what);
}

/* The core's N-th allocation fails, N = 1, 2, ...; the walk ends after a
** stretch of runs that all pass (the allocations have run out, or the
** failures hit fallbacks). */
static void walk_core(void)
{
	walk w = {"core", 0, 0, 0, 0};
	unsigned long n, passes = 0;
	for (n = 1; passes < 30; n++) {
		char *answer, *error;
		reel_memory_fail_after(n);
		session(&answer, &error);
		reel_memory_fail_after(0);
		judge(&w, n, answer, error);
		passes = answer != NULL ? passes + 1 : 0;
		w.steps += answer == NULL;
		free(answer);
		free(error);
	}
	report(&w);
}

/* Lua's allocations fail from the N-th on, N = 1, 2, ..., until a run
** never gets there. */
static void walk_lua(void)
{
	walk w = {"Lua", 0, 0, 0, 0};
	unsigned long n;
	for (n = 1;; n++) {
		char *answer, *error;
		lua_countdown = n;
		lua_failing = 0;
		session(&answer, &error);
		lua_countdown = 0;
		judge(&w, n, answer, error);
		free(answer);
		free(error);
		if (!lua_failing)
			break;
		w.steps++;
	}
	report(&w);
}

/* }====== */

int main(void)
{
	char *answer, *error;
	session(&answer, &error);
	ok(answer != NULL, "a session runs without failures: %s",
	   error != NULL ? error : "ok");
	if (answer == NULL)
		return done_testing();
	expected = answer;
	ok(reel_memory_used() == 0, "and leaves no core memory");
	walk_core();
	walk_lua();
	free(answer);
	free(error);
	return done_testing();
}
