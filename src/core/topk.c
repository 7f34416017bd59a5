/*
** topk.c: the first rows of a sort without sorting the rest (see topk.h):
** one pass keeps the best k in a heap, the worst of them on top. Relies on
** sort.h for the full sort past TOP_K_MAX and where.h for the fused pass
** with a where. Pure C.
*/
#include "topk.h"

#include <stdint.h>
#include <string.h>

#include "collate.h"
#include "memory.h"

/* {====== Sort then limit ====== */
/* sort(...):limit(k) with k small needs only the k first rows: one pass
** keeps them in a heap (the worst of them on top) and never orders the
** rest. Ties go by position in the input, so the rows are exactly the
** first k of sort_rows's stable order, nulls last as there. */
#define TOP_K_MAX 4096

typedef struct top_k {
	const table *t;
	const sort_key *keys;
	size_t key_count;
	row_id *rows;       /* the heap: rows... */
	size_t *positions;  /* ...and where each stood in the input */
	size_t count;
	text_buffer scratch[2]; /* a collation's folded texts, reused */
} top_k;

/* The order of two cells of a key, neither null: text under the key's
** collation (ties by the bytes, as the full sort breaks them), the rest as
** their cells order. */
static int key_order(top_k *h, const sort_key *key, const column *col,
                     row_id a, row_id b)
{
	if (col->type != COLUMN_STRING || key->collate == COLLATE_BINARY)
		return table_cell_order(h->t, col, a, b);
	return collate_compare(key->collate, column_text(h->t, col, a),
	                       column_text_length(col, a), column_text(h->t, col, b),
	                       column_text_length(col, b), h->scratch);
}

/* <0 when (a at position pa) goes before (b at pb) in the sorted order. */
static int top_order(top_k *h, row_id a, size_t pa, row_id b, size_t pb)
{
	size_t k;
	for (k = 0; k < h->key_count; k++) {
		const column *col = &h->t->columns[h->keys[k].column];
		bool a_null = column_is_null(col, a), b_null = column_is_null(col, b);
		int c;
		if (a_null || b_null) {
			if (a_null != b_null)
				return a_null ? 1 : -1; /* nulls last either way */
			continue;
		}
		c = key_order(h, &h->keys[k], col, a, b);
		if (c != 0)
			return h->keys[k].descending ? -c : c;
	}
	return value_order_of(pa < pb, pa > pb);
}

static void top_swap(top_k *h, size_t i, size_t j)
{
	row_id r = h->rows[i];
	size_t p = h->positions[i];
	h->rows[i] = h->rows[j];
	h->positions[i] = h->positions[j];
	h->rows[j] = r;
	h->positions[j] = p;
}

/* Whether slot i goes after slot j (the heap keeps the latest on top). */
static bool top_after(top_k *h, size_t i, size_t j)
{
	return top_order(h, h->rows[i], h->positions[i], h->rows[j],
	                 h->positions[j]) > 0;
}

static void top_sift_down(top_k *h, size_t i, size_t n)
{
	for (;;) {
		size_t child = 2 * i + 1, latest = i;
		if (child < n && top_after(h, child, latest))
			latest = child;
		if (child + 1 < n && top_after(h, child + 1, latest))
			latest = child + 1;
		if (latest == i)
			return;
		top_swap(h, i, latest);
		i = latest;
	}
}

static void top_sift_up(top_k *h, size_t i)
{
	while (i > 0 && top_after(h, i, (i - 1) / 2)) {
		top_swap(h, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

/* A quick no for most rows offered to a full heap: an integer first key
** (a column without nulls) strictly after the heap top's. */
static bool after_top_by_first_key(const top_k *h, row_id r)
{
	const column *col;
	int64_t x, top;
	if (h->key_count == 0)
		return false;
	col = &h->t->columns[h->keys[0].column];
	if (col->type != COLUMN_INTEGER || column_may_be_null(col))
		return false;
	x = column_integer(col, r);
	top = column_integer(col, h->rows[0]);
	return h->keys[0].descending ? x < top : x > top;
}

static void top_offer(top_k *h, size_t limit, row_id r, size_t position)
{
	if (h->count < limit) {
		h->rows[h->count] = r;
		h->positions[h->count] = position;
		top_sift_up(h, h->count++);
	} else if (!after_top_by_first_key(h, r) &&
	           top_order(h, r, position, h->rows[0], h->positions[0]) < 0) {
		h->rows[0] = r;
		h->positions[0] = position;
		top_sift_down(h, 0, h->count);
	}
}

/* Takes the heap apart from the latest row down, filling the result. */
/* Room for a heap of `limit` rows, and the selection it drains into; NULL
** when out of memory (top_close still frees what was had). */
static selection *top_open(top_k *h, size_t limit)
{
	selection *out = selection_new(limit);
	text_buffer_init(&h->scratch[0]);
	text_buffer_init(&h->scratch[1]);
	h->rows = reel_malloc((limit + 1) * sizeof *h->rows);
	h->positions = reel_malloc((limit + 1) * sizeof *h->positions);
	if (out == NULL || h->rows == NULL || h->positions == NULL) {
		selection_free(out);
		return NULL;
	}
	return out;
}

static void top_close(top_k *h)
{
	reel_free(h->rows);
	reel_free(h->positions);
	h->rows = NULL;
	h->positions = NULL;
	text_buffer_free(&h->scratch[0]);
	text_buffer_free(&h->scratch[1]);
}

static void top_drain(top_k *h, selection *out)
{
	size_t n = h->count;
	out->count = n;
	while (n > 0) {
		out->rows[n - 1] = h->rows[0];
		top_swap(h, 0, --n);
		top_sift_down(h, 0, n);
	}
}

selection *topk_rows(const table *t, const selection *in,
                            const sort_key *keys, size_t count, size_t limit)
{
	top_k h = {t, keys, count, NULL, NULL, 0, {{NULL, 0, 0, false}, {NULL, 0, 0, false}}};
	selection *out, *sorted;
	size_t i;
	for (i = 0; i < count; i++)
		if (keys[i].column >= t->column_count)
			return NULL;
	if (limit > TOP_K_MAX || limit >= in->count / 4) {
		sorted = sort_rows(t, in, keys, count);
		out = sorted != NULL ? selection_slice(sorted, 0, limit) : NULL;
		selection_free(sorted);
		return out;
	}
	out = top_open(&h, limit);
	if (out != NULL) {
		for (i = 0; i < in->count && limit > 0; i++)
			top_offer(&h, limit, in->rows[i], i);
		top_drain(&h, out);
	}
	top_close(&h);
	return out;
}

/* The top `limit` of the rows of `in` the filter keeps, offered to the
** heap a chunk at a time as the where finds them: the kept rows are never
** gathered into a selection. A kept row's position is its place among the
** kept, which orders ties as the made selection would. */
static selection *top_of_kept(where_filter *w, const selection *in, top_k *h,
                              size_t limit)
{
	row_id chunk[WHERE_CHUNK];
	selection *out = top_open(h, limit);
	size_t start, n, i, kept = 0;
	for (start = 0; out != NULL && start < in->count; start += WHERE_CHUNK) {
		n = where_chunk(w, in, start, chunk);
		if (n == (size_t)-1) {
			selection_free(out);
			return NULL;
		}
		for (i = 0; i < n && limit > 0; i++)
			top_offer(h, limit, chunk[i], kept + i);
		kept += n;
	}
	if (out != NULL)
		top_drain(h, out);
	return out;
}

/* Past TOP_K_MAX the where's rows are made and sorted whole. */
static selection *sort_limit_of_where(where_filter *w, const selection *in,
                                      const top_k *h, size_t limit,
                                      reel_error *err)
{
	selection *kept = where_rows(w, in, err), *out;
	if (kept == NULL)
		return NULL;
	out = topk_rows(h->t, kept, h->keys, h->key_count, limit);
	selection_free(kept);
	if (out == NULL)
		error_memory(err, NULL);
	return out;
}

selection *topk_where(const table *t, where_filter *w, const selection *in,
                      const sort_key *keys, size_t key_count, size_t limit,
                      reel_error *err)
{
	top_k h = {t, keys, key_count, NULL, NULL, 0, {{NULL, 0, 0, false}, {NULL, 0, 0, false}}};
	selection *out;
	size_t i;
	for (i = 0; i < key_count; i++)
		if (keys[i].column >= t->column_count) {
			error_set(err, REEL_ERROR_ARGUMENT, "sort: no column number %zu",
			          keys[i].column + 1);
			return NULL;
		}
	if (limit > TOP_K_MAX)
		return sort_limit_of_where(w, in, &h, limit, err);
	out = top_of_kept(w, in, &h, limit);
	top_close(&h);
	if (out == NULL)
		error_memory(err, NULL);
	return out;
}
/* }====== */
