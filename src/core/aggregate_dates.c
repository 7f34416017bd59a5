/*
** aggregate_dates.c: aggregate keys that are the year or the month of a
** date column (see aggregate.h, "Keys from dates"). The rows to group are
** gathered into a table of their own (text is not copied: it is read where
** it lies) with one integer column per such key, so the grouping itself is
** the one every other key goes through. Relies on date.h, table.h and
** memory.h. Pure C.
*/
#include <stdio.h>
#include <string.h>

#include "aggregate.h"
#include "date.h"
#include "memory.h"

bool aggregate_dates_used(const aggregate_by *by)
{
	size_t i;
	for (i = 0; by->parts != NULL && i < by->count; i++)
		if (by->parts[i] != AGGREGATE_PART_WHOLE)
			return true;
	return false;
}

/* "year_released": the name of a part's column, in out. */
static char *part_name(aggregate_part part, const char *source)
{
	const char *word = part == AGGREGATE_PART_YEAR ? "year" : "month";
	size_t length = strlen(word) + strlen(source) + 2;
	char *name = reel_malloc(length);
	if (name != NULL)
		snprintf(name, length, "%s_%s", word, source);
	return name;
}

/* Column `col` of d: the year or month of each date of `from` at rows. */
static int fill_part(table *d, size_t col, const column *from,
                     aggregate_part part, const row_id *rows, size_t n)
{
	column *c = &d->columns[col];
	size_t i;
	c->type = COLUMN_INTEGER;
	c->name = part_name(part, from->name);
	c->integers = reel_malloc((n > 0 ? n : 1) * sizeof *c->integers);
	c->nulls = reel_calloc(n / 64 + 1, sizeof *c->nulls);
	if (c->name == NULL || c->integers == NULL || c->nulls == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		int64_t stamp = column_integer(from, rows[i]);
		if (column_is_null(from, rows[i])) {
			c->nulls[i >> 6] |= (uint64_t)1 << (i & 63);
			c->integers[i] = 0;
		} else {
			c->integers[i] = part == AGGREGATE_PART_YEAR ? date_year(stamp)
			                                             : date_month(stamp);
		}
	}
	return 0;
}

static int check_parts(const table *t, const aggregate_by *by, reel_error *err)
{
	size_t i;
	for (i = 0; i < by->count; i++) {
		const column *c = &t->columns[by->columns[i]];
		if (by->parts[i] != AGGREGATE_PART_WHOLE && c->type != COLUMN_DATE)
			return error_set(err, REEL_ERROR_ARGUMENT, "aggregate: %s() needs "
			                 "a column of dates, and '%.200s' holds %s",
			                 by->parts[i] == AGGREGATE_PART_YEAR ? "year" : "month",
			                 c->name, table_type_plural(c->type));
	}
	return 0;
}

/* t's columns gathered at rows[0 .. n-1] into d. */
static int gather_columns(table *d, const table *t, const row_id *rows, size_t n)
{
	size_t c;
	for (c = 0; c < t->column_count; c++) {
		d->columns[c].name = reel_strdup(t->columns[c].name);
		d->column_count = c + 1;
		if (d->columns[c].name == NULL ||
		    table_gather(d, c, t, c, rows, n) != 0)
			return -1;
	}
	return 0;
}

table *aggregate_dates_table(const table *t, const selection *in,
                             const aggregate_by *by, size_t *keys,
                             reel_error *err)
{
	const row_id *rows = in != NULL ? in->rows : NULL;
	size_t n = in != NULL ? in->count : 0, i;
	table *d;
	if (check_parts(t, by, err) != 0)
		return NULL;
	d = reel_calloc(1, sizeof *d);
	if (d == NULL || (d->columns = reel_calloc(t->column_count + by->count + 1,
	                                           sizeof *d->columns)) == NULL) {
		reel_free(d);
		error_memory(err, NULL);
		return NULL;
	}
	d->references = 1;
	d->row_count = n;
	if (gather_columns(d, t, rows, n) != 0)
		goto fail;
	for (i = 0; i < by->count; i++) {
		keys[i] = by->columns[i];
		if (by->parts[i] == AGGREGATE_PART_WHOLE)
			continue;
		keys[i] = d->column_count++;
		if (fill_part(d, keys[i], &t->columns[by->columns[i]],
		              (aggregate_part)by->parts[i], rows, n) != 0)
			goto fail;
	}
	return d;
fail:
	table_free(d);
	error_memory(err, NULL);
	return NULL;
}
