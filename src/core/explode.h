/*
** explode.h: one row an element of a list column (q:explode). The result
** is a new table of the source's columns whose rows are pairs of a source
** row and one of its elements: every column is gathered by row (no text
** copied), and the exploded column's cells are the elements where they
** lie in the source's arena. A null or empty list gives no row, as SQL's
** UNNEST does. Pure C: no Lua here.
*/
#ifndef REEL_EXPLODE_H
#define REEL_EXPLODE_H

#include <stddef.h>

#include "error.h"
#include "selection.h"
#include "table.h"

/* The result's schema, with no rows: the columns and film names of `t`,
** column `col` (a list column) plain text. NULL with err filled
** (REEL_ERROR_ARGUMENT when the column is no list, or REEL_ERROR_MEMORY). */
table *explode_schema(const table *t, size_t col, reel_error *err);
/* Fills `out`, made by explode_schema(t, col), with a row an element of
** the rows `in` of t, in their order. 0, or -1 with err filled (memory, or
** more than 2^32 - 2 rows); out then has no rows. */
int explode_fill(table *out, const table *t, const selection *in, size_t col,
                 reel_error *err);

#endif
