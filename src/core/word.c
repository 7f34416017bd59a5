/*
** word.c: the folded words of a text (see word.h). ASCII is folded by hand;
** anything else goes through utf8proc one character at a time (its
** category says whether it belongs to a word, its decomposition with case
** folding and marks stripped is its folded form). Pure C.
*/
#include "word.h"

#include <stdint.h>
#include <string.h>

#include <utf8proc.h>

/* {====== Characters ====== */

#define FOLD_OPTIONS (UTF8PROC_CASEFOLD | UTF8PROC_DECOMPOSE | \
                      UTF8PROC_STRIPMARK | UTF8PROC_COMPAT)

/* What a character is to a word. */
typedef enum word_part {
	PART_SEPARATOR, /* ends a word */
	PART_LETTER,    /* a letter or digit, kept folded */
	PART_KEPT,      /* kept as it is: no case, no marks */
	PART_MARK       /* belongs to the word, stripped */
} word_part;

/* Hangul syllables, kana and CJK ideographs fold to themselves; decomposing
** a syllable would spell it in jamo instead. */
static bool caseless(utf8proc_int32_t c)
{
	return (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0x4E00 && c <= 0x9FFF) ||
	       (c >= 0x3041 && c <= 0x3096) || (c >= 0x30A1 && c <= 0x30FA) ||
	       (c >= 0x3400 && c <= 0x4DBF);
}

static word_part part_of(utf8proc_int32_t c)
{
	switch (utf8proc_category(c)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
		return caseless(c) ? PART_KEPT : PART_LETTER;
	case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
		return PART_MARK;
	default:
		return PART_SEPARATOR;
	}
}

static bool ascii_word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

/* The folded UTF-8 of character c into out (room for 4 * 8 bytes): its
** byte count, 0 when it folds to nothing. */
static size_t fold_character(utf8proc_int32_t c, word_part part,
                             unsigned char *out)
{
	utf8proc_int32_t points[8];
	utf8proc_ssize_t n, i;
	size_t length = 0;
	int boundary = 0;
	if (part == PART_KEPT)
		return (size_t)utf8proc_encode_char(c, out);
	n = utf8proc_decompose_char(c, points, 8, FOLD_OPTIONS, &boundary);
	if (n < 0 || n > 8) /* cannot happen for a letter: keep it as it is */
		return (size_t)utf8proc_encode_char(c, out);
	for (i = 0; i < n; i++)
		length += (size_t)utf8proc_encode_char(points[i], out + length);
	return length;
}

/* The character at text[*at], its part, and *at moved past it. Bytes that
** are not UTF-8 count as letters, kept as they are. */
static word_part read_character(const unsigned char *text, size_t length,
                                size_t *at, utf8proc_int32_t *c)
{
	utf8proc_ssize_t n;
	if (text[*at] < 0x80) {
		*c = text[(*at)++];
		return ascii_word_byte((unsigned char)*c) ? PART_LETTER
		                                          : PART_SEPARATOR;
	}
	n = utf8proc_iterate(text + *at, (utf8proc_ssize_t)(length - *at), c);
	if (n <= 0) {
		*c = -text[(*at)++];
		return PART_KEPT;
	}
	*at += (size_t)n;
	return part_of(*c);
}
/* }====== */

/* {====== Words ====== */

void word_reader_open(word_reader *r, const char *text, size_t length)
{
	r->text = (const unsigned char *)text;
	r->length = text != NULL ? length : 0;
	r->at = 0;
	r->word[0] = '\0';
	r->word_length = 0;
	r->points = 0;
}

/* Appends character c of the given part to the word, up to WORD_MAX. */
static void add_character(word_reader *r, utf8proc_int32_t c, word_part part)
{
	unsigned char folded[40];
	size_t n;
	if (c < 0) { /* a byte that is not UTF-8 */
		folded[0] = (unsigned char)-c;
		n = 1;
	} else if (c < 0x80) {
		folded[0] = (unsigned char)text_ascii_lower((unsigned char)c);
		n = 1;
	} else {
		n = fold_character(c, part, folded);
	}
	if (n == 0 || r->word_length + n > WORD_MAX)
		return;
	memcpy(r->word + r->word_length, folded, n);
	r->word_length += n;
	r->points++;
}

/* The ASCII letters and digits at r->at, lower-cased into the word: most
** text is ASCII, and needs no call a character. */
static void add_ascii(word_reader *r)
{
	const unsigned char *text = r->text;
	size_t at = r->at, end = r->length;
	while (at < end && ascii_word_byte(text[at])) {
		if (r->word_length < WORD_MAX) {
			unsigned char c = text[at];
			r->word[r->word_length++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			r->points++;
		}
		at++;
	}
	r->at = at;
}

bool word_next(word_reader *r)
{
	utf8proc_int32_t c;
	word_part part;
	r->word_length = 0;
	r->points = 0;
	while (r->at < r->length) {
		if (ascii_word_byte(r->text[r->at])) {
			add_ascii(r);
			continue;
		}
		part = read_character(r->text, r->length, &r->at, &c);
		if (part == PART_SEPARATOR) {
			if (r->word_length > 0)
				break;
			continue;
		}
		if (part != PART_MARK) /* a mark is stripped, and ends no word */
			add_character(r, c, part);
	}
	r->word[r->word_length] = '\0';
	return r->word_length > 0;
}

void word_fold_text(const char *text, size_t length, text_buffer *out)
{
	word_reader r;
	bool first = true;
	word_reader_open(&r, text, length);
	while (word_next(&r)) {
		if (!first)
			text_buffer_append(out, " ", 1);
		text_buffer_append(out, r.word, r.word_length);
		first = false;
	}
	if (out->data == NULL)
		text_buffer_append(out, "", 0);
}
/* }====== */
