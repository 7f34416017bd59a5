/*
** similar_terms.c: a cell as the terms similarity compares (see
** similar_terms.h). A text's words are read once into the reader's buffer,
** each with the languages whose common words hold it; the language of the
** text is the one with most such words, and its common words are then
** dropped. Relies on word.h, stopword.h, hash.h and memory.h. Pure C.
*/
#include "similar_terms.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "memory.h"
#include "stopword.h"
#include "word.h"

/* {====== Reading a cell ====== */

void similar_terms_open(similar_terms *r)
{
	memset(r, 0, sizeof *r);
	text_buffer_init(&r->item);
}

void similar_terms_close(similar_terms *r)
{
	reel_free(r->text);
	reel_free(r->spans);
	text_buffer_free(&r->item);
	memset(r, 0, sizeof *r);
}

/* Room for `bytes` more text and one more span. */
static int reserve(similar_terms *r, size_t bytes)
{
	size_t used = r->span_count > 0 ? r->spans[r->span_count - 1].start +
	                                  r->spans[r->span_count - 1].length : 0;
	if (used + bytes > r->room) {
		size_t room = 2 * (used + bytes) + 64;
		char *grown = room <= UINT32_MAX ? reel_realloc(r->text, room) : NULL;
		if (grown == NULL)
			return -1;
		r->text = grown;
		r->room = room;
	}
	if (r->span_count == r->span_room) {
		size_t room = r->span_room < 32 ? 32 : 2 * r->span_room;
		similar_span *grown = reel_realloc(r->spans, room * sizeof *grown);
		if (grown == NULL)
			return -1;
		r->spans = grown;
		r->span_room = room;
	}
	return 0;
}

/* One term at the end of the text. */
static int keep_term(similar_terms *r, const char *term, size_t length,
                     unsigned languages)
{
	similar_span *s;
	size_t start;
	if (reserve(r, length) != 0)
		return -1;
	start = r->span_count > 0 ? r->spans[r->span_count - 1].start +
	                            r->spans[r->span_count - 1].length : 0;
	memcpy(r->text + start, term, length);
	s = &r->spans[r->span_count++];
	s->start = (uint32_t)start;
	s->length = (uint16_t)length;
	s->languages = (uint8_t)languages;
	s->dropped = 0;
	return 0;
}

/* A word of one ASCII character, or of digits only, tells nothing. */
static bool telling(const char *word, size_t length)
{
	size_t i;
	if (length == 1 && (unsigned char)word[0] < 0x80)
		return false;
	for (i = 0; i < length; i++)
		if (word[i] < '0' || word[i] > '9')
			return true;
	return false;
}

/* The language most of the words' bits name; English when none does. */
static unsigned language_of(const unsigned *hits)
{
	unsigned best = STOPWORD_ENGLISH, i;
	for (i = 0; i < STOPWORD_LANGUAGES; i++)
		if (hits[i] > hits[best])
			best = i;
	return best;
}

/* "daughters" -> "daughter"; "boss", "virus" and "basis" keep their s. */
static size_t singular(const char *word, size_t length)
{
	if (length > 3 && word[length - 1] == 's' &&
	    strchr("sui", word[length - 2]) == NULL)
		return length - 1;
	return length;
}

/* Drops the common words of `language`; English words are made singular. */
static void drop_common(similar_terms *r, unsigned language)
{
	size_t i;
	for (i = 0; i < r->span_count; i++) {
		similar_span *s = &r->spans[i];
		s->dropped = (s->languages >> language) & 1;
		if (language == STOPWORD_ENGLISH)
			s->length = (uint16_t)singular(r->text + s->start, s->length);
	}
}

static int read_words(similar_terms *r, const char *text, size_t length)
{
	unsigned hits[STOPWORD_LANGUAGES] = {0}, i;
	word_reader w;
	word_reader_open(&w, text, length);
	while (word_next(&w)) {
		unsigned languages;
		if (!telling(w.word, w.word_length))
			continue;
		languages = stopword_languages(w.word, w.word_length);
		for (i = 0; languages != 0 && i < STOPWORD_LANGUAGES; i++)
			hits[i] += (languages >> i) & 1;
		if (keep_term(r, w.word, w.word_length, languages) != 0)
			return -1;
	}
	drop_common(r, language_of(hits));
	return 0;
}

static bool item_separator(char c)
{
	return c == ',' || c == '|' || c == ';';
}

static int read_items(similar_terms *r, const char *text, size_t length)
{
	text_buffer *folded = &r->item;
	size_t start = 0, end;
	int status = 0;
	while (start < length && status == 0) {
		for (end = start; end < length && !item_separator(text[end]); end++)
			;
		folded->length = 0;
		word_fold_text(text + start, end - start, folded);
		if (folded->failed)
			status = -1;
		else if (folded->length > 0 && folded->length <= UINT16_MAX)
			status = keep_term(r, folded->data, folded->length, 0);
		start = end + 1;
	}
	return status;
}

int similar_terms_read(similar_terms *r, const char *text, size_t length,
                       bool words)
{
	r->span_count = 0;
	r->at = 0;
	return words ? read_words(r, text, length) : read_items(r, text, length);
}

bool similar_terms_next(similar_terms *r)
{
	while (r->at < r->span_count && r->spans[r->at].dropped)
		r->at++;
	if (r->at >= r->span_count)
		return false;
	r->term = r->text + r->spans[r->at].start;
	r->length = r->spans[r->at].length;
	r->hash = similar_terms_hash(r->term, r->length);
	r->at++;
	return true;
}
/* }====== */

/* {====== Bags of terms ====== */

/* FNV-1a, mixed at the end: terms are short, and this is called for each. */
uint64_t similar_terms_hash(const char *term, size_t length)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;
	for (i = 0; i < length; i++)
		h = (h ^ (unsigned char)term[i]) * 0x100000001b3ULL;
	return hash_mix(h);
}

static int order_hashes(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* An insertion sort, for the few terms most cells have. */
static void sort_few(uint64_t *hashes, size_t n)
{
	size_t i, j;
	for (i = 1; i < n; i++) {
		uint64_t h = hashes[i];
		for (j = i; j > 0 && hashes[j - 1] > h; j--)
			hashes[j] = hashes[j - 1];
		hashes[j] = h;
	}
}

static int bag_reserve(similar_bag *b, size_t n)
{
	uint64_t *hashes;
	uint32_t *counts;
	if (n <= b->room)
		return 0;
	n = n < 2 * b->room ? 2 * b->room : n;
	hashes = reel_realloc(b->hashes, n * sizeof *hashes);
	if (hashes == NULL)
		return -1;
	b->hashes = hashes;
	counts = reel_realloc(b->counts, n * sizeof *counts);
	if (counts == NULL)
		return -1;
	b->counts = counts;
	b->room = n;
	return 0;
}

int similar_terms_bag(similar_terms *r, similar_bag *b)
{
	size_t n = 0, i, kept = 0;
	b->count = 0;
	r->at = 0;
	while (similar_terms_next(r)) {
		if (bag_reserve(b, n + 1) != 0)
			return -1;
		b->hashes[n++] = r->hash;
	}
	r->at = 0;
	if (n > 48)
		qsort(b->hashes, n, sizeof *b->hashes, order_hashes);
	else
		sort_few(b->hashes, n);
	for (i = 0; i < n; i++) {
		if (kept > 0 && b->hashes[kept - 1] == b->hashes[i]) {
			b->counts[kept - 1]++;
			continue;
		}
		b->hashes[kept] = b->hashes[i];
		b->counts[kept++] = 1;
	}
	b->count = kept;
	return 0;
}

void similar_terms_free_bag(similar_bag *b)
{
	reel_free(b->hashes);
	reel_free(b->counts);
	memset(b, 0, sizeof *b);
}

long similar_terms_find(const similar_bag *b, uint64_t hash)
{
	size_t low = 0, high = b->count;
	while (low < high) {
		size_t middle = low + (high - low) / 2;
		if (b->hashes[middle] < hash)
			low = middle + 1;
		else
			high = middle;
	}
	return low < b->count && b->hashes[low] == hash ? (long)low : -1;
}
/* }====== */
