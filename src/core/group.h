/*
** group.h: the rows of a selection grouped by the value of one column,
** groups in ascending key order and the null group (if any) last. A
** grouping by counting (integer keys in a small span, as years) can count
** first and place the rows later. Pure C: no Lua here.
*/
#ifndef REEL_GROUP_H
#define REEL_GROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "selection.h"
#include "table.h"

typedef struct film_group {
	row_id key_row;    /* a row holding the group's key */
	bool key_is_null;
	size_t count;      /* how many rows the group has */
	selection *rows;   /* the group's rows, in the input's order; NULL
	                      while the list puts them off */
} film_group;

typedef struct group_list {
	film_group *groups;
	size_t count;
	bool rows_put_off; /* the groups' rows are not made yet */
	int64_t least;     /* the key span counting found (when put off) */
	uint64_t span;
} group_list;

/* The rows of `in` grouped by the value of `column`; NULL when memory runs
** out or `column` is past the last. */
group_list *group_by(const table *t, const selection *in, size_t column);
/* The same groups, but a grouping by counting only counts: every group's
** key and count are set, and rows_put_off says its rows are not made until
** group_fill_rows. */
group_list *group_keys(const table *t, const selection *in, size_t column);
/* Makes the put-off rows of groups that group_keys(t, in, column) made;
** nothing when none are put off. 0, or -1 when out of memory (the rows stay
** put off). */
int group_fill_rows(const table *t, const selection *in, size_t column,
                    group_list *groups);
void group_free(group_list *groups);
/* The bucket of row r in a grouping by counting whose keys start at
** `least` and span `span`: its key's place, or span + 1 for a null. */
size_t group_bucket(const column *col, row_id r, int64_t least, uint64_t span);

#endif
