/*
** sort.h: a stable sort of a selection by columns, each ascending or
** descending, nulls last either way. Pure C: no Lua here.
*/
#ifndef REEL_SORT_H
#define REEL_SORT_H

#include <stdbool.h>
#include <stddef.h>

#include "collate.h"
#include "selection.h"
#include "table.h"

typedef struct sort_key {
	size_t column;
	bool descending;
	collation collate; /* text's order (binary when zero) */
} sort_key;

/* Whether any of the keys orders text by something else than its bytes. */
bool sort_collated(const sort_key *keys, size_t count);

/* Integer keys within this span (years, minutes, true and false) sort and
** group by counting, one bucket a value. */
#define SORT_COUNTING_SPAN 65536

/* The rows of `in` sorted by the keys in turn (later keys break earlier
** ties; rows that tie on every key keep their order). NULL when memory runs
** out or a key names no column. */
selection *sort_rows(const table *t, const selection *in,
                     const sort_key *keys, size_t count);

#endif
