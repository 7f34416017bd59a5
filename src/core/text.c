/*
** text.c: text as people compare it (see text.h): Unicode case folding for
** contains and search. Relies on utf8proc for the folding and memory.h for
** its work space. Pure C.
*/
#include "text.h"

#include <stdint.h>
#include <string.h>

#include <utf8proc.h>

#include "memory.h"

/* {====== Case folding ====== */

/* The folding of utf8proc_map(..., CASEFOLD | COMPOSE | STABLE), done into a
** work buffer of our own so that scanning a column allocates once. */
#define FOLD_OPTIONS (UTF8PROC_CASEFOLD | UTF8PROC_COMPOSE | UTF8PROC_STABLE)
/* ...and with the accents taken off: decomposed, the marks stripped. */
#define FOLD_ACCENTS (UTF8PROC_CASEFOLD | UTF8PROC_DECOMPOSE | \
                      UTF8PROC_STRIPMARK | UTF8PROC_STABLE)


/* A word at a time: this test runs on every cell contains looks at. */
bool text_is_ascii(const char *text, size_t length)
{
	uint64_t any = 0, word;
	size_t i = 0;
	for (; i + sizeof word <= length; i += sizeof word) {
		memcpy(&word, text + i, sizeof word);
		any |= word;
	}
	for (; i < length; i++)
		any |= (unsigned char)text[i];
	return (any & UINT64_C(0x8080808080808080)) == 0;
}

unsigned char text_ascii_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* Room for `points` code points and the byte utf8proc_reencode writes after
** the text it encodes. */
static int finder_reserve(text_finder *f, size_t points)
{
	utf8proc_int32_t *grown;
	size_t size = f->buffer_size * 2;
	if (points < f->buffer_size)
		return 0;
	if (size <= points)
		size = points + 1;
	if (size > SIZE_MAX / sizeof *grown)
		return -1;
	grown = reel_realloc(f->buffer, size * sizeof *grown);
	if (grown == NULL)
		return -1;
	f->buffer = grown;
	f->buffer_size = size;
	return 0;
}

/* Text that is not UTF-8 folds byte by byte, ASCII letters only (the
** buffer already has room for it). */
static void fold_bytes(text_finder *f, const char *text, size_t length,
                       const char **folded, size_t *folded_length)
{
	unsigned char *out = (unsigned char *)f->buffer;
	size_t i;
	for (i = 0; i < length; i++)
		out[i] = text_ascii_lower((unsigned char)text[i]);
	*folded = (const char *)out;
	*folded_length = length;
}

/* Characters that fold to themselves and never compose with a neighbour:
** Hangul syllables, kana (not the voicing marks), CJK ideographs. */
static bool caseless_starter(uint32_t point)
{
	return (point >= 0xAC00 && point <= 0xD7A3) ||
	       (point >= 0x4E00 && point <= 0x9FFF) ||
	       (point >= 0x3041 && point <= 0x3096) ||
	       (point >= 0x30A1 && point <= 0x30FA);
}

static bool continuation(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

/* The fold of text made of ASCII, Latin-1 and caseless starters, which
** needs no tables: it is what utf8proc gives, byte for byte in place. false
** (out half written) at anything else: a combining mark, a letter whose
** folding changes its length (ß, µ), another script, bad UTF-8. */
static bool fold_simple(const char *text, size_t length, unsigned char *out,
                        bool accents)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0;
	while (i < length) {
		unsigned char c = s[i];
		if (c < 0x80) {
			out[i++] = text_ascii_lower(c);
		} else if (accents && (c == 0xC2 || c == 0xC3) && i + 1 < length &&
		           continuation(s[i + 1])) {
			unsigned char d = s[i + 1];
			if ((c == 0xC2 && d == 0xB5) || (c == 0xC3 && d == 0x9F))
				return false;  /* µ and ß */
			/* The capitals, C3 80 .. 9E but 97 (x), fold 0x20 up. */
			out[i] = c;
			out[i + 1] = c == 0xC3 && d <= 0x9E && d != 0x97 ? d + 0x20 : d;
			i += 2;
		} else if (c >= 0xE3 && c <= 0xED && i + 2 < length &&
		           continuation(s[i + 1]) && continuation(s[i + 2]) &&
		           caseless_starter((uint32_t)(c & 0x0F) << 12 |
		                            (uint32_t)(s[i + 1] & 0x3F) << 6 |
		                            (s[i + 2] & 0x3F))) {
			memcpy(out + i, s + i, 3);
			i += 3;
		} else {
			return false;
		}
	}
	return true;
}

/* Fold `text` into the finder's buffer; -1 when out of memory. */
static int fold_text(text_finder *f, const char *text, size_t length,
                     const char **folded, size_t *folded_length)
{
	const utf8proc_uint8_t *bytes = (const utf8proc_uint8_t *)text;
	utf8proc_ssize_t points;
	if (finder_reserve(f, length / sizeof *f->buffer + 1) != 0)
		return -1;
	if (fold_simple(text, length, (unsigned char *)f->buffer, !f->no_accents)) {
		*folded = (const char *)f->buffer;
		*folded_length = length;
		return 0;
	}
	for (;;) {
		points = utf8proc_decompose(bytes, (utf8proc_ssize_t)length,
		                            f->buffer, (utf8proc_ssize_t)f->buffer_size,
		                            f->no_accents ? FOLD_ACCENTS : FOLD_OPTIONS);
		if (points < 0 || (size_t)points < f->buffer_size)
			break;  /* bad UTF-8, or folded */
		if (finder_reserve(f, (size_t)points) != 0)
			return -1;
	}
	if (points >= 0)
		points = utf8proc_reencode(f->buffer, points,
		                           f->no_accents ? FOLD_ACCENTS : FOLD_OPTIONS);
	if (points < 0) {
		fold_bytes(f, text, length, folded, folded_length);
		return 0;
	}
	*folded = (const char *)f->buffer;
	*folded_length = (size_t)points;
	return 0;
}

int text_finder_open(text_finder *f, const char *text, size_t length)
{
	return text_finder_open_as(f, text, length, false);
}

int text_finder_open_as(text_finder *f, const char *text, size_t length,
                        bool accents)
{
	const char *folded;
	size_t folded_length;
	memset(f, 0, sizeof *f);
	f->no_accents = !accents;
	if (fold_text(f, text, length, &folded, &folded_length) != 0 ||
	    (f->needle = reel_strndup(folded, folded_length)) == NULL) {
		reel_free(f->buffer);
		return -1;
	}
	f->needle_length = folded_length;
	f->needle_ascii = text_is_ascii(f->needle, folded_length);
	return 0;
}

void text_finder_close(text_finder *f)
{
	reel_free(f->needle);
	reel_free(f->buffer);
}

/* Whether folded `needle` occurs in ASCII `text`, folding as we go. */
static bool find_ascii(const char *text, size_t length, const char *needle,
                       size_t needle_length)
{
	const unsigned char *h = (const unsigned char *)text;
	const unsigned char *n = (const unsigned char *)needle;
	unsigned char first = n[0];
	unsigned char capital = first >= 'a' && first <= 'z' ? first - 32 : first;
	size_t i, j;
	for (i = 0; i + needle_length <= length; i++) {
		if (h[i] != first && h[i] != capital)
			continue;
		for (j = 1; j < needle_length && text_ascii_lower(h[i + j]) == n[j]; j++)
			;
		if (j == needle_length)
			return true;
	}
	return false;
}

static bool find_bytes(const char *text, size_t length, const char *needle,
                       size_t needle_length)
{
	const char *end = text + length, *at = text;
	while ((size_t)(end - at) >= needle_length) {
		at = memchr(at, needle[0], (size_t)(end - at) - needle_length + 1);
		if (at == NULL)
			return false;
		if (memcmp(at, needle, needle_length) == 0)
			return true;
		at++;
	}
	return false;
}

/* ASCII text needs no utf8proc: its folding is lower case. */
int text_finder_match(text_finder *f, const char *text, size_t length)
{
	const char *folded;
	size_t folded_length;
	if (f->needle_length == 0)
		return 1;
	if (text_is_ascii(text, length))
		return f->needle_ascii &&
		       find_ascii(text, length, f->needle, f->needle_length);
	if (fold_text(f, text, length, &folded, &folded_length) != 0)
		return -1;
	return find_bytes(folded, folded_length, f->needle, f->needle_length);
}

int text_finder_equals(text_finder *f, const char *text, size_t length)
{
	const char *folded;
	size_t folded_length;
	if (fold_text(f, text, length, &folded, &folded_length) != 0)
		return -1;
	return folded_length == f->needle_length &&
	       memcmp(folded, f->needle, folded_length) == 0;
}
/* }====== */

/* {====== Text buffer ====== */
#define BUFFER_FIRST_CAPACITY 64

void text_buffer_init(text_buffer *b)
{
	b->data = NULL;
	b->length = 0;
	b->capacity = 0;
	b->failed = false;
}

/* The capacity to ask for so that `need` bytes fit: doubling keeps a long
** run of appends linear. */
static size_t grown_capacity(size_t capacity, size_t need)
{
	if (capacity == 0)
		capacity = BUFFER_FIRST_CAPACITY;
	while (capacity < need)
		capacity = capacity > SIZE_MAX / 2 ? need : capacity * 2;
	return capacity;
}

/* Room for `more` bytes and the closing NUL. On failure the buffer keeps its
** text and refuses every later append, so a caller checks only once. */
bool text_buffer_reserve(text_buffer *b, size_t more)
{
	size_t capacity;
	char *grown;
	if (b->failed)
		return false;
	if (more > SIZE_MAX - 1 - b->length) {
		b->failed = true;
		return false;
	}
	if (b->data != NULL && b->length + more + 1 <= b->capacity)
		return true;
	capacity = grown_capacity(b->capacity, b->length + more + 1);
	grown = reel_realloc(b->data, capacity);
	if (grown == NULL) {
		b->failed = true;
		return false;
	}
	b->data = grown;
	b->capacity = capacity;
	return true;
}

void text_buffer_append(text_buffer *b, const char *text, size_t length)
{
	bool fits = !b->failed && b->data != NULL &&
	            length < b->capacity - b->length;
	if (!fits && !text_buffer_reserve(b, length))
		return;
	if (length > 0)
		memcpy(b->data + b->length, text, length);
	b->length += length;
	b->data[b->length] = '\0';
}

void text_buffer_append_string(text_buffer *b, const char *text)
{
	if (text != NULL)
		text_buffer_append(b, text, strlen(text));
}

void text_buffer_free(text_buffer *b)
{
	reel_free(b->data);
	text_buffer_init(b);
}
/* }====== */
