/*
** aggregate.h: sum, avg, min and max of a column's non-null cells, over a
** selection or over every group of a grouping at once. Pure C: no Lua here.
*/
#ifndef REEL_AGGREGATE_H
#define REEL_AGGREGATE_H

#include <stddef.h>

#include "error.h"
#include "group.h"
#include "selection.h"
#include "table.h"

typedef enum aggregate {
	AGGREGATE_SUM,
	AGGREGATE_AVG,
	AGGREGATE_MIN,
	AGGREGATE_MAX
} aggregate;

/* The aggregate over the non-null cells of `column` in `in`, in *result
** (VALUE_NULL when there are none). sum of integers is an integer (a number
** if it would overflow), avg a number; min and max keep the column's type
** (strings compare bytewise). Returns 0, or -1 with err filled (sum or avg of
** a string column: REEL_ERROR_ARGUMENT). */
int aggregate_rows(const table *t, const selection *in, size_t column,
                   aggregate kind, value *result, reel_error *err);

/* The sum or avg of `column` for every group of `groups`, which
** group_by(t, in, key) or group_keys made, in results[0 .. groups->count-1]:
** the same values aggregate_rows gives group by group, found in one pass
** over `in` (so in input order, not scattered). 1 when done; 0 when this
** grouping or aggregate has no such pass (keys not grouped by counting, min
** or max, an integer sum past int64) and the caller should go group by
** group; -1 when out of memory. */
int aggregate_groups(const table *t, const selection *in, size_t key,
                     const group_list *groups, size_t column,
                     aggregate kind, value *results);

#endif
