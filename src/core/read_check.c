/*
** read_check.c: the checks every reader makes of its bytes (see
** read_bytes.h): a file of another kind known by its first bytes, NUL
** bytes, and UTF-8 that is not (overlong forms, surrogates, code points
** past U+10FFFF, cut sequences). Plain ASCII, nearly all of a catalogue,
** is passed eight bytes at a time. Relies on the C library only.
*/
#include "read_bytes.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* {====== Files of other kinds ====== */
/* Signatures of what people hand a catalogue reader by mistake. */
static const struct {
	const char *magic;
	size_t length;
	const char *what;
} other_kinds[] = {
	{"%PDF-", 5, "a PDF document"},
	{"PK\x03\x04", 4, "a zip archive (unzip it first)"},
	{"SQLite format 3", 16, "an SQLite database"},
	{"\x89PNG", 4, "a PNG image"},
	{"\xFF\xD8\xFF", 3, "a JPEG image"},
	{"GIF8", 4, "a GIF image"},
	{"\x7F" "ELF", 4, "a program (ELF)"},
	{"\xFD" "7zXZ", 5, "xz data (decompress it first)"},
	{"7z\xBC\xAF\x27\x1C", 6, "a 7-Zip archive"},
	{"\x28\xB5\x2F\xFD", 4, "zstd data (decompress it first)"},
	{"\xD0\xCF\x11\xE0", 4, "an old Microsoft Office document"},
	{"Rar!", 4, "a RAR archive"},
	{NULL, 0, NULL}
};

static const char *other_kind(const char *data, size_t length)
{
	size_t i;
	for (i = 0; other_kinds[i].magic != NULL; i++)
		if (length >= other_kinds[i].length &&
		    memcmp(data, other_kinds[i].magic, other_kinds[i].length) == 0)
			return other_kinds[i].what;
	if (length >= 4 && memcmp(data, "BZh", 3) == 0 && data[3] >= '1' &&
	    data[3] <= '9')
		return "bzip2 data (decompress it first)";
	return NULL;
}

/* Whether NULs fall every other byte among ASCII: UTF-16 with no mark. */
static bool looks_like_utf16(const char *data, size_t length)
{
	size_t i, zeros = 0, pairs = length / 2 < 64 ? length / 2 : 64;
	for (i = 0; i < pairs; i++)
		zeros += (data[2 * i] == 0) != (data[2 * i + 1] == 0);
	return pairs >= 2 && zeros == pairs;
}

/* Whether the text opens with a UTF-16 or UTF-32 byte-order mark. */
static bool wide_mark(const char *data, size_t length)
{
	return length >= 2 && (memcmp(data, "\xFF\xFE", 2) == 0 ||
	                       memcmp(data, "\xFE\xFF", 2) == 0 ||
	                       (length >= 4 && memcmp(data, "\0\0\xFE\xFF", 4) == 0));
}

bool read_check_bom(const char *data, size_t length)
{
	return length >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0;
}

int read_check_start(const char *data, size_t length, const char *name,
                     reel_error *err)
{
	const char *what = other_kind(data, length), *nul;
	size_t n = length < READ_CHECK_BYTES ? length : READ_CHECK_BYTES, line = 1;
	const char *p, *line_start = data;
	if (what != NULL)
		return error_set(err, REEL_ERROR_DATA, "%s: %s, not a catalogue (CSV, "
		                 "TSV, JSON or gzip)", name, what);
	if (wide_mark(data, length))
		return 0; /* UTF-16 or UTF-32, to be made UTF-8 */
	if ((nul = memchr(data, '\0', n)) == NULL)
		return 0;
	for (p = data; p < nul; p++)
		if (*p == '\n') {
			line++;
			line_start = p + 1;
		}
	return error_set(err, REEL_ERROR_DATA, "%s:%zu:%zu: a NUL byte: %s", name,
	                 line, (size_t)(nul - line_start) + 1,
	                 looks_like_utf16(data, n)
	                 ? "UTF-16 without a byte-order mark? (say the encoding: "
	                   "utf-16)"
	                 : "binary data, not a text catalogue");
}
/* }====== */

/* {====== UTF-8 ====== */
#define HIGH_BITS 0x8080808080808080ULL
#define LOW_BITS 0x0101010101010101ULL

/* The length of the UTF-8 sequence at p (a byte of 0x80 or more), or 0
** when it is not a valid one (RFC 3629). */
static size_t sequence_length(const unsigned char *p, const unsigned char *end)
{
	size_t n, i;
	unsigned char lo = 0x80, hi = 0xBF;
	if (*p >= 0xC2 && *p <= 0xDF)
		n = 2;
	else if (*p >= 0xE0 && *p <= 0xEF)
		n = 3;
	else if (*p >= 0xF0 && *p <= 0xF4)
		n = 4;
	else
		return 0;
	if (*p == 0xE0)
		lo = 0xA0; /* no overlong three-byte forms */
	else if (*p == 0xED)
		hi = 0x9F; /* no surrogates */
	else if (*p == 0xF0)
		lo = 0x90; /* no overlong four-byte forms */
	else if (*p == 0xF4)
		hi = 0x8F; /* nothing past U+10FFFF */
	if ((size_t)(end - p) < n || p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	return n;
}

size_t read_check_sequence(const char *text, size_t left)
{
	const unsigned char *p = (const unsigned char *)text;
	return left > 0 ? sequence_length(p, p + left) : 0;
}

size_t read_check_utf8(const char *text, size_t length)
{
	const unsigned char *start = (const unsigned char *)text;
	const unsigned char *p = start, *end = start + length;
	while (p < end) {
		uint64_t w;
		size_t n;
		/* eight ASCII bytes, none of them NUL: a NUL borrows in w - LOW_BITS */
		if (end - p >= 8 && (memcpy(&w, p, 8), ((w | (w - LOW_BITS)) & HIGH_BITS) == 0)) {
			p += 8;
			continue;
		}
		if (*p >= 0x01 && *p < 0x80) {
			p++;
			continue;
		}
		if (*p == 0 || (n = sequence_length(p, end)) == 0)
			break;
		p += n;
	}
	return (size_t)(p - start);
}

void read_check_explain(const char *text, size_t left, char *message,
                        size_t size)
{
	const unsigned char *p = (const unsigned char *)text;
	if (left > 0 && *p == 0)
		snprintf(message, size, "a NUL byte: binary data, not a text catalogue");
	else
		snprintf(message, size, "invalid UTF-8 (byte 0x%02X): if the file is "
		         "not UTF-8, say its encoding (--encoding or opts.encoding: "
		         "latin1, cp1252, utf-16)", left > 0 ? *p : 0);
}
/* }====== */
