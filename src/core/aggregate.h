/*
** aggregate.h: sum, avg, min and max of a column's non-null cells, over a
** selection or over every group of a grouping at once. Pure C: no Lua here.
*/
#ifndef REEL_AGGREGATE_H
#define REEL_AGGREGATE_H

#include <stddef.h>

#include "collate.h"
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
/* The same, min and max of text in the order `collate` names. */
int aggregate_collated(const table *t, const selection *in, size_t column,
                       aggregate kind, collation collate, value *result,
                       reel_error *err);

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

/* {====== Aggregates as a table (aggregate_table.c) ====== */
/* The functions of q:aggregate's specs, in the order of their names. */
typedef enum aggregate_function {
	AGGREGATE_COUNT,         /* rows, or a column's non-null cells */
	AGGREGATE_FUNCTION_SUM,
	AGGREGATE_FUNCTION_AVG,
	AGGREGATE_FUNCTION_MIN,
	AGGREGATE_FUNCTION_MAX,
	AGGREGATE_MEDIAN,
	AGGREGATE_COUNT_DISTINCT
} aggregate_function;

/* A spec's column for a count of rows. */
#define AGGREGATE_ROWS ((size_t)-1)

/* One result column: the function, its column (or AGGREGATE_ROWS), and
** the result's name for it ("avg_duration", or as given). */
typedef struct aggregate_spec {
	aggregate_function function;
	size_t column;
	const char *name;
} aggregate_spec;

/* The key columns: one row of the result a distinct key (null keys form
** one), none for a single row over everything. */
typedef struct aggregate_by {
	const size_t *columns;
	size_t count;
	collation collate; /* the order of text keys, and of min and max */
	const unsigned char *parts; /* each key's aggregate_part; NULL: whole */
} aggregate_by;

/* "count", "sum", ..., and back (-1 when no function has that name). */
const char *aggregate_function_name(aggregate_function f);
int aggregate_function_from_name(const char *name);

/* The result's schema with no rows: the key columns as in `t`, then one
** column a spec: count and count_distinct integers, sum as its column,
** avg and median numbers, min and max as their column. NULL with err filled
** when a function does not apply to its column (sum, avg or median of
** text), two result columns share a name, or memory runs out. */
table *aggregate_schema(const table *t, const aggregate_by *by,
                        const aggregate_spec *specs, size_t count,
                        reel_error *err);
/* Fills `out` (made by aggregate_schema) with one row a distinct key of
** the rows of `in`: in ascending key order with the null key last when
** that is free (integer keys grouped by their slots, or no key), else in
** the order the keys were first met, since key order would take a sort;
** *key_ordered says which. Whoever needs the order sorts the rows by the
** result's key columns (the first ones), which `#` and a where's count do
** not. A sum of integers past int64 becomes a column of numbers. 0, or -1
** with err. */
int aggregate_fill(table *out, const table *t, const selection *in,
                   const aggregate_by *by, const aggregate_spec *specs,
                   size_t count, bool *key_ordered, reel_error *err);
/* The number of rows aggregate_fill would make: the distinct keys of the
** rows of `in`, found without ordering them or working out any aggregate
** (`#q` of an aggregate). 0, or -1 with err. */
int aggregate_count_groups(const table *t, const selection *in,
                           const aggregate_by *by, size_t *count,
                           reel_error *err);
/* }====== */

/* {====== Keys from dates (aggregate_dates.c) ====== */
/* What of a key column is grouped on: the whole cell, or the year or the
** month (1-12) of a date, as year(released) and month(released) ask; such
** a key's result column is an integer called "year_released". */
typedef enum aggregate_part {
	AGGREGATE_PART_WHOLE,
	AGGREGATE_PART_YEAR,
	AGGREGATE_PART_MONTH
} aggregate_part;

/* Whether a key of `by` is a part of a date. */
bool aggregate_dates_used(const aggregate_by *by);
/* The table those keys are grouped in: t's columns at the rows of `in`
** (none when `in` is NULL, for a schema), then one integer column for each
** key that is a part, its year or month (null where the date is). keys[i]
** gets the column of that table key i now is. NULL with err filled when a
** part's column holds no dates, or memory runs out. */
table *aggregate_dates_table(const table *t, const selection *in,
                             const aggregate_by *by, size_t *keys,
                             reel_error *err);
/* }====== */

#endif
