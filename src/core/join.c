/*
** join.c: joining two catalogues on a key column into a new table (see
** join.h). The right side's keys are hashed once; the left side
** probes in its own order, so the result keeps the left order. Relies on
** table.h for the columns and memory.h for every allocation. Pure C.
*/
#include "join.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "memory.h"

/* No right row: a left join's unmatched left row. */
#define NO_ROW UINT32_MAX

/* {====== Keys ====== */
static uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 33);
}

static uint64_t hash_bytes(const char *text, size_t length)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ length, chunk;
	for (; length >= 8; text += 8, length -= 8) {
		memcpy(&chunk, text, 8);
		h = (h ^ mix(chunk)) * 0x100000001b3ULL;
	}
	chunk = 0;
	memcpy(&chunk, text, length);
	return mix(h ^ chunk);
}

/* A number that is a whole int64 hashes as that integer, so 7 and 7.0
** meet in one bucket. */
static bool number_as_integer(double x, int64_t *i)
{
	if (!(x >= -VALUE_TWO_TO_63 && x < VALUE_TWO_TO_63) || x != floor(x))
		return false;
	*i = (int64_t)x;
	return true;
}

static uint64_t hash_value(const value *v)
{
	int64_t i;
	uint64_t bits;
	switch (v->kind) {
	case VALUE_INTEGER:
		return mix((uint64_t)v->as.integer);
	case VALUE_NUMBER:
		if (number_as_integer(v->as.number, &i))
			return mix((uint64_t)i);
		memcpy(&bits, &v->as.number, sizeof bits);
		return mix(bits ^ 0x5bd1e995ULL);
	case VALUE_BOOLEAN:
		return mix(v->as.boolean ? 3 : 2);
	case VALUE_STRING:
		return hash_bytes(v->as.string.text, v->as.string.length);
	default:
		return 0;
	}
}

static bool is_numeric(value_kind kind)
{
	return kind == VALUE_INTEGER || kind == VALUE_NUMBER;
}

static bool integer_equals_number(int64_t i, double x)
{
	int64_t whole;
	return number_as_integer(x, &whole) && whole == i;
}

/* Two non-null keys are the same film: numbers by value, strings by bytes. */
static bool same_key(const value *a, const value *b)
{
	if (is_numeric(a->kind) && is_numeric(b->kind)) {
		if (a->kind == VALUE_INTEGER && b->kind == VALUE_INTEGER)
			return a->as.integer == b->as.integer;
		if (a->kind == VALUE_NUMBER && b->kind == VALUE_NUMBER)
			return a->as.number == b->as.number;
		return a->kind == VALUE_INTEGER
		       ? integer_equals_number(a->as.integer, b->as.number)
		       : integer_equals_number(b->as.integer, a->as.number);
	}
	if (a->kind != b->kind)
		return false;
	if (a->kind == VALUE_BOOLEAN)
		return a->as.boolean == b->as.boolean;
	return a->as.string.length == b->as.string.length &&
	       memcmp(a->as.string.text, b->as.string.text, a->as.string.length) == 0;
}
/* }====== */

/* {====== The right side, hashed ====== */
/* Rows are hashed and probed in batches: the bucket of each key in a batch
** is fetched ahead (the probes are cache misses into a large array), then
** the batch is worked through. */
#define BATCH 16
#if defined(__GNUC__)
#define prefetch(address) __builtin_prefetch(address)
#else
#define prefetch(address) ((void)(address))
#endif

/* A position of rs on its bucket's chain: the next position, and the top
** half of its key's hash, which settles most mismatches without reading
** the key. Positions are stored plus one, so 0 ends a chain. */
typedef struct key_entry {
	uint32_t next;
	uint32_t tag;
} key_entry;

typedef struct key_index {
	const table *films;
	const selection *rows;
	size_t key;
	uint32_t *heads;     /* bucket -> first position */
	key_entry *entries;  /* position -> its place on the chain */
	size_t mask;
} key_index;

#define TAG(hash) ((uint32_t)((hash) >> 32))

static void key_index_free(key_index *k)
{
	reel_free(k->heads);
	reel_free(k->entries);
}

/* The hashes of a batch of keys of `t` (0 and not `present` for a null),
** each bucket fetched ahead. */
static void hash_batch(const table *t, size_t key, const row_id *rows,
                       size_t n, size_t mask, const uint32_t *heads,
                       uint64_t *hashes, bool *present)
{
	size_t i;
	for (i = 0; i < n; i++) {
		value v = table_value(t, key, rows[i]);
		present[i] = v.kind != VALUE_NULL; /* a null key never matches */
		hashes[i] = present[i] ? hash_value(&v) : 0;
		prefetch(&heads[hashes[i] & mask]);
	}
}

/* Walking rs backwards and pushing each row on its bucket's chain leaves
** every chain in rs's order. 0, or -1 when memory runs out. */
static int key_index_build(key_index *k)
{
	size_t buckets = 16, n = k->rows->count, end, i;
	uint64_t hashes[BATCH];
	bool present[BATCH];
	while (buckets < 2 * n)
		buckets *= 2;
	k->mask = buckets - 1;
	k->heads = reel_calloc(buckets, sizeof *k->heads);
	k->entries = reel_malloc((n > 0 ? n : 1) * sizeof *k->entries);
	if (k->heads == NULL || k->entries == NULL)
		return -1;
	for (end = n; end > 0; end -= i) {
		size_t start = end > BATCH ? end - BATCH : 0;
		hash_batch(k->films, k->key, k->rows->rows + start, end - start,
		           k->mask, k->heads, hashes, present);
		for (i = end - start; i-- > 0;) {
			size_t p = start + i, b = (size_t)(hashes[i] & k->mask);
			if (!present[i])
				continue;
			k->entries[p].next = k->heads[b];
			k->entries[p].tag = TAG(hashes[i]);
			k->heads[b] = (uint32_t)(p + 1);
		}
		i = end - start;
	}
	return 0;
}
/* }====== */

/* {====== Matching rows ====== */
/* The result's rows as pairs of source rows. */
typedef struct row_pairs {
	row_id *left;
	row_id *right; /* NO_ROW: no match (a left join) */
	size_t count;
	size_t capacity;
} row_pairs;

static int pairs_push(row_pairs *p, row_id l, row_id r)
{
	if (p->count == p->capacity) {
		size_t grown = p->capacity < 64 ? 64 : p->capacity * 2;
		row_id *a, *b;
		if (grown > NO_ROW)
			grown = NO_ROW;
		if (p->count == grown)
			return -1; /* row ids would run out */
		a = reel_realloc(p->left, grown * sizeof *a);
		if (a != NULL)
			p->left = a;
		b = a != NULL ? reel_realloc(p->right, grown * sizeof *b) : NULL;
		if (b == NULL)
			return -1;
		p->right = b;
		p->capacity = grown;
	}
	p->left[p->count] = l;
	p->right[p->count++] = r;
	return 0;
}

/* Pushes the pairs of left row `l` (key hash `h`) in rs's order; *matched
** tells whether there was any. */
static int match_row(const key_index *k, const table *left, size_t left_key,
                     row_id l, uint64_t h, row_pairs *out, bool *matched)
{
	uint32_t p = k->heads[h & k->mask];
	value v = table_value(left, left_key, l); /* cheap: nothing is copied */
	for (*matched = false; p != 0; p = k->entries[p - 1].next) {
		row_id r = k->rows->rows[p - 1];
		value w;
		if (k->entries[p - 1].tag != TAG(h))
			continue;
		w = table_value(k->films, k->key, r);
		if (!same_key(&v, &w))
			continue;
		*matched = true;
		if (pairs_push(out, l, r) != 0)
			return -1;
	}
	return 0;
}

static int match_rows(const table *left, const selection *ls, size_t left_key,
                      const key_index *k, join_kind kind, row_pairs *out)
{
	uint64_t hashes[BATCH];
	bool present[BATCH];
	size_t start, i, n;
	for (start = 0; start < ls->count; start += n) {
		n = ls->count - start < BATCH ? ls->count - start : BATCH;
		hash_batch(left, left_key, ls->rows + start, n, k->mask, k->heads,
		           hashes, present);
		for (i = 0; i < n; i++) {
			row_id l = ls->rows[start + i];
			bool matched = false;
			if (present[i] && match_row(k, left, left_key, l, hashes[i], out,
			                            &matched) != 0)
				return -1;
			if (!matched && kind == JOIN_LEFT && pairs_push(out, l, NO_ROW) != 0)
				return -1;
		}
	}
	return 0;
}
/* }====== */

/* {====== The result's schema ====== */
/* Where each result column comes from. */
typedef struct column_source {
	const table *films;
	size_t column;
	bool right;
} column_source;

typedef struct join_plan {
	column_source *sources;
	size_t count;
	table *out;
	size_t left_key, right_key;
} join_plan;

/* Whether `name` is one of the first `count` result columns, a film name of
** the left side (which keeps its meaning after the join), or, when `right`
** is given, one of its columns. */
static bool name_taken(const table *t, size_t count, const char *name,
                       const table *left, const table *right)
{
	size_t i;
	for (i = 0; i < count; i++)
		if (strcmp(t->columns[i].name, name) == 0)
			return true;
	for (i = 0; i < left->alias_count; i++)
		if (strcmp(left->aliases[i].name, name) == 0)
			return true;
	for (i = 0; right != NULL && i < right->column_count; i++)
		if (strcmp(right->columns[i].name, name) == 0)
			return true;
	return false;
}

/* A right column's name in the result: its own, or, when a column before it
** or a left film name has that name, with `suffix` appended until it clashes
** with nothing of either side. */
static char *right_name(const table *out, size_t count, const table *left,
                        const table *right, const char *name,
                        const char *suffix)
{
	size_t length = strlen(name), extra = strlen(suffix);
	char *text = reel_strdup(name), *longer;
	bool taken = text != NULL && name_taken(out, count, text, left, NULL);
	while (taken) {
		longer = reel_realloc(text, length + extra + 1);
		if (longer == NULL) {
			reel_free(text);
			return NULL;
		}
		text = longer;
		memcpy(text + length, suffix, extra + 1);
		length += extra;
		taken = name_taken(out, count, text, left, right);
	}
	return text;
}

static bool skips_right_key(const table *left, size_t left_key,
                            const table *right, size_t right_key, size_t col)
{
	return col == right_key &&
	       strcmp(right->columns[col].name, left->columns[left_key].name) == 0;
}

/* Names and sources of the result's columns. 0, or -1: no memory. */
static int plan_columns(join_plan *plan, const table *left, size_t left_key,
                        const table *right, size_t right_key,
                        const char *suffix)
{
	size_t i, n = 0;
	plan->sources = reel_calloc(left->column_count + right->column_count + 1,
	                            sizeof *plan->sources);
	plan->out->columns = reel_calloc(left->column_count + right->column_count + 1,
	                                 sizeof *plan->out->columns);
	if (plan->sources == NULL || plan->out->columns == NULL)
		return -1;
	for (i = 0; i < left->column_count; i++, n++) {
		plan->sources[n] = (column_source){left, i, false};
		plan->out->columns[n].name = reel_strdup(left->columns[i].name);
		plan->out->column_count = n + 1;
		if (plan->out->columns[n].name == NULL)
			return -1;
	}
	for (i = 0; i < right->column_count; i++) {
		if (skips_right_key(left, left_key, right, right_key, i))
			continue;
		plan->sources[n] = (column_source){right, i, true};
		plan->out->columns[n].name = right_name(plan->out, n, left, right,
		                                        right->columns[i].name, suffix);
		plan->out->column_count = ++n;
		if (plan->out->columns[n - 1].name == NULL)
			return -1;
	}
	plan->count = n;
	return 0;
}
/* }====== */

/* {====== Filling the columns ====== */
/* The source row of result row i for column source s, or NO_ROW. */
static row_id source_row(const column_source *s, const row_pairs *p, size_t i)
{
	return s->right ? p->right[i] : p->left[i];
}

static bool source_is_null(const column_source *s, row_id r)
{
	return r == NO_ROW || table_is_null(s->films, s->column, r);
}

/* Bytes the string columns need in the new arena (a first '\0' included,
** which null cells point at). */
static size_t arena_needed(const join_plan *plan, const row_pairs *p)
{
	size_t need = 1, c, i;
	for (c = 0; c < plan->count; c++) {
		const column_source *s = &plan->sources[c];
		if (s->films->columns[s->column].type != COLUMN_STRING)
			continue;
		for (i = 0; i < p->count; i++) {
			row_id r = source_row(s, p, i);
			if (!source_is_null(s, r))
				need += table_string_length(s->films, s->column, r) + 1;
		}
	}
	return need;
}

static void copy_cell(table *out, size_t c, const column_source *s,
                      row_id r, size_t i)
{
	column *to = &out->columns[c];
	const column *from = &s->films->columns[s->column];
	size_t length;
	switch (to->type) {
	case COLUMN_INTEGER: to->integers[i] = column_integer(from, r); break;
	case COLUMN_NUMBER: to->numbers[i] = from->numbers[r]; break;
	case COLUMN_BOOLEAN: to->booleans[i] = from->booleans[r]; break;
	case COLUMN_STRING:
		length = column_text_length(from, r);
		to->offsets[i] = text_cell(out->arena_size, length);
		memcpy(out->arena + out->arena_size, column_text(s->films, from, r),
		       length + 1);
		out->arena_size += length + 1;
		break;
	}
}

static int allocate_column(column *to, size_t rows)
{
	size_t n = rows > 0 ? rows : 1;
	switch (to->type) {
	case COLUMN_INTEGER: to->integers = reel_malloc(n * sizeof *to->integers); break;
	case COLUMN_NUMBER: to->numbers = reel_malloc(n * sizeof *to->numbers); break;
	case COLUMN_BOOLEAN: to->booleans = reel_malloc(n * sizeof *to->booleans); break;
	case COLUMN_STRING:
		to->offsets = reel_malloc(n * sizeof *to->offsets);
		return to->offsets != NULL ? 0 : -1;
	}
	return to->integers || to->numbers || to->booleans ? 0 : -1;
}

/* Marks the null cells; a column without any keeps no bitmap. */
static void mark_null(column *to, size_t i, bool *any)
{
	to->nulls[i >> 6] |= (uint64_t)1 << (i & 63);
	*any = true;
}

static int fill_column(table *out, size_t c, const column_source *s,
                       const row_pairs *p)
{
	column *to = &out->columns[c];
	size_t i;
	bool any_null = false;
	to->type = s->films->columns[s->column].type;
	to->nulls = reel_calloc((p->count + 63) / 64 + 1, sizeof *to->nulls);
	if (to->nulls == NULL || allocate_column(to, p->count) != 0)
		return -1;
	for (i = 0; i < p->count; i++) {
		row_id r = source_row(s, p, i);
		if (!source_is_null(s, r))
			copy_cell(out, c, s, r, i);
		else {
			mark_null(to, i, &any_null);
			if (to->type == COLUMN_STRING)
				to->offsets[i] = text_cell(0, 0);
			else if (to->type == COLUMN_INTEGER)
				to->integers[i] = 0;
			else if (to->type == COLUMN_NUMBER)
				to->numbers[i] = 0;
			else
				to->booleans[i] = 0;
		}
	}
	if (!any_null) {
		reel_free(to->nulls);
		to->nulls = NULL;
	}
	return 0;
}

static int fill_columns(join_plan *plan, const row_pairs *p)
{
	table *out = plan->out;
	size_t c, need;
	out->row_count = p->count;
	need = arena_needed(plan, p);
	if (need > TEXT_ARENA_MAX) /* past what a string cell's start can hold */
		return -1;
	out->arena = reel_malloc(need);
	if (out->arena == NULL)
		return -1;
	out->arena[0] = '\0';
	out->arena_size = 1;
	for (c = 0; c < plan->count; c++)
		if (fill_column(out, c, &plan->sources[c], p) != 0)
			return -1;
	return 0;
}
/* }====== */

/* {====== Film names ====== */
/* The result column that column `col` of one side became, or -1. The
** right key, when left out, became the left key. */
static int result_column(const join_plan *plan, bool right, size_t col)
{
	size_t c;
	for (c = 0; c < plan->count; c++)
		if (plan->sources[c].right == right && plan->sources[c].column == col)
			return (int)c;
	return right && col == plan->right_key ? (int)plan->left_key : -1;
}

/* The film names of one side: all of the left's (an explicit mapping may
** shadow a column of its name, and keeps doing so), and those of the right
** that the result does not know yet. */
static int carry_aliases(const join_plan *plan, const table *films, bool right)
{
	size_t i;
	for (i = 0; i < films->alias_count; i++) {
		const column_alias *a = &films->aliases[i];
		int c = result_column(plan, right, a->column);
		if (c < 0 || (right && table_column_index(plan->out, a->name) >= 0))
			continue;
		if (table_set_alias(plan->out, a->name, plan->out->columns[c].name) != 0)
			return -1;
	}
	return 0;
}
/* }====== */

static table *join_failed(join_plan *plan, key_index *k, row_pairs *p,
                          reel_error_code code, reel_error *err)
{
	if (code == REEL_ERROR_MEMORY)
		error_memory(err, "join");
	else
		error_set(err, code, "join: more than 4294967294 rows");
	key_index_free(k);
	reel_free(p->left);
	reel_free(p->right);
	reel_free(plan->sources);
	table_free(plan->out);
	return NULL;
}

table *join_tables(const table *left, const selection *ls, const table *right,
                  const selection *rs, size_t left_key, size_t right_key,
                  join_kind kind, const char *suffix, reel_error *err)
{
	key_index k = {right, rs, right_key, NULL, NULL, 0};
	row_pairs p = {NULL, NULL, 0, 0};
	join_plan plan = {NULL, 0, reel_calloc(1, sizeof(table)), left_key, right_key};
	if (plan.out != NULL)
		plan.out->references = 1;
	if (plan.out == NULL || key_index_build(&k) != 0 ||
	    plan_columns(&plan, left, left_key, right, right_key,
	                 suffix != NULL && suffix[0] != '\0' ? suffix : "_2") != 0)
		return join_failed(&plan, &k, &p, REEL_ERROR_MEMORY, err);
	if (match_rows(left, ls, left_key, &k, kind, &p) != 0)
		return join_failed(&plan, &k, &p, p.count == NO_ROW
		                   ? REEL_ERROR_ARGUMENT : REEL_ERROR_MEMORY, err);
	key_index_free(&k);
	memset(&k, 0, sizeof k);
	if (fill_columns(&plan, &p) != 0 || carry_aliases(&plan, left, false) != 0 ||
	    carry_aliases(&plan, right, true) != 0 ||
	    table_resolve_film_names(plan.out) != 0)
		return join_failed(&plan, &k, &p, REEL_ERROR_MEMORY, err);
	reel_free(p.left);
	reel_free(p.right);
	reel_free(plan.sources);
	return plan.out;
}
