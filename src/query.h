/*
** query.h: selections of a table's rows and the native work done on them.
** A selection is an ordered list of row ids; every function here reads its
** inputs and returns a new selection (or value), so a Query built on them is
** immutable. Predicates, sorts, sampling, grouping, aggregates and search run
** over the columns in C. Pure C: no Lua here. Memory comes from memory.h;
** functions that allocate return NULL (or -1) when memory runs out.
*/
#ifndef REEL_QUERY_H
#define REEL_QUERY_H

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

/* {====== Selections ====== */
selection *selection_new(size_t capacity);          /* empty */
selection *selection_all(const table *t);           /* rows 0..n-1 */
selection *selection_copy(const selection *s);
int selection_push(selection *s, row_id row);       /* 0, or -1: no memory */
void selection_free(selection *s);
/* Rows offset+1 .. offset+limit of s (fewer where s ends). */
selection *query_slice(const selection *s, size_t offset, size_t limit);
/* }====== */

/* {====== Predicates (where) ====== */
typedef enum predicate_op {
	OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE,
	OP_BETWEEN,  /* operand <= x <= upper */
	OP_IN,       /* x equals one of set[0 .. set_count-1] */
	OP_CONTAINS, /* string x holds operand, case-insensitively */
	OP_NULL      /* operand.as.boolean: true keeps nulls, false non-nulls */
} predicate_op;

typedef struct predicate {
	size_t column;
	predicate_op op;
	value operand;
	value upper;
	const value *set;
	size_t set_count;
} predicate;

/* Name of an op as where{} spells it ("eq", "between", ...), and back
** (-1 when `name` is no op). */
const char *predicate_op_name(predicate_op op);
int predicate_op_from_name(const char *name);

/* The rows of `in` that satisfy every predicate (AND). A null cell matches
** no comparison (only OP_NULL). Integers and numbers compare as numbers.
** NULL with err filled when a predicate does not fit its column (a string
** operand for a numeric column, contains on a number), or out of memory. */
selection *query_where(const table *t, const selection *in,
                       const predicate *predicates, size_t count, char *err);
/* }====== */

/* {====== Where without a selection (scale work) ====== */
/* What query_where would say of the predicates, without running them: 0, or
** -1 with err filled. */
int query_where_check(const table *t, const predicate *predicates,
                      size_t count, char *err);
/* How many rows query_where would keep, found without making the
** selection; (size_t)-1 with err filled on failure. */
size_t query_where_count(const table *t, const selection *in,
                         const predicate *predicates, size_t count, char *err);
/* The row query_where would keep at place n (from 0), in *row, without
** making the selection: 1 when found, 0 when fewer rows are kept, -1 with
** err filled on failure. */
int query_where_nth(const table *t, const selection *in,
                    const predicate *predicates, size_t count, size_t n,
                    row_id *row, char *err);
/* }====== */

/* {====== Ordering ====== */
typedef struct sort_key {
	size_t column;
	bool descending;
} sort_key;

/* A stable sort of `in` by the keys in turn; nulls last in either direction. */
selection *query_sort(const table *t, const selection *in,
                      const sort_key *keys, size_t count);

/* <0 when row a goes before row b, >0 after, 0 when either order will do. */
typedef int (*row_compare)(void *context, row_id a, row_id b);
/* A stable merge sort of s in place by `compare`, using `scratch` (room for
** s->count rows) as work space. Allocates nothing, so `compare` may leave by
** longjmp (a Lua error) without leaking. */
void selection_sort_with(selection *s, row_id *scratch,
                         row_compare compare, void *context);
/* }====== */

/* {====== Randomness ====== */
/* One seeded generator (xoshiro256**) behind random, sample and shuffle. */
typedef struct film_random {
	uint64_t state[4];
} film_random;

void film_random_seed(film_random *r, uint64_t seed);
/* Uniform in [0, n); n > 0. */
uint64_t film_random_below(film_random *r, uint64_t n);
/* n rows of s drawn without replacement, in random order (all when n is
** larger than s). */
selection *query_sample(const selection *s, size_t n, film_random *r);
selection *query_shuffle(const selection *s, film_random *r);
/* }====== */

/* {====== Groups and aggregates ====== */
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

/* The rows of `in` grouped by the value of `column`, groups in ascending
** key order and the null group (if any) last. */
group_list *query_group(const table *t, const selection *in, size_t column);
/* The same groups, but a grouping by counting (integer keys in a small
** span, as years) only counts: every group's key and count are set, and
** rows_put_off says its rows are not made until query_group_rows. */
group_list *query_group_keys(const table *t, const selection *in, size_t column);
/* Makes the put-off rows of groups that query_group_keys(t, in, column)
** made; nothing when none are put off. 0, or -1 when out of memory (the
** rows stay put off). */
int query_group_rows(const table *t, const selection *in, size_t column,
                     group_list *groups);
void group_list_free(group_list *groups);

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
** a string column). */
int query_aggregate(const table *t, const selection *in, size_t column,
                    aggregate kind, value *result, char *err);
/* }====== */

/* {====== Aggregates of every group at once (scale work) ====== */
/* The sum or avg of `column` for every group of `groups`, which
** query_group(t, in, key) made, in results[0 .. groups->count-1]: the same
** values query_aggregate gives group by group, found in one pass over `in`
** (so in input order, not scattered). 1 when done; 0 when this grouping or
** aggregate has no such pass (keys not grouped by counting, min or max, an
** integer sum past int64) and the caller should go group by group; -1
** when out of memory. */
int query_group_aggregates(const table *t, const selection *in, size_t key,
                           const group_list *groups, size_t column,
                           aggregate kind, value *results);
/* }====== */

/* {====== Search ====== */
/* The rows of `in` where any string column contains `text`, compared after
** Unicode case folding. */
selection *query_search(const table *t, const selection *in,
                        const char *text, size_t length);
/* }====== */

/* {====== Sort then limit ====== */
/* The first `limit` rows of query_sort(t, in, keys, count), the same rows in
** the same order, found without sorting the rest when `limit` is small. */
selection *query_sort_limit(const table *t, const selection *in,
                            const sort_key *keys, size_t count, size_t limit);
/* The first `limit` rows of the where (predicates over `in`) sorted by the
** keys: the same rows query_sort_limit gives of query_where's, found in one
** pass that never makes the where's selection when `limit` is small. NULL
** with err filled on failure. */
selection *query_where_sort_limit(const table *t, const selection *in,
                                  const predicate *predicates, size_t count,
                                  const sort_key *keys, size_t key_count,
                                  size_t limit, char *err);
/* }====== */

/* Order of two values: nulls last, numbers before strings; 0 when equal. */
int value_compare(const value *a, const value *b);

/* {====== Joins (join.c) ====== */
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
table *table_join(const table *left, const selection *ls, const table *right,
                  const selection *rs, size_t left_key, size_t right_key,
                  join_kind kind, const char *suffix, char *err);
/* }====== */

#endif
