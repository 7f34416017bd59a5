/*
** similar.h: q:similar, the films of a query most like one film or several.
** A film's likeness to a seed is
**
**   sum over the signals s of weight[s] * cosine_s + weight[year] * 0.5^(|years apart| / 3)
**
** where cosine_s compares the TF-IDF vectors (weights (1 + log count) *
** idf) of the two films' terms for signal s: description words, genres,
** directors, cast (similar_terms.h). Several seeds add their likeness times
** their weight, over the sum of the weights' sizes. The result is a new
** table: the films with a likeness above 0, best first (ties: more votes,
** then catalogue order), with the query's columns and two more: `score`
** (rounded to 3 places) and `reason`, what makes the film alike ("same
** director; shares: prison, daughter"). Relies on similar_index.h. Pure C:
** no Lua here.
*/
#ifndef REEL_SIMILAR_H
#define REEL_SIMILAR_H

#include <stddef.h>

#include "error.h"
#include "selection.h"
#include "similar_index.h"
#include "table.h"

/* A film to be like: a row of any table, the catalogue's or another's
** (its columns are read through the same film names). */
typedef struct similar_seed {
	table *films;
	row_id row;
	double weight;
} similar_seed;

typedef struct similar_request {
	similar_seed *seeds;
	size_t seed_count;
	double weights[SIMILAR_SIGNALS]; /* 0 leaves a signal out */
	size_t count;                    /* films at most */
} similar_request;

/* The weights used when none are given: description 1, genres 0.5,
** director 0.3, cast 0.3, year 0.1. */
void similar_default_weights(double weights[SIMILAR_SIGNALS]);

/* 0 when `t` has a signal the request weighs; else -1 with err
** (REEL_ERROR_ARGUMENT) naming the film names it looked for. */
int similar_check(const table *t, const similar_request *r, reel_error *err);
/* The result's schema: t's columns and film names, then `score` and
** `reason` (with "_2" added while a column has the name). */
table *similar_schema(const table *t, reel_error *err);
/* Fills `out` (from similar_schema(t)) with the best r->count films of
** `in`, rows of t, leaving out the seeds that are rows of t. 0, or -1 with
** err filled and `out` left with no rows. */
int similar_fill(table *out, table *t, const selection *in,
                 const similar_request *r, reel_error *err);

#endif
