/*
** where_once.h: the one-shot wheres the tests were written against, on the
** prepared where of core/where.h. Each helper prepares the predicates, runs
** the filter once and frees it, so a call site reads as it did before the
** where was split into where_prepare / where_rows / where_free. For the unit
** tests and the fuzz targets (which include it as "../unit/where_once.h").
*/
#ifndef REEL_TEST_WHERE_ONCE_H
#define REEL_TEST_WHERE_ONCE_H

#include <stddef.h>

#include "core/error.h"
#include "core/selection.h"
#include "core/sort.h"
#include "core/table.h"
#include "core/topk.h"
#include "core/where.h"

/* The rows of `in` that satisfy every predicate (was query_where). NULL with
** err filled when a predicate does not fit its column or memory runs out. */
static inline selection *where_once(const table *t, const selection *in,
                                    const predicate *predicates, size_t count,
                                    reel_error *err)
{
	where_filter *w = where_prepare(t, predicates, count, err);
	selection *kept;
	if (w == NULL)
		return NULL;
	kept = where_rows(w, in, err);
	where_free(w);
	return kept;
}

/* How many rows where_once would keep (was query_where_count);
** (size_t)-1 with err filled on failure. */
static inline size_t where_once_count(const table *t, const selection *in,
                                      const predicate *predicates, size_t count,
                                      reel_error *err)
{
	where_filter *w = where_prepare(t, predicates, count, err);
	size_t kept;
	if (w == NULL)
		return (size_t)-1;
	kept = where_count(w, in, err);
	where_free(w);
	return kept;
}

/* The row where_once would keep at place n, in *row (was query_where_nth):
** 1 when found, 0 when fewer rows are kept, -1 with err filled. */
static inline int where_once_nth(const table *t, const selection *in,
                                 const predicate *predicates, size_t count,
                                 size_t n, row_id *row, reel_error *err)
{
	where_filter *w = where_prepare(t, predicates, count, err);
	int found;
	if (w == NULL)
		return -1;
	found = where_nth(w, in, n, row, err);
	where_free(w);
	return found;
}

/* The first `limit` rows of the where sorted by the keys, in one pass (was
** query_where_sort_limit). NULL with err filled on failure. */
static inline selection *where_once_topk(const table *t, const selection *in,
                                         const predicate *predicates,
                                         size_t count, const sort_key *keys,
                                         size_t key_count, size_t limit,
                                         reel_error *err)
{
	where_filter *w = where_prepare(t, predicates, count, err);
	selection *top;
	if (w == NULL)
		return NULL;
	top = topk_where(t, w, in, keys, key_count, limit, err);
	where_free(w);
	return top;
}

#endif
