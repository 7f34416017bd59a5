/*
** similar_terms.h: a cell as the terms similarity compares. A text
** (description) gives its words, folded (word.h), without the common words
** of its language (stopword.h), English plurals made singular; a list
** ("Drama, Crime", directors, cast) gives each of its items, folded whole.
** A term is known by the 64-bit hash of its folded bytes. Pure C: no Lua
** here.
*/
#ifndef REEL_SIMILAR_TERMS_H
#define REEL_SIMILAR_TERMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "text.h"

/* Where a term lies in the reader's text. */
typedef struct similar_span {
	uint32_t start;
	uint16_t length;
	uint8_t languages; /* whose common words hold it (stopword.h) */
	uint8_t dropped;   /* a common word of the cell's language */
} similar_span;

/* Reads the terms of one cell after another, reusing its room. */
typedef struct similar_terms {
	char *text;          /* the cell's terms, folded, end to end */
	size_t room;
	similar_span *spans;
	size_t span_count, span_room;
	size_t at;           /* the next span */
	const char *term;    /* the current term (not NUL-terminated) */
	size_t length;
	uint64_t hash;
	text_buffer item;    /* a list's item, folded */
} similar_terms;

/* The distinct terms of a cell and how often each comes, by hash. */
typedef struct similar_bag {
	uint64_t *hashes;   /* ascending */
	uint32_t *counts;
	size_t count;
	size_t room;
} similar_bag;

void similar_terms_open(similar_terms *r);
void similar_terms_close(similar_terms *r);
/* Reads a cell: the words of a text, or the items of a list. -1 when
** memory runs out. */
int similar_terms_read(similar_terms *r, const char *text, size_t length,
                       bool words);
/* The next term of the cell into r->term, r->length, r->hash; false at the
** end. */
bool similar_terms_next(similar_terms *r);

/* The hash that stands for a folded term. */
uint64_t similar_terms_hash(const char *term, size_t length);

/* The terms of the cell last read, counted. -1 when memory runs out. */
int similar_terms_bag(similar_terms *r, similar_bag *b);
void similar_terms_free_bag(similar_bag *b);
/* The place of `hash` in the bag, or -1. */
long similar_terms_find(const similar_bag *b, uint64_t hash);

#endif
