/*
** aggregate.c: sum, avg, min and max of a column (see aggregate.h), over
** one selection or over every group of a grouping in one pass. Integer
** sums are exact. Relies on group.h and memory.h. Pure C.
*/
#include "aggregate.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "memory.h"
#include "parallel.h"
#include "sort.h"

/* {====== Aggregates ====== */

static value integer_cell(int64_t x)
{
	value v;
	v.kind = VALUE_INTEGER;
	v.as.integer = x;
	return v;
}

static const char *aggregate_name(aggregate kind)
{
	switch (kind) {
	case AGGREGATE_SUM: return "sum";
	case AGGREGATE_AVG: return "avg";
	case AGGREGATE_MIN: return "min";
	default: return "max";
	}
}

/* A compensated (Kahan-Babushka-Neumaier) running sum, so that a column of
** 0.1s adds up to what a person expects. */
typedef struct number_sum {
	double sum, compensation;
	size_t cells;
} number_sum;

static void number_sum_add(number_sum *s, double x)
{
	double t = s->sum + x;
	if (fabs(s->sum) >= fabs(x))
		s->compensation += (s->sum - t) + x;
	else
		s->compensation += (x - t) + s->sum;
	s->sum = t;
	s->cells++;
}

static double number_sum_total(const number_sum *s)
{
	double total = s->sum + s->compensation;
	return isnan(total) && !isnan(s->sum) ? s->sum : total;  /* infinities */
}

static void sum_as_numbers(const table *t, const selection *in, size_t column_index,
                           number_sum *s)
{
	const column *col = &t->columns[column_index];
	size_t i;
	memset(s, 0, sizeof *s);
	for (i = 0; i < in->count; i++) {
		row_id r = in->rows[i];
		if (!column_is_null(col, r))
			number_sum_add(s, col->type == COLUMN_INTEGER ?
			                  (double)column_integer(col, r) : column_number(col, r));
	}
}

/* The halves of an exact sum of int64 cells: each cell's high 32 bits (as
** a signed number) and low 32 bits are summed apart. Neither sum can
** overflow for the up to 2^32 rows a table holds, so the loop needs no
** overflow test, and a column without nulls needs no null test either. */
typedef struct split_sum {
	int64_t high;
	uint64_t low;
	size_t cells;
} split_sum;

static int64_t high_half(int64_t x)
{
	return (int64_t)((uint64_t)x >> 32) - (x < 0 ? (int64_t)1 << 32 : 0);
}

static void split_sum_rows(const column *col, const selection *in, split_sum *s)
{
	size_t i;
	memset(s, 0, sizeof *s);
	if (!column_may_be_null(col)) {
		for (i = 0; i < in->count; i++) {
			int64_t x = column_integer(col, in->rows[i]);
			s->high += high_half(x);
			s->low += (uint64_t)x & 0xffffffffu;
		}
		s->cells = in->count;
		return;
	}
	for (i = 0; i < in->count; i++) {
		int64_t x;
		if (column_is_null(col, in->rows[i]))
			continue;
		x = column_integer(col, in->rows[i]);
		s->high += high_half(x);
		s->low += (uint64_t)x & 0xffffffffu;
		s->cells++;
	}
}

/* The exact total of a split sum; false when it is past the int64 range. */
static bool split_sum_total(split_sum s, int64_t *total)
{
	/* total = high * 2^32 + low: fold low's top half into high. */
	int64_t carry = (int64_t)(s.low >> 32);
	if (s.high > INT64_MAX - carry)
		return false;
	s.high += carry;
	if (s.high > INT32_MAX || s.high < INT32_MIN)
		return false;
	*total = (int64_t)(((uint64_t)s.high << 32) | (s.low & 0xffffffffu));
	return true;
}

/* Exact int64 sum; false when it would overflow. */
static bool sum_integers(const column *col, const selection *in, int64_t *total,
                         size_t *cells)
{
	split_sum s;
	split_sum_rows(col, in, &s);
	*cells = s.cells;
	return split_sum_total(s, total);
}

static void aggregate_sum(const table *t, const selection *in, size_t column_index,
                          bool average, value *result)
{
	number_sum s;
	int64_t total;
	size_t cells;
	if (t->columns[column_index].type == COLUMN_INTEGER &&
	    sum_integers(&t->columns[column_index], in, &total, &cells)) {
		if (cells == 0)
			return;
		result->kind = average ? VALUE_NUMBER : VALUE_INTEGER;
		if (average)
			result->as.number = (double)total / (double)cells;
		else
			result->as.integer = total;
		return;
	}
	sum_as_numbers(t, in, column_index, &s);
	if (s.cells == 0)
		return;
	result->kind = VALUE_NUMBER;
	result->as.number = number_sum_total(&s) / (average ? (double)s.cells : 1.0);
}

/* min and max of an integer column, in one plain loop. */
static void integer_extreme(const column *col, const selection *in,
                            bool maximum, value *result)
{
	size_t i;
	for (i = 0; i < in->count; i++) {
		row_id r = in->rows[i];
		int64_t x;
		if (column_is_null(col, r))
			continue;
		x = column_integer(col, r);
		if (result->kind == VALUE_NULL ||
		    (maximum ? x > result->as.integer : x < result->as.integer))
			*result = integer_cell(x);
	}
}

/* The least or greatest text of `in` found: *result points at it. */
static void set_text_result(const table *t, const column *col, row_id best,
                            bool found, value *result)
{
	if (!found)
		return;
	result->kind = VALUE_STRING;
	result->as.string.text = column_text(t, col, best);
	result->as.string.length = column_text_length(col, best);
}

/* The first eight bytes of a text as one number, zeros past its end: two
** texts in byte order are in this number's order unless it is equal (a
** text holds no NUL). */
static uint64_t text_prefix(const char *text, size_t length)
{
	uint64_t key = 0;
	size_t i;
	for (i = 0; i < 8; i++)
		key = key << 8 | (i < length ? (unsigned char)text[i] : 0);
	return key;
}

/* Text in byte order: the prefixes decide, the whole texts only on a tie. */
static void text_extreme(const table *t, const selection *in, const column *col,
                         bool maximum, value *result)
{
	row_id best = 0;
	uint64_t best_prefix = 0;
	bool found = false;
	size_t i;
	for (i = 0; i < in->count; i++) {
		row_id r = in->rows[i];
		const char *text;
		size_t length;
		uint64_t prefix;
		int c;
		if (column_is_null(col, r))
			continue;
		text = column_text(t, col, r);
		length = column_text_length(col, r);
		prefix = text_prefix(text, length);
		if (found && prefix != best_prefix)
			c = prefix < best_prefix ? -1 : 1;
		else
			c = found ? value_order_strings(text, length, column_text(t, col, best),
			                                column_text_length(col, best)) : 0;
		if (!found || (maximum ? c > 0 : c < 0)) {
			best = r;
			best_prefix = prefix;
		}
		found = true;
	}
	set_text_result(t, col, best, found, result);
}

/* Text under a folding order: each cell's key made once and compared with
** the best one's, kept; equal keys go by the bytes. */
static void collated_extreme(const table *t, const selection *in,
                             const column *col, collation collate, bool maximum,
                             value *result)
{
	text_buffer keys[2]; /* keys[0]: the cell's; keys[1]: the best's */
	row_id best = 0;
	bool found = false;
	size_t i;
	text_buffer_init(&keys[0]);
	text_buffer_init(&keys[1]);
	for (i = 0; i < in->count; i++) {
		row_id r = in->rows[i];
		const char *text;
		size_t length;
		int c = 0;
		if (column_is_null(col, r))
			continue;
		text = column_text(t, col, r);
		length = column_text_length(col, r);
		keys[0].length = 0;
		collate_key(collate, text, length, &keys[0]);
		if (found) {
			c = value_order_strings(keys[0].data != NULL ? keys[0].data : "", keys[0].length,
			                        keys[1].data != NULL ? keys[1].data : "", keys[1].length);
			if (c == 0)
				c = value_order_strings(text, length, column_text(t, col, best),
				                        column_text_length(col, best));
		}
		if (!found || (maximum ? c > 0 : c < 0)) {
			text_buffer swap = keys[0];
			keys[0] = keys[1];
			keys[1] = swap;
			best = r;
		}
		found = true;
	}
	text_buffer_free(&keys[0]);
	text_buffer_free(&keys[1]);
	set_text_result(t, col, best, found, result);
}

static void aggregate_extreme(const table *t, const selection *in, size_t column_index,
                              bool maximum, collation collate, value *result)
{
	const column *col = &t->columns[column_index];
	size_t i;
	if (col->type == COLUMN_INTEGER) {
		integer_extreme(col, in, maximum, result);
		return;
	}
	if (col->type == COLUMN_STRING) {
		if (collate != COLLATE_BINARY)
			collated_extreme(t, in, col, collate, maximum, result);
		else
			text_extreme(t, in, col, maximum, result);
		return;
	}
	for (i = 0; i < in->count; i++) {
		value cell;
		int c;
		if (column_is_null(col, in->rows[i]))
			continue;
		cell = table_value(t, column_index, in->rows[i]);
		c = value_compare(&cell, result);
		if (result->kind == VALUE_NULL || (maximum ? c > 0 : c < 0))
			*result = cell;
	}
}

int aggregate_rows(const table *t, const selection *in, size_t column_index,
                   aggregate kind, value *result, reel_error *err)
{
	return aggregate_collated(t, in, column_index, kind, COLLATE_BINARY, result,
	                          err);
}

int aggregate_collated(const table *t, const selection *in, size_t column_index,
                       aggregate kind, collation collate, value *result,
                       reel_error *err)
{
	const column *col;
	result->kind = VALUE_NULL;
	if (column_index >= t->column_count)
		return error_set(err, REEL_ERROR_ARGUMENT, "%s: no column number %zu", aggregate_name(kind),
		            column_index + 1);
	col = &t->columns[column_index];
	if (kind == AGGREGATE_MIN || kind == AGGREGATE_MAX) {
		aggregate_extreme(t, in, column_index, kind == AGGREGATE_MAX, collate,
		                  result);
		return 0;
	}
	if (col->type != COLUMN_INTEGER && col->type != COLUMN_NUMBER)
		return error_set(err, REEL_ERROR_ARGUMENT, "%s: column '%.200s' holds %s, not numbers",
		            aggregate_name(kind), col->name, table_type_plural(col->type));
	aggregate_sum(t, in, column_index, kind == AGGREGATE_AVG, result);
	return 0;
}
/* }====== */

/* {====== Aggregates of every group at once ====== */

/* Each group's sum, accumulated in one pass in the input's order: the
** same additions, in the same order, as summing each group's rows alone. */
typedef union group_sum {
	split_sum integers;
	number_sum numbers;
} group_sum;

/* The group of each bucket of a grouping made by counting. */
static uint32_t *bucket_groups(const column *key, const group_list *groups,
                               int64_t least, uint64_t span)
{
	uint32_t *map = reel_calloc((size_t)span + 2, sizeof *map);
	size_t i;
	if (map == NULL)
		return NULL;
	for (i = 0; i < groups->count; i++)
		map[group_bucket(key, groups->groups[i].key_row, least, span)] = (uint32_t)i;
	return map;
}

/* add_to_groups for integer keys without nulls and integer cells: the
** benchmark's shape (years, durations), kept free of type and key tests. */
static void add_integers_to_groups(const column *key, const column *col,
                                   const selection *in, size_t from, size_t to,
                                   int64_t least, const uint32_t *map,
                                   group_sum *sums)
{
	FOR_EACH_INTEGER_IN(key, in, from, to, r, k, {
		split_sum *g;
		int64_t x;
		if (column_may_be_null(col) && column_is_null(col, r))
			continue;
		g = &sums[map[(uint64_t)k - (uint64_t)least]].integers;
		x = column_integer(col, r);
		g->high += high_half(x);
		g->low += (uint64_t)x & 0xffffffffu;
		g->cells++;
	});
}

/* Each cell at places from .. to-1 of `in` added to its group's sum. */
static void add_to_groups(const column *key, const column *col,
                          const selection *in, size_t from, size_t to,
                          int64_t least, uint64_t span, const uint32_t *map,
                          group_sum *sums)
{
	size_t i;
	if (key->type == COLUMN_INTEGER && !column_may_be_null(key) &&
	    col->type == COLUMN_INTEGER) {
		add_integers_to_groups(key, col, in, from, to, least, map, sums);
		return;
	}
	for (i = from; i < to; i++) {
		row_id r = ROW_AT(in, i);
		group_sum *g = &sums[map[group_bucket(key, r, least, span)]];
		if (column_is_null(col, r))
			continue;
		if (col->type == COLUMN_NUMBER) {
			number_sum_add(&g->numbers, column_number(col, r));
			continue;
		}
		g->integers.high += high_half(column_integer(col, r));
		g->integers.low += (uint64_t)column_integer(col, r) & 0xffffffffu;
		g->integers.cells++;
	}
}

/* {====== Integer sums on both cores ======
** Integer sums add each cell's halves exactly, so the order of the
** additions does not matter: many rows are summed in two halves at once,
** the second into sums of its own that are then added in. (Numbers stay in
** one pass: a compensated sum depends on its order, and a group's must be
** the one its rows alone give.) */
typedef struct sum_half {
	const column *key, *col;
	const selection *in;
	size_t from, to;  /* its half of the places of `in` */
	int64_t least;
	uint64_t span;
	const uint32_t *map;
	group_sum *sums;
} sum_half;

static void *sum_half_run(void *context)
{
	sum_half *h = context;
	add_to_groups(h->key, h->col, h->in, h->from, h->to, h->least, h->span,
	              h->map, h->sums);
	return NULL;
}

/* add_to_groups over both halves of `in`; -1 when out of memory. */
static int add_to_groups_both(const column *key, const column *col,
                              const selection *in, int64_t least, uint64_t span,
                              const uint32_t *map, group_sum *sums,
                              size_t group_count)
{
	size_t half = in->count / 2, i;
	sum_half h[2];
	if (col->type != COLUMN_INTEGER || in->count < PARALLEL_ROWS) {
		add_to_groups(key, col, in, 0, in->count, least, span, map, sums);
		return 0;
	}
	h[0] = (sum_half){key, col, in, 0, half, least, span, map, sums};
	h[1] = (sum_half){key, col, in, half, in->count, least, span, map,
	                  reel_calloc(group_count + 1, sizeof *sums)};
	if (h[1].sums == NULL)
		return -1;
	parallel_both(sum_half_run, &h[0], &h[1]);
	for (i = 0; i < group_count; i++) {
		sums[i].integers.high += h[1].sums[i].integers.high;
		sums[i].integers.low += h[1].sums[i].integers.low;
		sums[i].integers.cells += h[1].sums[i].integers.cells;
	}
	reel_free(h[1].sums);
	return 0;
}
/* }====== */

/* A group's sum or average as aggregate_sum gives it; false when an
** integer sum overflows (aggregate_sum then sums as numbers). */
static bool group_result(const column *col, const group_sum *g, bool average,
                         value *result)
{
	int64_t total;
	size_t cells = col->type == COLUMN_NUMBER ? g->numbers.cells : g->integers.cells;
	result->kind = VALUE_NULL;
	if (cells == 0)
		return true;
	if (col->type == COLUMN_NUMBER) {
		result->kind = VALUE_NUMBER;
		result->as.number = number_sum_total(&g->numbers) /
		                    (average ? (double)cells : 1.0);
		return true;
	}
	if (!split_sum_total(g->integers, &total))
		return false;
	if (average) {
		result->kind = VALUE_NUMBER;
		result->as.number = (double)total / (double)cells;
	} else {
		*result = integer_cell(total);
	}
	return true;
}

/* small_key_span's answer for the rows `groups` came from, read off the
** groups' keys (ascending, the null group last) instead of the rows. */
static bool group_key_span(const column *key, const group_list *groups,
                           const selection *in, int64_t *least, uint64_t *span)
{
	size_t n = groups->count;
	int64_t lo = 0, hi = 0;
	if (key->type != COLUMN_INTEGER && key->type != COLUMN_BOOLEAN)
		return false;
	if (n > 0 && groups->groups[n - 1].key_is_null)
		n--;
	if (n > 0) {
		lo = column_ordinal(key, groups->groups[0].key_row);
		hi = column_ordinal(key, groups->groups[n - 1].key_row);
	}
	*least = lo;
	*span = (uint64_t)hi - (uint64_t)lo;
	return *span < SORT_COUNTING_SPAN && *span <= 2 * (uint64_t)in->count;
}

static bool has_group_pass(const table *t, const selection *in, size_t key,
                           size_t value_column, aggregate kind)
{
	column_type type;
	if (key >= t->column_count || value_column >= t->column_count || in->count == 0 ||
	    (kind != AGGREGATE_SUM && kind != AGGREGATE_AVG))
		return false;
	type = t->columns[value_column].type;
	return type == COLUMN_INTEGER || type == COLUMN_NUMBER;
}

int aggregate_groups(const table *t, const selection *in, size_t key,
                           const group_list *groups, size_t value_column,
                           aggregate kind, value *results)
{
	int64_t least;
	uint64_t span;
	uint32_t *map;
	group_sum *sums;
	size_t i;
	int done = 1;
	if (!has_group_pass(t, in, key, value_column, kind) ||
	    !group_key_span(&t->columns[key], groups, in, &least, &span))
		return 0;
	map = bucket_groups(&t->columns[key], groups, least, span);
	sums = reel_calloc(groups->count > 0 ? groups->count : 1, sizeof *sums);
	if (map == NULL || sums == NULL) {
		reel_free(map);
		reel_free(sums);
		return -1;
	}
	if (add_to_groups_both(&t->columns[key], &t->columns[value_column], in,
	                       least, span, map, sums, groups->count) != 0) {
		reel_free(map);
		reel_free(sums);
		return -1;
	}
	for (i = 0; done && i < groups->count; i++)
		done = group_result(&t->columns[value_column], &sums[i],
		                    kind == AGGREGATE_AVG, &results[i]);
	reel_free(map);
	reel_free(sums);
	return done;
}
/* }====== */
