/*
** plan_aggregate.c: aggregate nodes of the plan (see plan.h,
** plan_aggregate): built with their schema and no rows, their table filled
** when their rows are asked for. Relies on aggregate.h. Pure C.
*/
#include <string.h>

#include "memory.h"
#include "plan_node.h"

/* The keys and specs copied into the node, names and all. */
static int copy_aggregate(plan_node *n, const aggregate_by *by,
                          const aggregate_spec *specs, size_t count)
{
	size_t i;
	n->by = reel_malloc((by->count + 1) * sizeof *n->by);
	n->specs = reel_calloc(count + 1, sizeof *n->specs);
	if (n->by == NULL || n->specs == NULL)
		return -1;
	memcpy(n->by, by->columns, by->count * sizeof *n->by);
	n->by_keys.columns = n->by;
	n->by_keys.count = by->count;
	n->by_keys.collate = by->collate;
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

plan_node *plan_aggregate(plan_node *input, const aggregate_by *by,
                          const aggregate_spec *specs, size_t count,
                          reel_error *err)
{
	plan_node *n;
	table *schema;
	if (check_columns(input, by, specs, count, err) != 0 ||
	    (schema = aggregate_schema(input->films, by, specs, count, err)) == NULL)
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

selection *plan_node_aggregate_rows(plan_node *n, reel_error *err)
{
	const selection *in = plan_rows(n->input, err);
	if (in == NULL)
		return NULL;
	if (!n->filled) {
		if (aggregate_fill(n->films, n->input->films, in, &n->by_keys,
		                   n->specs, n->spec_count, err) != 0)
			return NULL;
		n->filled = true;
	}
	return selection_all(n->films);
}
