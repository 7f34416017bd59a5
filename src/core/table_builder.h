/*
** table_builder.h: the table builder's insides, shared by table_builder.c
** (filling it, value columns, two parts) and table_builder_finish.c
** (turning it into a table); no other file includes it. The builder's
** interface is table.h's "Building" sections. Pure C: no Lua here.
*/
#ifndef REEL_TABLE_BUILDER_H
#define REEL_TABLE_BUILDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cell.h"
#include "table.h"

#define MAX_ROWS ((size_t)UINT32_MAX)

/* One column while it is being built. */
typedef struct column_draft {
	uint64_t *offsets; /* where each text cell starts in the arena, or each
	                      value's slot (4-byte ones while not `wide`) */
	uint64_t *nulls;   /* bit r: row r is null; NULL until a null arrives */
	unsigned kinds;    /* KIND_* the cells so far allow, and KIND_SEEN */
	unsigned kept;     /* kinds before the current row, should it be undone */
	unsigned char mode; /* MODE_*: where the column's cells go */
	bool negative_zero; /* a value column has read "-0" as the integer 0 */
	bool wide;          /* MODE_INTEGER slots are 8 bytes, not 4 */
	unsigned char counted_width; /* the bytes a slot its counted rows count */
	bool marked;        /* a cell was a null marker that only a typed column
	                       reads as null (table_builder_null_marker) */
} column_draft;

/* A text column's cells go to the arena; a value column's are read at once
** into their slots, as integers while every cell is one, else as doubles.
** Integers take 4 bytes a slot while each fits 32 bits, so a year column
** touches half the memory; the first that does not fit widens them all. */
enum { MODE_TEXT, MODE_INTEGER, MODE_NUMBER };

struct table_builder {
	size_t column_count;
	char **names;
	column_draft *drafts;
	size_t row_count;
	size_t row_capacity;
	size_t cell;       /* cells given for the current row */
	char *arena;       /* cells' bytes, each followed by '\0'; arena[0] = '\0' */
	size_t arena_used;
	size_t arena_capacity;
	size_t row_start;  /* arena_used when the current row began */
	bool restart;      /* a value column met a cell that is not a number */
	unsigned late_restarts;
	decimal_reader decimals; /* for the odd number a value column reads */
	/* Split in two parts (table_builder_part): neither may grow, since the
	** other writes into the same blocks. The whole's room is kept here. */
	bool fixed;
	bool is_part;      /* a part: its blocks belong to the whole */
	size_t arena_base; /* where its first cell goes: 1, or a part's start */
	size_t full_rows;
	size_t full_bytes;
	/* After a join, the parts' text meets at a seam: the first row of the
	** second part, where the first's text ended, and where the second's
	** begins (the bytes between are never written). */
	size_t seam_row;
	size_t seam_end;
	size_t seam_next;
	/* What of the blocks is counted as in use (memory.h): the arena up to
	** arena_counted (from arena_base), and 8 bytes a column for each of
	** rows_counted rows; a part's slots start at the whole's first_row. */
	size_t arena_counted;
	size_t rows_counted;
	size_t first_row;
	table_builder *whole; /* a part's whole, whose drafts hold the blocks */
	/* The first cell that made its column text for a whole number too large
	** for 64 bits (cell.h, KIND_OVERSIZED); SIZE_MAX when none. */
	size_t oversized_row;
	size_t oversized_column;
	/* The cell texts read as null (table_builder_set_nulls): a NULL-terminated
	** list the caller keeps, the bytes they start with and the longest. */
	const char *const *null_markers;
	uint64_t marker_starts[4];
	size_t marker_longest;
};

/* What a cell's text is as a null marker: none, one that is null where the
** rest of its column is typed (or holds nothing else), or `\N`, always
** null. `text` need not be NUL-terminated. */
enum { MARKER_NONE, MARKER_TYPED, MARKER_ALWAYS };
int table_builder_null_marker(const table_builder *b, const char *text,
                              size_t length);

static inline size_t null_words(size_t rows)
{
	return (rows + 63) / 64;
}

/* Whether a value column keeps 4-byte integer slots. */
static inline bool draft_is_narrow(const column_draft *d)
{
	return d->mode == MODE_INTEGER && !d->wide;
}

/* The pages of a block past its first `used` bytes go back to the system
** (they read as zeros if touched again): a block whose mapping huge-page
** advice split may not shrink in place, and its squeezed-out tail would
** stay resident. */
void table_builder_release_tail(void *block, size_t used, size_t capacity);
/* Forgets the cells of the row being given. */
void table_builder_undo_row(table_builder *b);

#endif
