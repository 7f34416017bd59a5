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
} text_finder;

/* A finder for `text` folded. 0, or -1 when out of memory. */
int text_finder_open(text_finder *f, const char *text, size_t length);
void text_finder_close(text_finder *f);
/* 1 when `text` holds the needle (after folding), 0 when not, -1 when out
** of memory. */
int text_finder_match(text_finder *f, const char *text, size_t length);

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
void text_buffer_free(text_buffer *b);
/* }====== */

#endif
