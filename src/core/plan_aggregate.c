/*
** plan_aggregate.c: aggregate nodes of the plan (see plan.h,
** plan_aggregate): built with their schema and no rows, their table filled
** when their rows are asked for. Relies on aggregate.h. Pure C.
*/
#include <string.h>

#include "aggregate.h"
#include "memory.h"
#include "plan_node.h"
#include "sort.h"

/* The keys and specs copied into the node, names and all. */
static int copy_aggregate(plan_node *n, const aggregate_by *by,
                          const aggregate_spec *specs, size_t count)
{
	size_t i;
	n->by = reel_malloc((by->count + 1) * sizeof *n->by);
	n->by_parts = reel_calloc(by->count + 1, 1);
	n->specs = reel_calloc(count + 1, sizeof *n->specs);
	if (n->by == NULL || n->by_parts == NULL || n->specs == NULL)
		return -1;
	memcpy(n->by, by->columns, by->count * sizeof *n->by);
	if (by->parts != NULL)
		memcpy(n->by_parts, by->parts, by->count);
	n->by_keys.columns = n->by;
	n->by_keys.count = by->count;
	n->by_keys.collate = by->collate;
	n->by_keys.parts = n->by_parts;
	for (i = 0; i < count; i++) {
		n->specs[i] = specs[i];
		n->specs[i].name = reel_strdup(specs[i].name);
		if (n->specs[i].name == NULL)
			return -1;
		n->spec_count = i + 1;
	}
	return 0;
}

void plan_node_free_aggregate(plan_node *n)
{
	size_t i;
	for (i = 0; i < n->spec_count; i++)
		reel_free((char *)n->specs[i].name);
	reel_free(n->specs);
	reel_free(n->by);
	reel_free(n->by_parts);
	selection_free(n->as_found);
}

static int check_columns(const plan_node *input, const aggregate_by *by,
                         const aggregate_spec *specs, size_t count,
                         reel_error *err)
{
	size_t i, columns = input->films->column_count;
	for (i = 0; i < by->count; i++)
		if (by->columns[i] >= columns)
			return error_set(err, REEL_ERROR_ARGUMENT,
			                 "aggregate: no key column number %zu", i + 1);
	for (i = 0; i < count; i++)
		if (specs[i].column != AGGREGATE_ROWS && specs[i].column >= columns)
			return error_set(err, REEL_ERROR_ARGUMENT,
			                 "aggregate: no column number %zu", specs[i].column + 1);
	return 0;
}

/* The table `in`'s rows of t are grouped in, and the keys there: t itself
** and by's keys, unless a key is the year or month of a date; then a table
** made for it (aggregate_dates_table), whose keys *keyed holds. The table
** comes with a holder for the caller to drop; NULL with err filled. */
static table *grouped_table(table *t, const selection *in,
                            const aggregate_by *by, aggregate_by *keyed,
                            reel_error *err)
{
	size_t *keys;
	table *d;
	*keyed = *by;
	if (!aggregate_dates_used(by))
		return table_retain(t);
	keys = reel_malloc((by->count + 1) * sizeof *keys);
	if (keys == NULL) {
		error_memory(err, NULL);
		return NULL;
	}
	d = aggregate_dates_table(t, in, by, keys, err);
	if (d == NULL) {
		reel_free(keys);
		return NULL;
	}
	keyed->columns = keys;
	keyed->parts = NULL;
	return d;
}

static void drop_grouped_table(table *d, const aggregate_by *by,
                               aggregate_by *keyed)
{
	if (keyed->columns != by->columns)
		reel_free((size_t *)keyed->columns);
	table_free(d);
}

plan_node *plan_aggregate(plan_node *input, const aggregate_by *by,
                          const aggregate_spec *specs, size_t count,
                          reel_error *err)
{
	plan_node *n;
	table *schema, *keyed_table;
	aggregate_by keyed;
	if (check_columns(input, by, specs, count, err) != 0 ||
	    (keyed_table = grouped_table(input->films, NULL, by, &keyed, err)) == NULL)
		return NULL;
	schema = aggregate_schema(keyed_table, &keyed, specs, count, err);
	drop_grouped_table(keyed_table, by, &keyed);
	if (schema == NULL)
		return NULL;
	n = plan_node_new(PLAN_AGGREGATE, "aggregate", input, err);
	if (n == NULL) {
		table_free(schema);
		return NULL;
	}
	table_free(n->films);
	n->films = schema;
	if (copy_aggregate(n, by, specs, count) != 0 && error_memory(err, NULL))
		return plan_node_drop(n);
	return n;
}

/* The rows an aggregate node groups, and the table they are rows of: its
** input's, or a table of date parts made for the keys, with all its rows. */
typedef struct grouped {
	table *films;
	aggregate_by keyed;
	const selection *rows;
	selection *all; /* the date parts' rows, when made */
} grouped;

static int open_grouped(plan_node *n, grouped *g, reel_error *err)
{
	const selection *in = plan_rows(n->input, err);
	memset(g, 0, sizeof *g);
	if (in == NULL || (g->films = grouped_table(n->input->films, in,
	                                            &n->by_keys, &g->keyed, err)) == NULL)
		return -1;
	g->rows = in;
	if (g->films != n->input->films && (g->rows = g->all = selection_all(g->films)) == NULL)
		return error_memory(err, NULL);
	return 0;
}

static void close_grouped(plan_node *n, grouped *g)
{
	selection_free(g->all);
	if (g->films != NULL)
		drop_grouped_table(g->films, &n->by_keys, &g->keyed);
}

/* The node's table filled, its rows in key order or as their keys were
** first met (n->key_ordered says which). 0, or -1 with err. */
static int fill_aggregate(plan_node *n, reel_error *err)
{
	grouped g;
	int status;
	if (n->filled)
		return 0;
	status = open_grouped(n, &g, err);
	if (status == 0)
		status = aggregate_fill(n->films, g.films, g.rows, &g.keyed, n->specs,
		                        n->spec_count, &n->key_ordered, err);
	close_grouped(n, &g);
	n->filled = status == 0;
	return status;
}

/* The table's rows in key order: its key columns (the first ones) sorted
** as the keys were grouped, nulls last, rows that tie (under a collation)
** in the order they were met. */
static selection *rows_in_key_order(plan_node *n, reel_error *err)
{
	selection *all = selection_all(n->films), *sorted = NULL;
	sort_key *keys = reel_malloc((n->by_keys.count + 1) * sizeof *keys);
	size_t i;
	for (i = 0; keys != NULL && i < n->by_keys.count; i++)
		keys[i] = (sort_key){i, false, n->by_keys.collate};
	if (all != NULL && keys != NULL)
		sorted = sort_rows(n->films, all, keys, n->by_keys.count);
	selection_free(all);
	reel_free(keys);
	if (sorted == NULL)
		error_memory(err, NULL);
	return sorted;
}

selection *plan_node_aggregate_rows(plan_node *n, reel_error *err)
{
	if (fill_aggregate(n, err) != 0)
		return NULL;
	if (n->key_ordered)
		return selection_all(n->films);
	return rows_in_key_order(n, err);
}

const selection *plan_node_aggregate_rows_as_found(plan_node *n,
                                                   reel_error *err)
{
	if (n->rows != NULL)
		return n->rows;
	if (fill_aggregate(n, err) != 0)
		return NULL;
	if (n->as_found == NULL && (n->as_found = selection_all(n->films)) == NULL)
		error_memory(err, NULL);
	return n->as_found;
}

int plan_node_aggregate_count(plan_node *n, size_t *count, reel_error *err)
{
	grouped g;
	int status;
	if (n->filled) {
		*count = n->films->row_count;
		return 0;
	}
	status = open_grouped(n, &g, err);
	if (status == 0)
		status = aggregate_count_groups(g.films, g.rows, &g.keyed, count, err);
	close_grouped(n, &g);
	return status;
}
