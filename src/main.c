/*
** main.c: the reel command line, `reel [options] [script [args...]]`.
** Parses the options, loads the catalogue as `films`, then runs the -e
** chunks, a script or the interactive prompt inside one protected call, and
** turns what happened into an exit status: 0 success, 1 script error, 2 usage
** error, 3 data error, 4 resource limit. Relies on the binding (lreel.h), the
** readers (read.h), the core's memory counter (memory.h) and Lua's libraries.
*/
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "builtin.h"
#include "lreel.h"
#include "memory.h"
#include "read.h"
#include "repl.h"
#include "table.h"

#ifndef REEL_SHAREDIR
#define REEL_SHAREDIR "/usr/local/share/reel"
#endif

#define PROGRAM "reel"
#define USAGE "usage: reel [options] [script [args...]]"

enum { EXIT_SCRIPT = 1, EXIT_USAGE = 2, EXIT_DATA = 3, EXIT_LIMIT = 4 };

/* The longest --timeout honoured (about 31 years): a longer one is the same
** as no limit, and the clock arithmetic must not overflow. */
#define MAX_SECONDS 1e9

/* How often (in Lua instructions) the --timeout clock is read. */
#define WATCH_INSTRUCTIONS 1000

/* {====== Command line ====== */

typedef enum option_kind {
	OPTION_END,
	OPTION_EXECUTE,
	OPTION_INTERACTIVE,
	OPTION_DATA,
	OPTION_COLUMN,
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

static const cli_option cli_options[] = {
	{"-e", NULL, OPTION_EXECUTE, "Lua code"},
	{"-i", NULL, OPTION_INTERACTIVE, NULL},
	{"-d", "--data", OPTION_DATA, "a file name"},
	{NULL, "--column", OPTION_COLUMN, "FIELD=SOURCE"},
	{NULL, "--seed", OPTION_SEED, "an integer"},
	{NULL, "--list", OPTION_LIST, NULL},
	{NULL, "--sandbox", OPTION_SANDBOX, NULL},
	{NULL, "--timeout", OPTION_TIMEOUT, "seconds"},
	{NULL, "--max-memory", OPTION_MAX_MEMORY, "a size such as 512M"},
	{"-h", "--help", OPTION_HELP, NULL},
	{"-v", "--version", OPTION_VERSION, NULL},
	{NULL, NULL, OPTION_END, NULL}
};

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
	bool list;
	bool sandbox;
	bool has_seed;
	uint64_t seed;
	const char *data;     /* --data, else REEL_DATA, else NULL: built-in */
	double timeout;       /* seconds; 0 when unlimited */
	size_t max_memory;    /* bytes; 0 when unlimited */
	folder_list scripts;
	int status;           /* the exit status pmain settled on */
} cli;

static const char help_text[] =
	USAGE "\n"
	"Query a film catalogue with Lua " LUA_VERSION_MAJOR "." LUA_VERSION_MINOR
	"; the catalogue is the table `films`.\n"
	"\n"
	"  script                 a file, '-' for standard input, or the name\n"
	"                         of a bundled script (see --list)\n"
	"  -e CODE                run CODE before the script (repeatable)\n"
	"  -i                     enter the prompt after the script and -e\n"
	"  -d, --data FILE        load FILE (CSV, TSV, JSON, .gz) as films\n"
	"  --column FIELD=SOURCE  let film field FIELD stand for column SOURCE\n"
	"  --seed N               seed the random generator (repeatable picks)\n"
	"  --list                 list the bundled scripts\n"
	"  --sandbox              only safe libraries, no file access\n"
	"  --timeout SECONDS      stop a run that takes longer (exit status 4)\n"
	"  --max-memory SIZE      cap memory, e.g. 512M or 2G (exit status 4)\n"
	"  -h, --help             show this help\n"
	"  -v, --version          show the version\n"
	"  --                     stop handling options\n"
	"\n"
	"With no script and no -e, a terminal gets the prompt and anything else\n"
	"on standard input runs as a script. Environment: REEL_DATA (the default\n"
	"--data), REEL_PATH (folders of scripts). See reel(1).\n";

static int usage_error(const char *format, ...)
{
	va_list rest;
	va_start(rest, format);
	fputs(PROGRAM ": ", stderr);
	vfprintf(stderr, format, rest);
	fputs("\n" USAGE "\n", stderr);
	va_end(rest);
	return EXIT_USAGE;
}

/* The argument glued to an option word ("-eCODE", "--data=FILE"), or NULL. */
static const char *attached_value(const cli_option *o, const char *word)
{
	size_t n;
	if (o->short_name != NULL && strncmp(word, o->short_name, 2) == 0 &&
	    word[2] != '\0')
		return word + 2;
	if (o->long_name == NULL)
		return NULL;
	n = strlen(o->long_name);
	if (strncmp(word, o->long_name, n) == 0 && word[n] == '=')
		return word + n + 1;
	return NULL;
}

/* The option that `word` names, or NULL; *attached gets its glued argument. */
static const cli_option *find_option(const char *word, const char **attached)
{
	const cli_option *o;
	for (o = cli_options; o->kind != OPTION_END; o++) {
		*attached = NULL;
		if ((o->short_name != NULL && strcmp(word, o->short_name) == 0) ||
		    (o->long_name != NULL && strcmp(word, o->long_name) == 0))
			return o;
		if (o->argument != NULL &&
		    (*attached = attached_value(o, word)) != NULL)
			return o;
	}
	return NULL;
}

static bool parse_seed(const char *text, uint64_t *seed)
{
	char *end;
	long long n;
	errno = 0;
	n = strtoll(text, &end, 10);
	if (end == text || *end != '\0' || errno == ERANGE)
		return false;
	*seed = (uint64_t)n;
	return true;
}

static bool parse_seconds(const char *text, double *seconds)
{
	char *end;
	double s = strtod(text, &end);
	if (end == text || *end != '\0' || !isfinite(s) || s <= 0)
		return false;
	*seconds = s < MAX_SECONDS ? s : MAX_SECONDS; /* clocks stay in range */
	return true;
}

/* A size in bytes, with an optional K, M or G (powers of 1024). */
static bool parse_size(const char *text, size_t *bytes)
{
	char *end;
	unsigned long long n, scale = 1;
	if (*text < '0' || *text > '9')
		return false;
	errno = 0;
	n = strtoull(text, &end, 10);
	switch (*end) {
	case 'k': case 'K': scale = 1ULL << 10; end++; break;
	case 'm': case 'M': scale = 1ULL << 20; end++; break;
	case 'g': case 'G': scale = 1ULL << 30; end++; break;
	default: break;
	}
	if (*end != '\0' || errno == ERANGE || n == 0 || n > SIZE_MAX / scale)
		return false;
	*bytes = (size_t)(n * scale);
	return true;
}

/* FIELD=SOURCE with both sides present. */
static bool is_column_mapping(const char *text)
{
	const char *equals = strchr(text, '=');
	return equals != NULL && equals != text && equals[1] != '\0';
}

/* Checks and records an option's argument: false when it is malformed. */
static bool take_argument(cli *c, option_kind kind, const char *argument)
{
	switch (kind) {
	case OPTION_EXECUTE: c->has_expression = true; return true;
	case OPTION_DATA: c->data = argument; return *argument != '\0';
	case OPTION_COLUMN: return is_column_mapping(argument);
	case OPTION_SEED: return (c->has_seed = parse_seed(argument, &c->seed));
	case OPTION_TIMEOUT: return parse_seconds(argument, &c->timeout);
	case OPTION_MAX_MEMORY: return parse_size(argument, &c->max_memory);
	default: return true;
	}
}

/* Records an option without an argument. Returns -1 to go on, or the exit
** status to stop with. */
static int take_flag(cli *c, option_kind kind)
{
	switch (kind) {
	case OPTION_INTERACTIVE: c->interactive = true; break;
	case OPTION_LIST: c->list = true; break;
	case OPTION_SANDBOX: c->sandbox = true; break;
	case OPTION_HELP: fputs(help_text, stdout); return EXIT_SUCCESS;
	case OPTION_VERSION:
		puts(PROGRAM " " REEL_VERSION " (" LUA_VERSION ")");
		return EXIT_SUCCESS;
	default: break;
	}
	return -1;
}

/* Records one option. Returns -1 to go on, or the exit status to stop with. */
static int take_option(cli *c, const cli_option *o, const char *argument)
{
	if (o->argument == NULL)
		return take_flag(c, o->kind);
	if (take_argument(c, o->kind, argument))
		return -1;
	return usage_error("bad %s '%s' (%s expected)",
	                   o->long_name ? o->long_name : o->short_name, argument,
	                   o->argument);
}

/* Options come first; the first word that is not one is the script, and
** everything after it belongs to the script. Returns -1 to go on, or an
** exit status (help, version, usage error). */
static int parse_command_line(cli *c)
{
	int i;
	for (i = 1; i < c->argc; i++) {
		const char *word = c->argv[i], *argument;
		const cli_option *o;
		int status;
		if (word[0] != '-' || word[1] == '\0' || strcmp(word, "--") == 0)
			break;
		if ((o = find_option(word, &argument)) == NULL)
			return usage_error("unknown option '%s'", word);
		if (o->argument != NULL && argument == NULL) {
			if (i + 1 >= c->argc)
				return usage_error("option '%s' needs an argument", word);
			argument = c->argv[++i];
		}
		if ((status = take_option(c, o, argument)) >= 0)
			return status;
	}
	c->options_end = i;
	if (i < c->argc && strcmp(c->argv[i], "--") == 0)
		i++;
	c->script = i < c->argc ? i : 0;
	return -1;
}

/* The argument of the next option of `kind` from argv[*i] on, or NULL. The
** options were checked by parse_command_line, so every word is known. */
static const char *next_value_of(const cli *c, int *i, option_kind kind)
{
	while (*i < c->options_end) {
		const char *argument;
		const cli_option *o = find_option(c->argv[(*i)++], &argument);
		if (o->argument != NULL && argument == NULL)
			argument = c->argv[(*i)++];
		if (o->kind == kind)
			return argument;
	}
	return NULL;
}

/* }====== */

/* {====== Script folders ====== */

/* Appends `length` bytes of `folder` followed by `suffix`. 0, or -1 when
** memory runs out. */
static int folder_list_add(folder_list *l, const char *folder, size_t length,
                           const char *suffix)
{
	char **grown = realloc(l->folders, (l->count + 1) * sizeof *grown);
	char *path;
	if (grown == NULL)
		return -1;
	l->folders = grown;
	path = malloc(length + strlen(suffix) + 1);
	if (path == NULL)
		return -1;
	memcpy(path, folder, length);
	strcpy(path + length, suffix);
	l->folders[l->count++] = path;
	return 0;
}

static void folder_list_free(folder_list *l)
{
	size_t i;
	for (i = 0; i < l->count; i++)
		free(l->folders[i]);
	free(l->folders);
	l->folders = NULL;
	l->count = 0;
}

/* The folder holding this executable, so that ./reel finds the checkout's
** scripts from any working folder. Empty when /proc cannot tell. */
static size_t executable_folder(char *buffer, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", buffer, size - 1);
	char *slash;
	if (n <= 0)
		return 0;
	buffer[n] = '\0';
	slash = strrchr(buffer, '/');
	return slash == NULL ? 0 : (size_t)(slash - buffer);
}

/* REEL_PATH's folders, then <executable's folder>/scripts, then the
** installed share folder. 0, or -1 when memory runs out. */
static int collect_script_folders(folder_list *l)
{
	const char *path = getenv("REEL_PATH");
	char exe[PATH_MAX];
	size_t n;
	while (path != NULL && *path != '\0') {
		n = strcspn(path, ":");
		if (n > 0 && folder_list_add(l, path, n, "") != 0)
			return -1;
		path += n + (path[n] == ':');
	}
	if ((n = executable_folder(exe, sizeof exe)) > 0 &&
	    folder_list_add(l, exe, n, "/scripts") != 0)
		return -1;
	return folder_list_add(l, REEL_SHAREDIR, strlen(REEL_SHAREDIR),
	                       "/scripts");
}

static bool is_regular_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool ends_with(const char *text, const char *suffix)
{
	size_t n = strlen(text), m = strlen(suffix);
	return n >= m && strcmp(text + n - m, suffix) == 0;
}

/* Whether the script word is a path rather than a bundled script's name. */
static bool is_script_path(const char *word)
{
	struct stat st;
	if (strchr(word, '/') != NULL || ends_with(word, ".lua"))
		return true;
	return stat(word, &st) == 0 && !S_ISDIR(st.st_mode);
}

/* Pushes the file to run for the script word, or returns NULL (nothing
** pushed) when it names no bundled script. */
static const char *push_script_path(lua_State *L, const cli *c,
                                    const char *word)
{
	size_t i;
	if (is_script_path(word))
		return lua_pushstring(L, word);
	for (i = 0; i < c->scripts.count; i++) {
		const char *path = lua_pushfstring(L, "%s/%s.lua",
		                                   c->scripts.folders[i], word);
		if (is_regular_file(path))
			return path;
		lua_pop(L, 1);
	}
	return NULL;
}

/* Puts <folder>/lib/?.lua of every script folder before package.path, so
** the bundled scripts can require their shared modules. */
static void add_script_libraries(lua_State *L, const cli *c)
{
	size_t i;
	luaL_checkstack(L, (int)c->scripts.count + 3, "too many script folders");
	lua_getglobal(L, "package");
	for (i = 0; i < c->scripts.count; i++)
		lua_pushfstring(L, "%s/lib/?.lua;", c->scripts.folders[i]);
	lua_getfield(L, -1 - (int)c->scripts.count, "path");
	lua_concat(L, (int)c->scripts.count + 1);
	lua_setfield(L, -2, "path");
	lua_pop(L, 1);
}

/* }====== */

/* {====== --list ====== */

typedef struct script_entry {
	char *name;
	char *summary;
} script_entry;

typedef struct script_list {
	script_entry *entries;
	size_t count;
} script_list;

/* The text of a script's first comment line, without "-- ": what it does.
** A "#!" line and blank lines before it are skipped. NULL when out of
** memory; "" when the script has no such line. */
static char *read_summary(const char *path)
{
	char line[512];
	const char *text = "";
	FILE *f = fopen(path, "r");
	while (f != NULL && fgets(line, sizeof line, f) != NULL) {
		char *start = line + strspn(line, " \t");
		start[strcspn(start, "\r\n")] = '\0';
		if (*start == '\0' || strncmp(start, "#!", 2) == 0)
			continue;
		if (strncmp(start, "--", 2) == 0)
			text = start + 2 + strspn(start + 2, " \t");
		break;
	}
	if (f != NULL)
		fclose(f);
	return strdup(text);
}

static bool script_listed(const script_list *s, const char *name, size_t n)
{
	size_t i;
	for (i = 0; i < s->count; i++)
		if (strlen(s->entries[i].name) == n &&
		    strncmp(s->entries[i].name, name, n) == 0)
			return true;
	return false;
}

/* Adds the script `file` of `folder` (first one found wins). 0, or -1 when
** out of memory. */
static int add_script(script_list *s, const char *folder, const char *file)
{
	size_t n = strlen(file) - strlen(".lua");
	script_entry *grown;
	char *path, *name = NULL, *summary = NULL;
	if (script_listed(s, file, n))
		return 0;
	if ((path = malloc(strlen(folder) + strlen(file) + 2)) == NULL)
		return -1;
	sprintf(path, "%s/%s", folder, file);
	if (!is_regular_file(path)) {
		free(path);
		return 0;
	}
	grown = realloc(s->entries, (s->count + 1) * sizeof *grown);
	if (grown != NULL) {
		s->entries = grown;
		name = strndup(file, n);
		summary = name == NULL ? NULL : read_summary(path);
	}
	free(path);
	if (summary == NULL) {
		free(name);
		return -1;
	}
	s->entries[s->count].name = name;
	s->entries[s->count++].summary = summary;
	return 0;
}

static int gather_scripts(script_list *s, const char *folder)
{
	struct dirent *entry;
	int status = 0;
	DIR *dir = opendir(folder);
	if (dir == NULL)
		return 0; /* a folder that does not exist holds no scripts */
	while (status == 0 && (entry = readdir(dir)) != NULL)
		if (strlen(entry->d_name) > strlen(".lua") &&
		    ends_with(entry->d_name, ".lua"))
			status = add_script(s, folder, entry->d_name);
	closedir(dir);
	return status;
}

static int compare_scripts(const void *a, const void *b)
{
	return strcmp(((const script_entry *)a)->name,
	              ((const script_entry *)b)->name);
}

static void print_scripts(const script_list *s)
{
	size_t i, width = 0;
	for (i = 0; i < s->count; i++)
		if (strlen(s->entries[i].name) > width)
			width = strlen(s->entries[i].name);
	for (i = 0; i < s->count; i++) {
		const script_entry *e = &s->entries[i];
		if (*e->summary == '\0')
			printf("%s\n", e->name);
		else
			printf("%-*s  %s\n", (int)width, e->name, e->summary);
	}
}

static int list_scripts(const folder_list *folders)
{
	script_list s = {NULL, 0};
	size_t i;
	int status = 0;
	for (i = 0; i < folders->count && status == 0; i++)
		status = gather_scripts(&s, folders->folders[i]);
	if (status == 0) {
		qsort(s.entries, s.count, sizeof *s.entries, compare_scripts);
		print_scripts(&s);
	} else {
		fputs(PROGRAM ": not enough memory\n", stderr);
	}
	for (i = 0; i < s.count; i++) {
		free(s.entries[i].name);
		free(s.entries[i].summary);
	}
	free(s.entries);
	return status == 0 ? EXIT_SUCCESS : EXIT_SCRIPT;
}

/* }====== */

/* {====== Limits ====== */

/* --max-memory: Lua's bytes and the core's together stay under the limit. */
typedef struct memory_budget {
	size_t limit;     /* 0: unlimited */
	size_t lua_bytes; /* what Lua holds now */
	bool refused;     /* an allocation was refused for the limit */
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
	ssize_t written = write(STDERR_FILENO, message, sizeof message - 1);
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

/* Ctrl-C: a second one ends the program at once. */
static void on_interrupt(int signal_number)
{
	signal(signal_number, SIG_DFL);
	interrupted = 1;
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

static void guard_xpcall(lua_State *L)
{
	lua_getglobal(L, "xpcall");
	lua_pushcclosure(L, guarded_xpcall, 1);
	lua_setglobal(L, "xpcall");
}

/* }====== */

/* {====== Running chunks ====== */

/* Adds a traceback to an error message. */
static int message_handler(lua_State *L)
{
	const char *message = lua_tostring(L, 1);
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

/* Calls the function under `narg` arguments, Ctrl-C interrupting it. */
static int docall(lua_State *L, int narg, int nres)
{
	int status, base = lua_gettop(L) - narg;
	lua_pushcfunction(L, message_handler);
	lua_insert(L, base);
	watched_state = L;
	signal(SIGINT, on_interrupt);
	status = lua_pcall(L, narg, nres, base);
	signal(SIGINT, SIG_DFL);
	lua_remove(L, base);
	return status;
}

int cli_call(lua_State *L, int narg, int nres)
{
	int status;
	if (time_allowed > 0)
		start_clock();
	arm_watch(L);
	status = docall(L, narg, nres);
	set_backstop(0); /* the prompt may wait for the user as long as it likes */
	return status;
}

static bool mentions_memory(const char *message)
{
	return message != NULL &&
	       (strstr(message, "not enough memory") != NULL ||
	        strstr(message, "out of memory") != NULL);
}

/* Whether a failure with this status and message came from a limit. */
static bool hit_limit(int status, const char *message)
{
	if (time_up)
		return true;
	if (budget.limit == 0)
		return false;
	return status == LUA_ERRMEM || budget.refused || mentions_memory(message);
}

/* Prints the error on top of the stack, pops it, and returns the exit
** status it calls for. */
static int report_failure(lua_State *L, int status)
{
	const char *message = lua_tostring(L, -1);
	int code = hit_limit(status, message) ? EXIT_LIMIT : EXIT_SCRIPT;
	if (code == EXIT_LIMIT)
		message = time_up ? "time limit exceeded"
		                  : "memory limit exceeded";
	else if (message == NULL)
		message = "(error object is not a string)";
	fprintf(stderr, PROGRAM ": %s\n", message);
	fflush(stderr);
	lua_pop(L, 1);
	return code;
}

static void explain_refusal(lua_State *L, const char *name);

/* A refused precompiled chunk: say which file it was. */
static int report_load_failure(lua_State *L, int status, const char *name)
{
	explain_refusal(L, name);
	return report_failure(L, status);
}

static int run_expressions(lua_State *L, const cli *c)
{
	const char *code;
	int i = 1;
	while ((code = next_value_of(c, &i, OPTION_EXECUTE)) != NULL) {
		int status = luaL_loadbufferx(L, code, strlen(code),
		                              "=(command line)", "t");
		if (status != LUA_OK)
			return report_load_failure(L, status, "(command line)");
		if ((status = docall(L, 0, 0)) != LUA_OK)
			return report_failure(L, status);
	}
	return EXIT_SUCCESS;
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
static int run_script(lua_State *L, const cli *c)
{
	const char *word = c->argv[c->script];
	const char *path = strcmp(word, "-") == 0 ? NULL
	                   : push_script_path(L, c, word);
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
	return status == LUA_OK ? EXIT_SUCCESS : report_failure(L, status);
}

/* Standard input as a script, when there is nothing else to run. */
static int run_standard_input(lua_State *L)
{
	int status = luaL_loadfilex(L, NULL, "t");
	if (status == LUA_OK)
		status = docall(L, 0, 0);
	else if (status != LUA_ERRFILE)
		return report_load_failure(L, status, "stdin");
	return status == LUA_OK ? EXIT_SUCCESS : report_failure(L, status);
}

/* The banner is the REPL's (repl_catalogue names the catalogue for it). */
static int start_repl(lua_State *L)
{
	return repl_run(L);
}

/* }====== */

/* {====== Catalogue ====== */

static table *read_builtin_films(char *err)
{
	table *t = read_csv((const char *)reel_films_csv, reel_films_csv_size,
	                    "films.csv", ',', err);
	if (t != NULL && table_resolve_film_names(t) != 0) {
		table_free(t);
		snprintf(err, REEL_ERROR_MAX, "films.csv: out of memory");
		return NULL;
	}
	return t;
}

/* Applies one --column FIELD=SOURCE. 0, or -1 with err filled. */
static int map_column(table *t, const char *name, const char *mapping,
                      char *err)
{
	const char *source = strchr(mapping, '=') + 1;
	const char *close;
	char *field = strndup(mapping, (size_t)(source - 1 - mapping));
	int status = field == NULL ? -1 : table_set_alias(t, field, source);
	free(field);
	if (status == 0)
		return 0;
	if (table_column_index(t, source) >= 0)
		snprintf(err, REEL_ERROR_MAX, "--column %s: out of memory", mapping);
	else if ((close = table_closest_column(t, source)) != NULL)
		snprintf(err, REEL_ERROR_MAX, "--column %s: %s has no column '%s' "
		         "(did you mean '%s'?)", mapping, name, source, close);
	else
		snprintf(err, REEL_ERROR_MAX, "--column %s: %s has no column '%s'",
		         mapping, name, source);
	return -1;
}

static int map_columns(const cli *c, table *t, const char *name, char *err)
{
	const char *mapping;
	int i = 1;
	while ((mapping = next_value_of(c, &i, OPTION_COLUMN)) != NULL)
		if (map_column(t, name, mapping, err) != 0)
			return -1;
	return 0;
}

/* Sets the global `films`. Returns 0, or the exit status of a failure. */
static int load_films(lua_State *L, const cli *c)
{
	char err[REEL_ERROR_MAX] = "";
	read_options options = {CATALOGUE_DETECT, '\0'};
	const char *name = c->data != NULL ? c->data : "films.csv";
	table *t = c->data != NULL ? read_catalogue(c->data, &options, err)
	                           : read_builtin_films(err);
	if (t != NULL && map_columns(c, t, name, err) != 0) {
		table_free(t);
		t = NULL;
	}
	if (t == NULL) {
		bool limit = budget.limit != 0 && mentions_memory(err);
		fprintf(stderr, PROGRAM ": %s\n",
		        limit ? "memory limit exceeded" : err);
		return limit ? EXIT_LIMIT : EXIT_DATA;
	}
	lreel_push_table(L, t); /* it owns t now */
	repl_catalogue = c->data;
	lua_setglobal(L, "films");
	return 0;
}

/* }====== */

/* {====== Source text only ====== */

/* A precompiled chunk skips the compiler's checks, and a crafted one can
** break the virtual machine, so every way reel loads code (scripts, -e,
** load, loadfile, dofile, require) takes source text only. */

#define REFUSAL \
	"precompiled binary chunk refused (reel runs Lua source text only)"

/* Turns Lua's "attempt to load a binary chunk" on top of the stack into a
** message that says what happened, naming the file when there is one. */
static void explain_refusal(lua_State *L, const char *name)
{
	const char *message = lua_tostring(L, -1);
	if (message == NULL ||
	    strncmp(message, "attempt to load a binary chunk", 30) != 0)
		return;
	if (name != NULL)
		lua_pushfstring(L, "%s: " REFUSAL, name);
	else
		lua_pushliteral(L, REFUSAL);
	lua_remove(L, -2);
}

/* What load and loadfile return: the function (its first upvalue set to
** the env at index `env`, when there is one), or fail and the message. */
static int finish_load(lua_State *L, int status, int env, const char *name)
{
	if (status != LUA_OK) {
		explain_refusal(L, name);
		luaL_pushfail(L);
		lua_insert(L, -2);
		return 2;
	}
	if (env != 0) {
		lua_pushvalue(L, env);
		if (lua_setupvalue(L, -2, 1) == NULL)
			lua_pop(L, 1);
	}
	return 1;
}

/* load's reader for a chunk given as a function (at index 1): each piece
** is kept at index 5 while the compiler reads it. */
static const char *read_pieces(lua_State *L, void *unused, size_t *size)
{
	(void)unused;
	luaL_checkstack(L, 2, "too many nested functions");
	lua_pushvalue(L, 1);
	lua_call(L, 0, 1);
	if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		*size = 0;
		return NULL;
	}
	if (!lua_isstring(L, -1))
		luaL_error(L, "reader function must return a string");
	lua_replace(L, 5);
	return lua_tolstring(L, 5, size);
}

/* load(chunk [, name [, mode [, env]]]), text only whatever the mode says.
** Written anew rather than wrapping Lua's load, so that not even the debug
** library (outside --sandbox) can reach a loader that takes bytecode. */
static int text_load(lua_State *L)
{
	size_t length;
	const char *text = lua_tolstring(L, 1, &length);
	int status, env = !lua_isnone(L, 4) ? 4 : 0;
	if (text != NULL) {
		status = luaL_loadbufferx(L, text, length, luaL_optstring(L, 2, text),
		                          "t");
	} else {
		const char *name = luaL_optstring(L, 2, "=(load)");
		luaL_checktype(L, 1, LUA_TFUNCTION);
		lua_settop(L, 5);
		status = lua_load(L, read_pieces, NULL, name, "t");
	}
	return finish_load(L, status, env, NULL);
}

/* loadfile(name [, mode [, env]]), text only whatever the mode says. */
static int text_loadfile(lua_State *L)
{
	const char *name = luaL_optstring(L, 1, NULL);
	int env = !lua_isnone(L, 3) ? 3 : 0;
	int status = luaL_loadfilex(L, name, "t");
	return finish_load(L, status, env, name != NULL ? name : "stdin");
}

/* dofile(name), text only. */
static int text_dofile(lua_State *L)
{
	const char *name = luaL_optstring(L, 1, NULL);
	lua_settop(L, 1);
	if (luaL_loadfilex(L, name, "t") != LUA_OK) {
		explain_refusal(L, name != NULL ? name : "stdin");
		return lua_error(L);
	}
	lua_call(L, 0, LUA_MULTRET);
	return lua_gettop(L) - 1;
}

/* Pushes the path require searches: upvalue 2 is either a fixed path (the
** sandbox's) or the package table, whose path a script may change. */
static void push_module_path(lua_State *L)
{
	if (lua_type(L, lua_upvalueindex(2)) == LUA_TSTRING)
		lua_pushvalue(L, lua_upvalueindex(2));
	else if (lua_getfield(L, lua_upvalueindex(2), "path") != LUA_TSTRING)
		luaL_error(L, "'package.path' must be a string");
}

/* require's searcher for Lua files, as Lua's own but for text only.
** Upvalues: package.searchpath and the path (see push_module_path). */
static int text_searcher(lua_State *L)
{
	const char *name = luaL_checkstring(L, 1);
	lua_settop(L, 1);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_pushvalue(L, 1);
	push_module_path(L);
	lua_call(L, 2, 2);
	if (lua_isnil(L, 2))
		return 1; /* the files it tried, for require's message */
	if (luaL_loadfilex(L, lua_tostring(L, 2), "t") != LUA_OK) {
		explain_refusal(L, NULL);
		return luaL_error(L, "error loading module '%s' from file '%s':\n\t%s",
		                  name, lua_tostring(L, 2), lua_tostring(L, -1));
	}
	lua_pushvalue(L, 2);
	return 2;
}

/* Puts the text searcher in package.searchers[2]; the top of the stack is
** what it reads the path from (see push_module_path), and is popped. */
static void set_text_searcher(lua_State *L)
{
	lua_getglobal(L, "package");
	lua_getfield(L, -1, "searchers");
	lua_getfield(L, -2, "searchpath");
	lua_pushvalue(L, -4);
	lua_pushcclosure(L, text_searcher, 2);
	lua_rawseti(L, -2, 2);
	lua_pop(L, 3);
}

static void use_source_text_only(lua_State *L)
{
	lua_pushcfunction(L, text_load);
	lua_setglobal(L, "load");
	lua_pushcfunction(L, text_loadfile);
	lua_setglobal(L, "loadfile");
	lua_pushcfunction(L, text_dofile);
	lua_setglobal(L, "dofile");
	lua_getglobal(L, "package");
	set_text_searcher(L);
}

/* }====== */

/* {====== Sandbox ====== */

/* What --sandbox takes away: every way to reach files, processes or native
** code beyond the catalogue already loaded. require stays, for the bundled
** scripts' modules, but finds only the script folders' lib/ files, as
** text, and no C modules. */
static const char *const unsafe_globals[] = {
	"dofile", "loadfile", "io", "debug", "package", NULL
};
/* os keeps only the clock and the calendar, and exit (see sandbox_exit). */
static const luaL_Reg safe_os[] = {
	{"clock", NULL}, {"time", NULL}, {"date", NULL}, {NULL, NULL}
};
/* The metatables a script could otherwise reach with getmetatable. */
static const char *const guarded_types[] = {
	REEL_TABLE, REEL_QUERY, REEL_FILM, NULL
};

static void remove_fields(lua_State *L, int index, const char *const *names)
{
	index = lua_absindex(L, index);
	for (; *names != NULL; names++) {
		lua_pushnil(L);
		lua_setfield(L, index, *names);
	}
}

/* Pushes the path of the script folders' lib/ modules. */
static void push_library_path(lua_State *L, const cli *c)
{
	size_t i;
	for (i = 0; i < c->scripts.count; i++)
		lua_pushfstring(L, "%s%s/lib/?.lua", i > 0 ? ";" : "",
		                c->scripts.folders[i]);
	lua_concat(L, (int)c->scripts.count);
}

/* require() keeps the modules already loaded and the scripts' own, no C
** code; the package library itself is out of reach. */
static void close_package_library(lua_State *L, const cli *c)
{
	static const char *const unsafe_package[] = {"loadlib", "cpath", NULL};
	lua_getglobal(L, "package");
	remove_fields(L, -1, unsafe_package);
	push_library_path(L, c);
	lua_pushvalue(L, -1);
	lua_setfield(L, -3, "path");
	set_text_searcher(L);
	lua_getfield(L, -1, "searchers");
	lua_pushnil(L);
	lua_rawseti(L, -2, 4); /* all-in-one C loader */
	lua_pushnil(L);
	lua_rawseti(L, -2, 3); /* C loader */
	lua_getfield(L, -2, "loaded");
	remove_fields(L, -1, unsafe_globals);
	lua_pop(L, 3);
}

/* os.exit(status) as Lua has it, but always closing the state first, so
** the finalizers run (under the --timeout backstop) before reel ends. The
** bundled scripts end with it (their --help, their usage errors). Upvalue:
** Lua's os.exit. */
static int sandbox_exit(lua_State *L)
{
	lua_settop(L, 1);
	lua_pushboolean(L, 1);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, 2, 0);
	return 0;
}

/* A fresh os table with the safe functions only, as os and as
** package.loaded.os, so require("os") gives no more. */
static void narrow_os(lua_State *L)
{
	const luaL_Reg *r;
	lua_getglobal(L, "os");
	lua_createtable(L, 0, 4);
	for (r = safe_os; r->name != NULL; r++) {
		lua_getfield(L, -2, r->name);
		lua_setfield(L, -2, r->name);
	}
	lua_getfield(L, -2, "exit");
	lua_pushcclosure(L, sandbox_exit, 1);
	lua_setfield(L, -2, "exit");
	lua_pushvalue(L, -1);
	lua_setglobal(L, "os");
	lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
	lua_insert(L, -2);
	lua_setfield(L, -2, "os");
	lua_pop(L, 2);
}

/* getmetatable gives false for strings and reel's userdata, so a script
** cannot rewire what every string or every film does. */
static void guard_metatables(lua_State *L)
{
	const char *const *name;
	lua_pushliteral(L, "");
	lua_getmetatable(L, -1);
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	lua_pop(L, 2);
	for (name = guarded_types; *name != NULL; name++) {
		if (luaL_getmetatable(L, *name) == LUA_TTABLE) {
			lua_pushboolean(L, 0);
			lua_setfield(L, -2, "__metatable");
		}
		lua_pop(L, 1);
	}
}

static void enter_sandbox(lua_State *L, const cli *c)
{
	luaL_checkstack(L, (int)c->scripts.count + 4, "too many script folders");
	close_package_library(L, c);
	lua_pushglobaltable(L);
	remove_fields(L, -1, unsafe_globals);
	lua_getfield(L, -1, "reel");
	lua_pushnil(L);
	lua_setfield(L, -2, "load"); /* other catalogues are other files */
	lua_pop(L, 2);
	lreel_forbid_files(L); /* q:save */
	narrow_os(L);
	guard_metatables(L);
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

static void open_reel(lua_State *L, const cli *c)
{
	luaL_requiref(L, "reel", luaopen_reel, 1);
	lua_pop(L, 1);
	if (c->has_seed)
		lreel_seed(L, c->seed);
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
		set_backstop(0); /* each line at the prompt gets its own clock */
		return start_repl(L);
	}
	if (c->script == 0 && !c->has_expression)
		return run_standard_input(L);
	return EXIT_SUCCESS;
}

static int pmain(lua_State *L)
{
	cli *c = lua_touserdata(L, 1);
	luaL_checkversion(L);
	luaL_openlibs(L);
	use_source_text_only(L);
	guard_xpcall(L);
	open_reel(L, c);
	add_script_libraries(L, c);
	if ((c->status = load_films(L, c)) != 0)
		return 0;
	create_arg_table(L, c);
	if (c->sandbox)
		enter_sandbox(L, c);
	if (time_allowed > 0)
		start_clock();
	arm_watch(L);
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
	start_budget(L, c->max_memory);
	time_allowed = c->timeout;
	lua_pushcfunction(L, pmain);
	lua_pushlightuserdata(L, c);
	status = lua_pcall(L, 1, 0, 0);
	if (status != LUA_OK)
		c->status = report_failure(L, status);
	lua_close(L); /* finalizers run: the backstop still watches them */
	set_backstop(0);
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

int main(int argc, char **argv)
{
	cli c;
	int status;
	memset(&c, 0, sizeof c);
	c.argc = argc;
	c.argv = argv;
	if ((status = parse_command_line(&c)) >= 0)
		return finish_output(status);
	if (c.data == NULL && getenv("REEL_DATA") != NULL &&
	    *getenv("REEL_DATA") != '\0')
		c.data = getenv("REEL_DATA");
	if (collect_script_folders(&c.scripts) != 0) {
		fputs(PROGRAM ": not enough memory\n", stderr);
		status = EXIT_SCRIPT;
	} else {
		status = c.list ? list_scripts(&c.scripts) : run_in_lua(&c);
	}
	folder_list_free(&c.scripts);
	return finish_output(status);
}

/* }====== */
