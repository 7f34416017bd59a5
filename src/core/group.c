/*
** group.c: rows grouped by the value of a column (see group.h): by
** counting for integer keys in a small span, else by hashing. Relies on
** hash.h, sort.h and memory.h. Pure C.
*/
#include "group.h"

#include <stdint.h>
#include <string.h>

#include "hash.h"
#include "memory.h"
#include "parallel.h"
#include "sort.h"

/* {====== Groups ====== */

void group_free(group_list *groups)
{
	size_t i;
	if (groups == NULL)
		return;
	for (i = 0; i < groups->count; i++)
		selection_free(groups->groups[i].rows);
	reel_free(groups->groups);
	reel_free(groups);
}

/* The least and greatest non-null key at places from .. to-1 of `in`
** (lo > hi when all are null). An integer column without nulls, the common
** case, gets a tight loop. */
static void key_range(const column *col, const selection *in, size_t from,
                      size_t to, int64_t *lo, int64_t *hi)
{
	size_t i;
	*lo = INT64_MAX;
	*hi = INT64_MIN;
	if (col->type == COLUMN_INTEGER && !column_may_be_null(col)) {
		int64_t least = INT64_MAX, greatest = INT64_MIN;
		FOR_EACH_INTEGER_IN(col, in, from, to, r, x, {
			(void)r;
			least = x < least ? x : least;
			greatest = x > greatest ? x : greatest;
		});
		*lo = least;
		*hi = greatest;
		return;
	}
	for (i = from; i < to; i++) {
		row_id r = ROW_AT(in, i);
		int64_t x;
		if (column_is_null(col, r))
			continue;
		x = column_ordinal(col, r);
		*lo = x < *lo ? x : *lo;
		*hi = x > *hi ? x : *hi;
	}
}

/* {====== Counting on both cores ======
** Many rows are ranged and counted in two halves at once, each half with
** its own least and greatest key, or its own counts and first rows; the
** halves' results are then combined. */
typedef struct count_half {
	const column *col;
	const selection *in;
	size_t from, to;     /* its half of the places of `in` */
	bool ranging;        /* find the keys' range, else count the buckets */
	int64_t lo, hi;
	int64_t least;
	uint64_t span;
	size_t *buckets;
	row_id *first;
} count_half;

static void count_buckets(const column *col, const selection *in, size_t from,
                          size_t to, int64_t least, uint64_t span,
                          size_t *buckets, row_id *first);

static void *count_half_run(void *context)
{
	count_half *h = context;
	if (h->ranging)
		key_range(h->col, h->in, h->from, h->to, &h->lo, &h->hi);
	else
		count_buckets(h->col, h->in, h->from, h->to, h->least, h->span,
		              h->buckets, h->first);
	return NULL;
}

/* The two halves of the places of `in`. */
static void split_rows(const selection *in, count_half h[2])
{
	h[0].in = h[1].in = in;
	h[0].from = 0;
	h[0].to = h[1].from = in->count / 2;
	h[1].to = in->count;
}

static void key_range_both(const column *col, const selection *in,
                           int64_t *lo, int64_t *hi)
{
	count_half h[2];
	if (in->count < PARALLEL_ROWS) {
		key_range(col, in, 0, in->count, lo, hi);
		return;
	}
	memset(h, 0, sizeof h);
	h[0].col = h[1].col = col;
	h[0].ranging = h[1].ranging = true;
	split_rows(in, h);
	parallel_both(count_half_run, &h[0], &h[1]);
	*lo = h[0].lo < h[1].lo ? h[0].lo : h[1].lo;
	*hi = h[0].hi > h[1].hi ? h[0].hi : h[1].hi;
}

/* count_buckets over both halves, the second into buckets and first rows
** of its own that are then added in. -1 when out of memory. */
static int count_buckets_both(const column *col, const selection *in,
                              int64_t least, uint64_t span, size_t *buckets,
                              row_id *first)
{
	size_t bucket_count = (size_t)span + 2, b;
	count_half h[2];
	if (in->count < PARALLEL_ROWS) {
		count_buckets(col, in, 0, in->count, least, span, buckets, first);
		return 0;
	}
	memset(h, 0, sizeof h);
	h[0] = (count_half){col, in, 0, 0, false, 0, 0, least, span, buckets,
	                    first};
	h[1] = h[0];
	h[1].buckets = reel_calloc(bucket_count, sizeof *h[1].buckets);
	h[1].first = reel_malloc(bucket_count * sizeof *h[1].first);
	if (h[1].buckets == NULL || h[1].first == NULL) {
		reel_free(h[1].buckets);
		reel_free(h[1].first);
		return -1;
	}
	split_rows(in, h);
	parallel_both(count_half_run, &h[0], &h[1]);
	for (b = 0; b < bucket_count; b++) {
		if (buckets[b] == 0)
			first[b] = h[1].first[b];
		buckets[b] += h[1].buckets[b];
	}
	reel_free(h[1].buckets);
	reel_free(h[1].first);
	return 0;
}
/* }====== */

static bool span_is_small(int64_t lo, int64_t hi, const selection *in,
                          int64_t *least, uint64_t *span)
{
	if (lo > hi)
		lo = hi = 0; /* only nulls */
	*least = lo;
	*span = (uint64_t)hi - (uint64_t)lo;
	return *span < SORT_COUNTING_SPAN && *span <= 2 * (uint64_t)in->count;
}

/* Integer or boolean keys within a small span (years, minutes): one pass
** counts each key's rows, a second drops every row straight into its group,
** in the input's order. No sort and no copy of the whole selection. The
** whole column's range, when known and small, bounds any rows' keys without
** a pass (the keys absent from the rows leave their buckets empty). */
static bool small_key_span(const column *col, const selection *in,
                           int64_t *least, uint64_t *span)
{
	int64_t lo, hi;
	if (col->type != COLUMN_INTEGER && col->type != COLUMN_BOOLEAN)
		return false;
	if (col->ranged && span_is_small(col->least, col->greatest, in, least, span))
		return true;
	key_range_both(col, in, &lo, &hi);
	return span_is_small(lo, hi, in, least, span);
}

/* The bucket of row r: its key's place in the span, the null group last. */
size_t group_bucket(const column *col, row_id r, int64_t least, uint64_t span)
{
	if (column_is_null(col, r))
		return (size_t)span + 1;
	return (size_t)((uint64_t)column_ordinal(col, r) - (uint64_t)least);
}

/* Counts the rows of each bucket at places from .. to-1 of `in`, and notes
** the first row of each. */
static void count_buckets(const column *col, const selection *in, size_t from,
                          size_t to, int64_t least, uint64_t span,
                          size_t *buckets, row_id *first)
{
	size_t i, b;
	if (col->type == COLUMN_INTEGER && !column_may_be_null(col)) {
		FOR_EACH_INTEGER_IN(col, in, from, to, r, x, {
			b = (size_t)((uint64_t)x - (uint64_t)least);
			if (buckets[b]++ == 0)
				first[b] = r;
		});
		return;
	}
	for (i = from; i < to; i++) {
		row_id r = ROW_AT(in, i);
		b = group_bucket(col, r, least, span);
		if (buckets[b]++ == 0)
			first[b] = r;
	}
}

/* Drops each row at its bucket's cursor, so every group keeps the input's
** order. */
static void scatter_rows(const column *col, const selection *in, int64_t least,
                         uint64_t span, row_id **cursor)
{
	size_t i;
	if (col->type == COLUMN_INTEGER && !column_may_be_null(col)) {
		for (i = 0; i < in->count; i++) {
			row_id r = in->rows[i];
			*cursor[(uint64_t)column_integer(col, r) - (uint64_t)least]++ = r;
		}
		return;
	}
	for (i = 0; i < in->count; i++) {
		row_id r = in->rows[i];
		*cursor[group_bucket(col, r, least, span)]++ = r;
	}
}

/* A group, keys and sizes only, for each bucket that has rows. */
static int list_buckets(group_list *list, const size_t *buckets,
                        const row_id *first, size_t bucket_count)
{
	size_t b, k = 0;
	for (b = 0; b < bucket_count; b++)
		k += buckets[b] != 0;
	list->groups = reel_calloc(k > 0 ? k : 1, sizeof *list->groups);
	if (list->groups == NULL)
		return -1;
	for (b = 0, k = 0; b < bucket_count; b++) {
		if (buckets[b] == 0)
			continue;
		list->groups[k].count = buckets[b];
		list->groups[k].key_row = first[b];
		list->groups[k].key_is_null = b + 1 == bucket_count;
		list->count = ++k;
	}
	return 0;
}

/* The groups by counting: one pass finds each key's rows and first row.
** Placing the rows is put off (group_fill_rows): a loop that only counts
** and aggregates never needs them. */
static group_list *group_by_counting(const selection *in, const column *col,
                                     int64_t least, uint64_t span)
{
	size_t bucket_count = (size_t)span + 2;
	size_t *buckets = reel_calloc(bucket_count, sizeof *buckets);
	row_id *first = reel_malloc(bucket_count * sizeof *first);
	group_list *list = reel_calloc(1, sizeof *list);
	if (buckets == NULL || first == NULL || list == NULL)
		goto fail;
	if (count_buckets_both(col, in, least, span, buckets, first) != 0 ||
	    list_buckets(list, buckets, first, bucket_count) != 0)
		goto fail;
	list->rows_put_off = true;
	list->least = least;
	list->span = span;
	reel_free(first);
	reel_free(buckets);
	return list;
fail:
	reel_free(first);
	reel_free(buckets);
	group_free(list);
	return NULL;
}

/* Each group's room, sized exactly, and the cursor of its bucket. */
static int open_groups(group_list *list, const column *col, row_id **cursor)
{
	size_t i;
	for (i = 0; i < list->count; i++) {
		film_group *g = &list->groups[i];
		size_t b = g->key_is_null ? (size_t)list->span + 1
		           : (size_t)((uint64_t)column_ordinal(col, g->key_row) - (uint64_t)list->least);
		g->rows = selection_new(g->count);
		if (g->rows == NULL)
			return -1;
		g->rows->count = g->count; /* the scatter fills them */
		cursor[b] = g->rows->rows;
	}
	return 0;
}

int group_fill_rows(const table *t, const selection *in, size_t column_index,
                     group_list *groups)
{
	const column *col = &t->columns[column_index];
	row_id **cursor;
	size_t i;
	if (!groups->rows_put_off)
		return 0;
	cursor = reel_calloc((size_t)groups->span + 2, sizeof *cursor);
	if (cursor == NULL || open_groups(groups, col, cursor) != 0) {
		for (i = 0; i < groups->count; i++) {
			selection_free(groups->groups[i].rows);
			groups->groups[i].rows = NULL;
		}
		reel_free(cursor);
		return -1;
	}
	scatter_rows(col, in, groups->least, groups->span, cursor);
	groups->rows_put_off = false;
	reel_free(cursor);
	return 0;
}

group_list *group_by(const table *t, const selection *in, size_t column_index)
{
	group_list *list = group_keys(t, in, column_index);
	if (list != NULL && group_fill_rows(t, in, column_index, list) != 0) {
		group_free(list);
		return NULL;
	}
	return list;
}

/* rank[id] of each group `found` numbered, its place in the keys' order
** (nulls last): the groups' first rows sorted, each found again through an
** array by row. NULL when memory runs out. */
static uint32_t *rank_groups(const table *t, const hash_groups *found,
                             size_t column_index)
{
	sort_key key = {column_index, false, COLLATE_BINARY};
	selection firsts = {found->first, found->count, found->count, false};
	uint32_t *rank = reel_malloc((found->count + 1) * sizeof *rank);
	uint32_t *group_at = reel_malloc((t->row_count + 1) * sizeof *group_at);
	selection *sorted = rank != NULL && group_at != NULL
	                    ? sort_rows(t, &firsts, &key, 1) : NULL;
	size_t i;
	for (i = 0; sorted != NULL && i < found->count; i++)
		group_at[found->first[i]] = (uint32_t)i; /* only first rows are read */
	for (i = 0; sorted != NULL && i < sorted->count; i++)
		rank[group_at[sorted->rows[i]]] = (uint32_t)i;
	reel_free(group_at);
	if (sorted == NULL) {
		reel_free(rank);
		return NULL;
	}
	selection_free(sorted);
	return rank;
}

/* The groups in key order, each with its rows in the input's order: a row
** goes to the group of its rank. */
static int place_rows(group_list *list, const table *t, const selection *in,
                      size_t column_index, const hash_groups *found,
                      const uint32_t *rank, const uint32_t *ids)
{
	const column *col = &t->columns[column_index];
	size_t i;
	list->groups = reel_calloc(found->count + 1, sizeof *list->groups);
	if (list->groups == NULL)
		return -1;
	list->count = found->count;
	for (i = 0; i < found->count; i++) {
		film_group *g = &list->groups[rank[i]];
		g->key_row = found->first[i];
		g->key_is_null = column_is_null(col, g->key_row);
	}
	for (i = 0; i < in->count; i++)
		list->groups[rank[ids[i]]].count++;
	for (i = 0; i < list->count; i++)
		if ((list->groups[i].rows = selection_new(list->groups[i].count)) == NULL)
			return -1;
	for (i = 0; i < in->count; i++) {
		selection *rows = list->groups[rank[ids[i]]].rows;
		rows->rows[rows->count++] = in->rows[i];
	}
	return 0;
}

/* Keys of any type grouped by hashing, as aggregate and join find theirs
** (hash.h): one pass numbers each row's key, then only the distinct keys
** are sorted, not the rows. */
static group_list *group_by_hashing(const table *t, const selection *in,
                                    size_t column_index)
{
	hash_groups found;
	uint32_t *ids = reel_malloc((in->count + 1) * sizeof *ids), *rank = NULL;
	group_list *list = reel_calloc(1, sizeof *list);
	int status = -1;
	memset(&found, 0, sizeof found);
	if (ids != NULL && list != NULL &&
	    hash_groups_open(&found, &(hash_keys){t, &column_index, 1, true}, 64) == 0 &&
	    hash_groups_find(&found, in->rows, in->count, ids) == 0) {
		if ((rank = rank_groups(t, &found, column_index)) != NULL)
			status = place_rows(list, t, in, column_index, &found, rank, ids);
	}
	hash_groups_free(&found);
	reel_free(rank);
	reel_free(ids);
	if (status != 0) {
		group_free(list);
		return NULL;
	}
	return list;
}

group_list *group_keys(const table *t, const selection *in,
                             size_t column_index)
{
	int64_t least;
	uint64_t span;
	if (column_index >= t->column_count)
		return NULL;
	if (in->count > 0 &&
	    small_key_span(&t->columns[column_index], in, &least, &span))
		return group_by_counting(in, &t->columns[column_index], least, span);
	return group_by_hashing(t, in, column_index);
}
/* }====== */
