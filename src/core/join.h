/*
** join.h: two catalogues joined on key columns. Keys are equal when every
** key cell is: integers and numbers numerically (7 = 7.0), strings
** bytewise, booleans by value; a null key never matches, nor do keys of
** different kinds; text keys loosely alike (match.h) when the spec says
** so. Rows come in the left's order, and a left row's several
** matches in the right's. The result copies no cell: its columns are
** views of both sides' (table.h, column.map), read through the row ids of
** each side, 8 bytes a row. Pure C: no Lua here.
*/
#ifndef REEL_JOIN_H
#define REEL_JOIN_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "selection.h"
#include "table.h"

typedef enum join_kind {
	JOIN_INNER, /* only the left rows that match, with each match */
	JOIN_LEFT,  /* every left row; nulls on the right where none matches */
	JOIN_SEMI,  /* the left rows that have a match, once each */
	JOIN_ANTI   /* the left rows that have none */
} join_kind;

typedef struct join_spec {
	join_kind kind;
	const size_t *left_keys;  /* key columns of the left table... */
	const size_t *right_keys; /* ...and the right one's, pair by pair */
	size_t key_count;
	const char *suffix;       /* for clashing right names; NULL: "_2" */
	bool loose;               /* text keys compared by their loose keys
	                             (match.h): case, accents, punctuation,
	                             spacing and an article set aside */
} join_spec;

/* Where a column of a joined table comes from. */
typedef struct join_column {
	bool right;
	size_t column;
} join_column;

/* {====== Inner and left joins: a new table ====== */
/* The joined table's schema, with no rows yet: the columns are all of
** left's, then right's, typed as in their sources; a right key is left out
** when it has its left key's name (it would repeat it), and a right column
** whose name is taken (by a left column or a left film name, so `title`
** keeps meaning what it meant on the left) gets the suffix appended (again,
** until it is free). The left's film names carry over, then the right's
** where the result has no column or film name of that name. *sources gets
** one join_column a result column (reel_free it). NULL with err filled when
** memory runs out. */
table *join_schema(const table *left, const table *right, const join_spec *spec,
                   join_column **sources, reel_error *err);
/* Fills `out`, made by join_schema for these tables, with the joined rows
** of `ls` (of left) and `rs` (of right). 0, or -1 with err filled when
** memory runs out or the result would pass 2^32 - 1 rows (out is then left
** with no rows). */
int join_fill(table *out, const join_column *sources, const table *left,
              const selection *ls, const table *right, const selection *rs,
              const join_spec *spec, reel_error *err);
/* The rows join_fill (or for a semi or anti join, join_matching) would
** make, counted without making them. 0, or -1 with err filled. */
int join_count(const table *left, const selection *ls, const table *right,
               const selection *rs, const join_spec *spec, size_t *count,
               reel_error *err);
/* join_schema and join_fill at once. */
table *join_tables(const table *left, const selection *ls, const table *right,
                   const selection *rs, const join_spec *spec, reel_error *err);
/* }====== */

/* {====== Semi and anti joins: left rows ====== */
/* The rows of `ls` that have a match in `rs` (spec->kind JOIN_SEMI) or
** have none (JOIN_ANTI), in order; no table is made. NULL with err filled
** when memory runs out. */
selection *join_matching(const table *left, const selection *ls,
                         const table *right, const selection *rs,
                         const join_spec *spec, reel_error *err);
/* }====== */

#endif
