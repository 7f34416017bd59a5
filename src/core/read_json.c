/*
** read_json.c: JSON catalogues, an array of objects or JSON Lines.
** Written by hand rather than through a DOM library: a catalogue of millions
** of objects must not be held a second time as a tree, and errors must name
** the line and column at fault. The text is read twice: once to learn the
** columns (the union of keys, in first-seen order) and check the syntax, once
** to feed table_builder row by row. An object inside an object flattens
** into dotted column names (movie.ids.imdb); an array of scalars is a list
** column (list.h), its elements joined by a separator none of them holds;
** an array holding arrays or objects stays its JSON text. Keys are found by
** hashing (an object may have hundreds of thousands); strings must be UTF-8
** and may not hold NUL, not even as \u0000; every megabyte the stop request
** (stop.h) is looked at. A big catalogue is read in two halves at once
** (read_json_halves.c), split at a line break near the middle; when the
** split is not between two objects, or anything goes wrong, the text is
** read again whole, so errors name the same places. Relies on table.h,
** list.h, name_index.h, read_check.c and memory.h.
*/
#include "read_json.h"

#include <stdio.h>
#include <string.h>

#include "list.h"
#include "memory.h"
#include "name_index.h"
#include "read_bytes.h"
#include "stop.h"
#include "progress.h"

/* Nesting deeper than this is refused: input must not control C recursion. */
#define JSON_MAX_DEPTH 512

/* Objects inside objects flatten into dotted names (movie.ids.imdb) down
** to this depth; one deeper is kept as its JSON text. */
#define JSON_FLATTEN_DEPTH 32

/* What the first pass learns of a column's values, for the second: an
** array of scalars makes it a list (list.h), unless an array of it holds
** an array or an object (then each array stays its JSON text); and which
** of the list joiners its elements hold, so that the one it gets parts
** them. */
enum {
	SHAPE_LIST = 1,
	SHAPE_NESTED = 2,
	SHAPE_JOINERS = 4 /* and up: a bit a joiner of LIST_JOINERS */
};

/* {====== Errors ====== */
static void json_fail(json_reader *r, size_t at, const char *what)
{
	size_t line = 1, col = 1, i;
	if (r->failed)
		return;
	for (i = 0; i < at && i < r->length; i++) {
		if (r->data[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	error_set(r->err, REEL_ERROR_DATA, "%s:%zu:%zu: %s", r->name, line, col, what);
	r->failed = true;
}

static void json_fail_memory(json_reader *r)
{
	if (!r->failed)
		error_memory(r->err, r->name);
	r->failed = true;
}
/* }====== */

/* {====== Scanning ====== */
static void skip_space(json_reader *r)
{
	while (r->pos < r->length) {
		char c = r->data[r->pos];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		r->pos++;
	}
}

static int peek(json_reader *r)
{
	skip_space(r);
	return r->pos < r->length ? (unsigned char)r->data[r->pos] : -1;
}

static bool expect(json_reader *r, char c, const char *what)
{
	if (peek(r) != (unsigned char)c) {
		json_fail(r, r->pos, what);
		return false;
	}
	r->pos++;
	return true;
}

static bool match_word(json_reader *r, const char *word)
{
	size_t n = strlen(word);
	if (r->length - r->pos < n || memcmp(r->data + r->pos, word, n) != 0) {
		json_fail(r, r->pos, "invalid literal");
		return false;
	}
	r->pos += n;
	return true;
}

static bool is_digit(int c) { return c >= '0' && c <= '9'; }

static size_t skip_digits(json_reader *r)
{
	size_t start = r->pos;
	while (r->pos < r->length && is_digit((unsigned char)r->data[r->pos]))
		r->pos++;
	return r->pos - start;
}

/* A number per RFC 8259's grammar; the builder infers its type later. */
static bool scan_number(json_reader *r)
{
	size_t start = r->pos;
	if (r->data[r->pos] == '-')
		r->pos++;
	if (r->pos < r->length && r->data[r->pos] == '0')
		r->pos++;
	else if (skip_digits(r) == 0)
		goto bad;
	if (r->pos < r->length && r->data[r->pos] == '.') {
		r->pos++;
		if (skip_digits(r) == 0)
			goto bad;
	}
	if (r->pos < r->length && (r->data[r->pos] == 'e' || r->data[r->pos] == 'E')) {
		r->pos++;
		if (r->pos < r->length && (r->data[r->pos] == '+' || r->data[r->pos] == '-'))
			r->pos++;
		if (skip_digits(r) == 0)
			goto bad;
	}
	return true;
bad:
	json_fail(r, start, "invalid number");
	return false;
}
/* }====== */

/* {====== Strings ====== */
static bool scratch_reserve(json_reader *r, size_t more)
{
	size_t need = r->scratch_length + more, cap = r->scratch_capacity;
	char *grown;
	if (need <= cap)
		return true;
	while (cap < need)
		cap = cap ? cap * 2 : 256;
	grown = reel_realloc(r->scratch, cap);
	if (grown == NULL) {
		json_fail_memory(r);
		return false;
	}
	r->scratch = grown;
	r->scratch_capacity = cap;
	return true;
}

static void scratch_put_utf8(json_reader *r, unsigned long cp)
{
	char *o = r->scratch + r->scratch_length;
	if (cp < 0x80) {
		o[0] = (char)cp;
		r->scratch_length += 1;
	} else if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		r->scratch_length += 2;
	} else if (cp < 0x10000) {
		o[0] = (char)(0xE0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		r->scratch_length += 3;
	} else {
		o[0] = (char)(0xF0 | (cp >> 18));
		o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[3] = (char)(0x80 | (cp & 0x3F));
		r->scratch_length += 4;
	}
}

static long hex4(json_reader *r, size_t at)
{
	long v = 0;
	size_t i;
	if (r->length - at < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		char c = r->data[at + i];
		int d = is_digit((unsigned char)c) ? c - '0'
		      : (c >= 'a' && c <= 'f') ? c - 'a' + 10
		      : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* A \uXXXX escape at r->pos (just after the 'u'), with a surrogate pair
** joined; a lone surrogate becomes U+FFFD. Advances past it. */
static long unicode_escape(json_reader *r)
{
	long cp = hex4(r, r->pos), low;
	if (cp < 0) {
		json_fail(r, r->pos, "invalid \\u escape");
		return -1;
	}
	r->pos += 4;
	if (cp < 0xD800 || cp > 0xDFFF)
		return cp;
	if (cp > 0xDBFF || r->length - r->pos < 6 || r->data[r->pos] != '\\' ||
	    r->data[r->pos + 1] != 'u')
		return 0xFFFD;
	low = hex4(r, r->pos + 2);
	if (low < 0xDC00 || low > 0xDFFF)
		return 0xFFFD;
	r->pos += 6;
	return 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
}

static bool unescape_one(json_reader *r)
{
	char c = r->data[r->pos++];
	const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
	const char *hit = c != '\0' ? strchr(from, c) : NULL;
	long cp;
	if (hit != NULL) {
		r->scratch[r->scratch_length++] = to[hit - from];
		return true;
	}
	if (c != 'u') {
		json_fail(r, r->pos - 2, "invalid escape in string");
		return false;
	}
	cp = unicode_escape(r);
	if (cp < 0)
		return false;
	if (cp == 0) {
		json_fail(r, r->pos - 6, "\\u0000 in a string: reel's text cannot hold "
		          "NUL characters");
		return false;
	}
	scratch_put_utf8(r, (unsigned long)cp);
	return true;
}

/* The UTF-8 sequence at *i (a byte of 0x80 or more) is valid: *i moves to
** its last byte. */
static bool check_sequence(json_reader *r, size_t *i)
{
	char message[REEL_ERROR_MAX / 2];
	size_t rest = r->length - *i, n = read_check_sequence(r->data + *i, rest);
	if (n == 0) {
		read_check_explain(r->data + *i, rest, message, sizeof message);
		json_fail(r, *i, message);
		return false;
	}
	*i += n - 1;
	return true;
}

/* Whether any of the eight bytes at p is one a string's scan stops at: a
** quote, a backslash, a control character or a byte of a UTF-8 sequence
** (each test is the classic one for a byte below a bound, over a word). */
static bool stops_string_scan(const char *p)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	uint64_t w, quote, slash;
	memcpy(&w, p, 8);
	quote = w ^ (ones * '"');
	slash = w ^ (ones * '\\');
	return (((quote - ones) & ~quote) | ((slash - ones) & ~slash) |
	        ((w - ones * 0x20) & ~w) | w) & highs;
}

/* Where the string opening at r->pos ends (its closing quote), and whether
** it holds escapes; fails on a control character or a missing quote. */
static bool find_string_end(json_reader *r, size_t *close, bool *escaped)
{
	size_t i = r->pos + 1;
	*escaped = false;
	for (; i < r->length; i++) {
		unsigned char c;
		while (i + 8 <= r->length && !stops_string_scan(r->data + i))
			i += 8; /* plain ASCII, eight bytes at a time */
		if (i >= r->length)
			break;
		c = (unsigned char)r->data[i];
		if (c == '"') {
			*close = i;
			return true;
		}
		if (c < 0x20) {
			json_fail(r, i, c == 0 ? "a NUL byte: binary data, not a text "
			          "catalogue" : "control character in string");
			return false;
		}
		if (c >= 0x80 && !check_sequence(r, &i))
			return false;
		if (c == '\\') {
			*escaped = true;
			i++;
		}
	}
	json_fail(r, r->pos, "unterminated string");
	return false;
}

/* The string at r->pos (at its opening quote). With `cell` set, its text is
** recorded there: a span of the input when it has no escapes, else the
** unescaped copy in scratch (an escape never makes the text longer). */
static bool read_string(json_reader *r, json_cell *cell)
{
	size_t close, out_start;
	bool escaped;
	if (!find_string_end(r, &close, &escaped))
		return false;
	r->pos++;
	if (!escaped) {
		if (cell != NULL)
			*cell = (json_cell){r->pos, close - r->pos, true, false, false};
		r->pos = close + 1;
		return true;
	}
	if (!scratch_reserve(r, close - r->pos))
		return false;
	out_start = r->scratch_length;
	while (r->pos < close) {
		if (r->data[r->pos] != '\\')
			r->scratch[r->scratch_length++] = r->data[r->pos++];
		else if (r->pos++, !unescape_one(r))
			return false;
	}
	r->pos = close + 1;
	if (cell != NULL)
		*cell = (json_cell){out_start, r->scratch_length - out_start, true, false, true};
	return true;
}
/* }====== */

/* {====== Values ====== */
static bool skip_value(json_reader *r, int depth);

static bool skip_container(json_reader *r, int depth, char close)
{
	bool object = close == '}';
	r->pos++;
	if (depth >= JSON_MAX_DEPTH) {
		json_fail(r, r->pos - 1, "nesting too deep");
		return false;
	}
	if (peek(r) == (unsigned char)close) {
		r->pos++;
		return true;
	}
	for (;;) {
		if (object && peek(r) != '"') {
			json_fail(r, r->pos, "expected a string key");
			return false;
		}
		if (object && (!read_string(r, NULL) ||
		               !expect(r, ':', "expected ':' after key")))
			return false;
		if (!skip_value(r, depth + 1))
			return false;
		if (peek(r) == ',') {
			r->pos++;
			continue;
		}
		return expect(r, close, object ? "expected ',' or '}'" : "expected ',' or ']'");
	}
}

static bool skip_value(json_reader *r, int depth)
{
	switch (peek(r)) {
	case '"': return read_string(r, NULL);
	case '{': return skip_container(r, depth, '}');
	case '[': return skip_container(r, depth, ']');
	case 't': return match_word(r, "true");
	case 'f': return match_word(r, "false");
	case 'n': return match_word(r, "null");
	case -1: json_fail(r, r->pos, "unexpected end of input"); return false;
	default:
		if (r->data[r->pos] == '-' || is_digit((unsigned char)r->data[r->pos]))
			return scan_number(r);
		json_fail(r, r->pos, "unexpected character");
		return false;
	}
}

/* A value read into a cell: strings as their text, null as null, anything
** else (numbers, true/false, nested JSON) as its source text. */
static bool read_value(json_reader *r, json_cell *cell)
{
	size_t start;
	int c = peek(r);
	if (c == '"')
		return read_string(r, cell);
	start = r->pos;
	if (!skip_value(r, 0))
		return false;
	*cell = (json_cell){start, r->pos - start, true, c == 'n', false};
	return true;
}
/* }====== */

/* {====== Keys (the first pass) ====== */
/* The key's column: the one at `hint` (its place in the last object) is
** tried first, as objects mostly repeat their keys in order. */
static long find_key(json_reader *r, const char *key, size_t length, size_t hint)
{
	if (hint < r->key_count && strncmp(r->keys[hint], key, length) == 0 &&
	    r->keys[hint][length] == '\0')
		return (long)hint;
	return name_index_find(&r->key_index, (const char *const *)r->keys, key,
	                       length);
}

static long add_key(json_reader *r, const char *key, size_t length)
{
	if (r->key_count == r->key_capacity) {
		size_t cap = r->key_capacity ? r->key_capacity * 2 : 16;
		char **grown = reel_realloc(r->keys, cap * sizeof *grown);
		unsigned char *shapes = grown != NULL
			? reel_realloc(r->shapes, cap * sizeof *shapes) : NULL;
		if (grown != NULL)
			r->keys = grown;
		if (shapes == NULL) {
			json_fail_memory(r);
			return -1;
		}
		r->shapes = shapes;
		r->key_capacity = cap;
	}
	r->shapes[r->key_count] = 0;
	r->keys[r->key_count] = reel_strndup(key, length);
	if (r->keys[r->key_count] == NULL ||
	    name_index_add(&r->key_index, (const char *const *)r->keys,
	                   r->key_count) != 0) {
		reel_free(r->keys[r->key_count]);
		json_fail_memory(r);
		return -1;
	}
	return (long)r->key_count++;
}

/* The second half's columns joined to the first's (read_json_halves.c). */
bool read_json_join_keys(json_reader *first, const json_reader *second)
{
	size_t k;
	for (k = 0; k < second->key_count; k++) {
		const char *key = second->keys[k];
		long at = find_key(first, key, strlen(key), k);
		if (at < 0 && (at = add_key(first, key, strlen(key))) < 0)
			return false;
		first->shapes[at] |= second->shapes[k];
	}
	return true;
}

static const char *cell_text(const json_reader *r, const json_cell *cell)
{
	return (cell->in_scratch ? r->scratch : r->data) + cell->start;
}
/* }====== */

/* {====== Arrays of scalars: lists ====== */
/* The joiners a string element holds, as SHAPE_JOINERS bits. */
static unsigned joiners_in(const char *text, size_t length)
{
	static const char joiners[] = LIST_JOINERS;
	unsigned bits = 0;
	size_t j;
	for (j = 0; joiners[j] != '\0'; j++)
		if (memchr(text, joiners[j], length) != NULL)
			bits |= (unsigned)SHAPE_JOINERS << j;
	return bits;
}

/* First pass: an array (at r->pos) noted in its column's shape. */
static bool note_array(json_reader *r, size_t col)
{
	size_t scratch = r->scratch_length;
	json_cell element;
	r->pos++;
	r->shapes[col] |= SHAPE_LIST;
	if (peek(r) == ']') {
		r->pos++;
		return true;
	}
	for (;;) {
		int c = peek(r);
		if (c == '[' || c == '{')
			r->shapes[col] |= SHAPE_NESTED;
		if (c == '"') {
			if (!read_string(r, &element))
				return false;
			r->shapes[col] |= (unsigned char)joiners_in(cell_text(r, &element),
			                                            element.length);
			r->scratch_length = scratch;
		} else if (!skip_value(r, 1)) {
			return false;
		}
		if (peek(r) != ',')
			return expect(r, ']', "expected ',' or ']'");
		r->pos++;
	}
}

static bool scratch_append(json_reader *r, const char *text, size_t length)
{
	if (!scratch_reserve(r, length))
		return false;
	memcpy(r->scratch + r->scratch_length, text, length);
	r->scratch_length += length;
	return true;
}

/* One element of a list into scratch, after the joiner when not the
** first; a null element is left out. */
static bool join_element(json_reader *r, char joiner, bool *first)
{
	size_t start;
	json_cell element;
	int c = peek(r);
	if (c == 'n')
		return match_word(r, "null");
	if (!*first && !scratch_append(r, &joiner, 1))
		return false;
	*first = false;
	if (c != '"') {
		start = r->pos;
		return skip_value(r, 1) &&
		       scratch_append(r, r->data + start, r->pos - start);
	}
	if (!read_string(r, &element))
		return false;
	if (element.in_scratch) /* unescaped where it belongs, after the joiner */
		return true;
	return scratch_append(r, r->data + element.start, element.length);
}

/* Second pass: an array of a list column joined into one cell. */
static bool read_list(json_reader *r, size_t col, json_cell *cell)
{
	size_t start = r->scratch_length;
	bool first = true;
	if (!scratch_reserve(r, 1)) /* an empty list's cell points somewhere */
		return false;
	r->pos++;
	if (peek(r) != ']')
		for (;;) {
			if (!join_element(r, r->joiners[col], &first))
				return false;
			if (peek(r) != ',')
				break;
			r->pos++;
		}
	if (!expect(r, ']', "expected ',' or ']'"))
		return false;
	*cell = (json_cell){start, r->scratch_length - start, true, false, true};
	return true;
}

/* Each list column's joiner: the first of LIST_JOINERS its elements lack
** ('\0' for a column that is no list). */
static bool choose_joiners(json_reader *r)
{
	static const char joiners[] = LIST_JOINERS;
	size_t col, j;
	r->joiners = reel_calloc(r->key_count + 1, 1);
	if (r->joiners == NULL) {
		json_fail_memory(r);
		return false;
	}
	for (col = 0; col < r->key_count; col++) {
		if ((r->shapes[col] & (SHAPE_LIST | SHAPE_NESTED)) != SHAPE_LIST)
			continue;
		for (j = 0; joiners[j + 1] != '\0' &&
		            (r->shapes[col] & (SHAPE_JOINERS << j)); j++)
			;
		r->joiners[col] = joiners[j];
	}
	return true;
}

/* The list columns marked in the finished table (one whose every value
** was a number stays a number column). */
static void mark_lists(const json_reader *r, table *t)
{
	size_t col;
	for (col = 0; col < r->key_count && col < t->column_count; col++)
		if (r->joiners[col] != '\0' && t->columns[col].type == COLUMN_STRING) {
			char separator[2] = {r->joiners[col], '\0'};
			list_mark(t, col, separator, NULL);
		}
}
/* }====== */

/* {====== Objects and rows ====== */
/* The field's dotted name in r->path: the `prefix` bytes of the object
** holding it, a dot, its key. Its length, or 0 when memory runs out. */
static size_t field_path(json_reader *r, size_t prefix, const json_cell *key)
{
	size_t length = prefix + (prefix > 0) + key->length;
	if (length + 1 > r->path_capacity) {
		size_t cap = r->path_capacity ? r->path_capacity : 64;
		char *grown;
		while (cap < length + 1)
			cap *= 2;
		grown = reel_realloc(r->path, cap);
		if (grown == NULL) {
			json_fail_memory(r);
			return 0;
		}
		r->path = grown;
		r->path_capacity = cap;
	}
	if (prefix > 0)
		r->path[prefix] = '.';
	memcpy(r->path + length - key->length, cell_text(r, key), key->length);
	r->path[length] = '\0';
	return length > 0 ? length : (size_t)-1; /* "" is a key too */
}

static bool store_field(json_reader *r, size_t length, size_t index)
{
	long at;
	if (length == (size_t)-1)
		length = 0;
	at = find_key(r, r->path, length, index);
	if (at < 0 && r->builder == NULL)
		at = add_key(r, r->path, length);
	if (at < 0)
		return false;
	if (r->builder == NULL)
		return peek(r) == '[' ? note_array(r, (size_t)at) : skip_value(r, 0);
	if (peek(r) == '[' && r->joiners[at] != '\0')
		return read_list(r, (size_t)at, &r->cells[at]);
	return read_value(r, &r->cells[at]);
}

static bool emit_row(json_reader *r)
{
	size_t i;
	for (i = 0; i < r->key_count; i++) {
		const json_cell *c = &r->cells[i];
		int rc = (!c->present || c->is_null)
		       ? table_builder_add_null(r->builder)
		       : table_builder_add(r->builder, cell_text(r, c), c->length);
		if (rc != 0) {
			json_fail_memory(r);
			return false;
		}
	}
	if (table_builder_end_row(r->builder, r->err) != 0) {
		json_fail_memory(r);
		return false;
	}
	if (table_builder_wants_restart(r->builder)) {
		r->restart = true; /* not a failure: json_build reads again */
		return false;
	}
	if (++r->rows_uncounted == 4096) { /* a long load shows how far it got */
		progress_add(r->pos - r->counted, r->rows_uncounted);
		r->counted = r->pos;
		r->rows_uncounted = 0;
	}
	return true;
}

static bool read_members(json_reader *r, size_t prefix, size_t *index,
                         int depth);

/* A field whose value is an object: its members, named under the field's
** path. An empty object gives no column. */
static bool read_inner_object(json_reader *r, size_t path, size_t *index,
                              int depth)
{
	r->pos++;
	if (peek(r) == '}') {
		r->pos++;
		return true;
	}
	return read_members(r, path == (size_t)-1 ? 0 : path, index, depth + 1) &&
	       expect(r, '}', "expected ',' or '}'");
}

/* The members of an object after its '{', up to its '}'; `prefix` bytes of
** r->path name the object (none at the top). *index counts the fields. */
static bool read_members(json_reader *r, size_t prefix, size_t *index,
                         int depth)
{
	json_cell key;
	for (;;) {
		size_t path;
		if (peek(r) != '"') {
			json_fail(r, r->pos, "expected a string key");
			return false;
		}
		if (!read_string(r, &key) || !expect(r, ':', "expected ':' after key") ||
		    (path = field_path(r, prefix, &key)) == 0)
			return false;
		if (peek(r) == '{' && depth < JSON_FLATTEN_DEPTH) {
			if (!read_inner_object(r, path, index, depth))
				return false;
		} else if (!store_field(r, path, (*index)++)) {
			return false;
		}
		if (peek(r) != ',')
			return true;
		r->pos++;
	}
}

/* One object: in the first pass its keys are collected, in the second its
** values become a row. */
static bool read_object(json_reader *r)
{
	size_t index = 0;
	if (r->pos - r->checked_at >= ((size_t)1 << 20)) {
		r->checked_at = r->pos;
		if (stop_check(r->err) != 0) {
			r->failed = true;
			return false;
		}
	}
	if (peek(r) != '{') {
		json_fail(r, r->pos, "expected an object");
		return false;
	}
	r->pos++;
	r->scratch_length = 0;
	if (r->builder != NULL)
		memset(r->cells, 0, r->key_count * sizeof *r->cells);
	if (peek(r) != '}' && !read_members(r, 0, &index, 0))
		return false;
	if (!expect(r, '}', "expected ',' or '}'"))
		return false;
	r->objects++;
	return r->builder == NULL || emit_row(r);
}

static bool read_array_of_objects(json_reader *r)
{
	r->pos++;
	if (peek(r) == ']') {
		r->pos++;
		return true;
	}
	for (;;) {
		if (!read_object(r))
			return false;
		if (peek(r) != ',')
			return expect(r, ']', "expected ',' or ']'");
		r->pos++;
	}
}

static bool read_object_lines(json_reader *r)
{
	while (peek(r) == '{')
		if (!read_object(r))
			return false;
	return true;
}

/* An array's objects from r->pos: the first half's up to a comma and the
** end of its text, the second's up to the closing bracket. */
static bool read_array_half(json_reader *r, bool first)
{
	if (first && !expect(r, '[', "expected '['"))
		return false;
	for (;;) {
		if (!read_object(r))
			return false;
		if (peek(r) != ',')
			return !first && expect(r, ']', "expected ',' or ']'");
		r->pos++;
		if (first && peek(r) == -1)
			return true;
	}
}

/* The objects of [from, r->length), and nothing else: a half's
** (read_json_halves.c). */
bool read_json_objects(json_reader *r, size_t from, bool in_array, bool first)
{
	bool read;
	r->pos = r->checked_at = r->counted = from;
	r->rows_uncounted = 0;
	read = in_array ? read_array_half(r, first) : read_object_lines(r);
	return read && peek(r) == -1;
}

/* One pass over the whole text. */
static bool read_document(json_reader *r)
{
	bool ok;
	r->pos = r->checked_at = 0;
	if (read_check_bom(r->data, r->length))
		r->pos = 3;
	if (r->pos == 3 && read_check_bom(r->data + 3, r->length - 3)) {
		json_fail(r, 3, "a second byte-order mark");
		return false;
	}
	if (peek(r) == '[')
		ok = read_array_of_objects(r);
	else if (peek(r) == '{')
		ok = read_object_lines(r);
	else {
		json_fail(r, r->pos, "expected '[' or '{' to begin the catalogue");
		return false;
	}
	if (ok && peek(r) != -1) {
		json_fail(r, r->pos, "unexpected text after the catalogue");
		return false;
	}
	return ok;
}
/* }====== */

/* The second pass's builder, once the first has learnt the columns. */
bool read_json_start_rows(json_reader *r)
{
	if (r->key_count == 0) {
		json_fail(r, 0, "no objects with keys, so no columns");
		return false;
	}
	if (!choose_joiners(r))
		return false;
	r->builder = table_builder_new(r->key_count, (const char *const *)r->keys);
	r->cells = reel_calloc(r->key_count, sizeof *r->cells);
	if (r->builder == NULL || r->cells == NULL) {
		json_fail_memory(r);
		return false;
	}
	table_builder_set_nulls(r->builder, read_null_markers());
	/* numbers go straight into their columns' slots, as the CSV reader's
	** do; a column that meets text turns to text and the rows are read
	** again, which the builder bounds to a few times */
	table_builder_expect_numbers(r->builder);
	return true;
}

table *read_json_finish_rows(json_reader *r)
{
	table_builder *b = r->builder;
	size_t col, row;
	bool oversized = table_builder_oversized(b, &col, &row);
	table *t;
	r->builder = NULL; /* finish consumes it */
	t = table_builder_finish(b, r->err);
	if (t == NULL)
		json_fail_memory(r);
	else if (oversized)
		read_warn_oversized(r->name, r->keys[col], row);
	if (t != NULL)
		mark_lists(r, t);
	return t;
}

static table *json_build(json_reader *r)
{
	if (!read_json_start_rows(r))
		return NULL;
	while (!read_document(r)) {
		if (!r->restart)
			return NULL;
		r->restart = false;
		table_builder_restart(r->builder);
	}
	return read_json_finish_rows(r);
}

void read_json_start(json_reader *r, const char *data, size_t length,
                     const char *name, reel_error *err)
{
	memset(r, 0, sizeof *r);
	r->data = data;
	r->length = length;
	r->name = name;
	r->err = err;
}

/* Frees what the reader holds; the columns' names and index too, unless
** `keys_too` is false (a half that borrowed them). */
void read_json_close(json_reader *r, bool keys_too)
{
	size_t i;
	if (r->builder != NULL)
		table_builder_free(r->builder);
	if (keys_too) {
		for (i = 0; i < r->key_count; i++)
			reel_free(r->keys[i]);
		reel_free(r->keys);
		reel_free(r->shapes);
		reel_free(r->joiners);
		name_index_free(&r->key_index);
	}
	reel_free(r->path);
	reel_free(r->cells);
	reel_free(r->scratch);
}

table *read_json(const char *data, size_t length, const char *name, reel_error *err)
{
	json_reader r;
	table *t = NULL;
	if (read_json_in_halves(data, length, name, err, &t) == 0)
		return t;
	read_json_start(&r, data, length, name, err);
	if (read_document(&r))
		t = json_build(&r);
	read_json_close(&r, true);
	return t;
}
