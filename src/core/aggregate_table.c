/*
** aggregate_table.c: q:aggregate(by, specs) (see aggregate.h): one row a
** distinct key, with count, sum, avg, min, max, median and count_distinct
** of columns. Rows are grouped in one pass by hashing their keys, of any
** type and any number of columns (hash.h), or by slots for small integer
** keys; each aggregate is then one pass over the rows into per-group
** slots. The plan puts the rows in key order when they are read
** (plan_aggregate.c). Relies on table_gather for the key and min/max
** columns. Pure C.
*/
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "hash.h"
#include "memory.h"
#include "parallel.h"

/* {====== The schema ====== */

static const char *const function_names[] = {
	"count", "sum", "avg", "min", "max", "median", "count_distinct"
};

const char *aggregate_function_name(aggregate_function f)
{
	return (unsigned)f < sizeof function_names / sizeof *function_names
	       ? function_names[f] : "?";
}

int aggregate_function_from_name(const char *name)
{
	size_t i;
	for (i = 0; i < sizeof function_names / sizeof *function_names; i++)
		if (strcmp(function_names[i], name) == 0)
			return (int)i;
	return -1;
}

/* The type of a spec's column in the result; -1 with err when the function
** does not apply to the column. */
static int result_type(const table *t, const aggregate_spec *s,
                       reel_error *err)
{
	const column *c;
	if (s->column == AGGREGATE_ROWS)
		return COLUMN_INTEGER;
	c = &t->columns[s->column];
	switch (s->function) {
	case AGGREGATE_COUNT: case AGGREGATE_COUNT_DISTINCT:
		return COLUMN_INTEGER;
	case AGGREGATE_FUNCTION_MIN: case AGGREGATE_FUNCTION_MAX:
		return (int)c->type;
	default:
		break;
	}
	if (c->type != COLUMN_INTEGER && c->type != COLUMN_NUMBER)
		return error_set(err, REEL_ERROR_ARGUMENT, "aggregate: %s(%s): column "
		                 "'%.200s' holds %s, not numbers",
		                 aggregate_function_name(s->function), c->name, c->name,
		                 table_type_plural(c->type));
	if (s->function == AGGREGATE_FUNCTION_SUM)
		return (int)c->type;
	return COLUMN_NUMBER;
}

static int name_column(table *out, size_t i, const char *name, int type,
                       reel_error *err)
{
	size_t k;
	for (k = 0; k < i; k++)
		if (strcmp(out->columns[k].name, name) == 0)
			return error_set(err, REEL_ERROR_ARGUMENT, "aggregate: two columns "
			                 "are called '%.200s' (name one with \"as\")", name);
	out->columns[i].name = reel_strdup(name);
	out->columns[i].type = (column_type)type;
	out->column_count = i + 1;
	return out->columns[i].name != NULL ? 0 : error_memory(err, NULL);
}

table *aggregate_schema(const table *t, const aggregate_by *by,
                        const aggregate_spec *specs, size_t count,
                        reel_error *err)
{
	table *out = reel_calloc(1, sizeof *out);
	size_t i, n = by->count;
	if (out == NULL || (out->columns = reel_calloc(n + count + 1,
	                                               sizeof *out->columns)) == NULL) {
		reel_free(out);
		error_memory(err, NULL);
		return NULL;
	}
	out->references = 1;
	for (i = 0; i < n + count; i++) {
		const aggregate_spec *s = &specs[i - n];
		int type = i < n ? (int)t->columns[by->columns[i]].type
		                 : result_type(t, s, err);
		if (type < 0 || name_column(out, i, i < n ? t->columns[by->columns[i]].name
		                                          : s->name, type, err) != 0) {
			table_free(out);
			return NULL;
		}
	}
	if (table_resolve_film_names(out) != 0) {
		table_free(out);
		error_memory(err, NULL);
		return NULL;
	}
	return out;
}
/* }====== */

/* {====== Grouping ====== */

/* The rows of `in` grouped by key: group[i] is the group of in's row i,
** first[g] the first row of group g; groups are numbered in key order
** (key_ordered) or in the order their keys were first met. */
typedef struct grouping {
	uint32_t *group;
	row_id *first;
	size_t count;
	bool key_ordered; /* the groups are numbered in key order */
} grouping;

static void grouping_free(grouping *g)
{
	reel_free(g->group);
	reel_free(g->first);
}

/* Each row's group found by hashing its keys (on both cores when the rows
** are many), the groups numbered in the order their keys were first met:
** putting them in key order is a sort, left to whoever needs it. */
static int group_by_keys(grouping *g, const table *t, const selection *in,
                         const aggregate_by *by)
{
	hash_keys keys = {t, by->columns, by->count, true};
	hash_groups found;
	int status = -1;
	if (hash_groups_open(&found, &keys, 64) == 0 &&
	    hash_groups_find(&found, in->rows, in->count, g->group) == 0) {
		g->first = found.first;
		g->count = found.count;
		found.first = NULL;
		status = 0;
	}
	hash_groups_free(&found);
	return status;
}

/* {====== Grouping: integer keys of a small span ====== */
/* Integer keys whose spans multiply to a small number index their groups
** directly: a row's slot is sum((x - least) * stride), a null its column's
** last value, so the slots in order are the keys in order, nulls last:
** no hashing, no sort. */
#define DIRECT_SLOTS_MAX ((uint64_t)1 << 21)

typedef struct key_span {
	int64_t least;
	uint64_t values; /* the slots of the column: its span, plus a null */
} key_span;

/* The span of c's keys in `in`: with `bound`, the whole column's range
** when it is known (slots of keys absent from the rows stay empty), else a
** pass over the rows. */
static bool column_span(const column *c, const selection *in, bool bound,
                        key_span *k)
{
	int64_t least = INT64_MAX, most = INT64_MIN;
	size_t i;
	bool nulls = false;
	if (bound && c->ranged) {
		least = c->least;
		most = c->greatest;
		nulls = column_may_be_null(c);
	} else if (!column_may_be_null(c)) { /* the common case, in a loop of its own */
		FOR_EACH_INTEGER(c, in, r, x, {
			(void)r;
			least = x < least ? x : least;
			most = x > most ? x : most;
		});
	} else {
		for (i = 0; i < in->count; i++) {
			row_id r = in->rows[i];
			int64_t x;
			if (column_is_null(c, r)) {
				nulls = true;
				continue;
			}
			x = column_integer(c, r);
			least = x < least ? x : least;
			most = x > most ? x : most;
		}
	}
	if (least > most) /* nulls only */
		least = most = 0;
	if ((uint64_t)most - (uint64_t)least >= DIRECT_SLOTS_MAX)
		return false;
	k->least = least;
	k->values = (uint64_t)most - (uint64_t)least + 1 + nulls;
	return true;
}

static bool spans_fit(const table *t, const selection *in,
                      const aggregate_by *by, bool bound, key_span *spans,
                      uint64_t *slots)
{
	size_t c;
	*slots = 1;
	for (c = 0; c < by->count; c++) {
		const column *col = &t->columns[by->columns[c]];
		if (col->type != COLUMN_INTEGER || !column_span(col, in, bound, &spans[c]) ||
		    spans[c].values > DIRECT_SLOTS_MAX / *slots)
			return false;
		*slots *= spans[c].values;
	}
	return *slots <= DIRECT_SLOTS_MAX && *slots <= 4 * (uint64_t)in->count + 1024;
}

/* The spans of the keys, when all are integers and their slots few: from
** the columns' ranges when those fit, else from the rows. */
static bool direct_spans(const table *t, const selection *in,
                         const aggregate_by *by, key_span *spans,
                         uint64_t *slots)
{
	return spans_fit(t, in, by, true, spans, slots) ||
	       spans_fit(t, in, by, false, spans, slots);
}

static uint32_t slot_of(const table *t, const aggregate_by *by,
                        const key_span *spans, row_id r)
{
	uint64_t slot = 0;
	size_t c;
	for (c = 0; c < by->count; c++) {
		const column *col = &t->columns[by->columns[c]];
		uint64_t v = column_is_null(col, r) ? spans[c].values - 1
		             : (uint64_t)column_integer(col, r) - (uint64_t)spans[c].least;
		slot = slot * spans[c].values + v;
	}
	return (uint32_t)slot;
}

/* One thread's half of the rows for group_directly: each row's slot in
** `group`, each slot's first row of the half in `first` (TABLE_NO_ROW:
** none yet); then, given `number`, each row's group. */
typedef struct direct_half {
	const table *t;
	const aggregate_by *by;
	const key_span *spans;
	const selection *in;
	size_t from, to;
	uint32_t *group;
	row_id *first;
	const uint32_t *number;
} direct_half;

static void *find_slots(void *context)
{
	direct_half *h = context;
	size_t i;
	for (i = h->from; i < h->to; i++) {
		row_id r = h->in->rows[i];
		uint32_t slot = slot_of(h->t, h->by, h->spans, r);
		h->group[i] = slot;
		if (h->first[slot] == TABLE_NO_ROW)
			h->first[slot] = r;
	}
	return NULL;
}

static void *number_rows(void *context)
{
	direct_half *h = context;
	size_t i;
	for (i = h->from; i < h->to; i++)
		h->group[i] = h->number[h->group[i]] - 1;
	return NULL;
}

/* Many rows over few slots are found on two cores, each half of the rows
** marking first rows in its own array (a slot's first row is the first
** half's, when it has one); else one pass marks them all. */
static bool on_both_cores(size_t rows, uint64_t slots)
{
	return rows >= PARALLEL_ROWS && slots <= rows / 4;
}

static void run_halves(direct_half h[2], void *(*run)(void *), bool both)
{
	if (both) {
		parallel_both(run, &h[0], &h[1]);
	} else {
		run(&h[0]);
		run(&h[1]);
	}
}

static int group_directly(grouping *g, const table *t, const selection *in,
                          const aggregate_by *by, const key_span *spans,
                          uint64_t slots)
{
	bool both = on_both_cores(in->count, slots);
	size_t middle = both ? in->count / 2 : in->count, s;
	uint32_t *number = reel_calloc(slots + 1, sizeof *number);
	row_id *first = reel_malloc((slots + 1) * sizeof *first);
	row_id *later = both ? reel_malloc((slots + 1) * sizeof *later) : first;
	direct_half h[2];
	if (number == NULL || first == NULL || later == NULL) {
		reel_free(number);
		reel_free(first);
		if (later != first)
			reel_free(later);
		return -1;
	}
	memset(first, 0xff, slots * sizeof *first); /* TABLE_NO_ROW */
	memset(later, 0xff, slots * sizeof *later);
	h[0] = (direct_half){t, by, spans, in, 0, middle, g->group, first, number};
	h[1] = (direct_half){t, by, spans, in, middle, in->count, g->group, later,
	                     number};
	run_halves(h, find_slots, both);
	for (s = 0; s < slots; s++) /* the used slots, numbered in order */
		if (first[s] != TABLE_NO_ROW || later[s] != TABLE_NO_ROW) {
			first[g->count] = first[s] != TABLE_NO_ROW ? first[s] : later[s];
			number[s] = (uint32_t)++g->count;
		}
	run_halves(h, number_rows, both);
	reel_free(number);
	if (later != first)
		reel_free(later);
	g->first = first;
	return 0;
}
/* }====== */

/* No key: every row in one group, which exists even with no rows. Groups
** found by slots are in key order (g->key_ordered); by hashing, in the
** order their keys were first met. */
static int group_rows(grouping *g, const table *t, const selection *in,
                      const aggregate_by *by)
{
	memset(g, 0, sizeof *g);
	g->group = reel_calloc(in->count + 1, sizeof *g->group);
	if (g->group == NULL)
		return -1;
	if (by->count > 0) {
		key_span *spans = reel_malloc(by->count * sizeof *spans);
		uint64_t slots;
		int status;
		if (spans == NULL)
			return -1;
		if (direct_spans(t, in, by, spans, &slots)) {
			status = group_directly(g, t, in, by, spans, slots);
			g->key_ordered = true;
		} else {
			status = group_by_keys(g, t, in, by);
		}
		reel_free(spans);
		return status;
	}
	g->first = reel_malloc(sizeof *g->first);
	if (g->first == NULL)
		return -1;
	g->first[0] = TABLE_NO_ROW;
	g->count = 1;
	g->key_ordered = true;
	return 0;
}
/* }====== */

/* {====== Result columns ====== */

/* Column `col` of `out` made for g rows of `type`, no cell null yet. */
static column *start_column(table *out, size_t col, column_type type, size_t g)
{
	column *c = &out->columns[col];
	c->type = type;
	c->nulls = reel_calloc(g / 64 + 1, sizeof *c->nulls);
	if (type == COLUMN_INTEGER)
		c->integers = reel_calloc(g + 1, sizeof *c->integers);
	else
		c->numbers = reel_calloc(g + 1, sizeof *c->numbers);
	if (c->nulls == NULL || (c->integers == NULL && c->numbers == NULL))
		return NULL;
	return c;
}

static void set_null(column *c, size_t i)
{
	c->nulls[i >> 6] |= (uint64_t)1 << (i & 63);
}

/* A column none of whose cells is null keeps no bitmap. */
static void end_column(column *c, size_t g)
{
	size_t w;
	for (w = 0; w <= g / 64; w++)
		if (c->nulls[w] != 0)
			return;
	reel_free(c->nulls);
	c->nulls = NULL;
}

static double number_at(const column *c, row_id r)
{
	return c->type == COLUMN_INTEGER ? (double)column_integer(c, r)
	                                 : column_number(c, r);
}
/* }====== */

/* {====== count, sum, avg ====== */

static int fill_count(table *out, size_t col, const table *t,
                      const selection *in, const grouping *g,
                      const aggregate_spec *s)
{
	column *c = start_column(out, col, COLUMN_INTEGER, g->count);
	const column *from = s->column != AGGREGATE_ROWS ? &t->columns[s->column]
	                                                 : NULL;
	size_t i;
	if (c == NULL)
		return -1;
	for (i = 0; i < in->count; i++)
		if (from == NULL || !column_is_null(from, in->rows[i]))
			c->integers[g->group[i]]++;
	end_column(c, g->count);
	return 0;
}

/* Neumaier's compensated sum of each group's numbers. */
typedef struct number_sums {
	double *sum, *fix;
	int64_t *count;
} number_sums;

static void add_number(number_sums *n, size_t k, double x)
{
	double t = n->sum[k] + x;
	n->fix[k] += fabs(n->sum[k]) >= fabs(x) ? (n->sum[k] - t) + x
	                                        : (x - t) + n->sum[k];
	n->sum[k] = t;
	n->count[k]++;
}

/* Exact integer sums; false when one passes int64 (the caller then sums
** as numbers). */
static bool sum_integers(const column *from, const selection *in,
                         const grouping *g, int64_t *sums, int64_t *counts)
{
	size_t i;
	for (i = 0; i < in->count; i++) {
		row_id r = in->rows[i];
		uint32_t k = g->group[i];
		if (column_is_null(from, r))
			continue;
		if (__builtin_add_overflow(sums[k], column_integer(from, r), &sums[k]))
			return false;
		counts[k]++;
	}
	return true;
}

static void sum_numbers(const column *from, const selection *in,
                        const grouping *g, number_sums *n)
{
	size_t i;
	for (i = 0; i < in->count; i++)
		if (!column_is_null(from, in->rows[i]))
			add_number(n, g->group[i], number_at(from, in->rows[i]));
}

/* sum or avg: integers exactly while they fit, else compensated doubles. */
static int fill_sum(table *out, size_t col, const table *t, const selection *in,
                    const grouping *g, const aggregate_spec *s)
{
	const column *from = &t->columns[s->column];
	size_t G = g->count, k;
	int64_t *counts = reel_calloc(G + 1, sizeof *counts);
	number_sums n = {reel_calloc(G + 1, sizeof(double)),
	                 reel_calloc(G + 1, sizeof(double)), counts};
	bool exact = from->type == COLUMN_INTEGER;
	column *c = NULL;
	int status = -1;
	if (counts != NULL && n.sum != NULL && n.fix != NULL) {
		int64_t *sums = (int64_t *)n.fix; /* the same room, while exact */
		exact = exact && sum_integers(from, in, g, sums, counts);
		if (exact && s->function == AGGREGATE_FUNCTION_SUM &&
		    (c = start_column(out, col, COLUMN_INTEGER, G)) != NULL)
			memcpy(c->integers, sums, G * sizeof *sums);
		if (exact && s->function == AGGREGATE_FUNCTION_AVG)
			for (k = 0; k < G; k++)
				n.sum[k] = (double)sums[k];
		if (!exact) {
			memset(n.fix, 0, G * sizeof *n.fix);
			memset(counts, 0, G * sizeof *counts);
			sum_numbers(from, in, g, &n);
		}
		if (c == NULL)
			c = start_column(out, col, COLUMN_NUMBER, G);
		for (k = 0; c != NULL && k < G; k++) {
			if (counts[k] == 0)
				set_null(c, k);
			else if (c->type == COLUMN_NUMBER && s->function == AGGREGATE_FUNCTION_SUM)
				c->numbers[k] = exact ? n.sum[k] : n.sum[k] + n.fix[k];
			else if (c->type == COLUMN_NUMBER)
				c->numbers[k] = (exact ? n.sum[k] : n.sum[k] + n.fix[k]) /
				                (double)counts[k];
		}
		if (c != NULL) {
			end_column(c, G);
			status = 0;
		}
	}
	reel_free(counts);
	reel_free(n.sum);
	reel_free(n.fix);
	return status;
}
/* }====== */

/* {====== min, max, median, count_distinct ====== */

/* Two non-null cells of a column, text in the aggregate's collation. */
static int cell_order(const table *t, const column *c, row_id a, row_id b,
                      const aggregate_by *by, text_buffer scratch[2])
{
	if (c->type != COLUMN_STRING || by->collate == COLLATE_BINARY)
		return table_cell_order(t, c, a, b);
	return collate_compare(by->collate, column_text(t, c, a),
	                       column_text_length(c, a), column_text(t, c, b),
	                       column_text_length(c, b), scratch);
}

/* fill_extreme's pass for integers and dates: compared as they are, with
** no call a row. */
static void integer_extremes(const column *from, const selection *in,
                             const grouping *g, int sign, row_id *best)
{
	size_t i;
	for (i = 0; i < in->count; i++) {
		row_id r = in->rows[i], *b = &best[g->group[i]];
		int64_t x, y;
		if (column_is_null(from, r))
			continue;
		x = column_integer(from, r);
		if (*b == TABLE_NO_ROW) {
			*b = r;
			continue;
		}
		y = column_integer(from, *b);
		if (sign > 0 ? x < y : x > y)
			*b = r;
	}
}

/* fill_extreme's pass for the other types, through their order. */
static void ordered_extremes(const table *t, const column *from,
                             const selection *in, const grouping *g,
                             const aggregate_by *by, int sign, row_id *best)
{
	text_buffer scratch[2];
	size_t i;
	text_buffer_init(&scratch[0]);
	text_buffer_init(&scratch[1]);
	for (i = 0; i < in->count; i++) {
		row_id r = in->rows[i], *b = &best[g->group[i]];
		if (column_is_null(from, r))
			continue;
		if (*b == TABLE_NO_ROW || sign * cell_order(t, from, r, *b, by, scratch) < 0)
			*b = r;
	}
	text_buffer_free(&scratch[0]);
	text_buffer_free(&scratch[1]);
}

/* Each group's least (or greatest) cell's row, then those rows gathered. */
static int fill_extreme(table *out, size_t col, const table *t,
                        const selection *in, const grouping *g,
                        const aggregate_by *by, const aggregate_spec *s)
{
	row_id *best = reel_malloc((g->count + 1) * sizeof *best);
	const column *from = &t->columns[s->column];
	int sign = s->function == AGGREGATE_FUNCTION_MIN ? 1 : -1, status;
	size_t i;
	if (best == NULL)
		return -1;
	for (i = 0; i < g->count; i++)
		best[i] = TABLE_NO_ROW;
	if (column_is_integral(from))
		integer_extremes(from, in, g, sign, best);
	else
		ordered_extremes(t, from, in, g, by, sign, best);
	status = table_gather(out, col, t, s->column, best, g->count);
	reel_free(best);
	return status;
}

static void swap_numbers(double *a, double *b)
{
	double x = *a;
	*a = *b;
	*b = x;
}

/* Moves the k-th smallest of run[0 .. n-1] to run[k], the smaller ones
** before it and the larger after (Hoare's selection, pivot the median of
** three): linear on average, where sorting each group was n log n. */
static void select_number(double *run, size_t n, size_t k)
{
	ptrdiff_t low = 0, high = (ptrdiff_t)n - 1, at = (ptrdiff_t)k;
	while (high > low) {
		ptrdiff_t middle = low + (high - low) / 2, i = low, j = high;
		double pivot;
		if (run[middle] < run[low]) swap_numbers(&run[middle], &run[low]);
		if (run[high] < run[low]) swap_numbers(&run[high], &run[low]);
		if (run[high] < run[middle]) swap_numbers(&run[high], &run[middle]);
		pivot = run[middle];
		while (i <= j) {
			while (run[i] < pivot) i++;
			while (pivot < run[j]) j--;
			if (i <= j)
				swap_numbers(&run[i++], &run[j--]);
		}
		if (at <= j)
			high = j;
		else if (at >= i)
			low = i;
		else
			return;
	}
}

/* The middle of run[0 .. n-1] (n > 0), or the mean of its two middles. */
static double median_of(double *run, size_t n)
{
	size_t i;
	double below;
	select_number(run, n, n / 2);
	if (n % 2)
		return run[n / 2];
	for (below = run[0], i = 1; i < n / 2; i++) /* the largest of the lower half */
		if (run[i] > below)
			below = run[i];
	return (below + run[n / 2]) / 2;
}

/* Each group's non-null numbers placed together (a counting sort by
** group), each group's middle found in its run. */
static int fill_median(table *out, size_t col, const table *t,
                       const selection *in, const grouping *g,
                       const aggregate_spec *s)
{
	const column *from = &t->columns[s->column];
	size_t G = g->count, *start = reel_calloc(G + 2, sizeof *start), i, k;
	double *values = reel_malloc((in->count + 1) * sizeof *values);
	column *c = start != NULL && values != NULL
	            ? start_column(out, col, COLUMN_NUMBER, G) : NULL;
	for (i = 0; c != NULL && i < in->count; i++)
		if (!column_is_null(from, in->rows[i]))
			start[g->group[i] + 2]++;
	for (k = 2; c != NULL && k < G + 2; k++)
		start[k] += start[k - 1];
	for (i = 0; c != NULL && i < in->count; i++)
		if (!column_is_null(from, in->rows[i]))
			values[start[g->group[i] + 1]++] = number_at(from, in->rows[i]);
	for (k = 0; c != NULL && k < G; k++) { /* group k: start[k] .. start[k+1] */
		size_t n = start[k + 1] - start[k];
		double *run = values + start[k];
		if (n == 0) {
			set_null(c, k);
			continue;
		}
		c->numbers[k] = median_of(run, n);
	}
	if (c != NULL)
		end_column(c, G);
	reel_free(start);
	reel_free(values);
	return c != NULL ? 0 : -1;
}

/* The rows of `in` whose cell in `col` is not null, and their groups: `in`
** and g's own arrays when no cell is null. */
static int rows_with_cells(const table *t, const selection *in,
                           const grouping *g, size_t col, row_id **rows,
                           uint32_t **groups, size_t *kept)
{
	size_t i;
	*rows = in->rows;
	*groups = g->group;
	*kept = in->count;
	if (!column_may_be_null(&t->columns[col]))
		return 0;
	*rows = reel_malloc((in->count + 1) * sizeof **rows);
	*groups = reel_malloc((in->count + 1) * sizeof **groups);
	if (*rows == NULL || *groups == NULL)
		return -1;
	for (i = *kept = 0; i < in->count; i++)
		if (!table_is_null(t, col, in->rows[i])) {
			(*rows)[*kept] = in->rows[i];
			(*groups)[(*kept)++] = g->group[i];
		}
	return 0;
}

/* Each pair new to `pairs` counts for its row's group; rows whose cell in
** `col` is null are left out. The pairs are found all at once (on both
** cores when they are many); a pair is new where its number is the count
** of pairs before it. */
static int count_new_pairs(hash_groups *pairs, int64_t *counts, const table *t,
                           const selection *in, const grouping *g, size_t col)
{
	row_id *rows;
	uint32_t *groups, *ids = NULL, fresh = 0;
	size_t i, kept;
	int status = rows_with_cells(t, in, g, col, &rows, &groups, &kept);
	if (status == 0)
		ids = reel_malloc((kept + 1) * sizeof *ids);
	if (ids == NULL || hash_groups_find(pairs, rows, kept, ids) != 0)
		status = -1;
	for (i = 0; status == 0 && i < kept; i++)
		if (ids[i] == fresh) {
			counts[groups[i]]++;
			fresh++;
		}
	if (rows != in->rows) {
		reel_free(rows);
		reel_free(groups);
	}
	reel_free(ids);
	return status;
}

/* Distinct (keys, cell) pairs, found by hashing both; each new one counts
** for its group. */
static int fill_distinct(table *out, size_t col, const table *t,
                         const selection *in, const grouping *g,
                         const aggregate_by *by, const aggregate_spec *s)
{
	size_t *columns = reel_malloc((by->count + 1) * sizeof *columns);
	column *c = start_column(out, col, COLUMN_INTEGER, g->count);
	hash_groups pairs;
	int status = -1;
	if (columns == NULL || c == NULL) {
		reel_free(columns);
		return -1;
	}
	memcpy(columns, by->columns, by->count * sizeof *columns);
	columns[by->count] = s->column;
	if (hash_groups_open(&pairs, &(hash_keys){t, columns, by->count + 1, true},
	                     64) == 0)
		status = count_new_pairs(&pairs, c->integers, t, in, g, s->column);
	end_column(c, g->count);
	hash_groups_free(&pairs);
	reel_free(columns);
	return status;
}
/* }====== */

/* {====== The rows ====== */

static int fill_spec(table *out, size_t col, const table *t,
                     const selection *in, const grouping *g,
                     const aggregate_by *by, const aggregate_spec *s)
{
	switch (s->function) {
	case AGGREGATE_COUNT: return fill_count(out, col, t, in, g, s);
	case AGGREGATE_FUNCTION_SUM: case AGGREGATE_FUNCTION_AVG: return fill_sum(out, col, t, in, g, s);
	case AGGREGATE_FUNCTION_MIN: case AGGREGATE_FUNCTION_MAX: return fill_extreme(out, col, t, in, g, by, s);
	case AGGREGATE_MEDIAN: return fill_median(out, col, t, in, g, s);
	default: return fill_distinct(out, col, t, in, g, by, s);
	}
}

int aggregate_fill(table *out, const table *t, const selection *in,
                   const aggregate_by *by, const aggregate_spec *specs,
                   size_t count, bool *key_ordered, reel_error *err)
{
	grouping g;
	size_t i;
	int status = group_rows(&g, t, in, by);
	*key_ordered = g.key_ordered;
	out->row_count = g.count;
	for (i = 0; status == 0 && i < by->count; i++)
		status = table_gather(out, i, t, by->columns[i], g.first, g.count);
	for (i = 0; status == 0 && i < count; i++)
		status = fill_spec(out, by->count + i, t, in, &g, by, &specs[i]);
	grouping_free(&g);
	if (status != 0) {
		table_drop_cells(out);
		return error_memory(err, "aggregate");
	}
	return 0;
}
/* }====== */

int aggregate_count_groups(const table *t, const selection *in,
                           const aggregate_by *by, size_t *count,
                           reel_error *err)
{
	grouping g;
	int status = group_rows(&g, t, in, by);
	*count = g.count;
	grouping_free(&g);
	return status == 0 ? 0 : error_memory(err, "aggregate");
}
