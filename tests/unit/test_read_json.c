/*
** test_read_json.c: JSON catalogues (arrays of objects and JSON Lines),
** their types and nulls, nested values, escapes, and malformed input.
*/
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/memory.h"
#include "core/read.h"
#include "tap.h"

static reel_error err;

static table *load(const char *text)
{
	err.message[0] = '\0';
	return read_json(text, strlen(text), "films.json", &err);
}

static const char *cell(const table *t, const char *name, row_id row)
{
	int c = table_column_index(t, name);
	if (c < 0 || table_is_null(t, (size_t)c, row))
		return NULL;
	return table_string_at(t, (size_t)c, row);
}

static void test_array_of_objects(void)
{
	table *t = load("[{\"title\": \"Hope\", \"year\": 2013, \"rating\": 8.1},\n"
	                " {\"title\": \"1776\", \"year\": null, \"seen\": true}]");
	ok(t != NULL, "an array of objects loads (%s)", err.message);
	if (t == NULL)
		return;
	is_integer(t->row_count, 2, "two rows");
	is_integer(t->column_count, 4, "columns are the union of keys");
	is_string(t->columns[3].name, "seen", "keys in first-seen order");
	is_integer(t->columns[1].type, COLUMN_INTEGER, "year is an integer column");
	is_integer(t->columns[2].type, COLUMN_NUMBER, "rating is a number column");
	is_integer(t->columns[3].type, COLUMN_BOOLEAN, "seen is a boolean column");
	is_integer(t->columns[0].type, COLUMN_STRING, "title stays a string column");
	is_string(cell(t, "title", 1), "1776", "a numeric-looking title is kept as text");
	ok(table_is_null(t, 1, 1), "JSON null is null");
	ok(table_is_null(t, 2, 1), "a missing key is null");
	ok(table_is_null(t, 3, 0), "a key first seen later is null before it");
	table_free(t);
}

static void test_json_lines_and_nesting(void)
{
	table *t = load("{\"title\": \"Daisy\", \"genres\": [\"Drama\", \"Romance\"]}\n"
	                "{\"title\": \"Harmony\", \"cast\": {\"lead\": \"Kim\"}}\n");
	ok(t != NULL, "JSON Lines load (%s)", err.message);
	if (t == NULL)
		return;
	is_integer(t->row_count, 2, "one row a line");
	is_string(cell(t, "genres", 0), "Drama,Romance", "an array of strings is a list, joined");
	is_string(t->columns[table_column_index(t, "genres")].list, ",",
	          "by a comma, its separator");
	is_string(cell(t, "cast.lead", 1), "Kim", "a nested object flattens into dotted names");
	table_free(t);
}

static void test_escapes(void)
{
	table *t = load("[{\"title\": \"Spirits\\u0027 \\\"Homecoming\\\"\\n\\u00e9\\ud83c\\udfac\\t\"}]");
	ok(t != NULL, "escapes decode (%s)", err.message);
	if (t == NULL)
		return;
	is_string(cell(t, "title", 0), "Spirits' \"Homecoming\"\n\xC3\xA9\xF0\x9F\x8E\xAC\t",
	          "quotes, newline, BMP and surrogate-pair escapes");
	table_free(t);
	t = load("[{\"title\": \"\\ud800 alone\"}]");
	ok(t != NULL && strcmp(cell(t, "title", 0), "\xEF\xBF\xBD alone") == 0,
	   "a lone surrogate becomes U+FFFD");
	table_free(t);
}

static void test_errors(void)
{
	static const struct {
		const char *text;
		const char *message;
	} cases[] = {
		{"[{\"title\": \"Hope\",}]", "films.json:1:19: expected a string key"},
		{"[{\"title\": \"Hope\"}\n{\"title\": 1}]", "films.json:2:1: expected ',' or ']'"},
		{"[{\"title\": \"Hope\n\"}]", "films.json:1:17: control character in string"},
		{"[{\"title\": \"Hope}]", "films.json:1:12: unterminated string"},
		{"[{\"year\": 20x3}]", "films.json:1:13: expected ',' or '}'"},
		{"[{\"year\": -}]", "films.json:1:11: invalid number"},
		{"[1, 2]", "films.json:1:2: expected an object"},
		{"\"films\"", "films.json:1:1: expected '[' or '{' to begin the catalogue"},
		{"[{\"a\": tru}]", "films.json:1:8: invalid literal"},
		{"[{\"a\": 1}] x", "films.json:1:12: unexpected text after the catalogue"},
		{"[]", "films.json:1:1: no objects with keys, so no columns"},
		{"[{\"a\": \"\\q\"}]", "films.json:1:9: invalid escape in string"},
	};
	size_t i;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		table *t = load(cases[i].text);
		ok(t == NULL, "malformed input %zu is refused", i + 1);
		is_string(err.message, cases[i].message, "and the message names line and column");
		table_free(t);
	}
}

static void test_depth_cap(void)
{
	static char deep[4096];
	size_t i, n = 1000;
	strcpy(deep, "[{\"a\": ");
	for (i = 0; i < n; i++)
		strcat(deep, "[");
	table *t = load(deep);
	ok(t == NULL && strstr(err.message, "nesting too deep") != NULL,
	   "deep nesting is refused, not recursed into (%s)", err.message);
}

static void test_memory_failures(void)
{
	const char *text = "[{\"title\": \"Silenced\\u0021\", \"year\": 2011},"
	                   " {\"title\": \"Hope\", \"extra\": [1, 2]}]";
	unsigned long n;
	bool finished = false;
	for (n = 1; n < 200 && !finished; n++) {
		table *t;
		reel_memory_fail_after(n);
		t = read_json(text, strlen(text), "films.json", &err);
		reel_memory_fail_after(0);
		finished = t != NULL;
		if (t == NULL && strstr(err.message, "memory") == NULL)
			break;
		table_free(t);
	}
	ok(finished, "every allocation failure is reported cleanly until the read succeeds");
	is_integer(reel_memory_used(), 0, "nothing is left allocated");
}

int main(void)
{
	test_array_of_objects();
	test_json_lines_and_nesting();
	test_escapes();
	test_errors();
	test_depth_cap();
	test_memory_failures();
	return done_testing();
}
