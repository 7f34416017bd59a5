/*
** help.h: the REPL's `help` global, a one-line list of the Lua API and the
** usage of each call with an example. Used by repl.c.
*/
#ifndef REEL_HELP_H
#define REEL_HELP_H

#include <lua.h>

/* Sets the global `help`: help() lists the calls, help("where") shows one. */
void help_register(lua_State *L);

#endif
