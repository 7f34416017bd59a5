/*
** search.h: the rows whose text columns hold a piece of text, compared
** after Unicode case folding (text.h's finder): in every text column or in
** those named, in their order or ranked by relevance. Pure C: no Lua here.
*/
#ifndef REEL_SEARCH_H
#define REEL_SEARCH_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "selection.h"
#include "table.h"

/* Where a search looks and how it orders what it finds. */
typedef struct search_scope {
	const size_t *columns; /* the columns looked in; none: every text column */
	size_t column_count;
	bool rank;             /* by relevance, else in the input's order */
} search_scope;

/* 0 when every column of the scope (NULL: none) is a text column of t;
** else -1 with err (REEL_ERROR_ARGUMENT) naming the column. */
int search_check(const table *t, const search_scope *scope, reel_error *err);

/* The rows of `in` where any string column contains `text`, in order; NULL
** when memory runs out. */
selection *search_rows(const table *t, const selection *in,
                       const char *text, size_t length);
/* The same within the scope's columns (NULL: search_rows). Ranked, the
** rows go by relevance: the text as a whole cell first, then as the first
** words of one, then as whole words, then as the start of a word, then
** anywhere; a title's match (the film names title and original_title)
** weighs four times another column's, and the columns' weights add up;
** ties go to more votes (the film name votes), then to the input's order. */
selection *search_rows_in(const table *t, const selection *in,
                          const char *text, size_t length,
                          const search_scope *scope);

#endif
