/*
** table_gather.c: filling a new table's column with cells of another
** table, picked by row (see table.h, "Gathering"): what a join and an
** aggregate make their results from. Relies on memory.h. Pure C.
*/
#include <string.h>

#include "memory.h"
#include "table.h"

/* Bytes the picked text cells need in the arena. */
static size_t text_needed(const table *t, size_t from, const row_id *rows,
                          size_t n)
{
	size_t need = 0, i;
	for (i = 0; i < n; i++)
		if (rows[i] != TABLE_NO_ROW && !table_is_null(t, from, rows[i]))
			need += table_string_length(t, from, rows[i]) + 1;
	return need;
}

/* Room in out's arena for `more` bytes; its first byte is the '\0' null
** cells point at. */
static int arena_room(table *out, size_t more)
{
	size_t used = out->arena_size > 0 ? out->arena_size : 1;
	char *grown;
	if (more > TEXT_ARENA_MAX - used)
		return -1; /* past what a string cell's start can hold */
	grown = reel_realloc(out->arena, used + more + 1);
	if (grown == NULL)
		return -1;
	out->arena = grown;
	out->arena[0] = '\0';
	out->arena_size = used;
	return 0;
}

static int allocate(column *to, size_t rows)
{
	size_t n = rows > 0 ? rows : 1;
	switch (to->type) {
	case COLUMN_INTEGER: to->integers = reel_malloc(n * sizeof *to->integers); break;
	case COLUMN_NUMBER: to->numbers = reel_malloc(n * sizeof *to->numbers); break;
	case COLUMN_BOOLEAN: to->booleans = reel_calloc(n, sizeof *to->booleans); break;
	case COLUMN_STRING:
		to->offsets = reel_malloc(n * sizeof *to->offsets);
		return to->offsets != NULL ? 0 : -1;
	}
	return to->integers || to->numbers || to->booleans ? 0 : -1;
}

static void copy_cell(table *out, column *to, const table *t,
                      const column *from, row_id r, size_t i)
{
	size_t length;
	switch (to->type) {
	case COLUMN_INTEGER: to->integers[i] = column_integer(from, r); break;
	case COLUMN_NUMBER: to->numbers[i] = from->numbers[r]; break;
	case COLUMN_BOOLEAN: to->booleans[i] = from->booleans[r]; break;
	case COLUMN_STRING:
		length = column_text_length(from, r);
		to->offsets[i] = text_cell(out->arena_size, length);
		memcpy(out->arena + out->arena_size, column_text(t, from, r), length + 1);
		out->arena_size += length + 1;
		break;
	}
}

/* A null cell: its bit set, its slot zero. */
static void set_null(column *to, size_t i)
{
	to->nulls[i >> 6] |= (uint64_t)1 << (i & 63);
	switch (to->type) {
	case COLUMN_INTEGER: to->integers[i] = 0; break;
	case COLUMN_NUMBER: to->numbers[i] = 0; break;
	case COLUMN_BOOLEAN: to->booleans[i] = 0; break;
	case COLUMN_STRING: to->offsets[i] = text_cell(0, 0); break;
	}
}

int table_gather(table *out, size_t col, const table *t, size_t from,
                 const row_id *rows, size_t n)
{
	column *to = &out->columns[col];
	const column *source = &t->columns[from];
	bool any_null = false;
	size_t i;
	to->type = source->type;
	to->nulls = reel_calloc(n / 64 + 1, sizeof *to->nulls);
	if (to->nulls == NULL || allocate(to, n) != 0 ||
	    (to->type == COLUMN_STRING &&
	     arena_room(out, text_needed(t, from, rows, n)) != 0))
		return -1;
	for (i = 0; i < n; i++) {
		if (rows[i] == TABLE_NO_ROW || column_is_null(source, rows[i])) {
			set_null(to, i);
			any_null = true;
		} else {
			copy_cell(out, to, t, source, rows[i], i);
		}
	}
	if (!any_null) {
		reel_free(to->nulls);
		to->nulls = NULL;
	}
	return 0;
}

void table_drop_cells(table *out)
{
	size_t c;
	for (c = 0; c < out->column_count; c++) {
		column *col = &out->columns[c];
		reel_free(col->integers);
		reel_free(col->narrow);
		reel_free(col->numbers);
		reel_free(col->booleans);
		reel_free(col->offsets);
		reel_free(col->nulls);
		col->integers = NULL;
		col->narrow = NULL;
		col->numbers = NULL;
		col->booleans = NULL;
		col->offsets = NULL;
		col->nulls = NULL;
	}
	reel_free(out->arena);
	out->arena = NULL;
	out->arena_size = 0;
	out->row_count = 0;
}
