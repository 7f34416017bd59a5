/*
** options.c: the command line's options (see cli.h): the table of them,
** --help's text, and parsing with checks of each argument, so a bad one is
** a usage error (exit 2) naming it. Relies on the C library only.
*/
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lua.h>

#include "cli/cli.h"
#include "core/format.h"
#include "core/read.h"
#include "lua/lreel.h"

/* The longest --timeout honoured (about 31 years): a longer one is the same
** as no limit, and the clock arithmetic must not overflow. */
#define MAX_SECONDS 1e9

/* {====== Command line ====== */

static const cli_option cli_options[] = {
	{"-e", NULL, OPTION_EXECUTE, "Lua code"},
	{"-l", NULL, OPTION_LIBRARY, "a module name"},
	{"-i", NULL, OPTION_INTERACTIVE, NULL},
	{"-E", NULL, OPTION_NO_ENVIRONMENT, NULL},
	{"-d", "--data", OPTION_DATA, "a file name"},
	{"-o", "--output", OPTION_OUTPUT, "a format"},
	{NULL, "--encoding", OPTION_ENCODING, "utf-8, latin1, cp1252 or utf-16"},
	{NULL, "--nulls", OPTION_NULLS, "a comma-separated list"},
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

static const char help_text[] =
	USAGE "\n"
	"Query a film catalogue with Lua " LUA_VERSION_MAJOR "." LUA_VERSION_MINOR
	"; the catalogue is the table `films`.\n"
	"\n"
	"  script                 a file, '-' for standard input, or the name\n"
	"                         of a bundled script (see --list)\n"
	"  -e CODE                run CODE before the script (repeatable)\n"
	"  -l NAME                require module NAME into the global NAME\n"
	"                         (-l G=NAME: into the global G)\n"
	"  -i                     enter the prompt after the script and -e\n"
	"  -E                     ignore LUA_INIT, LUA_PATH and LUA_CPATH\n"
	"  -d, --data FILE        load FILE (CSV, TSV, JSON, .gz) as films\n"
	"  -o, --output FORMAT    how queries print: table, csv, tsv, json,\n"
	"                         jsonl or markdown\n"
	"  --encoding NAME        FILE's encoding: utf-8 (the default), latin1,\n"
	"                         cp1252 or utf-16\n"
	"  --nulls LIST           the cells of FILE read as null, comma-separated\n"
	"                         (default \\N,NULL,NA,N/A; \\N in any column, the\n"
	"                         others where the rest of the column is typed)\n"
	"  --column FIELD=SOURCE  let film field FIELD stand for column SOURCE\n"
	"  --seed N               seed reel's picks and math.random (repeatable)\n"
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
	"--data), REEL_PATH (folders of scripts), LUA_INIT (code or @file run\n"
	"first), PAGER (long results at the prompt). See reel(1).\n";

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

/* -o: one of the formats queries print in; else the list of them. */
static int take_output(cli *c, const char *name)
{
	int kind = format_kind_from_name(name);
	if (kind >= 0 && format_is_output(kind)) {
		c->output = kind;
		return -1;
	}
	return usage_error("unknown output format '%s' (valid: %s)", name,
	                   format_names_list(true));
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
	case OPTION_LIBRARY: return *argument != '\0' && *argument != '=';
	case OPTION_DATA: c->data = argument; return *argument != '\0';
	case OPTION_ENCODING:
		return (c->encoding = read_encoding_from_name(argument)) >= 0;
	case OPTION_NULLS: c->nulls = argument; return true;
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
	case OPTION_NO_ENVIRONMENT: c->no_environment = true; break;
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
	if (o->kind == OPTION_OUTPUT)
		return take_output(c, argument);
	if (take_argument(c, o->kind, argument))
		return -1;
	return usage_error("bad %s '%s' (%s expected)",
	                   o->long_name ? o->long_name : o->short_name, argument,
	                   o->argument);
}

int options_parse(cli *c)
{
	int i;
	c->output = -1;
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

/* The options were checked by options_parse, so every word is known. */
const char *options_next(const cli *c, int *i, option_kind kind)
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

const char *options_next_chunk(const cli *c, int *i, option_kind *kind)
{
	while (*i < c->options_end) {
		const char *argument;
		const cli_option *o = find_option(c->argv[(*i)++], &argument);
		if (o->argument != NULL && argument == NULL)
			argument = c->argv[(*i)++];
		if (o->kind == OPTION_EXECUTE || o->kind == OPTION_LIBRARY) {
			*kind = o->kind;
			return argument;
		}
	}
	return NULL;
}

/* }====== */
