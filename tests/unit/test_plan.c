/*
** test_plan.c: unit tests of the core's plan (plan.h): every shape of chain
** gives the rows its operators give step by step, made once and kept;
** counts and single rows of a where make no row list; a limit of a sort of
** a where is a top-k; long chains run in bounded stack; errors are typed;
** explain prints the tree with what was fused.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/memory.h"
#include "core/plan.h"
#include "core/read.h"
#include "core/sample.h"
#include "core/sort.h"
#include "core/where.h"
#include "tap.h"

/* {====== Helpers ====== */

/* A catalogue of n films: id, a year in a small span, a duration with
** ties and nulls, a title. */
static table *films(size_t n)
{
	size_t size = 64 + n * 64, used, i;
	char *text = malloc(size);
	reel_error err = REEL_ERROR_INIT;
	read_options opts = {.format = CATALOGUE_CSV, .delimiter = ','};
	table *t;
	used = (size_t)snprintf(text, size, "id,year,duration,title\n");
	for (i = 0; i < n; i++) {
		char duration[16] = "";
		if (i % 7 != 3)
			snprintf(duration, sizeof duration, "%zu", 80 + (i * 37) % 61);
		used += (size_t)snprintf(text + used, size - used, "%zu,%zu,%s,Film %zu\n",
		                         i + 1, 1990 + (i * 13) % 30, duration, i % 97);
	}
	t = read_catalogue_buffer(text, used, "plan.csv", &opts, &err);
	free(text);
	if (t == NULL)
		fprintf(stderr, "# %s\n", err.message);
	return t;
}

static size_t column_of(const table *t, const char *name)
{
	return (size_t)table_column_index(t, name);
}

static predicate compare(size_t col, predicate_op op, int64_t x)
{
	predicate p;
	memset(&p, 0, sizeof p);
	p.column = col;
	p.op = op;
	p.operand.kind = VALUE_INTEGER;
	p.operand.as.integer = x;
	return p;
}

/* The rows of `in` the predicates keep, by the where operator alone. */
static selection *kept_by(const table *t, const selection *in,
                          const predicate *p, size_t count)
{
	reel_error err = REEL_ERROR_INIT;
	where_filter *w = where_prepare(t, p, count, &err);
	selection *out = w != NULL ? where_rows(w, in, &err) : NULL;
	where_free(w);
	return out;
}

static bool same_rows(const selection *a, const selection *b)
{
	return a != NULL && b != NULL && a->count == b->count &&
	       (a->count == 0 || memcmp(a->rows, b->rows, a->count * sizeof *a->rows) == 0);
}

static char *explained(plan_node *n)
{
	static char text[4096];
	reel_error err = REEL_ERROR_INIT;
	text_buffer b;
	text_buffer_init(&b);
	if (plan_explain(n, &b, &err) != 0 || b.data == NULL)
		snprintf(text, sizeof text, "explain failed: %s", err.message);
	else
		snprintf(text, sizeof text, "%s", b.data);
	text_buffer_free(&b);
	return text;
}
/* }====== */

/* {====== Rows as the operators give them ====== */

static void test_where_sort_limit(void)
{
	table *t = films(5000);
	reel_error err = REEL_ERROR_INIT;
	size_t year = column_of(t, "year"), duration = column_of(t, "duration");
	predicate p[2] = {compare(year, OP_GE, 2000), compare(duration, OP_LT, 120)};
	sort_key keys[2] = {{duration, true, COLLATE_BINARY}, {year, false, COLLATE_BINARY}};
	plan_node *scan = plan_scan(t, &err);
	plan_node *w1 = plan_where(scan, &p[0], 1, &err);
	plan_node *w2 = plan_where(w1, &p[1], 1, &err);
	plan_node *sorted = plan_sort(w2, keys, 2, &err);
	plan_node *top = plan_limit(sorted, "limit", 3, 10, &err);
	selection *all = selection_all(t), *kept = kept_by(t, all, p, 2);
	selection *order = sort_rows(t, kept, keys, 2);
	selection *expected = selection_slice(order, 3, 10);
	size_t count = 0;
	row_id row = 0;
	ok(top != NULL, "where, where, sort and limit build");
	ok(plan_count(w2, &count, &err) == 0 && count == kept->count,
	   "two wheres count %zu rows, as one where of both", count);
	ok(plan_row_at(w2, 5, &row, &err) == 1 && row == kept->rows[5],
	   "their sixth row without a row list");
	ok(plan_count(top, &count, &err) == 0 && count == 10,
	   "the limit counts its 10 rows before running");
	ok(strstr(explained(top), "limit  10 rows  native, first rows only (top-k "
	          "of the sort, one pass with the where)") != NULL,
	   "explain says the limit will be a top-k in one pass with the where");
	ok(same_rows(plan_rows(top, &err), expected),
	   "the top-k gives rows 4..13 of the full sort of the where");
	ok(plan_rows(top, &err) == plan_rows(top, &err),
	   "asked twice, the same rows: made once and kept");
	ok(same_rows(plan_rows(sorted, &err), order), "the sort itself, asked later");
	ok(same_rows(plan_rows(w2, &err), kept), "and the wheres' rows");
	selection_free(all);
	selection_free(kept);
	selection_free(order);
	selection_free(expected);
	plan_release(top);
	plan_release(sorted);
	plan_release(w2);
	plan_release(w1);
	plan_release(scan);
	table_free(t);
}

static void test_limit_of_where(void)
{
	table *t = films(3000);
	reel_error err = REEL_ERROR_INIT;
	predicate p = compare(column_of(t, "duration"), OP_GT, 100);
	plan_node *scan = plan_scan(t, &err);
	plan_node *w = plan_where(scan, &p, 1, &err);
	plan_node *first = plan_limit(w, "limit", 0, 25, &err);
	plan_node *rest = plan_limit(w, "offset", 7, SIZE_MAX, &err);
	selection *all = selection_all(t), *kept = kept_by(t, all, &p, 1);
	selection *head = selection_slice(kept, 0, 25), *tail = selection_slice(kept, 7, SIZE_MAX);
	ok(strstr(explained(first), "the where stopped when it had them") != NULL,
	   "a limit of a where stops the scan early");
	ok(same_rows(plan_rows(first, &err), head), "its 25 rows are the where's first");
	ok(same_rows(plan_rows(rest, &err), tail), "an offset of a where: the rest");
	selection_free(all);
	selection_free(kept);
	selection_free(head);
	selection_free(tail);
	plan_release(first);
	plan_release(rest);
	plan_release(w);
	plan_release(scan);
	table_free(t);
}

static void test_first_of_sort(void)
{
	table *t = films(2000);
	reel_error err = REEL_ERROR_INIT;
	sort_key key = {column_of(t, "duration"), false, COLLATE_BINARY};
	plan_node *scan = plan_scan(t, &err), *sorted = plan_sort(scan, &key, 1, &err);
	selection *all = selection_all(t), *order = sort_rows(t, all, &key, 1);
	row_id row = 0;
	ok(plan_row_at(sorted, 0, &row, &err) == 1 && row == order->rows[0],
	   "the first row of a sort, as a top-1");
	ok(strstr(explained(sorted), "sort  2000 rows  native, put off until needed") != NULL,
	   "and the sort is still not done");
	ok(plan_row_at(sorted, 1999, &row, &err) == 1 && row == order->rows[1999],
	   "its last row sorts it");
	ok(plan_row_at(sorted, 2000, &row, &err) == 0, "past the end, no row");
	selection_free(all);
	selection_free(order);
	plan_release(sorted);
	plan_release(scan);
	table_free(t);
}
/* }====== */

/* {====== Groups, selects, samples, given rows ====== */

static void test_groups(void)
{
	table *t = films(1000);
	reel_error err = REEL_ERROR_INIT;
	size_t year = column_of(t, "year"), duration = column_of(t, "duration");
	plan_node *scan = plan_scan(t, &err);
	plan_grouping *g = plan_group(scan, year, &err);
	size_t i, total = 0, count;
	bool sums_agree = true;
	ok(g != NULL && plan_grouping_count(g) == 30, "30 years, 30 groups");
	for (i = 0; g != NULL && i < plan_grouping_count(g); i++) {
		plan_node *member = plan_grouping_member(g, i, &err);
		value by_pass, by_rows;
		plan_count(member, &count, &err);
		total += count;
		plan_total(member, duration, AGGREGATE_SUM, COLLATE_BINARY, &by_pass, &err);
		plan_rows(member, &err);
		plan_total(member, duration, AGGREGATE_SUM, COLLATE_BINARY, &by_rows, &err);
		if (value_compare(&by_pass, &by_rows) != 0)
			sums_agree = false;
		plan_release(member);
	}
	ok(total == 1000, "the groups' counts add up to every film");
	ok(sums_agree, "a group's sum from the one pass equals its rows' sum");
	plan_grouping_release(g);
	plan_release(scan);
	table_free(t);
}

static void test_select_sample_given(void)
{
	table *t = films(100);
	reel_error err = REEL_ERROR_INIT;
	size_t columns[2] = {column_of(t, "title"), column_of(t, "id")}, count = 0;
	film_random r;
	plan_node *scan = plan_scan(t, &err);
	plan_node *chosen = plan_select(scan, columns, 2, &err);
	plan_node *drawn, *given;
	const size_t *shown;
	selection *mine = selection_new(3);
	sample_seed(&r, 7);
	drawn = plan_sample(chosen, "sample", 10, &r, &err);
	shown = plan_columns(drawn, &count);
	ok(shown != NULL && count == 2 && shown[0] == columns[0],
	   "a select's columns show through the steps after it");
	ok(plan_count(drawn, &count, &err) == 0 && count == 10, "a sample of 10");
	selection_push(mine, 5);
	selection_push(mine, 1);
	given = plan_given(drawn, "filter", mine, &err);
	ok(plan_rows(given, &err) == mine, "given rows are the node's rows");
	ok(strstr(explained(given), "filter  2 rows  calls Lua per film") != NULL,
	   "explain marks the step that called Lua");
	plan_release(given);
	plan_release(drawn);
	plan_release(chosen);
	plan_release(scan);
	table_free(t);
}
/* }====== */

/* {====== Long chains, errors, holders ====== */

static void test_long_chain(void)
{
	table *t = films(50);
	reel_error err = REEL_ERROR_INIT;
	predicate p = compare(column_of(t, "id"), OP_GE, 0);
	plan_node *n = plan_scan(t, &err);
	size_t i, count = 0;
	for (i = 0; i < 100000 && n != NULL; i++) {
		plan_node *next = i % 2 ? plan_where(n, &p, 1, &err)
		                        : plan_limit(n, "limit", 0, 1000, &err);
		plan_release(n);
		n = next;
	}
	ok(n != NULL && plan_count(n, &count, &err) == 0 && count == 50,
	   "100,000 steps in a row count every film");
	ok(strstr(explained(n), "...  99993 steps not shown") != NULL,
	   "explain shows the first step and the latest ones");
	plan_release(n); /* a loop, not a recursion 100,000 deep */
	table_free(t);
}

static void test_errors(void)
{
	table *t = films(10);
	reel_error err = REEL_ERROR_INIT;
	predicate p = compare(column_of(t, "title"), OP_LT, 3);
	sort_key key = {99, false, COLLATE_BINARY};
	plan_node *scan = plan_scan(t, &err);
	ok(plan_where(scan, &p, 1, &err) == NULL && err.code == REEL_ERROR_ARGUMENT &&
	   strstr(err.message, "holds strings, not integers") != NULL,
	   "a number for a text column: an argument error (%s)", err.message);
	err.code = REEL_ERROR_NONE;
	ok(plan_sort(scan, &key, 1, &err) == NULL && err.code == REEL_ERROR_ARGUMENT,
	   "a sort by no column: an argument error");
	err.code = REEL_ERROR_NONE;
	reel_memory_fail_after(1);
	ok(plan_limit(scan, "limit", 0, 1, &err) == NULL && err.code == REEL_ERROR_MEMORY,
	   "no memory for a node: a memory error");
	reel_memory_fail_after(0);
	plan_release(scan);
	table_free(t);
}

/* A node holds its table and its input: both outlive their other holders. */
static void test_holders(void)
{
	table *t = films(40);
	reel_error err = REEL_ERROR_INIT;
	predicate p = compare(column_of(t, "year"), OP_LT, 2000);
	plan_node *scan = plan_scan(t, &err), *w = plan_where(scan, &p, 1, &err);
	size_t count = 0;
	plan_release(scan);
	table_free(t); /* the where holds both */
	ok(plan_count(w, &count, &err) == 0 && count > 0 && count < 40,
	   "a where whose table and input were dropped by the others still runs");
	plan_release(w);
	ok(reel_memory_used() == 0, "and everything is freed with its last holder");
}
/* }====== */

int main(void)
{
	test_where_sort_limit();
	test_limit_of_where();
	test_first_of_sort();
	test_groups();
	test_select_sample_given();
	test_long_chain();
	test_errors();
	test_holders();
	return done_testing();
}
