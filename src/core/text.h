/*
** text.h: text as people compare it. A finder looks for a needle in text
** after Unicode case folding, with one work buffer for a whole column; a
** text buffer grows a string.
** Pure C: no Lua here.
*/
#ifndef REEL_TEXT_H
#define REEL_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct text_finder {
	char *needle;               /* the folded text looked for */
	size_t needle_length;
	bool needle_ascii;
	int32_t *buffer;            /* folding work space, reused cell by cell */
	size_t buffer_size;         /* in code points */
	bool no_accents;            /* accents are folded away too */
} text_finder;

/* A finder for `text` with case and accents folded away, so "AMELIE"
** finds "Amélie" (search's matching). 0, or -1 when out of memory. */
int text_finder_open(text_finder *f, const char *text, size_t length);
/* A finder for `text` with case folded, and accents too when `accents` is
** false (where's contains keeps accents unless told). */
int text_finder_open_as(text_finder *f, const char *text, size_t length,
                        bool accents);
void text_finder_close(text_finder *f);
/* 1 when `text` holds the needle (after folding), 0 when not, -1 when out
** of memory. */
int text_finder_match(text_finder *f, const char *text, size_t length);
/* 1 when `text` folded is the needle, 0 when not, -1 when out of memory. */
int text_finder_equals(text_finder *f, const char *text, size_t length);

/* Whether every byte is ASCII (a word at a time). */
bool text_is_ascii(const char *text, size_t length);
unsigned char text_ascii_lower(unsigned char c);

/* {====== Text buffer ====== */
/* A growing string. `failed` is set, and later appends do nothing, once
** memory runs out. */
typedef struct text_buffer {
	char *data;
	size_t length;
	size_t capacity;
	bool failed;
} text_buffer;

void text_buffer_init(text_buffer *b);
void text_buffer_append(text_buffer *b, const char *text, size_t length);
void text_buffer_append_string(text_buffer *b, const char *text);
/* Room for `more` bytes (and the closing NUL) now, so appends up to it do
** not grow the buffer; false (and the buffer failed) when memory runs out. */
bool text_buffer_reserve(text_buffer *b, size_t more);
void text_buffer_free(text_buffer *b);
/* }====== */

#endif
