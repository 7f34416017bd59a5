/*
** query.c: selections of a table's rows and the native work done on them
** (see query.h): where, sort, sample, shuffle, group, aggregates, search.
** Relies on table.h for the columns, memory.h for every allocation and
** utf8proc for the case folding behind contains and search. Pure C.
*/
#include "query.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <utf8proc.h>

#include "memory.h"

#define SIGN_BIT ((uint64_t)1 << 63)
/* 2^63 as a double: the first value past INT64_MAX. */
#define TWO_TO_63 9223372036854775808.0

/* Fill err (when given) and return -1. */
static int fail(char *err, const char *fmt, ...)
{
	va_list ap;
	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err, REEL_ERROR_MAX, fmt, ap);
	va_end(ap);
	return -1;
}

static bool cell_is_null(const column *col, row_id row)
{
	return col->nulls != NULL && ((col->nulls[row >> 6] >> (row & 63)) & 1);
}

static const char *column_holds(column_type type)
{
	switch (type) {
	case COLUMN_INTEGER: return "integers";
	case COLUMN_NUMBER: return "numbers";
	case COLUMN_BOOLEAN: return "booleans";
	default: return "strings";
	}
}

static const char *value_plural(value_kind kind)
{
	switch (kind) {
	case VALUE_INTEGER: return "integers";
	case VALUE_NUMBER: return "numbers";
	case VALUE_BOOLEAN: return "booleans";
	case VALUE_STRING: return "strings";
	default: return "nulls";
	}
}

/* {====== Selections ====== */

/* The row at place i of `in`: read straight when `in` is every row. */
#define ROW_AT(in, i) ((in)->every_row ? (row_id)(i) : (in)->rows[i])

/* Runs `body` for each row `r` of `in`, with `x` the integer of column
** `col` (an integer column) there. The loop is written out once for each
** of the column's widths and for a whole table in order, so that neither
** is asked row by row in the passes that group and aggregate. */
#define FOR_EACH_INTEGER(col, in, r, x, body) \
	do { \
		size_t i_; \
		if ((col)->narrow != NULL && (in)->every_row) { \
			for (i_ = 0; i_ < (in)->count; i_++) { \
				row_id r = (row_id)i_; int64_t x = (col)->narrow[i_]; body \
			} \
		} else if ((col)->narrow != NULL) { \
			for (i_ = 0; i_ < (in)->count; i_++) { \
				row_id r = (in)->rows[i_]; int64_t x = (col)->narrow[r]; body \
			} \
		} else { \
			for (i_ = 0; i_ < (in)->count; i_++) { \
				row_id r = ROW_AT(in, i_); int64_t x = (col)->integers[r]; body \
			} \
		} \
	} while (0)

selection *selection_new(size_t capacity)
{
	selection *s;
	if (capacity > SIZE_MAX / sizeof(row_id))
		return NULL;
	s = reel_malloc(sizeof *s);
	if (s == NULL)
		return NULL;
	s->count = 0;
	s->capacity = capacity;
	s->rows = NULL;
	s->every_row = false;
	if (capacity > 0) {
		s->rows = reel_malloc(capacity * sizeof(row_id));
		if (s->rows == NULL) {
			reel_free(s);
			return NULL;
		}
	}
	return s;
}

selection *selection_all(const table *t)
{
	selection *s = selection_new(t->row_count);
	size_t i;
	if (s == NULL)
		return NULL;
	for (i = 0; i < t->row_count; i++)
		s->rows[i] = (row_id)i;
	s->count = t->row_count;
	s->every_row = true;
	return s;
}

/* A new selection holding rows[0 .. count-1]. */
static selection *selection_from(const row_id *rows, size_t count)
{
	selection *s = selection_new(count);
	if (s == NULL)
		return NULL;
	if (count > 0)
		memcpy(s->rows, rows, count * sizeof(row_id));
	s->count = count;
	return s;
}

selection *selection_copy(const selection *s)
{
	return selection_from(s->rows, s->count);
}

int selection_push(selection *s, row_id row)
{
	if (s->count == s->capacity) {
		size_t grown = s->capacity < 8 ? 8 : s->capacity * 2;
		row_id *rows;
		if (grown > SIZE_MAX / sizeof(row_id))
			return -1;
		rows = reel_realloc(s->rows, grown * sizeof(row_id));
		if (rows == NULL)
			return -1;
		s->rows = rows;
		s->capacity = grown;
	}
	s->rows[s->count++] = row;
	return 0;
}

void selection_free(selection *s)
{
	if (s == NULL)
		return;
	reel_free(s->rows);
	reel_free(s);
}

selection *query_slice(const selection *s, size_t offset, size_t limit)
{
	size_t count = 0;
	if (offset < s->count)
		count = s->count - offset < limit ? s->count - offset : limit;
	return selection_from(count > 0 ? s->rows + offset : s->rows, count);
}

/* Give back the unused tail of a selection that a filter shrank a lot. A
** failed shrink leaves the (larger) block in place, which is fine. */
static void selection_trim(selection *s)
{
	row_id *rows;
	if (s->count >= s->capacity / 2)
		return;
	if (s->count == 0) {
		reel_free(s->rows);
		s->rows = NULL;
		s->capacity = 0;
		return;
	}
	rows = reel_realloc(s->rows, s->count * sizeof(row_id));
	if (rows != NULL) {
		s->rows = rows;
		s->capacity = s->count;
	}
}
/* }====== */

/* {====== Values ====== */

/* Kinds in value order: numbers, then booleans, strings, null. */
static int kind_rank(value_kind kind)
{
	switch (kind) {
	case VALUE_INTEGER: case VALUE_NUMBER: return 0;
	case VALUE_BOOLEAN: return 1;
	case VALUE_STRING: return 2;
	default: return 3;
	}
}

static int order_of(bool less, bool greater)
{
	return less ? -1 : greater ? 1 : 0;
}

/* Bytewise, a prefix before the longer string. */
static int string_order(const char *a, size_t a_length, const char *b,
                        size_t b_length)
{
	int c = memcmp(a, b, a_length < b_length ? a_length : b_length);
	if (c != 0)
		return c < 0 ? -1 : 1;
	return order_of(a_length < b_length, a_length > b_length);
}

/* NaN goes after every number and equals NaN, so sorts and groups have a
** total order to work with. */
static int number_order(double a, double b)
{
	if (isnan(a) || isnan(b))
		return order_of(!isnan(a), !isnan(b));
	return order_of(a < b, a > b);
}

/* An integer against a double without rounding the integer: compare with
** the double's whole part (which fits int64 once in range), then its
** fraction. */
static int integer_number_order(int64_t i, double d)
{
	double whole;
	int64_t w;
	if (isnan(d) || d >= TWO_TO_63)
		return -1;
	if (d < -TWO_TO_63)
		return 1;
	whole = trunc(d);
	w = (int64_t)whole;
	if (i != w)
		return order_of(i < w, i > w);
	return order_of(d > whole, d < whole);
}

static int numeric_order(const value *a, const value *b)
{
	if (a->kind == VALUE_INTEGER && b->kind == VALUE_INTEGER)
		return order_of(a->as.integer < b->as.integer,
		                a->as.integer > b->as.integer);
	if (a->kind == VALUE_INTEGER)
		return integer_number_order(a->as.integer, b->as.number);
	if (b->kind == VALUE_INTEGER)
		return -integer_number_order(b->as.integer, a->as.number);
	return number_order(a->as.number, b->as.number);
}

int value_compare(const value *a, const value *b)
{
	int ra = kind_rank(a->kind), rb = kind_rank(b->kind);
	if (ra != rb)
		return ra < rb ? -1 : 1;
	switch (ra) {
	case 0: return numeric_order(a, b);
	case 1: return order_of(!a->as.boolean && b->as.boolean,
	                        a->as.boolean && !b->as.boolean);
	case 2: return string_order(a->as.string.text, a->as.string.length,
	                            b->as.string.text, b->as.string.length);
	default: return 0;
	}
}
/* }====== */

/* {====== Case folding ====== */

/* The folding of utf8proc_map(..., CASEFOLD | COMPOSE | STABLE), done into a
** work buffer of our own so that scanning a column allocates once. */
#define FOLD_OPTIONS (UTF8PROC_CASEFOLD | UTF8PROC_COMPOSE | UTF8PROC_STABLE)

typedef struct text_finder {
	char *needle;               /* the folded text looked for */
	size_t needle_length;
	bool needle_ascii;
	utf8proc_int32_t *buffer;   /* folding work space, reused cell by cell */
	size_t buffer_size;         /* in code points */
} text_finder;

/* A word at a time: this test runs on every cell contains looks at. */
static bool is_ascii(const char *text, size_t length)
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

static unsigned char ascii_lower(unsigned char c)
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
		out[i] = ascii_lower((unsigned char)text[i]);
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
static bool fold_simple(const char *text, size_t length, unsigned char *out)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0;
	while (i < length) {
		unsigned char c = s[i];
		if (c < 0x80) {
			out[i++] = ascii_lower(c);
		} else if ((c == 0xC2 || c == 0xC3) && i + 1 < length &&
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
	if (fold_simple(text, length, (unsigned char *)f->buffer)) {
		*folded = (const char *)f->buffer;
		*folded_length = length;
		return 0;
	}
	for (;;) {
		points = utf8proc_decompose(bytes, (utf8proc_ssize_t)length,
		                            f->buffer, (utf8proc_ssize_t)f->buffer_size,
		                            FOLD_OPTIONS);
		if (points < 0 || (size_t)points < f->buffer_size)
			break;  /* bad UTF-8, or folded */
		if (finder_reserve(f, (size_t)points) != 0)
			return -1;
	}
	if (points >= 0)
		points = utf8proc_reencode(f->buffer, points, FOLD_OPTIONS);
	if (points < 0) {
		fold_bytes(f, text, length, folded, folded_length);
		return 0;
	}
	*folded = (const char *)f->buffer;
	*folded_length = (size_t)points;
	return 0;
}

static int finder_open(text_finder *f, const char *text, size_t length)
{
	const char *folded;
	size_t folded_length;
	memset(f, 0, sizeof *f);
	if (fold_text(f, text, length, &folded, &folded_length) != 0 ||
	    (f->needle = reel_strndup(folded, folded_length)) == NULL) {
		reel_free(f->buffer);
		return -1;
	}
	f->needle_length = folded_length;
	f->needle_ascii = is_ascii(f->needle, folded_length);
	return 0;
}

static void finder_close(text_finder *f)
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
		for (j = 1; j < needle_length && ascii_lower(h[i + j]) == n[j]; j++)
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

/* 1 when `text` holds the needle (after folding), 0 when not, -1 when out
** of memory. ASCII text needs no utf8proc: its folding is lower case. */
static int finder_match(text_finder *f, const char *text, size_t length)
{
	const char *folded;
	size_t folded_length;
	if (f->needle_length == 0)
		return 1;
	if (is_ascii(text, length))
		return f->needle_ascii &&
		       find_ascii(text, length, f->needle, f->needle_length);
	if (fold_text(f, text, length, &folded, &folded_length) != 0)
		return -1;
	return find_bytes(folded, folded_length, f->needle, f->needle_length);
}
/* }====== */

/* {====== Predicate checks ====== */

static const char *const op_names[] = {
	"eq", "ne", "lt", "le", "gt", "ge", "between", "in", "contains", "null"
};
#define OP_COUNT (sizeof op_names / sizeof op_names[0])

const char *predicate_op_name(predicate_op op)
{
	return (size_t)op < OP_COUNT ? op_names[op] : "?";
}

int predicate_op_from_name(const char *name)
{
	size_t i;
	for (i = 0; i < OP_COUNT; i++)
		if (strcmp(op_names[i], name) == 0)
			return (int)i;
	return -1;
}

static bool is_ordering(predicate_op op)
{
	return op == OP_LT || op == OP_LE || op == OP_GT || op == OP_GE ||
	       op == OP_BETWEEN;
}

static bool value_fits(column_type type, value_kind kind)
{
	switch (type) {
	case COLUMN_INTEGER: case COLUMN_NUMBER:
		return kind == VALUE_INTEGER || kind == VALUE_NUMBER;
	case COLUMN_BOOLEAN: return kind == VALUE_BOOLEAN;
	default: return kind == VALUE_STRING;
	}
}

/* An operand of `op` against column `col`: present and of its kind. */
static int check_operand(const column *col, predicate_op op, const value *v,
                         char *err)
{
	if (v->kind == VALUE_NULL)
		return fail(err, "where: %s on column '%.200s' needs a value, not null",
		            predicate_op_name(op), col->name);
	if (!value_fits(col->type, v->kind))
		return fail(err, "where: column '%.200s' holds %s, not %s", col->name,
		            column_holds(col->type), value_plural(v->kind));
	return 0;
}

static int check_set(const column *col, const predicate *p, char *err)
{
	size_t i;
	if (p->set == NULL && p->set_count > 0)
		return fail(err, "where: in on column '%.200s' has no set", col->name);
	for (i = 0; i < p->set_count; i++)
		if (p->set[i].kind != VALUE_NULL &&
		    check_operand(col, OP_IN, &p->set[i], err) != 0)
			return -1;
	return 0;
}

static int check_contains(const column *col, const predicate *p, char *err)
{
	if (col->type != COLUMN_STRING)
		return fail(err, "where: contains needs a string column, and '%.200s' "
		            "holds %s", col->name, column_holds(col->type));
	return check_operand(col, OP_CONTAINS, &p->operand, err);
}

/* Whether the predicate fits its column, before any row is looked at. */
static int check_predicate(const table *t, const predicate *p, char *err)
{
	const column *col;
	if (p->column >= t->column_count)
		return fail(err, "where: no column number %zu", p->column + 1);
	col = &t->columns[p->column];
	if ((size_t)p->op >= OP_COUNT)
		return fail(err, "where: unknown operator on column '%.200s'",
		            col->name);
	if (p->op == OP_NULL)
		return p->operand.kind == VALUE_BOOLEAN ? 0 :
		       fail(err, "where: null on column '%.200s' takes true or false",
		            col->name);
	if (p->op == OP_CONTAINS)
		return check_contains(col, p, err);
	if (is_ordering(p->op) && col->type == COLUMN_BOOLEAN)
		return fail(err, "where: %s does not apply to column '%.200s', which "
		            "holds booleans", predicate_op_name(p->op), col->name);
	if (p->op == OP_IN)
		return check_set(col, p, err);
	if (check_operand(col, p->op, &p->operand, err) != 0)
		return -1;
	return p->op == OP_BETWEEN ? check_operand(col, p->op, &p->upper, err) : 0;
}

/* eq null asks for the nulls, ne null for the rest. */
static predicate normalise_predicate(const predicate *p)
{
	predicate q = *p;
	if ((p->op == OP_EQ || p->op == OP_NE) && p->operand.kind == VALUE_NULL) {
		q.op = OP_NULL;
		q.operand.kind = VALUE_BOOLEAN;
		q.operand.as.boolean = p->op == OP_EQ;
	}
	return q;
}
/* }====== */

/* {====== Integer ranges ====== */

/* Every comparison of an integer column with a number becomes a range
** [lo, hi] of integers; these find its ends. Each returns false when no
** integer qualifies. A double bound is rounded inwards, so x < 109.5 is
** x <= 109 and x == 109.5 is an empty range. */
static bool least_at_least(const value *v, int64_t *out)
{
	double d = v->as.number;
	if (v->kind == VALUE_INTEGER) {
		*out = v->as.integer;
		return true;
	}
	if (isnan(d) || d >= TWO_TO_63)
		return false;
	*out = d <= -TWO_TO_63 ? INT64_MIN : (int64_t)ceil(d);
	return true;
}

static bool least_above(const value *v, int64_t *out)
{
	double d = v->as.number;
	if (v->kind == VALUE_INTEGER) {
		*out = v->as.integer == INT64_MAX ? 0 : v->as.integer + 1;
		return v->as.integer != INT64_MAX;
	}
	if (isnan(d) || d >= TWO_TO_63)
		return false;
	*out = d < -TWO_TO_63 ? INT64_MIN : (int64_t)floor(d) + 1;
	return true;
}

static bool greatest_at_most(const value *v, int64_t *out)
{
	double d = v->as.number;
	if (v->kind == VALUE_INTEGER) {
		*out = v->as.integer;
		return true;
	}
	if (isnan(d) || d < -TWO_TO_63)
		return false;
	*out = d >= TWO_TO_63 ? INT64_MAX : (int64_t)floor(d);
	return true;
}

static bool greatest_below(const value *v, int64_t *out)
{
	double d = v->as.number;
	if (v->kind == VALUE_INTEGER) {
		*out = v->as.integer == INT64_MIN ? 0 : v->as.integer - 1;
		return v->as.integer != INT64_MIN;
	}
	if (isnan(d) || d <= -TWO_TO_63)
		return false;
	*out = d >= TWO_TO_63 ? INT64_MAX : (int64_t)ceil(d) - 1;
	return true;
}

/* The range a comparison keeps (ne: the range of eq, kept outside). */
static bool integer_range(const predicate *p, int64_t *lo, int64_t *hi)
{
	bool found = true;
	*lo = INT64_MIN;
	*hi = INT64_MAX;
	switch (p->op) {
	case OP_EQ: case OP_NE:
		found = least_at_least(&p->operand, lo) &&
		        greatest_at_most(&p->operand, hi);
		break;
	case OP_LT: found = greatest_below(&p->operand, hi); break;
	case OP_LE: found = greatest_at_most(&p->operand, hi); break;
	case OP_GT: found = least_above(&p->operand, lo); break;
	case OP_GE: found = least_at_least(&p->operand, lo); break;
	case OP_BETWEEN:
		found = least_at_least(&p->operand, lo) &&
		        greatest_at_most(&p->upper, hi);
		break;
	default: found = false; break;
	}
	return found && *lo <= *hi;
}
/* }====== */

/* {====== Number columns ====== */

/* An operand as a double, when that loses nothing. */
static bool exact_double(const value *v, double *out)
{
	if (v->kind == VALUE_NUMBER) {
		*out = v->as.number;
		return true;
	}
	*out = (double)v->as.integer;
	return *out < TWO_TO_63 && (int64_t)*out == v->as.integer;
}

static bool is_nan_value(const value *v)
{
	return v->kind == VALUE_NUMBER && isnan(v->as.number);
}

/* Whether a number satisfies a comparison, by value_compare; NaN satisfies
** only ne, as in IEEE arithmetic. */
static bool number_satisfies(double x, const predicate *p)
{
	value cell;
	int lower, upper;
	if (isnan(x) || is_nan_value(&p->operand) ||
	    (p->op == OP_BETWEEN && is_nan_value(&p->upper)))
		return p->op == OP_NE;
	cell.kind = VALUE_NUMBER;
	cell.as.number = x;
	lower = value_compare(&cell, &p->operand);
	switch (p->op) {
	case OP_EQ: return lower == 0;
	case OP_NE: return lower != 0;
	case OP_LT: return lower < 0;
	case OP_LE: return lower <= 0;
	case OP_GT: return lower > 0;
	case OP_GE: return lower >= 0;
	default:
		upper = value_compare(&cell, &p->upper);
		return lower >= 0 && upper <= 0;
	}
}
/* }====== */

/* {====== Sets (in) ====== */

/* The members of an in-set that can match the column, sorted for binary
** search: integers, numbers or strings by the column's type. */
typedef struct member_set {
	void *items;       /* the one block behind the typed pointer in use */
	int64_t *integers;
	double *numbers;
	const value **strings;
	size_t count;
	bool has_null, has_false, has_true;
} member_set;

static int compare_members(void *context, row_id a, row_id b)
{
	const value *set = context;
	return value_compare(&set[a], &set[b]);
}

/* Positions 0 .. count-1 of `set` in value order; NULL when out of memory. */
static row_id *sorted_positions(const value *set, size_t count)
{
	row_id *spare, *order = reel_malloc((count + 1) * sizeof *order);
	selection view;
	size_t i;
	if (order == NULL)
		return NULL;
	spare = reel_malloc((count + 1) * sizeof *spare);
	if (spare == NULL) {
		reel_free(order);
		return NULL;
	}
	for (i = 0; i < count; i++)
		order[i] = (row_id)i;
	view.rows = order;
	view.count = view.capacity = count;
	view.every_row = false;
	selection_sort_with(&view, spare, compare_members, (void *)set);
	reel_free(spare);
	return order;
}

/* A number as an int64 when it is a whole one in range. */
static bool whole_value(const value *v, int64_t *out)
{
	int64_t below;
	return least_at_least(v, out) && greatest_at_most(v, &below) && below == *out;
}

/* Add set member v to the typed array of m (already sized). */
static void member_add(member_set *m, column_type type, const value *v)
{
	int64_t whole;
	double d;
	if (v->kind == VALUE_NULL) {
		m->has_null = true;
	} else if (type == COLUMN_INTEGER) {
		if (whole_value(v, &whole))
			m->integers[m->count++] = whole;
	} else if (type == COLUMN_NUMBER) {
		if (exact_double(v, &d) && !isnan(d))
			m->numbers[m->count++] = d;
	} else if (type == COLUMN_BOOLEAN) {
		*(v->as.boolean ? &m->has_true : &m->has_false) = true;
	} else {
		m->strings[m->count++] = v;
	}
}

static int member_set_open(member_set *m, column_type type, const value *set,
                           size_t count)
{
	size_t size = type == COLUMN_INTEGER ? sizeof(int64_t) :
	              type == COLUMN_NUMBER ? sizeof(double) : sizeof(value *);
	void *items = reel_malloc((count + 1) * size);
	row_id *order;
	size_t i;
	memset(m, 0, sizeof *m);
	if (items == NULL || (order = sorted_positions(set, count)) == NULL) {
		reel_free(items);
		return -1;
	}
	m->items = items;
	m->integers = items;
	m->numbers = items;
	m->strings = items;
	for (i = 0; i < count; i++)
		member_add(m, type, &set[order[i]]);
	reel_free(order);
	return 0;
}

static void member_set_close(member_set *m)
{
	reel_free(m->items);
}

static bool has_integer(const member_set *m, int64_t x)
{
	size_t lo = 0, hi = m->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->integers[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->count && m->integers[lo] == x;
}

static bool has_number(const member_set *m, double x)
{
	size_t lo = 0, hi = m->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->numbers[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->count && m->numbers[lo] == x;
}

static bool has_string(const member_set *m, const char *text, size_t length)
{
	size_t lo = 0, hi = m->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const value *v = m->strings[mid];
		if (string_order(v->as.string.text, v->as.string.length,
		                 text, length) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->count &&
	       string_order(m->strings[lo]->as.string.text,
	                    m->strings[lo]->as.string.length, text, length) == 0;
}

static bool cell_in_set(const table *t, const column *col, const member_set *m,
                        row_id r)
{
	if (cell_is_null(col, r))
		return m->has_null;
	switch (col->type) {
	case COLUMN_INTEGER: return has_integer(m, column_integer(col, r));
	case COLUMN_NUMBER: return has_number(m, col->numbers[r]);
	case COLUMN_BOOLEAN: return col->booleans[r] ? m->has_true : m->has_false;
	default:
		return has_string(m, column_text(t, col, r), column_text_length(col, r));
	}
}
/* }====== */

/* {====== Filter loops ====== */

/* The filters read rows from src and write the kept ones to dst, which may
** be src itself: a row is read before its place can be overwritten. Each
** stores every row and advances only past the kept, so the loops have no
** branches. A numeric or boolean loop reads null cells too (the arrays hold
** every row) and masks them out with the null bit, whatever they hold. */
#define NULL_BIT(r) ((nulls[(r) >> 6] >> ((r) & 63)) & 1)
#define FILTER_LOOP(keep) \
	for (i = 0; i < n; i++) { \
		row_id r = src[i]; \
		dst[k] = r; \
		k += (size_t)(keep); \
	}
/* `cond` is 0 or 1; null cells never pass. */
#define KEEP_WHERE(cond) \
	do { \
		if (nulls == NULL) { \
			FILTER_LOOP(cond) \
		} else { \
			FILTER_LOOP((cond) & (NULL_BIT(r) ^ 1)) \
		} \
	} while (0)

static size_t copy_rows(const row_id *src, size_t n, row_id *dst)
{
	if (src != dst && n > 0)
		memmove(dst, src, n * sizeof *dst);
	return n;
}

/* The rows whose cell is null (want_null) or not. */
static size_t keep_nulls(const column *col, const row_id *src, size_t n,
                         row_id *dst, bool want_null)
{
	const uint64_t *nulls = col->nulls;
	uint64_t want = want_null ? 1 : 0;
	size_t i, k = 0;
	if (nulls == NULL)
		return want_null ? 0 : copy_rows(src, n, dst);
	FILTER_LOOP(NULL_BIT(r) == want);
	return k;
}

/* Integers inside [lo, hi] (or outside): one unsigned comparison a row. */
static size_t keep_integer_range(const column *col, const row_id *src, size_t n,
                                 row_id *dst, int64_t lo, int64_t hi, bool inside)
{
	const uint64_t *nulls = col->nulls;
	const int32_t *narrow = col->narrow;
	const int64_t *wide = col->integers;
	uint64_t base = (uint64_t)lo, span = (uint64_t)hi - (uint64_t)lo;
	size_t i, k = 0;
	if (narrow != NULL && inside) /* each width its own loop */
		KEEP_WHERE((uint64_t)(int64_t)narrow[r] - base <= span);
	else if (narrow != NULL)
		KEEP_WHERE((uint64_t)(int64_t)narrow[r] - base > span);
	else if (inside)
		KEEP_WHERE((uint64_t)wide[r] - base <= span);
	else
		KEEP_WHERE((uint64_t)wide[r] - base > span);
	return k;
}

static size_t filter_integers(const column *col, const predicate *p,
                              const row_id *src, size_t n, row_id *dst)
{
	int64_t lo, hi;
	bool any = integer_range(p, &lo, &hi);
	if (p->op == OP_NE && !any)
		return keep_nulls(col, src, n, dst, false);
	if (!any)
		return 0;
	return keep_integer_range(col, src, n, dst, lo, hi, p->op != OP_NE);
}

static size_t keep_numbers(const column *col, const row_id *src, size_t n,
                           row_id *dst, predicate_op op, double x, double y)
{
	const double *v = col->numbers;
	const uint64_t *nulls = col->nulls;
	size_t i, k = 0;
	switch (op) {
	case OP_EQ: KEEP_WHERE(v[r] == x); break;
	case OP_NE: KEEP_WHERE(v[r] != x); break;
	case OP_LT: KEEP_WHERE(v[r] < x); break;
	case OP_LE: KEEP_WHERE(v[r] <= x); break;
	case OP_GT: KEEP_WHERE(v[r] > x); break;
	case OP_GE: KEEP_WHERE(v[r] >= x); break;
	default: KEEP_WHERE((v[r] >= x) & (v[r] <= y)); break;
	}
	return k;
}

static size_t filter_numbers(const column *col, const predicate *p,
                             const row_id *src, size_t n, row_id *dst)
{
	const double *v = col->numbers;
	const uint64_t *nulls = col->nulls;
	double x, y = 0;
	size_t i, k = 0;
	bool exact = exact_double(&p->operand, &x);
	if (p->op == OP_BETWEEN)
		exact = exact_double(&p->upper, &y) && exact;
	if (exact)
		return keep_numbers(col, src, n, dst, p->op, x, y);
	/* An integer operand past 2^53: compare exactly, row by row. */
	KEEP_WHERE(number_satisfies(v[r], p));
	return k;
}

static size_t keep_booleans(const column *col, const row_id *src, size_t n,
                            row_id *dst, bool want)
{
	const uint8_t *v = col->booleans;
	const uint64_t *nulls = col->nulls;
	size_t i, k = 0;
	uint8_t w = want ? 1 : 0;
	KEEP_WHERE(v[r] == w);
	return k;
}

/* Strings are read only where the cell is not null. */
#define KEEP_TEXT_WHERE(cond) FILTER_LOOP(!cell_is_null(col, r) && (cond))
#define CELL_TEXT(r) column_text(t, col, r)
#define CELL_LENGTH(r) column_text_length(col, r)
#define CELL_ORDER(r, v) \
	string_order(CELL_TEXT(r), CELL_LENGTH(r), (v)->as.string.text, \
	             (v)->as.string.length)
#define CELL_IS(r, v) \
	(CELL_LENGTH(r) == (v)->as.string.length && \
	 memcmp(CELL_TEXT(r), (v)->as.string.text, CELL_LENGTH(r)) == 0)

static size_t keep_strings(const table *t, const column *col, const predicate *p,
                           const row_id *src, size_t n, row_id *dst)
{
	const value *x = &p->operand, *y = &p->upper;
	size_t i, k = 0;
	switch (p->op) {
	case OP_EQ: KEEP_TEXT_WHERE(CELL_IS(r, x)); break;
	case OP_NE: KEEP_TEXT_WHERE(!CELL_IS(r, x)); break;
	case OP_LT: KEEP_TEXT_WHERE(CELL_ORDER(r, x) < 0); break;
	case OP_LE: KEEP_TEXT_WHERE(CELL_ORDER(r, x) <= 0); break;
	case OP_GT: KEEP_TEXT_WHERE(CELL_ORDER(r, x) > 0); break;
	case OP_GE: KEEP_TEXT_WHERE(CELL_ORDER(r, x) >= 0); break;
	default:
		KEEP_TEXT_WHERE(CELL_ORDER(r, x) >= 0 && CELL_ORDER(r, y) <= 0);
		break;
	}
	return k;
}

/* contains: (size_t)-1 when out of memory. */
static size_t keep_containing(const table *t, const column *col,
                              text_finder *f, const row_id *src, size_t n,
                              row_id *dst)
{
	size_t i, k = 0;
	for (i = 0; i < n; i++) {
		row_id r = src[i];
		int found = 0;
		if (!cell_is_null(col, r))
			found = finder_match(f, CELL_TEXT(r), CELL_LENGTH(r));
		if (found < 0)
			return (size_t)-1;
		dst[k] = r;
		k += (size_t)found;
	}
	return k;
}

static size_t keep_members(const table *t, const column *col,
                           const member_set *m, const row_id *src, size_t n,
                           row_id *dst)
{
	size_t i, k = 0;
	FILTER_LOOP(cell_in_set(t, col, m, r));
	return k;
}
/* }====== */

/* {====== Where ====== */

/* A predicate ready to run: checked, eq/ne null turned into null, and what
** it needs built once for all the rows. */
typedef struct prepared_predicate {
	predicate p;
	const column *col;
	member_set members;   /* in */
	text_finder finder;   /* contains */
} prepared_predicate;

static int prepare_predicate(const table *t, const predicate *given,
                             prepared_predicate *pp, char *err)
{
	const value *text = &pp->p.operand;
	pp->p = normalise_predicate(given);
	if (check_predicate(t, &pp->p, err) != 0)
		return -1;
	pp->col = &t->columns[pp->p.column];
	if (pp->p.op == OP_IN && member_set_open(&pp->members, pp->col->type,
	                                         pp->p.set, pp->p.set_count) != 0)
		return fail(err, "out of memory");
	if (pp->p.op == OP_CONTAINS &&
	    finder_open(&pp->finder, text->as.string.text, text->as.string.length) != 0)
		return fail(err, "out of memory");
	return 0;
}

static void release_predicate(prepared_predicate *pp)
{
	if (pp->p.op == OP_IN)
		member_set_close(&pp->members);
	else if (pp->p.op == OP_CONTAINS)
		finder_close(&pp->finder);
}

/* One predicate over src[0 .. n-1]; the kept rows go to dst. (size_t)-1
** when out of memory. */
static size_t filter_rows(const table *t, prepared_predicate *pp,
                          const row_id *src, size_t n, row_id *dst)
{
	const column *col = pp->col;
	const predicate *p = &pp->p;
	switch (p->op) {
	case OP_NULL: return keep_nulls(col, src, n, dst, p->operand.as.boolean);
	case OP_IN: return keep_members(t, col, &pp->members, src, n, dst);
	case OP_CONTAINS: return keep_containing(t, col, &pp->finder, src, n, dst);
	default: break;
	}
	switch (col->type) {
	case COLUMN_INTEGER: return filter_integers(col, p, src, n, dst);
	case COLUMN_NUMBER: return filter_numbers(col, p, src, n, dst);
	case COLUMN_BOOLEAN:
		return keep_booleans(col, src, n, dst,
		                     p->operand.as.boolean != (p->op == OP_NE));
	default: return keep_strings(t, col, p, src, n, dst);
	}
}

/* Rows are filtered a chunk at a time through a buffer on the stack, every
** predicate in turn, so the result grows only by the rows kept: a filter of
** a million rows touches memory in proportion to what it keeps. */
#define WHERE_CHUNK 2048

/* Append rows to s, doubling its room as needed; -1 when out of memory. */
static int selection_append(selection *s, const row_id *rows, size_t count)
{
	if (count == 0)
		return 0;
	if (count > s->capacity - s->count) {
		size_t grown = s->count + count;
		row_id *more;
		if (grown < s->capacity)
			grown = s->capacity;
		if (grown > SIZE_MAX / 2 / sizeof *more)
			return -1;
		more = reel_realloc(s->rows, 2 * grown * sizeof *more);
		if (more == NULL)
			return -1;
		s->rows = more;
		s->capacity = 2 * grown;
	}
	memcpy(s->rows + s->count, rows, count * sizeof *rows);
	s->count += count;
	return 0;
}

/* Every predicate over src[0 .. n-1], the kept rows left in chunk. */
static size_t filter_chunk(const table *t, prepared_predicate *pp, size_t count,
                           const row_id *src, size_t n, row_id *chunk)
{
	size_t i;
	for (i = 0; i < count && n > 0 && n != (size_t)-1; i++) {
		n = filter_rows(t, &pp[i], src, n, chunk);
		src = chunk;
	}
	return n;
}

/* Filters straight into room for every row of `in`: no chunk to copy, no
** growth. The pages of rows never kept are never touched, and query_where
** gives back the unused tail. NULL, with *tried false, when the room
** cannot be had. */
static selection *filter_into_room(const table *t, const selection *in,
                                   prepared_predicate *pp, size_t count,
                                   bool *tried)
{
	selection *out = selection_new(in->count);
	size_t start, n;
	*tried = out != NULL;
	for (start = 0; out != NULL && start < in->count; start += WHERE_CHUNK) {
		n = in->count - start < WHERE_CHUNK ? in->count - start : WHERE_CHUNK;
		n = filter_chunk(t, pp, count, in->rows + start, n, out->rows + out->count);
		if (n == (size_t)-1) {
			selection_free(out);
			return NULL;
		}
		out->count += n;
	}
	return out;
}

static selection *filter_selection(const table *t, const selection *in,
                                   prepared_predicate *pp, size_t count)
{
	row_id chunk[WHERE_CHUNK];
	size_t room = in->count < WHERE_CHUNK ? in->count : WHERE_CHUNK;
	selection *out;
	size_t start, n;
	bool tried;
	out = filter_into_room(t, in, pp, count, &tried);
	if (tried)
		return out;
	out = selection_new(room); /* short of memory: a chunk at a time */
	for (start = 0; out != NULL && start < in->count; start += WHERE_CHUNK) {
		n = in->count - start < WHERE_CHUNK ? in->count - start : WHERE_CHUNK;
		n = filter_chunk(t, pp, count, in->rows + start, n, chunk);
		if (n == (size_t)-1 || selection_append(out, chunk, n) != 0) {
			selection_free(out);
			out = NULL;
		}
	}
	return out;
}

static void release_predicates(prepared_predicate *pp, size_t count)
{
	while (count-- > 0)
		release_predicate(&pp[count]);
	reel_free(pp);
}

/* Every predicate checked and made ready; NULL with err filled when one
** does not fit its column or memory runs out. */
static prepared_predicate *prepare_predicates(const table *t,
                                              const predicate *predicates,
                                              size_t count, char *err)
{
	prepared_predicate *pp = reel_malloc((count + 1) * sizeof *pp);
	size_t i;
	if (pp == NULL) {
		fail(err, "out of memory");
		return NULL;
	}
	for (i = 0; i < count; i++)
		if (prepare_predicate(t, &predicates[i], &pp[i], err) != 0) {
			release_predicates(pp, i);
			return NULL;
		}
	return pp;
}

selection *query_where(const table *t, const selection *in,
                       const predicate *predicates, size_t count, char *err)
{
	prepared_predicate *pp = prepare_predicates(t, predicates, count, err);
	selection *out;
	if (pp == NULL)
		return NULL;
	out = count == 0 ? selection_copy(in) : filter_selection(t, in, pp, count);
	if (out == NULL)
		fail(err, "out of memory");
	release_predicates(pp, count);
	if (out != NULL)
		selection_trim(out);
	return out;
}

int query_where_check(const table *t, const predicate *predicates,
                      size_t count, char *err)
{
	prepared_predicate *pp = prepare_predicates(t, predicates, count, err);
	if (pp == NULL)
		return -1;
	release_predicates(pp, count);
	return 0;
}
/* }====== */

/* {====== Where without a selection: counting and picking ====== */

/* The rows of in->rows[start ..] (a chunk's worth at most) that every
** predicate keeps, in chunk; (size_t)-1 when out of memory. */
static size_t kept_in_chunk(const table *t, const selection *in,
                            prepared_predicate *pp, size_t count, size_t start,
                            row_id *chunk)
{
	size_t n = in->count - start < WHERE_CHUNK ? in->count - start : WHERE_CHUNK;
	if (count == 0)
		return copy_rows(in->rows + start, n, chunk);
	return filter_chunk(t, pp, count, in->rows + start, n, chunk);
}

/* Runs the predicates over `in` a chunk at a time through a buffer on the
** stack, which stays in cache: nothing the size of the input is written.
** With `wanted` at SIZE_MAX it counts every kept row; else it stops at the
** kept row numbered `wanted` (from 0) and puts it in *row. Returns the rows
** kept up to there, or (size_t)-1 when out of memory. */
static size_t scan_kept(const table *t, const selection *in,
                        prepared_predicate *pp, size_t count, size_t wanted,
                        row_id *row)
{
	row_id chunk[WHERE_CHUNK];
	size_t start, n, kept = 0;
	for (start = 0; start < in->count; start += WHERE_CHUNK) {
		n = kept_in_chunk(t, in, pp, count, start, chunk);
		if (n == (size_t)-1)
			return n;
		if (wanted != SIZE_MAX && wanted - kept < n) {
			*row = chunk[wanted - kept];
			return wanted + 1;
		}
		kept += n;
	}
	return kept;
}

static size_t where_scan(const table *t, const selection *in,
                         const predicate *predicates, size_t count,
                         size_t wanted, row_id *row, char *err)
{
	prepared_predicate *pp = prepare_predicates(t, predicates, count, err);
	size_t kept;
	if (pp == NULL)
		return (size_t)-1;
	kept = scan_kept(t, in, pp, count, wanted, row);
	if (kept == (size_t)-1)
		fail(err, "out of memory");
	release_predicates(pp, count);
	return kept;
}

size_t query_where_count(const table *t, const selection *in,
                         const predicate *predicates, size_t count, char *err)
{
	row_id unused;
	return where_scan(t, in, predicates, count, SIZE_MAX, &unused, err);
}

int query_where_nth(const table *t, const selection *in,
                    const predicate *predicates, size_t count, size_t n,
                    row_id *row, char *err)
{
	size_t kept = where_scan(t, in, predicates, count, n, row, err);
	if (kept == (size_t)-1)
		return -1;
	return kept == n + 1 && n != SIZE_MAX ? 1 : 0;
}
/* }====== */

/* {====== Merge sort ====== */

#define INSERTION_RUN 16

static void insertion_sort(row_id *rows, size_t n, row_compare compare,
                           void *context)
{
	size_t i, j;
	for (i = 1; i < n; i++) {
		row_id r = rows[i];
		for (j = i; j > 0 && compare(context, rows[j - 1], r) > 0; j--)
			rows[j] = rows[j - 1];
		rows[j] = r;
	}
}

/* Merge src[lo .. mid-1] and src[mid .. hi-1] into dst[lo .. hi-1]; on a
** tie the left run goes first, which is what keeps the sort stable. */
static void merge_runs(const row_id *src, row_id *dst, size_t lo, size_t mid,
                       size_t hi, row_compare compare, void *context)
{
	size_t a = lo, b = mid, k = lo;
	if (mid == hi || compare(context, src[mid - 1], src[mid]) <= 0) {
		memcpy(dst + lo, src + lo, (hi - lo) * sizeof *dst);
		return;
	}
	while (a < mid && b < hi)
		dst[k++] = compare(context, src[b], src[a]) < 0 ? src[b++] : src[a++];
	while (a < mid)
		dst[k++] = src[a++];
	while (b < hi)
		dst[k++] = src[b++];
}

void selection_sort_with(selection *s, row_id *scratch, row_compare compare,
                         void *context)
{
	row_id *src = s->rows, *dst = scratch, *swap;
	size_t n = s->count, lo, width;
	for (lo = 0; lo < n; lo += INSERTION_RUN)
		insertion_sort(src + lo, n - lo < INSERTION_RUN ? n - lo : INSERTION_RUN,
		               compare, context);
	for (width = INSERTION_RUN; width < n; width *= 2) {
		for (lo = 0; lo < n; lo += 2 * width) {
			size_t mid = n - lo < width ? n : lo + width;
			size_t hi = n - lo < 2 * width ? n : lo + 2 * width;
			merge_runs(src, dst, lo, mid, hi, compare, context);
		}
		swap = src;
		src = dst;
		dst = swap;
	}
	if (src != s->rows)
		memcpy(s->rows, src, n * sizeof *src);
}
/* }====== */

/* {====== Sort ====== */

/* Work space for one query_sort: the rows' keys for the radix sorts, and
** spare room for keys and rows. The key arrays are made when first needed:
** a counting sort does without them. */
typedef struct sort_space {
	uint64_t *keys, *spare_keys;
	row_id *spare_rows;
	size_t size;
} sort_space;

static int sort_space_keys(sort_space *space)
{
	if (space->keys != NULL)
		return 0;
	space->keys = reel_malloc(space->size * sizeof *space->keys);
	space->spare_keys = reel_malloc(space->size * sizeof *space->spare_keys);
	return space->keys != NULL && space->spare_keys != NULL ? 0 : -1;
}

/* The same space seen from position `start` on, for a run of rows. */
static sort_space sort_space_from(const sort_space *space, size_t start)
{
	sort_space part;
	part.keys = space->keys + start;
	part.spare_keys = space->spare_keys + start;
	part.spare_rows = space->spare_rows + start;
	part.size = space->size - start;
	return part;
}

/* A radix key whose unsigned order is the double's order: -0 with 0, NaN
** (made positive) after +inf. */
static uint64_t number_key(double d)
{
	uint64_t bits;
	if (isnan(d))
		d = NAN;
	else if (d == 0)
		d = 0.0;
	memcpy(&bits, &d, sizeof bits);
	return (bits & SIGN_BIT) ? ~bits : bits | SIGN_BIT;
}

/* One stable counting pass of the radix sort, by byte `byte` of the keys. */
static void radix_pass(const uint64_t *keys, const row_id *rows, size_t n,
                       size_t *count, int byte, uint64_t *to_keys, row_id *to_rows)
{
	size_t i, total = 0, c;
	for (c = 0; c < 256; c++) {
		size_t here = count[c];
		count[c] = total;
		total += here;
	}
	for (i = 0; i < n; i++) {
		size_t to = count[(keys[i] >> (8 * byte)) & 255]++;
		to_keys[to] = keys[i];
		to_rows[to] = rows[i];
	}
}

/* A stable LSD radix sort of rows[0 .. n-1] by space->keys, a byte at a
** time, skipping the bytes on which every key agrees. Leaves the keys
** sorted too. */
static void radix_sort(row_id *rows, size_t n, sort_space *space)
{
	size_t counts[8][256];
	uint64_t *keys = space->keys, *spare_keys = space->spare_keys, *k_swap;
	row_id *original = rows, *spare_rows = space->spare_rows, *r_swap;
	size_t i;
	int byte;
	memset(counts, 0, sizeof counts);
	for (i = 0; i < n; i++)
		for (byte = 0; byte < 8; byte++)
			counts[byte][(keys[i] >> (8 * byte)) & 255]++;
	for (byte = 0; byte < 8; byte++) {
		if (counts[byte][(keys[0] >> (8 * byte)) & 255] == n)
			continue;
		radix_pass(keys, rows, n, counts[byte], byte, spare_keys, spare_rows);
		k_swap = keys;
		keys = spare_keys;
		spare_keys = k_swap;
		r_swap = rows;
		rows = spare_rows;
		spare_rows = r_swap;
	}
	if (rows != original) {  /* an odd number of passes */
		memcpy(space->keys, keys, n * sizeof *keys);
		memcpy(original, rows, n * sizeof *rows);
	}
}

/* Move the null rows of column col after the others, keeping both orders;
** returns how many are not null. */
static size_t move_nulls_last(const column *col, row_id *rows, size_t n,
                              row_id *spare)
{
	size_t i, kept = 0, nulls = 0;
	if (col->nulls == NULL)
		return n;
	for (i = 0; i < n; i++) {
		if (cell_is_null(col, rows[i]))
			spare[nulls++] = rows[i];
		else
			rows[kept++] = rows[i];
	}
	if (nulls > 0)
		memcpy(rows + kept, spare, nulls * sizeof *rows);
	return kept;
}

/* An integer or boolean cell as a signed key. */
static int64_t small_key(const column *col, row_id r)
{
	return col->type == COLUMN_INTEGER ? column_integer(col, r) : col->booleans[r];
}

/* Keys within a span of a few thousand (years, minutes, true and false):
** a stable counting sort, one bucket a value, no key arrays. */
#define COUNTING_SPAN 65536

static int counting_sort(const column *col, row_id *rows, size_t n, int64_t least,
                         uint64_t span, bool descending, row_id *spare)
{
	size_t *starts = reel_calloc(span + 1, sizeof *starts);
	size_t i, total = 0, c;
	if (starts == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		uint64_t b = (uint64_t)small_key(col, rows[i]) - (uint64_t)least;
		starts[descending ? span - b : b]++;
	}
	for (c = 0; c <= span; c++) {
		size_t here = starts[c];
		starts[c] = total;
		total += here;
	}
	for (i = 0; i < n; i++) {
		uint64_t b = (uint64_t)small_key(col, rows[i]) - (uint64_t)least;
		spare[starts[descending ? span - b : b]++] = rows[i];
	}
	memcpy(rows, spare, n * sizeof *rows);
	reel_free(starts);
	return 0;
}

static int sort_integers(const column *col, row_id *rows, size_t n,
                         bool descending, sort_space *space)
{
	uint64_t flip = descending ? ~(uint64_t)0 : 0, span;
	int64_t least = small_key(col, rows[0]), most = least;
	size_t i;
	for (i = 1; i < n; i++) {
		int64_t x = small_key(col, rows[i]);
		least = x < least ? x : least;
		most = x > most ? x : most;
	}
	span = (uint64_t)most - (uint64_t)least;
	if (span < COUNTING_SPAN && span <= 2 * (uint64_t)n)
		return counting_sort(col, rows, n, least, span, descending,
		                     space->spare_rows);
	if (sort_space_keys(space) != 0)
		return -1;
	for (i = 0; i < n; i++)
		space->keys[i] =
			((uint64_t)column_integer(col, rows[i]) - (uint64_t)least) ^ flip;
	radix_sort(rows, n, space);
	return 0;
}

static int sort_numbers(const column *col, row_id *rows, size_t n,
                        bool descending, sort_space *space)
{
	uint64_t flip = descending ? ~(uint64_t)0 : 0;
	size_t i;
	if (sort_space_keys(space) != 0)
		return -1;
	for (i = 0; i < n; i++)
		space->keys[i] = number_key(col->numbers[rows[i]]) ^ flip;
	radix_sort(rows, n, space);
	return 0;
}
/* }====== */

/* {====== Sorting strings ====== */

/* Strings sort by radix on eight bytes at a time (big-endian, so unsigned
** order is byte order), then the rows that tie go on to the next eight.
** Runs that are short, or whose strings have ended, finish by merge sort. */
#define STRING_SMALL_RUN 16
#define STRING_MAX_DEPTH 16

typedef struct string_sort {
	const table *t;
	const column *col;
	bool descending;
} string_sort;

static int compare_string_rows(void *context, row_id a, row_id b)
{
	const string_sort *s = context;
	int c = string_order(column_text(s->t, s->col, a), column_text_length(s->col, a),
	                     column_text(s->t, s->col, b), column_text_length(s->col, b));
	return s->descending ? -c : c;
}

/* Eight bytes of a cell from `from` on, zeros past its end. */
static uint64_t text_key(const string_sort *s, row_id r, size_t from)
{
	const unsigned char *text =
		(const unsigned char *)column_text(s->t, s->col, r);
	size_t length = column_text_length(s->col, r), i;
	uint64_t key = 0;
	for (i = from; i < from + 8; i++)
		key = key << 8 | (i < length ? text[i] : 0);
	return key;
}

static void merge_sort_strings(const string_sort *s, row_id *rows, size_t n,
                               row_id *spare)
{
	selection view;
	view.rows = rows;
	view.count = view.capacity = n;
	view.every_row = false;
	selection_sort_with(&view, spare, compare_string_rows, (void *)s);
}

/* Sort rows[0 .. n-1], which share their first 8 * depth bytes. */
static void sort_strings_from(const string_sort *s, row_id *rows, size_t n,
                              size_t depth, sort_space *space)
{
	uint64_t flip = s->descending ? ~(uint64_t)0 : 0, *keys = space->keys;
	size_t i, start, end;
	if (n <= STRING_SMALL_RUN || depth == STRING_MAX_DEPTH) {
		merge_sort_strings(s, rows, n, space->spare_rows);
		return;
	}
	for (i = 0; i < n; i++)
		keys[i] = text_key(s, rows[i], 8 * depth) ^ flip;
	radix_sort(rows, n, space);
	for (start = 0; start < n; start = end) {
		sort_space rest = sort_space_from(space, start);
		for (end = start + 1; end < n && keys[end] == keys[start]; end++)
			;
		if (end - start < 2)
			continue;
		/* A last byte of zero: the strings may end here; compare them whole. */
		if (((keys[start] ^ flip) & 255) == 0)
			merge_sort_strings(s, rows + start, end - start,
			                   rest.spare_rows);
		else
			sort_strings_from(s, rows + start, end - start, depth + 1,
			                  &rest);
	}
}

static int sort_strings(const table *t, const column *col, row_id *rows,
                        size_t n, bool descending, sort_space *space)
{
	string_sort s;
	s.t = t;
	s.col = col;
	s.descending = descending;
	if (n > STRING_SMALL_RUN && sort_space_keys(space) != 0)
		return -1;
	sort_strings_from(&s, rows, n, 0, space);
	return 0;
}
/* }====== */

/* {====== Multi-key sort ====== */

/* One stable pass by one key; query_sort runs them from the last key to the
** first, so earlier keys decide and later ones break their ties. */
static int sort_by_key(const table *t, selection *s, const sort_key *key,
                       sort_space *space)
{
	const column *col = &t->columns[key->column];
	size_t n = move_nulls_last(col, s->rows, s->count, space->spare_rows);
	if (n < 2)
		return 0;
	switch (col->type) {
	case COLUMN_STRING:
		return sort_strings(t, col, s->rows, n, key->descending, space);
	case COLUMN_NUMBER:
		return sort_numbers(col, s->rows, n, key->descending, space);
	default:
		return sort_integers(col, s->rows, n, key->descending, space);
	}
}

selection *query_sort(const table *t, const selection *in,
                      const sort_key *keys, size_t count)
{
	selection *out;
	sort_space space;
	size_t k;
	int failed = 0;
	for (k = 0; k < count; k++)
		if (keys[k].column >= t->column_count)
			return NULL;
	out = selection_copy(in);
	if (out == NULL || out->count < 2 || count == 0)
		return out;
	memset(&space, 0, sizeof space);
	space.size = out->count;
	space.spare_rows = reel_malloc(out->count * sizeof *space.spare_rows);
	failed = space.spare_rows == NULL;
	for (k = count; k-- > 0 && !failed;)
		failed = sort_by_key(t, out, &keys[k], &space) != 0;
	reel_free(space.keys);
	reel_free(space.spare_keys);
	reel_free(space.spare_rows);
	if (failed) {
		selection_free(out);
		return NULL;
	}
	return out;
}
/* }====== */

/* {====== Sort then limit ====== */
/* sort(...):limit(k) with k small needs only the k first rows: one pass
** keeps them in a heap (the worst of them on top) and never orders the
** rest. Ties go by position in the input, so the rows are exactly the
** first k of query_sort's stable order, nulls last as there. */
#define TOP_K_MAX 4096

typedef struct top_k {
	const table *t;
	const sort_key *keys;
	size_t key_count;
	row_id *rows;       /* the heap: rows... */
	size_t *positions;  /* ...and where each stood in the input */
	size_t count;
} top_k;

static int cell_order(const table *t, const column *col, row_id a, row_id b)
{
	switch (col->type) {
	case COLUMN_INTEGER:
		return order_of(column_integer(col, a) < column_integer(col, b),
		                column_integer(col, a) > column_integer(col, b));
	case COLUMN_NUMBER:
		return number_order(col->numbers[a], col->numbers[b]);
	case COLUMN_BOOLEAN:
		return order_of(col->booleans[a] < col->booleans[b],
		                col->booleans[a] > col->booleans[b]);
	default:
		return string_order(column_text(t, col, a), column_text_length(col, a),
		                    column_text(t, col, b), column_text_length(col, b));
	}
}

/* <0 when (a at position pa) goes before (b at pb) in the sorted order. */
static int top_order(const top_k *h, row_id a, size_t pa, row_id b, size_t pb)
{
	size_t k;
	for (k = 0; k < h->key_count; k++) {
		const column *col = &h->t->columns[h->keys[k].column];
		bool a_null = cell_is_null(col, a), b_null = cell_is_null(col, b);
		int c;
		if (a_null || b_null) {
			if (a_null != b_null)
				return a_null ? 1 : -1; /* nulls last either way */
			continue;
		}
		c = cell_order(h->t, col, a, b);
		if (c != 0)
			return h->keys[k].descending ? -c : c;
	}
	return order_of(pa < pb, pa > pb);
}

static void top_swap(top_k *h, size_t i, size_t j)
{
	row_id r = h->rows[i];
	size_t p = h->positions[i];
	h->rows[i] = h->rows[j];
	h->positions[i] = h->positions[j];
	h->rows[j] = r;
	h->positions[j] = p;
}

/* Whether slot i goes after slot j (the heap keeps the latest on top). */
static bool top_after(const top_k *h, size_t i, size_t j)
{
	return top_order(h, h->rows[i], h->positions[i], h->rows[j],
	                 h->positions[j]) > 0;
}

static void top_sift_down(top_k *h, size_t i, size_t n)
{
	for (;;) {
		size_t child = 2 * i + 1, latest = i;
		if (child < n && top_after(h, child, latest))
			latest = child;
		if (child + 1 < n && top_after(h, child + 1, latest))
			latest = child + 1;
		if (latest == i)
			return;
		top_swap(h, i, latest);
		i = latest;
	}
}

static void top_sift_up(top_k *h, size_t i)
{
	while (i > 0 && top_after(h, i, (i - 1) / 2)) {
		top_swap(h, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

/* A quick no for most rows offered to a full heap: an integer first key
** (a column without nulls) strictly after the heap top's. */
static bool after_top_by_first_key(const top_k *h, row_id r)
{
	const column *col;
	int64_t x, top;
	if (h->key_count == 0)
		return false;
	col = &h->t->columns[h->keys[0].column];
	if (col->type != COLUMN_INTEGER || col->nulls != NULL)
		return false;
	x = column_integer(col, r);
	top = column_integer(col, h->rows[0]);
	return h->keys[0].descending ? x < top : x > top;
}

static void top_offer(top_k *h, size_t limit, row_id r, size_t position)
{
	if (h->count < limit) {
		h->rows[h->count] = r;
		h->positions[h->count] = position;
		top_sift_up(h, h->count++);
	} else if (!after_top_by_first_key(h, r) &&
	           top_order(h, r, position, h->rows[0], h->positions[0]) < 0) {
		h->rows[0] = r;
		h->positions[0] = position;
		top_sift_down(h, 0, h->count);
	}
}

/* Takes the heap apart from the latest row down, filling the result. */
/* Room for a heap of `limit` rows, and the selection it drains into; NULL
** when out of memory (top_close still frees what was had). */
static selection *top_open(top_k *h, size_t limit)
{
	selection *out = selection_new(limit);
	h->rows = reel_malloc((limit + 1) * sizeof *h->rows);
	h->positions = reel_malloc((limit + 1) * sizeof *h->positions);
	if (out == NULL || h->rows == NULL || h->positions == NULL) {
		selection_free(out);
		return NULL;
	}
	return out;
}

static void top_close(top_k *h)
{
	reel_free(h->rows);
	reel_free(h->positions);
	h->rows = NULL;
	h->positions = NULL;
}

static void top_drain(top_k *h, selection *out)
{
	size_t n = h->count;
	out->count = n;
	while (n > 0) {
		out->rows[n - 1] = h->rows[0];
		top_swap(h, 0, --n);
		top_sift_down(h, 0, n);
	}
}

selection *query_sort_limit(const table *t, const selection *in,
                            const sort_key *keys, size_t count, size_t limit)
{
	top_k h = {t, keys, count, NULL, NULL, 0};
	selection *out, *sorted;
	size_t i;
	for (i = 0; i < count; i++)
		if (keys[i].column >= t->column_count)
			return NULL;
	if (limit > TOP_K_MAX || limit >= in->count / 4) {
		sorted = query_sort(t, in, keys, count);
		out = sorted != NULL ? query_slice(sorted, 0, limit) : NULL;
		selection_free(sorted);
		return out;
	}
	out = top_open(&h, limit);
	if (out != NULL) {
		for (i = 0; i < in->count && limit > 0; i++)
			top_offer(&h, limit, in->rows[i], i);
		top_drain(&h, out);
	}
	top_close(&h);
	return out;
}

/* The top `limit` of the rows of `in` the predicates keep, offered to the
** heap a chunk at a time as the where finds them: the kept rows are never
** gathered into a selection. A kept row's position is its place among the
** kept, which orders ties as the made selection would. */
static selection *top_of_kept(const table *t, const selection *in,
                              prepared_predicate *pp, size_t count, top_k *h,
                              size_t limit)
{
	row_id chunk[WHERE_CHUNK];
	selection *out = top_open(h, limit);
	size_t start, n, i, kept = 0;
	for (start = 0; out != NULL && start < in->count; start += WHERE_CHUNK) {
		n = kept_in_chunk(t, in, pp, count, start, chunk);
		if (n == (size_t)-1) {
			selection_free(out);
			return NULL;
		}
		for (i = 0; i < n && limit > 0; i++)
			top_offer(h, limit, chunk[i], kept + i);
		kept += n;
	}
	if (out != NULL)
		top_drain(h, out);
	return out;
}

/* Past TOP_K_MAX the where's rows are made and sorted whole. */
static selection *sort_limit_of_where(const table *t, const selection *in,
                                      const predicate *predicates, size_t count,
                                      const sort_key *keys, size_t key_count,
                                      size_t limit, char *err)
{
	selection *kept = query_where(t, in, predicates, count, err), *out;
	if (kept == NULL)
		return NULL;
	out = query_sort_limit(t, kept, keys, key_count, limit);
	selection_free(kept);
	if (out == NULL)
		fail(err, "out of memory");
	return out;
}

selection *query_where_sort_limit(const table *t, const selection *in,
                                  const predicate *predicates, size_t count,
                                  const sort_key *keys, size_t key_count,
                                  size_t limit, char *err)
{
	top_k h = {t, keys, key_count, NULL, NULL, 0};
	prepared_predicate *pp;
	selection *out;
	size_t i;
	for (i = 0; i < key_count; i++)
		if (keys[i].column >= t->column_count) {
			fail(err, "no such column to sort by");
			return NULL;
		}
	if (limit > TOP_K_MAX)
		return sort_limit_of_where(t, in, predicates, count, keys, key_count,
		                           limit, err);
	pp = prepare_predicates(t, predicates, count, err);
	if (pp == NULL)
		return NULL;
	out = top_of_kept(t, in, pp, count, &h, limit);
	top_close(&h);
	release_predicates(pp, count);
	if (out == NULL)
		fail(err, "out of memory");
	return out;
}
/* }====== */

/* {====== Randomness ====== */

/* splitmix64 spreads one seed over the four words of state. */
static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint64_t rotate_left(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

void film_random_seed(film_random *r, uint64_t seed)
{
	int i;
	for (i = 0; i < 4; i++)
		r->state[i] = splitmix64(&seed);
}

/* xoshiro256**: the next 64 random bits. */
static uint64_t film_random_next(film_random *r)
{
	uint64_t *s = r->state;
	uint64_t result = rotate_left(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotate_left(s[3], 45);
	return result;
}

/* Rejection: draws below 2^64 mod n would favour the small remainders. */
uint64_t film_random_below(film_random *r, uint64_t n)
{
	uint64_t threshold, x;
	if (n == 0)
		return 0;
	threshold = (0 - n) % n;
	do
		x = film_random_next(r);
	while (x < threshold);
	return x % n;
}

/* A partial Fisher-Yates shuffle: the first n places get a uniform draw
** from the rows not yet placed. */
selection *query_sample(const selection *s, size_t n, film_random *r)
{
	selection *out = selection_copy(s);
	size_t i;
	if (out == NULL)
		return NULL;
	if (n > out->count)
		n = out->count;
	for (i = 0; i < n && i + 1 < out->count; i++) {
		size_t j = i + (size_t)film_random_below(r, out->count - i);
		row_id swap = out->rows[i];
		out->rows[i] = out->rows[j];
		out->rows[j] = swap;
	}
	out->count = n;
	selection_trim(out);
	return out;
}

selection *query_shuffle(const selection *s, film_random *r)
{
	return query_sample(s, s->count, r);
}
/* }====== */

/* {====== Groups ====== */

static bool same_key(const table *t, const column *col, row_id a, row_id b)
{
	bool a_null = cell_is_null(col, a), b_null = cell_is_null(col, b);
	if (a_null || b_null)
		return a_null && b_null;
	switch (col->type) {
	case COLUMN_INTEGER: return column_integer(col, a) == column_integer(col, b);
	case COLUMN_NUMBER: return number_order(col->numbers[a], col->numbers[b]) == 0;
	case COLUMN_BOOLEAN: return col->booleans[a] == col->booleans[b];
	default:
		return column_text_length(col, a) == column_text_length(col, b) &&
		       memcmp(column_text(t, col, a), column_text(t, col, b),
		              column_text_length(col, a)) == 0;
	}
}

/* Where the run of equal keys starting at `start` ends. */
static size_t run_end(const table *t, const column *col, const selection *s,
                      size_t start)
{
	size_t end = start + 1;
	while (end < s->count && same_key(t, col, s->rows[start], s->rows[end]))
		end++;
	return end;
}

void group_list_free(group_list *groups)
{
	size_t i;
	if (groups == NULL)
		return;
	for (i = 0; i < groups->count; i++)
		selection_free(groups->groups[i].rows);
	reel_free(groups->groups);
	reel_free(groups);
}

/* Cut the key-sorted rows into groups; -1 when out of memory. */
static int split_runs(const table *t, const column *col, const selection *sorted,
                      group_list *list)
{
	size_t start, end;
	for (start = 0; start < sorted->count; start = end) {
		film_group *g = &list->groups[list->count];
		end = run_end(t, col, sorted, start);
		g->rows = selection_from(sorted->rows + start, end - start);
		if (g->rows == NULL)
			return -1;
		g->count = end - start;
		g->key_row = sorted->rows[start];
		g->key_is_null = cell_is_null(col, g->key_row);
		list->count++;
	}
	return 0;
}

/* The least and greatest non-null key of `in` (lo > hi when all are null).
** An integer column without nulls, the common case, gets a tight loop. */
static void key_range(const column *col, const selection *in, int64_t *lo,
                      int64_t *hi)
{
	size_t i;
	*lo = INT64_MAX;
	*hi = INT64_MIN;
	if (col->type == COLUMN_INTEGER && col->nulls == NULL) {
		int64_t least = INT64_MAX, greatest = INT64_MIN;
		FOR_EACH_INTEGER(col, in, r, x, {
			(void)r;
			least = x < least ? x : least;
			greatest = x > greatest ? x : greatest;
		});
		*lo = least;
		*hi = greatest;
		return;
	}
	for (i = 0; i < in->count; i++) {
		int64_t x;
		if (cell_is_null(col, in->rows[i]))
			continue;
		x = small_key(col, in->rows[i]);
		*lo = x < *lo ? x : *lo;
		*hi = x > *hi ? x : *hi;
	}
}

/* Integer or boolean keys within a small span (years, minutes): one pass
** counts each key's rows, a second drops every row straight into its group,
** in the input's order. No sort and no copy of the whole selection. */
static bool small_key_span(const column *col, const selection *in,
                           int64_t *least, uint64_t *span)
{
	int64_t lo, hi;
	if (col->type != COLUMN_INTEGER && col->type != COLUMN_BOOLEAN)
		return false;
	key_range(col, in, &lo, &hi);
	if (lo > hi)
		lo = hi = 0; /* only nulls */
	*least = lo;
	*span = (uint64_t)hi - (uint64_t)lo;
	return *span < COUNTING_SPAN && *span <= 2 * (uint64_t)in->count;
}

/* The bucket of row r: its key's place in the span, the null group last. */
static size_t key_bucket(const column *col, row_id r, int64_t least, uint64_t span)
{
	if (cell_is_null(col, r))
		return (size_t)span + 1;
	return (size_t)((uint64_t)small_key(col, r) - (uint64_t)least);
}

/* Counts the rows of each bucket, and notes the first row of each. */
static void count_buckets(const column *col, const selection *in, int64_t least,
                          uint64_t span, size_t *buckets, row_id *first)
{
	size_t i, b;
	if (col->type == COLUMN_INTEGER && col->nulls == NULL) {
		FOR_EACH_INTEGER(col, in, r, x, {
			b = (size_t)((uint64_t)x - (uint64_t)least);
			if (buckets[b]++ == 0)
				first[b] = r;
		});
		return;
	}
	for (i = 0; i < in->count; i++) {
		row_id r = in->rows[i];
		b = key_bucket(col, r, least, span);
		if (buckets[b]++ == 0)
			first[b] = r;
	}
}

/* Drops each row at its bucket's cursor, so every group keeps the input's
** order. */
static void scatter_rows(const column *col, const selection *in, int64_t least,
                         uint64_t span, row_id **cursor)
{
	size_t i;
	if (col->type == COLUMN_INTEGER && col->nulls == NULL) {
		for (i = 0; i < in->count; i++) {
			row_id r = in->rows[i];
			*cursor[(uint64_t)column_integer(col, r) - (uint64_t)least]++ = r;
		}
		return;
	}
	for (i = 0; i < in->count; i++) {
		row_id r = in->rows[i];
		*cursor[key_bucket(col, r, least, span)]++ = r;
	}
}

/* A group, keys and sizes only, for each bucket that has rows. */
static int list_buckets(group_list *list, const size_t *buckets,
                        const row_id *first, size_t bucket_count)
{
	size_t b, k = 0;
	for (b = 0; b < bucket_count; b++)
		k += buckets[b] != 0;
	list->groups = reel_calloc(k > 0 ? k : 1, sizeof *list->groups);
	if (list->groups == NULL)
		return -1;
	for (b = 0, k = 0; b < bucket_count; b++) {
		if (buckets[b] == 0)
			continue;
		list->groups[k].count = buckets[b];
		list->groups[k].key_row = first[b];
		list->groups[k].key_is_null = b + 1 == bucket_count;
		list->count = ++k;
	}
	return 0;
}

/* The groups by counting: one pass finds each key's rows and first row.
** Placing the rows is put off (query_group_rows): a loop that only counts
** and aggregates never needs them. */
static group_list *group_by_counting(const selection *in, const column *col,
                                     int64_t least, uint64_t span)
{
	size_t bucket_count = (size_t)span + 2;
	size_t *buckets = reel_calloc(bucket_count, sizeof *buckets);
	row_id *first = reel_malloc(bucket_count * sizeof *first);
	group_list *list = reel_calloc(1, sizeof *list);
	if (buckets == NULL || first == NULL || list == NULL)
		goto fail;
	count_buckets(col, in, least, span, buckets, first);
	if (list_buckets(list, buckets, first, bucket_count) != 0)
		goto fail;
	list->rows_put_off = true;
	list->least = least;
	list->span = span;
	reel_free(first);
	reel_free(buckets);
	return list;
fail:
	reel_free(first);
	reel_free(buckets);
	group_list_free(list);
	return NULL;
}

/* Each group's room, sized exactly, and the cursor of its bucket. */
static int open_groups(group_list *list, const column *col, row_id **cursor)
{
	size_t i;
	for (i = 0; i < list->count; i++) {
		film_group *g = &list->groups[i];
		size_t b = g->key_is_null ? (size_t)list->span + 1
		           : (size_t)((uint64_t)small_key(col, g->key_row) - (uint64_t)list->least);
		g->rows = selection_new(g->count);
		if (g->rows == NULL)
			return -1;
		g->rows->count = g->count; /* the scatter fills them */
		cursor[b] = g->rows->rows;
	}
	return 0;
}

int query_group_rows(const table *t, const selection *in, size_t column_index,
                     group_list *groups)
{
	const column *col = &t->columns[column_index];
	row_id **cursor;
	size_t i;
	if (!groups->rows_put_off)
		return 0;
	cursor = reel_calloc((size_t)groups->span + 2, sizeof *cursor);
	if (cursor == NULL || open_groups(groups, col, cursor) != 0) {
		for (i = 0; i < groups->count; i++) {
			selection_free(groups->groups[i].rows);
			groups->groups[i].rows = NULL;
		}
		reel_free(cursor);
		return -1;
	}
	scatter_rows(col, in, groups->least, groups->span, cursor);
	groups->rows_put_off = false;
	reel_free(cursor);
	return 0;
}

group_list *query_group(const table *t, const selection *in, size_t column_index)
{
	group_list *list = query_group_keys(t, in, column_index);
	if (list != NULL && query_group_rows(t, in, column_index, list) != 0) {
		group_list_free(list);
		return NULL;
	}
	return list;
}

group_list *query_group_keys(const table *t, const selection *in,
                             size_t column_index)
{
	sort_key key = { column_index, false };
	selection *sorted;
	group_list *list;
	size_t runs = 0, start;
	int64_t least;
	uint64_t span;
	if (column_index < t->column_count && in->count > 0 &&
	    small_key_span(&t->columns[column_index], in, &least, &span))
		return group_by_counting(in, &t->columns[column_index], least, span);
	sorted = query_sort(t, in, &key, 1);
	if (sorted == NULL)
		return NULL;
	for (start = 0; start < sorted->count; runs++)
		start = run_end(t, &t->columns[column_index], sorted, start);
	list = reel_calloc(1, sizeof *list);
	if (list != NULL && runs > 0 &&
	    (list->groups = reel_calloc(runs, sizeof *list->groups)) == NULL) {
		reel_free(list);
		list = NULL;
	}
	if (list != NULL &&
	    split_runs(t, &t->columns[column_index], sorted, list) != 0) {
		group_list_free(list);
		list = NULL;
	}
	selection_free(sorted);
	return list;
}
/* }====== */

/* {====== Aggregates ====== */

static value integer_cell(int64_t x)
{
	value v;
	v.kind = VALUE_INTEGER;
	v.as.integer = x;
	return v;
}

static const char *aggregate_name(aggregate kind)
{
	switch (kind) {
	case AGGREGATE_SUM: return "sum";
	case AGGREGATE_AVG: return "avg";
	case AGGREGATE_MIN: return "min";
	default: return "max";
	}
}

/* A compensated (Kahan-Babushka-Neumaier) running sum, so that a column of
** 0.1s adds up to what a person expects. */
typedef struct number_sum {
	double sum, compensation;
	size_t cells;
} number_sum;

static void number_sum_add(number_sum *s, double x)
{
	double t = s->sum + x;
	if (fabs(s->sum) >= fabs(x))
		s->compensation += (s->sum - t) + x;
	else
		s->compensation += (x - t) + s->sum;
	s->sum = t;
	s->cells++;
}

static double number_sum_total(const number_sum *s)
{
	double total = s->sum + s->compensation;
	return isnan(total) && !isnan(s->sum) ? s->sum : total;  /* infinities */
}

static void sum_as_numbers(const table *t, const selection *in, size_t column_index,
                           number_sum *s)
{
	const column *col = &t->columns[column_index];
	size_t i;
	memset(s, 0, sizeof *s);
	for (i = 0; i < in->count; i++) {
		row_id r = in->rows[i];
		if (!cell_is_null(col, r))
			number_sum_add(s, col->type == COLUMN_INTEGER ?
			                  (double)column_integer(col, r) : col->numbers[r]);
	}
}

/* The halves of an exact sum of int64 cells: each cell's high 32 bits (as
** a signed number) and low 32 bits are summed apart. Neither sum can
** overflow for the up to 2^32 rows a table holds, so the loop needs no
** overflow test, and a column without nulls needs no null test either. */
typedef struct split_sum {
	int64_t high;
	uint64_t low;
	size_t cells;
} split_sum;

static int64_t high_half(int64_t x)
{
	return (int64_t)((uint64_t)x >> 32) - (x < 0 ? (int64_t)1 << 32 : 0);
}

static void split_sum_rows(const column *col, const selection *in, split_sum *s)
{
	size_t i;
	memset(s, 0, sizeof *s);
	if (col->nulls == NULL) {
		for (i = 0; i < in->count; i++) {
			int64_t x = column_integer(col, in->rows[i]);
			s->high += high_half(x);
			s->low += (uint64_t)x & 0xffffffffu;
		}
		s->cells = in->count;
		return;
	}
	for (i = 0; i < in->count; i++) {
		int64_t x;
		if (cell_is_null(col, in->rows[i]))
			continue;
		x = column_integer(col, in->rows[i]);
		s->high += high_half(x);
		s->low += (uint64_t)x & 0xffffffffu;
		s->cells++;
	}
}

/* The exact total of a split sum; false when it is past the int64 range. */
static bool split_sum_total(split_sum s, int64_t *total)
{
	/* total = high * 2^32 + low: fold low's top half into high. */
	int64_t carry = (int64_t)(s.low >> 32);
	if (s.high > INT64_MAX - carry)
		return false;
	s.high += carry;
	if (s.high > INT32_MAX || s.high < INT32_MIN)
		return false;
	*total = (int64_t)(((uint64_t)s.high << 32) | (s.low & 0xffffffffu));
	return true;
}

/* Exact int64 sum; false when it would overflow. */
static bool sum_integers(const column *col, const selection *in, int64_t *total,
                         size_t *cells)
{
	split_sum s;
	split_sum_rows(col, in, &s);
	*cells = s.cells;
	return split_sum_total(s, total);
}

static void aggregate_sum(const table *t, const selection *in, size_t column_index,
                          bool average, value *result)
{
	number_sum s;
	int64_t total;
	size_t cells;
	if (t->columns[column_index].type == COLUMN_INTEGER &&
	    sum_integers(&t->columns[column_index], in, &total, &cells)) {
		if (cells == 0)
			return;
		result->kind = average ? VALUE_NUMBER : VALUE_INTEGER;
		if (average)
			result->as.number = (double)total / (double)cells;
		else
			result->as.integer = total;
		return;
	}
	sum_as_numbers(t, in, column_index, &s);
	if (s.cells == 0)
		return;
	result->kind = VALUE_NUMBER;
	result->as.number = number_sum_total(&s) / (average ? (double)s.cells : 1.0);
}

/* min and max of an integer column, in one plain loop. */
static void integer_extreme(const column *col, const selection *in,
                            bool maximum, value *result)
{
	size_t i;
	for (i = 0; i < in->count; i++) {
		row_id r = in->rows[i];
		int64_t x;
		if (cell_is_null(col, r))
			continue;
		x = column_integer(col, r);
		if (result->kind == VALUE_NULL ||
		    (maximum ? x > result->as.integer : x < result->as.integer))
			*result = integer_cell(x);
	}
}

static void aggregate_extreme(const table *t, const selection *in, size_t column_index,
                              bool maximum, value *result)
{
	const column *col = &t->columns[column_index];
	size_t i;
	if (col->type == COLUMN_INTEGER) {
		integer_extreme(col, in, maximum, result);
		return;
	}
	for (i = 0; i < in->count; i++) {
		value cell;
		int c;
		if (cell_is_null(col, in->rows[i]))
			continue;
		cell = table_value(t, column_index, in->rows[i]);
		c = value_compare(&cell, result);
		if (result->kind == VALUE_NULL || (maximum ? c > 0 : c < 0))
			*result = cell;
	}
}

int query_aggregate(const table *t, const selection *in, size_t column_index,
                    aggregate kind, value *result, char *err)
{
	const column *col;
	result->kind = VALUE_NULL;
	if (column_index >= t->column_count)
		return fail(err, "%s: no column number %zu", aggregate_name(kind),
		            column_index + 1);
	col = &t->columns[column_index];
	if (kind == AGGREGATE_MIN || kind == AGGREGATE_MAX) {
		aggregate_extreme(t, in, column_index, kind == AGGREGATE_MAX, result);
		return 0;
	}
	if (col->type != COLUMN_INTEGER && col->type != COLUMN_NUMBER)
		return fail(err, "%s: column '%.200s' holds %s, not numbers",
		            aggregate_name(kind), col->name, column_holds(col->type));
	aggregate_sum(t, in, column_index, kind == AGGREGATE_AVG, result);
	return 0;
}
/* }====== */

/* {====== Aggregates of every group at once ====== */

/* Each group's sum, accumulated in one pass in the input's order: the
** same additions, in the same order, as summing each group's rows alone. */
typedef union group_sum {
	split_sum integers;
	number_sum numbers;
} group_sum;

/* The group of each bucket of a grouping made by counting. */
static uint32_t *bucket_groups(const column *key, const group_list *groups,
                               int64_t least, uint64_t span)
{
	uint32_t *map = reel_calloc((size_t)span + 2, sizeof *map);
	size_t i;
	if (map == NULL)
		return NULL;
	for (i = 0; i < groups->count; i++)
		map[key_bucket(key, groups->groups[i].key_row, least, span)] = (uint32_t)i;
	return map;
}

/* add_to_groups for integer keys without nulls and integer cells: the
** benchmark's shape (years, durations), kept free of type and key tests. */
static void add_integers_to_groups(const column *key, const column *col,
                                   const selection *in, int64_t least,
                                   const uint32_t *map, group_sum *sums)
{
	FOR_EACH_INTEGER(key, in, r, k, {
		split_sum *g;
		int64_t x;
		if (col->nulls != NULL && cell_is_null(col, r))
			continue;
		g = &sums[map[(uint64_t)k - (uint64_t)least]].integers;
		x = column_integer(col, r);
		g->high += high_half(x);
		g->low += (uint64_t)x & 0xffffffffu;
		g->cells++;
	});
}

static void add_to_groups(const column *key, const column *col, const selection *in,
                          int64_t least, uint64_t span, const uint32_t *map,
                          group_sum *sums)
{
	size_t i;
	if (key->type == COLUMN_INTEGER && key->nulls == NULL &&
	    col->type == COLUMN_INTEGER) {
		add_integers_to_groups(key, col, in, least, map, sums);
		return;
	}
	for (i = 0; i < in->count; i++) {
		row_id r = in->rows[i];
		group_sum *g = &sums[map[key_bucket(key, r, least, span)]];
		if (cell_is_null(col, r))
			continue;
		if (col->type == COLUMN_NUMBER) {
			number_sum_add(&g->numbers, col->numbers[r]);
			continue;
		}
		g->integers.high += high_half(column_integer(col, r));
		g->integers.low += (uint64_t)column_integer(col, r) & 0xffffffffu;
		g->integers.cells++;
	}
}

/* A group's sum or average as aggregate_sum gives it; false when an
** integer sum overflows (aggregate_sum then sums as numbers). */
static bool group_result(const column *col, const group_sum *g, bool average,
                         value *result)
{
	int64_t total;
	size_t cells = col->type == COLUMN_NUMBER ? g->numbers.cells : g->integers.cells;
	result->kind = VALUE_NULL;
	if (cells == 0)
		return true;
	if (col->type == COLUMN_NUMBER) {
		result->kind = VALUE_NUMBER;
		result->as.number = number_sum_total(&g->numbers) /
		                    (average ? (double)cells : 1.0);
		return true;
	}
	if (!split_sum_total(g->integers, &total))
		return false;
	if (average) {
		result->kind = VALUE_NUMBER;
		result->as.number = (double)total / (double)cells;
	} else {
		*result = integer_cell(total);
	}
	return true;
}

/* small_key_span's answer for the rows `groups` came from, read off the
** groups' keys (ascending, the null group last) instead of the rows. */
static bool group_key_span(const column *key, const group_list *groups,
                           const selection *in, int64_t *least, uint64_t *span)
{
	size_t n = groups->count;
	int64_t lo = 0, hi = 0;
	if (key->type != COLUMN_INTEGER && key->type != COLUMN_BOOLEAN)
		return false;
	if (n > 0 && groups->groups[n - 1].key_is_null)
		n--;
	if (n > 0) {
		lo = small_key(key, groups->groups[0].key_row);
		hi = small_key(key, groups->groups[n - 1].key_row);
	}
	*least = lo;
	*span = (uint64_t)hi - (uint64_t)lo;
	return *span < COUNTING_SPAN && *span <= 2 * (uint64_t)in->count;
}

static bool has_group_pass(const table *t, const selection *in, size_t key,
                           size_t value_column, aggregate kind)
{
	column_type type;
	if (key >= t->column_count || value_column >= t->column_count || in->count == 0 ||
	    (kind != AGGREGATE_SUM && kind != AGGREGATE_AVG))
		return false;
	type = t->columns[value_column].type;
	return type == COLUMN_INTEGER || type == COLUMN_NUMBER;
}

int query_group_aggregates(const table *t, const selection *in, size_t key,
                           const group_list *groups, size_t value_column,
                           aggregate kind, value *results)
{
	int64_t least;
	uint64_t span;
	uint32_t *map;
	group_sum *sums;
	size_t i;
	int done = 1;
	if (!has_group_pass(t, in, key, value_column, kind) ||
	    !group_key_span(&t->columns[key], groups, in, &least, &span))
		return 0;
	map = bucket_groups(&t->columns[key], groups, least, span);
	sums = reel_calloc(groups->count > 0 ? groups->count : 1, sizeof *sums);
	if (map == NULL || sums == NULL) {
		reel_free(map);
		reel_free(sums);
		return -1;
	}
	add_to_groups(&t->columns[key], &t->columns[value_column], in, least, span, map, sums);
	for (i = 0; done && i < groups->count; i++)
		done = group_result(&t->columns[value_column], &sums[i],
		                    kind == AGGREGATE_AVG, &results[i]);
	reel_free(map);
	reel_free(sums);
	return done;
}
/* }====== */

/* {====== Search ====== */

/* Mark the rows (by place in `in`) whose cell of string column col holds
** the needle; rows already marked are skipped. -1 when out of memory. */
static int mark_matches(const table *t, const column *col, const selection *in,
                        text_finder *f, uint8_t *found)
{
	size_t i;
	for (i = 0; i < in->count; i++) {
		row_id r = in->rows[i];
		int match;
		if (found[i] || cell_is_null(col, r))
			continue;
		match = finder_match(f, column_text(t, col, r), column_text_length(col, r));
		if (match < 0)
			return -1;
		found[i] = (uint8_t)match;
	}
	return 0;
}

static selection *search_columns(const table *t, const selection *in,
                                 text_finder *f, uint8_t *found)
{
	selection *out;
	size_t c, i, kept = 0;
	for (c = 0; c < t->column_count; c++)
		if (t->columns[c].type == COLUMN_STRING &&
		    mark_matches(t, &t->columns[c], in, f, found) != 0)
			return NULL;
	for (i = 0; i < in->count; i++)
		kept += found[i];
	out = selection_new(kept);
	if (out == NULL)
		return NULL;
	for (i = 0; i < in->count; i++)
		if (found[i])
			out->rows[out->count++] = in->rows[i];
	return out;
}

selection *query_search(const table *t, const selection *in,
                        const char *text, size_t length)
{
	text_finder f;
	uint8_t *found;
	selection *out;
	if (length == 0)
		return selection_copy(in);
	found = reel_calloc(in->count + 1, 1);
	if (found == NULL)
		return NULL;
	if (finder_open(&f, text, length) != 0) {
		reel_free(found);
		return NULL;
	}
	out = search_columns(t, in, &f, found);
	finder_close(&f);
	reel_free(found);
	return out;
}
/* }====== */
