/*
** word.h: text as similarity and ranking compare it. A word is a run of
** Unicode letters, digits and marks, folded: case folded, accents and other
** marks stripped, compatibility forms unified ("ﬁ", full-width letters), so
** that "AMÉLIE" and "amelie" are one word. Hangul syllables, kana and CJK
** ideographs are kept as they are (they have no case and no marks to
** strip). Relies on utf8proc. Pure C: no Lua here.
*/
#ifndef REEL_WORD_H
#define REEL_WORD_H

#include <stdbool.h>
#include <stddef.h>

#include "text.h"

/* Bytes of a folded word kept: a longer word is cut there. */
#define WORD_MAX 60

/* Reads the words of a text one at a time, with no allocation. */
typedef struct word_reader {
	const unsigned char *text;
	size_t length;
	size_t at;                 /* where the next word is looked for */
	char word[WORD_MAX + 16];  /* the folded word, NUL-terminated */
	size_t word_length;
	size_t points;             /* its length in characters */
} word_reader;

void word_reader_open(word_reader *r, const char *text, size_t length);
/* The next word into r->word; false at the end of the text. */
bool word_next(word_reader *r);

/* The whole text folded as words are, each run of other characters (space,
** punctuation) as one space, no space at either end: "  L'Été, 1999 " ->
** "l ete 1999". Appended to `out` (check out->failed). */
void word_fold_text(const char *text, size_t length, text_buffer *out);

#endif
