/*
** explode.c: one row an element of a list column (see explode.h). Two
** walks of the list cells: one counts the elements, so the pairs are
** allocated once, the other places them. Relies on list.h and
** table_gather. Pure C.
*/
#include "explode.h"

#include <string.h>

#include "list.h"
#include "memory.h"

/* {====== Schema ====== */
static int copy_names(table *out, const table *t)
{
	size_t i;
	out->columns = reel_calloc(t->column_count + 1, sizeof *out->columns);
	if (out->columns == NULL)
		return -1;
	for (i = 0; i < t->column_count; i++) {
		column *c = &out->columns[i];
		c->type = t->columns[i].type;
		memcpy(c->list, t->columns[i].list, sizeof c->list);
		c->name = reel_strdup(t->columns[i].name);
		out->column_count = i + 1;
		if (c->name == NULL)
			return -1;
	}
	for (i = 0; i < t->alias_count; i++)
		if (table_set_alias(out, t->aliases[i].name,
		                    t->columns[t->aliases[i].column].name) != 0)
			return -1;
	return 0;
}

table *explode_schema(const table *t, size_t col, reel_error *err)
{
	table *out;
	if (col >= t->column_count || t->columns[col].type != COLUMN_STRING ||
	    !column_is_list(&t->columns[col])) {
		error_set(err, REEL_ERROR_ARGUMENT, "explode: '%.200s' is not a list "
		          "column (load with opts.lists = {%.200s = \",\"} to make it "
		          "one)", col < t->column_count ? t->columns[col].name : "?",
		          col < t->column_count ? t->columns[col].name : "?");
		return NULL;
	}
	out = reel_calloc(1, sizeof *out);
	if (out != NULL)
		out->references = 1;
	if (out == NULL || copy_names(out, t) != 0) {
		table_free(out);
		error_memory(err, "explode");
		return NULL;
	}
	out->columns[col].list[0] = '\0';
	return out;
}
/* }====== */

/* {====== Filling ====== */
/* The result's rows: each a source row and its element's cell. */
typedef struct element_rows {
	row_id *rows;
	uint64_t *cells;
	size_t count;
} element_rows;

/* How many elements the rows' lists have; SIZE_MAX past the row ids. */
static size_t count_elements(const table *t, const column *c,
                             const selection *in)
{
	size_t i, total = 0;
	for (i = 0; i < in->count; i++) {
		row_id r = in->rows[i];
		if (column_is_null(c, r))
			continue;
		total += list_count(c, column_text(t, c, r), column_text_length(c, r));
		if (total >= TABLE_NO_ROW)
			return SIZE_MAX;
	}
	return total;
}

/* Each element as a cell of the source's arena: its cell's start moved
** on by where the element lies in it. */
static void place_elements(const table *t, const column *c,
                           const selection *in, element_rows *e)
{
	size_t i;
	for (i = 0; i < in->count; i++) {
		row_id r = in->rows[i];
		const char *text, *element;
		uint64_t start;
		size_t length;
		list_cursor cursor;
		if (column_is_null(c, r))
			continue;
		text = column_text(t, c, r);
		start = column_text_cell(c, r) >> TEXT_LENGTH_BITS;
		list_open(&cursor, c, text, column_text_length(c, r));
		while (list_next(&cursor, &element, &length)) {
			e->rows[e->count] = r;
			e->cells[e->count++] =
				text_cell(start + (uint64_t)(element - text), length);
		}
	}
}

static int fill_failed(table *out, element_rows *e, reel_error *err,
                       bool too_many)
{
	if (too_many)
		error_set(err, REEL_ERROR_ARGUMENT, "explode: more than %lu rows",
		          (unsigned long)(TABLE_NO_ROW - 1));
	else
		error_memory(err, "explode");
	reel_free(e->rows);
	reel_free(e->cells);
	table_drop_cells(out);
	return -1;
}

int explode_fill(table *out, const table *t, const selection *in, size_t col,
                 reel_error *err)
{
	const column *c = &t->columns[col];
	element_rows e = {NULL, NULL, 0};
	size_t total = count_elements(t, c, in), i;
	if (total == SIZE_MAX)
		return fill_failed(out, &e, err, true);
	e.rows = reel_malloc((total + 1) * sizeof *e.rows);
	e.cells = reel_malloc((total + 1) * sizeof *e.cells);
	if (e.rows == NULL || e.cells == NULL)
		return fill_failed(out, &e, err, false);
	place_elements(t, c, in, &e);
	out->row_count = e.count;
	for (i = 0; i < t->column_count; i++)
		if (table_gather(out, i, t, i, e.rows, e.count) != 0)
			return fill_failed(out, &e, err, false);
	/* the exploded column read its cells where the lists lie: now each
	** reads its element */
	memcpy(out->columns[col].offsets, e.cells, e.count * sizeof *e.cells);
	out->columns[col].list[0] = '\0';
	reel_free(e.rows);
	reel_free(e.cells);
	return 0;
}
/* }====== */
