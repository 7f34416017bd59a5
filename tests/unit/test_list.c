/*
** test_list.c: list cells (their elements, has at every place an element
** can be, separators of several bytes, blanks and empty elements) and
** explode over a table (a row an element, the elements' spans in the
** source's arena, nulls and empty lists giving no row).
*/
#include <string.h>

#include "core/error.h"
#include "core/explode.h"
#include "core/list.h"
#include "core/memory.h"
#include "core/read.h"
#include "tap.h"

/* A column flagged as a list with `separator`, for the cell functions. */
static column list_of(const char *separator)
{
	column c;
	memset(&c, 0, sizeof c);
	c.type = COLUMN_STRING;
	strcpy(c.list, separator);
	return c;
}

/* The elements of a cell joined by '/', to compare in one go. */
static const char *elements(const column *c, const char *text)
{
	static char out[256];
	list_cursor cursor;
	const char *element;
	size_t length, n = 0;
	list_open(&cursor, c, text, strlen(text));
	out[0] = '\0';
	while (list_next(&cursor, &element, &length) && n + length + 2 < sizeof out) {
		if (n > 0)
			out[n++] = '/';
		memcpy(out + n, element, length);
		n += length;
		out[n] = '\0';
	}
	return out;
}

static bool has(const column *c, const char *text, const char *needle)
{
	return list_has(c, text, strlen(text), needle, strlen(needle));
}

static void test_elements(void)
{
	column comma = list_of(","), wide = list_of(" | ");
	is_string(elements(&comma, "Drama,Romance"), "Drama/Romance", "two elements");
	is_string(elements(&comma, " Drama , Sci-Fi ,"), "Drama/Sci-Fi",
	          "blanks trimmed, an empty last element left out");
	is_string(elements(&comma, ",,A,,"), "A", "empty elements left out");
	is_string(elements(&comma, ""), "", "an empty cell has none");
	is_integer(list_count(&comma, "a,b,c", 5), 3, "count");
	is_integer(list_count(&comma, " , ", 3), 0, "blanks only: none");
	is_string(elements(&wide, "a | b|c | d"), "a/b|c/d", "a separator of three bytes");
	is_string(elements(&wide, "a |"), "a |", "a separator cut short is text");
}

static void test_has(void)
{
	column comma = list_of(","), wide = list_of("; ");
	ok(has(&comma, "Drama", "Drama"), "the only element");
	ok(has(&comma, "Drama,Romance", "Drama"), "the first");
	ok(has(&comma, "Comedy,Drama,Romance", "Drama"), "a middle one");
	ok(has(&comma, "Comedy,Drama", "Drama"), "the last");
	ok(has(&comma, "Comedy, Drama ,War", "Drama"), "with blanks around it");
	ok(!has(&comma, "Dramas,Drama2,ADrama", "Drama"), "not part of an element");
	ok(has(&comma, "Dramas,Drama", "Drama"), "after a longer one that holds it");
	ok(!has(&comma, "drama", "Drama"), "case counts");
	ok(!has(&comma, "Drama", ""), "an empty needle is never an element");
	ok(!has(&comma, "Dr", "Drama"), "a needle longer than the cell");
	ok(has(&wide, "Kim; Lee; Park", "Lee"), "a separator of two bytes");
	ok(!has(&wide, "Kim;Lee", "Lee"), "half a separator does not part");
}

static void test_explode(void)
{
	static const char tsv[] =
		"tconst\tprimaryTitle\tgenres\n"
		"tt1\tA\tDrama,Romance\n"
		"tt2\tB\t\\N\n"
		"tt3\tC\tWar\n";
	reel_error err = REEL_ERROR_INIT;
	table *t = read_tsv(tsv, sizeof tsv - 1, "basics.tsv", &err), *out;
	selection *all;
	size_t genres;
	ok(t != NULL, "a TSV with genres loads (%s)", err.message);
	if (t == NULL)
		return;
	genres = (size_t)table_column_index(t, "genres");
	ok(column_is_list(&t->columns[genres]), "IMDb's genres are a list");
	ok(!column_is_list(&t->columns[1]), "a title is not");
	ok(explode_schema(t, 1, &err) == NULL && err.code == REEL_ERROR_ARGUMENT,
	   "explode refuses a column that is no list");
	all = selection_all(t);
	out = explode_schema(t, genres, &err);
	ok(out != NULL && all != NULL &&
	   explode_fill(out, t, all, genres, &err) == 0, "explode fills");
	if (out != NULL && all != NULL) {
		is_integer(out->row_count, 3, "a row an element; the null gives none");
		is_string(table_string_at(out, 0, 1), "tt1", "the row's other cells repeat");
		is_integer(table_string_length(out, genres, 1), 7, "an element's length");
		ok(strncmp(table_string_at(out, genres, 1), "Romance", 7) == 0,
		   "its text, where the list lies");
		ok(table_string_at(out, genres, 1) >= t->arena &&
		   table_string_at(out, genres, 1) < t->arena + t->arena_size,
		   "in the source's arena: nothing copied");
		ok(!column_is_list(&out->columns[genres]), "the exploded column is text");
	}
	table_free(out);
	selection_free(all);
	table_free(t);
	is_integer(reel_memory_used(), 0, "nothing left allocated");
}

int main(void)
{
	test_elements();
	test_has();
	test_explode();
	return done_testing();
}
