/*
** test_load_values.c: value columns, where the CSV reader parses numbers
** straight into their slots. Every case is checked twice: against the
** expected cells, and against the same cells built with every column in text
** (the way JSON builds), which the value path must match exactly: a column
** that turns to text late, integers then decimals, nulls, "" against null,
** 64-bit extremes, overflow past int64, -0, booleans, and error positions
** after a restart.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/memory.h"
#include "core/read.h"
#include "tap.h"

static reel_error err;

static table *csv(const char *text)
{
	err.message[0] = '\0';
	return read_csv(text, strlen(text), "films.csv", ',', &err);
}

/* The same cells (plain ones only: no quotes, "" is null) given to a builder
** left in text mode, as read_json does. */
static table *text_build(const char *text)
{
	const char *names[8], *p = strchr(text, '\n') + 1;
	char header[256];
	size_t n = 0, i;
	table_builder *b;
	table *t;
	memcpy(header, text, (size_t)(p - 1 - text));
	header[p - 1 - text] = '\0';
	for (names[n++] = strtok(header, ","); n < 8 && (names[n] = strtok(NULL, ",")) != NULL; n++)
		;
	b = table_builder_new(n, names);
	while (b != NULL && *p != '\0') {
		const char *eol = strchr(p, '\n');
		for (i = 0; i < n; i++) {
			const char *cut = strchr(p, i + 1 < n ? ',' : '\n');
			if (cut == p)
				table_builder_add_null(b);
			else
				table_builder_add(b, p, (size_t)(cut - p));
			p = cut + 1;
		}
		table_builder_end_row(b, NULL);
		p = eol + 1;
	}
	t = b != NULL ? table_builder_finish(b, NULL) : NULL;
	return t;
}

static bool same_value(value a, value b)
{
	if (a.kind != b.kind)
		return false;
	switch (a.kind) {
	case VALUE_NULL: return true;
	case VALUE_INTEGER: case VALUE_DATE: return a.as.integer == b.as.integer;
	case VALUE_NUMBER:
		return memcmp(&a.as.number, &b.as.number, sizeof a.as.number) == 0;
	case VALUE_BOOLEAN: return a.as.boolean == b.as.boolean;
	case VALUE_STRING:
		return a.as.string.length == b.as.string.length &&
		       memcmp(a.as.string.text, b.as.string.text, a.as.string.length) == 0;
	}
	return false;
}

static bool same_table(const table *a, const table *b)
{
	size_t c, r;
	if (a == NULL || b == NULL || a->row_count != b->row_count ||
	    a->column_count != b->column_count)
		return false;
	for (c = 0; c < a->column_count; c++) {
		if (a->columns[c].type != b->columns[c].type)
			return false;
		for (r = 0; r < a->row_count; r++)
			if (!same_value(table_value(a, c, (row_id)r), table_value(b, c, (row_id)r)))
				return false;
	}
	return true;
}

/* Reads `text` both ways; the CSV table, or NULL. */
static table *both_ways(const char *text, const char *what)
{
	table *t = csv(text), *plain = text_build(text);
	ok(t != NULL, "%s: loads (%s)", what, err.message);
	ok(same_table(t, plain), "%s: as a text-only build makes it", what);
	table_free(plain);
	return t;
}

static column_type type_of(const table *t, const char *name)
{
	return t->columns[table_column_index(t, name)].type;
}

static value at(const table *t, const char *name, row_id row)
{
	return table_value(t, (size_t)table_column_index(t, name), row);
}

/* Many integer rows, then the given last cell for the column "code". */
static char *integers_then(const char *last, size_t rows)
{
	char *text = reel_malloc(rows * 24 + 64), *p = text;
	size_t r;
	p += sprintf(p, "id,code\n");
	for (r = 0; r < rows; r++)
		p += sprintf(p, "%zu,%s\n", r, r == 0 ? "007" : "42");
	sprintf(p, "%zu,%s\n", rows, last);
	return text;
}

static void test_late_text(void)
{
	char *text = integers_then("Bond", 9000);
	table *t = both_ways(text, "a word after 9000 integers");
	if (t != NULL) {
		is_integer(type_of(t, "code"), COLUMN_STRING, "the column is text");
		is_string(table_string_at(t, 1, 0), "007", "\"007\" keeps its zeros");
		is_string(table_string_at(t, 1, 9000), "Bond", "the word is there");
		is_integer(type_of(t, "id"), COLUMN_INTEGER, "the other column stays integer");
		is_integer(at(t, "id", 9000).as.integer, 9000, "and its last value");
	}
	table_free(t);
	reel_free(text);
	text = integers_then("true", 50);
	t = both_ways(text, "true after integers");
	if (t != NULL)
		is_integer(type_of(t, "code"), COLUMN_STRING, "integers and a boolean are text");
	table_free(t);
	reel_free(text);
}

static void test_integer_then_decimal(void)
{
	char *text = integers_then("2.5", 3000);
	table *t = both_ways(text, "a decimal after integers");
	if (t != NULL) {
		is_integer(type_of(t, "code"), COLUMN_NUMBER, "the column is a number");
		ok(at(t, "code", 0).as.number == 7.0, "the integers became doubles");
		ok(at(t, "code", 3000).as.number == 2.5, "the decimal is read");
	}
	table_free(t);
	reel_free(text);
	t = both_ways("n,x\n9007199254740993,1\n-0,2\n3.25,3\n", "-0 then a decimal");
	if (t != NULL) {
		is_integer(type_of(t, "n"), COLUMN_NUMBER, "a number column");
		ok(signbit(at(t, "n", 1).as.number), "-0 stays negative zero");
		ok(at(t, "n", 0).as.number == 9007199254740992.0, "2^53+1 rounds as its text does");
	}
	table_free(t);
	t = both_ways("n,x\n1.5,1\n-0,2\n123456789012345678,3\n", "integers after a decimal");
	if (t != NULL)
		ok(signbit(at(t, "n", 1).as.number), "-0 in a number column is -0.0");
	table_free(t);
}

static void test_nulls(void)
{
	table *t = both_ways("id,year,note\n1,,\n,1999,\n3,2001,\n", "nulls in value columns");
	if (t != NULL) {
		is_integer(type_of(t, "year"), COLUMN_INTEGER, "year is integer");
		ok(table_is_null(t, 1, 0), "a null year");
		is_integer(at(t, "year", 1).as.integer, 1999, "a year after a null");
		ok(table_is_null(t, 0, 1), "a null id");
		is_integer(type_of(t, "note"), COLUMN_STRING, "an all-null column is a string one");
		ok(table_is_null(t, 2, 2), "of nulls");
		is_integer(table_string_length(t, 2, 2), 0, "with empty text");
	}
	table_free(t);
	t = csv("id,code\n1,5\n2,\"\"\n3,\n");
	ok(t != NULL, "\"\" in an integer column loads");
	if (t != NULL) {
		is_integer(type_of(t, "code"), COLUMN_STRING, "\"\" makes the column text");
		is_string(table_string_at(t, 1, 0), "5", "its number kept as text");
		ok(!table_is_null(t, 1, 1) && table_string_length(t, 1, 1) == 0,
		   "\"\" is the empty string");
		ok(table_is_null(t, 1, 2), "an empty field is null");
	}
	table_free(t);
	t = read_tsv("id\tyear\n1\t\\N\n2\t1950\n", 20, "t.tsv", &err);
	ok(t != NULL && type_of(t, "year") == COLUMN_INTEGER && table_is_null(t, 1, 0),
	   "TSV \\N is a null in an integer column");
	table_free(t);
}

static void test_extremes(void)
{
	table *t = both_ways("n,m\n9223372036854775807,+12\n-9223372036854775808,0012\n",
	                     "64-bit extremes");
	if (t != NULL) {
		is_integer(type_of(t, "n"), COLUMN_INTEGER, "the extremes are integers");
		ok(at(t, "n", 0).as.integer == INT64_MAX, "the largest");
		ok(at(t, "n", 1).as.integer == INT64_MIN, "the smallest");
		is_integer(at(t, "m", 0).as.integer, 12, "a plus sign");
		is_integer(at(t, "m", 1).as.integer, 12, "leading zeros");
	}
	table_free(t);
	t = both_ways("n\n5\n9223372036854775808\n9007199254740993\n", "one past int64");
	if (t != NULL) {
		is_integer(type_of(t, "n"), COLUMN_STRING, "overflow keeps the column text");
		is_string(at(t, "n", 1).as.string.text, "9223372036854775808", "its value exact");
		is_string(at(t, "n", 2).as.string.text, "9007199254740993",
		          "and the others exact too (no rounding through a double)");
		is_string(at(t, "n", 0).as.string.text, "5", "the integer before it");
	}
	table_free(t);
	t = both_ways("n\n1\n1e400\n", "a number too large for a double");
	if (t != NULL)
		is_integer(type_of(t, "n"), COLUMN_STRING, "is text");
	table_free(t);
	t = both_ways("n\n-\n1\n", "a lone minus");
	table_free(t);
	t = both_ways("flag,n\ntrue,1e3\nFALSE,.5\n", "booleans and exponents");
	if (t != NULL) {
		is_integer(type_of(t, "flag"), COLUMN_BOOLEAN, "a boolean column");
		ok(at(t, "n", 0).as.number == 1000.0, "an exponent");
	}
	table_free(t);
}

/* Columns meeting text one after another deep down: after a few late
** restarts every column is read as text, which must change nothing. */
static void test_many_late_words(void)
{
	char *text = reel_malloc(10000 * 40 + 64), *p = text;
	table *t;
	size_t r, k;
	p += sprintf(p, "a,b,c,d,e\n");
	for (r = 0; r < 10000; r++) {
		for (k = 0; k < 4; k++)
			p += sprintf(p, r == 5000 + 1000 * k ? "word," : "%zu,", r % 97);
		p += sprintf(p, "%zu\n", r);
	}
	t = both_ways(text, "four columns turning to text late");
	if (t != NULL) {
		is_integer(type_of(t, "d"), COLUMN_STRING, "the last to turn is text");
		is_string(table_string_at(t, 3, 8000), "word", "with its word");
		is_integer(type_of(t, "e"), COLUMN_INTEGER, "a column of integers still is one");
		is_integer(at(t, "e", 9999).as.integer, 9999, "with its values");
	}
	table_free(t);
	reel_free(text);
}

/* Random catalogues of numeric-looking cells, words and nulls: each read
** as the text-only build reads it. The generator is fixed, so every run
** checks the same ones. */
static void test_random_catalogues(void)
{
	static const char *const cells[] = {
		"0", "7", "-12", "007", "-0", "+3", "1.5", "-2.25", ".5", "1e5",
		"9223372036854775807", "-9223372036854775808", "9223372036854775808",
		"123456789012345678", "1e400", "true", "FALSE", "Heat", "-", "",
	};
	unsigned long seed = 12345;
	char *text = reel_malloc(64 * 4 * 24 + 64);
	int round, good = 0;
	for (round = 0; round < 300; round++) {
		char *p = text;
		int rows = 1 + round % 60, r, k;
		table *t, *plain;
		p += sprintf(p, "a,b,c,d\n");
		for (r = 0; r < rows; r++)
			for (k = 0; k < 4; k++) {
				seed = seed * 6364136223846793005UL + 1442695040888963407UL;
				/* mostly the column's own few kinds, now and then any */
				size_t pick = (seed >> 33) % 16 == 0 ? (seed >> 40) % 20
				                                      : (size_t)(k * 3 + (seed >> 45) % 4) % 20;
				p += sprintf(p, "%s%c", cells[pick], k == 3 ? '\n' : ',');
			}
		t = csv(text);
		plain = text_build(text);
		good += same_table(t, plain);
		table_free(t);
		table_free(plain);
	}
	is_integer(good, 300, "300 random catalogues read as a text-only build reads them");
	reel_free(text);
}

static void test_errors_after_restart(void)
{
	table *t = csv("id,title\n1,2\n2,3\n3,Heat\n4,5\n5\n");
	ok(t == NULL, "a short row after a restart is refused");
	is_string(err.message, "films.csv:6:1: expected 2 fields, found 1", "and named at its line");
	table_free(t);
	t = csv("id,title\n1,2\n2,x\"y\n3,Heat\n");
	ok(t == NULL, "a bad quote after integers is refused");
	is_string(err.message, "films.csv:3:4: quote inside an unquoted field", "at its place");
	table_free(t);
}

/* A builder left in value mode across a failed allocation still frees. */
static void test_out_of_memory(void)
{
	char *text = integers_then("Bond", 2000);
	unsigned long n;
	bool all_clean = true;
	for (n = 1; n < 40; n++) {
		size_t before = reel_memory_used();
		table *t;
		reel_memory_fail_after(n);
		t = csv(text);
		reel_memory_fail_after(0);
		table_free(t);
		if (reel_memory_used() != before)
			all_clean = false;
	}
	ok(all_clean, "no allocation failure leaks");
	reel_free(text);
}

/* Integers that fit 32 bits keep 4-byte slots; the first that does not
** widens every slot before it, nulls included, and a decimal after that
** still promotes them exactly. */
static void test_narrow_slots(void)
{
	char *text = integers_then("-2147483648", 5000);
	table *t = both_ways(text, "integers all within 32 bits");
	const column *code = t != NULL ? &t->columns[1] : NULL;
	ok(code != NULL && code->narrow != NULL && code->integers == NULL,
	   "a column within 32 bits keeps 4-byte slots");
	ok(code != NULL && column_integer(code, 5000) == INT32_MIN &&
	   column_integer(code, 0) == 7, "and reads them back");
	table_free(t);
	reel_free(text);
	text = integers_then("2147483648", 5000);
	t = both_ways(text, "one past 32 bits after 5000 rows");
	code = t != NULL ? &t->columns[1] : NULL;
	ok(code != NULL && code->narrow == NULL && code->integers != NULL &&
	   column_integer(code, 5000) == (int64_t)INT32_MAX + 1 &&
	   column_integer(code, 4999) == 42, "a wider one widens the slots before it");
	table_free(t);
	reel_free(text);
	t = both_ways("id,code\n1,5\n2,\n3,-9000000000\n4,\n5,2.5\n6,-1\n",
	              "nulls, a wide integer, then a decimal");
	code = t != NULL ? &t->columns[1] : NULL;
	ok(code != NULL && code->type == COLUMN_NUMBER &&
	   at(t, "code", 2).as.number == -9e9 && at(t, "code", 5).as.number == -1.0 &&
	   at(t, "code", 1).kind == VALUE_NULL, "promoted from wide slots, nulls kept");
	table_free(t);
}

int main(void)
{
	test_late_text();
	test_integer_then_decimal();
	test_nulls();
	test_extremes();
	test_many_late_words();
	test_random_catalogues();
	test_errors_after_restart();
	test_out_of_memory();
	test_narrow_slots();
	return done_testing();
}
