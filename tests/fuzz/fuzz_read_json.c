/*
** fuzz_read_json.c: read_json on arbitrary bytes. A table that comes back
** has its list columns walked and exploded and its text columns folded as
** a loose join folds them, then is formatted every way; nothing may crash,
** leak or read past the input.
*/
#include <stdlib.h>

#include "core/explode.h"
#include "core/list.h"
#include "core/match.h"
#include "core/memory.h"
#include "fuzz.h"

/* What flattened JSON feeds: lists exploded, text keys folded loosely. */
static void use_columns(table *t)
{
	selection *all = selection_all(t);
	size_t c;
	for (c = 0; all != NULL && c < t->column_count; c++) {
		reel_error err = REEL_ERROR_INIT;
		table *exploded;
		match_keys keys;
		if (t->columns[c].type != COLUMN_STRING)
			continue;
		if (column_is_list(&t->columns[c]) &&
		    (exploded = explode_schema(t, c, &err)) != NULL) {
			explode_fill(exploded, t, all, c, &err);
			table_free(exploded);
		}
		match_keys_open(&keys, t, all, &c, 1, &err);
		match_keys_close(&keys);
	}
	selection_free(all);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	reel_error err = REEL_ERROR_INIT;
	table *t;
	char *copy = fuzz_copy(data, size);
	t = read_json(copy != NULL ? copy : "", size, "fuzz.json", &err);
	free(copy);
	if (t != NULL)
		use_columns(t);
	fuzz_check_read(t);
	return 0;
}
