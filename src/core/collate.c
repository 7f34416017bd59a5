/*
** collate.c: the orders of text (see collate.h), through a key a string
** maps to: folded code points (utf8proc: case folding, and for natural its
** decomposition with the marks stripped), with each run of digits written
** as its length and its digits, leading zeros dropped, so that keys compare
** as numbers do. Pure C.
*/
#include "collate.h"

#include <stdint.h>
#include <string.h>

#include <utf8proc.h>

#include "value.h"

static const char *const collation_names[COLLATE_COUNT] = {
	"binary", "nocase", "natural"
};

const char *collate_name(collation c)
{
	return (unsigned)c < COLLATE_COUNT ? collation_names[c] : "?";
}

int collate_from_name(const char *name)
{
	int i;
	for (i = 0; i < COLLATE_COUNT; i++)
		if (strcmp(collation_names[i], name) == 0)
			return i;
	return -1;
}

/* A run of ASCII digits at text[*at]: '0' (so it sorts as digits do), its
** length without leading zeros, then those digits. */
static void append_number(const char *text, size_t length, size_t *at,
                          text_buffer *out)
{
	size_t start = *at, end;
	unsigned char marker[2];
	while (start < length && text[start] == '0' && start + 1 < length &&
	       text[start + 1] >= '0' && text[start + 1] <= '9')
		start++;
	for (end = start; end < length && text[end] >= '0' && text[end] <= '9'; end++)
		;
	marker[0] = '0';
	marker[1] = (unsigned char)(end - start < 255 ? end - start : 255);
	text_buffer_append(out, (const char *)marker, 2);
	text_buffer_append(out, text + start, end - start);
	*at = end;
}

/* One code point at text[*at], folded, appended; bad UTF-8 goes as a byte. */
static void append_folded(collation c, const char *text, size_t length,
                          size_t *at, text_buffer *out)
{
	utf8proc_int32_t point, folded[8];
	utf8proc_option_t options = UTF8PROC_CASEFOLD |
		(c == COLLATE_NATURAL ? UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK
		                      : UTF8PROC_COMPOSE);
	utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)text + *at,
	                                      (utf8proc_ssize_t)(length - *at), &point);
	int boundary = 0;
	utf8proc_ssize_t i, count;
	if (n <= 0) {
		text_buffer_append(out, text + (*at)++, 1);
		return;
	}
	*at += (size_t)n;
	count = utf8proc_decompose_char(point, folded, 8, options, &boundary);
	for (i = 0; i < count && i < 8; i++) {
		utf8proc_uint8_t bytes[4];
		utf8proc_ssize_t w = utf8proc_encode_char(folded[i], bytes);
		text_buffer_append(out, (const char *)bytes, (size_t)w);
	}
}

/* A run of ASCII letters and signs (no digit under natural) lowered into
** a buffer on the stack, appended a chunk at a time: most titles are all
** this. */
static void append_lowered(collation c, const char *text, size_t length,
                           size_t *at, text_buffer *out)
{
	char chunk[256];
	size_t n = 0;
	while (*at < length) {
		unsigned char b = (unsigned char)text[*at];
		if (b >= 0x80 || (c == COLLATE_NATURAL && b >= '0' && b <= '9'))
			break;
		chunk[n++] = (char)(b >= 'A' && b <= 'Z' ? b + 32 : b);
		++*at;
		if (n == sizeof chunk) {
			text_buffer_append(out, chunk, n);
			n = 0;
		}
	}
	text_buffer_append(out, chunk, n);
}

void collate_key(collation c, const char *text, size_t length,
                 text_buffer *out)
{
	size_t at = 0;
	if (c == COLLATE_BINARY) {
		text_buffer_append(out, text, length);
		return;
	}
	while (at < length) {
		unsigned char b = (unsigned char)text[at];
		if (c == COLLATE_NATURAL && b >= '0' && b <= '9')
			append_number(text, length, &at, out);
		else if (b < 0x80)
			append_lowered(c, text, length, &at, out);
		else
			append_folded(c, text, length, &at, out);
	}
}

/* A byte is at most itself, a digit its run's two-byte marker too, and a
** code point of two bytes or more at most eight folded ones of four. */
size_t collate_key_room(collation c, size_t length)
{
	if (c == COLLATE_BINARY)
		return length;
	return length > SIZE_MAX / 16 ? SIZE_MAX : 16 * length;
}

int collate_compare(collation c, const char *a, size_t a_length,
                    const char *b, size_t b_length, text_buffer scratch[2])
{
	int order;
	if (c != COLLATE_BINARY) {
		scratch[0].length = scratch[1].length = 0;
		collate_key(c, a, a_length, &scratch[0]);
		collate_key(c, b, b_length, &scratch[1]);
		order = value_order_strings(scratch[0].data != NULL ? scratch[0].data : "",
		                            scratch[0].length,
		                            scratch[1].data != NULL ? scratch[1].data : "",
		                            scratch[1].length);
		if (order != 0)
			return order;
	}
	return value_order_strings(a, a_length, b, b_length);
}
