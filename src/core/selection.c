/*
** selection.c: ordered lists of a table's row ids (see selection.h), and
** the stable merge sort by a comparator that a Lua sort uses. Relies on
** memory.h for every allocation. Pure C.
*/
#include "selection.h"

#include <stdint.h>
#include <string.h>

#include "memory.h"

/* {====== Selections ====== */

selection *selection_new(size_t capacity)
{
	selection *s;
	if (capacity > SIZE_MAX / sizeof(row_id))
		return NULL;
	s = reel_malloc(sizeof *s);
	if (s == NULL)
		return NULL;
	s->count = 0;
	s->capacity = capacity;
	s->rows = NULL;
	s->every_row = false;
	if (capacity > 0) {
		s->rows = reel_malloc(capacity * sizeof(row_id));
		if (s->rows == NULL) {
			reel_free(s);
			return NULL;
		}
	}
	return s;
}

selection *selection_all(const table *t)
{
	selection *s = selection_new(t->row_count);
	size_t i;
	if (s == NULL)
		return NULL;
	for (i = 0; i < t->row_count; i++)
		s->rows[i] = (row_id)i;
	s->count = t->row_count;
	s->every_row = true;
	return s;
}

selection *selection_from(const row_id *rows, size_t count)
{
	selection *s = selection_new(count);
	if (s == NULL)
		return NULL;
	if (count > 0)
		memcpy(s->rows, rows, count * sizeof(row_id));
	s->count = count;
	return s;
}

selection *selection_copy(const selection *s)
{
	return selection_from(s->rows, s->count);
}

int selection_push(selection *s, row_id row)
{
	if (s->count == s->capacity) {
		size_t grown = s->capacity < 8 ? 8 : s->capacity * 2;
		row_id *rows;
		if (grown > SIZE_MAX / sizeof(row_id))
			return -1;
		rows = reel_realloc(s->rows, grown * sizeof(row_id));
		if (rows == NULL)
			return -1;
		s->rows = rows;
		s->capacity = grown;
	}
	s->rows[s->count++] = row;
	return 0;
}

void selection_free(selection *s)
{
	if (s == NULL)
		return;
	reel_free(s->rows);
	reel_free(s);
}

selection *selection_slice(const selection *s, size_t offset, size_t limit)
{
	size_t count = 0;
	if (offset < s->count)
		count = s->count - offset < limit ? s->count - offset : limit;
	return selection_from(count > 0 ? s->rows + offset : s->rows, count);
}

void selection_trim(selection *s)
{
	row_id *rows;
	if (s->count >= s->capacity / 2)
		return;
	if (s->count == 0) {
		reel_free(s->rows);
		s->rows = NULL;
		s->capacity = 0;
		return;
	}
	rows = reel_realloc(s->rows, s->count * sizeof(row_id));
	if (rows != NULL) {
		s->rows = rows;
		s->capacity = s->count;
	}
}
int selection_append(selection *s, const row_id *rows, size_t count)
{
	if (count == 0)
		return 0;
	if (count > s->capacity - s->count) {
		size_t grown = s->count + count;
		row_id *more;
		if (grown < s->capacity)
			grown = s->capacity;
		if (grown > SIZE_MAX / 2 / sizeof *more)
			return -1;
		more = reel_realloc(s->rows, 2 * grown * sizeof *more);
		if (more == NULL)
			return -1;
		s->rows = more;
		s->capacity = 2 * grown;
	}
	memcpy(s->rows + s->count, rows, count * sizeof *rows);
	s->count += count;
	return 0;
}

/* }====== */

/* {====== Merge sort ====== */

#define INSERTION_RUN 16

static void insertion_sort(row_id *rows, size_t n, row_compare compare,
                           void *context)
{
	size_t i, j;
	for (i = 1; i < n; i++) {
		row_id r = rows[i];
		for (j = i; j > 0 && compare(context, rows[j - 1], r) > 0; j--)
			rows[j] = rows[j - 1];
		rows[j] = r;
	}
}

/* Merge src[lo .. mid-1] and src[mid .. hi-1] into dst[lo .. hi-1]; on a
** tie the left run goes first, which is what keeps the sort stable. */
static void merge_runs(const row_id *src, row_id *dst, size_t lo, size_t mid,
                       size_t hi, row_compare compare, void *context)
{
	size_t a = lo, b = mid, k = lo;
	if (mid == hi || compare(context, src[mid - 1], src[mid]) <= 0) {
		memcpy(dst + lo, src + lo, (hi - lo) * sizeof *dst);
		return;
	}
	while (a < mid && b < hi)
		dst[k++] = compare(context, src[b], src[a]) < 0 ? src[b++] : src[a++];
	while (a < mid)
		dst[k++] = src[a++];
	while (b < hi)
		dst[k++] = src[b++];
}

void selection_sort_with(selection *s, row_id *scratch, row_compare compare,
                         void *context)
{
	row_id *src = s->rows, *dst = scratch, *swap;
	size_t n = s->count, lo, width;
	for (lo = 0; lo < n; lo += INSERTION_RUN)
		insertion_sort(src + lo, n - lo < INSERTION_RUN ? n - lo : INSERTION_RUN,
		               compare, context);
	for (width = INSERTION_RUN; width < n; width *= 2) {
		for (lo = 0; lo < n; lo += 2 * width) {
			size_t mid = n - lo < width ? n : lo + width;
			size_t hi = n - lo < 2 * width ? n : lo + 2 * width;
			merge_runs(src, dst, lo, mid, hi, compare, context);
		}
		swap = src;
		src = dst;
		dst = swap;
	}
	if (src != s->rows)
		memcpy(s->rows, src, n * sizeof *src);
}
/* }====== */
