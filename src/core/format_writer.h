/*
** format_writer.h: inside the formats, for format.c and format_json.c only:
** where rendered rows go (the writer, emptied into a sink as rows end),
** the rows and columns shown, and the byte-level helpers both write with,
** inline because they run for every cell. Everyone else uses format.h.
** Pure C: no Lua here.
*/
#ifndef REEL_FORMAT_WRITER_H
#define REEL_FORMAT_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <utf8proc.h>

#include "error.h"
#include "format.h"
#include "selection.h"
#include "table.h"

/* One byte: the common case of separators and quotes, kept cheap. */
static inline void buffer_char(text_buffer *b, char c)
{
	if (!b->failed && b->data != NULL && b->capacity - b->length > 1) {
		b->data[b->length++] = c;
		b->data[b->length] = '\0';
	} else
		text_buffer_append(b, &c, 1);
}

/* Where rendered rows go: `out`, which the sink (when there is one) is
** handed and emptied each time a row ends past FLUSH_BYTES, so printing or
** saving any number of rows holds one slice of text at a time. */
#define FLUSH_BYTES 65536

typedef struct writer {
	text_buffer *out;
	format_sink sink;   /* NULL: the whole text stays in out */
	void *context;
	bool stopped;       /* the sink refused: no more rows */
	size_t rows;        /* rows ended since the last flush */
} writer;

/* The text so far handed to the sink, and out emptied (format.c). */
void format_writer_flush(writer *w);

/* A row has ended: whether to go on. */
static inline bool row_done(writer *w)
{
	w->rows++;
	if (w->sink != NULL && w->out->length >= FLUSH_BYTES)
		format_writer_flush(w);
	return !w->stopped && !w->out->failed;
}

/* The character at s (length > 0 bytes): its size in bytes, and its code
** point in *code, or -1 for a byte that starts no valid UTF-8 sequence (it
** stands alone, so each bad byte is one replacement character). */
static inline size_t next_char(const char *s, size_t length, int32_t *code)
{
	utf8proc_int32_t c;
	utf8proc_ssize_t n;
	if ((unsigned char)s[0] < 0x80) {
		*code = (unsigned char)s[0];
		return 1;
	}
	n = utf8proc_iterate((const utf8proc_uint8_t *)s,
	                     (utf8proc_ssize_t)(length < 4 ? length : 4), &c);
	if (n <= 0) {
		*code = -1;
		return 1;
	}
	*code = c;
	return (size_t)n;
}

/* Eight bytes at once:
** A text is checked for the bytes a format must escape eight at a time: a
** lane's top bit tells whether its byte is one. Each test is exact for the
** word as a whole (a borrow can only set lanes above a byte that matched),
** so a zero mask means none of the eight bytes is one. */
#define LANE_ONES 0x0101010101010101ULL
#define LANE_HIGHS 0x8080808080808080ULL

/* Lanes whose byte is below `limit` (at most 0x80). */
static inline uint64_t lanes_below(uint64_t x, unsigned char limit)
{
	return (x - LANE_ONES * limit) & ~x & LANE_HIGHS;
}

static inline uint64_t lanes_equal(uint64_t x, char c)
{
	return lanes_below(x ^ (LANE_ONES * (unsigned char)c), 1);
}

/* What every format but lines and templates draws from: the rows of a
** selection and the columns chosen by the options. */
typedef struct shown_rows {
	const table *t;
	const selection *s;
	size_t *columns;
	size_t column_count;
} shown_rows;

static inline const char *column_name(const shown_rows *v, size_t i)
{
	return v->t->columns[v->columns[i]].name;
}

/* JSON (an array, one object a line) or JSON Lines of the shown rows
** (format_json.c): 0, or -1 with err filled when memory runs out. */
int format_json_kind(const shown_rows *v, format_kind kind, writer *w,
                     reel_error *err);

#endif
