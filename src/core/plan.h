/*
** plan.h: a Query's plan, an immutable tree of operators over a table.
** Building a node checks its arguments and runs nothing; the core runs the
** chain when a result is asked for (rows, a count, one row, an aggregate),
** once, and keeps the answer in the node, so a Query asked twice does not
** run again. Running decides how: a where is prepared once and consecutive
** wheres run as one filter; a count or one row of a where comes from a scan
** that makes no row list; a limit of a sort (of a where) takes its rows
** from a top-k heap in one pass; a limit of a where stops when it has its
** rows. Steps that call Lua (filter, a comparator sort) run in the binding
** and hand the core the rows they kept. Pure C: no Lua here.
*/
#ifndef REEL_PLAN_H
#define REEL_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "aggregate.h"
#include "error.h"
#include "join.h"
#include "sample.h"
#include "search.h"
#include "selection.h"
#include "similar.h"
#include "sort.h"
#include "table.h"
#include "text.h"
#include "where.h"

typedef enum plan_kind {
	PLAN_SCAN,    /* every row of a table, in order */
	PLAN_WHERE,   /* the rows that satisfy predicates */
	PLAN_GIVEN,   /* rows made outside the core (a Lua filter or sort) */
	PLAN_SORT,    /* a stable sort by columns */
	PLAN_LIMIT,   /* rows offset+1 .. offset+count */
	PLAN_SAMPLE,  /* rows drawn at random (sample, shuffle) */
	PLAN_SELECT,  /* the same rows, showing some columns */
	PLAN_SEARCH,  /* rows whose text holds a needle */
	PLAN_GROUP,   /* one group of a grouping */
	PLAN_JOIN,    /* two inputs joined into a new table */
	PLAN_AGGREGATE, /* one row a distinct key, into a new table */
	PLAN_SIMILAR, /* the films most like seeds, into a new table */
	PLAN_EXPLODE  /* one row an element of a list column, a new table */
} plan_kind;

typedef struct plan_node plan_node;
typedef struct plan_grouping plan_grouping;

/* {====== Building ======
** Each call returns a new node with one holder (the caller), which holds
** its inputs and its table; NULL with err filled (REEL_ERROR_ARGUMENT for
** arguments that do not fit the table, REEL_ERROR_MEMORY). `step` is the
** name explain shows ("where", "filter"); it must be a string literal. */
plan_node *plan_scan(table *t, reel_error *err);
/* The predicates are copied (strings and sets too) and checked here. */
plan_node *plan_where(plan_node *input, const predicate *predicates,
                      size_t count, reel_error *err);
plan_node *plan_sort(plan_node *input, const sort_key *keys, size_t count,
                     reel_error *err);
plan_node *plan_limit(plan_node *input, const char *step, size_t offset,
                      size_t count, reel_error *err);
/* n rows of the input drawn now with `r` (all of them, shuffled, for
** SIZE_MAX), so draws follow the order of the calls. */
plan_node *plan_sample(plan_node *input, const char *step, size_t n,
                       film_random *r, reel_error *err);
plan_node *plan_select(plan_node *input, const size_t *columns, size_t count,
                       reel_error *err);
/* The rows whose text holds `text`: in the columns of `scope` (copied),
** or every text column when scope is NULL or names none; ranked by
** relevance when scope->rank says so, else in their order. */
plan_node *plan_search(plan_node *input, const char *text, size_t length,
                       const search_scope *scope, reel_error *err);
/* Rows of the input's table that a step outside the core chose; the node
** takes `rows` (freed on failure too). */
plan_node *plan_given(plan_node *input, const char *step, selection *rows,
                      reel_error *err);
/* The rows of `left` joined with those of `right` on the key columns of
** `spec` (copied): an inner or left join makes a new table (see join.h),
** a semi or anti join keeps left rows. Joined when its rows are asked for;
** a where on its result goes below it, onto the side that owns the
** columns, where the result stays the same. */
plan_node *plan_join(plan_node *left, plan_node *right, const join_spec *spec,
                     reel_error *err);

/* One row a distinct key of `by` with the specs' aggregates (see
** aggregate.h): by and specs (their names too) are copied; the rows are
** made when asked for. */
plan_node *plan_aggregate(plan_node *input, const aggregate_by *by,
                          const aggregate_spec *specs, size_t count,
                          reel_error *err);

/* The films of the input most like the request's seeds, best first, in a
** new table with `score` and `reason` columns (see similar.h); the request
** is copied and its seeds' tables held. Checked here (a catalogue with no
** signal is an argument error); ranked when its rows are asked for. */
plan_node *plan_similar(plan_node *input, const similar_request *request,
                        reel_error *err);

/* One row an element of the list column `col` of the input (see
** explode.h): checked here (the column must be a list), exploded when its
** rows are asked for. */
plan_node *plan_explode(plan_node *input, size_t col, reel_error *err);

plan_node *plan_retain(plan_node *n);
/* Drops one holder; the last frees the node and drops its inputs. */
void plan_release(plan_node *n);
/* }====== */

/* {====== Running ====== */
/* The table the node's rows belong to. */
table *plan_table(const plan_node *n);
/* The node's rows, made now if they are not yet; owned by the node. NULL
** with err filled on failure. */
const selection *plan_rows(plan_node *n, reel_error *err);
/* How many rows, found without making them where that can be. */
int plan_count(plan_node *n, size_t *count, reel_error *err);
/* The row at place i (from 0), for a single pick (first, last, random):
** found without making the rows where it can, by a scan of a where or a
** top-1 of a sort, so walking every row this way is slow (use plan_rows).
** 1 when there is one, 0 when not, -1 with err filled. */
int plan_row_at(plan_node *n, size_t i, row_id *row, reel_error *err);
/* q:sum/avg/min/max: aggregate_rows over the node's rows; a group's sum
** and avg come from one pass over every group of its grouping. */
int plan_total(plan_node *n, size_t column, aggregate kind,
               collation collate, value *result, reel_error *err);
/* The columns a select chose (in order), or NULL for all of them. */
const size_t *plan_columns(const plan_node *n, size_t *count);
/* The plan as text, one line a step from the catalogue up: the step, its
** rows (counted now where they are not known) and how it ran ("native",
** "calls Lua per film", "native, first rows only (top-k of the sort)").
** A join's other input is shown indented above it. 0, or -1 with err. */
int plan_explain(plan_node *n, text_buffer *out, reel_error *err);
/* }====== */

/* {====== Groups ======
** q:group(col): the input's rows by the value of a column, groups in
** ascending key order and the null group last. Counting groups (years)
** count first and place their rows when a group's rows are asked for. */
plan_grouping *plan_group(plan_node *input, size_t column, reel_error *err);
size_t plan_grouping_count(const plan_grouping *g);
/* Group i's key: a row of the table holding it, or false for the null
** group. */
bool plan_grouping_key(const plan_grouping *g, size_t i, row_id *key_row);
/* The node of group i (a new holder). */
plan_node *plan_grouping_member(plan_grouping *g, size_t i, reel_error *err);
void plan_grouping_release(plan_grouping *g);
/* }====== */

#endif
