/*
** read_halves.h: a big catalogue read in two halves at once, shared by the
** read*.c files only. The reader finds a record boundary near the middle
** and bounds each half's rows and cell bytes; each half then fills its own
** part of one table builder on its own thread, and the parts are joined.
** A column whose values are numbers in one half and text in the other ends
** as text in both (each half read again), so the table is the one a
** reading of the whole would make. Pure C: no Lua here.
*/
#ifndef REEL_READ_HALVES_H
#define REEL_READ_HALVES_H

#include <stddef.h>

#include "table.h"

/* Below this many bytes, a second thread costs more than it saves. */
#define READ_HALVES_AT_LEAST ((size_t)4 << 20)

typedef struct read_halves {
	table_builder *builder; /* the whole, empty: the first half fills it */
	size_t first_rows;      /* at most the first half's rows */
	size_t rows;            /* at most both halves' rows */
	size_t first_bytes;     /* at most the first half's cell bytes, each
	                           cell's '\0' and the arena's first byte counted */
	size_t bytes;           /* at most both halves' */
	/* Reads a half, from its first record, into `builder` (the half's part):
	** 0 when every record of the half was read and it ended where the next
	** half begins; else not 0 (the half says why itself). */
	int (*read)(void *half, table_builder *builder);
	void *halves[2];
} read_halves;

/* Reads both halves; 0 with every row in h->builder, or -1 with the
** builder empty and whole, for the reader to read the input whole (or to
** give up, when a half was told to stop). */
int read_halves_run(read_halves *h);

#endif
