/*
** table_gather.c: filling a new table's column with cells of another
** table, picked by row (see table.h, "Gathering"): what a join and an
** aggregate make their results from. Relies on memory.h. Pure C.
*/
#include <stdint.h>
#include <string.h>

#include "memory.h"
#include "table.h"

/* `out` holds `t`, whose arena (or its own held tables') a column reads.
** Holding changes only t's count of holders, not the films it holds, so a
** const table may be held. */
int table_hold(table *out, const table *t)
{
	table **grown;
	size_t i;
	for (i = 0; i < out->held_count; i++)
		if (out->held[i] == t)
			return 0;
	grown = reel_realloc(out->held, (out->held_count + 1) * sizeof *grown);
	if (grown == NULL)
		return -1;
	out->held = grown;
	out->held[out->held_count++] = table_retain((table *)(uintptr_t)t);
	return 0;
}

static int allocate(column *to, size_t rows)
{
	size_t n = rows > 0 ? rows : 1;
	switch (to->type) {
	case COLUMN_INTEGER: case COLUMN_DATE:
		to->integers = reel_malloc(n * sizeof *to->integers);
		break;
	case COLUMN_NUMBER: to->numbers = reel_malloc(n * sizeof *to->numbers); break;
	case COLUMN_BOOLEAN: to->booleans = reel_calloc(n, sizeof *to->booleans); break;
	case COLUMN_STRING:
		to->offsets = reel_malloc(n * sizeof *to->offsets);
		return to->offsets != NULL ? 0 : -1;
	}
	return to->integers || to->numbers || to->booleans ? 0 : -1;
}

/* The cells copied a type at a time, in loops with no switch inside; a
** row that is TABLE_NO_ROW is skipped. Whether there was one. */
#define GATHER_LOOP(assign) \
	for (i = 0; i < n; i++) { \
		row_id r = rows[i]; \
		if (r == TABLE_NO_ROW) { \
			lone = true; \
			continue; \
		} \
		assign; \
	}

/* From a view: each row through its map, a cell at a time. */
static bool copy_mapped_cells(column *to, const column *from,
                              const row_id *rows, size_t n)
{
	bool lone = false;
	size_t i;
	for (i = 0; i < n; i++) {
		row_id r = rows[i];
		if (r == TABLE_NO_ROW || from->map[r] == TABLE_NO_ROW) {
			lone = true;
			continue;
		}
		switch (to->type) {
		case COLUMN_INTEGER: case COLUMN_DATE:
			to->integers[i] = column_integer(from, r);
			break;
		case COLUMN_NUMBER: to->numbers[i] = column_number(from, r); break;
		case COLUMN_BOOLEAN: to->booleans[i] = column_boolean(from, r); break;
		case COLUMN_STRING: to->offsets[i] = column_text_cell(from, r); break;
		}
	}
	return lone;
}

static bool copy_cells(column *to, const column *from, const row_id *rows,
                       size_t n)
{
	bool lone = false;
	size_t i;
	if (from->map != NULL)
		return copy_mapped_cells(to, from, rows, n);
	switch (to->type) {
	case COLUMN_INTEGER: case COLUMN_DATE:
		if (from->narrow != NULL)
			GATHER_LOOP(to->integers[i] = from->narrow[r])
		else
			GATHER_LOOP(to->integers[i] = from->integers[r])
		break;
	case COLUMN_NUMBER: GATHER_LOOP(to->numbers[i] = from->numbers[r]) break;
	case COLUMN_BOOLEAN: GATHER_LOOP(to->booleans[i] = from->booleans[r]) break;
	case COLUMN_STRING: GATHER_LOOP(to->offsets[i] = from->offsets[r]) break;
	}
	return lone;
}

/* A null cell: its bit set, its slot zero. */
static void set_null(column *to, size_t i)
{
	to->nulls[i >> 6] |= (uint64_t)1 << (i & 63);
	switch (to->type) {
	case COLUMN_INTEGER: case COLUMN_DATE: to->integers[i] = 0; break;
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
	memcpy(to->list, source->list, sizeof to->list);
	to->nulls = reel_calloc(n / 64 + 1, sizeof *to->nulls);
	if (to->nulls == NULL || allocate(to, n) != 0 ||
	    (to->type == COLUMN_STRING && table_hold(out, t) != 0))
		return -1;
	if (to->type == COLUMN_STRING) /* a null's empty cell is its first byte */
		to->arena = source->arena != NULL ? source->arena
		            : t->arena != NULL ? t->arena : "";
	if (copy_cells(to, source, rows, n) || column_may_be_null(source))
		for (i = 0; i < n; i++) /* then the nulls, where there can be some */
			if (rows[i] == TABLE_NO_ROW || column_is_null(source, rows[i])) {
				set_null(to, i);
				any_null = true;
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
		column_free_cells(col);
		col->map = NULL;
		col->lone = false;
		col->ranged = false;
		col->integers = NULL;
		col->narrow = NULL;
		col->numbers = NULL;
		col->booleans = NULL;
		col->offsets = NULL;
		col->nulls = NULL;
		col->arena = NULL;
	}
	for (c = 0; c < out->map_count; c++)
		reel_free(out->maps[c]);
	reel_free(out->maps);
	out->maps = NULL;
	out->map_count = 0;
	reel_free(out->arena);
	out->arena = NULL;
	out->arena_size = 0;
	out->row_count = 0;
}
