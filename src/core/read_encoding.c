/*
** read_encoding.c: catalogues that are not UTF-8, made UTF-8 before any
** reader sees them (see read_bytes.h): UTF-16 and UTF-32 known by their
** byte-order mark, and the encodings a user names: Latin-1, Windows-1252
** and UTF-16 without a mark. The byte-order mark itself is dropped.
** Relies on memory.h (through read_buffer) and stop.h.
*/
#include "read_bytes.h"

#include <stdint.h>
#include <string.h>

#include "stop.h"

#define CHECK_STEP ((size_t)1 << 20)

/* {====== Names ====== */
int read_encoding_from_name(const char *name)
{
	static const struct {
		const char *name;
		read_encoding encoding;
	} names[] = {
		{"utf-8", READ_ENCODING_UTF8}, {"utf8", READ_ENCODING_UTF8},
		{"latin1", READ_ENCODING_LATIN1}, {"latin-1", READ_ENCODING_LATIN1},
		{"iso-8859-1", READ_ENCODING_LATIN1}, {"cp1252", READ_ENCODING_CP1252},
		{"windows-1252", READ_ENCODING_CP1252}, {"utf-16", READ_ENCODING_UTF16},
		{"utf16", READ_ENCODING_UTF16}, {NULL, READ_ENCODING_DETECT}
	};
	size_t i, k;
	for (i = 0; names[i].name != NULL; i++) {
		for (k = 0; name[k] != '\0' && names[i].name[k] != '\0'; k++)
			if ((name[k] >= 'A' && name[k] <= 'Z' ? name[k] + 32 : name[k]) !=
			    names[i].name[k])
				break;
		if (name[k] == '\0' && names[i].name[k] == '\0')
			return (int)names[i].encoding;
	}
	return -1;
}
/* }====== */

/* {====== Writing UTF-8 ====== */
static size_t put_utf8(char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* The line and column (in bytes of the UTF-8 made so far) where the
** character that cannot be made would go. */
static int fail_at_end(const read_buffer *out, const char *name,
                       const char *what, reel_error *err)
{
	size_t line = 1, col = 1, i;
	for (i = 0; i < out->length; i++) {
		col++;
		if (out->data[i] == '\n') {
			line++;
			col = 1;
		}
	}
	return error_set(err, REEL_ERROR_DATA, "%s:%zu:%zu: %s", name, line, col,
	                 what);
}
/* }====== */

/* What was made so far is counted as in use (the room reserved for the
** worst case is not), and a stop is looked for: every megabyte. */
static int made_so_far(read_buffer *out, const char *name, reel_error *err)
{
	if (read_buffer_count(out) != 0)
		return error_memory(err, name);
	return stop_check(err);
}

/* {====== One byte a character ====== */
/* Windows-1252's 0x80..0x9F; the five it leaves undefined stay C1 controls,
** as web browsers read them. */
static const uint16_t cp1252_high[32] = {
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178
};

static uint32_t single_byte(unsigned char c, read_encoding encoding)
{
	if (encoding == READ_ENCODING_CP1252 && c >= 0x80 && c < 0xA0)
		return cp1252_high[c - 0x80];
	return c;
}

static int from_single_bytes(const unsigned char *p, size_t n,
                             read_encoding encoding, const char *name,
                             read_buffer *out, reel_error *err)
{
	size_t i;
	if (n > ((size_t)-1 - 1) / 3 || read_buffer_reserve(out, 3 * n) != 0)
		return error_memory(err, name);
	for (i = 0; i < n; i++) {
		if (i % CHECK_STEP == 0 && made_so_far(out, name, err) != 0)
			return -1;
		out->length += put_utf8(out->data + out->length, single_byte(p[i], encoding));
	}
	out->data[out->length] = '\0';
	return made_so_far(out, name, err);
}
/* }====== */

/* {====== UTF-16 and UTF-32 ====== */
typedef struct wide_text {
	const unsigned char *p;
	size_t n;
	unsigned unit;    /* 2 or 4 bytes */
	bool big_endian;
} wide_text;

static uint32_t unit_at(const wide_text *w, size_t i)
{
	const unsigned char *u = w->p + i;
	if (w->unit == 2)
		return w->big_endian ? (uint32_t)(u[0] << 8 | u[1])
		                     : (uint32_t)(u[1] << 8 | u[0]);
	return w->big_endian
	       ? (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3]
	       : (uint32_t)u[3] << 24 | (uint32_t)u[2] << 16 | (uint32_t)u[1] << 8 | u[0];
}

/* The code point at byte i (which moves past it), or a negative fault. */
static long next_code_point(const wide_text *w, size_t *i)
{
	uint32_t cp, low;
	if (w->n - *i < w->unit)
		return -1;
	cp = unit_at(w, *i);
	*i += w->unit;
	if (w->unit == 4)
		return cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) ? -2 : (long)cp;
	if (cp < 0xD800 || cp > 0xDFFF)
		return (long)cp;
	if (cp > 0xDBFF || w->n - *i < 2 || (low = unit_at(w, *i)) < 0xDC00 ||
	    low > 0xDFFF)
		return -2;
	*i += 2;
	return 0x10000 + ((long)(cp - 0xD800) << 10) + (long)(low - 0xDC00);
}

static int from_wide(const wide_text *w, const char *name, read_buffer *out,
                     reel_error *err)
{
	size_t i = 0, room = w->unit == 2 ? w->n / 2 * 3 : w->n;
	if (read_buffer_reserve(out, room) != 0)
		return error_memory(err, name);
	while (i < w->n) {
		long cp;
		if (i % CHECK_STEP < w->unit && made_so_far(out, name, err) != 0)
			return -1;
		cp = next_code_point(w, &i);
		if (cp < 0)
			return fail_at_end(out, name, cp == -1
			       ? "a character cut off at the end of the file"
			       : w->unit == 2 ? "invalid UTF-16 (a lone surrogate)"
			                      : "invalid UTF-32 (not a character)", err);
		out->length += put_utf8(out->data + out->length, (uint32_t)cp);
	}
	out->data[out->length] = '\0';
	return made_so_far(out, name, err);
}

/* The byte-order mark at the start, if any: its length, and w's layout. */
static size_t wide_mark(const unsigned char *p, size_t n, wide_text *w)
{
	if (n >= 4 && memcmp(p, "\xFF\xFE\0\0", 4) == 0)
		return w->unit = 4, w->big_endian = false, 4;
	if (n >= 4 && memcmp(p, "\0\0\xFE\xFF", 4) == 0)
		return w->unit = 4, w->big_endian = true, 4;
	if (n >= 2 && memcmp(p, "\xFF\xFE", 2) == 0)
		return w->unit = 2, w->big_endian = false, 2;
	if (n >= 2 && memcmp(p, "\xFE\xFF", 2) == 0)
		return w->unit = 2, w->big_endian = true, 2;
	return 0;
}
/* }====== */

int read_encoding_transcode(const char *data, size_t length,
                            read_encoding encoding, const char *name,
                            read_buffer *out, bool *done, reel_error *err)
{
	const unsigned char *p = (const unsigned char *)data;
	wide_text w = {p, length, 2, false};
	size_t mark = encoding == READ_ENCODING_DETECT || encoding == READ_ENCODING_UTF16
	              ? wide_mark(p, length, &w) : 0;
	*done = false;
	if (encoding == READ_ENCODING_LATIN1 || encoding == READ_ENCODING_CP1252) {
		*done = true;
		return from_single_bytes(p, length, encoding, name, out, err);
	}
	if (mark == 0 && encoding != READ_ENCODING_UTF16)
		return 0; /* UTF-8 as it is */
	if (mark == 0) /* no mark: big-endian when ASCII's zero byte comes first */
		w.big_endian = length >= 2 && p[0] == 0 && p[1] != 0;
	w.p += mark;
	w.n -= mark;
	*done = true;
	return from_wide(&w, name, out, err);
}
