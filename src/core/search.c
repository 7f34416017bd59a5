/*
** search.c: the rows where a text column holds a needle after Unicode case
** folding, in every text column or in some, in order or ranked by
** relevance (see search.h). Relies on text.h's finder for the match and on
** word.h's folding to tell how well a cell matches. Pure C.
*/
#include "search.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "memory.h"
#include "parallel.h"
#include "text.h"
#include "word.h"

/* {====== Search ====== */

int search_check(const table *t, const search_scope *scope, reel_error *err)
{
	size_t i;
	for (i = 0; scope != NULL && i < scope->column_count; i++) {
		const column *c;
		if (scope->columns[i] >= t->column_count)
			return error_set(err, REEL_ERROR_ARGUMENT, "search: no column "
			                 "number %zu", scope->columns[i] + 1);
		c = &t->columns[scope->columns[i]];
		if (c->type != COLUMN_STRING)
			return error_set(err, REEL_ERROR_ARGUMENT, "search: column "
			                 "'%.200s' holds %s, not text", c->name,
			                 table_type_plural(c->type));
	}
	return 0;
}

/* Whether the search looks in column c. */
static bool looks_in(const table *t, const search_scope *scope, size_t c)
{
	size_t i;
	if (t->columns[c].type != COLUMN_STRING)
		return false;
	if (scope == NULL || scope->column_count == 0)
		return true;
	for (i = 0; i < scope->column_count; i++)
		if (scope->columns[i] == c)
			return true;
	return false;
}

/* Mark the rows (by place in `in`) whose cell of string column col holds
** the needle; rows already marked are skipped. -1 when out of memory. */
static int mark_matches(const table *t, const column *col, const selection *in,
                        text_finder *f, uint8_t *found)
{
	size_t i;
	for (i = 0; i < in->count; i++) {
		row_id r = in->rows[i];
		int match;
		if (found[i] || column_is_null(col, r))
			continue;
		match = text_finder_match(f, column_text(t, col, r), column_text_length(col, r));
		if (match < 0)
			return -1;
		found[i] = (uint8_t)match;
	}
	return 0;
}

/* {====== On both cores ======
** Many rows are searched in two halves at once, each half with its own
** finder (a finder folds each cell into a buffer of its own) and its own
** stretch of the marks. */
typedef struct search_half {
	const table *t;
	selection rows;   /* a view of half the rows */
	const char *text;
	size_t length;
	const search_scope *scope;
	uint8_t *found;   /* the half's marks, by place in rows */
	int status;
} search_half;

static void *mark_half(void *context)
{
	search_half *h = context;
	text_finder f;
	size_t c;
	h->status = text_finder_open(&f, h->text, h->length);
	if (h->status != 0)
		return NULL;
	for (c = 0; c < h->t->column_count && h->status == 0; c++)
		if (looks_in(h->t, h->scope, c))
			h->status = mark_matches(h->t, &h->t->columns[c], &h->rows, &f,
			                         h->found);
	text_finder_close(&f);
	return NULL;
}

/* The marks of every row of `in`: 0, or -1 when out of memory. */
static int mark_all(const table *t, const selection *in, const char *text,
                    size_t length, const search_scope *scope, uint8_t *found)
{
	size_t half = in->count >= PARALLEL_ROWS ? in->count / 2 : in->count;
	search_half h[2] = {
		{t, {in->rows, half, half, false}, text, length, scope, found, 0},
		{t, {in->rows + half, in->count - half, in->count - half, false},
		 text, length, scope, found + half, 0}};
	if (h[1].rows.count > 0)
		parallel_both(mark_half, &h[0], &h[1]);
	else
		mark_half(&h[0]);
	return h[0].status == 0 && h[1].status == 0 ? 0 : -1;
}
/* }====== */

static selection *matching_rows(const table *t, const selection *in,
                                const char *text, size_t length,
                                const search_scope *scope)
{
	uint8_t *found = reel_calloc(in->count + 1, 1);
	selection *out = NULL;
	size_t i, kept = 0;
	if (found == NULL || mark_all(t, in, text, length, scope, found) != 0) {
		reel_free(found);
		return NULL;
	}
	for (i = 0; i < in->count; i++)
		kept += found[i];
	out = selection_new(kept);
	for (i = 0; out != NULL && i < in->count; i++)
		if (found[i])
			out->rows[out->count++] = in->rows[i];
	reel_free(found);
	return out;
}
/* }====== */

/* {====== Relevance ====== */

/* How well a folded cell holds the folded needle, best first. */
enum {
	MATCH_INSIDE = 1,      /* inside a word */
	MATCH_WORD_START = 3,  /* at the start of a word */
	MATCH_PREFIX = 4,      /* at the start of the cell */
	MATCH_WORDS = 6,       /* as whole words */
	MATCH_FIRST_WORDS = 8, /* as the cell's first whole words */
	MATCH_CELL = 10        /* as the whole cell */
};

#define TITLE_WEIGHT 4

/* How well a match of `n` bytes at `at` of folded `cell` sits there. */
static int match_quality(const char *cell, size_t length, size_t at, size_t n)
{
	bool starts = at == 0 || cell[at - 1] == ' ';
	bool ends = at + n == length || cell[at + n] == ' ';
	if (at == 0 && n == length)
		return MATCH_CELL;
	if (at == 0)
		return ends ? MATCH_FIRST_WORDS : MATCH_PREFIX;
	if (starts)
		return ends ? MATCH_WORDS : MATCH_WORD_START;
	return MATCH_INSIDE;
}

/* The best quality of the needle's places in the cell (both folded); 1 when
** the folding of words does not find it where the finder did. */
static int best_quality(const char *cell, size_t length, const char *needle,
                        size_t n)
{
	int best = MATCH_INSIDE;
	size_t at;
	for (at = 0; n > 0 && at + n <= length; at++)
		if (cell[at] == needle[0] && memcmp(cell + at, needle, n) == 0) {
			int q = match_quality(cell, length, at, n);
			best = q > best ? q : best;
		}
	return best;
}

typedef struct ranked {
	double relevance;
	double votes;
	size_t place;
	row_id row;
} ranked;

/* The weight of a match in column c: a title's counts more. */
static int column_weight(const table *t, size_t c)
{
	return (int)c == table_column_index(t, "title") ||
	       (int)c == table_column_index(t, "original_title") ? TITLE_WEIGHT : 1;
}

/* The relevance of one row: each column's match, weighed, added up. */
static double relevance_of(const table *t, row_id row,
                           const search_scope *scope, text_finder *f,
                           const text_buffer *needle, text_buffer *cell)
{
	double sum = 0;
	size_t c;
	for (c = 0; c < t->column_count; c++) {
		const column *col = &t->columns[c];
		const char *text;
		size_t length;
		if (!looks_in(t, scope, c) || column_is_null(col, row))
			continue;
		text = column_text(t, col, row);
		length = column_text_length(col, row);
		if (text_finder_match(f, text, length) != 1)
			continue;
		cell->length = 0;
		word_fold_text(text, length, cell);
		if (cell->failed)
			return -1;
		sum += column_weight(t, c) * best_quality(cell->data, cell->length,
		                                          needle->data, needle->length);
	}
	return sum;
}

static double votes_of(const table *t, int col, row_id row)
{
	const column *c;
	if (col < 0 || table_is_null(t, col, row))
		return -HUGE_VAL;
	c = &t->columns[col];
	if (c->type == COLUMN_INTEGER)
		return (double)column_integer(c, row);
	return c->type == COLUMN_NUMBER ? column_number(c, row) : -HUGE_VAL;
}

static int order_ranked(const void *a, const void *b)
{
	const ranked *x = a, *y = b;
	if (x->relevance != y->relevance)
		return x->relevance > y->relevance ? -1 : 1;
	if (x->votes != y->votes)
		return x->votes > y->votes ? -1 : 1;
	return (x->place > y->place) - (x->place < y->place);
}

/* Each found row's relevance into `r`; -1 when memory runs out. */
static int weigh_rows(const table *t, const selection *found,
                      const search_scope *scope, text_finder *f,
                      const text_buffer *needle, ranked *r)
{
	text_buffer cell;
	int votes = table_column_index(t, "votes");
	size_t i;
	text_buffer_init(&cell);
	for (i = 0; i < found->count; i++) {
		r[i].row = found->rows[i];
		r[i].place = i;
		r[i].votes = votes_of(t, votes, r[i].row);
		r[i].relevance = relevance_of(t, r[i].row, scope, f, needle, &cell);
		if (r[i].relevance < 0)
			break;
	}
	text_buffer_free(&cell);
	return i < found->count ? -1 : 0;
}

/* The found rows in place, most relevant first. -1 when memory runs out. */
static int rank_rows(const table *t, selection *found, const char *text,
                     size_t length, const search_scope *scope)
{
	ranked *r = reel_malloc((found->count + 1) * sizeof *r);
	text_buffer needle;
	text_finder f;
	size_t i;
	int status = -1;
	text_buffer_init(&needle);
	word_fold_text(text, length, &needle);
	if (r != NULL && !needle.failed && text_finder_open(&f, text, length) == 0) {
		status = weigh_rows(t, found, scope, &f, &needle, r);
		text_finder_close(&f);
	}
	if (status == 0) {
		qsort(r, found->count, sizeof *r, order_ranked);
		for (i = 0; i < found->count; i++)
			found->rows[i] = r[i].row;
	}
	text_buffer_free(&needle);
	reel_free(r);
	return status;
}
/* }====== */

selection *search_rows_in(const table *t, const selection *in,
                          const char *text, size_t length,
                          const search_scope *scope)
{
	selection *out;
	if (length == 0)
		return selection_copy(in);
	out = matching_rows(t, in, text, length, scope);
	if (out != NULL && scope != NULL && scope->rank &&
	    rank_rows(t, out, text, length, scope) != 0) {
		selection_free(out);
		return NULL;
	}
	return out;
}

selection *search_rows(const table *t, const selection *in,
                       const char *text, size_t length)
{
	return search_rows_in(t, in, text, length, NULL);
}
