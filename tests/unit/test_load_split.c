/*
** test_load_split.c: a big CSV read in two halves at once. Catalogues of
** several MB (above the size that splits) are made here row by row from a
** formula, then every cell is checked against the formula: a plain one, one
** whose middle falls inside a quoted field with line breaks, one with blank
** lines and line breaks inside quotes before the middle (fewer rows than
** lines), ones whose halves disagree on a column's type, errors in either
** half named at their line, and a big TSV.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/memory.h"
#include "core/read.h"
#include "tap.h"

#define ROWS 120000 /* about 6 MB: split, as anything over 4 MB is */

static reel_error err;

typedef struct catalogue {
	char *text;
	size_t length;
	size_t capacity;
} catalogue;

static void append(catalogue *c, const char *piece, size_t n)
{
	if (c->length + n + 1 > c->capacity) {
		c->capacity = (c->length + n + 1) * 2;
		c->text = realloc(c->text, c->capacity);
	}
	memcpy(c->text + c->length, piece, n);
	c->length += n;
	c->text[c->length] = '\0';
}

/* What a row's cells are: `twist` changes one of them where a case asks. */
typedef enum twist {
	PLAIN,
	WORD_IN_YEAR,      /* year "Soon" in the last row */
	DECIMAL_IN_SCORE,  /* score 2.5 in the last row; -0 in the first */
	WIDE_IN_SCORE,     /* a score past 32 bits */
	SHORT_ROW          /* a row with one field less */
} twist;

static void append_row(catalogue *c, size_t i)
{
	char row[256];
	int n;
	if (i % 13 == 0)
		n = snprintf(row, sizeof row, "%zu,\"Film, %zu\",,%ld,plain words %zu\n",
		             i, i, (long)(i % 50) - 25, i * 7);
	else
		n = snprintf(row, sizeof row, "%zu,Film %zu,%zu,%ld,plain words %zu\n",
		             i, i, 1900 + i % 120, (long)(i % 50) - 25, i * 7);
	append(c, row, (size_t)n);
}

/* A quoted description of one line per 50 of `bytes`, each read with its
** doubled quotes made one. */
#define LONG_LINE "a line, with a comma and \"\"quotes\"\" inside it\n"
#define LONG_LINE_READ (sizeof LONG_LINE - 1 - 2)

static void append_long_row(catalogue *c, size_t i, size_t bytes)
{
	char head[64];
	size_t k;
	int n = snprintf(head, sizeof head, "%zu,Epic %zu,2000,1,\"", i, i);
	append(c, head, (size_t)n);
	for (k = 0; k < bytes; k += 50)
		append(c, LONG_LINE, sizeof LONG_LINE - 1);
	append(c, "end\"\n", 5);
}

static void check_row(const table *t, size_t i, bool *good)
{
	value id = table_value(t, 0, (row_id)i), year = table_value(t, 2, (row_id)i);
	value score = table_value(t, 3, (row_id)i);
	char title[64];
	snprintf(title, sizeof title, i % 13 == 0 ? "Film, %zu" : "Film %zu", i);
	if (id.kind != VALUE_INTEGER || id.as.integer != (int64_t)i ||
	    strcmp(table_string_at(t, 1, i), title) != 0 ||
	    (i % 13 == 0) != (year.kind == VALUE_NULL) ||
	    (year.kind == VALUE_INTEGER && year.as.integer != (int64_t)(1900 + i % 120)) ||
	    score.kind != VALUE_INTEGER || score.as.integer != (int64_t)(i % 50) - 25)
		*good = false;
}

static table *read_it(const catalogue *c)
{
	err.message[0] = '\0';
	return read_csv(c->text, c->length, "films.csv", ',', &err);
}

static void start(catalogue *c)
{
	memset(c, 0, sizeof *c);
	append(c, "id,title,year,score,description\n", 32);
}

static void test_plain(void)
{
	catalogue c;
	table *t;
	size_t i;
	bool good = true;
	start(&c);
	for (i = 0; i < ROWS; i++)
		append_row(&c, i);
	t = read_it(&c);
	ok(t != NULL, "a big catalogue loads (%s)", err.message);
	if (t != NULL) {
		is_integer(t->row_count, ROWS, "every row");
		is_integer(t->columns[2].type, COLUMN_INTEGER, "year is integer");
		for (i = 0; i < ROWS; i++)
			check_row(t, i, &good);
		ok(good, "every cell in file order");
		is_string(table_string_at(t, 4, ROWS - 1), "plain words 839993", "the last text");
		is_string(table_string_at(t, 4, ROWS / 2), "plain words 420000", "a text past the seam");
		is_integer(table_string_length(t, 4, ROWS / 2), 18, "and its length");
		ok(t->columns[0].narrow != NULL && t->columns[2].narrow != NULL &&
		   t->columns[3].narrow != NULL, "ids, years and scores in 4-byte slots");
	}
	table_free(t);
	free(c.text);
}

/* The middle of the rows falls inside a quoted field with line breaks. */
static void test_split_inside_quotes(void)
{
	catalogue c;
	table *t;
	size_t i, long_row = ROWS / 2;
	bool good = true;
	start(&c);
	for (i = 0; i < ROWS; i++)
		if (i == long_row)
			append_long_row(&c, i, 400000); /* about the size of 8000 rows */
		else
			append_row(&c, i);
	t = read_it(&c);
	ok(t != NULL, "a quoted field across the middle loads (%s)", err.message);
	if (t != NULL) {
		is_integer(t->row_count, ROWS, "one row for the long field");
		for (i = 0; i < ROWS; i++)
			if (i != long_row)
				check_row(t, i, &good);
		ok(good, "every other cell in file order");
		is_string(table_string_at(t, 1, long_row), "Epic 60000", "the long row's title");
		ok(strncmp(table_string_at(t, 4, long_row),
		           "a line, with a comma and \"quotes\" inside it\na line", 50) == 0,
		   "its text, line breaks and quotes");
		is_integer(table_string_length(t, 4, long_row), 8000 * LONG_LINE_READ + 3, "its length");
	}
	table_free(t);
	free(c.text);
}

/* Blank lines and quoted line breaks before the middle: the first half has
** fewer rows than lines, so the second half's rows move down to meet it. */
static void test_fewer_rows_than_lines(void)
{
	catalogue c;
	table *t;
	size_t i;
	bool good = true;
	start(&c);
	for (i = 0; i < ROWS; i++) {
		if (i == 100)
			append_long_row(&c, i, 5000);
		else
			append_row(&c, i);
		if (i % 1000 == 999)
			append(&c, "\n", 1);
	}
	t = read_it(&c);
	ok(t != NULL, "blank lines and quoted line breaks load (%s)", err.message);
	if (t != NULL) {
		is_integer(t->row_count, ROWS, "blank lines are no rows");
		for (i = 0; i < ROWS; i++)
			if (i != 100)
				check_row(t, i, &good);
		ok(good, "every cell in file order, nulls too");
	}
	table_free(t);
	free(c.text);
}

static catalogue twisted(twist how, size_t at)
{
	catalogue c;
	size_t i;
	char row[128];
	start(&c);
	for (i = 0; i < ROWS; i++) {
		int n = 0;
		if (i == at && how == WORD_IN_YEAR)
			n = snprintf(row, sizeof row, "%zu,Film %zu,Soon,1,x\n", i, i);
		else if (i == at && how == DECIMAL_IN_SCORE)
			n = snprintf(row, sizeof row, "%zu,Film %zu,2000,2.5,x\n", i, i);
		else if (i == 3 && how == DECIMAL_IN_SCORE)
			n = snprintf(row, sizeof row, "%zu,Film %zu,2000,-0,x\n", i, i);
		else if (i == at && how == WIDE_IN_SCORE)
			n = snprintf(row, sizeof row, "%zu,Film %zu,%zu,-9000000000,plain words %zu\n",
			             i, i, 1900 + i % 120, i * 7);
		else if (i == at && how == SHORT_ROW)
			n = snprintf(row, sizeof row, "%zu,Film %zu,2000,1\n", i, i);
		if (n > 0)
			append(&c, row, (size_t)n);
		else
			append_row(&c, i);
	}
	return c;
}

static void test_halves_disagree(void)
{
	catalogue c = twisted(WORD_IN_YEAR, ROWS - 1);
	table *t = read_it(&c);
	ok(t != NULL, "a word in the second half's years loads (%s)", err.message);
	if (t != NULL) {
		is_integer(t->columns[2].type, COLUMN_STRING, "year is text");
		is_string(table_string_at(t, 2, 1), "1901", "a first-half year as its text");
		is_string(table_string_at(t, 2, ROWS - 1), "Soon", "the word");
		ok(table_is_null(t, 2, 13), "a null stays null");
		is_integer(t->columns[0].type, COLUMN_INTEGER, "id stays integer");
	}
	table_free(t);
	free(c.text);
	c = twisted(WORD_IN_YEAR, 5);
	t = read_it(&c);
	ok(t != NULL && t->columns[2].type == COLUMN_STRING &&
	   strcmp(table_string_at(t, 2, ROWS - 2), "2018") == 0,
	   "a word in the first half's years: second-half years are text");
	table_free(t);
	free(c.text);
	c = twisted(DECIMAL_IN_SCORE, ROWS - 2);
	t = read_it(&c);
	ok(t != NULL, "a decimal in the second half's scores loads (%s)", err.message);
	if (t != NULL) {
		is_integer(t->columns[3].type, COLUMN_NUMBER, "score is a number");
		ok(t->columns[3].numbers[ROWS - 2] == 2.5, "the decimal");
		ok(t->columns[3].numbers[1] == -24.0, "a first-half integer as a double");
		ok(signbit(t->columns[3].numbers[3]), "-0 in the first half is -0.0");
		ok(t->columns[3].numbers[ROWS - 1] == 24.0, "a second-half integer");
		/* the scores' text was squeezed out from around the strings */
		is_string(table_string_at(t, 1, ROWS - 1), "Film 119999", "a title after it");
		is_string(table_string_at(t, 4, ROWS / 2 + 1), "plain words 420007",
		          "a description past the seam");
		is_string(table_string_at(t, 4, ROWS - 2), "x", "the decimal's row's text");
		is_integer(table_string_length(t, 1, 2), 6, "a length before the seam");
	}
	table_free(t);
	free(c.text);
}

/* A score past 32 bits in one half only: the other half's 4-byte slots
** widen at the join, and every row still reads as it was written. */
static void test_halves_differ_in_width(void)
{
	static const size_t places[] = { ROWS - 1, 5 };
	size_t k, i;
	for (k = 0; k < 2; k++) {
		catalogue c = twisted(WIDE_IN_SCORE, places[k]);
		table *t = read_it(&c);
		bool good = t != NULL && t->columns[3].narrow == NULL;
		for (i = 0; good && i < ROWS; i++)
			if (i == places[k])
				good = column_integer(&t->columns[3], i) == -9000000000LL &&
				       column_integer(&t->columns[2], i) == (int64_t)(1900 + i % 120);
			else
				check_row(t, i, &good);
		ok(good, "a score past 32 bits in the %s half: every row as written",
		   k == 0 ? "second" : "first");
		table_free(t);
		free(c.text);
	}
}

static void test_errors(void)
{
	catalogue c = twisted(SHORT_ROW, ROWS - 10);
	table *t = read_it(&c);
	char expected[128];
	ok(t == NULL, "a short row in the second half is refused");
	snprintf(expected, sizeof expected, "films.csv:%d:1: expected 5 fields, found 4",
	         ROWS - 10 + 2);
	is_string(err.message, expected, "named at its line");
	table_free(t);
	free(c.text);
	c = twisted(SHORT_ROW, 7);
	t = read_it(&c);
	ok(t == NULL, "a short row in the first half is refused");
	is_string(err.message, "films.csv:9:1: expected 5 fields, found 4", "named at its line");
	table_free(t);
	free(c.text);
}

/* A boolean column is settled from its text, a byte per row written over
** slots already read, across the seam too. */
static void test_booleans(void)
{
	catalogue c;
	table *t;
	size_t i, rows = ROWS * 4;
	char row[64];
	bool good = true;
	memset(&c, 0, sizeof c);
	append(&c, "id,seen,title\n", 14);
	for (i = 0; i < rows; i++) {
		int n = snprintf(row, sizeof row, "%zu,%s,F%zu\n", i,
		                 i % 3 == 0 ? "true" : "false", i);
		append(&c, row, (size_t)n);
	}
	t = read_it(&c);
	ok(t != NULL, "a big catalogue with a boolean column loads (%s)", err.message);
	if (t != NULL) {
		is_integer(t->columns[1].type, COLUMN_BOOLEAN, "seen is boolean");
		for (i = 0; i < rows; i++) {
			snprintf(row, sizeof row, "F%zu", i);
			if (t->columns[1].booleans[i] != (i % 3 == 0) ||
			    strcmp(table_string_at(t, 2, i), row) != 0)
				good = false;
		}
		ok(good, "every boolean and title in file order");
	}
	table_free(t);
	free(c.text);
}

/* TSV has no quoting, so any line break splits it; \N is null. */
static void test_tsv(void)
{
	catalogue c;
	table *t;
	size_t i;
	char row[128];
	bool good = true;
	memset(&c, 0, sizeof c);
	append(&c, "tconst\tstartYear\tprimaryTitle\n", 30);
	for (i = 0; i < ROWS * 2; i++) {
		int n = i % 11 == 0 ? snprintf(row, sizeof row, "tt%zu\t\\N\tFilm \"%zu\"\n", i, i)
		                    : snprintf(row, sizeof row, "tt%zu\t%zu\tFilm \"%zu\"\n", i, 1900 + i % 120, i);
		append(&c, row, (size_t)n);
	}
	t = read_tsv(c.text, c.length, "title.basics.tsv", &err);
	ok(t != NULL, "a big TSV loads (%s)", err.message);
	if (t != NULL) {
		is_integer(t->row_count, ROWS * 2, "every row");
		is_integer(t->columns[1].type, COLUMN_INTEGER, "startYear is integer");
		for (i = 0; i < ROWS * 2; i++) {
			value year = table_value(t, 1, (row_id)i);
			snprintf(row, sizeof row, "Film \"%zu\"", i);
			char id[32];
			snprintf(id, sizeof id, "tt%zu", i);
			if (strcmp(table_string_at(t, 0, i), id) != 0 ||
			    (i % 11 == 0) != (year.kind == VALUE_NULL) ||
			    (year.kind == VALUE_INTEGER && year.as.integer != (int64_t)(1900 + i % 120)) ||
			    strcmp(table_string_at(t, 2, i), row) != 0)
				good = false;
		}
		ok(good, "every cell, \\N as null and quotes as text");
	}
	table_free(t);
	free(c.text);
}

/* A cap is held across both halves, and failing allocations leak nothing. */
static void test_memory(void)
{
	catalogue c = twisted(PLAIN, 0);
	size_t before = reel_memory_used();
	unsigned long n;
	bool clean = true;
	table *t;
	reel_memory_set_limit(before + c.length / 2);
	t = read_it(&c);
	ok(t == NULL, "a cap of half the input is not passed");
	reel_memory_set_limit(0);
	table_free(t);
	for (n = 1; n < 30; n++) {
		reel_memory_fail_after(n);
		t = read_it(&c);
		reel_memory_fail_after(0);
		table_free(t);
		clean = clean && reel_memory_used() == before;
	}
	ok(clean, "no failed allocation leaks");
	free(c.text);
}

int main(void)
{
	test_plain();
	test_split_inside_quotes();
	test_fewer_rows_than_lines();
	test_halves_disagree();
	test_halves_differ_in_width();
	test_errors();
	test_booleans();
	test_tsv();
	test_memory();
	return done_testing();
}
