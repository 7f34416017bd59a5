/*
** complete.h: Tab completion at the prompt, for GNU readline. Used by
** repl.c.
*/
#ifndef REEL_COMPLETE_H
#define REEL_COMPLETE_H

#include <stddef.h>

#include <lua.h>

/* Completes words from what `L` holds: set up readline to ask. */
void complete_start(lua_State *L);
/* Whether s is a Lua name: not a keyword, not starting with a digit. */
int complete_is_identifier(const char *s, size_t length);

#endif
