/*
** test_join.c: unit tests of join_tables (join.h, join.c): inner and left
** joins, the order of the result, key equality across integer and number
** columns, nulls, names and suffixes, film names, a larger join, and clean
** failure when memory runs out. Tables are read from CSV text by read.h.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/join.h"
#include "core/memory.h"
#include "core/read.h"
#include "core/selection.h"
#include "core/table.h"
#include "tap.h"

/* {====== Helpers ====== */
static table *csv(const char *text)
{
	reel_error err = REEL_ERROR_INIT;
	read_options opts = {.format = CATALOGUE_CSV, .delimiter = ','};
	table *t = read_catalogue_buffer(text, strlen(text), "test.csv", &opts, &err);
	if (t == NULL)
		fprintf(stderr, "# %s\n", err.message);
	return t;
}

static size_t column_of(const table *t, const char *name)
{
	int c = table_column_index(t, name);
	return c < 0 ? (size_t)-1 : (size_t)c;
}

/* Cell (name, row) as text: "null", the string, or the number printed. */
static const char *cell(const table *t, const char *name, row_id row)
{
	static char text[128];
	int c = table_column_index(t, name);
	value v;
	if (c < 0)
		return "no such column";
	v = table_value(t, (size_t)c, row);
	switch (v.kind) {
	case VALUE_NULL: return "null";
	case VALUE_INTEGER: case VALUE_DATE:
		snprintf(text, sizeof text, "%lld", (long long)v.as.integer);
		break;
	case VALUE_NUMBER: snprintf(text, sizeof text, "%g", v.as.number); break;
	case VALUE_BOOLEAN: return v.as.boolean ? "true" : "false";
	case VALUE_STRING: snprintf(text, sizeof text, "%.*s", (int)v.as.string.length,
	                            v.as.string.text); break;
	}
	return text;
}

/* The column `name` of every row, joined by commas. */
static const char *cells_of(const table *t, const char *name)
{
	static char text[1024];
	size_t used = 0;
	row_id r;
	text[0] = '\0';
	for (r = 0; r < t->row_count && used < sizeof text - 64; r++)
		used += (size_t)snprintf(text + used, sizeof text - used, "%s%s",
		                         r > 0 ? "," : "", cell(t, name, r));
	return text;
}

static const char *names(const table *t)
{
	static char text[1024];
	size_t used = 0, i;
	text[0] = '\0';
	for (i = 0; i < t->column_count && used < sizeof text - 64; i++)
		used += (size_t)snprintf(text + used, sizeof text - used, "%s%s",
		                         i > 0 ? "," : "", t->columns[i].name);
	return text;
}

/* A left join on the first column of each side. */
static const size_t first_column = 0;
static const join_spec first_keys = {JOIN_LEFT, &first_column, &first_column,
                                     1, NULL, false};

static table *join_all(const table *l, const table *r, const char *lk,
                       const char *rk, join_kind kind, const char *suffix)
{
	reel_error err = REEL_ERROR_INIT;
	selection *ls = selection_all(l), *rs = selection_all(r);
	size_t left_key = column_of(l, lk), right_key = column_of(r, rk);
	join_spec spec = {kind, &left_key, &right_key, 1, suffix, false};
	table *t = join_tables(l, ls, r, rs, &spec, &err);
	selection_free(ls);
	selection_free(rs);
	return t;
}
/* }====== */

static const char *const basics_csv =
	"tconst,primaryTitle,startYear,runtimeMinutes\n"
	"tt3,Hope,2013,122\n"
	"tt1,Miracle in Cell No. 7,2013,127\n"
	"tt9,Unrated,2020,\n"
	"tt2,Wedding Dress,2010,109\n"
	",No id,1999,90\n";

static const char *const ratings_csv =
	"tconst,averageRating,numVotes,seen\n"
	"tt1,8.1,14952,true\n"
	"tt2,7.5,1108,false\n"
	"tt3,8.3,12254,true\n"
	",1.0,1,false\n";

static void test_inner_and_left(void)
{
	table *b = csv(basics_csv), *r = csv(ratings_csv), *j;
	j = join_all(b, r, "tconst", "tconst", JOIN_INNER, NULL);
	ok(j != NULL, "an inner join");
	is_integer(j->row_count, 3, "the matching films only (a null key matches nothing)");
	is_string(cells_of(j, "tconst"), "tt3,tt1,tt2", "in the left order");
	is_string(names(j), "tconst,primaryTitle,startYear,runtimeMinutes,"
	          "averageRating,numVotes,seen", "the shared key once");
	is_string(cells_of(j, "averageRating"), "8.3,8.1,7.5", "right values follow");
	is_integer(j->columns[column_of(j, "numVotes")].type, COLUMN_INTEGER, "integers stay integers");
	is_integer(j->columns[column_of(j, "seen")].type, COLUMN_BOOLEAN, "booleans stay booleans");
	is_string(cells_of(j, "seen"), "true,true,false", "boolean values");
	is_string(cells_of(j, "title"), "Hope,Miracle in Cell No. 7,Wedding Dress",
	          "film names resolve in the result");
	is_string(cell(j, "rating", 0), "8.3", "the right side's film name too");
	ok(j->columns[column_of(j, "numVotes")].nulls == NULL, "no null bitmap when none is null");
	table_free(j);
	j = join_all(b, r, "tconst", "tconst", JOIN_LEFT, NULL);
	is_integer(j->row_count, 5, "a left join keeps every left film");
	is_string(cells_of(j, "averageRating"), "8.3,8.1,null,7.5,null",
	          "nulls where nothing matched");
	is_string(cells_of(j, "runtimeMinutes"), "122,127,null,109,90",
	          "left nulls stay null");
	is_string(cells_of(j, "seen"), "true,true,null,false,null", "a boolean null");
	table_free(j);
	table_free(b);
	table_free(r);
}

static void test_order_and_selections(void)
{
	table *l = csv("id,name\n1,a\n2,b\n1,c\n3,d\n");
	table *r = csv("id,what\n1,x\n2,y\n1,z\n1,w\n");
	reel_error err = REEL_ERROR_INIT;
	selection *ls = selection_new(4), *rs = selection_new(4);
	table *j = join_all(l, r, "id", "id", JOIN_INNER, NULL);
	is_string(cells_of(j, "name"), "a,a,a,b,c,c,c", "each left row, once per match");
	is_string(cells_of(j, "what"), "x,z,w,y,x,z,w", "matches in the right order");
	table_free(j);
	selection_push(ls, 3);
	selection_push(ls, 2);
	selection_push(rs, 3);
	selection_push(rs, 0);
	j = join_tables(l, ls, r, rs, &first_keys, &err);
	is_string(cells_of(j, "name"), "d,c,c", "only the selected rows, in selection order");
	is_string(cells_of(j, "what"), "null,w,x", "the right selection's order too");
	table_free(j);
	selection_free(ls);
	selection_free(rs);
	table_free(l);
	table_free(r);
}

static void test_key_values(void)
{
	table *l = csv("k,side\n7,int\n7.5,half\n8,eight\nx,text\n");
	table *r = csv("k,other\n7.0,seven\n7.5,seven and a half\n8.25,no\n");
	table *s = csv("k,word\n7,seven\nx,ex\n");
	table *j = join_all(l, r, "k", "k", JOIN_INNER, NULL);
	is_integer(l->columns[0].type, COLUMN_STRING, "a mixed key column is text");
	is_integer(j->row_count, 0, "strings never equal numbers");
	table_free(j);
	table_free(l);
	l = csv("k,side\n7,int\n8,eight\n-0,zero\n");
	table_free(r);
	r = csv("k,other\n7.0,seven\n0.0,nought\n7.5,half\n");
	j = join_all(l, r, "k", "k", JOIN_INNER, NULL);
	is_string(cells_of(j, "side"), "int,zero", "an integer meets its number");
	is_string(cells_of(j, "other"), "seven,nought", "7 = 7.0, 0 = 0.0");
	table_free(j);
	j = join_all(r, l, "k", "k", JOIN_INNER, NULL);
	is_string(cells_of(j, "other"), "seven,nought", "and the other way round");
	table_free(j);
	j = join_all(s, s, "k", "k", JOIN_INNER, NULL);
	is_string(cells_of(j, "word_2"), "seven,ex", "strings bytewise");
	table_free(j);
	table_free(s);
	table_free(l);
	table_free(r);
}

static void test_names(void)
{
	table *l = csv("id,title,title_2\n1,Hope,x\n");
	table *r = csv("ref,title,title_2,id\n1,소원,y,9\n");
	table *j = join_all(l, r, "id", "ref", JOIN_INNER, NULL);
	is_string(names(j), "id,title,title_2,ref,title_2_2,title_2_2_2,id_2",
	          "suffixes until no column of either side has the name");
	is_string(cell(j, "ref", 0), "1", "a differently named right key is kept");
	table_free(j);
	j = join_all(l, r, "id", "ref", JOIN_INNER, "_r");
	is_string(names(j), "id,title,title_2,ref,title_r,title_2_r,id_r", "a chosen suffix");
	table_free(j);
	j = join_all(l, r, "id", "ref", JOIN_INNER, "");
	is_string(names(j), "id,title,title_2,ref,title_2_2,title_2_2_2,id_2",
	          "an empty suffix stands for _2");
	table_free(j);
	table_free(l);
	table_free(r);
	l = csv("id,a\n1,x\n");
	r = csv("id,b\n1,y\n");
	table_set_alias(r, "code", "id");
	table_set_alias(r, "other", "b");
	j = join_all(l, r, "id", "id", JOIN_INNER, NULL);
	is_string(cell(j, "code", 0), "1", "a right film name for the left-out key finds the left key");
	is_string(cell(j, "other", 0), "y", "a right film name carries over");
	table_free(j);
	table_free(l);
	table_free(r);
	l = csv("id,duration,Length\n1,2,95\n");
	r = csv("id,duration\n1,7\n");
	table_set_alias(l, "duration", "Length");
	j = join_all(l, r, "id", "id", JOIN_INNER, NULL);
	is_string(cell(j, "duration", 0), "95", "a left mapping over a column of its name stays");
	is_string(cell(j, "duration_2", 0), "7", "and a right column of that name is suffixed");
	table_free(j);
	table_free(l);
	table_free(r);
	l = csv("id,primaryTitle\n1,Hope\n");
	r = csv("titleId,title,region\n1,소원,KR\n");
	j = join_all(l, r, "id", "titleId", JOIN_INNER, NULL);
	is_string(names(j), "id,primaryTitle,titleId,title_2,region",
	          "a right column named like a left film name is suffixed");
	is_string(cell(j, "title", 0), "Hope", "so title keeps its left meaning");
	table_free(j);
	table_free(l);
	table_free(r);
}

static void test_empty_sides(void)
{
	table *l = csv("id,a\n1,x\n"), *r = csv("id,b\n2,y\n"), *j;
	reel_error err = REEL_ERROR_INIT;
	selection *none = selection_new(0), *all = selection_all(r);
	j = join_tables(l, none, r, all, &first_keys, &err);
	is_integer(j->row_count, 0, "an empty left side: no rows");
	is_integer(j->column_count, 3, "but the columns");
	table_free(j);
	selection_free(all);
	all = selection_all(l);
	j = join_tables(l, all, r, none, &first_keys, &err);
	is_string(cells_of(j, "b"), "null", "an empty right side: a left join keeps the row");
	table_free(j);
	selection_free(all);
	selection_free(none);
	table_free(l);
	table_free(r);
}

/* 200 000 films against 100 000 ratings: one match for every other film. */
static void test_larger(void)
{
	size_t n = 200000, i, room = n * 24 + 64, used;
	char *left = malloc(room), *right = malloc(room);
	table *l, *r, *j;
	bool in_order = true;
	used = (size_t)snprintf(left, room, "tconst,n\n");
	for (i = 0; i < n; i++)
		used += (size_t)snprintf(left + used, room - used, "tt%07zu,%zu\n", n - i, i);
	used = (size_t)snprintf(right, room, "tconst,rating\n");
	for (i = 0; i < n; i += 2)
		used += (size_t)snprintf(right + used, room - used, "tt%07zu,%zu.5\n", i + 2, i % 10);
	l = csv(left);
	r = csv(right);
	j = join_all(l, r, "tconst", "tconst", JOIN_INNER, NULL);
	is_integer(j->row_count, n / 2, "a larger join finds every match");
	for (i = 1; i < j->row_count && in_order; i++)
		in_order = column_integer(&j->columns[1], i) > column_integer(&j->columns[1], i - 1);
	ok(in_order, "in the left order");
	table_free(j);
	table_free(l);
	table_free(r);
	free(left);
	free(right);
}

/* A catalogue of n rows and six columns (an integer key, text, an
** integer, a number, a boolean, a date), `key` naming the first; every
** `lone`-th row's key matches nothing on the other side (0: none). */
static table *six_columns(size_t n, const char *key, size_t lone)
{
	size_t room = n * 80 + 128, used, i;
	char *text = malloc(room);
	table *t;
	used = (size_t)snprintf(text, room, "%s,title_%s,year_%s,rating_%s,"
	                        "seen_%s,released_%s\n", key, key, key, key, key, key);
	for (i = 0; i < n; i++)
		used += (size_t)snprintf(text + used, room - used,
		                         "%zu,Film number %zu,%zu,%zu.25,%s,20%02zu-0%zu-1%zu\n",
		                         lone > 0 && i % lone == 0 ? n + i : i, i % 977,
		                         1900 + i % 120, i % 10, i % 3 ? "true" : "false",
		                         i % 25, 1 + i % 9, i % 9);
	t = csv(text);
	free(text);
	return t;
}

/* The result adds its maps alone: 4 bytes a row for each side (16 at most
** with a join of a join's composed maps), whatever the columns. */
static void test_memory(void)
{
	size_t n = 100000, before, grown;
	table *l = six_columns(n, "id", 0), *r = six_columns(n, "film", 7);
	table *j, *three, *c;
	size_t lone = 0, i, stars;
	before = reel_memory_used();
	j = join_all(l, r, "id", "film", JOIN_LEFT, NULL);
	grown = reel_memory_used() - before;
	ok(j != NULL && j->row_count == n && j->column_count == 12,
	   "a left join of 100,000 rows and 6 + 6 columns");
	ok(grown <= 16 * n + 4096, "it adds %zu bytes, %.2f a row (at most 16)",
	   grown, (double)grown / (double)n);
	stars = column_of(j, "year_film");
	for (i = 0; i < j->row_count; i++)
		lone += table_is_null(j, stars, i);
	is_integer(lone, (n + 6) / 7, "its lone rows' right cells are null");
	ok(table_is_null(j, column_of(j, "title_film"), 0) &&
	   table_is_null(j, column_of(j, "rating_film"), 0) &&
	   table_is_null(j, column_of(j, "seen_film"), 0) &&
	   table_is_null(j, column_of(j, "released_film"), 0) &&
	   !table_is_null(j, column_of(j, "title_film"), 1) &&
	   strcmp(cell(j, "title_film", 1), "Film number 1") == 0,
	   "of every type, and a matched row reads its cells");
	c = six_columns(n, "key", 0);
	before = reel_memory_used();
	three = join_all(j, c, "id", "key", JOIN_INNER, NULL);
	grown = reel_memory_used() - before;
	ok(three != NULL && three->row_count == n && three->column_count == 18,
	   "a join of that join and a third table");
	ok(grown <= 16 * n + 4096, "it adds %zu bytes, %.2f a row (at most 16)",
	   grown, (double)grown / (double)n);
	ok(three != NULL && three->columns[column_of(three, "title_film")].map !=
	   j->columns[column_of(j, "title_film")].map &&
	   strcmp(cell(three, "title_film", 1), "Film number 1") == 0 &&
	   table_is_null(three, column_of(three, "title_film"), 7),
	   "its second table's columns read through composed maps");
	table_free(three);
	table_free(c);
	table_free(j);
	table_free(l);
	table_free(r);
}

/* A join of a join, every allocation made to fail in turn: nothing left
** allocated. */
static void test_views_out_of_memory(void)
{
	table *l = csv(basics_csv), *r = csv(ratings_csv), *j, *k = NULL;
	selection *js, *rs = selection_all(r);
	size_t before;
	unsigned long n;
	bool clean = true;
	j = join_all(l, r, "tconst", "tconst", JOIN_LEFT, NULL);
	js = selection_all(j);
	before = reel_memory_used();
	for (n = 1; k == NULL && n < 1000; n++) {
		reel_error err = REEL_ERROR_INIT;
		reel_memory_fail_after(n);
		k = join_tables(j, js, r, rs, &first_keys, &err);
		reel_memory_fail_after(0);
		if (k == NULL)
			clean = clean && reel_memory_used() == before;
	}
	ok(k != NULL && n > 5, "a join of a join succeeds once memory lasts");
	ok(clean, "each failure frees what it took");
	table_free(k);
	selection_free(js);
	selection_free(rs);
	table_free(j);
	table_free(l);
	table_free(r);
}

/* Every allocation of a join, made to fail in turn: NULL, a message, and
** nothing left allocated. */
static void test_out_of_memory(void)
{
	table *l = csv(basics_csv), *r = csv(ratings_csv), *j = NULL;
	selection *ls = selection_all(l), *rs = selection_all(r);
	size_t before = reel_memory_used();
	unsigned long n;
	bool clean = true, said = true;
	for (n = 1; j == NULL && n < 1000; n++) {
		reel_error err = REEL_ERROR_INIT;
		reel_memory_fail_after(n);
		j = join_tables(l, ls, r, rs, &first_keys, &err);
		reel_memory_fail_after(0);
		if (j == NULL) {
			clean = clean && reel_memory_used() == before;
			said = said && strcmp(err.message, "join: out of memory") == 0;
		}
	}
	ok(j != NULL && n > 5, "a join succeeds once memory lasts (after %lu failures)", n - 2);
	ok(clean, "each failure frees what it took");
	ok(said, "and says it ran out of memory");
	table_free(j);
	selection_free(ls);
	selection_free(rs);
	table_free(l);
	table_free(r);
}

int main(void)
{
	test_inner_and_left();
	test_order_and_selections();
	test_key_values();
	test_names();
	test_empty_sides();
	test_larger();
	test_out_of_memory();
	test_memory();
	test_views_out_of_memory();
	return done_testing();
}
