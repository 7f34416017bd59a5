/*
** similar_index.h: what q:similar reads, built once for a catalogue and
** kept with its table (table->similar). For each signal made of terms
** (description words, genres, directors, cast) an inverted list a term: the
** films that have it, in row order, each as a gap and how often; with each
** film's vector length under TF-IDF weights. A term is known by the hash
** of its folded text (similar_terms.h), so no text is kept. Pure C: no Lua
** here.
*/
#ifndef REEL_SIMILAR_INDEX_H
#define REEL_SIMILAR_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "table.h"

/* What makes two films alike; the film name of the column each reads is
** its name (similar_index_signal_name). */
typedef enum similar_signal {
	SIMILAR_DESCRIPTION,
	SIMILAR_GENRES,
	SIMILAR_DIRECTOR,
	SIMILAR_CAST,
	SIMILAR_YEAR,
	SIMILAR_SIGNALS
} similar_signal;
/* The signals before this one are made of terms; the year is a number. */
#define SIMILAR_TERM_SIGNALS SIMILAR_YEAR

typedef struct similar_term {
	uint64_t hash;   /* of the folded term */
	uint64_t list;   /* where its films start in `lists` */
	uint32_t films;  /* how many films have it */
} similar_term;

/* One signal's lists. */
typedef struct similar_postings {
	int column;           /* -1: the catalogue has none */
	similar_term *terms;  /* term_count + 1: the last one's list is the end */
	size_t term_count;
	uint32_t *slots;      /* open addressing by hash: term number + 1 */
	size_t slot_mask;
	unsigned char *lists; /* per film: varint (gap << 1 | counted), count-1 */
	float *norms;         /* a row's vector length; 0 when it has no term */
	size_t films;         /* films with at least one term */
} similar_postings;

typedef struct similar_index {
	size_t rows;
	int columns[SIMILAR_SIGNALS]; /* the columns it was built from, -1: none */
	similar_postings signals[SIMILAR_TERM_SIGNALS];
	size_t bytes;                 /* what it takes */
} similar_index;

/* "description", "genres", "director", "cast", "year". */
const char *similar_index_signal_name(similar_signal s);
/* The column each signal reads in `t` (a text column for terms, a number
** column for the year), -1 where there is none. */
void similar_index_columns(const table *t, int columns[SIMILAR_SIGNALS]);
/* Whether the signal reads words (a description) or list items. */
bool similar_index_reads_words(similar_signal s);

/* t's index, built now when t has none or its film names changed since;
** owned by t (freed with it). NULL with err filled on failure. */
similar_index *similar_index_of(table *t, reel_error *err);
void similar_index_free(similar_index *x);

/* The number of the term with `hash`, or -1. */
long similar_index_term(const similar_postings *p, uint64_t hash);
/* The weight of a term that `films` films have, in a signal with p->films
** films: log((1 + N) / (1 + films)) + 1. */
double similar_index_idf(const similar_postings *p, uint32_t films);
/* The weight of a term counted `count` times in a film: 1 + log(count). */
double similar_index_tf(uint32_t count);

/* {====== Walking a term's films ====== */
typedef struct similar_cursor {
	const unsigned char *at, *end;
	row_id row;      /* the current film */
	uint32_t count;  /* how often it has the term */
	bool started;
} similar_cursor;

void similar_index_walk(const similar_postings *p, size_t term,
                        similar_cursor *c);
/* The next film into c->row and c->count; false at the end. */
static inline bool similar_index_step(similar_cursor *c)
{
	uint64_t v = 0;
	unsigned shift = 0;
	if (c->at >= c->end)
		return false;
	while (*c->at & 0x80) {
		v |= (uint64_t)(*c->at++ & 0x7F) << shift;
		shift += 7;
	}
	v |= (uint64_t)*c->at++ << shift;
	c->row = c->started ? c->row + 1 + (row_id)(v >> 1) : (row_id)(v >> 1);
	c->started = true;
	c->count = 1;
	if (v & 1)
		c->count = 2 + *c->at++;
	return true;
}
/* }====== */

#endif
