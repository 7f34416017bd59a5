/*
** join.h: two catalogues joined on a key column into a new table. Pure C:
** no Lua here.
*/
#ifndef REEL_JOIN_H
#define REEL_JOIN_H

#include <stddef.h>

#include "error.h"
#include "selection.h"
#include "table.h"

typedef enum join_kind {
	JOIN_INNER, /* only the left rows that match */
	JOIN_LEFT   /* every left row; nulls on the right where none matches */
} join_kind;

/* A new table joining the rows of `ls` (of `left`) with those of `rs` (of
** `right`) whose key cells are equal: integers and numbers numerically,
** strings bytewise, booleans by value; a null key never matches, nor do keys
** of different kinds. Rows come in the order of `ls`, and a left row's
** several matches in the order of `rs`. The columns are all of left's, then
** right's, typed as in their sources; the right key is left out when it has
** the left key's name (it would repeat it), and a right column whose name is
** taken (by a left column or a left film name, so `title` keeps meaning what
** it meant on the left) gets `suffix` appended (again, until it is free).
** The left's film names carry over, then the right's where the result has
** no column or film name of that name. NULL with err filled when memory
** runs out or the result would pass 2^32 - 1 rows. */
table *join_tables(const table *left, const selection *ls, const table *right,
                  const selection *rs, size_t left_key, size_t right_key,
                  join_kind kind, const char *suffix, reel_error *err);

#endif
