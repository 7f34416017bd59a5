/*
** test_query.c: unit tests of the query layer (selection.h, where.h, sort.h,
** topk.h, sample.h, group.h, aggregate.h, search.h, value.h): selections,
** where, sort, randomness, groups, aggregates, search, value order, and clean
** failure when memory runs out. Tables are built with table.h's builder.
*/
#include <math.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "core/aggregate.h"
#include "core/error.h"
#include "core/group.h"
#include "core/memory.h"
#include "core/sample.h"
#include "core/search.h"
#include "core/selection.h"
#include "core/sort.h"
#include "core/table.h"
#include "core/topk.h"
#include "core/value.h"
#include "core/where.h"
#include "where_once.h"
#include "tap.h"

/* {====== Helpers ====== */

/* A table from a header and cells given row by row (NULL: a null cell). */
static table *build(size_t columns, const char *const *names,
                    const char *const *cells, size_t rows)
{
	reel_error err = REEL_ERROR_INIT;
	table_builder *b = table_builder_new(columns, names);
	size_t i;
	if (b == NULL)
		return NULL;
	for (i = 0; i < rows * columns; i++) {
		int failed = cells[i] == NULL ? table_builder_add_null(b)
		             : table_builder_add(b, cells[i], strlen(cells[i]));
		if (failed != 0 || ((i + 1) % columns == 0 &&
		                    table_builder_end_row(b, &err) != 0)) {
			table_builder_free(b);
			return NULL;
		}
	}
	return table_builder_finish(b, &err);
}

enum { TITLE, ORIGINAL, YEAR, DURATION, RATING, SEEN, NOTE, FILM_COLUMNS };

static const char *const film_names[FILM_COLUMNS] = {
	"title", "original_title", "year", "duration", "rating", "seen", "note"
};

/* The built-in catalogue's films, with nulls sprinkled over four columns. */
static const char *const film_cells[] = {
	"Miracle in Cell No. 7", "7번방의 선물", "2013", "127", "8.2", "true", "tear",
	"Wedding Dress", "웨딩드레스", "2010", "109", "7.4", "false", NULL,
	"Hope", "소원", "2013", "122", NULL, "true", "based on a true story",
	"Daisy", "데이지", "2006", "110", "6.9", NULL, "AMSTERDAM",
	"A Moment to Remember", "내 머리 속의 지우개", "2004", "117", "8.1", "true", NULL,
	"More than Blue", "슬픔보다 더 슬픈 이야기", "2009", "105", "7", "false", "sad",
	"Harmony", "하모니", "2010", "115", "7.2", NULL, "Straße choir",
	"Silenced", "도가니", "2011", "125", "8.0", "true", "SILENCED by the court",
	"Way Back Home", "집으로 가는 길", NULL, "131", "7.3", "false", NULL,
	"Spirits' Homecoming", "귀향", "2016", "127", "6.8", "true", "Été 1943",
};
#define FILM_ROWS 10

static table *films(void)
{
	return build(FILM_COLUMNS, film_names, film_cells, FILM_ROWS);
}

/* A selection's rows as "0 2 7" (a static buffer), or "(null)". */
static const char *rows_text(const selection *s)
{
	static char text[4096];
	size_t i, used = 0;
	if (s == NULL)
		return "(null)";
	text[0] = '\0';
	for (i = 0; i < s->count && used + 16 < sizeof text; i++)
		used += (size_t)snprintf(text + used, sizeof text - used, "%s%u",
		                         i > 0 ? " " : "", (unsigned)s->rows[i]);
	return text;
}

static value integer_value(int64_t x)
{
	value v;
	v.kind = VALUE_INTEGER;
	v.as.integer = x;
	return v;
}

static value number_value(double x)
{
	value v;
	v.kind = VALUE_NUMBER;
	v.as.number = x;
	return v;
}

static value string_value(const char *text)
{
	value v;
	v.kind = VALUE_STRING;
	v.as.string.text = text;
	v.as.string.length = strlen(text);
	return v;
}

static value boolean_value(bool b)
{
	value v;
	v.kind = VALUE_BOOLEAN;
	v.as.boolean = b;
	return v;
}

static value null_value(void)
{
	value v;
	v.kind = VALUE_NULL;
	return v;
}

static predicate compare(size_t col, predicate_op op, value operand)
{
	predicate p;
	memset(&p, 0, sizeof p);
	p.column = col;
	p.op = op;
	p.operand = operand;
	return p;
}

static predicate between(size_t col, value low, value high)
{
	predicate p = compare(col, OP_BETWEEN, low);
	p.upper = high;
	return p;
}

static predicate in_set(size_t col, const value *set, size_t count)
{
	predicate p = compare(col, OP_IN, null_value());
	p.set = set;
	p.set_count = count;
	return p;
}

/* The rows of all of t that satisfy p, as text. */
static const char *where_text(const table *t, predicate p)
{
	static reel_error err;
	selection *all = selection_all(t);
	selection *kept = where_once(t, all, &p, 1, &err);
	const char *text = kept != NULL ? rows_text(kept) : err.message;
	selection_free(kept);
	selection_free(all);
	return text;
}

/* The error where_once gives for p ("" when it succeeds). */
static const char *where_error(const table *t, predicate p)
{
	static reel_error err;
	selection *all = selection_all(t);
	selection *kept;
	err.message[0] = '\0';
	kept = where_once(t, all, &p, 1, &err);
	if (kept != NULL)
		err.message[0] = '\0';
	ok(kept == NULL, "query_where refuses %s on column %zu",
	   where_op_name(p.op), p.column);
	selection_free(kept);
	selection_free(all);
	return err.message;
}

static const char *sort_text(const table *t, const sort_key *keys, size_t count)
{
	selection *all = selection_all(t);
	selection *sorted = sort_rows(t, all, keys, count);
	const char *text = rows_text(sorted);
	selection_free(sorted);
	selection_free(all);
	return text;
}

static bool is_permutation_of(const selection *s, const selection *of)
{
	static unsigned char seen[1 << 16];
	size_t i;
	bool fine = s->count <= of->count;
	memset(seen, 0, sizeof seen);
	for (i = 0; i < of->count; i++)
		seen[of->rows[i]] = 1;
	for (i = 0; fine && i < s->count; i++) {
		fine = seen[s->rows[i]] == 1;
		seen[s->rows[i]] = 2;
	}
	return fine;
}

static bool same_rows(const selection *a, const selection *b)
{
	return a->count == b->count &&
	       (a->count == 0 || memcmp(a->rows, b->rows, a->count * sizeof *a->rows) == 0);
}
/* }====== */

/* {====== Selections ====== */

static void test_selections(void)
{
	selection *s = selection_new(0), *all, *copy, *part;
	row_id r;
	ok(s != NULL && s->count == 0, "selection_new gives an empty selection");
	for (r = 0; r < 100; r++)
		if (selection_push(s, 99 - r) != 0)
			break;
	ok(r == 100 && s->count == 100 && s->rows[0] == 99 && s->rows[99] == 0,
	   "selection_push grows the selection in order");
	copy = selection_copy(s);
	ok(copy != NULL && same_rows(copy, s) && copy->rows != s->rows,
	   "selection_copy copies the rows");
	selection_free(copy);
	part = selection_slice(s, 10, 3);
	is_string(rows_text(part), "89 88 87", "slice: offset 10, limit 3");
	selection_free(part);
	part = selection_slice(s, 0, SIZE_MAX);
	ok(part != NULL && same_rows(part, s), "slice: limit SIZE_MAX keeps all");
	selection_free(part);
	part = selection_slice(s, 98, 5);
	is_string(rows_text(part), "1 0", "slice: a limit past the end stops there");
	selection_free(part);
	part = selection_slice(s, 100, 5);
	ok(part != NULL && part->count == 0, "slice: offset at the end is empty");
	selection_free(part);
	part = selection_slice(s, 500, SIZE_MAX);
	ok(part != NULL && part->count == 0, "slice: offset past the end is empty");
	selection_free(part);
	part = selection_slice(s, 3, 0);
	ok(part != NULL && part->count == 0, "slice: limit 0 is empty");
	selection_free(part);
	selection_free(s);
	s = selection_new(0);
	part = selection_slice(s, 0, 10);
	ok(part != NULL && part->count == 0, "slice of an empty selection");
	selection_free(part);
	selection_free(s);
	selection_free(NULL);
	{
		table *t = films();
		all = t ? selection_all(t) : NULL;
		is_string(rows_text(all), "0 1 2 3 4 5 6 7 8 9", "selection_all: rows 0..n-1");
		selection_free(all);
		table_free(t);
	}
}
/* }====== */

/* {====== Where ====== */

static void test_where_integers(const table *t)
{
	value set[5];
	is_string(where_text(t, compare(YEAR, OP_EQ, integer_value(2013))), "0 2", "year eq 2013");
	is_string(where_text(t, compare(YEAR, OP_EQ, number_value(2013.0))), "0 2",
	          "year eq 2013.0 compares numerically");
	is_string(where_text(t, compare(YEAR, OP_EQ, number_value(2013.5))), "", "year eq 2013.5: none");
	is_string(where_text(t, compare(YEAR, OP_NE, integer_value(2013))), "1 3 4 5 6 7 9",
	          "year ne 2013 leaves out the null year");
	is_string(where_text(t, compare(YEAR, OP_NE, number_value(2013.5))), "0 1 2 3 4 5 6 7 9",
	          "year ne 2013.5: every non-null");
	is_string(where_text(t, compare(YEAR, OP_LT, integer_value(2010))), "3 4 5", "year lt 2010");
	is_string(where_text(t, compare(YEAR, OP_LT, number_value(2009.5))), "3 4 5", "year lt 2009.5");
	is_string(where_text(t, compare(YEAR, OP_LE, number_value(2009.5))), "3 4 5", "year le 2009.5");
	is_string(where_text(t, compare(YEAR, OP_LE, integer_value(2010))), "1 3 4 5 6", "year le 2010");
	is_string(where_text(t, compare(YEAR, OP_GT, integer_value(2011))), "0 2 9", "year gt 2011");
	is_string(where_text(t, compare(YEAR, OP_GT, number_value(2010.5))), "0 2 7 9", "year gt 2010.5");
	is_string(where_text(t, compare(YEAR, OP_GE, integer_value(2011))), "0 2 7 9", "year ge 2011");
	is_string(where_text(t, compare(YEAR, OP_GE, number_value(2010.01))), "0 2 7 9", "year ge 2010.01");
	is_string(where_text(t, between(YEAR, integer_value(2009), integer_value(2011))), "1 5 6 7",
	          "year between 2009 and 2011");
	is_string(where_text(t, between(YEAR, number_value(2009.5), number_value(2011.9))), "1 6 7",
	          "year between 2009.5 and 2011.9");
	is_string(where_text(t, between(YEAR, integer_value(2011), integer_value(2009))), "",
	          "year between reversed bounds: none");
	is_string(where_text(t, compare(DURATION, OP_LT, number_value(109.5))), "1 5",
	          "duration lt 109.5");
	is_string(where_text(t, compare(YEAR, OP_LT, number_value(1e300))), "0 1 2 3 4 5 6 7 9",
	          "year lt 1e300: every non-null");
	is_string(where_text(t, compare(YEAR, OP_GT, number_value(-1e300))), "0 1 2 3 4 5 6 7 9",
	          "year gt -1e300: every non-null");
	is_string(where_text(t, compare(YEAR, OP_LT, number_value(-1e300))), "", "year lt -1e300: none");
	is_string(where_text(t, compare(YEAR, OP_GE, number_value(1e300))), "", "year ge 1e300: none");
	is_string(where_text(t, compare(YEAR, OP_EQ, number_value(NAN))), "", "year eq NaN: none");
	is_string(where_text(t, compare(YEAR, OP_GT, integer_value(INT64_MAX))), "", "year gt INT64_MAX");
	is_string(where_text(t, compare(YEAR, OP_LT, integer_value(INT64_MIN))), "", "year lt INT64_MIN");
	is_string(where_text(t, compare(YEAR, OP_LE, integer_value(INT64_MAX))), "0 1 2 3 4 5 6 7 9",
	          "year le INT64_MAX");
	set[0] = integer_value(2004);
	set[1] = integer_value(2016);
	set[2] = number_value(2016.0);
	set[3] = number_value(2010.5);
	is_string(where_text(t, in_set(YEAR, set, 4)), "4 9", "year in {2004, 2016, 2016.0, 2010.5}");
	set[0] = integer_value(2013);
	set[1] = null_value();
	is_string(where_text(t, in_set(YEAR, set, 2)), "0 2 8", "year in {2013, null} keeps the null");
	is_string(where_text(t, in_set(YEAR, set, 0)), "", "year in {}: none");
	is_string(where_text(t, compare(YEAR, OP_NULL, boolean_value(true))), "8", "year null true");
	is_string(where_text(t, compare(YEAR, OP_NULL, boolean_value(false))), "0 1 2 3 4 5 6 7 9",
	          "year null false");
	is_string(where_text(t, compare(DURATION, OP_NULL, boolean_value(true))), "",
	          "null true on a column without nulls");
	is_string(where_text(t, compare(DURATION, OP_NULL, boolean_value(false))), "0 1 2 3 4 5 6 7 8 9",
	          "null false on a column without nulls");
	is_string(where_text(t, compare(DURATION, OP_NE, number_value(109.5))), "0 1 2 3 4 5 6 7 8 9",
	          "duration ne 109.5 on a column without nulls");
	is_string(where_text(t, compare(YEAR, OP_EQ, null_value())), "8", "year eq null is null true");
	is_string(where_text(t, compare(YEAR, OP_NE, null_value())), "0 1 2 3 4 5 6 7 9",
	          "year ne null is null false");
}

static void test_where_numbers(const table *t)
{
	value set[3];
	is_string(where_text(t, compare(RATING, OP_EQ, integer_value(7))), "5", "rating eq 7 (integer)");
	is_string(where_text(t, compare(RATING, OP_NE, integer_value(7))), "0 1 3 4 6 7 8 9",
	          "rating ne 7 leaves out the null");
	is_string(where_text(t, compare(RATING, OP_GT, integer_value(8))), "0 4", "rating gt 8");
	is_string(where_text(t, compare(RATING, OP_GE, number_value(8.0))), "0 4 7", "rating ge 8.0");
	is_string(where_text(t, compare(RATING, OP_LT, integer_value(7))), "3 9", "rating lt 7");
	is_string(where_text(t, compare(RATING, OP_LE, number_value(7.0))), "3 5 9", "rating le 7.0");
	is_string(where_text(t, between(RATING, integer_value(7), number_value(7.3))), "5 6 8",
	          "rating between 7 and 7.3");
	is_string(where_text(t, compare(RATING, OP_NULL, boolean_value(true))), "2", "rating null true");
	set[0] = integer_value(7);
	set[1] = number_value(8.2);
	set[2] = integer_value(100);
	is_string(where_text(t, in_set(RATING, set, 3)), "0 5", "rating in {7, 8.2, 100}");
	is_string(where_text(t, compare(RATING, OP_LT, integer_value(INT64_MAX))), "0 1 3 4 5 6 7 8 9",
	          "rating lt INT64_MAX (an integer no double holds)");
	is_string(where_text(t, compare(RATING, OP_NE, number_value(NAN))), "0 1 3 4 5 6 7 8 9",
	          "rating ne NaN: every non-null");
}

/* Around 2^53 a double cannot hold every integer: 2^53 + 1 must not equal
** the double 2^53. */
static void test_where_precision(void)
{
	static const char *const names[] = { "big", "count" };
	static const char *const cells[] = {
		"9007199254740992.0", "9007199254740993",
		"0.5", "9007199254740992",
	};
	table *t = build(2, names, cells, 2);
	ok(t != NULL && t->columns[0].type == COLUMN_NUMBER &&
	   t->columns[1].type == COLUMN_INTEGER, "a table of large numbers");
	if (t == NULL)
		return;
	is_string(where_text(t, compare(0, OP_EQ, integer_value(9007199254740993))), "",
	          "2^53 as a double is not 2^53 + 1");
	is_string(where_text(t, compare(0, OP_LT, integer_value(9007199254740993))), "0 1",
	          "2^53 as a double is below 2^53 + 1");
	is_string(where_text(t, compare(0, OP_GE, integer_value(9007199254740993))), "",
	          "nothing is at least 2^53 + 1");
	is_string(where_text(t, between(0, integer_value(1), integer_value(9007199254740993))), "0",
	          "between with an integer bound past 2^53");
	is_string(where_text(t, compare(1, OP_GT, number_value(9007199254740992.0))), "0",
	          "the integer 2^53 + 1 is above the double 2^53");
	is_string(where_text(t, compare(1, OP_EQ, number_value(9007199254740992.0))), "1",
	          "the integer 2^53 equals the double 2^53");
	is_string(where_text(t, compare(0, OP_NE, integer_value(9007199254740993))), "0 1",
	          "ne an integer past 2^53");
	is_string(where_text(t, compare(0, OP_LE, integer_value(9007199254740993))), "0 1",
	          "le an integer past 2^53");
	is_string(where_text(t, compare(0, OP_GT, integer_value(-9007199254740993))), "0 1",
	          "gt an integer below -2^53");
	is_string(where_text(t, compare(0, OP_EQ, integer_value(INT64_MIN + 1))), "",
	          "eq an integer near INT64_MIN");
	table_free(t);
}

static void test_where_strings(const table *t)
{
	value set[3];
	is_string(where_text(t, compare(TITLE, OP_EQ, string_value("Hope"))), "2", "title eq Hope");
	is_string(where_text(t, compare(TITLE, OP_EQ, string_value("hope"))), "", "eq is case-sensitive");
	is_string(where_text(t, compare(TITLE, OP_NE, string_value("Hope"))), "0 1 3 4 5 6 7 8 9",
	          "title ne Hope");
	is_string(where_text(t, compare(TITLE, OP_LT, string_value("D"))), "4", "title lt D");
	is_string(where_text(t, compare(TITLE, OP_LE, string_value("Daisy"))), "3 4", "title le Daisy");
	is_string(where_text(t, compare(TITLE, OP_GT, string_value("Way"))), "1 8", "title gt Way");
	is_string(where_text(t, compare(TITLE, OP_GE, string_value("Way Back Home"))), "1 8",
	          "title ge Way Back Home");
	is_string(where_text(t, between(TITLE, string_value("H"), string_value("M"))), "2 6",
	          "title between H and M (a prefix sorts first)");
	is_string(where_text(t, compare(NOTE, OP_NE, string_value("sad"))), "0 2 3 6 7 9",
	          "note ne sad leaves out the nulls");
	is_string(where_text(t, compare(ORIGINAL, OP_EQ, string_value("도가니"))), "7",
	          "original_title eq a Hangul title");
	is_string(where_text(t, compare(ORIGINAL, OP_LT, string_value("나"))), "0 9",
	          "Hangul compares bytewise (a digit first)");
	set[0] = string_value("Hope");
	set[1] = string_value("Daisy");
	set[2] = string_value("Nope");
	is_string(where_text(t, in_set(TITLE, set, 3)), "2 3", "title in {Hope, Daisy, Nope}");
	set[0] = string_value("sad");
	set[1] = null_value();
	is_string(where_text(t, in_set(NOTE, set, 2)), "1 4 5 8", "note in {sad, null}");
}

static void test_where_contains(const table *t)
{
	is_string(where_text(t, compare(TITLE, OP_CONTAINS, string_value("SILENCED"))), "7",
	          "title contains SILENCED, ignoring case");
	is_string(where_text(t, compare(NOTE, OP_CONTAINS, string_value("silenced"))), "7",
	          "note contains silenced (nulls skipped)");
	is_string(where_text(t, compare(TITLE, OP_CONTAINS, string_value("hOmE"))), "8 9",
	          "title contains hOmE");
	is_string(where_text(t, compare(ORIGINAL, OP_CONTAINS, string_value("가니"))), "7",
	          "original_title contains a Hangul word");
	is_string(where_text(t, compare(ORIGINAL, OP_CONTAINS, string_value("이"))), "3 5",
	          "original_title contains one Hangul syllable");
	is_string(where_text(t, compare(NOTE, OP_CONTAINS, string_value("ÉTÉ"))), "9",
	          "contains folds accented capitals");
	is_string(where_text(t, compare(NOTE, OP_CONTAINS, string_value("E\xcc\x81t\xc3\xa9"))), "9",
	          "contains composes a decomposed needle");
	is_string(where_text(t, compare(NOTE, OP_CONTAINS, string_value("STRASSE"))), "6",
	          "contains folds sharp s to ss");
	is_string(where_text(t, compare(NOTE, OP_CONTAINS, string_value(""))), "0 2 3 5 6 7 9",
	          "contains the empty string: every non-null");
	is_string(where_text(t, compare(TITLE, OP_CONTAINS, string_value("Homecoming!"))), "",
	          "contains a longer text: none");
	is_string(where_text(t, compare(TITLE, OP_CONTAINS, string_value("\xff\xfe"))), "",
	          "contains an invalid UTF-8 needle: none, no crash");
}

/* utf8proc_map's folding, which contains must agree with. */
static char *reference_fold(const char *text)
{
	utf8proc_uint8_t *folded = NULL;
	utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)text, 0, &folded,
	                                  UTF8PROC_NULLTERM | UTF8PROC_CASEFOLD |
	                                  UTF8PROC_COMPOSE | UTF8PROC_STABLE);
	return n < 0 ? NULL : (char *)folded;
}

/* Random cells and needles from pieces that fold simply (ASCII, Latin-1,
** Hangul, kana) and pieces that do not (jamo that compose, combining marks,
** the Kelvin sign, ß, µ, ligatures, Greek sigma): contains must match the
** reference folding on every one. */
static void test_contains_folding(void)
{
	static const char *pieces[] = {
		"a", "B", "s", "k", " ", "É", "é", "Þ", "×", "\xc2\xa0", "ß", "µ", "도",
		"가", "니", "か", "カ", "\xe3\x82\x99", "\xe1\x84\x80", "\xe1\x85\xa1",
		"\xe1\x86\xa8", "\xcc\x81", "\xe2\x84\xaa", "İ", "ﬁ", "Σ", "ς", "漢"
	};
	static const char *names[] = { "text" };
	static char texts[600][64];
	const char *cells[600];
	char needle[32];
	film_random r;
	table *t;
	size_t i, j, trial, hits = 0, pieces_count = sizeof pieces / sizeof pieces[0];
	bool agree = true, folded = true;
	sample_seed(&r, 99);
	for (i = 0; i < 600; i++) {
		size_t n = (size_t)sample_below(&r, 7);
		texts[i][0] = '\0';
		for (j = 0; j < n; j++)
			strcat(texts[i], pieces[sample_below(&r, pieces_count)]);
		cells[i] = texts[i];
	}
	t = build(1, names, cells, 600);
	for (trial = 0; t != NULL && trial < 150; trial++) {
		size_t n = 1 + (size_t)sample_below(&r, 2), k = 0;
		char *want_needle;
		selection *kept;
		needle[0] = '\0';
		for (j = 0; j < n; j++)
			strcat(needle, pieces[sample_below(&r, pieces_count)]);
		{
			selection *all = selection_all(t);
			predicate p = compare(0, OP_CONTAINS, string_value(needle));
			kept = where_once(t, all, &p, 1, NULL);
			selection_free(all);
		}
		want_needle = reference_fold(needle);
		for (i = 0; kept != NULL && want_needle != NULL && i < 600; i++) {
			char *cell = reference_fold(texts[i]);
			bool want = cell != NULL && strstr(cell, want_needle) != NULL;
			bool got = k < kept->count && kept->rows[k] == i;
			folded = folded && cell != NULL;
			k += got ? 1 : 0;
			hits += got ? 1 : 0;
			agree = agree && want == got;
			free(cell);
		}
		agree = agree && kept != NULL && k == kept->count;
		free(want_needle);
		selection_free(kept);
	}
	ok(t != NULL && folded, "the reference folds every cell");
	ok(agree && hits > 1000 && hits < 150 * 600 / 2,
	   "contains agrees with utf8proc_map's folding on mixed scripts (%zu matches)", hits);
	table_free(t);
}

static void test_where_booleans(const table *t)
{
	value set[2];
	is_string(where_text(t, compare(SEEN, OP_EQ, boolean_value(true))), "0 2 4 7 9", "seen eq true");
	is_string(where_text(t, compare(SEEN, OP_EQ, boolean_value(false))), "1 5 8", "seen eq false");
	is_string(where_text(t, compare(SEEN, OP_NE, boolean_value(true))), "1 5 8",
	          "seen ne true leaves out the nulls");
	is_string(where_text(t, compare(SEEN, OP_NE, boolean_value(false))), "0 2 4 7 9", "seen ne false");
	is_string(where_text(t, compare(SEEN, OP_NULL, boolean_value(true))), "3 6", "seen null true");
	set[0] = boolean_value(true);
	set[1] = boolean_value(false);
	is_string(where_text(t, in_set(SEEN, set, 1)), "0 2 4 7 9", "seen in {true}");
	is_string(where_text(t, in_set(SEEN, set, 2)), "0 1 2 4 5 7 8 9", "seen in {true, false}");
	set[1] = null_value();
	is_string(where_text(t, in_set(SEEN, set, 2)), "0 2 3 4 6 7 9", "seen in {true, null}");
}

static void test_where_and(const table *t)
{
	reel_error err = REEL_ERROR_INIT;
	predicate both[2];
	selection *all = selection_all(t), *reversed = selection_new(FILM_ROWS), *kept;
	size_t i;
	both[0] = compare(YEAR, OP_GE, integer_value(2010));
	both[1] = compare(DURATION, OP_LT, integer_value(120));
	kept = where_once(t, all, both, 2, &err);
	is_string(rows_text(kept), "1 6", "year ge 2010 and duration lt 120");
	selection_free(kept);
	both[1] = compare(TITLE, OP_CONTAINS, string_value("e"));
	kept = where_once(t, all, both, 2, &err);
	is_string(rows_text(kept), "0 1 2 7 9", "year ge 2010 and title contains e");
	selection_free(kept);
	for (i = FILM_ROWS; i-- > 0;)
		selection_push(reversed, (row_id)i);
	kept = where_once(t, reversed, both, 2, &err);
	is_string(rows_text(kept), "9 7 2 1 0", "where keeps the input's order");
	selection_free(kept);
	kept = where_once(t, reversed, both, 0, &err);
	ok(kept != NULL && same_rows(kept, reversed), "where with no predicates keeps every row");
	selection_free(kept);
	both[1] = compare(SEEN, OP_LT, boolean_value(true));
	kept = where_once(t, all, both, 2, &err);
	ok(kept == NULL && strstr(err.message, "seen") != NULL, "a bad second predicate is an error");
	selection_free(reversed);
	selection_free(all);
}

static void test_where_errors(const table *t)
{
	value set[2];
	char name[1000];
	const char *err;
	is_string(where_error(t, compare(YEAR, OP_EQ, string_value("2013"))),
	          "where: column 'year' holds integers, not strings", "a string for an integer column");
	is_string(where_error(t, compare(RATING, OP_LT, string_value("7"))),
	          "where: column 'rating' holds numbers, not strings", "a string for a number column");
	is_string(where_error(t, compare(TITLE, OP_EQ, integer_value(5))),
	          "where: column 'title' holds strings, not integers", "an integer for a string column");
	is_string(where_error(t, compare(SEEN, OP_EQ, integer_value(1))),
	          "where: column 'seen' holds booleans, not integers", "an integer for a boolean column");
	is_string(where_error(t, compare(YEAR, OP_EQ, boolean_value(true))),
	          "where: column 'year' holds integers, not booleans", "a boolean for an integer column");
	is_string(where_error(t, compare(SEEN, OP_LT, boolean_value(true))),
	          "where: lt does not apply to column 'seen', which holds booleans",
	          "lt on booleans");
	err = where_error(t, between(SEEN, boolean_value(false), boolean_value(true)));
	ok(strstr(err, "between") != NULL && strstr(err, "'seen'") != NULL, "between on booleans");
	is_string(where_error(t, compare(YEAR, OP_CONTAINS, string_value("20"))),
	          "where: contains needs a string column, and 'year' holds integers",
	          "contains on an integer column");
	is_string(where_error(t, compare(TITLE, OP_CONTAINS, integer_value(7))),
	          "where: column 'title' holds strings, not integers", "contains with an integer");
	is_string(where_error(t, compare(YEAR, OP_LT, null_value())),
	          "where: lt on column 'year' needs a value, not null", "lt null");
	err = where_error(t, between(YEAR, integer_value(2000), null_value()));
	ok(strstr(err, "null") != NULL && strstr(err, "'year'") != NULL, "between with a null bound");
	set[0] = integer_value(2013);
	set[1] = string_value("x");
	is_string(where_error(t, in_set(YEAR, set, 2)),
	          "where: column 'year' holds integers, not strings", "a string in an integer set");
	err = where_error(t, compare(YEAR, OP_NULL, integer_value(1)));
	ok(strstr(err, "true or false") != NULL, "null takes a boolean");
	err = where_error(t, compare(FILM_COLUMNS, OP_EQ, integer_value(1)));
	ok(strstr(err, "no column") != NULL, "a column past the last");
	err = where_error(t, compare(YEAR, (predicate_op)42, integer_value(1)));
	ok(strstr(err, "unknown operator") != NULL, "an unknown operator");
	memset(name, 'x', sizeof name - 1);
	name[sizeof name - 1] = '\0';
	{
		const char *names[1];
		const char *cells[1] = { "1" };
		table *wide;
		names[0] = name;
		wide = build(1, names, cells, 1);
		err = wide ? where_error(wide, compare(0, OP_EQ, string_value("a"))) : "";
		ok(strlen(err) > 0 && strlen(err) < REEL_ERROR_MAX, "a long column name still fits");
		table_free(wide);
	}
}

static void test_op_names(void)
{
	int op;
	bool round_trip = true;
	for (op = OP_EQ; op <= OP_NULL; op++)
		round_trip = round_trip &&
		             where_op_from_name(where_op_name((predicate_op)op)) == op;
	ok(round_trip, "every op name maps back to its op");
	is_string(where_op_name(OP_BETWEEN), "between", "OP_BETWEEN is between");
	is_string(where_op_name(OP_CONTAINS), "contains", "OP_CONTAINS is contains");
	is_integer(where_op_from_name("null"), OP_NULL, "null is OP_NULL");
	is_integer(where_op_from_name("like"), -1, "like is no op");
	is_integer(where_op_from_name("EQ"), -1, "op names are lower case");
}

/* where on random integer columns against a row-by-row reading. */
/* where_once_count and where_once_nth say what the made selection
** `kept` of where `p` over `in` holds: its count, each row, and nothing past. */
static bool agrees_without_selection(const table *t, const selection *in,
                                     const predicate *p, const selection *kept)
{
	reel_error err = REEL_ERROR_INIT;
	row_id row = 0;
	size_t i;
	if (where_once_count(t, in, p, 1, &err) != kept->count)
		return false;
	for (i = 0; i < kept->count; i += 1 + i / 3)
		if (where_once_nth(t, in, p, 1, i, &row, &err) != 1 || row != kept->rows[i])
			return false;
	return where_once_nth(t, in, p, 1, kept->count, &row, &err) == 0;
}

static void test_where_random(void)
{
	static const char *names[] = { "n" };
	static char texts[5000][24];
	static const char *cells[5000];
	film_random r;
	table *t;
	size_t i, trial;
	bool agree = true;
	sample_seed(&r, 7);
	for (i = 0; i < 5000; i++) {
		snprintf(texts[i], sizeof texts[i], "%d", (int)sample_below(&r, 201) - 100);
		cells[i] = sample_below(&r, 10) == 0 ? NULL : texts[i];
	}
	t = build(1, names, cells, 5000);
	for (trial = 0; t != NULL && trial < 60; trial++) {
		predicate_op op = (predicate_op)sample_below(&r, 7);
		double x = (double)sample_below(&r, 241) / 2 - 60;
		double y = x + (double)sample_below(&r, 40);
		predicate p = compare(0, op, sample_below(&r, 2) ? number_value(x)
		                                  : integer_value((int64_t)floor(x)));
		selection *all = selection_all(t), *kept;
		size_t k = 0;
		p.upper = number_value(y);
		kept = where_once(t, all, &p, 1, NULL);
		for (i = 0; kept != NULL && i < 5000; i++) {
			double v, o = p.operand.kind == VALUE_NUMBER ? p.operand.as.number
			                                             : (double)p.operand.as.integer;
			bool want;
			if (cells[i] == NULL)
				continue;
			v = (double)column_integer(&t->columns[0], i);
			want = op == OP_EQ ? v == o : op == OP_NE ? v != o : op == OP_LT ? v < o :
			       op == OP_LE ? v <= o : op == OP_GT ? v > o : op == OP_GE ? v >= o :
			       v >= o && v <= y;
			if (want && (k >= kept->count || kept->rows[k++] != i))
				agree = false;
		}
		agree = agree && kept != NULL && k == kept->count;
		agree = agree && kept != NULL && agrees_without_selection(t, all, &p, kept);
		selection_free(kept);
		selection_free(all);
	}
	ok(t != NULL && agree, "where on integers agrees with a row-by-row reading");
	table_free(t);
}
/* }====== */

/* {====== Sort ====== */

static void test_sort_films(const table *t)
{
	sort_key keys[2] = {{0, false, COLLATE_BINARY}, {0, false, COLLATE_BINARY}};
	keys[0].column = YEAR;
	keys[0].descending = false;
	is_string(sort_text(t, keys, 1), "4 3 5 1 6 7 0 2 9 8", "sort by year: stable, null last");
	keys[0].descending = true;
	is_string(sort_text(t, keys, 1), "9 0 2 7 1 6 5 3 4 8", "sort by -year: stable, null last");
	keys[0].column = RATING;
	keys[0].descending = false;
	is_string(sort_text(t, keys, 1), "9 3 5 6 8 1 7 4 0 2", "sort by rating, null last");
	keys[0].descending = true;
	is_string(sort_text(t, keys, 1), "0 4 7 1 8 6 5 3 9 2", "sort by -rating, null last");
	keys[0].column = SEEN;
	keys[0].descending = false;
	is_string(sort_text(t, keys, 1), "1 5 8 0 2 4 7 9 3 6", "sort by seen: false, true, null");
	keys[0].descending = true;
	is_string(sort_text(t, keys, 1), "0 2 4 7 9 1 5 8 3 6", "sort by -seen: true, false, null");
	keys[0].column = TITLE;
	keys[0].descending = false;
	is_string(sort_text(t, keys, 1), "4 3 6 2 0 5 7 9 8 1", "sort by title, bytewise");
	keys[0].column = NOTE;
	is_string(sort_text(t, keys, 1), "3 7 6 2 5 0 9 1 4 8", "sort by note, nulls last");
	keys[0].descending = true;
	is_string(sort_text(t, keys, 1), "9 0 5 2 6 7 3 1 4 8", "sort by -note, nulls last");
	keys[0].column = DURATION;
	keys[0].descending = true;
	keys[1].column = TITLE;
	keys[1].descending = false;
	is_string(sort_text(t, keys, 2), "8 0 9 7 2 4 6 3 1 5", "sort by -duration, title");
	keys[1].descending = true;
	is_string(sort_text(t, keys, 2), "8 9 0 7 2 4 6 3 1 5", "sort by -duration, -title");
	keys[0].column = SEEN;
	keys[0].descending = false;
	keys[1].column = YEAR;
	keys[1].descending = true;
	is_string(sort_text(t, keys, 2), "1 5 8 9 0 2 7 4 6 3", "sort by seen, -year");
	is_string(sort_text(t, keys, 0), "0 1 2 3 4 5 6 7 8 9", "sort by no key keeps the order");
	keys[0].column = FILM_COLUMNS;
	ok(strcmp(sort_text(t, keys, 1), "(null)") == 0, "sort by a column past the last: NULL");
}

static void test_sort_signs(void)
{
	static const char *names[] = { "i", "x" };
	static const char *cells[] = {
		"-5", "-0.0",
		"3", "0.0",
		"-100", "-0.0",
		"0", "-1e300",
		"9223372036854775807", "1e300",
		"-9223372036854775808", "2.5",
	};
	table *t = build(2, names, cells, 6);
	sort_key key = { 0, false, COLLATE_BINARY };
	if (t == NULL) {
		ok(false, "a table of signed values");
		return;
	}
	is_string(sort_text(t, &key, 1), "5 2 0 3 1 4", "negative integers and the extremes sort");
	key.column = 1;
	is_string(sort_text(t, &key, 1), "3 0 1 2 5 4", "-0.0 and 0.0 are equal, kept in order");
	key.descending = true;
	is_string(sort_text(t, &key, 1), "4 5 0 1 2 3", "descending numbers, ties in order");
	table_free(t);
}

/* The order a plain insertion sort gives, by value_compare (nulls last in
** either direction). */
static int reference_order(const table *t, const sort_key *keys, size_t count,
                           row_id a, row_id b)
{
	size_t k;
	for (k = 0; k < count; k++) {
		value va = table_value(t, keys[k].column, a);
		value vb = table_value(t, keys[k].column, b);
		int c = value_compare(&va, &vb);
		if (c != 0 && va.kind != VALUE_NULL && vb.kind != VALUE_NULL && keys[k].descending)
			c = -c;
		if (c != 0)
			return c;
	}
	return 0;
}

/* Groups in strictly ascending key order (null last), each holding rows of
** one key in input order, together every row once. */
static bool groups_are_sound(const table *t, const group_list *g, size_t col, size_t rows)
{
	size_t i, j, total = 0;
	bool sound = g != NULL;
	for (i = 0; sound && i < g->count; i++) {
		const selection *s = g->groups[i].rows;
		value key = table_value(t, col, g->groups[i].key_row);
		if (i > 0) {
			value before = table_value(t, col, g->groups[i - 1].key_row);
			sound = value_compare(&before, &key) < 0;
		}
		sound = sound && g->groups[i].key_is_null == (key.kind == VALUE_NULL);
		for (j = 0; sound && j < s->count; j++) {
			value cell = table_value(t, col, s->rows[j]);
			sound = value_compare(&cell, &key) == 0 && (j == 0 || s->rows[j - 1] < s->rows[j]);
		}
		total += s->count;
	}
	return sound && total == rows;
}

static void test_sort_random(void)
{
	static const char *names[] = { "a", "b", "c", "d" };
	static const char *words[] = { "b", "ab", "a", "", "B", "도가니", "abc" };
	static char numbers[1500][2][24];
	static const char *cells[1500 * 4];
	static row_id expected[1500];
	film_random r;
	table *t;
	size_t i, j, trial;
	bool agree = true;
	sample_seed(&r, 11);
	for (i = 0; i < 1500; i++) {
		snprintf(numbers[i][0], 24, "%d", (int)sample_below(&r, 30) - 15);
		snprintf(numbers[i][1], 24, "%.1f", (double)sample_below(&r, 20) / 4 - 2);
		cells[4 * i] = sample_below(&r, 8) ? numbers[i][0] : NULL;
		cells[4 * i + 1] = sample_below(&r, 8) ? words[sample_below(&r, 7)] : NULL;
		cells[4 * i + 2] = sample_below(&r, 8) ? numbers[i][1] : NULL;
		cells[4 * i + 3] = sample_below(&r, 5) ? (sample_below(&r, 2) ? "true" : "false") : NULL;
	}
	t = build(4, names, cells, 1500);
	for (trial = 0; t != NULL && trial < 12; trial++) {
		sort_key keys[3];
		selection *all = selection_all(t), *sorted;
		for (j = 0; j < 3; j++) {
			keys[j].column = (size_t)sample_below(&r, 4);
			keys[j].descending = sample_below(&r, 2) == 1;
			keys[j].collate = COLLATE_BINARY;
		}
		for (i = 0; i < 1500; i++) {
			row_id row = (row_id)i;
			for (j = i; j > 0 && reference_order(t, keys, 1 + trial % 3, expected[j - 1], row) > 0; j--)
				expected[j] = expected[j - 1];
			expected[j] = row;
		}
		sorted = sort_rows(t, all, keys, 1 + trial % 3);
		agree = agree && sorted != NULL && sorted->count == 1500 &&
		        memcmp(sorted->rows, expected, sizeof expected) == 0;
		selection_free(sorted);
		selection_free(all);
	}
	ok(t != NULL && agree, "multi-key sorts agree with a stable insertion sort");
	for (j = 0; t != NULL && j < 4; j++) {
		selection *all = selection_all(t);
		group_list *g = group_by(t, all, j);
		ok(groups_are_sound(t, g, j, 1500), "groups of random column %zu are sound", j);
		group_free(g);
		selection_free(all);
	}
	table_free(t);
}

/* Long strings that share long prefixes, so the string sort must look past
** its first eight bytes, again and again, and at strings that end. */
static void test_sort_long_strings(void)
{
	static const char *pieces[] = { "a", "b", "aaaaaaaa", "Silenced ", "도가니", "Z", "" };
	static const char *names[] = { "text" };
	static char texts[2500][128];
	static const char *cells[2500];
	static row_id expected[2500];
	film_random r;
	table *t;
	size_t i, j, pass;
	bool agree = true;
	sample_seed(&r, 5);
	for (i = 0; i < 2500; i++) {
		size_t n = (size_t)sample_below(&r, 9);
		texts[i][0] = '\0';
		for (j = 0; j < n; j++)
			strcat(texts[i], pieces[sample_below(&r, 7)]);
		cells[i] = sample_below(&r, 20) ? texts[i] : NULL;
	}
	t = build(1, names, cells, 2500);
	for (pass = 0; t != NULL && pass < 2; pass++) {
		sort_key key = { 0, pass == 1, COLLATE_BINARY };
		selection *all = selection_all(t), *sorted;
		for (i = 0; i < 2500; i++) {
			for (j = i; j > 0 && reference_order(t, &key, 1, expected[j - 1], (row_id)i) > 0; j--)
				expected[j] = expected[j - 1];
			expected[j] = (row_id)i;
		}
		sorted = sort_rows(t, all, &key, 1);
		agree = agree && sorted != NULL && sorted->count == 2500 &&
		        memcmp(sorted->rows, expected, sizeof expected) == 0;
		selection_free(sorted);
		selection_free(all);
	}
	ok(t != NULL && agree, "long strings with shared prefixes sort both ways, stably");
	table_free(t);
}

static int by_remainder(void *context, row_id a, row_id b)
{
	row_id modulus = *(const row_id *)context;
	return (int)(a % modulus) - (int)(b % modulus);
}

static jmp_buf escape;
static int calls_left;

static int leaving(void *context, row_id a, row_id b)
{
	(void)context;
	if (--calls_left == 0)
		longjmp(escape, 1);
	return (int)a - (int)b;
}

static void test_sort_with(void)
{
	selection *s = selection_new(1000);
	row_id scratch[1000], modulus = 7;
	size_t i, before;
	bool ordered = true;
	for (i = 0; i < 1000; i++)
		selection_push(s, (row_id)(999 - i));
	before = reel_memory_used();
	selection_sort_with(s, scratch, by_remainder, &modulus);
	ok(reel_memory_used() == before, "selection_sort_with allocates nothing");
	for (i = 1; i < s->count; i++)
		ordered = ordered && (s->rows[i - 1] % 7 < s->rows[i] % 7 ||
		                      (s->rows[i - 1] % 7 == s->rows[i] % 7 &&
		                       s->rows[i - 1] > s->rows[i]));
	ok(ordered && s->count == 1000, "selection_sort_with sorts, ties kept in order");
	calls_left = 500;
	if (setjmp(escape) == 0) {
		selection_sort_with(s, scratch, leaving, NULL);
		ok(false, "the comparator left by longjmp");
	} else {
		ok(reel_memory_used() == before, "a comparator may leave by longjmp");
	}
	s->count = 1;
	calls_left = -1000;
	selection_sort_with(s, NULL, leaving, NULL);
	ok(calls_left == -1000, "sorting one row compares nothing and needs no scratch");
	selection_free(s);
}
/* }====== */

/* {====== Randomness ====== */

static void test_random(void)
{
	film_random a, b, c;
	uint64_t counts[6] = { 0 };
	double chi = 0;
	size_t i;
	bool same = true, differ = false, bounded = true;
	sample_seed(&a, 42);
	sample_seed(&b, 42);
	sample_seed(&c, 43);
	for (i = 0; i < 100; i++) {
		uint64_t x = sample_below(&a, 1000000), y = sample_below(&b, 1000000);
		same = same && x == y;
		differ = differ || x != sample_below(&c, 1000000);
	}
	ok(same, "the same seed gives the same draws");
	ok(differ, "another seed gives other draws");
	for (i = 0; i < 1000; i++) {
		bounded = bounded && sample_below(&a, 1) == 0;
		bounded = bounded && sample_below(&a, (UINT64_C(1) << 63) + 1) <= (UINT64_C(1) << 63);
		bounded = bounded && sample_below(&a, 3) < 3;
	}
	ok(bounded, "draws stay below n");
	for (i = 0; i < 60000; i++)
		counts[sample_below(&a, 6)]++;
	for (i = 0; i < 6; i++)
		chi += ((double)counts[i] - 10000) * ((double)counts[i] - 10000) / 10000;
	ok(chi < 25, "six buckets are even (chi-square %.2f, 5 degrees of freedom)", chi);
}

static void test_sample(void)
{
	selection *all = selection_new(0), *one, *two, *three;
	film_random r;
	size_t i, first_counts[5] = { 0 };
	bool fair = true;
	for (i = 0; i < 50; i++)
		selection_push(all, (row_id)(100 + i));
	sample_seed(&r, 1);
	one = sample_rows(all, 10, &r);
	sample_seed(&r, 1);
	two = sample_rows(all, 10, &r);
	sample_seed(&r, 2);
	three = sample_rows(all, 10, &r);
	ok(one != NULL && one->count == 10 && is_permutation_of(one, all),
	   "sample: 10 distinct rows of the input");
	ok(one && two && same_rows(one, two), "sample: the same seed gives the same rows");
	ok(one && three && !same_rows(one, three), "sample: another seed gives others");
	selection_free(one);
	selection_free(two);
	selection_free(three);
	one = sample_rows(all, 500, &r);
	ok(one != NULL && one->count == 50 && is_permutation_of(one, all),
	   "sample of more than there are: all of them");
	selection_free(one);
	one = sample_rows(all, 0, &r);
	ok(one != NULL && one->count == 0, "sample of none");
	selection_free(one);
	sample_seed(&r, 3);
	one = sample_shuffle(all, &r);
	sample_seed(&r, 3);
	two = sample_shuffle(all, &r);
	sample_seed(&r, 4);
	three = sample_shuffle(all, &r);
	ok(one != NULL && one->count == 50 && is_permutation_of(one, all),
	   "shuffle: a permutation");
	ok(one && two && same_rows(one, two), "shuffle: the same seed, the same order");
	ok(one && three && !same_rows(one, three), "shuffle: another seed, another order");
	ok(one && !same_rows(one, all), "shuffle moves rows");
	selection_free(one);
	selection_free(two);
	selection_free(three);
	all->count = 5;
	for (i = 0; i < 5000; i++) {
		one = sample_rows(all, 2, &r);
		if (one != NULL)
			first_counts[one->rows[0] - 100]++;
		selection_free(one);
	}
	for (i = 0; i < 5; i++)
		fair = fair && first_counts[i] > 850 && first_counts[i] < 1150;
	ok(fair, "each row comes first about as often");
	selection_free(all);
}
/* }====== */

/* {====== Groups ====== */

static const char *groups_text(const table *t, const group_list *g, size_t col)
{
	static char text[2048];
	size_t i, used = 0;
	if (g == NULL)
		return "(null)";
	text[0] = '\0';
	for (i = 0; i < g->count && used + 200 < sizeof text; i++) {
		value key = table_value(t, col, g->groups[i].key_row);
		char k[64];
		if (g->groups[i].key_is_null)
			snprintf(k, sizeof k, "null");
		else if (key.kind == VALUE_INTEGER)
			snprintf(k, sizeof k, "%lld", (long long)key.as.integer);
		else if (key.kind == VALUE_BOOLEAN)
			snprintf(k, sizeof k, "%s", key.as.boolean ? "true" : "false");
		else if (key.kind == VALUE_NUMBER)
			snprintf(k, sizeof k, "%g", key.as.number);
		else
			snprintf(k, sizeof k, "%.*s", (int)key.as.string.length, key.as.string.text);
		used += (size_t)snprintf(text + used, sizeof text - used, "%s%s:", i ? "; " : "", k);
		used += (size_t)snprintf(text + used, sizeof text - used, "%s",
		                         rows_text(g->groups[i].rows));
	}
	return text;
}

static void test_groups(const table *t)
{
	selection *all = selection_all(t), *reversed = selection_new(0), *none = selection_new(0);
	group_list *g;
	size_t i;
	for (i = FILM_ROWS; i-- > 0;)
		selection_push(reversed, (row_id)i);
	g = group_by(t, all, YEAR);
	is_string(groups_text(t, g, YEAR),
	          "2004:4; 2006:3; 2009:5; 2010:1 6; 2011:7; 2013:0 2; 2016:9; null:8",
	          "group by year: ascending keys, the null group last");
	group_free(g);
	g = group_by(t, reversed, YEAR);
	is_string(groups_text(t, g, YEAR),
	          "2004:4; 2006:3; 2009:5; 2010:6 1; 2011:7; 2013:2 0; 2016:9; null:8",
	          "group rows keep the input's order");
	group_free(g);
	g = group_by(t, all, SEEN);
	is_string(groups_text(t, g, SEEN), "false:1 5 8; true:0 2 4 7 9; null:3 6", "group by seen");
	group_free(g);
	g = group_by(t, all, DURATION);
	ok(g != NULL && g->count == 9 && g->groups[8].rows->count == 1 &&
	   strcmp(rows_text(g->groups[7].rows), "0 9") == 0, "group by duration");
	group_free(g);
	g = group_by(t, all, NOTE);
	is_string(groups_text(t, g, NOTE),
	          "AMSTERDAM:3; SILENCED by the court:7; Straße choir:6; based on a true story:2; "
	          "sad:5; tear:0; Été 1943:9; null:1 4 8", "group by note, bytewise");
	group_free(g);
	g = group_by(t, none, YEAR);
	ok(g != NULL && g->count == 0, "group of nothing: no groups");
	group_free(g);
	group_free(NULL);
	ok(group_by(t, all, FILM_COLUMNS) == NULL, "group by a column past the last: NULL");
	selection_free(none);
	selection_free(reversed);
	selection_free(all);
}
/* }====== */

/* {====== Aggregates ====== */

static value aggregate_of(const table *t, const selection *s, size_t col, aggregate kind)
{
	reel_error err = REEL_ERROR_INIT;
	value v;
	v.kind = VALUE_STRING;
	if (aggregate_rows(t, s, col, kind, &v, &err) != 0)
		v.kind = (value_kind)-1;
	return v;
}

static void test_aggregates(const table *t)
{
	selection *all = selection_all(t), *none = selection_new(0), *nulls = selection_new(0);
	reel_error err = REEL_ERROR_INIT;
	value v;
	selection_push(nulls, 8);
	v = aggregate_of(t, all, DURATION, AGGREGATE_SUM);
	ok(v.kind == VALUE_INTEGER && v.as.integer == 1188, "sum of durations: the integer 1188");
	v = aggregate_of(t, all, DURATION, AGGREGATE_AVG);
	ok(v.kind == VALUE_NUMBER && fabs(v.as.number - 118.8) < 1e-12, "avg of durations: 118.8");
	v = aggregate_of(t, all, YEAR, AGGREGATE_SUM);
	ok(v.kind == VALUE_INTEGER && v.as.integer == 18092, "sum of years skips the null");
	v = aggregate_of(t, all, YEAR, AGGREGATE_AVG);
	ok(v.kind == VALUE_NUMBER && fabs(v.as.number - 18092.0 / 9) < 1e-9, "avg of years over nine");
	v = aggregate_of(t, all, YEAR, AGGREGATE_MIN);
	ok(v.kind == VALUE_INTEGER && v.as.integer == 2004, "min year 2004, an integer");
	v = aggregate_of(t, all, YEAR, AGGREGATE_MAX);
	ok(v.kind == VALUE_INTEGER && v.as.integer == 2016, "max year 2016");
	v = aggregate_of(t, all, RATING, AGGREGATE_SUM);
	ok(v.kind == VALUE_NUMBER && fabs(v.as.number - 66.9) < 1e-9, "sum of ratings 66.9");
	v = aggregate_of(t, all, RATING, AGGREGATE_MIN);
	ok(v.kind == VALUE_NUMBER && v.as.number == 6.8, "min rating 6.8");
	v = aggregate_of(t, all, RATING, AGGREGATE_MAX);
	ok(v.kind == VALUE_NUMBER && v.as.number == 8.2, "max rating 8.2");
	v = aggregate_of(t, all, TITLE, AGGREGATE_MIN);
	ok(v.kind == VALUE_STRING && v.as.string.length == 20 &&
	   memcmp(v.as.string.text, "A Moment to Remember", 20) == 0, "min title, bytewise");
	v = aggregate_of(t, all, ORIGINAL, AGGREGATE_MAX);
	ok(v.kind == VALUE_STRING && strncmp(v.as.string.text, "하모니", v.as.string.length) == 0,
	   "max of a Hangul column");
	v = aggregate_of(t, all, SEEN, AGGREGATE_MIN);
	ok(v.kind == VALUE_BOOLEAN && !v.as.boolean, "min seen is false");
	v = aggregate_of(t, all, SEEN, AGGREGATE_MAX);
	ok(v.kind == VALUE_BOOLEAN && v.as.boolean, "max seen is true");
	ok(aggregate_of(t, none, YEAR, AGGREGATE_SUM).kind == VALUE_NULL, "sum of nothing: null");
	ok(aggregate_of(t, none, RATING, AGGREGATE_AVG).kind == VALUE_NULL, "avg of nothing: null");
	ok(aggregate_of(t, none, TITLE, AGGREGATE_MAX).kind == VALUE_NULL, "max of nothing: null");
	ok(aggregate_of(t, nulls, YEAR, AGGREGATE_SUM).kind == VALUE_NULL, "sum of only nulls: null");
	ok(aggregate_of(t, nulls, NOTE, AGGREGATE_MIN).kind == VALUE_NULL, "min of only nulls: null");
	is_integer(aggregate_rows(t, all, TITLE, AGGREGATE_SUM, &v, &err), -1, "sum of titles fails");
	is_string(err.message, "sum: column 'title' holds strings, not numbers", "sum of strings: the message");
	is_integer(aggregate_rows(t, all, SEEN, AGGREGATE_AVG, &v, &err), -1, "avg of booleans fails");
	is_string(err.message, "avg: column 'seen' holds booleans, not numbers", "avg of booleans: the message");
	is_integer(aggregate_rows(t, all, FILM_COLUMNS, AGGREGATE_MAX, &v, &err), -1,
	           "max of a column past the last fails");
	selection_free(nulls);
	selection_free(none);
	selection_free(all);
}

static void test_overflow(void)
{
	static const char *names[] = { "big", "mixed", "tiny" };
	static const char *cells[] = {
		"9223372036854775807", "9223372036854775807", "-9223372036854775808",
		"10", "-1", "-5",
		"9223372036854775807", "1", NULL,
	};
	table *t = build(3, names, cells, 3);
	selection *all = t ? selection_all(t) : NULL;
	value v;
	if (all == NULL) {
		ok(false, "a table of large integers");
		table_free(t);
		return;
	}
	v = aggregate_of(t, all, 0, AGGREGATE_SUM);
	ok(v.kind == VALUE_NUMBER && fabs(v.as.number - 1.8446744073709552e19) < 1e4,
	   "an integer sum that overflows becomes a number");
	v = aggregate_of(t, all, 0, AGGREGATE_AVG);
	ok(v.kind == VALUE_NUMBER && fabs(v.as.number - 6.148914691236517e18) < 1e4,
	   "avg past the int64 range");
	v = aggregate_of(t, all, 1, AGGREGATE_SUM);
	ok(v.kind == VALUE_INTEGER && v.as.integer == INT64_MAX,
	   "a sum that reaches INT64_MAX exactly stays an integer");
	v = aggregate_of(t, all, 2, AGGREGATE_SUM);
	ok(v.kind == VALUE_NUMBER && v.as.number < -9.2e18, "an overflow below INT64_MIN");
	v = aggregate_of(t, all, 2, AGGREGATE_MIN);
	ok(v.kind == VALUE_INTEGER && v.as.integer == INT64_MIN, "min keeps INT64_MIN");
	selection_free(all);
	table_free(t);
}

/* Sums whose running total leaves the int64 range but whose total is back
** inside it stay exact integers; random sums over a column with and without
** nulls, and over a scattered selection, agree with a plain loop. */
static void test_exact_sums(void)
{
	static const char *names[] = { "up", "down", "wide" };
	static const char *cells[] = {
		"9223372036854775807", "-9223372036854775808", "9223372036854775807",
		"1", "-1", "9223372036854775807",
		"-1", "1", "-9223372036854775808",
		"-3", "7", "-9223372036854775808",
	};
	table *t = build(3, names, cells, 4);
	selection *all = t ? selection_all(t) : NULL;
	value v;
	if (all != NULL) {
		v = aggregate_of(t, all, 0, AGGREGATE_SUM);
		ok(v.kind == VALUE_INTEGER && v.as.integer == INT64_MAX - 3,
		   "a sum passing INT64_MAX on the way stays exact");
		v = aggregate_of(t, all, 1, AGGREGATE_SUM);
		ok(v.kind == VALUE_INTEGER && v.as.integer == INT64_MIN + 7,
		   "a sum passing INT64_MIN on the way stays exact");
		v = aggregate_of(t, all, 2, AGGREGATE_SUM);
		ok(v.kind == VALUE_INTEGER && v.as.integer == -2, "max, max, min, min sum to -2");
	} else {
		ok(false, "a table of extreme integers");
	}
	selection_free(all);
	table_free(t);
}

/* aggregate_groups against aggregate_rows group by group: by the
** small-span column 2, sums and averages of columns 0 and 1 (with nulls);
** grouping by the wide column 0 has no one-pass path. */
static void test_group_pass(const table *t, const selection *all)
{
	group_list *g = group_by(t, all, 2);
	value *answers = g ? calloc(g->count + 1, sizeof *answers) : NULL;
	size_t c, i, k;
	bool same = answers != NULL;
	for (c = 0; same && c < 2; c++)
		for (k = AGGREGATE_SUM; same && k <= AGGREGATE_AVG; k++) {
			same = aggregate_groups(t, all, 2, g, c, (aggregate)k, answers) == 1;
			for (i = 0; same && i < g->count; i++) {
				value v = aggregate_of(t, g->groups[i].rows, c, (aggregate)k);
				same = v.kind == answers[i].kind &&
				       (v.kind == VALUE_INTEGER ? v.as.integer == answers[i].as.integer
				                                : v.as.number == answers[i].as.number);
			}
		}
	ok(same, "every group's sum and avg in one pass agree with each group's own");
	ok(g != NULL && aggregate_groups(t, all, 2, g, 0, AGGREGATE_MIN, answers) == 0,
	   "min has no one-pass path");
	free(answers);
	group_free(g);
	g = group_by(t, all, 0);
	answers = g ? calloc(g->count + 1, sizeof *answers) : NULL;
	ok(answers != NULL && aggregate_groups(t, all, 0, g, 1, AGGREGATE_SUM, answers) == 0,
	   "nor a grouping made by sorting");
	free(answers);
	group_free(g);
}

/* Random integers up to 2^50 either way, in a column without nulls and one
** with: sums and averages over every row and over every third row from the
** end agree with a plain loop, and grouping either column is sound. */
static void test_random_sums(void)
{
	static const char *names[] = { "whole", "holey", "minutes" };
	static char numbers[1500][3][24];
	static const char *cells[1500 * 3];
	film_random r;
	table *t;
	selection *all, *scattered;
	size_t i, c;
	sample_seed(&r, 23);
	for (i = 0; i < 1500; i++) {
		for (c = 0; c < 2; c++)
			snprintf(numbers[i][c], 24, "%lld", (long long)sample_below(&r, (uint64_t)1 << 51) -
			         ((long long)1 << 50));
		snprintf(numbers[i][2], 24, "%d", 60 + (int)sample_below(&r, 151));
		cells[3 * i] = numbers[i][0];
		cells[3 * i + 1] = sample_below(&r, 4) ? numbers[i][1] : NULL;
		cells[3 * i + 2] = numbers[i][2];
	}
	t = build(3, names, cells, 1500);
	all = t ? selection_all(t) : NULL;
	scattered = selection_new(500);
	for (i = 1500; all != NULL && scattered != NULL && i >= 3; i -= 3)
		selection_push(scattered, (row_id)(i - 1));
	for (c = 0; c < 2; c++) {
		int64_t total = 0, part = 0;
		size_t cells_all = 0, cells_part = 0;
		value sum_all, sum_part, avg_part;
		for (i = 0; all != NULL && i < 1500; i++) {
			bool has = !table_is_null(t, c, (row_id)i);
			total += has ? column_integer(&t->columns[c], i) : 0;
			cells_all += has;
			part += has && i % 3 == 2 ? column_integer(&t->columns[c], i) : 0;
			cells_part += has && i % 3 == 2;
		}
		if (all == NULL || scattered == NULL) {
			ok(false, "a table of random integers");
			continue;
		}
		sum_all = aggregate_of(t, all, c, AGGREGATE_SUM);
		sum_part = aggregate_of(t, scattered, c, AGGREGATE_SUM);
		avg_part = aggregate_of(t, scattered, c, AGGREGATE_AVG);
		ok(sum_all.kind == VALUE_INTEGER && sum_all.as.integer == total &&
		   sum_part.kind == VALUE_INTEGER && sum_part.as.integer == part &&
		   avg_part.kind == VALUE_NUMBER &&
		   avg_part.as.number == (double)part / (double)cells_part,
		   "random sums of column %s agree with a plain loop (%zu cells)", names[c], cells_all);
	}
	for (c = 0; all != NULL && c < 3; c++) {
		group_list *g = group_by(t, all, c);
		ok(groups_are_sound(t, g, c, 1500), "groups of random column %s are sound", names[c]);
		group_free(g);
	}
	if (all != NULL)
		test_group_pass(t, all);
	selection_free(scattered);
	selection_free(all);
	table_free(t);
}
/* }====== */

/* {====== Search ====== */

static const char *search_text(const table *t, const char *text)
{
	selection *all = selection_all(t);
	selection *found = search_rows(t, all, text, strlen(text));
	const char *rows = rows_text(found);
	selection_free(found);
	selection_free(all);
	return rows;
}

static void test_search(const table *t)
{
	selection *some = selection_new(0), *found;
	is_string(search_text(t, "silenced"), "7", "search silenced");
	is_string(search_text(t, "HOME"), "8 9", "search HOME");
	is_string(search_text(t, "도가니"), "7", "search a Hangul title");
	is_string(search_text(t, "슬픈"), "5", "search a Hangul word inside a title");
	is_string(search_text(t, "strasse"), "6", "search folds ß");
	is_string(search_text(t, "été"), "9", "search an accented word");
	is_string(search_text(t, "a"), "0 2 3 4 5 6 8", "search a, in any string column");
	is_string(search_text(t, "true story"), "2", "search reaches every string column");
	is_string(search_text(t, "2013"), "", "search skips the integer columns");
	is_string(search_text(t, "zzz"), "", "search zzz: none");
	is_string(search_text(t, ""), "0 1 2 3 4 5 6 7 8 9", "search of nothing: every row");
	selection_push(some, 9);
	selection_push(some, 1);
	selection_push(some, 8);
	found = search_rows(t, some, "e", 1);
	is_string(rows_text(found), "9 1 8", "search keeps the input's order");
	selection_free(found);
	selection_free(some);
}
/* }====== */

/* {====== Value order ====== */

static void test_value_compare(void)
{
	value a, b;
	a = integer_value(1), b = number_value(1.0);
	is_integer(value_compare(&a, &b), 0, "1 equals 1.0");
	a = integer_value(9007199254740993), b = number_value(9007199254740992.0);
	is_integer(value_compare(&a, &b), 1, "2^53 + 1 is above the double 2^53");
	is_integer(value_compare(&b, &a), -1, "and the double 2^53 below it");
	a = integer_value(INT64_MAX), b = number_value(9223372036854775808.0);
	is_integer(value_compare(&a, &b), -1, "INT64_MAX is below the double 2^63");
	a = integer_value(INT64_MIN), b = number_value(-9223372036854775808.0);
	is_integer(value_compare(&a, &b), 0, "INT64_MIN equals the double -2^63");
	a = integer_value(3), b = number_value(3.5);
	is_integer(value_compare(&a, &b), -1, "3 is below 3.5");
	a = integer_value(-3), b = number_value(-3.5);
	is_integer(value_compare(&a, &b), 1, "-3 is above -3.5");
	a = number_value(NAN), b = number_value(1e300);
	is_integer(value_compare(&a, &b), 1, "NaN goes after the numbers");
	b = number_value(NAN);
	is_integer(value_compare(&a, &b), 0, "NaN equals NaN in the order");
	a = number_value(-0.0), b = number_value(0.0);
	is_integer(value_compare(&a, &b), 0, "-0.0 equals 0.0");
	a = integer_value(INT64_MAX), b = boolean_value(false);
	is_integer(value_compare(&a, &b), -1, "numbers before booleans");
	a = boolean_value(false), b = boolean_value(true);
	is_integer(value_compare(&a, &b), -1, "false before true");
	a = boolean_value(true), b = string_value("");
	is_integer(value_compare(&a, &b), -1, "booleans before strings");
	a = string_value("zzz"), b = null_value();
	is_integer(value_compare(&a, &b), -1, "strings before null");
	a = null_value();
	is_integer(value_compare(&a, &b), 0, "null equals null");
	a = string_value("a"), b = string_value("ab");
	is_integer(value_compare(&a, &b), -1, "a prefix first");
	a = string_value("b");
	is_integer(value_compare(&a, &b), 1, "bytewise: b after ab");
	a = string_value("Z"), b = string_value("a");
	is_integer(value_compare(&a, &b), -1, "bytewise: Z before a");
}
/* }====== */

/* {====== Running out of memory ====== */

typedef selection *(*selection_work)(const table *t, const selection *in);

static selection *work_all(const table *t, const selection *in)
{
	(void)in;
	return selection_all(t);
}

static selection *work_slice(const table *t, const selection *in)
{
	(void)t;
	return selection_slice(in, 2, 5);
}

static selection *work_where(const table *t, const selection *in)
{
	value set[3];
	predicate p[4];
	set[0] = integer_value(2013);
	set[1] = integer_value(2010);
	set[2] = null_value();
	p[0] = in_set(YEAR, set, 3);
	p[1] = compare(NOTE, OP_NULL, boolean_value(false));
	p[2] = compare(ORIGINAL, OP_CONTAINS, string_value("선"));
	p[3] = compare(NOTE, OP_CONTAINS, string_value("TEAR"));
	return where_once(t, in, p, 4, NULL);
}

static selection *work_sort(const table *t, const selection *in)
{
	sort_key keys[3] = { { SEEN, false, COLLATE_BINARY }, { NOTE, true, COLLATE_BINARY },
	                     { RATING, false, COLLATE_BINARY } };
	return sort_rows(t, in, keys, 3);
}

static selection *work_sample(const table *t, const selection *in)
{
	film_random r;
	(void)t;
	sample_seed(&r, 5);
	return sample_rows(in, 4, &r);
}

static selection *work_shuffle(const table *t, const selection *in)
{
	film_random r;
	(void)t;
	sample_seed(&r, 5);
	return sample_shuffle(in, &r);
}

static selection *work_search(const table *t, const selection *in)
{
	return search_rows(t, in, "ÉTÉ", strlen("ÉTÉ"));
}

/* Fail the first, second, ... allocation of `work` until it succeeds: each
** failure must return NULL and leave nothing allocated, and the success
** must match the result without failures. */
static void check_out_of_memory(const table *t, const char *what, selection_work work)
{
	selection *all = selection_all(t), *expected = work(t, all), *got = NULL;
	size_t base = reel_memory_used();
	unsigned long n;
	bool clean = true;
	for (n = 1; n < 200 && got == NULL; n++) {
		reel_memory_fail_after(n);
		got = work(t, all);
		reel_memory_fail_after(0);
		if (got == NULL)
			clean = clean && reel_memory_used() == base;
	}
	ok(clean && n > 1, "%s: %lu failed allocations, each clean", what, n - 2);
	ok(got != NULL && expected != NULL && same_rows(got, expected),
	   "%s: then the same result", what);
	selection_free(got);
	selection_free(expected);
	selection_free(all);
}

/* where filters into room for every row; when that room cannot be had (its
** first or second allocation, once the predicates are prepared) it goes a
** chunk at a time instead, with the same rows. The where is prepared before
** the failures start: where_prepare makes two allocations of its own (the
** filter and its predicates), so counting from a one-shot where would fail
** the preparation instead of the room. */
static void check_where_fallback(const table *t)
{
	predicate p = compare(YEAR, OP_GE, integer_value(2000));
	selection *all = selection_all(t), *got[2] = {NULL, NULL};
	selection *expected = all ? where_once(t, all, &p, 1, NULL) : NULL;
	where_filter *w = all ? where_prepare(t, &p, 1, NULL) : NULL;
	unsigned long n;
	for (n = 1; expected != NULL && w != NULL && n <= 2; n++) {
		reel_memory_fail_after(n);
		got[n - 1] = where_rows(w, all, NULL);
		reel_memory_fail_after(0);
	}
	where_free(w);
	ok(expected != NULL && expected->count > 0 && got[0] != NULL && got[1] != NULL &&
	   same_rows(got[0], expected) && same_rows(got[1], expected),
	   "where without room for every row: the same rows, a chunk at a time");
	selection_free(got[0]);
	selection_free(got[1]);
	selection_free(expected);
	selection_free(all);
}

static void check_group_out_of_memory(const table *t)
{
	selection *all = selection_all(t);
	size_t base = reel_memory_used();
	group_list *g = NULL;
	unsigned long n;
	bool clean = true;
	for (n = 1; n < 200 && g == NULL; n++) {
		reel_memory_fail_after(n);
		g = group_by(t, all, NOTE);
		reel_memory_fail_after(0);
		if (g == NULL)
			clean = clean && reel_memory_used() == base;
	}
	ok(clean && n > 1, "group: %lu failed allocations, each clean", n - 2);
	ok(g != NULL && g->count == 8, "group: then the groups");
	group_free(g);
	selection_free(all);
}

static selection *work_sort_limit(const table *t, const selection *in)
{
	sort_key keys[2] = { { YEAR, true, COLLATE_BINARY }, { TITLE, false, COLLATE_BINARY } };
	return topk_rows(t, in, keys, 2, 1);
}

static selection *work_where_sort_limit(const table *t, const selection *in)
{
	sort_key keys[2] = { { YEAR, true, COLLATE_BINARY }, { TITLE, false, COLLATE_BINARY } };
	predicate p = compare(TITLE, OP_CONTAINS, string_value("e"));
	return where_once_topk(t, in, &p, 1, keys, 2, 2, NULL);
}

/* The top-k path and the counting groups (on YEAR) fail cleanly too. */
static void check_fused_out_of_memory(const table *t)
{
	selection *all = selection_all(t);
	size_t base = reel_memory_used();
	group_list *g = NULL;
	unsigned long n;
	bool clean = true;
	check_out_of_memory(t, "sort then limit", work_sort_limit);
	check_out_of_memory(t, "where, sort and limit", work_where_sort_limit);
	for (n = 1; n < 200 && g == NULL; n++) {
		reel_memory_fail_after(n);
		g = group_by(t, all, YEAR);
		reel_memory_fail_after(0);
		if (g == NULL)
			clean = clean && reel_memory_used() == base;
	}
	ok(clean && n > 2, "group by counting: %lu failed allocations, each clean", n - 2);
	ok(g != NULL && groups_are_sound(t, g, YEAR, t->row_count), "group by counting: then the groups");
	group_free(g);
	selection_free(all);
}

/* A group by counting puts its rows off: keys and counts first, the same
** as group_by's, then the rows; a failure to make them leaves them put
** off and nothing allocated. */
static void check_group_put_off(const table *t)
{
	selection *all = selection_all(t);
	group_list *eager = group_by(t, all, YEAR), *g = group_keys(t, all, YEAR);
	size_t i, base;
	unsigned long n;
	bool same = eager != NULL && g != NULL && g->rows_put_off && g->count == eager->count;
	bool clean = true;
	for (i = 0; same && i < g->count; i++)
		same = g->groups[i].count == eager->groups[i].rows->count &&
		       g->groups[i].key_row == eager->groups[i].rows->rows[0] &&
		       g->groups[i].key_is_null == eager->groups[i].key_is_null &&
		       g->groups[i].rows == NULL;
	ok(same, "group keys: the groups' keys and counts, rows put off");
	base = reel_memory_used();
	for (n = 1; g != NULL && n < 100 && g->rows_put_off; n++) {
		reel_memory_fail_after(n);
		if (group_fill_rows(t, all, YEAR, g) != 0)
			clean = clean && g->rows_put_off && reel_memory_used() == base;
		reel_memory_fail_after(0);
	}
	ok(clean && n > 2, "group rows: %lu failed allocations, each clean", n - 2);
	ok(g != NULL && !g->rows_put_off && groups_are_sound(t, g, YEAR, t->row_count),
	   "group rows: then the rows, as query_group makes them");
	ok(g != NULL && group_fill_rows(t, all, YEAR, g) == 0, "group rows made twice: nothing to do");
	group_free(g);
	group_free(eager);
	g = group_keys(t, all, TITLE);
	ok(g != NULL && !g->rows_put_off && g->groups[0].rows != NULL &&
	   g->groups[0].count == g->groups[0].rows->count,
	   "group keys by a string column: rows made at once");
	group_free(g);
	selection_free(all);
}

static void check_where_error_out_of_memory(const table *t)
{
	reel_error err = REEL_ERROR_INIT;
	selection *all = selection_all(t), *got;
	predicate p = compare(TITLE, OP_CONTAINS, string_value("été"));
	reel_memory_fail_after(2);
	got = where_once(t, all, &p, 1, &err);
	reel_memory_fail_after(0);
	ok(got == NULL && strcmp(err.message, "out of memory") == 0, "where says when memory ran out");
	selection_free(got);
	selection_free(all);
}

static selection *work_sort_first(const table *t, const selection *in)
{
	sort_key keys[2] = { { 0, true, COLLATE_BINARY }, { 0, false, COLLATE_BINARY } };
	return sort_rows(t, in, keys, 2);
}

/* Sorts that need the radix key arrays: long strings (recursing past eight
** bytes) and integers spread too wide for a counting sort. */
static void check_radix_out_of_memory(void)
{
	static const char *names[] = { "v" };
	static char texts[200][40];
	static const char *cells[200];
	table *t;
	size_t i;
	for (i = 0; i < 200; i++) {
		snprintf(texts[i], sizeof texts[i], "Silenced and %s %zu",
		         i % 3 ? "Hope" : "Harmony", (i * 7919) % 200);
		cells[i] = i % 11 ? texts[i] : NULL;
	}
	t = build(1, names, cells, 200);
	if (t != NULL)
		check_out_of_memory(t, "string radix sort", work_sort_first);
	table_free(t);
	for (i = 0; i < 200; i++)
		snprintf(texts[i], sizeof texts[i], "%lld",
		         (long long)((i * 7919) % 200) * 1000003 - 50000000);
	t = build(1, names, cells, 200);
	if (t != NULL)
		check_out_of_memory(t, "integer radix sort", work_sort_first);
	table_free(t);
}

static void test_out_of_memory(const table *t)
{
	selection *s = selection_new(0);
	size_t base = reel_memory_used();
	reel_memory_fail_after(1);
	ok(selection_push(s, 1) == -1 && s->count == 0, "push fails cleanly");
	reel_memory_fail_after(1);
	ok(selection_new(10) == NULL && reel_memory_used() == base, "selection_new fails cleanly");
	reel_memory_fail_after(2);
	ok(selection_new(10) == NULL && reel_memory_used() == base, "selection_new's rows fail cleanly");
	reel_memory_fail_after(0);
	ok(selection_new(SIZE_MAX) == NULL, "selection_new of an impossible size");
	selection_free(s);
	check_out_of_memory(t, "selection_all", work_all);
	check_out_of_memory(t, "slice", work_slice);
	check_out_of_memory(t, "where", work_where);
	check_where_fallback(t);
	check_out_of_memory(t, "sort", work_sort);
	check_out_of_memory(t, "sample", work_sample);
	check_out_of_memory(t, "shuffle", work_shuffle);
	check_out_of_memory(t, "search", work_search);
	check_group_out_of_memory(t);
	check_where_error_out_of_memory(t);
	check_radix_out_of_memory();
}
/* }====== */

/* {====== Sort then limit, and groups by counting ====== */

/* A table of 3000 rows with few distinct values (ties everywhere) and
** nulls in every column, for comparing fused and plain paths. */
static table *tied_table(void)
{
	static const char *names[] = { "year", "title", "rating", "seen" };
	static const char *words[] = { "b", "ab", "a", "", "B", "도가니", "abc" };
	static char numbers[3000][2][24];
	static const char *cells[3000 * 4];
	film_random r;
	size_t i;
	sample_seed(&r, 29);
	for (i = 0; i < 3000; i++) {
		snprintf(numbers[i][0], 24, "%d", 1990 + (int)sample_below(&r, 12));
		snprintf(numbers[i][1], 24, "%.2f", (double)sample_below(&r, 9) / 3);
		cells[4 * i] = sample_below(&r, 9) ? numbers[i][0] : NULL;
		cells[4 * i + 1] = sample_below(&r, 9) ? words[sample_below(&r, 7)] : NULL;
		cells[4 * i + 2] = sample_below(&r, 9) ? numbers[i][1] : NULL;
		cells[4 * i + 3] = sample_below(&r, 6) ? (sample_below(&r, 2) ? "true" : "false") : NULL;
	}
	return build(4, names, cells, 3000);
}

/* Every other row, last to first: ties must follow this order, not row ids. */
static selection *backwards_half(const table *t)
{
	selection *s = selection_new(t->row_count);
	size_t i;
	for (i = t->row_count; s != NULL && i-- > 0;)
		if (i % 2 == 0)
			s->rows[s->count++] = (row_id)i;
	return s;
}

static void test_sort_limit(void)
{
	static const size_t limits[] = { 0, 1, 3, 10, 99, 374, 375, 1499, 1500, 5000 };
	table *t = tied_table();
	selection *in = t != NULL ? backwards_half(t) : NULL;
	film_random r;
	size_t trial, l;
	bool agree = in != NULL;
	sample_seed(&r, 31);
	for (trial = 0; agree && trial < 20; trial++) {
		sort_key keys[3];
		size_t count = 1 + trial % 3, k;
		selection *sorted;
		for (k = 0; k < 3; k++) {
			keys[k].column = (size_t)sample_below(&r, 4);
			keys[k].descending = sample_below(&r, 2) == 1;
			keys[k].collate = COLLATE_BINARY;
		}
		sorted = sort_rows(t, in, keys, count);
		for (l = 0; sorted != NULL && agree && l < sizeof limits / sizeof *limits; l++) {
			selection *top = topk_rows(t, in, keys, count, limits[l]);
			selection *first = selection_slice(sorted, 0, limits[l]);
			agree = top != NULL && first != NULL && same_rows(top, first);
			selection_free(top);
			selection_free(first);
		}
		agree = agree && sorted != NULL;
		selection_free(sorted);
	}
	ok(agree, "sort then limit gives the plain sort's first rows (ties, nulls, both directions)");
	selection_free(in);
	table_free(t);
}

/* where, sort and limit in one pass give what the three steps give one
** after another, for every limit (past TOP_K_MAX too) and key mix. */
static void test_where_sort_limit(void)
{
	static const size_t limits[] = { 0, 1, 3, 10, 700, 5000 };
	table *t = tied_table();
	selection *in = t != NULL ? backwards_half(t) : NULL;
	predicate p[2];
	reel_error err = REEL_ERROR_INIT;
	film_random r;
	size_t trial, l;
	bool agree = in != NULL;
	sample_seed(&r, 37);
	p[0] = compare(0, OP_GE, integer_value(1993));
	p[1] = compare(2, OP_LT, number_value(2.0));
	for (trial = 0; agree && trial < 12; trial++) {
		sort_key keys[2] = {
			{ (size_t)sample_below(&r, 4), trial % 2 == 0, COLLATE_BINARY },
			{ (size_t)sample_below(&r, 4), trial % 3 == 0, COLLATE_BINARY } };
		size_t pcount = trial % 3; /* no predicate, one, both */
		selection *kept = where_once(t, in, p, pcount, &err);
		for (l = 0; kept != NULL && agree && l < sizeof limits / sizeof *limits; l++) {
			selection *fused = where_once_topk(t, in, p, pcount, keys,
			                                   1 + trial % 2, limits[l], &err);
			selection *steps = topk_rows(t, kept, keys, 1 + trial % 2, limits[l]);
			agree = fused != NULL && steps != NULL && same_rows(fused, steps);
			selection_free(fused);
			selection_free(steps);
		}
		agree = agree && kept != NULL;
		selection_free(kept);
	}
	ok(agree, "where, sort and limit in one pass: the rows of the three steps");
	p[0] = compare(1, OP_GT, integer_value(3));
	ok(where_once_topk(t, in, p, 1, (sort_key[]){ { 0, false, COLLATE_BINARY } }, 1, 3, &err) == NULL &&
	   strstr(err.message, "title") != NULL, "and a predicate that does not fit its column fails");
	selection_free(in);
	table_free(t);
}

static void test_group_counting(void)
{
	table *t = tied_table();
	selection *in = t != NULL ? backwards_half(t) : NULL;
	size_t col;
	for (col = 0; in != NULL && col < 4; col++) {
		group_list *g = group_by(t, in, col);
		size_t i, j, total = 0;
		bool sound = g != NULL;
		/* rows in the input's order within each group */
		for (i = 0; sound && i < g->count; i++) {
			const selection *s = g->groups[i].rows;
			value key = table_value(t, col, g->groups[i].key_row);
			for (j = 0; sound && j < s->count; j++) {
				value cell = table_value(t, col, s->rows[j]);
				sound = value_compare(&cell, &key) == 0 &&
				        (j == 0 || s->rows[j - 1] > s->rows[j]);
			}
			if (i > 0) {
				value before = table_value(t, col, g->groups[i - 1].key_row);
				sound = sound && value_compare(&before, &key) < 0;
			}
			sound = sound && g->groups[i].key_is_null == (key.kind == VALUE_NULL);
			total += s->count;
		}
		ok(sound && total == in->count, "groups of column %zu: keys ascending, null last, input order", col);
		group_free(g);
	}
	selection_free(in);
	table_free(t);
}

/* }====== */

int main(void)
{
	table *t = films();
	ok(t != NULL, "the film table builds");
	if (t == NULL)
		return done_testing();
	ok(t->columns[YEAR].type == COLUMN_INTEGER && t->columns[RATING].type == COLUMN_NUMBER &&
	   t->columns[SEEN].type == COLUMN_BOOLEAN && t->columns[NOTE].type == COLUMN_STRING,
	   "the film table's column types");
	test_selections();
	test_where_integers(t);
	test_where_numbers(t);
	test_where_precision();
	test_where_strings(t);
	test_where_contains(t);
	test_contains_folding();
	test_where_booleans(t);
	test_where_and(t);
	test_where_errors(t);
	test_op_names();
	test_where_random();
	test_sort_films(t);
	test_sort_signs();
	test_sort_random();
	test_sort_long_strings();
	test_sort_with();
	test_random();
	test_sample();
	test_groups(t);
	test_aggregates(t);
	test_overflow();
	test_exact_sums();
	test_random_sums();
	test_search(t);
	test_value_compare();
	test_out_of_memory(t);
	test_sort_limit();
	test_group_counting();
	test_where_sort_limit();
	check_fused_out_of_memory(t);
	check_group_put_off(t);
	table_free(t);
	ok(reel_memory_used() == 0, "everything allocated was freed");
	return done_testing();
}
