/*
** search.h: the rows whose text columns hold a piece of text, compared
** after Unicode case folding. Pure C: no Lua here.
*/
#ifndef REEL_SEARCH_H
#define REEL_SEARCH_H

#include <stddef.h>

#include "selection.h"
#include "table.h"

/* The rows of `in` where any string column contains `text`, in order; NULL
** when memory runs out. */
selection *search_rows(const table *t, const selection *in,
                       const char *text, size_t length);

#endif
