/*
** progress.h: how far a long step has got (a load, a save, printing rows,
** a query), for a front end to show. The core only counts: a step begins,
** its bytes and rows are added as they pass (from any thread: the counts
** are atomic), and it ends. A front end that wants to draw registers a
** watcher, told when a step begins and ends, and reads the counts when it
** likes. Nested steps count towards the outermost one. Pure C: no Lua here.
*/
#ifndef REEL_PROGRESS_H
#define REEL_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

typedef enum progress_step {
	PROGRESS_LOAD,  /* reading a catalogue */
	PROGRESS_SAVE,  /* writing rows to a file */
	PROGRESS_PRINT, /* writing rows to standard output or a pager */
	PROGRESS_QUERY  /* running a Query's plan */
} progress_step;

#define PROGRESS_NAME_MAX 200

typedef struct progress_snapshot {
	progress_step step;
	char name[PROGRESS_NAME_MAX]; /* the file, or "" */
	uint64_t bytes, total_bytes;  /* a total of 0: not known */
	uint64_t rows, total_rows;
} progress_snapshot;

/* Called on the thread that begins or ends a step: `begins` true at the
** start of an outermost step, false at its end. */
typedef void (*progress_watcher)(void *context, bool begins);

/* Registers the one watcher (NULL: none). */
void progress_watch(progress_watcher watcher, void *context);

/* A step of `name` (copied; may be NULL) with the totals known (0 when
** not). Every progress_begin is paired with one progress_end. */
void progress_begin(progress_step step, const char *name, uint64_t total_bytes,
                    uint64_t total_rows);
void progress_add(uint64_t bytes, uint64_t rows);
/* The step's bytes count again from 0 towards a new total (0: unknown): a
** load of a gzip file counts the compressed bytes as it inflates them, then
** the text as it reads it. */
void progress_restart_bytes(uint64_t total_bytes);
void progress_end(void);

/* The outermost step's counts now; safe from another thread between the
** watcher's "begins" and "ends". */
void progress_read(progress_snapshot *s);

#endif
