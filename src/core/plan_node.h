/*
** plan_node.h: inside the plan, for its own files only (plan.c builds and
** runs nodes, plan_join.c builds joins and pushes wheres below them,
** plan_explain.c prints the tree). Everyone else uses plan.h.
*/
#ifndef REEL_PLAN_NODE_H
#define REEL_PLAN_NODE_H

#include "group.h"
#include "plan.h"

/* How a node's rows were found, for explain. */
/* How a node's rows were found, for explain. */
typedef enum plan_how {
	HOW_NATIVE,
	HOW_LUA,         /* a step outside the core kept them */
	HOW_TOP_K,       /* a limit of a sort: a heap of the first rows */
	HOW_TOP_K_WHERE, /* ...of a sort of a where, in one pass */
	HOW_FIRST_KEPT,  /* a limit of a where: the scan stopped early */
	HOW_PUSHED       /* a join with a where on its result pushed below it */
} plan_how;

struct plan_node {
	plan_kind kind;
	const char *step;      /* the method explain names */
	size_t references;
	plan_node *input;      /* NULL for a scan */
	plan_node *right;      /* a join's other input */
	table *films;          /* held: the table the rows belong to */
	selection *rows;       /* once made */
	bool rows_borrowed;    /* rows are the input's (a select) */
	bool counted;          /* count is known */
	size_t count;
	plan_how how;
	size_t depth;          /* steps down to a node whose rows are made */
	/* where: the predicates, copied into one block, and once run the
	** filter of the chain of put-off wheres ending here, over `base` */
	predicate *predicates;
	size_t predicate_count;
	predicate *chain;
	where_filter *filter;
	plan_node *base;
	/* sort */
	sort_key *keys;
	size_t key_count;
	/* limit */
	size_t offset, limit;
	/* select */
	size_t *columns;
	size_t column_count;
	/* search */
	char *text;
	size_t text_length;
	/* group */
	plan_grouping *grouping;
	size_t group;
	/* join: its keys (left ones, then right ones) and suffix, copied;
	** for an inner or left join, where each column comes from, and whether
	** its table is filled yet */
	join_spec spec;
	size_t *join_keys;
	char *suffix;
	join_column *sources;
	/* aggregate: the keys and the specs, copied */
	size_t *by;
	unsigned char *by_parts; /* each key's aggregate_part */
	aggregate_by by_keys;
	aggregate_spec *specs;
	size_t spec_count;
	/* explode: the list column */
	size_t exploded;
	/* a join, aggregate or explode: whether its table is filled yet */
	bool filled;
	/* aggregate: whether its table's rows are in key order, and once asked
	** for, its rows as they are in the table (any order) */
	bool key_ordered;
	selection *as_found;
	/* search: whether it ranks its rows */
	bool rank;
	/* similar: the request, copied, its seeds' tables held */
	similar_request *similar;
};

/* Aggregates of every group remembered at once; past that, group by group. */
#define GROUP_ANSWERS 4

typedef struct group_answers {
	aggregate kind;
	size_t column;
	value *values;  /* one a group, or NULL: there is no one-pass answer */
} group_answers;

struct plan_grouping {
	size_t references;
	plan_node *input;
	size_t column;
	group_list *groups;
	group_answers answers[GROUP_ANSWERS];
	size_t answer_count;
};


/* Running a node recurses down its chain to the first node whose rows are
** made: past this many steps, the input's rows are made first, so a chain
** of any length runs in bounded stack. */
#define PLAN_DEPTH_MAX 200

/* A node of `kind` over `input` (held), reading the input's table. */
plan_node *plan_node_new(plan_kind kind, const char *step, plan_node *input,
                         reel_error *err);
/* A node that could not be finished: released; returns NULL. */
plan_node *plan_node_drop(plan_node *n);
/* A where whose rows are not made yet. */
bool plan_node_put_off_where(const plan_node *n);
/* A limit's offset + limit, or SIZE_MAX when that is past every row. */
size_t plan_node_limit_end(const plan_node *n);
/* The rows of a join node, made now. */
selection *plan_node_join_rows(plan_node *n, reel_error *err);
/* The count of a join node's rows, made without its columns when it has
** none yet. 0, or -1 with err filled. */
int plan_node_join_count(plan_node *n, size_t *count, reel_error *err);
/* The rows of an aggregate node, made now. */
selection *plan_node_aggregate_rows(plan_node *n, reel_error *err);
/* The rows of an aggregate node in the order its table holds them, which
** may not be key order: for a count, which needs no order. The node's. */
const selection *plan_node_aggregate_rows_as_found(plan_node *n,
                                                   reel_error *err);
/* The count of an aggregate node's rows: its distinct keys, counted
** without filling its table when it is not filled yet. 0, or -1 with err. */
int plan_node_aggregate_count(plan_node *n, size_t *count, reel_error *err);
/* Frees what an aggregate node copied. */
void plan_node_free_aggregate(plan_node *n);
/* The rows of a similar node, ranked now (plan_similar.c). */
selection *plan_node_similar_rows(plan_node *n, reel_error *err);
/* The rows of an explode node, made now (plan_explode.c). */
selection *plan_node_explode_rows(plan_node *n, reel_error *err);
/* Frees a similar node's request and drops its seeds' tables. */
void plan_node_free_similar(plan_node *n);
/* A where node over `input`, its predicates checked already. */
plan_node *plan_node_where(plan_node *input, const predicate *predicates,
                           size_t count, reel_error *err);
/* A where over a join not run yet, pushed below it where it can go (its
** predicates checked already). */
plan_node *plan_node_push_where(plan_node *join, const predicate *given,
                                size_t count, reel_error *err);

#endif
