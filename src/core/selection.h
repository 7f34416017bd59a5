/*
** selection.h: a selection is an ordered list of a table's row ids, the
** rows an operator keeps in the order it keeps them. Functions that make
** one return NULL when memory runs out. Pure C: no Lua here.
*/
#ifndef REEL_SELECTION_H
#define REEL_SELECTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "table.h"

typedef struct selection {
	row_id *rows;
	size_t count;
	size_t capacity;
	bool every_row; /* rows[i] is i for each i: a whole table in order, as
	                   selection_all makes it, which a pass may read straight */
} selection;

selection *selection_new(size_t capacity);          /* empty */
selection *selection_all(const table *t);           /* rows 0..n-1 */
selection *selection_copy(const selection *s);
/* A new selection holding rows[0 .. count-1]. */
selection *selection_from(const row_id *rows, size_t count);
int selection_push(selection *s, row_id row);       /* 0, or -1: no memory */
/* Appends rows[0 .. count-1], doubling the room as needed; 0, or -1. */
int selection_append(selection *s, const row_id *rows, size_t count);
void selection_free(selection *s);
/* Rows offset+1 .. offset+limit of s (fewer where s ends). */
selection *selection_slice(const selection *s, size_t offset, size_t limit);
/* Gives back the unused tail of a selection that a filter shrank a lot. A
** failed shrink leaves the (larger) block in place, which is fine. */
void selection_trim(selection *s);

/* <0 when row a goes before row b, >0 after, 0 when either order will do. */
typedef int (*row_compare)(void *context, row_id a, row_id b);
/* A stable merge sort of s in place by `compare`, using `scratch` (room for
** s->count rows) as work space. Allocates nothing, so `compare` may leave by
** longjmp (a Lua error) without leaking. */
void selection_sort_with(selection *s, row_id *scratch,
                         row_compare compare, void *context);

/* The row at place i of `in`: read straight when `in` is every row. */
#define ROW_AT(in, i) ((in)->every_row ? (row_id)(i) : (in)->rows[i])

/* Runs `body` for each row `r` at places from .. to-1 of `in`, with `x`
** the integer of column `col` (an integer column) there. The loop is
** written out once for each of the column's widths and for a whole table in
** order, so that neither is asked row by row in the passes that group and
** aggregate; a range of a whole table (one core's half) keeps the straight
** loop. A view (a join's column) reads each row through its map, a lone
** row as 0 (its cell is null: column_is_null). */
#define FOR_EACH_INTEGER_IN(col, in, from, to, r, x, body) \
	do { \
		size_t i_; \
		if ((col)->map != NULL) { \
			for (i_ = (from); i_ < (to); i_++) { \
				row_id r = ROW_AT(in, i_); int64_t x = column_integer(col, r); \
				body \
			} \
		} else if ((col)->narrow != NULL && (in)->every_row) { \
			for (i_ = (from); i_ < (to); i_++) { \
				row_id r = (row_id)i_; int64_t x = (col)->narrow[i_]; body \
			} \
		} else if ((col)->narrow != NULL) { \
			for (i_ = (from); i_ < (to); i_++) { \
				row_id r = (in)->rows[i_]; int64_t x = (col)->narrow[r]; body \
			} \
		} else { \
			for (i_ = (from); i_ < (to); i_++) { \
				row_id r = ROW_AT(in, i_); int64_t x = (col)->integers[r]; body \
			} \
		} \
	} while (0)
/* The same over every row of `in`. */
#define FOR_EACH_INTEGER(col, in, r, x, body) \
	FOR_EACH_INTEGER_IN(col, in, 0, (in)->count, r, x, body)

#endif
