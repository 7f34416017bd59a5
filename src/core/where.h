/*
** where.h: the rows that satisfy predicates.
** A where is a list of predicates (ANDed) on a table's columns. It is
** checked and prepared once (its `in` sets sorted, its contains needles
** folded), then run over any selection of that table: made into a
** selection, counted, or picked from, a chunk of rows at a time, without
** making the selection. Pure C: no Lua here.
*/
#ifndef REEL_WHERE_H
#define REEL_WHERE_H

#include <stddef.h>

#include "error.h"
#include "selection.h"
#include "table.h"

typedef enum predicate_op {
	OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE,
	OP_BETWEEN,  /* operand <= x <= upper */
	OP_IN,       /* x equals one of set[0 .. set_count-1] */
	OP_CONTAINS, /* string x holds operand, case-insensitively */
	OP_NULL,     /* operand.as.boolean: true keeps nulls, false non-nulls */
	OP_HAS       /* list x has an element that is operand (list.h) */
} predicate_op;

#define OP_COUNT (OP_HAS + 1)

typedef struct predicate {
	size_t column;
	predicate_op op;
	value operand;
	value upper;
	const value *set;
	size_t set_count;
	bool no_accents; /* contains, eq, ne, has on text: accents folded away
	                    (and case, which contains folds anyway) */
} predicate;

/* Name of an op as where{} spells it ("eq", "between", ...), and back
** (-1 when `name` is no op). */
const char *where_op_name(predicate_op op);
int where_op_from_name(const char *name);

/* Predicates checked and prepared for the table `t`. A null cell matches no
** comparison (only OP_NULL); integers and numbers compare as numbers; eq
** and ne with a null operand ask for nulls and non-nulls. The predicates
** (and the strings and sets they point to) must outlive the filter. NULL
** with err filled (REEL_ERROR_ARGUMENT) when a predicate does not fit its
** column (a string operand for a numeric column, contains on a number),
** or when memory runs out. */
typedef struct where_filter where_filter;
where_filter *where_prepare(const table *t, const predicate *predicates,
                            size_t count, reel_error *err);
void where_free(where_filter *w);
/* What where_prepare would say of the predicates, without preparing them
** (nothing is allocated): 0, or -1 with err filled. */
int where_check(const table *t, const predicate *predicates, size_t count,
                reel_error *err);

/* The rows of `in` the filter keeps, in order. NULL with err filled when
** memory runs out. */
selection *where_rows(where_filter *w, const selection *in, reel_error *err);

/* {====== Without making the selection ====== */
/* Rows go through the filter a chunk of WHERE_CHUNK at a time, through a
** buffer on the stack that stays in cache. */
#define WHERE_CHUNK 2048
/* The rows of in->rows[start .. start + WHERE_CHUNK) (fewer at the end) the
** filter keeps, into chunk; (size_t)-1 when memory runs out. */
size_t where_chunk(where_filter *w, const selection *in, size_t start,
                   row_id *chunk);
/* How many rows where_rows would keep; (size_t)-1 with err filled. */
size_t where_count(where_filter *w, const selection *in, reel_error *err);
/* The row where_rows would keep at place n (from 0), in *row: 1 when found,
** 0 when fewer rows are kept, -1 with err filled. */
int where_nth(where_filter *w, const selection *in, size_t n, row_id *row,
              reel_error *err);
/* }====== */

#endif
