/*
** plan_similar.c: similar nodes of the plan (see plan.h, plan_similar):
** built with their schema and no rows, the request copied and the seeds'
** tables held; ranked when their rows are asked for, through the input
** table's similarity index, made the first time. Relies on similar.h.
** Pure C.
*/
#include <string.h>

#include "memory.h"
#include "plan_node.h"

/* {====== Building ====== */

static int copy_request(plan_node *n, const similar_request *r)
{
	similar_request *copy = reel_calloc(1, sizeof *copy);
	size_t i;
	if (copy == NULL)
		return -1;
	n->similar = copy;
	*copy = *r;
	copy->seeds = reel_malloc((r->seed_count + 1) * sizeof *copy->seeds);
	copy->seed_count = 0;
	if (copy->seeds == NULL)
		return -1;
	for (i = 0; i < r->seed_count; i++) {
		copy->seeds[i] = r->seeds[i];
		table_retain(copy->seeds[i].films);
		copy->seed_count = i + 1;
	}
	return 0;
}

void plan_node_free_similar(plan_node *n)
{
	size_t i;
	if (n->similar == NULL)
		return;
	for (i = 0; i < n->similar->seed_count; i++)
		table_free(n->similar->seeds[i].films);
	reel_free(n->similar->seeds);
	reel_free(n->similar);
	n->similar = NULL;
}

plan_node *plan_similar(plan_node *input, const similar_request *request,
                        reel_error *err)
{
	plan_node *n;
	table *schema;
	if (similar_check(input->films, request, err) != 0 ||
	    (schema = similar_schema(input->films, err)) == NULL)
		return NULL;
	n = plan_node_new(PLAN_SIMILAR, "similar", input, err);
	if (n == NULL) {
		table_free(schema);
		return NULL;
	}
	table_free(n->films);
	n->films = schema;
	if (copy_request(n, request) != 0 && error_memory(err, NULL))
		return plan_node_drop(n);
	return n;
}
/* }====== */

/* {====== Running ====== */

selection *plan_node_similar_rows(plan_node *n, reel_error *err)
{
	const selection *in = plan_rows(n->input, err);
	if (in == NULL)
		return NULL;
	if (!n->filled) {
		if (similar_fill(n->films, n->input->films, in, n->similar, err) != 0)
			return NULL;
		n->filled = true;
	}
	return selection_all(n->films);
}
/* }====== */
