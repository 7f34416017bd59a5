/*
** repl.h: the interactive session (readline on a terminal).
** repl.c reads statements and prints their results; it runs each one
** through run_call (run.c), so that a statement at the prompt is
** interrupted and limited like a script.
*/
#ifndef REEL_REPL_H
#define REEL_REPL_H

#include <lua.h>

/* Reads, runs and prints statements from standard input until it ends.
** Errors are printed and the loop goes on. Returns the exit status (0). */
int repl_run(lua_State *L);

/* Where `films` came from, for the banner: the catalogue's path, or NULL
** for the built-in list. Set by main.c before repl_run. */
extern const char *repl_catalogue;

#endif
