/*
** table_builder_finish.c: a built table made final (see table.h,
** "Building"). While a table is finished, every text column's `offsets`
** holds its cells' starts (numeric ones too) until the cells are settled:
** numeric values are written in place over their offsets, string text
** packed together and each string slot packed with its start and length
** (text_cell). A value column's slots hold their values already (4-byte
** ones stay 4 bytes); one that saw only nulls becomes a string column of
** nulls. Relies on table_builder.h, cell.h, text.h and memory.h.
*/
#define _DEFAULT_SOURCE /* madvise, where the system has it */
#include "table_builder.h"

#include <string.h>
#include <sys/mman.h>

#include "memory.h"
#include "text.h"

/* {====== Finishing ====== */

/* The columns whose cells are in the arena, in the order they were given. */
typedef struct text_columns {
	size_t *index;
	size_t count;
	size_t seam_row;  /* where two parts' text meets (see the builder) */
	size_t seam_end;
	size_t seam_next;
} text_columns;

static column_type settled_type(unsigned kinds)
{
	if (!(kinds & KIND_SEEN))
		return COLUMN_STRING; /* all null */
	if (kinds & KIND_INTEGER)
		return COLUMN_INTEGER;
	if (kinds & KIND_NUMBER)
		return COLUMN_NUMBER;
	if (kinds & KIND_BOOLEAN)
		return COLUMN_BOOLEAN;
	if (kinds & (KIND_DATE | KIND_WRITTEN_DATE))
		return COLUMN_DATE;
	return COLUMN_STRING;
}

static bool bit_is_set(const uint64_t *bits, size_t row)
{
	return bits != NULL && ((bits[row >> 6] >> (row & 63)) & 1);
}

static column_type value_type(const column_draft *d)
{
	if (!(d->kinds & KIND_SEEN))
		return COLUMN_STRING; /* all null, as a text column would be */
	return d->mode == MODE_INTEGER ? COLUMN_INTEGER : COLUMN_NUMBER;
}

/* Moves the builder's columns and arena into t, noting the text columns in
** `texts` (room for every column); nothing can fail. */
static void take_columns(table *t, table_builder *b, text_columns *texts)
{
	size_t i;
	texts->count = 0;
	for (i = 0; i < b->column_count; i++) {
		column *c = &t->columns[i];
		const column_draft *d = &b->drafts[i];
		c->name = b->names[i];
		c->type = d->mode == MODE_TEXT ? settled_type(d->kinds) : value_type(d);
		if (d->mode == MODE_TEXT)
			texts->index[texts->count++] = i;
		if (draft_is_narrow(d) && c->type == COLUMN_STRING && b->row_count > 0)
			memset(d->offsets, 0, b->row_count * sizeof *d->offsets); /* nulls */
		else if (draft_is_narrow(d))
			c->narrow = (int32_t *)(void *)d->offsets;
		c->offsets = b->drafts[i].offsets;
		c->nulls = b->drafts[i].nulls;
		b->names[i] = NULL;
		b->drafts[i].offsets = NULL;
		b->drafts[i].nulls = NULL;
	}
	texts->seam_row = b->seam_row;
	texts->seam_end = b->seam_end;
	texts->seam_next = b->seam_next;
	t->column_count = b->column_count;
	t->row_count = b->row_count;
	t->arena = b->arena;
	t->arena_size = b->arena_used;
	b->arena = NULL;
}

/* A text column that came out typed, or holds nothing but nulls and
** markers, reads its markers as null (table_builder_null_marker); the
** builder's drafts still say which columns met one. 0, or -1 when memory
** runs out. */
static int null_typed_markers(table *t, const table_builder *b)
{
	size_t i, r;
	for (i = 0; i < t->column_count; i++) {
		column *c = &t->columns[i];
		const column_draft *d = &b->drafts[i];
		if (!d->marked || d->mode != MODE_TEXT ||
		    (c->type == COLUMN_STRING && (d->kinds & KIND_SEEN)))
			continue;
		if (c->nulls == NULL &&
		    (c->nulls = reel_calloc(null_words(t->row_count) + 1,
		                            sizeof *c->nulls)) == NULL)
			return -1;
		for (r = 0; r < t->row_count; r++) {
			const char *text = t->arena + c->offsets[r];
			if (!bit_is_set(c->nulls, r) &&
			    table_builder_null_marker(b, text, strlen(text)) != MARKER_NONE)
				c->nulls[r >> 6] |= (uint64_t)1 << (r & 63);
		}
	}
	return 0;
}

/* Where the text cell after (texts->index[k], row) starts, in the order
** cells were given. */
static uint64_t next_cell_start(const table *t, const text_columns *texts,
                                size_t k, size_t row)
{
	if (k + 1 < texts->count)
		return t->columns[texts->index[k + 1]].offsets[row];
	if (row + 1 == texts->seam_row)
		return texts->seam_end;
	if (row + 1 < t->row_count)
		return t->columns[texts->index[0]].offsets[row + 1];
	return t->arena_size;
}

/* A string cell slides down to `end`, over text that numeric cells no
** longer need, and its slot takes its packed start and length; returns the
** new end. A null one is the arena's first byte, an empty string. Cells
** after it in the arena are still unsettled, so next_cell_start reads their
** plain starts. */
static size_t settle_string(table *t, const text_columns *texts, size_t k,
                            size_t row, size_t end)
{
	column *c = &t->columns[texts->index[k]];
	uint64_t from = c->offsets[row];
	size_t length;
	if (bit_is_set(c->nulls, row)) {
		c->offsets[row] = text_cell(0, 0);
		return end;
	}
	length = (size_t)(next_cell_start(t, texts, k, row) - from - 1);
	if (from != end)
		memmove(t->arena + end, t->arena + from, length + 1);
	c->offsets[row] = text_cell(end, length);
	return end + length + 1;
}

/* A numeric cell's value overwrites its offset: an int64 or a double fits
** the slot, and a boolean's byte r lies in slot r/8, read long before. */
static void settle_value(table *t, size_t col, size_t row, decimal_reader *dr)
{
	column *c = &t->columns[col];
	uint64_t *slot = &c->offsets[row];
	const char *text = t->arena + *slot;
	bool is_null = bit_is_set(c->nulls, row);
	if (c->type == COLUMN_INTEGER) {
		int64_t x = is_null ? 0 : cell_integer(text);
		memcpy(slot, &x, sizeof x);
	} else if (c->type == COLUMN_NUMBER) {
		double x = is_null ? 0 : cell_number(text, dr);
		memcpy(slot, &x, sizeof x);
	} else if (c->type == COLUMN_DATE) {
		int64_t x = is_null ? 0 : cell_date(text, strlen(text));
		memcpy(slot, &x, sizeof x);
	} else {
		((uint8_t *)c->offsets)[row] =
			!is_null && text_ascii_lower((unsigned char)*text) == 't';
	}
}

/* The arena between the settled text's end and the next unread cell holds
** only text already read (numbers converted, strings moved down): once it
** spans GAP_RELEASE bytes its pages go back to the system, so that it
** does not add to the load's peak. The pages read as zeros when the
** settled text grows into them again. */
#define GAP_RELEASE ((size_t)1 << 20)

static void release_gap(table *t, size_t end, uint64_t next)
{
#ifdef MADV_DONTNEED
	uintptr_t start = ((uintptr_t)(t->arena + end) + 4095) & ~(uintptr_t)4095;
	uintptr_t stop = (uintptr_t)(t->arena + next) & ~(uintptr_t)4095;
	if (stop > start && stop - start >= GAP_RELEASE)
		madvise((void *)start, (size_t)(stop - start), MADV_DONTNEED);
#else
	(void)t;
	(void)end;
	(void)next;
#endif
}

/* One pass over the text cells in the order they were given, which is also
** their order in the arena: every read is of a cell not yet moved or
** overwritten, and the text is read from start to end once. */
static void settle_cells(table *t, const text_columns *texts)
{
	decimal_reader dr = {(locale_t)0, false};
	size_t end = 1, released = 1, r, k;
	const uint64_t *firsts;
	if (texts->count == 0)
		return; /* nothing in the arena but its empty string */
	firsts = t->columns[texts->index[0]].offsets;
	for (r = 0; r < t->row_count; r++) {
		if (r == texts->seam_row && end < texts->seam_next)
			end = texts->seam_next; /* the second part's text stays put */
		for (k = 0; k < texts->count; k++)
			if (t->columns[texts->index[k]].type == COLUMN_STRING)
				end = settle_string(t, texts, k, r, end);
			else
				settle_value(t, texts->index[k], r, &dr);
		/* row r+1 is unread, so its first cell's offset is still one */
		if (r + 1 < t->row_count && firsts[r + 1] - end >= released + GAP_RELEASE) {
			release_gap(t, end, firsts[r + 1]);
			released = (size_t)(firsts[r + 1] - end);
		}
	}
	cell_decimal_close(&dr);
	t->arena_size = end;
}

/* The converted slots become the typed arrays they now hold. */
static void rename_value_arrays(table *t)
{
	size_t i;
	for (i = 0; i < t->column_count; i++) {
		column *c = &t->columns[i];
		if (column_is_integral(c) && c->narrow == NULL)
			c->integers = (int64_t *)c->offsets;
		else if (c->type == COLUMN_NUMBER)
			c->numbers = (double *)(void *)c->offsets;
		else if (c->type == COLUMN_BOOLEAN)
			c->booleans = (uint8_t *)c->offsets;
		if (c->type != COLUMN_STRING)
			c->offsets = NULL;
	}
}

/* The least and greatest value of each integer and date column with at
** least one that is not null. */
static void range_columns(table *t)
{
	size_t i, r;
	for (i = 0; i < t->column_count; i++) {
		column *c = &t->columns[i];
		int64_t least = INT64_MAX, greatest = INT64_MIN;
		if (!column_is_integral(c))
			continue;
		for (r = 0; r < t->row_count; r++) {
			int64_t x = c->narrow != NULL ? c->narrow[r] : c->integers[r];
			if (c->nulls != NULL && column_is_null(c, r))
				continue;
			least = x < least ? x : least;
			greatest = x > greatest ? x : greatest;
		}
		c->ranged = least <= greatest;
		c->least = least;
		c->greatest = greatest;
	}
}

static bool any_bit_set(const uint64_t *bits, size_t rows)
{
	size_t w;
	for (w = 0; w < null_words(rows); w++)
		if (bits[w] != 0)
			return true;
	return false;
}

/* Gives back what the builder's growth left unused; a failed shrink keeps
** the larger block. */
static void *shrink(void *block, size_t size)
{
	void *smaller;
	if (block == NULL || size == 0)
		return block;
	smaller = reel_realloc(block, size);
	return smaller != NULL ? smaller : block;
}

static void tidy_columns(table *t)
{
	size_t i, rows = t->row_count;
	for (i = 0; i < t->column_count; i++) {
		column *c = &t->columns[i];
		if (c->nulls != NULL && !any_bit_set(c->nulls, rows)) {
			reel_free(c->nulls);
			c->nulls = NULL;
		}
		c->nulls = shrink(c->nulls, null_words(rows) * sizeof *c->nulls);
		c->offsets = shrink(c->offsets, rows * sizeof *c->offsets);
		c->integers = shrink(c->integers, rows * sizeof *c->integers);
		c->narrow = shrink(c->narrow, rows * sizeof *c->narrow);
		c->numbers = shrink(c->numbers, rows * sizeof *c->numbers);
		c->booleans = shrink(c->booleans, rows * sizeof *c->booleans);
	}
	t->arena = shrink(t->arena, t->arena_size);
}

table *table_builder_finish(table_builder *b, reel_error *err)
{
	table *t = reel_calloc(1, sizeof *t);
	if (t != NULL)
		t->references = 1;
	size_t arena_capacity = b->arena_capacity;
	text_columns texts = {NULL, 0, SIZE_MAX, 0, 0};
	if (b->cell != 0)
		table_builder_undo_row(b); /* a row never closed is not part of the table */
	if (t != NULL)
		t->columns = reel_calloc(b->column_count + 1, sizeof *t->columns);
	texts.index = reel_calloc(b->column_count + 1, sizeof *texts.index);
	if (t == NULL || t->columns == NULL || texts.index == NULL) {
		if (t != NULL)
			reel_free(t->columns);
		reel_free(t);
		reel_free(texts.index);
		table_builder_free(b);
		error_memory(err, NULL);
		return NULL;
	}
	take_columns(t, b, &texts);
	if (null_typed_markers(t, b) != 0) {
		/* the columns are t's now: free them with it */
		table_builder_free(b);
		reel_free(texts.index);
		rename_value_arrays(t);
		table_free(t);
		error_memory(err, NULL);
		return NULL;
	}
	table_builder_free(b);
	settle_cells(t, &texts);
	reel_free(texts.index);
	rename_value_arrays(t);
	table_builder_release_tail(t->arena, t->arena_size, arena_capacity);
	tidy_columns(t);
	range_columns(t);
	return t;
}
/* }====== */

