/*
** sandbox.c: what scripts may reach (see cli.h): source text only on every
** path that loads code, and --sandbox, an allow-list of safe libraries with
** no files, processes or native code. Relies on Lua and the binding.
*/
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "cli/cli.h"
#include "lua/lreel.h"

/* {====== Source text only ====== */

/* A precompiled chunk skips the compiler's checks, and a crafted one can
** break the virtual machine, so every way reel loads code (scripts, -e,
** load, loadfile, dofile, require) takes source text only. */

#define REFUSAL \
	"precompiled binary chunk refused (reel runs Lua source text only)"

/* Turns Lua's "attempt to load a binary chunk" on top of the stack into a
** message that says what happened, naming the file when there is one. */
void sandbox_explain_refusal(lua_State *L, const char *name)
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
		sandbox_explain_refusal(L, name);
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
		sandbox_explain_refusal(L, name != NULL ? name : "stdin");
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
		sandbox_explain_refusal(L, NULL);
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

void sandbox_source_text_only(lua_State *L)
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

void sandbox_enter(lua_State *L, const cli *c)
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
