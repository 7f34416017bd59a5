/*
** test_table.c: the table builder (type inference, nulls, the arena), cell
** values, column lookup, suggestions and film names, and out-of-memory
** behaviour of the builder.
*/
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include "core/date.h"
#include "core/error.h"
#include "core/memory.h"
#include "core/table.h"
#include "tap.h"

static reel_error err;

/* A table from a header and rows of cells; NULL in a row is a null cell. */
static table *build(size_t columns, const char *const *names,
                    const char *const *cells, size_t rows)
{
	table_builder *b = table_builder_new(columns, names);
	size_t r, c;
	if (b == NULL)
		return NULL;
	for (r = 0; r < rows; r++) {
		for (c = 0; c < columns; c++) {
			const char *cell = cells[r * columns + c];
			int status = cell == NULL ? table_builder_add_null(b)
			                          : table_builder_add(b, cell, strlen(cell));
			if (status != 0) {
				table_builder_free(b);
				return NULL;
			}
		}
		if (table_builder_end_row(b, &err) != 0) {
			table_builder_free(b);
			return NULL;
		}
	}
	return table_builder_finish(b, &err);
}

/* A one-column table of the given cells. */
static table *column_of(const char *const *cells, size_t rows)
{
	static const char *const name[] = {"x"};
	return build(1, name, cells, rows);
}

static column_type type_of(const char *const *cells, size_t rows)
{
	table *t = column_of(cells, rows);
	column_type type = t != NULL ? t->columns[0].type : (column_type)-1;
	table_free(t);
	return type;
}

static void test_type_inference(void)
{
	static const char *const ints[] = {"1", "-42", "+7", "007", "0"};
	static const char *const big[] = {"9223372036854775807", "-9223372036854775808"};
	static const char *const over[] = {"1", "9223372036854775808"};
	static const char *const under[] = {"-9223372036854775809"};
	static const char *const nums[] = {"1", "2.5", "-.5", "1e3", "6.02E+23", "7."};
	static const char *const bools[] = {"true", "FALSE", "True", "fAlSe"};
	static const char *const hex[] = {"1", "0x10"};
	static const char *const words[] = {"1", "inf"};
	static const char *const nan_word[] = {"nan"};
	static const char *const spaced[] = {"1", " 2"};
	static const char *const trailing[] = {"1", "2 "};
	static const char *const huge[] = {"1", "1e400"};
	static const char *const tiny[] = {"1", "1e-400"};
	static const char *const mixed[] = {"1", "true"};
	static const char *const empty[] = {"1", ""};
	static const char *const bare_exp[] = {"1e"};
	static const char *const sign[] = {"-"};
	is_integer(type_of(ints, 5), COLUMN_INTEGER, "signed and zero-led digits are integers");
	is_integer(type_of(big, 2), COLUMN_INTEGER, "int64 limits are integers");
	is_integer(type_of(over, 2), COLUMN_STRING,
	           "past INT64_MAX the column stays text, every value exact");
	is_integer(type_of(under, 1), COLUMN_STRING, "below INT64_MIN too");
	is_integer(type_of(nums, 6), COLUMN_NUMBER, "fractions and exponents are numbers");
	is_integer(type_of(bools, 4), COLUMN_BOOLEAN, "true/false in any case are booleans");
	is_integer(type_of(hex, 2), COLUMN_STRING, "hex is not a number");
	is_integer(type_of(words, 2), COLUMN_STRING, "inf is not a number");
	is_integer(type_of(nan_word, 1), COLUMN_STRING, "nan is not a number");
	is_integer(type_of(spaced, 2), COLUMN_STRING, "a leading space makes a string");
	is_integer(type_of(trailing, 2), COLUMN_STRING, "a trailing space makes a string");
	is_integer(type_of(huge, 2), COLUMN_STRING, "a decimal beyond double range is a string");
	is_integer(type_of(tiny, 2), COLUMN_NUMBER, "a decimal that underflows is a number");
	is_integer(type_of(mixed, 2), COLUMN_STRING, "integers mixed with booleans are strings");
	is_integer(type_of(empty, 2), COLUMN_STRING, "an empty string makes a string column");
	is_integer(type_of(bare_exp, 1), COLUMN_STRING, "an exponent needs digits");
	is_integer(type_of(sign, 1), COLUMN_STRING, "a sign alone is a string");
}

static void test_values(void)
{
	static const char *const names[] = {"id", "rating", "seen", "title"};
	static const char *const cells[] = {
		"9223372036854775807", "7.5", "true", "Hope",
		"-9223372036854775808", NULL, "False", NULL,
		"+12", "-0.125", NULL, "Silenced",
		NULL, "1e3", "TRUE", "",
	};
	table *t = build(4, names, cells, 4);
	value v;
	ok(t != NULL, "a four-column table builds (%s)", err.message);
	if (t == NULL)
		return;
	is_integer(t->row_count, 4, "four rows");
	is_integer(column_integer(&t->columns[0], 0), INT64_MAX, "INT64_MAX read back");
	is_integer(column_integer(&t->columns[0], 1), INT64_MIN, "INT64_MIN read back");
	is_integer(column_integer(&t->columns[0], 2), 12, "+12 read as 12");
	ok(t->columns[1].numbers[0] == 7.5, "7.5 read back");
	ok(t->columns[1].numbers[2] == -0.125, "-0.125 read back");
	ok(t->columns[1].numbers[3] == 1000.0, "1e3 read back");
	ok(t->columns[2].booleans[0] == 1 && t->columns[2].booleans[1] == 0 &&
	   t->columns[2].booleans[3] == 1, "booleans read back");
	ok(table_is_null(t, 0, 3) && !table_is_null(t, 0, 2), "integer nulls are marked");
	ok(table_is_null(t, 3, 1), "string nulls are marked");
	is_string(table_string_at(t, 3, 2), "Silenced", "a string read back");
	is_integer(table_string_length(t, 3, 2), 8, "its length");
	is_string(table_string_at(t, 3, 3), "", "an empty string is not null");
	ok(!table_is_null(t, 3, 3), "the empty string is a value");
	is_string(table_string_at(t, 3, 1), "", "a null string cell reads as empty");
	is_integer(table_string_length(t, 3, 1), 0, "with length 0");
	/* only the string column's text stays in the arena */
	is_integer(t->arena_size, 1 + 5 + 9 + 1, "numeric text is squeezed out of the arena");
	v = table_value(t, 1, 1);
	is_integer(v.kind, VALUE_NULL, "table_value: null");
	v = table_value(t, 0, 2);
	ok(v.kind == VALUE_INTEGER && v.as.integer == 12, "table_value: integer");
	v = table_value(t, 1, 0);
	ok(v.kind == VALUE_NUMBER && v.as.number == 7.5, "table_value: number");
	v = table_value(t, 2, 1);
	ok(v.kind == VALUE_BOOLEAN && !v.as.boolean, "table_value: boolean");
	v = table_value(t, 3, 0);
	ok(v.kind == VALUE_STRING && v.as.string.length == 4 &&
	   memcmp(v.as.string.text, "Hope", 4) == 0, "table_value: string");
	table_free(t);
}

static void test_nulls_and_bitmaps(void)
{
	static const char *const names[] = {"a", "b"};
	static const char *const cells[] = {"1", NULL, "2", NULL, "3", NULL};
	table *t = build(2, names, cells, 3);
	ok(t != NULL, "a table with an all-null column builds");
	if (t == NULL)
		return;
	ok(t->columns[0].nulls == NULL, "a column without nulls has no bitmap");
	is_integer(t->columns[1].type, COLUMN_STRING, "an all-null column is a string column");
	ok(table_is_null(t, 1, 0) && table_is_null(t, 1, 2), "its cells are null");
	table_free(t);
}

/* 200 rows: past the first growth of the row arrays and several null words. */
static void test_many_rows(void)
{
	static const char *const names[] = {"n", "label"};
	table_builder *b = table_builder_new(2, names);
	table *t;
	char text[32];
	size_t r, bad = 0;
	for (r = 0; r < 200; r++) {
		snprintf(text, sizeof text, "%zu", r * 3);
		table_builder_add(b, text, strlen(text));
		if (r % 7 == 0) {
			table_builder_add_null(b);
		} else {
			snprintf(text, sizeof text, "film %zu", r);
			table_builder_add(b, text, strlen(text));
		}
		table_builder_end_row(b, &err);
	}
	is_integer(table_builder_row_count(b), 200, "the builder counts rows");
	t = table_builder_finish(b, &err);
	ok(t != NULL, "200 rows build");
	if (t == NULL)
		return;
	for (r = 0; r < 200; r++) {
		snprintf(text, sizeof text, "film %zu", r);
		if (column_integer(&t->columns[0], r) != (int64_t)(r * 3))
			bad++;
		if ((r % 7 == 0) != table_is_null(t, 1, r))
			bad++;
		if (r % 7 != 0 && strcmp(table_string_at(t, 1, r), text) != 0)
			bad++;
	}
	is_integer(bad, 0, "every cell reads back after packing");
	table_free(t);
}

static void test_row_width(void)
{
	static const char *const names[] = {"a", "b", "c"};
	table_builder *b = table_builder_new(3, names);
	table *t;
	table_builder_add(b, "1", 1);
	table_builder_add(b, "x", 1);
	is_integer(table_builder_end_row(b, &err), -1, "a short row is refused");
	is_string(err.message, "expected 3 fields, found 2", "the message says how many");
	table_builder_add(b, "1", 1);
	table_builder_add(b, "2", 1);
	table_builder_add_null(b);
	table_builder_add(b, "4", 1);
	is_integer(table_builder_end_row(b, &err), -1, "a long row is refused");
	is_string(err.message, "expected 3 fields, found 4", "the message counts the extra cell");
	table_builder_add(b, "5", 1);
	table_builder_add(b, "6", 1);
	table_builder_add(b, "7", 1);
	is_integer(table_builder_end_row(b, &err), 0, "a full row is taken after refusals");
	table_builder_add(b, "8", 1);
	table_builder_add_null(b);
	is_integer(table_builder_end_row(b, &err), -1, "another short row is refused");
	t = table_builder_finish(b, &err);
	ok(t != NULL && t->row_count == 1, "only the full row is kept");
	if (t == NULL)
		return;
	ok(t->columns[2].nulls == NULL, "a refused row's null leaves no bitmap");
	is_integer(t->columns[1].type, COLUMN_INTEGER, "a refused row's text does not set the type");
	if (t->columns[1].type == COLUMN_INTEGER)
		is_integer(column_integer(&t->columns[1], 0), 6, "the kept row's cells");
	table_free(t);
}

static void test_embedded_nul(void)
{
	static const char *const names[] = {"raw"};
	table_builder *b = table_builder_new(1, names);
	table *t;
	table_builder_add(b, "a\0b", 3);
	table_builder_end_row(b, &err);
	t = table_builder_finish(b, &err);
	ok(t != NULL && table_string_length(t, 0, 0) == 3 &&
	   memcmp(table_string_at(t, 0, 0), "a\0b", 4) == 0,
	   "a cell keeps an embedded NUL byte, its length counts it");
	table_free(t);
}

static void test_number_precision(void)
{
	static const char *const cells[] = {
		"0.1", "123456789012345678901234567890.0", "2.2250738585072014e-308",
		"1.7976931348623157e308", "-0.0", "0.30000000000000004", "8.1"
	};
	table *t = column_of(cells, 7);
	ok(t != NULL && t->columns[0].type == COLUMN_NUMBER, "a number column");
	if (t == NULL || t->columns[0].type != COLUMN_NUMBER) {
		table_free(t);
		return;
	}
	ok(t->columns[0].numbers[0] == 0.1, "0.1 is the nearest double");
	ok(t->columns[0].numbers[1] == 123456789012345678901234567890.0, "30 digits round correctly");
	ok(t->columns[0].numbers[2] == 2.2250738585072014e-308, "the smallest normal");
	ok(t->columns[0].numbers[3] == 1.7976931348623157e308, "the largest double");
	ok(t->columns[0].numbers[4] == 0 && signbit(t->columns[0].numbers[4]), "-0.0 keeps its sign");
	ok(t->columns[0].numbers[5] == 0.30000000000000004, "17 significant digits");
	ok(t->columns[0].numbers[6] == 8.1, "8.1");
	table_free(t);
}

static void test_lookup_and_aliases(void)
{
	static const char *const names[] = {"rank", "title", "Runtime (mins)"};
	static const char *const cells[] = {"1", "Hope", "122"};
	table *t = build(3, names, cells, 1);
	if (t == NULL) {
		ok(0, "a table to look up in");
		return;
	}
	is_integer(table_column_index(t, "title"), 1, "a column by its name");
	is_integer(table_column_index(t, "Title"), -1, "names are exact");
	is_integer(table_column_index(t, "duration"), -1, "no alias yet");
	is_integer(table_set_alias(t, "duration", "Runtime (mins)"), 0, "an alias is set");
	is_integer(table_column_index(t, "duration"), 2, "the alias finds its column");
	is_integer(table_column_index(t, "Runtime (mins)"), 2, "the source keeps its name");
	is_integer(table_set_alias(t, "duration", "rank"), 0, "an alias can be moved");
	is_integer(table_column_index(t, "duration"), 0, "the moved alias finds its new column");
	is_integer(t->alias_count, 1, "moving does not add an alias");
	is_integer(table_set_alias(t, "year", "released"), -1, "an alias to no column fails");
	is_string(table_closest_column(t, "titel"), "title", "a transposition is suggested");
	is_string(table_closest_column(t, "TITLE"), "title", "case does not count");
	is_string(table_closest_column(t, "runtime (min)"), "Runtime (mins)", "a long name");
	is_string(table_closest_column(t, "duraton"), "duration", "aliases are suggested too");
	ok(table_closest_column(t, "director") == NULL, "nothing close: no suggestion");
	ok(table_closest_column(t, "zz") == NULL, "short names need a near match");
	is_string(table_type_name(COLUMN_INTEGER), "integer", "type name: integer");
	is_string(table_type_name(COLUMN_NUMBER), "number", "type name: number");
	is_string(table_type_name(COLUMN_BOOLEAN), "boolean", "type name: boolean");
	is_string(table_type_name(COLUMN_STRING), "string", "type name: string");
	table_free(t);
}

/* A header-only table: enough to resolve film names against. */
static table *header_table(size_t columns, const char *const *names)
{
	return build(columns, names, NULL, 0);
}

static void expect_film(const table *t, const char *film, const char *source)
{
	int c = table_column_index(t, film);
	if (source == NULL)
		is_integer(c, -1, film);
	else
		is_string(c >= 0 ? t->columns[c].name : NULL, source, film);
}

static void test_film_names_imdb_dataset(void)
{
	static const char *const names[] = {
		"tconst", "titleType", "primaryTitle", "originalTitle", "isAdult",
		"startYear", "endYear", "runtimeMinutes", "genres", "averageRating"
	};
	table *t = header_table(10, names);
	ok(t != NULL && table_resolve_film_names(t) == 0, "IMDb dataset: resolved");
	if (t == NULL)
		return;
	expect_film(t, "title", "primaryTitle");
	expect_film(t, "original_title", "originalTitle");
	expect_film(t, "year", "startYear");
	expect_film(t, "duration", "runtimeMinutes");
	expect_film(t, "genres", "genres");
	expect_film(t, "rating", "averageRating");
	expect_film(t, "director", NULL);
	is_integer(table_column_index(t, "startYear"), 5, "sources keep their own names");
	table_free(t);
}

static void test_film_names_imdb_export(void)
{
	static const char *const names[] = {
		"Const", "Your Rating", "Date Rated", "Title", "Original Title", "URL",
		"Title Type", "IMDb Rating", "Runtime (mins)", "Year", "Genres",
		"Num Votes", "Release Date", "Directors"
	};
	table *t = header_table(14, names);
	ok(t != NULL && table_resolve_film_names(t) == 0, "IMDb export: resolved");
	if (t == NULL)
		return;
	expect_film(t, "title", "Title");
	expect_film(t, "original_title", "Original Title");
	expect_film(t, "year", "Year");
	expect_film(t, "duration", "Runtime (mins)");
	expect_film(t, "director", "Directors");
	expect_film(t, "genres", "Genres");
	expect_film(t, "rating", "IMDb Rating");
	table_free(t);
}

static void test_film_names_letterboxd_and_own(void)
{
	static const char *const letterboxd[] = {"Date", "Name", "Year", "Letterboxd URI", "Rating"};
	static const char *const own[] = {"title", "primaryTitle", "RUNTIMEMINUTES"};
	table *t = header_table(5, letterboxd);
	ok(t != NULL && table_resolve_film_names(t) == 0, "Letterboxd: resolved");
	if (t != NULL) {
		expect_film(t, "title", "Name");
		expect_film(t, "year", "Year");
		expect_film(t, "rating", "Rating");
		table_free(t);
	}
	t = header_table(3, own);
	ok(t != NULL && table_resolve_film_names(t) == 0, "own names: resolved");
	if (t == NULL)
		return;
	expect_film(t, "title", "title");
	expect_film(t, "duration", "RUNTIMEMINUTES");
	is_integer(t->alias_count, 1, "a film name the table has gets no alias");
	table_free(t);
}

/* Each allocation in turn fails: the builder reports it and leaks nothing. */
static void test_out_of_memory(void)
{
	static const char *const names[] = {"id", "title", "rating"};
	size_t before = reel_memory_used(), leaks = 0;
	unsigned long n;
	table *t = NULL;
	for (n = 1; n < 10000 && t == NULL; n++) {
		table_builder *b;
		size_t r;
		int failed = 0;
		reel_memory_fail_after(n);
		b = table_builder_new(3, names);
		for (r = 0; b != NULL && r < 300 && !failed; r++) {
			char id[16];
			snprintf(id, sizeof id, "%zu", r);
			failed = table_builder_add(b, id, strlen(id)) != 0 ||
			         table_builder_add(b, "A Moment to Remember", 20) != 0 ||
			         (r % 3 ? table_builder_add(b, "8.5", 3)
			                : table_builder_add_null(b)) != 0 ||
			         table_builder_end_row(b, &err) != 0;
		}
		if (b != NULL && failed)
			table_builder_free(b);
		else if (b != NULL)
			t = table_builder_finish(b, &err);
		if (t == NULL && reel_memory_used() != before)
			leaks++;
	}
	reel_memory_fail_after(0);
	is_integer(leaks, 0, "no failed allocation leaks");
	ok(t != NULL && t->row_count == 300, "the build succeeds once memory allows (%lu tries)", n - 1);
	if (t != NULL)
		ok(table_is_null(t, 2, 0) && t->columns[2].numbers[1] == 8.5,
		   "the table that finally builds is whole");
	table_free(t);
	is_integer(reel_memory_used(), before, "freeing the table returns all memory");
}

/* A builder given a size hint, too small or large enough, builds the same
** table as one without; a big hint (several megabytes, so its pages are
** advised and its tail given back) still reads back every cell; and a hint
** that memory cannot hold leaves a builder that works. */
static int fill_films(table_builder *b, size_t rows)
{
	char text[48];
	size_t r;
	for (r = 0; r < rows; r++) {
		snprintf(text, sizeof text, "%zu", 1990 + r % 37);
		if (table_builder_add(b, text, strlen(text)) != 0)
			return -1;
		snprintf(text, sizeof text, "Film number %zu, a long title", r);
		if ((r % 5 == 0 ? table_builder_add_null(b)
		                : table_builder_add(b, text, strlen(text))) != 0 ||
		    table_builder_end_row(b, &err) != 0)
			return -1;
	}
	return 0;
}

static size_t misread_films(const table *t, size_t rows)
{
	char text[48];
	size_t r, bad = t->row_count != rows || t->columns[0].type != COLUMN_INTEGER;
	for (r = 0; bad == 0 && r < rows; r++) {
		snprintf(text, sizeof text, "Film number %zu, a long title", r);
		bad += column_integer(&t->columns[0], r) != (int64_t)(1990 + r % 37);
		bad += (r % 5 == 0) != table_is_null(t, 1, r);
		bad += r % 5 != 0 && (strcmp(table_string_at(t, 1, r), text) != 0 ||
		                      table_string_length(t, 1, r) != strlen(text));
	}
	return bad;
}

static void test_reserve(void)
{
	static const char *const names[] = {"year", "title"};
	static const struct { size_t rows, hint_rows, hint_bytes; } cases[] = {
		{1000, 10, 100}, {1000, 1000, 40000}, {200000, 200001, 8000000},
		{200000, 1000, 6000000}
	};
	size_t i;
	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		table_builder *b = table_builder_new(2, names);
		table *t = NULL;
		int reserved = b != NULL ? table_builder_reserve(b, cases[i].hint_rows,
		                                                  cases[i].hint_bytes) : -1;
		if (reserved == 0 && fill_films(b, cases[i].rows) == 0)
			t = table_builder_finish(b, &err);
		else
			table_builder_free(b);
		ok(t != NULL && misread_films(t, cases[i].rows) == 0,
		   "%zu rows after a hint of %zu rows and %zu bytes read back", cases[i].rows,
		   cases[i].hint_rows, cases[i].hint_bytes);
		table_free(t);
	}
	{
		table_builder *b = table_builder_new(2, names);
		table *t = NULL;
		int reserved;
		size_t before = reel_memory_used();
		reel_memory_set_limit(before + (1 << 20));
		reserved = table_builder_reserve(b, 1000000, 100000000);
		ok(reserved == 0 && reel_memory_used() - before < (1 << 20),
		   "a hint past the memory limit is room, not memory in use: granted");
		if (fill_films(b, 500) == 0)
			t = table_builder_finish(b, &err);
		else
			table_builder_free(b);
		reel_memory_set_limit(0);
		ok(t != NULL && misread_films(t, 500) == 0,
		   "and the builder fills it under the limit");
		table_free(t);
	}
}

/* Dates: a column of one form of dates becomes COLUMN_DATE, its cells
** stamps (date.h); mixed forms stay text. */
static void test_dates(void)
{
	static const char *const iso[] = {"1998-06-12", "2011-09-22T20:00:00Z", NULL};
	static const char *const written[] = {"Jun 12 1998", "12 June 1998"};
	static const char *const mixed[] = {"1998-06-12", "Jun 12 1998"};
	static const char *const year_and_date[] = {"1998", "1998-06-12"};
	table *t = column_of(iso, 3);
	is_integer(type_of(iso, 3), COLUMN_DATE, "ISO dates and date-times, a null: dates");
	is_integer(type_of(written, 2), COLUMN_DATE, "written dates: dates");
	is_integer(type_of(mixed, 2), COLUMN_STRING, "ISO and written mixed: text");
	is_integer(type_of(year_and_date, 2), COLUMN_STRING, "a year and a date: text");
	ok(t != NULL && t->columns[0].integers != NULL &&
	   t->columns[0].integers[0] == date_from_civil(1998, 6, 12) &&
	   date_has_time(t->columns[0].integers[1]) && table_is_null(t, 0, 2),
	   "the cells are stamps, the null a null");
	table_free(t);
}

/* Null markers: \N is null anywhere, NULL, NA and N/A where the column is
** typed; set_nulls replaces the list. */
static void test_null_markers(void)
{
	static const char *const numbers[] = {"1", "NA", "\\N", "2.5", "N/A"};
	static const char *const texts[] = {"NA", "\\N", "x", "NULL"};
	static const char *const only_markers[] = {"NA", "NULL"};
	static const char *const name[] = {"x"};
	static const char *const dashes[] = {"-", NULL};
	table *t = column_of(numbers, 5);
	table_builder *b;
	ok(t != NULL && t->columns[0].type == COLUMN_NUMBER && table_is_null(t, 0, 1) &&
	   table_is_null(t, 0, 2) && table_is_null(t, 0, 4) && !table_is_null(t, 0, 3),
	   "markers in a number column are nulls");
	table_free(t);
	t = column_of(texts, 4);
	ok(t != NULL && t->columns[0].type == COLUMN_STRING && !table_is_null(t, 0, 0) &&
	   table_is_null(t, 0, 1) && !table_is_null(t, 0, 3) &&
	   strcmp(table_string_at(t, 0, 3), "NULL") == 0,
	   "a text column keeps NA and NULL, \\N is null");
	table_free(t);
	t = column_of(only_markers, 2);
	ok(t != NULL && table_is_null(t, 0, 0) && table_is_null(t, 0, 1),
	   "a column of nothing but markers is null");
	table_free(t);
	b = table_builder_new(1, name);
	table_builder_set_nulls(b, dashes);
	ok(b != NULL && table_builder_add(b, "-", 1) == 0 &&
	   table_builder_end_row(b, &err) == 0 && table_builder_add(b, "NA", 2) == 0 &&
	   table_builder_end_row(b, &err) == 0 && table_builder_add(b, "3", 1) == 0 &&
	   table_builder_end_row(b, &err) == 0, "a builder with its own list");
	t = table_builder_finish(b, &err);
	ok(t != NULL && t->columns[0].type == COLUMN_STRING && table_is_null(t, 0, 0) == false &&
	   strcmp(table_string_at(t, 0, 1), "NA") == 0,
	   "the list replaces the defaults: NA is text, so '-' stays text too");
	table_free(t);
}

int main(void)
{
	test_dates();
	test_null_markers();
	test_type_inference();
	test_values();
	test_nulls_and_bitmaps();
	test_many_rows();
	test_row_width();
	test_embedded_nul();
	test_number_precision();
	test_lookup_and_aliases();
	test_film_names_imdb_dataset();
	test_film_names_imdb_export();
	test_film_names_letterboxd_and_own();
	test_out_of_memory();
	test_reserve();
	ok(reel_memory_used() == 0, "everything allocated was freed");
	return done_testing();
}
