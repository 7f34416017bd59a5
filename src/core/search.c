/*
** search.c: the rows where any text column holds a needle after Unicode
** case folding (see search.h). Relies on text.h for the folding. Pure C.
*/
#include "search.h"

#include <stdint.h>

#include "memory.h"
#include "text.h"

/* {====== Search ====== */

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

static selection *search_columns(const table *t, const selection *in,
                                 text_finder *f, uint8_t *found)
{
	selection *out;
	size_t c, i, kept = 0;
	for (c = 0; c < t->column_count; c++)
		if (t->columns[c].type == COLUMN_STRING &&
		    mark_matches(t, &t->columns[c], in, f, found) != 0)
			return NULL;
	for (i = 0; i < in->count; i++)
		kept += found[i];
	out = selection_new(kept);
	if (out == NULL)
		return NULL;
	for (i = 0; i < in->count; i++)
		if (found[i])
			out->rows[out->count++] = in->rows[i];
	return out;
}

selection *search_rows(const table *t, const selection *in,
                        const char *text, size_t length)
{
	text_finder f;
	uint8_t *found;
	selection *out;
	if (length == 0)
		return selection_copy(in);
	found = reel_calloc(in->count + 1, 1);
	if (found == NULL)
		return NULL;
	if (text_finder_open(&f, text, length) != 0) {
		reel_free(found);
		return NULL;
	}
	out = search_columns(t, in, &f, found);
	text_finder_close(&f);
	reel_free(found);
	return out;
}
/* }====== */
