/*
** plan_explain.c: the plan as text (see plan.h, plan_explain): one line a
** step from the catalogue up, with its rows and how it runs or ran, a
** join's other input indented above it. Pure C.
*/
#include <stdio.h>

#include "memory.h"
#include "plan_node.h"

/* {====== Explain ====== */

/* A chain longer than this shows its first step and its latest ones. */
#define EXPLAIN_STEPS 8

/* How a limit whose rows are not made will find them. */
static plan_how planned_how(const plan_node *n)
{
	const plan_node *under = n->input;
	while (under->kind == PLAN_SELECT)
		under = under->input;
	if (under->kind == PLAN_SORT && under->rows == NULL)
		return plan_node_put_off_where(under->input) ? HOW_TOP_K_WHERE : HOW_TOP_K;
	if (plan_node_put_off_where(under) && plan_node_limit_end(n) < SIZE_MAX)
		return HOW_FIRST_KEPT;
	return HOW_NATIVE;
}

static const char *how_text(const plan_node *n)
{
	plan_how how = n->how;
	if (n->kind == PLAN_SCAN)
		return "the catalogue";
	if (n->kind == PLAN_LIMIT && n->rows == NULL)
		how = planned_how(n);
	switch (how) {
	case HOW_LUA: return "calls Lua per film";
	case HOW_TOP_K: return "native, first rows only (top-k of the sort)";
	case HOW_TOP_K_WHERE:
		return "native, first rows only (top-k of the sort, one pass with "
		       "the where)";
	case HOW_FIRST_KEPT:
		return "native, first rows only (the where stopped when it had them)";
	case HOW_PUSHED:
		return "native, hash join (the where on its result runs below it)";
	default: break;
	}
	if (n->kind == PLAN_SORT && n->rows == NULL)
		return "native, put off until needed";
	if (n->kind == PLAN_JOIN && n->spec.loose)
		return "native, hash join on loose keys (text folded)";
	if (n->kind == PLAN_JOIN)
		return "native, hash join";
	if (n->kind == PLAN_AGGREGATE)
		return "native, hash aggregate";
	if (n->kind == PLAN_EXPLODE)
		return "native, a row an element (row ids and element spans, no "
		       "text copied)";
	if (n->kind == PLAN_SIMILAR)
		return "native, similarity index (made once for the catalogue)";
	if (n->kind == PLAN_SEARCH && n->rank)
		return "native, ranked by relevance";
	return "native";
}

static int explain_step(plan_node *n, const char *indent, text_buffer *out,
                        reel_error *err)
{
	char line[256];
	size_t rows;
	if (plan_count(n, &rows, err) != 0)
		return -1;
	snprintf(line, sizeof line, "%s%s  %zu rows  %s\n", indent, n->step, rows,
	         how_text(n));
	text_buffer_append_string(out, line);
	return 0;
}

static int explain_chain(plan_node *top, const char *indent, text_buffer *out,
                         reel_error *err);

/* The steps from i down to 0 of chain[], a join's other input first. */
static int explain_steps(plan_node **chain, size_t count, const char *indent,
                         text_buffer *out, reel_error *err)
{
	char inner[64];
	size_t i;
	snprintf(inner, sizeof inner, "%s  ", indent);
	for (i = count; i-- > 0;) {
		if (chain[i]->right != NULL &&
		    explain_chain(chain[i]->right, inner, out, err) != 0)
			return -1;
		if (explain_step(chain[i], indent, out, err) != 0)
			return -1;
		if (i + 1 == count && count > EXPLAIN_STEPS) {
			char line[96];
			snprintf(line, sizeof line, "%s...  %zu steps not shown\n", indent,
			         count - EXPLAIN_STEPS);
			text_buffer_append_string(out, line);
			i = EXPLAIN_STEPS - 1;
		}
	}
	return 0;
}

/* The chain under `top`, from the catalogue up: its first step, and past
** EXPLAIN_STEPS only the latest EXPLAIN_STEPS - 1. */
static int explain_chain(plan_node *top, const char *indent, text_buffer *out,
                         reel_error *err)
{
	plan_node **chain;
	plan_node *at;
	size_t count = 0;
	int status;
	for (at = top; at != NULL; at = at->input)
		count++;
	chain = reel_malloc(count * sizeof *chain);
	if (chain == NULL)
		return error_memory(err, NULL);
	count = 0;
	for (at = top; at != NULL; at = at->input)
		chain[count++] = at;
	status = explain_steps(chain, count, indent, out, err);
	reel_free(chain);
	return status;
}

int plan_explain(plan_node *n, text_buffer *out, reel_error *err)
{
	if (explain_chain(n, "", out, err) != 0)
		return -1;
	return out->failed ? error_memory(err, NULL) : 0;
}
/* }====== */
