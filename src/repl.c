/*
** repl.c: the interactive prompt, a plain read-eval-print loop.
** Reads lines with fgets, tries "return <line>" first so that an expression
** prints its value, keeps reading while a statement is incomplete, and
** prints results, queries as tables. Relies on cli_call (main.c) to run each
** statement and on the binding (lreel.h) to render queries.
*/
#include "repl.h"

#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "lreel.h"

#define PROMPT "> "
#define PROMPT2 ">> "
#define CHUNK_NAME "=stdin"
/* How the parser ends the message for a statement cut short. */
#define EOF_MARK "<eof>"
/* Rows of a query shown at the prompt. */
#define SHOWN_ROWS 20

static void show_prompt(lua_State *L, int first)
{
	const char *prompt;
	lua_getglobal(L, first ? "_PROMPT" : "_PROMPT2");
	prompt = lua_tostring(L, -1);
	fputs(prompt != NULL ? prompt : first ? PROMPT : PROMPT2, stdout);
	fflush(stdout);
	lua_pop(L, 1);
}

/* Pushes the next line, without its newline. 0 at the end of input, with
** nothing pushed. */
static int push_line(lua_State *L, int first)
{
	luaL_Buffer b;
	size_t total = 0;
	show_prompt(L, first);
	luaL_buffinit(L, &b);
	for (;;) {
		char *space = luaL_prepbuffer(&b);
		size_t n;
		int ended;
		if (fgets(space, (int)LUAL_BUFFERSIZE, stdin) == NULL)
			break;
		n = strlen(space);
		ended = n > 0 && space[n - 1] == '\n';
		luaL_addsize(&b, n - (size_t)ended);
		total += n;
		if (ended)
			break;
	}
	luaL_pushresult(&b);
	if (total == 0)
		lua_pop(L, 1);
	return total > 0;
}

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

/* Compiles the line on top as a statement, joining lines while it is
** incomplete. Pushes the function or the error message above the text. */
static int compile_statement(lua_State *L)
{
	for (;;) {
		size_t length;
		const char *text = lua_tolstring(L, -1, &length);
		int status = luaL_loadbufferx(L, text, length, CHUNK_NAME, "t");
		if (!is_incomplete(L, status) || !push_line(L, 0))
			return status;
		lua_remove(L, -2); /* the message */
		lua_pushliteral(L, "\n");
		lua_insert(L, -2);
		lua_concat(L, 3);
	}
}

/* Reads and compiles one statement: pushes its function or an error
** message and returns the status, or returns -1 at the end of input. */
static int read_statement(lua_State *L)
{
	int status;
	if (!push_line(L, 1))
		return -1;
	status = compile_expression(L);
	if (status != LUA_OK)
		status = compile_statement(L);
	lua_remove(L, -2); /* the text */
	return status;
}

/* Puts the table rendering of the query at `index` in its place, without
** the final newline that print adds back. */
static void replace_with_rendering(lua_State *L, int index)
{
	size_t length;
	const char *text;
	lreel_push_rendering(L, index, SHOWN_ROWS, 0);
	text = lua_tolstring(L, -1, &length);
	if (length > 0 && text[length - 1] == '\n') {
		lua_pushlstring(L, text, length - 1);
		lua_remove(L, -2);
	}
	lua_replace(L, index);
}

/* Prints the values above `base` through the global print, queries
** rendered as tables first. */
static void print_results(lua_State *L, int base)
{
	int i, n = lua_gettop(L) - base;
	if (n == 0)
		return;
	luaL_checkstack(L, LUA_MINSTACK, "too many results to print");
	for (i = base + 1; i <= base + n; i++)
		if (lreel_is_query(L, i))
			replace_with_rendering(L, i);
	lua_getglobal(L, "print");
	lua_insert(L, base + 1);
	if (lua_pcall(L, n, 0, 0) != LUA_OK) {
		fprintf(stderr, "error calling 'print' (%s)\n", lua_tostring(L, -1));
		lua_pop(L, 1);
	}
}

static void print_error(lua_State *L)
{
	const char *message = lua_tostring(L, -1);
	fprintf(stderr, "%s\n", message != NULL ? message
	                        : "(error object is not a string)");
	fflush(stderr);
	lua_pop(L, 1);
}

int repl_run(lua_State *L)
{
	int status, base = lua_gettop(L);
	while ((status = read_statement(L)) != -1) {
		if (status == LUA_OK)
			status = cli_call(L, 0, LUA_MULTRET);
		if (status == LUA_OK)
			print_results(L, base);
		else
			print_error(L);
		lua_settop(L, base);
	}
	fputs("\n", stdout);
	fflush(stdout);
	return 0;
}
