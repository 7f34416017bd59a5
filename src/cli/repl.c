/*
** repl.c: the interactive session. On a terminal it reads with GNU
** readline (history kept across sessions, Tab completion of globals,
** methods and column names, Ctrl-C that clears the line); from a pipe it
** reads plain lines. Like lua.c it tries "return <line>" first so an
** expression prints its values, and keeps reading while a chunk is
** incomplete. Queries print as tables fitted to the terminal (or in the
** format of -o), films as records, Lua tables as nested Lua; a result
** taller than the screen goes through the pager (pager.c). Relies on
** run_call (run.c) to run each statement, complete.c for Tab and the
** binding (lreel.h) to render queries and films.
*/
#include "cli/repl.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include <lauxlib.h>
#include <lua.h>

#include "cli/cli.h"
#include "cli/complete.h"
#include "cli/help.h"
#include "core/format.h"
#include "lua/lreel.h"

#define PROMPT "> "
#define PROMPT2 ">> "
#define CHUNK_NAME "=stdin"
/* How the parser ends the message for a statement cut short. */
#define EOF_MARK "<eof>"
/* Rows of a query shown at the prompt. */
#define SHOWN_ROWS 20
/* A Lua table prints this deep and this wide, "..." beyond. */
#define TABLE_DEPTH 3
#define TABLE_ENTRIES 50
/* Width for laying out Lua tables when the terminal's is unknown. */
#define DEFAULT_WIDTH 80
#define HISTORY_ENTRIES 1000

#define COLOUR_PROMPT "\033[1;36m"
#define COLOUR_ERROR "\033[31m"
#define COLOUR_OFF "\033[0m"

const char *repl_catalogue;

/* What the session learned when it started. */
static struct {
	lua_State *L;
	int terminal;      /* standard input is a terminal: readline */
	int colour_prompt; /* stdout a terminal and NO_COLOR unset */
	int colour_error;  /* the same for stderr */
	char *history;     /* the history file, or NULL */
} session;

enum { READ_LINE, READ_END, READ_INTERRUPTED };
/* read_chunk's answers besides a lua_load status. */
enum { CHUNK_END = -1, CHUNK_DROPPED = -2 };


/* {====== Ctrl-C at the prompt ====== */

/* While a statement runs, main.c's handler owns SIGINT; at the prompt this
** one only raises a flag, which ends the wait for a key (no SA_RESTART). */
static volatile sig_atomic_t prompt_interrupted;

static void on_prompt_interrupt(int signal_number)
{
	(void)signal_number;
	prompt_interrupted = 1;
}

static void catch_interrupts(void)
{
	struct sigaction action;
	memset(&action, 0, sizeof action);
	action.sa_handler = on_prompt_interrupt;
	sigemptyset(&action.sa_mask);
	sigaction(SIGINT, &action, NULL);
}

/* Waits until a key can be read, SIGINT blocked except inside pselect so
** a Ctrl-C cannot slip in between the test of the flag and the wait. */
static int wait_for_key(void)
{
	sigset_t blocked, old;
	fd_set keys;
	int ready = -1;
	sigemptyset(&blocked);
	sigaddset(&blocked, SIGINT);
	sigprocmask(SIG_BLOCK, &blocked, &old);
	if (!prompt_interrupted) {
		FD_ZERO(&keys);
		FD_SET(STDIN_FILENO, &keys);
		ready = pselect(STDIN_FILENO + 1, &keys, NULL, NULL, NULL, &old);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return ready;
}

/* }====== */


/* {====== Reading lines ====== */

static char *line_read;
static int line_done;

/* readline's callback: the line is ours to free; NULL at the end. */
static void take_line(char *line)
{
	line_read = line;
	line_done = 1;
	rl_callback_handler_remove(); /* no second prompt after this one */
}

/* Ctrl-C: shows ^C after what was typed and leaves the line. */
static void drop_line(void)
{
	rl_callback_sigcleanup();
	rl_point = rl_end;
	rl_redisplay();
	fputs("^C", rl_outstream);
	rl_crlf();
	rl_replace_line("", 1);
	rl_callback_handler_remove();
}

static int read_terminal_line(const char *prompt, char **line)
{
	line_done = 0;
	line_read = NULL;
	prompt_interrupted = 0;
	catch_interrupts();
	rl_callback_handler_install(prompt, take_line);
	while (!line_done) {
		if (wait_for_key() >= 0) {
			rl_callback_read_char();
		} else if (prompt_interrupted) {
			drop_line();
			return READ_INTERRUPTED;
		} else if (errno == EINTR) {
			rl_resize_terminal(); /* most likely a SIGWINCH */
		} else {
			rl_callback_handler_remove();
			return READ_END;
		}
	}
	*line = line_read;
	return line_read != NULL ? READ_LINE : READ_END;
}

/* From a pipe: the prompt is printed, as lua does. */
static int read_plain_line(const char *prompt, char **line)
{
	size_t capacity = 0;
	ssize_t length;
	*line = NULL;
	fputs(prompt, stdout);
	fflush(stdout);
	length = getline(line, &capacity, stdin);
	if (length < 0) {
		free(*line);
		*line = NULL;
		return READ_END;
	}
	if (length > 0 && (*line)[length - 1] == '\n')
		(*line)[length - 1] = '\0';
	return READ_LINE;
}

/* Pushes the prompt: _PROMPT or _PROMPT2 when set, coloured for readline
** with \001 \002 around the escapes so it counts their width as nothing. */
static const char *push_prompt(lua_State *L, int first)
{
	const char *prompt;
	lua_getglobal(L, first ? "_PROMPT" : "_PROMPT2");
	prompt = lua_tostring(L, -1);
	if (prompt == NULL)
		prompt = first ? PROMPT : PROMPT2;
	if (session.terminal && session.colour_prompt)
		prompt = lua_pushfstring(L, "\001" COLOUR_PROMPT "\002%s\001"
		                         COLOUR_OFF "\002", prompt);
	else
		prompt = lua_pushstring(L, prompt);
	lua_remove(L, -2);
	return prompt;
}

/* Pushes the next line, without its newline, and returns READ_LINE; or
** returns READ_END or READ_INTERRUPTED with nothing pushed. */
static int push_line(lua_State *L, int first)
{
	char *line = NULL;
	const char *prompt = push_prompt(L, first);
	int status = session.terminal ? read_terminal_line(prompt, &line)
	                              : read_plain_line(prompt, &line);
	lua_pop(L, 1);
	if (status == READ_LINE) {
		lua_pushstring(L, line);
		free(line);
	}
	return status;
}

/* }====== */


/* {====== History ====== */

/* $REEL_HISTORY, else $XDG_STATE_HOME/reel/history (an absolute path, as
** the XDG rules ask), else ~/.local/state/reel/history. An empty
** REEL_HISTORY keeps no file. */
static char *history_path(void)
{
	const char *own = getenv("REEL_HISTORY");
	const char *state = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	char *path;
	size_t size;
	if (own != NULL)
		return *own != '\0' ? strdup(own) : NULL;
	if (state == NULL || state[0] != '/')
		state = NULL;
	if (state == NULL && (home == NULL || *home == '\0'))
		return NULL;
	size = strlen(state != NULL ? state : home) + sizeof "/.local/state/reel/history";
	if ((path = malloc(size)) == NULL)
		return NULL;
	if (state != NULL)
		snprintf(path, size, "%s/reel/history", state);
	else
		snprintf(path, size, "%s/.local/state/reel/history", home);
	return path;
}

/* Creates the folders above `path` that are missing. */
static void make_folders(char *path)
{
	char *slash;
	for (slash = strchr(path + 1, '/'); slash != NULL;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0700);
		*slash = '/';
	}
}

/* Timestamps mark where an entry starts, so a chunk of several lines
** comes back as one entry. */
static void start_history(void)
{
	using_history();
	stifle_history(HISTORY_ENTRIES);
	history_comment_char = '#'; /* else entries get no timestamp */
	history_write_timestamps = 1;
	history_multiline_entries = 1;
	session.history = history_path();
	if (session.history != NULL)
		read_history(session.history);
}

/* Adds a chunk unless it repeats the last one, and saves the file now, so
** a session that is killed keeps its lines. */
static void remember_chunk(const char *chunk)
{
	HIST_ENTRY *last;
	if (!session.terminal || chunk[strspn(chunk, " \t\n")] == '\0')
		return;
	last = history_get(history_base + history_length - 1);
	if (last != NULL && strcmp(last->line, chunk) == 0)
		return;
	add_history(chunk);
	if (session.history == NULL)
		return;
	make_folders(session.history);
	if ((errno = write_history(session.history)) != 0) {
		fprintf(stderr, "reel: cannot keep the history in %s: %s\n",
		        session.history, strerror(errno));
		free(session.history); /* one warning is enough */
		session.history = NULL;
	}
}

/* }====== */


/* {====== Compiling ====== */

/* Compiles the line on top as "return <line>;". On success the function
** is pushed above the line; on failure the stack is as before. */
static int compile_expression(lua_State *L)
{
	const char *code = lua_pushfstring(L, "return %s;", lua_tostring(L, -1));
	int status = luaL_loadbufferx(L, code, strlen(code), CHUNK_NAME, "t");
	if (status == LUA_OK)
		lua_remove(L, -2); /* the code */
	else
		lua_pop(L, 2); /* the message and the code */
	return status;
}

static int is_incomplete(lua_State *L, int status)
{
	size_t length, mark = sizeof EOF_MARK - 1;
	const char *message;
	if (status != LUA_ERRSYNTAX)
		return 0;
	message = lua_tolstring(L, -1, &length);
	return length >= mark && strcmp(message + length - mark, EOF_MARK) == 0;
}

/* Compiles the text on top as a statement, joining lines while it is
** incomplete. Pushes the function or the error message above the text, or
** returns CHUNK_DROPPED after a Ctrl-C with only the text left. */
static int compile_statement(lua_State *L)
{
	for (;;) {
		size_t length;
		const char *text = lua_tolstring(L, -1, &length);
		int status = luaL_loadbufferx(L, text, length, CHUNK_NAME, "t"), got;
		if (!is_incomplete(L, status))
			return status;
		lua_insert(L, -2); /* the message under the text */
		got = push_line(L, 0);
		if (got != READ_LINE) {
			lua_insert(L, -2); /* the message back on top */
			if (got == READ_INTERRUPTED)
				lua_pop(L, 1);
			return got == READ_INTERRUPTED ? CHUNK_DROPPED : status;
		}
		lua_remove(L, -3); /* the message */
		lua_pushliteral(L, "\n");
		lua_insert(L, -2);
		lua_concat(L, 3);
	}
}

/* Reads and compiles one chunk: pushes its function or an error message
** and returns the status; CHUNK_END at the end of input, CHUNK_DROPPED
** after a Ctrl-C, with nothing pushed. */
static int read_chunk(lua_State *L)
{
	int status = push_line(L, 1);
	if (status != READ_LINE)
		return status == READ_END ? CHUNK_END : CHUNK_DROPPED;
	status = compile_expression(L);
	if (status != LUA_OK)
		status = compile_statement(L);
	if (status != CHUNK_DROPPED)
		remember_chunk(lua_tostring(L, -2));
	lua_remove(L, status == CHUNK_DROPPED ? -1 : -2); /* the text */
	return status;
}

/* }====== */


/* {====== Lua tables as nested Lua ====== */

typedef struct table_view {
	int seen;  /* index of a table of the tables on the current path */
	int width; /* the line to fit */
} table_view;


/* Pushes the string at `index` quoted as Lua source (as %q, but a newline
** written \n so that the value stays on one line). */
static void push_quoted(lua_State *L, int index)
{
	size_t i, length;
	const char *s = lua_tolstring(L, index, &length);
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	luaL_addchar(&b, '"');
	for (i = 0; i < length; i++) {
		unsigned char c = (unsigned char)s[i];
		char escape[8];
		if (c == '"' || c == '\\') {
			luaL_addchar(&b, '\\');
			luaL_addchar(&b, (char)c);
		} else if (c == '\n' || c == '\t' || c == '\r') {
			luaL_addchar(&b, '\\');
			luaL_addchar(&b, c == '\n' ? 'n' : c == '\t' ? 't' : 'r');
		} else if (c < 32 || c == 127) {
			snprintf(escape, sizeof escape, "\\%d", c);
			luaL_addstring(&b, escape);
		} else {
			luaL_addchar(&b, (char)c);
		}
	}
	luaL_addchar(&b, '"');
	luaL_pushresult(&b);
}

/* How many of t[1], t[2], ... are there, at most n. */
static int array_length(lua_State *L, int index, int n)
{
	int i;
	for (i = 0; i < n; i++) {
		int type = lua_rawgeti(L, index, i + 1);
		lua_pop(L, 1);
		if (type == LUA_TNIL)
			break;
	}
	return i;
}

static lua_State *sorting_state; /* qsort passes no context */
static int sorting_keys;         /* index of the array of keys */
static lua_Integer sorting_border; /* t[1] to t[border] are the array part */

/* Order of keys: the array part, other numbers, strings, then the rest by
** type. */
static int key_class(lua_State *L, int index)
{
	int type = lua_type(L, index);
	lua_Integer i;
	if (type == LUA_TNUMBER) {
		i = lua_isinteger(L, index) ? lua_tointeger(L, index) : 0;
		return i >= 1 && i <= sorting_border ? 0 : 1;
	}
	return type == LUA_TSTRING ? 2 : 3 + type;
}

static int compare_keys(const void *pa, const void *pb)
{
	lua_State *L = sorting_state;
	int a = *(const int *)pa, b = *(const int *)pb, order;
	lua_rawgeti(L, sorting_keys, a);
	lua_rawgeti(L, sorting_keys, b);
	order = key_class(L, -2) - key_class(L, -1);
	if (order == 0 && key_class(L, -1) <= 1)
		order = lua_compare(L, -2, -1, LUA_OPLT) ? -1
		        : lua_compare(L, -1, -2, LUA_OPLT) ? 1 : 0;
	else if (order == 0 && lua_type(L, -1) == LUA_TSTRING)
		order = strcmp(lua_tostring(L, -2), lua_tostring(L, -1));
	lua_pop(L, 2);
	return order != 0 ? order : a - b;
}

/* Pushes the keys of the table at `index` as an array, and above it a
** userdata holding their sorted order; returns how many there are. */
static int push_sorted_keys(lua_State *L, int index)
{
	int n = 0, i, *order;
	lua_newtable(L);
	lua_pushnil(L);
	while (lua_next(L, index) != 0) {
		lua_pop(L, 1);
		lua_pushvalue(L, -1);
		lua_rawseti(L, -3, ++n);
	}
	order = lua_newuserdatauv(L, sizeof *order * (size_t)(n > 0 ? n : 1), 0);
	for (i = 0; i < n; i++)
		order[i] = i + 1;
	sorting_state = L;
	sorting_keys = lua_absindex(L, -2);
	sorting_border = array_length(L, index, n);
	qsort(order, (size_t)n, sizeof *order, compare_keys);
	return n;
}

static void push_rendered(lua_State *L, int index, int depth, int indent,
                          const table_view *v);

/* Pushes "key = " for the key at `key`, nothing for the array part (the
** key is `position` there, 0 elsewhere). */
static void push_key(lua_State *L, int key, int position)
{
	size_t length;
	const char *s;
	if (position > 0 && lua_isinteger(L, key) &&
	    lua_tointeger(L, key) == position) {
		lua_pushliteral(L, "");
	} else if (lua_type(L, key) == LUA_TSTRING &&
	           (s = lua_tolstring(L, key, &length), complete_is_identifier(s, length))) {
		lua_pushfstring(L, "%s = ", s);
	} else {
		if (lua_type(L, key) == LUA_TSTRING)
			push_quoted(L, key);
		else
			luaL_tolstring(L, key, NULL);
		lua_pushfstring(L, "[%s] = ", lua_tostring(L, -1));
		lua_remove(L, -2);
	}
}

/* Pushes each shown entry of the table at `index` as a string, rendered at
** `indent`; returns how many (a last "..." when some are left out). */
static int push_entries(lua_State *L, int index, int depth, int indent,
                        const table_view *v)
{
	int n = push_sorted_keys(L, index), keys = lua_gettop(L) - 1, i;
	lua_Integer border = sorting_border; /* the values below sort again */
	int *order = lua_touserdata(L, -1);
	int shown = n < TABLE_ENTRIES ? n : TABLE_ENTRIES;
	luaL_checkstack(L, shown + 8, "table too wide to print");
	for (i = 0; i < shown; i++) {
		lua_rawgeti(L, keys, order[i]);
		push_key(L, -1, i < border ? i + 1 : 0);
		lua_pushvalue(L, -2);
		lua_rawget(L, index);
		push_rendered(L, lua_gettop(L), depth + 1, indent, v);
		lua_remove(L, -2); /* the value */
		lua_concat(L, 2);
		lua_remove(L, -2); /* the key */
	}
	if (n > shown)
		lua_pushliteral(L, "...");
	lua_remove(L, keys + 1); /* the order */
	lua_remove(L, keys);
	return lua_gettop(L) - keys + 1;
}

static void push_spaces(lua_State *L, int n)
{
	static const char spaces[] = "                                        ";
	lua_pushlstring(L, spaces, (size_t)n < sizeof spaces - 1
	                           ? (size_t)n : sizeof spaces - 1);
}

/* Whether the n entries on top fit on one line after `indent`. */
static int fit_on_a_line(lua_State *L, int n, int indent, int width)
{
	int i, used = indent + 2;
	for (i = lua_gettop(L) - n + 1; i <= lua_gettop(L); i++) {
		size_t length;
		const char *s = lua_tolstring(L, i, &length);
		if (strchr(s, '\n') != NULL)
			return 0;
		used += (int)length + 2;
	}
	return used <= width;
}

/* Replaces the n entries on top with the table: on one line when they
** fit, else one entry a line, but the first `array` ones (values of the
** array part) packed a line at a time. */
static void join_entries(lua_State *L, int n, int array, int indent,
                         int width)
{
	int i, first = lua_gettop(L) - n + 1, one_line, used = width;
	one_line = fit_on_a_line(L, n, indent, width);
	luaL_checkstack(L, 4 * n + 4, "table too wide to print");
	lua_pushliteral(L, "{");
	for (i = first; i < first + n; i++) {
		size_t length;
		lua_tolstring(L, i, &length);
		if (one_line || (i < first + array && used + (int)length + 2 <= width)) {
			lua_pushstring(L, i > first ? (one_line ? ", " : ",") : "");
			lua_pushstring(L, i > first && !one_line ? " " : "");
			used += (int)length + 2;
		} else {
			lua_pushstring(L, i > first ? ",\n" : "\n");
			push_spaces(L, indent + 2);
			used = indent + 2 + (int)length;
		}
		lua_pushvalue(L, i);
	}
	if (!one_line && n > 0) {
		lua_pushliteral(L, "\n");
		push_spaces(L, indent);
	}
	lua_pushliteral(L, "}");
	lua_concat(L, lua_gettop(L) - first - n + 1);
	if (n > 0) {
		lua_replace(L, first);
		lua_settop(L, first);
	}
}

static int has_own_text(lua_State *L, int index)
{
	int own = luaL_getmetafield(L, index, "__tostring") != LUA_TNIL ||
	          luaL_getmetafield(L, index, "__name") != LUA_TNIL;
	if (own)
		lua_pop(L, 1);
	return own;
}

/* Pushes the table at `index` as Lua source; a table met again on its own
** path is a <cycle>. */
static void push_table_text(lua_State *L, int index, int depth, int indent,
                            const table_view *v)
{
	int n;
	lua_pushvalue(L, index);
	if (lua_rawget(L, v->seen) != LUA_TNIL) {
		lua_pop(L, 1);
		lua_pushliteral(L, "<cycle>");
		return;
	}
	lua_pop(L, 1);
	if (depth > TABLE_DEPTH) {
		lua_pushliteral(L, "{...}");
		return;
	}
	lua_pushvalue(L, index);
	lua_pushboolean(L, 1);
	lua_rawset(L, v->seen);
	n = push_entries(L, index, depth, indent + 2, v);
	join_entries(L, n, array_length(L, index, n), indent, v->width);
	lua_pushvalue(L, index);
	lua_pushnil(L);
	lua_rawset(L, v->seen);
}

/* Pushes the value at `index` (absolute) as it reads in Lua source. */
static void push_rendered(lua_State *L, int index, int depth, int indent,
                          const table_view *v)
{
	if (lua_type(L, index) == LUA_TTABLE && !has_own_text(L, index))
		push_table_text(L, index, depth, indent, v);
	else if (lua_type(L, index) == LUA_TSTRING)
		push_quoted(L, index);
	else
		luaL_tolstring(L, index, NULL);
}

/* Replaces the Lua table at `index` with its text. */
static void replace_with_lua(lua_State *L, int index, int width)
{
	table_view v;
	index = lua_absindex(L, index);
	lua_newtable(L);
	v.seen = lua_gettop(L);
	v.width = width > 0 ? width : DEFAULT_WIDTH;
	push_table_text(L, index, 1, 0, &v);
	lua_replace(L, index);
	lua_pop(L, 1); /* the seen table */
}

/* }====== */


/* {====== Printing results ====== */

/* The terminal's columns when stdout is one, else 0 (no limit). */
static int terminal_width(void)
{
	struct winsize size;
	int rows = 0, columns = 0;
	if (!isatty(STDOUT_FILENO))
		return 0;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
		return size.ws_col;
	if (session.terminal)
		rl_get_screen_size(&rows, &columns);
	return columns > 0 ? columns : 0;
}

/* Puts the rendering of the query or film at `index` in its place, without
** the final newline that print adds back; a film's record comes under its
** "Title (year, N min)" line. */
static void replace_with_rendering(lua_State *L, int index, int width)
{
	size_t length;
	const char *text;
	lreel_push_rendering(L, index, lreel_is_film(L, index) ? 0 : SHOWN_ROWS,
	                     (size_t)width);
	text = lua_tolstring(L, -1, &length);
	if (length > 0 && text[length - 1] == '\n') {
		lua_pushlstring(L, text, length - 1);
		lua_remove(L, -2);
	}
	if (lreel_is_film(L, index)) { /* its name above the record */
		luaL_tolstring(L, index, NULL);
		lua_pushliteral(L, "\n");
		lua_rotate(L, -3, 2);
		lua_concat(L, 3);
	}
	lua_replace(L, index);
}

/* {====== Paging ====== */

/* print_query(query, stream, max_rows), in a frame of its own. */
static int print_query(lua_State *L)
{
	lreel_print(L, 1, lua_touserdata(L, 2), (size_t)lua_tointeger(L, 3));
	return 0;
}

/* Streams the query at `index` into a pager, in the -o format (a table of
** at most max_rows rows, uncut: the pager scrolls sideways). The pager is
** closed even when the query raises, and the error goes on. False when no
** pager could run. */
static bool page_query(lua_State *L, int index, size_t max_rows)
{
	FILE *pager = pager_open();
	int status;
	if (pager == NULL)
		return false;
	index = lua_absindex(L, index);
	lua_pushcfunction(L, print_query);
	lua_pushvalue(L, index);
	lua_pushlightuserdata(L, pager);
	lua_pushinteger(L, (lua_Integer)max_rows);
	status = lua_pcall(L, 3, 0, 0);
	pager_close(pager);
	if (status != LUA_OK)
		lua_error(L);
	return true;
}

/* Whether a query in the -o format other than a table (all its rows, a
** line each and a header) would be taller than the screen: then it
** streams into the pager without being made into one string first. */
static bool pages_whole_query(lua_State *L, size_t screen)
{
	return lreel_output(L) != FORMAT_TABLE && lreel_count(L, 1) + 2 >= screen;
}

/* The n values on top as print writes them, tab-separated, pushed. */
static const char *push_printed(lua_State *L, int n, size_t *length)
{
	luaL_Buffer b;
	int i, first = lua_gettop(L) - n + 1;
	luaL_buffinit(L, &b);
	for (i = first; i < first + n; i++) {
		if (i > first)
			luaL_addchar(&b, '\t');
		luaL_tolstring(L, i, NULL);
		luaL_addvalue(&b);
	}
	luaL_addchar(&b, '\n');
	luaL_pushresult(&b);
	return lua_tolstring(L, -1, length);
}

static size_t count_lines(const char *text, size_t length)
{
	size_t i, lines = 0;
	for (i = 0; i < length; i++)
		lines += text[i] == '\n';
	return lines;
}

/* Pages the n values rendered on top when, with the prompt after them,
** they are taller than the screen: a lone query again from its rows (held
** at `query`, 0 for none), anything else as its text. False when they
** fit, or no pager could run. */
static bool page_tall_results(lua_State *L, int n, int query, size_t screen)
{
	size_t length;
	const char *text = push_printed(L, n, &length);
	bool paged = false;
	FILE *pager;
	if (count_lines(text, length) < screen) {
		lua_pop(L, 1);
		return false;
	}
	if (query != 0)
		paged = page_query(L, query, SHOWN_ROWS);
	else if ((pager = pager_open()) != NULL) {
		fwrite(text, 1, length, pager);
		pager_close(pager);
		paged = true;
	}
	lua_pop(L, 1);
	return paged;
}

/* }====== */

/* print_results(...): sets _ to the first value and prints them all through
** the global print, queries, films and tables rendered first; through the
** pager when they are taller than the screen. Runs under run_call, so
** Ctrl-C stops a slow __tostring as it stops a statement. */
static int print_results(lua_State *L)
{
	int i, n = lua_gettop(L), width = terminal_width(), query = 0;
	size_t screen = pager_screen_lines();
	lua_pushvalue(L, 1);
	lua_setglobal(L, "_");
	if (screen > 0 && n == 1 && lreel_is_query(L, 1)) {
		if (pages_whole_query(L, screen) && page_query(L, 1, 0))
			return 0;
		lua_pushvalue(L, 1); /* kept, to page it uncut */
		query = lua_gettop(L);
	}
	for (i = 1; i <= n; i++) {
		if (lreel_is_query(L, i) || lreel_is_film(L, i))
			replace_with_rendering(L, i, width);
		else if (lua_type(L, i) == LUA_TTABLE && !has_own_text(L, i))
			replace_with_lua(L, i, width);
	}
	lua_settop(L, query != 0 ? query : n); /* rendered values, the query */
	if (query != 0)
		lua_insert(L, 1);
	if (screen > 0 && page_tall_results(L, n, query != 0 ? 1 : 0, screen))
		return 0;
	lua_getglobal(L, "print");
	lua_insert(L, -n - 1);
	lua_call(L, n, 0);
	return 0;
}

static void print_colour(FILE *stream, int colour, const char *text,
                         size_t length)
{
	if (colour)
		fputs(COLOUR_ERROR, stream);
	fwrite(text, 1, length, stream);
	if (colour)
		fputs(COLOUR_OFF, stream);
	fputc('\n', stream);
}

/* Whether a traceback line says nothing a user can act on. */
static int is_noise(const char *line, size_t length)
{
	static const char unknown[] = "\t[C]: in ?";
	return length == sizeof unknown - 1 && memcmp(line, unknown, length) == 0;
}

static int is_main_chunk(const char *line, size_t length)
{
	static const char main_chunk[] = "in main chunk";
	size_t n = sizeof main_chunk - 1;
	return length >= n && memcmp(line + length - n, main_chunk, n) == 0;
}

/* A frame of Lua code other than the chunk typed at the prompt. */
static int is_user_frame(const char *line, size_t length)
{
	return !(length >= 4 && memcmp(line, "\t[C]", 4) == 0) &&
	       !is_main_chunk(line, length);
}

/* Prints the traceback's frames but "[C]: in ?"; none at all when no
** function of the user's is among them, since the message names the line
** typed. From a pipe, where nobody is there to ask again, all of it. */
static void print_traceback(const char *frames)
{
	const char *line, *end;
	int useful = 0;
	for (line = frames; *line != '\0'; line = *end ? end + 1 : end) {
		end = line + strcspn(line, "\n");
		if (!session.terminal || is_user_frame(line, (size_t)(end - line)))
			useful = 1;
	}
	if (!useful)
		return;
	fputs("stack traceback:\n", stderr);
	for (line = frames; *line != '\0'; line = *end ? end + 1 : end) {
		end = line + strcspn(line, "\n");
		if (!is_noise(line, (size_t)(end - line)))
			fprintf(stderr, "%.*s\n", (int)(end - line), line);
	}
}

static void print_error(lua_State *L)
{
	static const char mark[] = "\nstack traceback:\n";
	const char *message = lua_tostring(L, -1), *frames;
	if (message == NULL)
		message = "(error object is not a string)";
	frames = strstr(message, mark);
	print_colour(stderr, session.colour_error, message,
	             frames != NULL ? (size_t)(frames - message) : strlen(message));
	if (frames != NULL)
		print_traceback(frames + sizeof mark - 1);
	fflush(stderr);
	lua_pop(L, 1);
}

/* Runs the chunk's function on top and prints its results or its error. */
static void run_chunk(lua_State *L)
{
	int base = lua_gettop(L) - 1, status = run_call(L, 0, LUA_MULTRET);
	catch_interrupts();
	if (status == LUA_OK && lua_gettop(L) > base) {
		lua_pushcfunction(L, print_results);
		lua_insert(L, base + 1);
		status = run_call(L, lua_gettop(L) - base - 1, 0);
		catch_interrupts();
	}
	if (status != LUA_OK)
		print_error(L);
	lua_settop(L, base);
}

/* }====== */


/* {====== Readline ====== */

static void start_readline(void)
{
	rl_readline_name = "reel";
	rl_catch_signals = 0; /* Ctrl-C is ours: see catch_interrupts */
	rl_persistent_signal_handlers = 1; /* SIGWINCH also while we wait */
	complete_start(session.L);
	start_history();
}

/* }====== */


/* {====== Session ====== */

static int count_films(lua_State *L)
{
	lua_getglobal(L, "films");
	if (lreel_is_query(L, -1))
		lua_pushinteger(L, luaL_len(L, -1));
	else
		lua_pushinteger(L, -1);
	return 1;
}

/* One line: the version, the catalogue and where it came from, help(). */
static void print_banner(lua_State *L)
{
	lua_Integer count = -1;
	lua_pushcfunction(L, count_films);
	if (lua_pcall(L, 0, 1, 0) == LUA_OK)
		count = lua_tointeger(L, -1);
	lua_pop(L, 1);
	printf("reel " REEL_VERSION " (" LUA_RELEASE "): ");
	if (count >= 0)
		printf("%lld film%s from %s", (long long)count, count == 1 ? "" : "s",
		       repl_catalogue != NULL ? repl_catalogue : "the built-in list");
	else
		printf("no catalogue in `films`");
	printf("; help() lists the calls\n");
	fflush(stdout);
}

/* At the prompt titles sort as people read them: reel.collation is
** "natural" unless a script or -e chose one. */
static void prefer_natural_order(lua_State *L)
{
	int top = lua_gettop(L);
	if (lua_getglobal(L, "reel") == LUA_TTABLE &&
	    lua_getfield(L, -1, "collation") == LUA_TNIL) {
		lua_pushliteral(L, "natural");
		lua_setfield(L, -3, "collation");
	}
	lua_settop(L, top);
}

static void start_session(lua_State *L)
{
	const char *no_colour = getenv("NO_COLOR");
	int colour = no_colour == NULL || *no_colour == '\0';
	session.L = L;
	session.terminal = isatty(STDIN_FILENO);
	session.colour_prompt = colour && isatty(STDOUT_FILENO);
	session.colour_error = session.colour_prompt && isatty(STDERR_FILENO);
	session.history = NULL;
	help_register(L);
	prefer_natural_order(L);
	if (session.terminal) {
		start_readline();
		print_banner(L);
	}
}

int repl_run(lua_State *L)
{
	int status;
	start_session(L);
	while ((status = read_chunk(L)) != CHUNK_END) {
		if (status == LUA_OK)
			run_chunk(L);
		else if (status != CHUNK_DROPPED)
			print_error(L);
	}
	fputs("\n", stdout);
	fflush(stdout);
	signal(SIGINT, SIG_DFL);
	free(session.history);
	session.history = NULL;
	return 0;
}

/* }====== */
