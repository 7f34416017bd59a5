/*
** plan_explode.c: explode nodes of the plan (see plan.h, plan_explode):
** built with their schema and no rows, their table filled when their rows
** are asked for. Relies on explode.h. Pure C.
*/
#include "explode.h"
#include "plan_node.h"

plan_node *plan_explode(plan_node *input, size_t col, reel_error *err)
{
	table *schema = explode_schema(input->films, col, err);
	plan_node *n;
	if (schema == NULL)
		return NULL;
	n = plan_node_new(PLAN_EXPLODE, "explode", input, err);
	if (n == NULL) {
		table_free(schema);
		return NULL;
	}
	table_free(n->films);
	n->films = schema;
	n->exploded = col;
	return n;
}

selection *plan_node_explode_rows(plan_node *n, reel_error *err)
{
	const selection *in = plan_rows(n->input, err);
	if (in == NULL)
		return NULL;
	if (!n->filled) {
		if (explode_fill(n->films, n->input->films, in, n->exploded, err) != 0)
			return NULL;
		n->filled = true;
	}
	return selection_all(n->films);
}
