/*
** run.c: running chunks under the limits (see cli.h): --max-memory as Lua's
** allocator and the core's cap, --timeout as a hook with a backstop timer
** and as the core's deadline (so a load or a save stops too), Ctrl-C,
** SIGTERM (a save's temporary file is removed first), tracebacks, and the
** exit status an error calls for. The clock starts with the process: the
** catalogue's load counts. Relies on POSIX timers and signals, the core's
** memory counter, deadline (stop.h) and saves, and Lua.
*/
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>

#include "cli/cli.h"
#include "core/memory.h"
#include "core/save.h"
#include "core/stop.h"

/* How often (in Lua instructions) the --timeout clock is read. */
#define WATCH_INSTRUCTIONS 1000

/* {====== Limits ====== */

/* --max-memory: Lua's bytes and the core's together stay under the limit. */
typedef struct memory_budget {
	size_t limit;     /* 0: unlimited */
	size_t lua_bytes; /* what Lua holds now */
	bool refused;     /* Lua's allocation was refused for the limit */
	size_t needed;    /* what Lua and the core would have held then */
} memory_budget;

static memory_budget budget;

/* The part of the budget Lua leaves to the core; never 0, which would lift
** the core's cap altogether. */
static void share_budget_with_core(void)
{
	size_t rest = budget.limit > budget.lua_bytes
	              ? budget.limit - budget.lua_bytes : 1;
	reel_memory_set_limit(rest);
}

static bool budget_allows(size_t growth)
{
	size_t used = budget.lua_bytes + reel_memory_used();
	return budget.limit == 0 ||
	       (used < budget.limit && growth <= budget.limit - used);
}

/* Lua's allocator. Shrinking never fails, as Lua requires. */
static void *budget_alloc(void *ud, void *block, size_t old_size,
                          size_t new_size)
{
	(void)ud;
	if (block == NULL)
		old_size = 0; /* it tells the kind of object instead */
	if (new_size == 0) {
		free(block);
		block = NULL;
	} else if (new_size > old_size && !budget_allows(new_size - old_size)) {
		budget.refused = true;
		budget.needed = budget.lua_bytes + reel_memory_used() + new_size - old_size;
		return NULL;
	} else {
		void *moved = realloc(block, new_size);
		if (moved == NULL)
			return NULL;
		block = moved;
	}
	budget.lua_bytes = budget.lua_bytes - old_size + new_size;
	if (budget.limit != 0)
		share_budget_with_core();
	return block;
}

/* Switches the state to the budget allocator, counting what Lua holds. */
static void start_budget(lua_State *L, size_t limit)
{
	budget.limit = limit;
	budget.lua_bytes = (size_t)lua_gc(L, LUA_GCCOUNT, 0) * 1024 +
	                   (size_t)lua_gc(L, LUA_GCCOUNTB, 0);
	lua_setallocf(L, budget_alloc, NULL);
	if (budget.limit != 0)
		share_budget_with_core();
}

/* --timeout and Ctrl-C: both act through a hook, the only safe place to
** stop Lua code. A signal handler merely installs the hook. */
static lua_State *watched_state;
static volatile sig_atomic_t interrupted;
static double time_allowed;
static struct timespec deadline;
static bool time_up;

/* The backstop: a timer that ends the process BACKSTOP_GRACE seconds after
** the deadline, for code the hook cannot stop: a finalizer or an xpcall
** handler (Lua runs both with hooks off) or a long stretch of C. Exiting
** from the signal handler is the one safe thing it can do. */
#define BACKSTOP_GRACE 0.4

static timer_t backstop;
static bool backstop_made;

static void on_backstop(int signal_number)
{
	static const char message[] = PROGRAM ": time limit exceeded\n";
	ssize_t written;
	save_remove_temporary();
	written = write(STDERR_FILENO, message, sizeof message - 1);
	(void)written;
	(void)signal_number;
	_exit(EXIT_LIMIT);
}

static bool make_backstop(void)
{
	struct sigevent event;
	struct sigaction action;
	memset(&action, 0, sizeof action);
	action.sa_handler = on_backstop;
	sigemptyset(&action.sa_mask);
	memset(&event, 0, sizeof event);
	event.sigev_notify = SIGEV_SIGNAL;
	event.sigev_signo = SIGALRM;
	if (sigaction(SIGALRM, &action, NULL) != 0 ||
	    timer_create(CLOCK_MONOTONIC, &event, &backstop) != 0)
		return false;
	return (backstop_made = true);
}

/* Sets the backstop to go off `seconds` from now; 0 disarms it. */
static void set_backstop(double seconds)
{
	struct itimerspec when;
	double whole, part = modf(seconds, &whole);
	if (!backstop_made && (seconds == 0 || !make_backstop()))
		return;
	memset(&when, 0, sizeof when);
	when.it_value.tv_sec = (time_t)whole;
	when.it_value.tv_nsec = (long)(part * 1e9);
	timer_settime(backstop, 0, &when, NULL);
}

static void start_clock(void)
{
	double whole;
	double part = modf(time_allowed, &whole);
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += (time_t)whole;
	deadline.tv_nsec += (long)(part * 1e9);
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	time_up = false;
	stop_set_deadline(time_allowed);
	set_backstop(time_allowed + BACKSTOP_GRACE);
}

static bool past_deadline(void)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec != deadline.tv_sec)
		return now.tv_sec > deadline.tv_sec;
	return now.tv_nsec >= deadline.tv_nsec;
}

static void watch_hook(lua_State *L, lua_Debug *ar);

/* The hook in its resting state: a clock check every so often, or none. */
static void arm_watch(lua_State *L)
{
	if (time_allowed > 0)
		lua_sethook(L, watch_hook, LUA_MASKCOUNT, WATCH_INSTRUCTIONS);
	else
		lua_sethook(L, NULL, 0, 0);
}

static void watch_hook(lua_State *L, lua_Debug *ar)
{
	(void)ar;
	if (interrupted) {
		interrupted = 0;
		stop_forget_request();
		arm_watch(L);
		luaL_error(L, "interrupted!");
	}
	if (time_allowed > 0 && past_deadline()) {
		/* From now on every instruction raises again, so the error also
		** escapes a loop that catches it with pcall. */
		time_up = true;
		lua_sethook(L, watch_hook, LUA_MASKCOUNT, 1);
		lua_sethook(watched_state, watch_hook, LUA_MASKCOUNT, 1);
		luaL_error(L, "time limit exceeded");
	}
}

/* A signal that ends the program: a save's temporary file goes first,
** then the signal does what it does by default. */
static void on_termination(int signal_number)
{
	save_remove_temporary();
	signal(signal_number, SIG_DFL);
	raise(signal_number);
}

/* Ctrl-C: the hook stops Lua code, the core's stop request a load or a
** save; a second one ends the program at once. */
static void on_interrupt(int signal_number)
{
	signal(signal_number, on_termination);
	interrupted = 1;
	stop_request();
	lua_sethook(watched_state, watch_hook,
	            LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
}

/* xpcall's message handler runs with hooks off (Lua calls it from within
** the error), so a handler that spins would escape --timeout. Once the time
** is up the script's handler is skipped and the message passed on, and the
** next instruction raises the limit again. Upvalue: the script's handler. */
static int guarded_handler(lua_State *L)
{
	if (time_up)
		return 1;
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, 1);
	return 1;
}

static int finish_xpcall(lua_State *L, int status, lua_KContext context)
{
	(void)status;
	(void)context;
	return lua_gettop(L);
}

/* xpcall(f, handler, ...) with the handler guarded. Upvalue: Lua's xpcall.
** Called with a continuation, so it stays yieldable as xpcall is. */
static int guarded_xpcall(lua_State *L)
{
	luaL_checktype(L, 2, LUA_TFUNCTION);
	lua_pushvalue(L, 2);
	lua_pushcclosure(L, guarded_handler, 1);
	lua_replace(L, 2);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_callk(L, lua_gettop(L) - 1, LUA_MULTRET, 0, finish_xpcall);
	return finish_xpcall(L, LUA_OK, 0);
}

void run_guard_xpcall(lua_State *L)
{
	lua_getglobal(L, "xpcall");
	lua_pushcclosure(L, guarded_xpcall, 1);
	lua_setglobal(L, "xpcall");
}

/* }====== */

/* {====== Running chunks ====== */

/* Whether the error that escaped to the top was a memory error (the
** message handler sees it before the traceback is added). A memory error
** a script caught never gets here, so it cannot colour a later one. */
static bool memory_error_escaped;

/* The message of Lua's memory errors, which the binding raises for the
** core's too (lreel_fail). */
static bool is_memory_message(lua_State *L, int index)
{
	const char *message = lua_type(L, index) == LUA_TSTRING
	                      ? lua_tostring(L, index) : NULL;
	return message != NULL && strcmp(message, "not enough memory") == 0;
}

/* Adds a traceback to an error message. */
static int message_handler(lua_State *L)
{
	const char *message = lua_tostring(L, 1);
	memory_error_escaped = is_memory_message(L, 1);
	if (message == NULL) {
		if (luaL_callmeta(L, 1, "__tostring") &&
		    lua_type(L, -1) == LUA_TSTRING)
			return 1;
		message = lua_pushfstring(L, "(error object is a %s value)",
		                          luaL_typename(L, 1));
	}
	luaL_traceback(L, L, message, 1);
	return 1;
}

/* Calls the function under `narg` arguments with a traceback on error,
** Ctrl-C interrupting it. */
static int docall(lua_State *L, int narg, int nres)
{
	int status, base = lua_gettop(L) - narg;
	lua_pushcfunction(L, message_handler);
	lua_insert(L, base);
	watched_state = L;
	memory_error_escaped = false;
	budget.refused = false;
	reel_memory_forget_refusal();
	stop_forget_request();
	signal(SIGINT, on_interrupt);
	status = lua_pcall(L, narg, nres, base);
	signal(SIGINT, SIG_DFL);
	lua_remove(L, base);
	if (status == LUA_OK && time_allowed > 0 && past_deadline()) {
		/* a stop of the core's, caught: the run still went past its time */
		lua_pop(L, lua_gettop(L) - base + 1);
		lua_pushliteral(L, "time limit exceeded");
		status = LUA_ERRRUN;
	}
	return status;
}

int run_call(lua_State *L, int narg, int nres)
{
	int status;
	if (time_allowed > 0)
		start_clock();
	arm_watch(L);
	status = docall(L, narg, nres);
	run_stop_clock(); /* the prompt may wait for the user as long as it likes */
	return status;
}

/* Whether the time was up when a failure reached the top: the hook says
** so, or the core stopped at the deadline before the hook ran. */
static bool out_of_time(void)
{
	if (!time_up && time_allowed > 0 && past_deadline())
		time_up = true;
	return time_up;
}

/* Whether the memory error that reached the top was the limit's: Lua or
** the core was refused memory for it (not merely out of it). */
static bool memory_limit_hit(int status)
{
	if (budget.limit == 0)
		return false;
	if (status == LUA_ERRMEM)
		return true;
	return memory_error_escaped &&
	       (budget.refused || reel_memory_refused() != 0);
}

/* A size as --max-memory takes it: exactly ("16K", "20M"), or rounded up
** to a tenth of its unit ("95.4M") when `exact` is false. */
static void format_size(char *text, size_t size, size_t bytes, bool exact)
{
	static const char units[] = "KMG";
	double x = bytes / 1024.0;
	int unit = 0;
	if (exact && bytes % 1024 != 0) {
		snprintf(text, size, "%zu", bytes);
		return;
	}
	while (x >= 1024 && unit < 2 && (!exact || fmod(x, 1024) == 0)) {
		x /= 1024;
		unit++;
	}
	if (!exact)
		x = ceil(x * 10) / 10;
	snprintf(text, size, x == floor(x) ? "%.0f%c" : "%.1f%c", x, units[unit]);
}

/* "memory limit exceeded (...)": how much was allowed, and at least how
** much was needed when a piece of memory was refused. */
static void print_memory_limit(void)
{
	char allowed[32], wanted[32];
	size_t needed = budget.refused ? budget.needed : 0;
	if (reel_memory_refused() > needed)
		needed = reel_memory_refused();
	format_size(allowed, sizeof allowed, budget.limit, true);
	format_size(wanted, sizeof wanted, needed > budget.limit ? needed
	                                                         : budget.limit + 1, false);
	fprintf(stderr, PROGRAM ": memory limit exceeded (--max-memory %s; at least "
	        "%s was needed)\n", allowed, wanted);
}

int run_report_failure(lua_State *L, int status)
{
	const char *message = lua_tostring(L, -1);
	int code = EXIT_SCRIPT;
	if (out_of_time()) {
		code = EXIT_LIMIT;
		message = "time limit exceeded";
	} else if (memory_limit_hit(status)) {
		code = EXIT_LIMIT;
		message = NULL;
		print_memory_limit();
	} else if (message == NULL) {
		message = "(error object is not a string)";
	}
	if (message != NULL)
		fprintf(stderr, PROGRAM ": %s\n", message);
	fflush(stderr);
	lua_pop(L, 1);
	return code;
}

int run_report_load_failure(const reel_error *err)
{
	if (err->code == REEL_ERROR_MEMORY && budget.limit != 0) {
		print_memory_limit();
		return EXIT_LIMIT;
	}
	if (err->code == REEL_ERROR_STOPPED) {
		fprintf(stderr, PROGRAM ": %s\n", err->message);
		return EXIT_LIMIT;
	}
	fprintf(stderr, PROGRAM ": %s\n", err->message[0] != '\0' ? err->message
	        : "the catalogue cannot be read");
	return EXIT_DATA;
}

/* A refused precompiled chunk: say which file it was. */
static int report_load_failure(lua_State *L, int status, const char *name)
{
	sandbox_explain_refusal(L, name);
	return run_report_failure(L, status);
}

/* -l NAME: require NAME into the global NAME; -l G=NAME into G. */
static int require_library(lua_State *L, const char *word)
{
	const char *equals = strchr(word, '=');
	const char *module = equals != NULL ? equals + 1 : word;
	int status;
	lua_getglobal(L, "require");
	lua_pushstring(L, module);
	if ((status = docall(L, 1, 1)) != LUA_OK)
		return status;
	lua_pushlstring(L, word, equals != NULL ? (size_t)(equals - word)
	                                        : strlen(word));
	lua_insert(L, -2);
	lua_setglobal(L, lua_tostring(L, -2));
	lua_pop(L, 1);
	return LUA_OK;
}

/* The -e chunks and -l modules, in the order given. */
int run_expressions(lua_State *L, const cli *c)
{
	const char *word;
	option_kind kind;
	int i = 1, status;
	while ((word = options_next_chunk(c, &i, &kind)) != NULL) {
		if (kind == OPTION_LIBRARY) {
			status = require_library(L, word);
		} else {
			status = luaL_loadbufferx(L, word, strlen(word),
			                          "=(command line)", "t");
			if (status != LUA_OK)
				return report_load_failure(L, status, "(command line)");
			status = docall(L, 0, 0);
		}
		if (status != LUA_OK)
			return run_report_failure(L, status);
	}
	return EXIT_SUCCESS;
}

/* LUA_INIT_5_4, else LUA_INIT: code, or @FILE to run, as lua does. */
int run_lua_init(lua_State *L)
{
	const char *name = "=LUA_INIT_5_4", *init = getenv(name + 1);
	int status;
	if (init == NULL) {
		name = "=LUA_INIT";
		init = getenv(name + 1);
	}
	if (init == NULL)
		return EXIT_SUCCESS;
	if (init[0] == '@')
		status = luaL_loadfilex(L, init + 1, "t");
	else
		status = luaL_loadbufferx(L, init, strlen(init), name, "t");
	if (status != LUA_OK)
		return report_load_failure(L, status, init[0] == '@' ? init + 1
		                                                      : name + 1);
	status = docall(L, 0, 0);
	return status == LUA_OK ? EXIT_SUCCESS : run_report_failure(L, status);
}

/* Pushes the script's arguments, which it also sees as `...`. */
static int push_script_arguments(lua_State *L, const cli *c)
{
	int i, n = c->argc - c->script - 1;
	luaL_checkstack(L, n, "too many arguments to the script");
	for (i = 1; i <= n; i++)
		lua_pushstring(L, c->argv[c->script + i]);
	return n;
}

/* arg[0] is the file that runs, also for a bundled script's name, so a
** script can find what lies beside it. */
static void name_script(lua_State *L, const char *path)
{
	if (lua_getglobal(L, "arg") == LUA_TTABLE) {
		lua_pushstring(L, path);
		lua_rawseti(L, -2, 0);
	}
	lua_pop(L, 1);
}

/* Loads the script (a path, "-" or a bundled name) and runs it. */
int run_script(lua_State *L, const cli *c)
{
	const char *word = c->argv[c->script];
	const char *path = strcmp(word, "-") == 0 ? NULL
	                   : scripts_push_path(L, c, word);
	int status;
	if (path == NULL && strcmp(word, "-") != 0) {
		fprintf(stderr, PROGRAM ": no script named '%s' (" PROGRAM
		        " --list shows the bundled scripts)\n", word);
		return EXIT_USAGE;
	}
	if (path != NULL)
		name_script(L, path);
	status = luaL_loadfilex(L, path, "t"); /* it skips a "#!" line */
	if (status == LUA_ERRFILE) {
		fprintf(stderr, PROGRAM ": %s\n", lua_tostring(L, -1));
		return EXIT_USAGE;
	}
	if (status != LUA_OK)
		return report_load_failure(L, status, path ? path : "stdin");
	status = docall(L, push_script_arguments(L, c), 0);
	return status == LUA_OK ? EXIT_SUCCESS : run_report_failure(L, status);
}

/* Standard input as a script, when there is nothing else to run. */
int run_standard_input(lua_State *L)
{
	int status = luaL_loadfilex(L, NULL, "t");
	if (status == LUA_OK)
		status = docall(L, 0, 0);
	else if (status != LUA_ERRFILE)
		return report_load_failure(L, status, "stdin");
	return status == LUA_OK ? EXIT_SUCCESS : run_report_failure(L, status);
}


/* }====== */
void run_start_limits(lua_State *L, const cli *c)
{
	start_budget(L, c->max_memory);
	time_allowed = c->timeout;
	if (time_allowed > 0)
		start_clock(); /* from the start: loading the catalogue counts */
	signal(SIGTERM, on_termination);
	signal(SIGHUP, on_termination);
}

void run_watch(lua_State *L)
{
	arm_watch(L);
}

void run_stop_clock(void)
{
	set_backstop(0);
	stop_set_deadline(0);
}

