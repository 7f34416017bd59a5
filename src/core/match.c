/*
** match.c: loose keys of text (see match.h). A key is built word by word:
** the text decomposed and case-folded by utf8proc, its marks left out, its
** letters and digits kept and everything else a word break; then a
** leading article, or a trailing one after a comma, is dropped and the
** words are written with nothing between them. ASCII text, most titles,
** takes a path of its own with no tables. Relies on utf8proc, text.h and
** memory.h. Pure C.
*/
#include "match.h"

#include <string.h>

#include <utf8proc.h>

#include "memory.h"

#define FOLD_OPTIONS (UTF8PROC_CASEFOLD | UTF8PROC_DECOMPOSE | \
                      UTF8PROC_COMPAT | UTF8PROC_STRIPMARK | UTF8PROC_STABLE)

/* {====== Words ====== */
/* The words of a key while it is made: where each ends in `out`, and
** whether a comma came just before it. */
#define MATCH_WORDS 64

typedef struct words {
	size_t start;            /* the key's start in out */
	size_t ends[MATCH_WORDS];
	bool after_comma[MATCH_WORDS];
	size_t count;
	bool comma;              /* a comma since the last word */
	bool in_word;
} words;

static bool is_article(const char *w, size_t n)
{
	static const char *const articles[] = {"the", "a", "an", NULL};
	size_t i;
	for (i = 0; articles[i] != NULL; i++)
		if (strlen(articles[i]) == n && memcmp(articles[i], w, n) == 0)
			return true;
	return false;
}

static void word_break(words *w, text_buffer *out, bool comma)
{
	if (w->in_word && w->count < MATCH_WORDS) {
		w->ends[w->count++] = out->length;
	}
	w->in_word = false;
	w->comma |= comma;
}

static void word_char(words *w, text_buffer *out, const char *bytes, size_t n)
{
	if (!w->in_word && w->count < MATCH_WORDS)
		w->after_comma[w->count] = w->comma;
	if (!w->in_word)
		w->comma = false;
	w->in_word = true;
	text_buffer_append(out, bytes, n);
}

/* The words written: the first dropped when an article with words after
** it, the last when an article after a comma. */
static void words_finish(words *w, text_buffer *out)
{
	size_t first_end, last_start;
	word_break(w, out, false);
	if (out->failed || w->count < 2 || w->count == MATCH_WORDS)
		return;
	last_start = w->ends[w->count - 2];
	if (w->after_comma[w->count - 1] &&
	    is_article(out->data + last_start, w->ends[w->count - 1] - last_start)) {
		out->length = last_start;
		w->count--;
	}
	first_end = w->ends[0];
	if (w->count >= 2 &&
	    is_article(out->data + w->start, first_end - w->start)) {
		memmove(out->data + w->start, out->data + first_end,
		        out->length - first_end);
		out->length -= first_end - w->start;
	}
}
/* }====== */

/* {====== Folding ====== */
static bool ascii_letter_or_digit(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

/* Room for the key is made first (each byte gives at most three, "&" its
** "and"), so a letter goes straight in: most titles are ASCII, and a
** loose join folds every one of them. false at a byte that is not ASCII
** (the key then half made). */
static bool fold_ascii(const char *text, size_t length, words *w,
                       text_buffer *out)
{
	size_t i;
	if (length > (SIZE_MAX - 1) / 3 || !text_buffer_reserve(out, 3 * length))
		return true;
	for (i = 0; i < length; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c >= 0x80)
			return false;
		if (ascii_letter_or_digit(c)) {
			if (!w->in_word)
				word_char(w, out, "", 0);
			out->data[out->length++] = (char)text_ascii_lower(c);
		} else if (c == '&') {
			word_break(w, out, false);
			word_char(w, out, "and", 3);
			word_break(w, out, false);
		} else if (c != '\'') { /* Schindler's is one word */
			word_break(w, out, c == ',');
		}
	}
	out->data[out->length] = '\0';
	return true;
}

/* The ASCII bytes of text that is not (or not only) ASCII. */
static void fold_bytes(const char *text, size_t length, words *w,
                       text_buffer *out)
{
	size_t i;
	for (i = 0; i < length; i++)
		if ((unsigned char)text[i] < 0x80)
			fold_ascii(text + i, 1, w, out);
}

static bool is_word_point(int32_t point)
{
	switch (utf8proc_category(point)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
		return true;
	default:
		return false;
	}
}

/* The code points of the folded text, or -1 (bad UTF-8, or no memory). */
static utf8proc_ssize_t decompose(match_folder *f, const char *text,
                                  size_t length)
{
	for (;;) {
		utf8proc_ssize_t n = utf8proc_decompose(
			(const utf8proc_uint8_t *)text, (utf8proc_ssize_t)length,
			f->points, (utf8proc_ssize_t)f->capacity, FOLD_OPTIONS);
		int32_t *grown;
		size_t want;
		if (n < 0 || (size_t)n <= f->capacity)
			return n;
		want = (size_t)n + 16;
		grown = reel_realloc(f->points, want * sizeof *grown);
		if (grown == NULL)
			return -1;
		f->points = grown;
		f->capacity = want;
	}
}

static void fold_unicode(match_folder *f, const char *text, size_t length,
                         words *w, text_buffer *out)
{
	utf8proc_ssize_t n = decompose(f, text, length), i;
	if (n < 0) { /* not UTF-8: its ASCII letters and digits only */
		fold_bytes(text, length, w, out);
		return;
	}
	for (i = 0; i < n; i++) {
		int32_t point = f->points[i];
		utf8proc_uint8_t bytes[4];
		if (point < 0x80) {
			char c = (char)point;
			fold_bytes(&c, 1, w, out);
		} else if (is_word_point(point)) {
			utf8proc_ssize_t size = utf8proc_encode_char(point, bytes);
			word_char(w, out, (const char *)bytes, (size_t)size);
		} else if (point != 0x2019) { /* a typographic apostrophe */
			word_break(w, out, point == 0xFF0C || point == 0x3001);
		}
	}
}

void match_fold(match_folder *f, const char *text, size_t length,
                text_buffer *out)
{
	words w;
	w.start = out->length;
	w.count = 0;
	w.comma = w.in_word = false;
	if (!fold_ascii(text, length, &w, out)) { /* over, the long way */
		out->length = w.start;
		w.count = 0;
		w.comma = w.in_word = false;
		fold_unicode(f, text, length, &w, out);
	}
	words_finish(&w, out);
	if (out->length == w.start) /* nothing but punctuation */
		text_buffer_append(out, text, length);
}

void match_folder_free(match_folder *f)
{
	reel_free(f->points);
	memset(f, 0, sizeof *f);
}
/* }====== */

/* {====== Key tables ====== */
/* The rows of the arrays a column's cells at `rows` lie in: the table's,
** or for a view (a join's column, which keeps its map and nulls here) up to
** the greatest source row the rows read. */
static size_t source_rows(const table *t, const column *source,
                          const selection *rows)
{
	size_t i, n = 0;
	if (source->map == NULL)
		return t->row_count;
	for (i = 0; i < rows->count; i++) {
		row_id s = source->map[rows->rows[i]];
		if (s != TABLE_NO_ROW && (size_t)s + 1 > n)
			n = (size_t)s + 1;
	}
	return n;
}

/* Column c of the view: text folded into `arena` for each row of `rows`,
** each cell's start noted in its offset (the arena is placed after), at
** the row of the source's arrays it reads. */
static int fold_column(column *c, const table *t, const column *source,
                       const selection *rows, match_folder *f,
                       text_buffer *arena)
{
	size_t i;
	c->offsets = reel_calloc(source_rows(t, source, rows) + 1,
	                         sizeof *c->offsets);
	if (c->offsets == NULL)
		return -1;
	for (i = 0; i < rows->count && !arena->failed; i++) {
		row_id r = rows->rows[i];
		size_t start = arena->length;
		if (column_is_null(source, r))
			continue;
		match_fold(f, column_text(t, source, r), column_text_length(source, r),
		           arena);
		if (arena->length - start > TEXT_LENGTH_MAX ||
		    start >= TEXT_ARENA_MAX)
			return -1;
		c->offsets[column_source_row(source, r)] =
			text_cell(start, arena->length - start);
	}
	return arena->failed ? -1 : 0;
}

int match_keys_open(match_keys *k, const table *t, const selection *rows,
                    const size_t *keys, size_t count, reel_error *err)
{
	text_buffer arena;
	match_folder f;
	size_t i;
	int status = 0;
	memset(k, 0, sizeof *k);
	memset(&f, 0, sizeof f);
	text_buffer_init(&arena);
	text_buffer_append(&arena, "", 0);
	k->view.columns = reel_calloc(count + 1, sizeof *k->view.columns);
	k->columns = reel_calloc(count + 1, sizeof *k->columns);
	if (k->view.columns == NULL || k->columns == NULL)
		status = -1;
	k->view.row_count = t->row_count;
	k->view.column_count = count;
	for (i = 0; status == 0 && i < count; i++) {
		const column *source = &t->columns[keys[i]];
		column *c = &k->view.columns[i];
		k->columns[i] = i;
		*c = *source; /* the same cells, nulls (and map) and all... */
		if (source->type == COLUMN_STRING) { /* ...but text folded */
			c->offsets = NULL;
			status = fold_column(c, t, source, rows, &f, &arena);
		}
	}
	match_folder_free(&f);
	k->arena = arena.data;
	for (i = 0; i < count && k->view.columns != NULL; i++)
		if (t->columns[keys[i]].type == COLUMN_STRING)
			k->view.columns[i].arena = k->arena != NULL ? k->arena : "";
	return status == 0 ? 0 : error_memory(err, "join");
}

hash_keys match_keys_hash(const match_keys *k)
{
	return (hash_keys){&k->view, k->columns, k->view.column_count, false};
}

void match_keys_close(match_keys *k)
{
	size_t i;
	for (i = 0; k->view.columns != NULL && i < k->view.column_count; i++)
		if (k->view.columns[i].type == COLUMN_STRING)
			reel_free(k->view.columns[i].offsets);
	reel_free(k->view.columns);
	reel_free(k->columns);
	reel_free(k->arena);
	memset(k, 0, sizeof *k);
}
/* }====== */
