/*
** error.h: what went wrong in the core, typed.
** Every core function that can fail takes a reel_error and fills it: a code
** that says what kind of failure it was, which callers act on, and a
** message for people, which no caller searches. Pure C: no Lua here.
*/
#ifndef REEL_ERROR_H
#define REEL_ERROR_H

/* Room for a message: longer ones are cut. */
#define REEL_ERROR_MAX 512

typedef enum reel_error_code {
	REEL_ERROR_NONE,
	REEL_ERROR_MEMORY,   /* out of memory, or past the memory cap */
	REEL_ERROR_DATA,     /* a catalogue that cannot be read as one */
	REEL_ERROR_ARGUMENT, /* a request that does not fit the data: a
	                        predicate for another type, an unknown column */
	REEL_ERROR_IO,       /* the outside world: a file cannot be opened,
	                        written or replaced */
	REEL_ERROR_STOPPED   /* told to stop (stop.h): the deadline passed or
	                        the user interrupted */
} reel_error_code;

typedef struct reel_error {
	reel_error_code code;
	char message[REEL_ERROR_MAX];
} reel_error;

/* An error with no failure in it yet. */
#define REEL_ERROR_INIT {REEL_ERROR_NONE, ""}

/* Sets the code and the printf-style message and returns -1, so a failing
** function can end with `return error_set(...)`. `e` may be NULL (the
** caller does not want to know). */
int error_set(reel_error *e, reel_error_code code, const char *format, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;
/* The memory error, its message "WHERE: out of memory" (or "out of memory"
** when where is NULL). Returns -1. */
int error_memory(reel_error *e, const char *where);

#endif
