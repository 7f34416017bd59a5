/*
** plan_join.c: join nodes of the plan (see plan.h, plan_join): built with
** their schema and no rows, joined when their rows are asked for, and a
** where on a join's result pushed below it onto the side that owns its
** columns, so the join reads fewer rows. Relies on join.h. Pure C.
*/
#include <string.h>

#include "join.h"
#include "memory.h"
#include "plan_node.h"

/* {====== Building ====== */

static int check_keys(const plan_node *left, const plan_node *right,
                      const join_spec *spec, reel_error *err)
{
	size_t k;
	if (spec->key_count == 0)
		return error_set(err, REEL_ERROR_ARGUMENT, "join: no key columns");
	for (k = 0; k < spec->key_count; k++)
		if (spec->left_keys[k] >= left->films->column_count ||
		    spec->right_keys[k] >= right->films->column_count)
			return error_set(err, REEL_ERROR_ARGUMENT,
			                 "join: no key column number %zu", k + 1);
	return 0;
}

/* The keys and suffix copied into the node, which the spec then points at. */
static int copy_spec(plan_node *n, const join_spec *spec)
{
	size_t count = spec->key_count;
	n->spec = *spec;
	n->join_keys = reel_malloc(2 * count * sizeof *n->join_keys);
	if (n->join_keys == NULL)
		return -1;
	memcpy(n->join_keys, spec->left_keys, count * sizeof *n->join_keys);
	memcpy(n->join_keys + count, spec->right_keys, count * sizeof *n->join_keys);
	n->spec.left_keys = n->join_keys;
	n->spec.right_keys = n->join_keys + count;
	if (spec->suffix != NULL) {
		n->suffix = reel_strdup(spec->suffix);
		if (n->suffix == NULL)
			return -1;
	}
	n->spec.suffix = n->suffix;
	return 0;
}

/* The other input, its rows made first when its chain is long. */
static int hold_right(plan_node *n, plan_node *right, reel_error *err)
{
	size_t depth = right->rows != NULL ? 0 : right->depth;
	if (depth >= PLAN_DEPTH_MAX) {
		if (plan_rows(right, err) == NULL)
			return -1;
		depth = 0;
	}
	if (depth + 1 > n->depth)
		n->depth = depth + 1;
	n->right = plan_retain(right);
	return 0;
}

plan_node *plan_join(plan_node *left, plan_node *right, const join_spec *spec,
                     reel_error *err)
{
	bool filter = spec->kind == JOIN_SEMI || spec->kind == JOIN_ANTI;
	plan_node *n;
	if (check_keys(left, right, spec, err) != 0)
		return NULL;
	n = plan_node_new(PLAN_JOIN, "join", left, err);
	if (n == NULL)
		return NULL;
	if (copy_spec(n, spec) != 0 && error_memory(err, NULL))
		return plan_node_drop(n);
	if (hold_right(n, right, err) != 0)
		return plan_node_drop(n);
	if (filter) /* the left's rows: the left's table */
		return n;
	table_free(n->films);
	n->films = join_schema(left->films, right->films, &n->spec, &n->sources,
	                       err);
	return n->films != NULL ? n : plan_node_drop(n);
}
/* }====== */

/* {====== Running ====== */

selection *plan_node_join_rows(plan_node *n, reel_error *err)
{
	const selection *ls = plan_rows(n->input, err), *rs;
	if (ls == NULL || (rs = plan_rows(n->right, err)) == NULL)
		return NULL;
	if (n->spec.kind == JOIN_SEMI || n->spec.kind == JOIN_ANTI)
		return join_matching(n->input->films, ls, n->right->films, rs,
		                     &n->spec, err);
	if (!n->filled) {
		if (join_fill(n->films, n->sources, n->input->films, ls,
		              n->right->films, rs, &n->spec, err) != 0)
			return NULL;
		n->filled = true;
	}
	return selection_all(n->films);
}
/* A count of a join made by counting its matches alone: no row list, no
** column gathered. */
int plan_node_join_count(plan_node *n, size_t *count, reel_error *err)
{
	const selection *ls, *rs;
	if (n->filled)
		return plan_rows(n, err) != NULL ? (*count = n->rows->count, 0) : -1;
	if ((ls = plan_rows(n->input, err)) == NULL ||
	    (rs = plan_rows(n->right, err)) == NULL)
		return -1;
	return join_count(n->input->films, ls, n->right->films, rs, &n->spec,
	                  count, err);
}
/* }====== */

/* {====== A where pushed below a join ====== */

/* The side and column a predicate's column comes from, for a join whose
** where may go below it: false when it must stay above (a right column of
** a left join, whose unmatched rows a where below would not remove). */
static bool pushed_column(const plan_node *join, size_t col, bool *right,
                          size_t *source)
{
	if (join->sources == NULL) { /* semi, anti: the left's own columns */
		*right = false;
		*source = col;
		return true;
	}
	*right = join->sources[col].right;
	*source = join->sources[col].column;
	return !*right || join->spec.kind == JOIN_INNER;
}

/* The predicates sorted into those for each side (columns renumbered) and
** those that stay; each array has room for `count`. */
static void sort_predicates(const plan_node *join, const predicate *given,
                            size_t count, predicate *sides[2], size_t counts[3],
                            predicate *stay)
{
	size_t i;
	for (i = 0; i < count; i++) {
		bool right;
		size_t source;
		if (!pushed_column(join, given[i].column, &right, &source)) {
			stay[counts[2]++] = given[i];
			continue;
		}
		sides[right][counts[right]] = given[i];
		sides[right][counts[right]++].column = source;
	}
}

/* The side with its predicates as a where under it (a new holder). */
static plan_node *side_with(plan_node *side, const predicate *p, size_t count,
                            reel_error *err)
{
	return count == 0 ? plan_retain(side) : plan_where(side, p, count, err);
}

static plan_node *rejoin(plan_node *join, predicate *sides[2],
                         const size_t counts[3], reel_error *err)
{
	plan_node *left = side_with(join->input, sides[0], counts[0], err);
	plan_node *right = left != NULL ? side_with(join->right, sides[1],
	                                            counts[1], err) : NULL;
	plan_node *n = right != NULL ? plan_join(left, right, &join->spec, err)
	                             : NULL;
	plan_release(left);
	plan_release(right);
	if (n != NULL)
		n->how = HOW_PUSHED;
	return n;
}

plan_node *plan_node_push_where(plan_node *join, const predicate *given,
                                size_t count, reel_error *err)
{
	predicate *block = reel_malloc(3 * count * sizeof *block + 1);
	predicate *sides[2];
	size_t counts[3] = {0, 0, 0};
	plan_node *n = NULL, *top;
	if (block == NULL) {
		error_memory(err, NULL);
		return NULL;
	}
	sides[0] = block;
	sides[1] = block + count;
	sort_predicates(join, given, count, sides, counts, block + 2 * count);
	if (counts[0] + counts[1] > 0)
		n = rejoin(join, sides, counts, err);
	if (n != NULL && counts[2] > 0) { /* what stays runs on the result */
		top = plan_node_where(n, block + 2 * count, counts[2], err);
		plan_release(n);
		n = top;
	} else if (counts[0] + counts[1] == 0) {
		n = plan_node_where(join, given, count, err);
	}
	reel_free(block);
	return n;
}
/* }====== */
