/*
** complete.c: Tab completion at the prompt (see complete.h): globals,
** fields and methods after "." and ":", a Query's or Film's columns in
** where{...} and in quoted arguments, and file names inside strings. It
** evaluates the expression before the cursor without calling any code of
** the script's (no __index function, no method but a few known ones).
** Relies on GNU readline and Lua.
*/
#include "cli/complete.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <readline/readline.h>

#include <lauxlib.h>
#include <lua.h>

#include "lua/lreel.h"

/* Links followed through __index tables, so a loop of them ends. */
#define INDEX_CHAIN 16

/* Lua's reserved words: no name, and completed as words. */
static const char *const keywords[] = {
	"and", "break", "do", "else", "elseif", "end", "false", "for",
	"function", "goto", "if", "in", "local", "nil", "not", "or", "repeat",
	"return", "then", "true", "until", "while", NULL
};

int complete_is_identifier(const char *s, size_t length)
{
	size_t i;
	const char *const *k;
	if (length == 0 || (s[0] >= '0' && s[0] <= '9'))
		return 0;
	for (i = 0; i < length; i++)
		if (!(s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
			return 0;
	for (k = keywords; *k != NULL; k++)
		if (strlen(*k) == length && memcmp(*k, s, length) == 0)
			return 0;
	return 1;
}

/* The state the session runs in. */
static lua_State *completing;

/* {====== Completion ====== */

/* What an expression before "." or ":" stands for. */
typedef enum { SEEN_NOTHING, SEEN_VALUE, SEEN_FILM_OF } seen_kind;

static int is_name_char(char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

/* The start of the quoted string that ends at `end` - 1, going back. */
static int skip_string_back(const char *line, int end)
{
	char quote = line[end - 1];
	int at = end - 2;
	while (at >= 0 && line[at] != quote)
		at--;
	return at;
}

/* The opening bracket that balances the closing one at line[end - 1]. */
static int skip_brackets_back(const char *line, int end)
{
	int depth = 0, at = end - 1;
	for (; at >= 0; at--) {
		char c = line[at];
		if (c == '"' || c == '\'')
			at = skip_string_back(line, at + 1);
		else if (c == ')' || c == ']' || c == '}')
			depth++;
		else if ((c == '(' || c == '[' || c == '{') && --depth == 0)
			return at;
		if (at < 0)
			break;
	}
	return -1;
}

/* Where the expression that ends at `end` starts: names, ".", ":",
** brackets and strings, as in films:where{year = 2013}[1]. -1: none. */
static int expression_start(const char *line, int end)
{
	int at = end;
	while (at > 0) {
		char c = line[at - 1];
		int from;
		if (is_name_char(c)) {
			for (from = at; from > 0 && is_name_char(line[from - 1]); from--)
				;
		} else if (c == ')' || c == ']' || c == '}') {
			from = skip_brackets_back(line, at);
		} else if (c == '"' || c == '\'') {
			from = skip_string_back(line, at);
		} else {
			break;
		}
		if (from < 0)
			return -1;
		at = from;
		if (at > 0 && (line[at - 1] == '.' || line[at - 1] == ':') &&
		    !(at > 1 && line[at - 2] == '.'))
			at--;
		else if (is_name_char(c))
			break;
	}
	return at < end && is_name_char(line[at]) ? at : -1;
}

/* Pushes t[key] for the key on top (popped) of the value at `object`,
** reading tables raw and following __index tables only; a reel userdata
** answers through its own __index, which runs no Lua code. */
static void safe_index(lua_State *L, int object)
{
	int i, key = lua_gettop(L);
	lua_pushvalue(L, object);
	for (i = 0; i < INDEX_CHAIN && lua_type(L, -1) == LUA_TTABLE; i++) {
		lua_pushvalue(L, key);
		if (lua_rawget(L, -2) != LUA_TNIL ||
		    !lua_getmetatable(L, -2)) {
			lua_replace(L, key);
			lua_settop(L, key);
			return;
		}
		lua_getfield(L, -1, "__index");
		lua_replace(L, -4); /* the __index in the table's place */
		lua_pop(L, 2);
	}
	if (lreel_is_query(L, -1) || lreel_is_film(L, -1) ||
	    lua_type(L, -1) == LUA_TSTRING) {
		luaL_getmetafield(L, -1, "__index");
		lua_insert(L, -2);
		lua_pushvalue(L, key);
		if (lua_type(L, -3) == LUA_TTABLE)
			lua_rawget(L, -3);
		else if (lua_pcall(L, 2, 1, 0) != LUA_OK)
			lua_pushnil(L);
		lua_replace(L, key);
	} else {
		lua_pushnil(L);
		lua_replace(L, key);
	}
	lua_settop(L, key);
}

/* Methods of a Query that return a Query, and that return a Film. */
static const char *const query_results[] = {
	"where", "filter", "sort", "limit", "offset", "sample", "shuffle",
	"search", "select", "join", NULL
};
static const char *const film_results[] = {"first", "last", "random", NULL};
/* String methods that return a string. */
static const char *const string_results[] = {
	"lower", "upper", "sub", "rep", "reverse", "format", NULL
};

static int is_listed(const char *const *names, const char *name, size_t length)
{
	for (; *names != NULL; names++)
		if (strlen(*names) == length && memcmp(*names, name, length) == 0)
			return 1;
	return 0;
}

/* After expression:name(...): what the call gives, without calling it. The
** value on top stays when the result is of its kind. */
static seen_kind method_result(lua_State *L, seen_kind kind, const char *name,
                               size_t length)
{
	if (kind == SEEN_VALUE && lreel_is_query(L, -1)) {
		if (is_listed(query_results, name, length))
			return SEEN_VALUE;
		if (is_listed(film_results, name, length))
			return SEEN_FILM_OF;
	}
	if (kind == SEEN_VALUE && lua_type(L, -1) == LUA_TSTRING &&
	    is_listed(string_results, name, length))
		return SEEN_VALUE;
	return SEEN_NOTHING;
}

/* The end of the call arguments that start at `at`: (...), {...} or a
** string (or of an index, [...]); -1 when there are none. */
static int skip_arguments(const char *text, int at, int end)
{
	int depth = 0;
	char quote = 0;
	if (at >= end || strchr("({[\"'", text[at]) == NULL)
		return -1;
	for (; at < end; at++) {
		char c = text[at];
		if (quote != 0) {
			if (c == quote)
				quote = 0;
			if (c == quote && depth == 0)
				return at + 1;
		} else if (c == '"' || c == '\'') {
			quote = c;
		} else if (c == '(' || c == '{' || c == '[') {
			depth++;
		} else if ((c == ')' || c == '}' || c == ']') && --depth == 0) {
			return at + 1;
		}
	}
	return -1;
}

/* Indexes the value on top with the bracketed text [from, to): a number or
** a string literal; any other index of a query gives one of its films. */
static seen_kind index_with(lua_State *L, const char *text, int from, int to)
{
	int top = lua_gettop(L);
	lua_pushlstring(L, text + from, (size_t)(to - from));
	if (lua_stringtonumber(L, lua_tostring(L, -1)) != 0) {
		lua_remove(L, -2);
	} else if (to - from >= 2 && (text[from] == '"' || text[from] == '\'') &&
	           text[to - 1] == text[from]) {
		lua_pushlstring(L, text + from + 1, (size_t)(to - from - 2));
		lua_remove(L, -2);
	} else {
		lua_pop(L, 1);
		return lreel_is_query(L, -1) ? SEEN_FILM_OF : SEEN_NOTHING;
	}
	safe_index(L, top);
	lua_replace(L, top);
	if (lua_isnil(L, -1))
		return SEEN_NOTHING;
	return SEEN_VALUE;
}

/* One step of a chain at text[*at]: .name, :name(args), [index]. */
static seen_kind follow_step(lua_State *L, seen_kind kind, const char *text,
                             int *at, int end)
{
	int from = *at + 1, to = from;
	char step = text[*at];
	if (step == '[') {
		to = skip_arguments(text, *at, end);
		*at = to;
		return to < 0 || kind != SEEN_VALUE ? SEEN_NOTHING
		       : index_with(L, text, from, to - 1);
	}
	while (to < end && is_name_char(text[to]))
		to++;
	if (to == from || (step != '.' && step != ':') || kind != SEEN_VALUE)
		return SEEN_NOTHING;
	*at = to;
	if (step == ':') {
		*at = skip_arguments(text, to, end);
		return *at < 0 ? SEEN_NOTHING
		       : method_result(L, kind, text + from, (size_t)(to - from));
	}
	lua_pushlstring(L, text + from, (size_t)(to - from));
	safe_index(L, lua_gettop(L) - 1);
	lua_remove(L, -2);
	return lua_isnil(L, -1) ? SEEN_NOTHING : SEEN_VALUE;
}

/* Pushes the value of the expression text[from, end), evaluated by
** indexing only, and says what it is. */
static seen_kind evaluate_chain(lua_State *L, const char *text, int from,
                                int end)
{
	int at = from;
	seen_kind kind = SEEN_VALUE;
	while (at < end && is_name_char(text[at]))
		at++;
	lua_pushglobaltable(L);
	lua_pushlstring(L, text + from, (size_t)(at - from));
	safe_index(L, lua_gettop(L) - 1);
	lua_remove(L, -2);
	if (lua_isnil(L, -1))
		return SEEN_NOTHING;
	while (at < end && at >= 0 && kind != SEEN_NOTHING)
		kind = follow_step(L, kind, text, &at, end);
	return at == end ? kind : SEEN_NOTHING;
}

/* Adds the string keys of the table on top, and of its __index tables, to
** the candidates table at `names`; pops the table. */
static void add_keys(lua_State *L, int names)
{
	int i;
	for (i = 0; i < INDEX_CHAIN && lua_type(L, -1) == LUA_TTABLE; i++) {
		lua_pushnil(L);
		while (lua_next(L, -2) != 0) {
			lua_pop(L, 1);
			if (lua_type(L, -1) == LUA_TSTRING) {
				lua_pushvalue(L, -1);
				lua_pushboolean(L, 1);
				lua_rawset(L, names);
			}
		}
		if (!lua_getmetatable(L, -1))
			break;
		lua_getfield(L, -1, "__index");
		lua_remove(L, -2);
		lua_remove(L, -2);
	}
	lua_pop(L, 1);
}

/* Adds the strings of the array on top (popped). */
static void add_array(lua_State *L, int names)
{
	lua_Integer i, n = (lua_Integer)lua_rawlen(L, -1);
	for (i = 1; i <= n; i++) {
		if (lua_rawgeti(L, -1, i) == LUA_TSTRING) {
			lua_pushboolean(L, 1);
			lua_rawset(L, names);
		} else {
			lua_pop(L, 1);
		}
	}
	lua_pop(L, 1);
}

/* Adds the methods of the reel type `tname`: its __index's upvalue. */
static void add_methods(lua_State *L, const char *tname, int names)
{
	int top = lua_gettop(L);
	luaL_getmetatable(L, tname);
	if (lua_type(L, -1) == LUA_TTABLE &&
	    lua_getfield(L, -1, "__index") == LUA_TFUNCTION &&
	    lua_getupvalue(L, -1, 1) != NULL) {
		add_keys(L, names);
	}
	lua_settop(L, top);
}

/* Calls the method `name` of the query (or film) on top, protected,
** leaving one result. */
static int call_method(lua_State *L, const char *tname, const char *name)
{
	luaL_getmetatable(L, tname);
	lua_getfield(L, -1, "__index");
	lua_remove(L, -2);
	lua_pushvalue(L, -2);
	lua_pushstring(L, name);
	if (lua_pcall(L, 2, 1, 0) != LUA_OK || !lua_isfunction(L, -1)) {
		lua_pop(L, 1);
		return 0;
	}
	lua_insert(L, -2);
	return lua_pcall(L, 1, 1, 0) == LUA_OK;
}

/* Adds the column names of the query or film on top (popped): its
** catalogue's columns, and the names its first film answers to (title,
** year, duration resolved for an IMDb file). */
static void add_columns(lua_State *L, int names)
{
	if (lreel_is_film(L, -1) || !luaL_testudata(L, -1, REEL_TABLE))
		lua_getiuservalue(L, -1, 1); /* the catalogue */
	else
		lua_pushvalue(L, -1);
	if (!luaL_testudata(L, -1, REEL_TABLE)) {
		lua_settop(L, names);
		return;
	}
	lua_pushvalue(L, -1);
	if (call_method(L, REEL_TABLE, "columns"))
		add_array(L, names);
	lua_pushinteger(L, 1);
	safe_index(L, lua_gettop(L) - 1);
	if (lreel_is_film(L, -1) && call_method(L, REEL_FILM, "totable"))
		add_keys(L, names);
	lua_settop(L, names);
}

/* Adds what may follow "." or ":" after the value on top (popped). */
static void add_members(lua_State *L, seen_kind kind, int names)
{
	if (kind == SEEN_FILM_OF || lreel_is_film(L, -1)) {
		add_methods(L, REEL_FILM, names);
		add_columns(L, names);
	} else if (lreel_is_query(L, -1)) {
		add_methods(L, REEL_QUERY, names);
	} else if (lua_type(L, -1) == LUA_TSTRING) {
		luaL_getmetafield(L, -1, "__index");
		add_keys(L, names);
	} else if (lua_type(L, -1) == LUA_TTABLE) {
		add_keys(L, names);
	}
	lua_settop(L, names);
}

/* When the word at `start` is a key of a table constructor ("{a = 1, du"),
** where that table's '{' is; else -1. */
static int open_brace(const char *line, int start)
{
	int at = start, depth = 0;
	while (at > 0 && (line[at - 1] == ' ' || line[at - 1] == '\t'))
		at--;
	if (at == 0 || (line[at - 1] != '{' && line[at - 1] != ','))
		return -1;
	for (at--; at >= 0; at--) {
		char c = line[at];
		if (c == '"' || c == '\'')
			at = skip_string_back(line, at + 1);
		else if (c == ')' || c == ']' || c == '}')
			depth++;
		else if ((c == '(' || c == '[' || c == '{') && depth-- == 0)
			break;
	}
	return at >= 0 && line[at] == '{' ? at : -1;
}

/* When the '{' at `brace` opens where's argument, where the ':' before
** "where" is; else -1. */
static int where_before(const char *line, int brace)
{
	int at = brace;
	while (at > 0 && (line[at - 1] == ' ' || line[at - 1] == '('))
		at--;
	if (at < 6 || strncmp(line + at - 5, "where", 5) != 0 ||
	    line[at - 6] != ':')
		return -1;
	return at - 6;
}

/* In "q:where{a = 1, du", the word is a key of where's table: returns
** where the ':' before "where" is, or -1. */
static int where_context(const char *line, int start)
{
	int brace = open_brace(line, start);
	return brace < 0 ? -1 : where_before(line, brace);
}

/* In "q:where{year = {g", the word is an operator. */
static int is_operator_context(const char *line, int start)
{
	int at = open_brace(line, start);
	while (at > 0 && line[at - 1] == ' ')
		at--;
	if (at <= 0 || line[at - 1] != '=')
		return 0;
	for (at--; at > 0 && line[at - 1] == ' '; at--)
		;
	if (at == 0 || !is_name_char(line[at - 1]))
		return 0;
	while (at > 0 && is_name_char(line[at - 1]))
		at--;
	return where_context(line, at) >= 0;
}

static const char *const where_operators[] = {
	"eq", "ne", "lt", "le", "gt", "ge", "between", "in", "contains", "null",
	NULL
};

/* Methods whose string arguments name columns. */
static const char *const column_methods[] = {
	"sort", "select", "pluck", "group", "sum", "avg", "min", "max", NULL
};

/* In q:sort("-year", "dur, the string is a column's name: returns where
** the ':' before the method is, or -1. `quote` opens the string. */
static int argument_context(const char *line, int quote)
{
	int at, depth = 0, name;
	for (at = quote - 1; at >= 0; at--) {
		char c = line[at];
		if (c == '"' || c == '\'')
			at = skip_string_back(line, at + 1);
		else if (c == ')' || c == ']' || c == '}')
			depth++;
		else if ((c == '(' || c == '[' || c == '{') && depth-- == 0)
			break;
	}
	if (at <= 0 || line[at] != '(')
		return -1;
	for (name = at; name > 0 && is_name_char(line[name - 1]); name--)
		;
	if (name == 0 || line[name - 1] != ':' ||
	    !is_listed(column_methods, line + name, (size_t)(at - name)))
		return -1;
	return name - 1;
}

/* Adds the columns of the query on top as string arguments; "-" before
** each too for sort. */
static void add_column_arguments(lua_State *L, const char *line, int colon,
                                 int names)
{
	int sort = strncmp(line + colon + 1, "sort(", 5) == 0, columns;
	lua_newtable(L);
	columns = lua_gettop(L);
	lua_pushvalue(L, -2);
	add_columns(L, columns);
	lua_pushnil(L);
	while (lua_next(L, columns) != 0) {
		lua_pop(L, 1);
		lua_pushvalue(L, -1);
		lua_pushboolean(L, 1);
		lua_rawset(L, names);
		if (sort) {
			lua_pushfstring(L, "-%s", lua_tostring(L, -1));
			lua_pushboolean(L, 1);
			lua_rawset(L, names);
		}
	}
	lua_settop(L, names);
}

/* collect(line, start[, quote]): the table whose keys are the names that
** may stand at `start` of the line; with `quote`, inside the string that
** it opens (only column names then). */
static int collect_candidates(lua_State *L)
{
	const char *line = luaL_checkstring(L, 1);
	int start = (int)luaL_checkinteger(L, 2), names, from, end = -1;
	int quote = (int)luaL_optinteger(L, 3, -1);
	const char *const *k;
	lua_newtable(L);
	names = lua_gettop(L);
	if (quote >= 0) {
		if ((end = argument_context(line, quote)) >= 0 &&
		    (from = expression_start(line, end)) >= 0 &&
		    evaluate_chain(L, line, from, end) == SEEN_VALUE &&
		    lreel_is_query(L, -1))
			add_column_arguments(L, line, end, names);
	} else if (start > 0 && (line[start - 1] == '.' || line[start - 1] == ':') &&
	    !(start > 1 && line[start - 2] == '.')) {
		end = start - 1;
		if ((from = expression_start(line, end)) >= 0)
			add_members(L, evaluate_chain(L, line, from, end), names);
	} else if (is_operator_context(line, start)) {
		for (k = where_operators; *k != NULL; k++) {
			lua_pushboolean(L, 1);
			lua_setfield(L, names, *k);
		}
	} else if ((end = where_context(line, start)) >= 0) {
		if ((from = expression_start(line, end)) >= 0 &&
		    evaluate_chain(L, line, from, end) == SEEN_VALUE &&
		    lreel_is_query(L, -1))
			add_columns(L, names);
	} else {
		lua_pushglobaltable(L);
		add_keys(L, names);
		for (k = keywords; *k != NULL; k++) {
			lua_pushboolean(L, 1);
			lua_setfield(L, names, *k);
		}
	}
	lua_settop(L, names);
	return 1;
}

static char **candidates;
static size_t candidate_count;

static void forget_candidates(void)
{
	size_t i;
	for (i = 0; i < candidate_count; i++)
		free(candidates[i]);
	free(candidates);
	candidates = NULL;
	candidate_count = 0;
}

/* Copies the names (keys of the table on top) that are identifiers, or
** all of them inside a string. */
static void keep_candidates(lua_State *L, int any_name)
{
	size_t room = 0;
	lua_pushnil(L);
	while (lua_next(L, -2) != 0) {
		size_t length;
		const char *name;
		lua_pop(L, 1);
		name = lua_tolstring(L, -1, &length);
		if (!any_name && !complete_is_identifier(name, length) &&
		    !is_listed(keywords, name, length))
			continue;
		if (candidate_count == room) {
			char **more = realloc(candidates, (room * 2 + 16) * sizeof *more);
			if (more == NULL)
				break;
			candidates = more;
			room = room * 2 + 16;
		}
		if ((candidates[candidate_count] = strdup(name)) != NULL)
			candidate_count++;
	}
}

/* Fills the candidates for the word at `start` of readline's line. The
** Lua work runs protected: an error there must not jump out of readline. */
static void gather_candidates(int start, int quote)
{
	lua_State *L = completing;
	int top = lua_gettop(L);
	forget_candidates();
	lua_sethook(L, NULL, 0, 0); /* no --timeout clock at the prompt */
	lua_pushcfunction(L, collect_candidates);
	lua_pushlstring(L, rl_line_buffer, (size_t)start);
	lua_pushinteger(L, start);
	lua_pushinteger(L, quote);
	if (lua_pcall(L, 3, 1, 0) == LUA_OK)
		keep_candidates(L, quote >= 0);
	lua_settop(L, top);
}

static char *next_candidate(const char *text, int state)
{
	static size_t next;
	size_t length = strlen(text);
	if (state == 0)
		next = 0;
	while (next < candidate_count) {
		const char *name = candidates[next++];
		if (strncmp(name, text, length) == 0)
			return strdup(name);
	}
	return NULL;
}

/* Tab: Lua names; inside an open string, a column's name where a method
** takes one (q:sort("dur), else file names. */
static char **complete_word(const char *text, int start, int end)
{
	char **matches;
	int quote = rl_completion_quote_character != 0 ? start - 1 : -1;
	(void)end;
	rl_attempted_completion_over = 1;
	rl_completion_append_character = '\0';
	gather_candidates(start, quote);
	matches = rl_completion_matches(text, next_candidate);
	forget_candidates();
	if (quote >= 0 && matches == NULL)
		matches = rl_completion_matches(text,
		                                rl_filename_completion_function);
	return matches;
}

static const char word_breaks[] = " \t\n\"'`@$><=;|&{}()[],.:+-*/%^~#\\!?";

/* Inside an open string the word is all of it, '/' and '.' included, so
** that a path completes whole. */
static char *choose_word_breaks(void)
{
	static char quote_breaks[] = "\"'";
	char quote = 0;
	int at;
	for (at = 0; at < rl_point; at++) {
		char c = rl_line_buffer[at];
		if (quote != 0 && c == '\\')
			at++;
		else if (quote != 0 && c == quote)
			quote = 0;
		else if (quote == 0 && (c == '"' || c == '\''))
			quote = c;
	}
	return quote != 0 ? quote_breaks : (char *)word_breaks;
}

void complete_start(lua_State *L)
{
	completing = L;
	rl_completion_word_break_hook = choose_word_breaks;
	rl_attempted_completion_function = complete_word;
	rl_basic_word_break_characters = word_breaks;
	rl_completer_word_break_characters = word_breaks;
	rl_completer_quote_characters = "\"'";
}
/* }====== */
