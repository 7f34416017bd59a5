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
/* What a file is, told by its first bytes: the containers reel reads
** (gzip, zip, SQLite) and what people hand a catalogue reader by mistake.
** A signature at `offset` (a tar archive's "ustar") is looked for there;
** one that is plain letters a CSV header could open with ("MZ", "PAR1")
** counts only when binary bytes follow it (`confirm`). */
static const struct {
	const char *magic;
	size_t length;
	size_t offset;
	read_kind kind;
	const char *what;
	bool confirm;
} signatures[] = {
	{"\x1F\x8B", 2, 0, READ_KIND_GZIP, "gzip data", false},
	{"PK\x03\x04", 4, 0, READ_KIND_ZIP, "a zip archive", false},
	{"PK\x05\x06", 4, 0, READ_KIND_ZIP, "a zip archive", false}, /* empty */
	{"SQLite format 3", 16, 0, READ_KIND_SQLITE, "an SQLite database",
	 false},
	{"%PDF-", 5, 0, READ_KIND_OTHER, "a PDF document", false},
	{"\x89PNG", 4, 0, READ_KIND_OTHER, "a PNG image", false},
	{"\xFF\xD8\xFF", 3, 0, READ_KIND_OTHER, "a JPEG image", false},
	{"GIF8", 4, 0, READ_KIND_OTHER, "a GIF image", true},
	{"II*\0", 4, 0, READ_KIND_OTHER, "a TIFF image", false},
	{"MM\0*", 4, 0, READ_KIND_OTHER, "a TIFF image", false},
	{"RIFF", 4, 0, READ_KIND_OTHER, "a RIFF file (WebP, WAV or AVI)", true},
	{"ftyp", 4, 4, READ_KIND_OTHER, "a video or image (MP4, MOV, HEIC)",
	 true},
	{"\x1A\x45\xDF\xA3", 4, 0, READ_KIND_OTHER, "a Matroska or WebM video",
	 false},
	{"OggS", 4, 0, READ_KIND_OTHER, "an Ogg file", true},
	{"ID3", 3, 0, READ_KIND_OTHER, "an MP3 file", true},
	{"\x7F" "ELF", 4, 0, READ_KIND_OTHER, "a program (ELF)", false},
	{"MZ", 2, 0, READ_KIND_OTHER, "a Windows program (PE)", true},
	{"\xCF\xFA\xED\xFE", 4, 0, READ_KIND_OTHER, "a program (Mach-O)", false},
	{"\xCE\xFA\xED\xFE", 4, 0, READ_KIND_OTHER, "a program (Mach-O)", false},
	{"\xFE\xED\xFA\xCF", 4, 0, READ_KIND_OTHER, "a program (Mach-O)", false},
	{"\xFE\xED\xFA\xCE", 4, 0, READ_KIND_OTHER, "a program (Mach-O)", false},
	{"\xCA\xFE\xBA\xBE", 4, 0, READ_KIND_OTHER,
	 "a program (Mach-O universal, or Java class)", false},
	{"\0asm", 4, 0, READ_KIND_OTHER, "a WebAssembly module", false},
	{"ustar", 5, 257, READ_KIND_OTHER, "a tar archive (unpack it first)",
	 false},
	{"\xFD" "7zXZ", 5, 0, READ_KIND_OTHER, "xz data (decompress it first)",
	 false},
	{"7z\xBC\xAF\x27\x1C", 6, 0, READ_KIND_OTHER, "a 7-Zip archive", false},
	{"\x28\xB5\x2F\xFD", 4, 0, READ_KIND_OTHER,
	 "zstd data (decompress it first)", false},
	{"BZh", 3, 0, READ_KIND_OTHER, "bzip2 data (decompress it first)", true},
	{"Rar!", 4, 0, READ_KIND_OTHER, "a RAR archive", true},
	{"\xD0\xCF\x11\xE0", 4, 0, READ_KIND_OTHER,
	 "an old Microsoft Office document", false},
	{"PAR1", 4, 0, READ_KIND_OTHER, "a Parquet file", true},
	{"ARROW1", 6, 0, READ_KIND_OTHER, "an Arrow file", true},
	{NULL, 0, 0, READ_KIND_TEXT, NULL, false}
};

/* Whether the bytes after a signature are binary too: "MZ" or "PAR1"
** opening a line of text ("MZ Films,1999") is text. */
static bool binary_after(const char *data, size_t length, size_t from)
{
	size_t i, end = length < from + 64 ? length : from + 64;
	for (i = from; i < end; i++) {
		unsigned char c = (unsigned char)data[i];
		if (c == 0 || (c < 0x20 && c != '\t' && c != '\n' && c != '\r'))
			return true;
	}
	return false;
}

read_kind read_check_kind(const char *data, size_t length, const char **what)
{
	size_t i;
	for (i = 0; signatures[i].magic != NULL; i++) {
		size_t at = signatures[i].offset, n = signatures[i].length;
		if (length < at + n || memcmp(data + at, signatures[i].magic, n) != 0)
			continue;
		if (signatures[i].confirm && !binary_after(data, length, at + n))
			continue;
		if (what != NULL)
			*what = signatures[i].what;
		return signatures[i].kind;
	}
	if (what != NULL)
		*what = "text";
	return READ_KIND_TEXT;
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
	const char *what, *nul;
	size_t n = length < READ_CHECK_BYTES ? length : READ_CHECK_BYTES, line = 1;
	const char *p, *line_start = data;
	read_kind kind = read_check_kind(data, length, &what);
	if (kind == READ_KIND_OTHER)
		return error_set(err, REEL_ERROR_DATA, "%s: %s, not a catalogue",
		                 name, what);
	if (kind != READ_KIND_TEXT)
		return 0; /* a container, read by its own reader */
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
