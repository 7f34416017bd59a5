/*
** cli.h: what the command line's files share: the options as parsed, the
** exit statuses, and each file's entry points. main.c runs the command
** line; options.c parses it; scripts.c finds bundled scripts; run.c runs
** chunks under the limits; sandbox.c narrows what scripts reach; meter.c
** shows the progress of long steps; repl.c and complete.c are the prompt,
** pager.c pages its long results, help.c is its `help`. No two call each
** other in a circle: main.c calls the others, repl.c calls run.c.
*/
#ifndef REEL_CLI_H
#define REEL_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <lua.h>

#include "core/error.h"

#define PROGRAM "reel"
#define USAGE "usage: reel [options] [script [args...]]"

enum { EXIT_SCRIPT = 1, EXIT_USAGE = 2, EXIT_DATA = 3, EXIT_LIMIT = 4 };

typedef enum option_kind {
	OPTION_END,
	OPTION_EXECUTE,
	OPTION_LIBRARY,
	OPTION_INTERACTIVE,
	OPTION_NO_ENVIRONMENT,
	OPTION_DATA,
	OPTION_ENCODING,
	OPTION_NULLS,
	OPTION_COLUMN,
	OPTION_OUTPUT,
	OPTION_SEED,
	OPTION_LIST,
	OPTION_SANDBOX,
	OPTION_TIMEOUT,
	OPTION_MAX_MEMORY,
	OPTION_HELP,
	OPTION_VERSION
} option_kind;

typedef struct cli_option {
	const char *short_name;
	const char *long_name;
	option_kind kind;
	const char *argument; /* what its argument must be; NULL: it takes none */
} cli_option;

/* The folders searched for a bundled script, in order. */
typedef struct folder_list {
	char **folders;
	size_t count;
} folder_list;

typedef struct cli {
	int argc;
	char **argv;
	int options_end;      /* argv index where the options stop */
	int script;           /* argv index of the script; 0 when none */
	bool has_expression;  /* some -e */
	bool interactive;
	bool no_environment;  /* -E: LUA_INIT, LUA_PATH and LUA_CPATH ignored */
	bool list;
	bool sandbox;
	bool has_seed;
	uint64_t seed;
	const char *data;     /* --data, else REEL_DATA, else NULL: built-in */
	int output;           /* -o: a format_kind, or -1 for the default */
	int encoding;         /* --encoding: a read_encoding */
	const char *nulls;    /* --nulls: the null markers, comma-separated;
	                         NULL for the defaults */
	double timeout;       /* seconds; 0 when unlimited */
	size_t max_memory;    /* bytes; 0 when unlimited */
	folder_list scripts;
	int status;           /* the exit status pmain settled on */
} cli;

/* {====== options.c ====== */
/* Options come first; the first word that is not one is the script, and
** everything after it belongs to the script. Returns -1 to go on, or an
** exit status (help, version, usage error). */
int options_parse(cli *c);
/* The argument of the next option of `kind` from argv[*i] on, or NULL. */
const char *options_next(const cli *c, int *i, option_kind kind);
/* The next -e or -l from argv[*i] on, in the order given (as lua runs
** them): its argument, and its kind in *kind; NULL after the last. */
const char *options_next_chunk(const cli *c, int *i, option_kind *kind);
/* }====== */

/* {====== scripts.c ====== */
/* The folders searched for bundled scripts: REEL_PATH's, then the share
** folder found from the executable. 0, or -1 when memory runs out. */
int scripts_find_folders(folder_list *l);
void scripts_free_folders(folder_list *l);
/* The path of the script `word` names (a path, or a bundled script's
** name), pushed; NULL (nothing pushed) when there is none. */
const char *scripts_push_path(lua_State *L, const cli *c, const char *word);
/* Lets require find the script folders' lib/ modules. */
void scripts_add_libraries(lua_State *L, const cli *c);
/* --list: prints each bundled script with its summary line. */
int scripts_list(const folder_list *folders);
/* }====== */

/* {====== run.c ====== */
/* Lua's allocator under --max-memory, and --timeout's clock, started now;
** SIGTERM and SIGHUP remove a save's temporary file. */
void run_start_limits(lua_State *L, const cli *c);
/* Arms the hook that watches the --timeout clock (started with the
** limits) and Ctrl-C. */
void run_watch(lua_State *L);
/* Stops the clock's backstop (the prompt may wait as long as it likes). */
void run_stop_clock(void);
/* Makes xpcall's handlers unable to escape --timeout. */
void run_guard_xpcall(lua_State *L);
/* Calls the function under `narg` arguments in protected mode with a
** traceback on error, Ctrl-C interrupting it and the --timeout clock
** started afresh. Returns a lua_pcall status and leaves the results, or
** the error message, on the stack. */
int run_call(lua_State *L, int narg, int nres);
/* Prints the error on top of the stack, pops it, and returns the exit
** status it calls for. */
int run_report_failure(lua_State *L, int status);
/* The -e chunks and -l modules in the order given, as lua runs them. */
/* Prints why the catalogue could not be loaded and returns the exit
** status: 4 for a limit (memory or time), else 3. */
int run_report_load_failure(const reel_error *err);
int run_expressions(lua_State *L, const cli *c);
/* LUA_INIT_5_4 or LUA_INIT (code, or @FILE), as lua runs it first. */
int run_lua_init(lua_State *L);
int run_script(lua_State *L, const cli *c);
int run_standard_input(lua_State *L);
/* }====== */

/* {====== meter.c ====== */
/* When standard error is a terminal: a load, save, print or query that
** runs longer than half a second shows its progress there (rows, MB/s, a
** percentage where the size is known) until it ends. */
void meter_start(void);
/* }====== */

/* {====== pager.c ====== */
/* The screen's height when results at the prompt may be paged (standard
** input and output are a terminal and a pager is set: $PAGER, else
** "less -S"); 0 when they are never paged. */
size_t pager_screen_lines(void);
/* A stream into a new pager, or NULL when none can run; write the text,
** then pager_close waits for the pager to quit. */
FILE *pager_open(void);
void pager_close(FILE *stream);
/* }====== */

/* {====== sandbox.c ====== */
/* Every way to load code takes source text only. */
void sandbox_source_text_only(lua_State *L);
/* Turns Lua's "attempt to load a binary chunk" on top of the stack into a
** message naming `name`. */
void sandbox_explain_refusal(lua_State *L, const char *name);
/* --sandbox: only safe libraries, no file access. */
void sandbox_enter(lua_State *L, const cli *c);
/* }====== */

#endif
