/*
** plan.c: a Query's plan (see plan.h): building nodes, running a chain of
** them once with what can be fused fused, and explaining it. Relies on the
** operators (where, sort, topk, sample, search, group, aggregate, join) for
** the work and memory.h for every allocation. Pure C.
*/
#include "plan.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "group.h"
#include "memory.h"
#include "plan_node.h"
#include "search.h"
#include "topk.h"

/* {====== Building ====== */


/* A node of `kind` over `input` (held), reading the input's table. */
plan_node *plan_node_new(plan_kind kind, const char *step, plan_node *input,
                         reel_error *err)
{
	size_t depth = input == NULL || input->rows != NULL ? 0 : input->depth;
	plan_node *n;
	if (depth >= PLAN_DEPTH_MAX) {
		if (plan_rows(input, err) == NULL)
			return NULL;
		depth = 0;
	}
	n = reel_calloc(1, sizeof *n);
	if (n == NULL) {
		error_memory(err, NULL);
		return NULL;
	}
	n->kind = kind;
	n->step = step;
	n->references = 1;
	n->depth = depth + 1;
	if (input != NULL) {
		n->input = plan_retain(input);
		n->films = table_retain(input->films);
	}
	return n;
}

/* A node that could not be finished: dropped, with err already filled. */
plan_node *plan_node_drop(plan_node *n)
{
	plan_release(n);
	return NULL;
}

plan_node *plan_scan(table *t, reel_error *err)
{
	plan_node *n = plan_node_new(PLAN_SCAN, "films", NULL, err);
	if (n != NULL)
		n->films = table_retain(t);
	return n;
}

plan_node *plan_retain(plan_node *n)
{
	n->references++;
	return n;
}

/* A loop down the chain, not a recursion: a chain may be very long. */
void plan_release(plan_node *n)
{
	while (n != NULL && --n->references == 0) {
		plan_node *input = n->input;
		if (!n->rows_borrowed)
			selection_free(n->rows);
		where_free(n->filter);
		reel_free(n->chain);
		reel_free(n->predicates);
		reel_free(n->keys);
		reel_free(n->columns);
		reel_free(n->text);
		reel_free(n->join_keys);
		reel_free(n->suffix);
		reel_free(n->sources);
		plan_node_free_aggregate(n);
		plan_node_free_similar(n);
		if (n->grouping != NULL)
			plan_grouping_release(n->grouping);
		plan_release(n->right);
		table_free(n->films);
		reel_free(n);
		n = input;
	}
}

table *plan_table(const plan_node *n)
{
	return n->films;
}
/* }====== */

/* {====== Building: where ====== */

/* The bytes of a value's text, which the copy keeps after the predicates. */
static size_t text_bytes(const value *v)
{
	return v->kind == VALUE_STRING ? v->as.string.length + 1 : 0;
}

static size_t predicate_bytes(const predicate *p)
{
	size_t i, bytes = sizeof *p + text_bytes(&p->operand) + text_bytes(&p->upper);
	for (i = 0; i < p->set_count; i++)
		bytes += sizeof(value) + text_bytes(&p->set[i]);
	return bytes;
}

/* Points a string value at a copy of its text made at *free_text. */
static void copy_text(value *v, char **free_text)
{
	if (v->kind != VALUE_STRING)
		return;
	memcpy(*free_text, v->as.string.text, v->as.string.length);
	(*free_text)[v->as.string.length] = '\0';
	v->as.string.text = *free_text;
	*free_text += v->as.string.length + 1;
}

/* The predicates, their sets and their strings copied into one block:
** predicates first, then the sets' values, then the text. */
static predicate *copy_predicates(const predicate *given, size_t count)
{
	size_t i, j, bytes = 0, values = 0;
	predicate *copy;
	value *set;
	char *text;
	for (i = 0; i < count; i++) {
		bytes += predicate_bytes(&given[i]);
		values += given[i].set_count;
	}
	copy = reel_malloc(bytes + 1);
	if (copy == NULL)
		return NULL;
	memcpy(copy, given, count * sizeof *copy);
	set = (value *)(copy + count);
	text = (char *)(set + values);
	for (i = 0; i < count; i++) {
		predicate *p = &copy[i];
		copy_text(&p->operand, &text);
		copy_text(&p->upper, &text);
		if (p->set_count > 0) {
			memcpy(set, p->set, p->set_count * sizeof *set);
			for (j = 0; j < p->set_count; j++)
				copy_text(&set[j], &text);
			p->set = set;
			set += p->set_count;
		}
	}
	return copy;
}

plan_node *plan_where(plan_node *input, const predicate *predicates,
                      size_t count, reel_error *err)
{
	if (where_check(input->films, predicates, count, err) != 0)
		return NULL;
	if (input->kind == PLAN_JOIN && input->rows == NULL && !input->filled &&
	    count > 0)
		return plan_node_push_where(input, predicates, count, err);
	return plan_node_where(input, predicates, count, err);
}

plan_node *plan_node_where(plan_node *input, const predicate *predicates,
                           size_t count, reel_error *err)
{
	plan_node *n = plan_node_new(PLAN_WHERE, "where", input, err);
	if (n == NULL)
		return NULL;
	n->predicates = copy_predicates(predicates, count);
	n->predicate_count = count;
	if (n->predicates == NULL && error_memory(err, NULL))
		return plan_node_drop(n);
	return n;
}
/* }====== */

/* {====== Building: the other operators ====== */

plan_node *plan_sort(plan_node *input, const sort_key *keys, size_t count,
                     reel_error *err)
{
	plan_node *n;
	size_t i;
	for (i = 0; i < count; i++)
		if (keys[i].column >= input->films->column_count) {
			error_set(err, REEL_ERROR_ARGUMENT, "sort: no column number %zu",
			          keys[i].column + 1);
			return NULL;
		}
	n = plan_node_new(PLAN_SORT, "sort", input, err);
	if (n == NULL)
		return NULL;
	n->keys = reel_malloc(count * sizeof *keys + 1);
	if (n->keys == NULL && error_memory(err, NULL))
		return plan_node_drop(n);
	memcpy(n->keys, keys, count * sizeof *keys);
	n->key_count = count;
	return n;
}

plan_node *plan_limit(plan_node *input, const char *step, size_t offset,
                      size_t count, reel_error *err)
{
	plan_node *n = plan_node_new(PLAN_LIMIT, step, input, err);
	if (n != NULL) {
		n->offset = offset;
		n->limit = count;
	}
	return n;
}

plan_node *plan_sample(plan_node *input, const char *step, size_t n,
                       film_random *r, reel_error *err)
{
	const selection *rows = plan_rows(input, err);
	plan_node *node;
	if (rows == NULL)
		return NULL;
	node = plan_node_new(PLAN_SAMPLE, step, input, err);
	if (node == NULL)
		return NULL;
	node->rows = sample_rows(rows, n, r);
	if (node->rows == NULL && error_memory(err, NULL))
		return plan_node_drop(node);
	return node;
}

plan_node *plan_select(plan_node *input, const size_t *columns, size_t count,
                       reel_error *err)
{
	plan_node *n;
	size_t i;
	for (i = 0; i < count; i++)
		if (columns[i] >= input->films->column_count) {
			error_set(err, REEL_ERROR_ARGUMENT, "select: no column number %zu",
			          columns[i] + 1);
			return NULL;
		}
	n = plan_node_new(PLAN_SELECT, "select", input, err);
	if (n == NULL)
		return NULL;
	n->columns = reel_malloc(count * sizeof *columns + 1);
	if (n->columns == NULL && error_memory(err, NULL))
		return plan_node_drop(n);
	memcpy(n->columns, columns, count * sizeof *columns);
	n->column_count = count;
	return n;
}

/* A search keeps the columns it looks in as a select keeps its own. */
plan_node *plan_search(plan_node *input, const char *text, size_t length,
                       const search_scope *scope, reel_error *err)
{
	size_t count = scope != NULL ? scope->column_count : 0;
	plan_node *n = search_check(input->films, scope, err) != 0 ? NULL
	               : plan_node_new(PLAN_SEARCH, "search", input, err);
	if (n == NULL)
		return NULL;
	n->text = reel_strndup(text, length);
	n->text_length = length;
	n->columns = reel_malloc(count * sizeof *n->columns + 1);
	if ((n->text == NULL || n->columns == NULL) && error_memory(err, NULL))
		return plan_node_drop(n);
	if (count > 0)
		memcpy(n->columns, scope->columns, count * sizeof *n->columns);
	n->column_count = count;
	n->rank = scope != NULL && scope->rank;
	return n;
}

plan_node *plan_given(plan_node *input, const char *step, selection *rows,
                      reel_error *err)
{
	plan_node *n = plan_node_new(PLAN_GIVEN, step, input, err);
	if (n == NULL) {
		selection_free(rows);
		return NULL;
	}
	n->rows = rows;
	n->how = HOW_LUA;
	return n;
}

/* }====== */

/* {====== Running: a chain of put-off wheres ====== */

bool plan_node_put_off_where(const plan_node *n)
{
	return n->kind == PLAN_WHERE && n->rows == NULL;
}

/* The filter of every put-off where from n down, as one (their predicates
** ANDed, prepared once), and the node whose rows they read. */
/* The rows a node gives in whatever order is cheapest, for a count: an
** aggregate's as its table holds them, which putting in key order may take
** a sort; any other node's rows. */
static const selection *rows_in_any_order(plan_node *n, reel_error *err)
{
	if (n->kind == PLAN_AGGREGATE)
		return plan_node_aggregate_rows_as_found(n, err);
	return plan_rows(n, err);
}

/* The filter of the chain of put-off wheres ending at n, and in *base the
** rows it runs over: in the base's order, or, when any_order (a count),
** in whatever order is cheapest. */
static where_filter *where_chain_in(plan_node *n, const selection **base,
                                    bool any_order, reel_error *err)
{
	plan_node *at;
	size_t count = 0;
	if (n->filter == NULL) {
		for (at = n; plan_node_put_off_where(at); at = at->input)
			count += at->predicate_count;
		reel_free(n->chain);
		n->chain = reel_malloc(count * sizeof *n->chain + 1);
		if (n->chain == NULL) {
			error_memory(err, NULL);
			return NULL;
		}
		count = 0;
		for (at = n; plan_node_put_off_where(at); at = at->input) {
			memcpy(n->chain + count, at->predicates,
			       at->predicate_count * sizeof *n->chain);
			count += at->predicate_count;
		}
		n->base = at;
		n->filter = where_prepare(n->films, n->chain, count, err);
		if (n->filter == NULL)
			return NULL;
	}
	*base = any_order ? rows_in_any_order(n->base, err) : plan_rows(n->base, err);
	return *base != NULL ? n->filter : NULL;
}

static where_filter *where_chain(plan_node *n, const selection **base,
                                 reel_error *err)
{
	return where_chain_in(n, base, false, err);
}

/* The first `wanted` rows the chain keeps, the scan stopping there. */
static selection *first_kept(where_filter *w, const selection *in,
                             size_t wanted)
{
	row_id chunk[WHERE_CHUNK];
	selection *out = selection_new(0);
	size_t start, n;
	for (start = 0; out != NULL && start < in->count && out->count < wanted;
	     start += WHERE_CHUNK) {
		n = where_chunk(w, in, start, chunk);
		if (n == (size_t)-1 || selection_append(out, chunk, n) != 0) {
			selection_free(out);
			return NULL;
		}
	}
	if (out != NULL && out->count > wanted)
		out->count = wanted;
	return out;
}

/* The node under any selects: they keep their input's rows. */
static plan_node *under_selects(plan_node *n)
{
	while (n->kind == PLAN_SELECT)
		n = n->input;
	return n;
}
/* }====== */

/* {====== Running: rows ====== */

/* offset + limit, or SIZE_MAX when that is past every row anyway. */
size_t plan_node_limit_end(const plan_node *n)
{
	return n->limit > SIZE_MAX - n->offset ? SIZE_MAX : n->offset + n->limit;
}

/* A limit of a sort not done: a top-k of the sort's input, in one pass
** with a where below when that is put off too. */
static selection *top_of_sort(plan_node *n, plan_node *sort, reel_error *err)
{
	const selection *in;
	size_t end = plan_node_limit_end(n);
	if (plan_node_put_off_where(sort->input)) {
		where_filter *w = where_chain(sort->input, &in, err);
		n->how = HOW_TOP_K_WHERE;
		return w == NULL ? NULL : topk_where(n->films, w, in, sort->keys,
		                                     sort->key_count, end, err);
	}
	in = plan_rows(sort->input, err);
	if (in == NULL)
		return NULL;
	n->how = HOW_TOP_K;
	return topk_rows(n->films, in, sort->keys, sort->key_count, end);
}

static selection *limit_rows(plan_node *n, reel_error *err)
{
	plan_node *under = under_selects(n->input);
	const selection *in;
	selection *first = NULL, *out;
	if (under->kind == PLAN_SORT && under->rows == NULL) {
		first = top_of_sort(n, under, err);
	} else if (plan_node_put_off_where(under) && plan_node_limit_end(n) < SIZE_MAX) {
		where_filter *w = where_chain(under, &in, err);
		if (w == NULL)
			return NULL;
		first = first_kept(w, in, plan_node_limit_end(n));
		n->how = HOW_FIRST_KEPT;
	} else {
		in = plan_rows(n->input, err);
		return in == NULL ? NULL : selection_slice(in, n->offset, n->limit);
	}
	if (first == NULL)
		return NULL;
	out = n->offset == 0 ? first : selection_slice(first, n->offset, n->limit);
	if (out != first)
		selection_free(first);
	return out;
}

static selection *group_rows(plan_node *n, reel_error *err);

/* The rows of n, made: NULL (err filled or not) on failure. */
static selection *make_rows(plan_node *n, reel_error *err)
{
	const selection *in;
	where_filter *w;
	switch (n->kind) {
	case PLAN_SCAN:
		return selection_all(n->films);
	case PLAN_JOIN:
		return plan_node_join_rows(n, err);
	case PLAN_AGGREGATE:
		return plan_node_aggregate_rows(n, err);
	case PLAN_SIMILAR:
		return plan_node_similar_rows(n, err);
	case PLAN_EXPLODE:
		return plan_node_explode_rows(n, err);
	case PLAN_WHERE:
		w = where_chain(n, &in, err);
		return w == NULL ? NULL : where_rows(w, in, err);
	case PLAN_LIMIT:
		return limit_rows(n, err);
	case PLAN_GROUP:
		return group_rows(n, err);
	default:
		break;
	}
	if ((in = plan_rows(n->input, err)) == NULL)
		return NULL;
	switch (n->kind) {
	case PLAN_SORT:
		return sort_rows(n->films, in, n->keys, n->key_count);
	case PLAN_SEARCH: {
		search_scope scope = {n->columns, n->column_count, n->rank};
		return search_rows_in(n->films, in, n->text, n->text_length, &scope);
	}
	default: /* select: the input's rows as they are */
		n->rows_borrowed = true;
		return (selection *)in;
	}
}

const selection *plan_rows(plan_node *n, reel_error *err)
{
	if (n->rows != NULL)
		return n->rows;
	n->rows = make_rows(n, err);
	if (n->rows == NULL) {
		n->rows_borrowed = false;
		if (err != NULL && err->code == REEL_ERROR_NONE)
			error_memory(err, NULL);
		return NULL;
	}
	n->count = n->rows->count;
	n->counted = true;
	if (n->filter != NULL) { /* the where is done with */
		where_free(n->filter);
		n->filter = NULL;
		reel_free(n->chain);
		n->chain = NULL;
	}
	return n->rows;
}
/* }====== */

/* {====== Running: counts, single rows, aggregates ====== */

static int count_of(plan_node *n, size_t *count, reel_error *err)
{
	const selection *in;
	where_filter *w;
	size_t c;
	switch (n->kind) {
	case PLAN_SCAN:
		*count = n->films->row_count;
		return 0;
	case PLAN_WHERE:
		w = where_chain_in(n, &in, true, err);
		if (w == NULL || (*count = where_count(w, in, err)) == (size_t)-1)
			return -1;
		return 0;
	case PLAN_SORT: case PLAN_SELECT:
		return plan_count(n->input, count, err);
	case PLAN_LIMIT:
		if (plan_count(n->input, &c, err) != 0)
			return -1;
		c = c > n->offset ? c - n->offset : 0;
		*count = c < n->limit ? c : n->limit;
		return 0;
	case PLAN_GROUP:
		*count = n->grouping->groups->groups[n->group].count;
		return 0;
	case PLAN_JOIN:
		return plan_node_join_count(n, count, err);
	case PLAN_AGGREGATE:
		return plan_node_aggregate_count(n, count, err);
	default:
		return plan_rows(n, err) != NULL ? (*count = n->rows->count, 0) : -1;
	}
}

int plan_count(plan_node *n, size_t *count, reel_error *err)
{
	if (!n->counted) {
		if (n->rows != NULL)
			n->count = n->rows->count;
		else if (count_of(n, &n->count, err) != 0)
			return -1;
		n->counted = true;
	}
	*count = n->count;
	return 0;
}

/* The first row of a sort not done, without doing it. */
static int first_of_sort(plan_node *n, row_id *row, reel_error *err)
{
	const selection *in = plan_rows(n->input, err);
	selection *top;
	int found;
	if (in == NULL)
		return -1;
	top = topk_rows(n->films, in, n->keys, n->key_count, 1);
	if (top == NULL)
		return error_memory(err, NULL);
	found = top->count > 0;
	if (found)
		*row = top->rows[0];
	selection_free(top);
	return found;
}

int plan_row_at(plan_node *n, size_t i, row_id *row, reel_error *err)
{
	const selection *in;
	where_filter *w;
	if (n->rows == NULL) {
		switch (n->kind) {
		case PLAN_SCAN:
			*row = (row_id)i;
			return i < n->films->row_count;
		case PLAN_WHERE:
			w = where_chain(n, &in, err);
			return w == NULL ? -1 : where_nth(w, in, i, row, err);
		case PLAN_SELECT:
			return plan_row_at(n->input, i, row, err);
		case PLAN_LIMIT:
			if (i >= n->limit || n->offset > SIZE_MAX - i)
				return 0;
			if (under_selects(n->input)->kind != PLAN_SORT)
				return plan_row_at(n->input, n->offset + i, row, err);
			break;
		case PLAN_SORT:
			if (i == 0) /* the first row: a top-1 */
				return first_of_sort(n, row, err);
			break;
		default:
			break;
		}
	}
	if (plan_rows(n, err) == NULL)
		return -1;
	if (i >= n->rows->count)
		return 0;
	*row = n->rows->rows[i];
	return 1;
}

/* The answers of every group of g for (kind, column), found now if this is
** the first group to ask; NULL when there is no room to remember them. */
static const group_answers *answers_of(plan_grouping *g, size_t col,
                                       aggregate kind, reel_error *err)
{
	group_answers *a;
	const selection *in;
	size_t i;
	int done;
	for (i = 0; i < g->answer_count; i++)
		if (g->answers[i].kind == kind && g->answers[i].column == col)
			return &g->answers[i];
	if (g->answer_count == GROUP_ANSWERS)
		return NULL;
	if ((in = plan_rows(g->input, err)) == NULL)
		return NULL;
	a = &g->answers[g->answer_count];
	a->values = reel_malloc(g->groups->count * sizeof *a->values + 1);
	if (a->values == NULL)
		return NULL;
	a->kind = kind;
	a->column = col;
	g->answer_count++;
	done = aggregate_groups(g->input->films, in, g->column, g->groups, col,
	                        kind, a->values);
	if (done <= 0) { /* no one-pass answer, or no memory for one */
		reel_free(a->values);
		a->values = NULL;
	}
	return a;
}

int plan_total(plan_node *n, size_t col, aggregate kind,
               collation collate, value *result, reel_error *err)
{
	if (n->kind == PLAN_GROUP && n->rows == NULL &&
	    (kind == AGGREGATE_SUM || kind == AGGREGATE_AVG) &&
	    col < n->films->column_count &&
	    n->films->columns[col].type != COLUMN_STRING) {
		const group_answers *a = answers_of(n->grouping, col, kind, err);
		if (a != NULL && a->values != NULL) {
			*result = a->values[n->group];
			return 0;
		}
	}
	if (plan_rows(n, err) == NULL)
		return -1;
	return aggregate_collated(n->films, n->rows, col, kind, collate, result,
	                          err);
}

const size_t *plan_columns(const plan_node *n, size_t *count)
{
	/* up to a node that made a table of its own */
	for (; n != NULL && (n->input == NULL || n->films == n->input->films);
	     n = n->input)
		if (n->kind == PLAN_SELECT) {
			*count = n->column_count;
			return n->columns;
		}
	*count = 0;
	return NULL;
}
/* }====== */

/* {====== Groups ====== */

plan_grouping *plan_group(plan_node *input, size_t col, reel_error *err)
{
	const selection *in = plan_rows(input, err);
	plan_grouping *g;
	if (in == NULL)
		return NULL;
	if (col >= input->films->column_count) {
		error_set(err, REEL_ERROR_ARGUMENT, "group: no column number %zu",
		          col + 1);
		return NULL;
	}
	g = reel_calloc(1, sizeof *g);
	if (g == NULL || (g->groups = group_keys(input->films, in, col)) == NULL) {
		reel_free(g);
		error_memory(err, NULL);
		return NULL;
	}
	g->references = 1;
	g->input = plan_retain(input);
	g->column = col;
	return g;
}

size_t plan_grouping_count(const plan_grouping *g)
{
	return g->groups->count;
}

bool plan_grouping_key(const plan_grouping *g, size_t i, row_id *key_row)
{
	*key_row = g->groups->groups[i].key_row;
	return !g->groups->groups[i].key_is_null;
}

plan_node *plan_grouping_member(plan_grouping *g, size_t i, reel_error *err)
{
	plan_node *n = plan_node_new(PLAN_GROUP, "group", g->input, err);
	if (n == NULL)
		return NULL;
	g->references++;
	n->grouping = g;
	n->group = i;
	n->count = g->groups->groups[i].count;
	n->counted = true;
	return n;
}

void plan_grouping_release(plan_grouping *g)
{
	size_t i;
	if (g == NULL || --g->references > 0)
		return;
	for (i = 0; i < g->answer_count; i++)
		reel_free(g->answers[i].values);
	group_free(g->groups);
	plan_release(g->input);
	reel_free(g);
}

/* A group's rows: every group of its grouping gets its own at once when
** they were put off; the member takes its group's (each member is made
** once, as the loop walks the groups). */
static selection *group_rows(plan_node *n, reel_error *err)
{
	plan_grouping *g = n->grouping;
	film_group *group = &g->groups->groups[n->group];
	selection *rows;
	if (g->groups->rows_put_off) {
		const selection *in = plan_rows(g->input, err);
		if (in == NULL || group_fill_rows(g->input->films, in, g->column,
		                                  g->groups) != 0)
			return NULL;
	}
	rows = group->rows;
	group->rows = NULL;
	return rows != NULL ? rows : selection_new(0);
}
/* }====== */

