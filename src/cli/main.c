/*
** main.c: the reel command line, `reel [options] [script [args...]]`.
** Parses the options (options.c), loads the catalogue as `films`, then runs
** the -e chunks, a script or the interactive prompt inside one protected
** call (run.c, repl.c), and turns what happened into an exit status: 0
** success, 1 script error, 2 usage error, 3 data error, 4 resource limit.
** Relies on the binding (lreel.h), the readers (read.h) and Lua's libraries.
*/
#include <errno.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "cli/cli.h"
#include "cli/repl.h"
#include "core/progress.h"
#include "core/read.h"
#include "core/table.h"
#include "lua/lreel.h"

/* {====== Catalogue ====== */

/* Applies one --column FIELD=SOURCE. 0, or -1 with err filled. */
static int map_column(table *t, const char *name, const char *mapping,
                      reel_error *err)
{
	const char *source = strchr(mapping, '=') + 1;
	const char *close;
	char *field = strndup(mapping, (size_t)(source - 1 - mapping));
	int status = field == NULL ? -1 : table_set_alias(t, field, source);
	free(field);
	if (status == 0)
		return 0;
	if (table_column_index(t, source) >= 0)
		return error_memory(err, "--column");
	if ((close = table_closest_column(t, source)) != NULL)
		return error_set(err, REEL_ERROR_DATA, "--column %s: %s has no column "
		                 "'%s' (did you mean '%s'?)", mapping, name, source,
		                 close);
	return error_set(err, REEL_ERROR_DATA, "--column %s: %s has no column '%s'",
	                 mapping, name, source);
}

static int map_columns(const cli *c, table *t, const char *name,
                       reel_error *err)
{
	const char *mapping;
	int i = 1;
	while ((mapping = options_next(c, &i, OPTION_COLUMN)) != NULL)
		if (map_column(t, name, mapping, err) != 0)
			return -1;
	return 0;
}

/* --nulls LIST as a NULL-terminated list of markers, cut at its commas
** (empty ones left out) in *copy; NULL when memory runs out. */
static const char **split_nulls(const char *list, char **copy)
{
	size_t n = 1, i = 0;
	const char *p;
	char *cut;
	const char **markers;
	for (p = list; *p != '\0'; p++)
		n += *p == ',';
	markers = malloc((n + 1) * sizeof *markers);
	*copy = markers != NULL ? strdup(list) : NULL;
	if (*copy == NULL) {
		free(markers);
		return NULL;
	}
	for (cut = strtok(*copy, ","); cut != NULL; cut = strtok(NULL, ","))
		markers[i++] = cut;
	markers[i] = NULL;
	return markers;
}

static table *read_films(const cli *c, read_options *options, reel_error *err)
{
	char *copy = NULL;
	const char **markers = NULL;
	table *t;
	if (c->nulls != NULL &&
	    (markers = split_nulls(c->nulls, &copy)) == NULL) {
		error_memory(err, c->data);
		return NULL;
	}
	options->nulls = markers;
	t = read_catalogue(c->data, options, err);
	free(markers);
	free(copy);
	return t;
}

/* Sets the global `films`. Returns 0, or the exit status of a failure. */
static int load_films(lua_State *L, const cli *c)
{
	reel_error err = REEL_ERROR_INIT;
	read_options options = READ_OPTIONS_INIT;
	const char *name = c->data != NULL ? c->data : "films.csv";
	table *t;
	options.encoding = (read_encoding)c->encoding;
	progress_begin(PROGRESS_LOAD, name, 0, 0);
	t = c->data != NULL ? read_films(c, &options, &err)
	                    : lreel_read_builtin(&err);
	progress_end();
	if (t != NULL && map_columns(c, t, name, &err) != 0) {
		table_free(t);
		t = NULL;
	}
	if (t == NULL)
		return run_report_load_failure(&err);
	lreel_push_table(L, t); /* it owns t now */
	repl_catalogue = c->data;
	lua_setglobal(L, "films");
	return 0;
}

/* }====== */

/* {====== Main ====== */

/* `arg` as lua sets it: the script at 0, its arguments from 1, and reel's
** own words at negative indices. */
static void create_arg_table(lua_State *L, const cli *c)
{
	int i, script = c->script;
	lua_createtable(L, c->argc - script - 1, script + 1);
	for (i = 0; i < c->argc; i++) {
		lua_pushstring(L, c->argv[i]);
		lua_rawseti(L, -2, i - script);
	}
	lua_setglobal(L, "arg");
}

/* --seed seeds math.random as well as reel's own picks. */
static void seed_math_random(lua_State *L, uint64_t seed)
{
	lua_getglobal(L, "math");
	lua_getfield(L, -1, "randomseed");
	lua_pushinteger(L, (lua_Integer)seed);
	lua_call(L, 1, 0);
	lua_pop(L, 1);
}

static void open_reel(lua_State *L, const cli *c)
{
	luaL_requiref(L, "reel", luaopen_reel, 1);
	lua_pop(L, 1);
	if (c->has_seed) {
		lreel_seed(L, c->seed);
		seed_math_random(L, c->seed);
	}
	if (c->output >= 0)
		lreel_set_output(L, c->output);
}

/* -E (and --sandbox, which must not take code from the environment):
** package ignores LUA_PATH and LUA_CPATH, as under lua -E. */
static void ignore_environment(lua_State *L, const cli *c)
{
	if (!c->no_environment && !c->sandbox)
		return;
	lua_pushboolean(L, 1);
	lua_setfield(L, LUA_REGISTRYINDEX, "LUA_NOENV");
}

/* -e chunks, then the script, then the prompt; with none of them, the
** prompt for a terminal and a script from any other standard input. */
static int run_command_line(lua_State *L, const cli *c)
{
	int status = run_expressions(L, c);
	if (status == EXIT_SUCCESS && c->script != 0)
		status = run_script(L, c);
	if (status != EXIT_SUCCESS)
		return status;
	if (c->interactive || (c->script == 0 && !c->has_expression &&
	                       isatty(STDIN_FILENO))) {
		run_stop_clock(); /* each line at the prompt gets its own clock */
		return repl_run(L);
	}
	if (c->script == 0 && !c->has_expression)
		return run_standard_input(L);
	return EXIT_SUCCESS;
}

static int pmain(lua_State *L)
{
	cli *c = lua_touserdata(L, 1);
	luaL_checkversion(L);
	ignore_environment(L, c);
	luaL_openlibs(L);
	sandbox_source_text_only(L);
	run_guard_xpcall(L);
	open_reel(L, c);
	scripts_add_libraries(L, c);
	if ((c->status = load_films(L, c)) != 0)
		return 0;
	create_arg_table(L, c);
	if (!c->no_environment && !c->sandbox &&
	    (c->status = run_lua_init(L)) != EXIT_SUCCESS)
		return 0;
	if (c->sandbox)
		sandbox_enter(L, c);
	run_watch(L);
	c->status = run_command_line(L, c);
	return 0;
}

/* Everything but --help, --version and --list runs in a Lua state. */
static int run_in_lua(cli *c)
{
	int status;
	lua_State *L = luaL_newstate();
	if (L == NULL) {
		fputs(PROGRAM ": cannot create a Lua state: not enough memory\n",
		      stderr);
		return EXIT_SCRIPT;
	}
	run_start_limits(L, c);
	lua_pushcfunction(L, pmain);
	lua_pushlightuserdata(L, c);
	status = lua_pcall(L, 1, 0, 0);
	if (status != LUA_OK)
		c->status = run_report_failure(L, status);
	lua_close(L); /* finalizers run: the backstop still watches them */
	run_stop_clock();
	return c->status;
}

/* Output lost on a full disk or a closed pipe must not pass for success. */
static int finish_output(int status)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return status;
	fprintf(stderr, PROGRAM ": cannot write the output: %s\n",
	        strerror(errno));
	return status != EXIT_SUCCESS ? status : EXIT_SCRIPT;
}

/* The C library keeps the memory a query frees for the next one instead of
** giving it back to the system: blocks up to 32 MB (its largest) come from
** its heap, and a freed heap is not trimmed. A fresh page costs a fault
** (microseconds on a virtual machine), and a query over a million rows
** makes and frees tens of megabytes of arrays: run again, it finds them
** already mapped. Resident memory stays at the largest query's, as a
** database's buffer pool does; not under --max-memory, whose user wants
** memory back. */
static void keep_freed_memory(void)
{
#ifdef M_MMAP_THRESHOLD
	(void)mallopt(M_MMAP_THRESHOLD, 32 << 20);
	(void)mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}

int main(int argc, char **argv)
{
	cli c;
	int status;
	memset(&c, 0, sizeof c);
	c.argc = argc;
	c.argv = argv;
	if ((status = options_parse(&c)) >= 0)
		return finish_output(status);
	if (c.max_memory == 0)
		keep_freed_memory();
	if (c.data == NULL && getenv("REEL_DATA") != NULL &&
	    *getenv("REEL_DATA") != '\0')
		c.data = getenv("REEL_DATA");
	meter_start();
	if (scripts_find_folders(&c.scripts) != 0) {
		fputs(PROGRAM ": not enough memory\n", stderr);
		status = EXIT_SCRIPT;
	} else {
		status = c.list ? scripts_list(&c.scripts) : run_in_lua(&c);
	}
	scripts_free_folders(&c.scripts);
	return finish_output(status);
}

/* }====== */
