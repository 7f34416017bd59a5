/*
** read_halves.c: a catalogue read in two halves on two threads (see
** read_halves.h). Relies on table.h's building in two parts and
** parallel.h. Pure C.
*/
#include "read_halves.h"

#include <stdbool.h>

#include "parallel.h"

typedef struct half_run {
	const read_halves *h;
	void *half;
	table_builder *builder;
	int status;
} half_run;

static void *run_half(void *context)
{
	half_run *run = context;
	run->status = run->h->read(run->half, run->builder);
	return NULL;
}

/* Both halves read, each from its first record. */
static bool read_both(const read_halves *h, table_builder *part)
{
	half_run runs[2] = {{h, h->halves[0], h->builder, 0},
	                    {h, h->halves[1], part, 0}};
	parallel_both(run_half, &runs[0], &runs[1]);
	return runs[0].status == 0 && runs[1].status == 0;
}

int read_halves_run(read_halves *h)
{
	table_builder *part;
	size_t attempt;
	bool agreed = false;
	if (table_builder_reserve(h->builder, h->rows, h->bytes) != 0 ||
	    (part = table_builder_part(h->builder, h->first_rows, h->first_bytes)) == NULL)
		return -1;
	/* a column that turns to text in one half only is read again as text */
	for (attempt = 0; attempt < 2 && !agreed; attempt++) {
		if (!read_both(h, part))
			break;
		agreed = table_builder_parts_agree(h->builder, part);
		if (!agreed) {
			table_builder_restart(h->builder);
			table_builder_restart(part);
		}
	}
	if (!agreed) {
		table_builder_drop_part(h->builder, part);
		return -1;
	}
	return table_builder_join(h->builder, part);
}
