/*
** topk.h: sort then limit, the first `limit` rows of a stable sort found
** without sorting the rest, and fused with a where before it, so that the
** where's rows are offered to the heap as they are found and never made.
** Ties go by position in the input and nulls last, so the rows are exactly
** the first rows of sort_rows' order. Pure C: no Lua here.
*/
#ifndef REEL_TOPK_H
#define REEL_TOPK_H

#include <stddef.h>

#include "error.h"
#include "selection.h"
#include "sort.h"
#include "table.h"
#include "where.h"

/* The first `limit` rows of sort_rows(t, in, keys, count). NULL when
** memory runs out or a key names no column. */
selection *topk_rows(const table *t, const selection *in,
                     const sort_key *keys, size_t count, size_t limit);
/* The first `limit` rows of the rows of `in` that `w` keeps, sorted by the
** keys, found in one pass that never makes the where's selection when
** `limit` is small. NULL with err filled on failure. */
selection *topk_where(const table *t, where_filter *w, const selection *in,
                      const sort_key *keys, size_t key_count, size_t limit,
                      reel_error *err);

#endif
