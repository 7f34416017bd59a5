/*
** join.c: joining two catalogues on key columns (see join.h). The right
** side's keys are hashed once (hash.h); the left side probes in its own
** order, a batch at a time, so the result keeps the left order. Relies on
** table.h for the columns and memory.h for every allocation. Pure C.
*/
#include "join.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "hash.h"
#include "match.h"
#include "memory.h"
#include "parallel.h"

/* No right row: a left join's unmatched left row. */
#define NO_ROW TABLE_NO_ROW

#if defined(__GNUC__)
#define prefetch(address) __builtin_prefetch(address)
#else
#define prefetch(address) ((void)(address))
#endif

/* {====== The key filter ======
** When the left side is much larger than the right, most left rows of a
** join find nothing, and each probe of the index is two cache misses. A
** filter of the right's key hashes (a Bloom filter: two bits of one word a
** key, eight bits a key, so it stays in cache) rules out most of those
** rows first; about one row in twenty that has no match gets through it,
** and the index settles those. */
#define FILTER_LEFT_PER_RIGHT 4

typedef struct key_filter {
	uint64_t *words;  /* NULL: no filter, every key may match */
	unsigned shift;   /* 64 - log2(the number of words) */
} key_filter;

/* The word of a hash and its two bits, from bits of a remix the index's
** buckets and tags do not use alike. */
static uint64_t filter_bits(uint64_t hash, unsigned shift, size_t *word)
{
	uint64_t mixed = hash * 0x9e3779b97f4a7c15ULL;
	*word = shift < 64 ? (size_t)(mixed >> shift) : 0;
	return (uint64_t)1 << (mixed & 63) | (uint64_t)1 << ((mixed >> 6) & 63);
}

static bool key_filter_may_have(const key_filter *f, uint64_t hash)
{
	size_t word;
	uint64_t bits = filter_bits(hash, f->shift, &word);
	return (f->words[word] & bits) == bits;
}

/* The filter of the right rows' keys, when the left is large enough for
** it to pay; 0, or -1 when memory runs out. */
static int key_filter_open(key_filter *f, const hash_keys *k,
                           const selection *rs, size_t left_rows)
{
	uint64_t hashes[HASH_BATCH];
	bool present[HASH_BATCH];
	size_t words = 1, start, i, n, word;
	unsigned log = 0;
	f->words = NULL;
	if (left_rows < PARALLEL_ROWS || left_rows / FILTER_LEFT_PER_RIGHT < rs->count)
		return 0;
	while (words * 8 < rs->count) { /* 64 bits a word: eight a key */
		words *= 2;
		log++;
	}
	f->shift = 64 - log;
	if ((f->words = reel_calloc(words, sizeof *f->words)) == NULL)
		return -1;
	for (start = 0; start < rs->count; start += n) {
		n = rs->count - start < HASH_BATCH ? rs->count - start : HASH_BATCH;
		hash_rows(k, rs->rows + start, n, hashes, present);
		for (i = 0; i < n; i++) {
			uint64_t bits = filter_bits(hashes[i], f->shift, &word);
			if (present[i])
				f->words[word] |= bits;
		}
	}
	return 0;
}
/* }====== */

/* {====== Matching rows ====== */
/* The right side's rows by key, and both sides' key columns: the tables'
** own, or for a loose join their keys folded (match.h), by row id. */
typedef struct matcher {
	hash_keys left, right;
	const selection *rs;
	hash_index index;
	key_filter filter;
	match_keys loose[2];
} matcher;

/* 0, or -1 with err filled. */
static int matcher_open(matcher *m, const table *left, const selection *ls,
                        const table *right, const selection *rs,
                        const join_spec *spec, reel_error *err)
{
	m->left = (hash_keys){left, spec->left_keys, spec->key_count, false};
	m->right = (hash_keys){right, spec->right_keys, spec->key_count, false};
	m->rs = rs;
	if (spec->loose) {
		if (match_keys_open(&m->loose[0], left, ls, spec->left_keys,
		                    spec->key_count, err) != 0 ||
		    match_keys_open(&m->loose[1], right, rs, spec->right_keys,
		                    spec->key_count, err) != 0)
			return -1;
		m->left = match_keys_hash(&m->loose[0]);
		m->right = match_keys_hash(&m->loose[1]);
	}
	if (hash_index_rows(&m->index, &m->right, rs) != 0 ||
	    key_filter_open(&m->filter, &m->right, rs, ls->count) != 0)
		return error_memory(err, "join");
	return 0;
}

static void matcher_close(matcher *m)
{
	reel_free(m->filter.words);
	m->filter.words = NULL;
	hash_index_free(&m->index);
	match_keys_close(&m->loose[0]);
	match_keys_close(&m->loose[1]);
}

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

/* The first match of left row l (key hash h) at or after chain position p
** (plus one), or 0. */
static uint32_t next_match(const matcher *m, row_id l, uint32_t p)
{
	for (; p != 0; p = hash_index_next(&m->index, p))
		if (hash_same_keys(&m->left, l, &m->right, m->rs->rows[p - 1]))
			return p;
	return 0;
}

/* The left rows of a batch hashed; those the key filter rules out marked
** as having no key (they match nothing), the buckets of the rest fetched
** ahead (the probes are cache misses into a large array). */
static void probe_batch(const matcher *m, const row_id *rows, size_t n,
                        uint64_t *hashes, bool *present)
{
	size_t i;
	hash_rows(&m->left, rows, n, hashes, present);
	if (m->filter.words != NULL)
		for (i = 0; i < n; i++)
			present[i] = present[i] && key_filter_may_have(&m->filter, hashes[i]);
	for (i = 0; i < n; i++)
		prefetch(&m->index.heads[hashes[i] & m->index.mask]);
}

/* Pushes the pairs of left row l in the right's order; *matched says
** whether it had any. */
static int pair_row(const matcher *m, row_id l, uint64_t h, join_kind kind,
                    row_pairs *out)
{
	uint32_t p = next_match(m, l, hash_index_first(&m->index, h));
	bool matched = p != 0;
	for (; p != 0; p = next_match(m, l, hash_index_next(&m->index, p)))
		if (pairs_push(out, l, m->rs->rows[p - 1]) != 0)
			return -1;
	if (!matched && kind == JOIN_LEFT)
		return pairs_push(out, l, NO_ROW);
	return 0;
}

static int pair_rows(const matcher *m, const selection *ls, join_kind kind,
                     row_pairs *out)
{
	uint64_t hashes[HASH_BATCH];
	bool present[HASH_BATCH];
	size_t start, i, n;
	for (start = 0; start < ls->count; start += n) {
		n = ls->count - start < HASH_BATCH ? ls->count - start : HASH_BATCH;
		probe_batch(m, ls->rows + start, n, hashes, present);
		for (i = 0; i < n; i++) {
			row_id l = ls->rows[start + i];
			if (!present[i]) { /* a null key never matches */
				if (kind == JOIN_LEFT && pairs_push(out, l, NO_ROW) != 0)
					return -1;
			} else if (pair_row(m, l, hashes[i], kind, out) != 0) {
				return -1;
			}
		}
	}
	return 0;
}

/* The matches of left row l (key hash h, present or not): all of them, or
** for a semi or anti join whether there is one. */
static size_t matches_of(const matcher *m, row_id l, uint64_t h, bool present,
                         join_kind kind)
{
	uint32_t p = present ? next_match(m, l, hash_index_first(&m->index, h)) : 0;
	size_t matches = 0;
	for (; p != 0; p = next_match(m, l, hash_index_next(&m->index, p))) {
		matches++;
		if (kind == JOIN_SEMI || kind == JOIN_ANTI)
			break;
	}
	return matches;
}

/* The rows a join of ls would have, counted, not made. */
static size_t count_rows(const matcher *m, const selection *ls, join_kind kind)
{
	uint64_t hashes[HASH_BATCH];
	bool present[HASH_BATCH];
	size_t start, i, n, count = 0, matches;
	for (start = 0; start < ls->count; start += n) {
		n = ls->count - start < HASH_BATCH ? ls->count - start : HASH_BATCH;
		probe_batch(m, ls->rows + start, n, hashes, present);
		for (i = 0; i < n; i++) {
			matches = matches_of(m, ls->rows[start + i], hashes[i], present[i],
			                     kind);
			count += kind == JOIN_ANTI ? matches == 0
			         : kind == JOIN_LEFT && matches == 0 ? 1 : matches;
		}
	}
	return count;
}

/* The left rows that have a match (keep true) or none (keep false), put
** in kept; their count. */
static size_t matching_rows(const matcher *m, const selection *ls, bool keep,
                            row_id *kept)
{
	uint64_t hashes[HASH_BATCH];
	bool present[HASH_BATCH];
	size_t start, i, n, count = 0;
	for (start = 0; start < ls->count; start += n) {
		n = ls->count - start < HASH_BATCH ? ls->count - start : HASH_BATCH;
		probe_batch(m, ls->rows + start, n, hashes, present);
		for (i = 0; i < n; i++) {
			row_id l = ls->rows[start + i];
			bool matched = present[i] &&
			               next_match(m, l, hash_index_first(&m->index,
			                                                 hashes[i])) != 0;
			kept[count] = l;
			count += matched == keep;
		}
	}
	return count;
}
/* }====== */

/* {====== Probing on both cores ======
** A large left side is probed in two halves at once, the second on a
** thread of its own (the index and the tables are only read), and the
** halves' results put one after the other, so the order is the same. */

typedef struct probe_half {
	const matcher *m;
	selection rows;   /* a view of half the left rows */
	join_kind kind;
	bool count_only;  /* count the rows, make none */
	row_pairs pairs;  /* inner and left */
	row_id *kept;     /* semi and anti: room for the half's rows */
	size_t kept_count;
	int status;
} probe_half;

static void *probe(void *context)
{
	probe_half *h = context;
	if (h->count_only) {
		h->pairs.count = count_rows(h->m, &h->rows, h->kind);
		h->status = 0;
	} else if (h->kind == JOIN_SEMI || h->kind == JOIN_ANTI) {
		h->kept_count = matching_rows(h->m, &h->rows, h->kind == JOIN_SEMI,
		                              h->kept);
		h->status = 0;
	} else {
		h->status = pair_rows(h->m, &h->rows, h->kind, &h->pairs);
	}
	return NULL;
}

/* The two halves of ls probed, on two threads when it is large. */
static void probe_halves(const matcher *m, const selection *ls, join_kind kind,
                         bool count_only, row_id *kept, probe_half h[2])
{
	size_t half = ls->count >= PARALLEL_ROWS ? ls->count / 2 : ls->count;
	memset(h, 0, 2 * sizeof *h);
	h[0] = (probe_half){m, {ls->rows, half, half, false}, kind, count_only,
	                    {NULL, NULL, 0, 0}, kept, 0, 0};
	h[1] = (probe_half){m, {ls->rows + half, ls->count - half,
	                        ls->count - half, false}, kind, count_only,
	                    {NULL, NULL, 0, 0}, kept != NULL ? kept + half : NULL, 0, 0};
	if (h[1].rows.count > 0)
		parallel_both(probe, &h[0], &h[1]);
	else
		probe(&h[0]);
}

static int append_pairs(row_pairs *out, const row_pairs *more)
{
	size_t total = out->count + more->count;
	row_id *left, *right;
	if (total > NO_ROW)
		return -1;
	if (total > out->capacity) {
		left = reel_realloc(out->left, total * sizeof *left);
		if (left != NULL)
			out->left = left;
		right = left != NULL ? reel_realloc(out->right, total * sizeof *right) : NULL;
		if (right == NULL)
			return -1;
		out->right = right;
		out->capacity = total;
	}
	if (more->count > 0) {
		memcpy(out->left + out->count, more->left, more->count * sizeof *left);
		memcpy(out->right + out->count, more->right, more->count * sizeof *right);
	}
	out->count = total;
	return 0;
}

/* Pairs of every left row, in order: the second half's after the first's. */
static int pair_all(const matcher *m, const selection *ls, join_kind kind,
                    row_pairs *out)
{
	probe_half h[2];
	int status;
	probe_halves(m, ls, kind, false, NULL, h);
	status = h[0].status == 0 && h[1].status == 0 ? 0 : -1;
	*out = h[0].pairs;
	if (status == 0 && append_pairs(out, &h[1].pairs) != 0)
		status = -1;
	if (h[0].pairs.count == NO_ROW || h[1].pairs.count == NO_ROW ||
	    (status != 0 && out->count == NO_ROW))
		out->count = NO_ROW;
	reel_free(h[1].pairs.left);
	reel_free(h[1].pairs.right);
	return status;
}

/* The kept left rows: each half's put in its part of one selection, the
** second's then moved down after the first's. */
static selection *match_all(const matcher *m, const selection *ls, bool keep)
{
	probe_half h[2];
	selection *out = selection_new(ls->count);
	if (out == NULL)
		return NULL;
	probe_halves(m, ls, keep ? JOIN_SEMI : JOIN_ANTI, false, out->rows, h);
	if (h[1].kept_count > 0) /* none when the left side has no rows */
		memmove(out->rows + h[0].kept_count, h[1].kept,
		        h[1].kept_count * sizeof *out->rows);
	out->count = h[0].kept_count + h[1].kept_count;
	selection_trim(out);
	return out;
}
/* }====== */

/* {====== The result's schema ====== */
/* A join being shaped or filled: its sides, its keys and its result. */
typedef struct join_shape {
	const table *left, *right;
	const join_spec *spec;
	table *out;
	join_column *sources; /* one a result column */
} join_shape;

static const table *source_table(const join_shape *s, const join_column *c)
{
	return c->right ? s->right : s->left;
}

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

/* A right key column with its left key's name would repeat it. */
static bool skips_right_key(const join_shape *s, size_t col)
{
	size_t k;
	for (k = 0; k < s->spec->key_count; k++)
		if (s->spec->right_keys[k] == col &&
		    strcmp(s->right->columns[col].name,
		           s->left->columns[s->spec->left_keys[k]].name) == 0)
			return true;
	return false;
}

static int add_column(join_shape *s, size_t n, bool right, size_t col,
                      char *name)
{
	const table *from = right ? s->right : s->left;
	s->sources[n].right = right;
	s->sources[n].column = col;
	s->out->columns[n].name = name;
	s->out->columns[n].type = from->columns[col].type;
	memcpy(s->out->columns[n].list, from->columns[col].list,
	       sizeof s->out->columns[n].list);
	s->out->column_count = n + 1;
	return name != NULL ? 0 : -1;
}

/* Names, types and sources of the result's columns. 0, or -1: no memory. */
static int shape_columns(join_shape *s, const char *suffix)
{
	const table *left = s->left, *right = s->right;
	size_t i, n = 0, room = left->column_count + right->column_count + 1;
	s->sources = reel_calloc(room, sizeof *s->sources);
	s->out->columns = reel_calloc(room, sizeof *s->out->columns);
	if (s->sources == NULL || s->out->columns == NULL)
		return -1;
	for (i = 0; i < left->column_count; i++, n++)
		if (add_column(s, n, false, i, reel_strdup(left->columns[i].name)) != 0)
			return -1;
	for (i = 0; i < right->column_count; i++) {
		if (skips_right_key(s, i))
			continue;
		if (add_column(s, n, true, i, right_name(s->out, n, left, right,
		                                         right->columns[i].name,
		                                         suffix)) != 0)
			return -1;
		n++;
	}
	return 0;
}
/* }====== */

/* {====== Filling the columns ======
** No cell is copied: each result column is a view of its source column,
** whose arrays it borrows (the result holds both sides), read through the
** rows of its side (the pairs' left or right rows, which the result keeps:
** 8 bytes a row). A source column that is a view itself (a join of a join)
** is read through its map composed with the side's rows, made once for
** each of its maps, so that no read takes two steps. */

/* A map the result keeps (table.maps); 0, or -1 when memory runs out (the
** map is then the caller's to free). */
static int keep_map(table *out, row_id *map)
{
	row_id **grown = reel_realloc(out->maps,
	                              (out->map_count + 1) * sizeof *grown);
	if (grown == NULL)
		return -1;
	out->maps = grown;
	out->maps[out->map_count++] = map;
	return 0;
}

/* The maps made for the views of views: the side's rows and the source's
** map each was made from. */
typedef struct composed {
	const row_id *side, *inner;
	const row_id *map;
} composed;

/* side's rows read through inner (a source view's map), made once and
** kept by out; NULL when memory runs out. */
static const row_id *compose(table *out, composed *made, size_t *made_count,
                             const row_id *side, const row_id *inner, size_t n)
{
	row_id *map;
	size_t i;
	for (i = 0; i < *made_count; i++)
		if (made[i].side == side && made[i].inner == inner)
			return made[i].map;
	map = reel_malloc((n > 0 ? n : 1) * sizeof *map);
	if (map == NULL || keep_map(out, map) != 0) {
		reel_free(map);
		return NULL;
	}
	for (i = 0; i < n; i++)
		map[i] = side[i] == NO_ROW ? NO_ROW : inner[side[i]];
	made[(*made_count)++] = (composed){side, inner, map};
	return map;
}

/* Whether a map has rows of no source row. */
static bool has_lone_rows(const row_id *map, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (map[i] == NO_ROW)
			return true;
	return false;
}

/* Column c of the result made a view of column `from` of t through map. */
static void make_view(column *to, const table *t, const column *from,
                      const row_id *map, bool lone)
{
	to->integers = from->integers;
	to->narrow = from->narrow;
	to->numbers = from->numbers;
	to->booleans = from->booleans;
	to->offsets = from->offsets;
	to->nulls = from->nulls;
	if (to->type == COLUMN_STRING) /* a lone row's empty cell: its first byte */
		to->arena = from->arena != NULL ? from->arena
		            : t->arena != NULL ? t->arena : "";
	to->ranged = from->ranged; /* the rows are some of the source's */
	to->least = from->least;
	to->greatest = from->greatest;
	to->map = map;
	to->lone = lone;
}

/* The pairs' arrays given the room of their rows alone (at least one). */
static int trim_pairs(row_pairs *p)
{
	size_t room = p->count > 0 ? p->count : 1;
	row_id *a;
	if (p->left == NULL || p->right == NULL) {
		reel_free(p->left);
		reel_free(p->right);
		p->left = reel_malloc(room * sizeof *p->left);
		p->right = reel_malloc(room * sizeof *p->right);
		return p->left != NULL && p->right != NULL ? 0 : -1;
	}
	if (p->capacity > room && (a = reel_realloc(p->left, room * sizeof *a)) != NULL)
		p->left = a;
	if (p->capacity > room && (a = reel_realloc(p->right, room * sizeof *a)) != NULL)
		p->right = a;
	p->capacity = room;
	return 0;
}

/* Every result column a view; the pairs' arrays, when a view reads them,
** become the result's (p's are then NULL). 0, or -1 when memory runs out. */
static int fill_columns(const join_shape *s, row_pairs *p)
{
	table *out = s->out;
	composed *made;
	size_t c, made_count = 0;
	bool used[2] = {false, false};
	/* only a left join's right side can have lone rows: looked for once */
	bool lone = s->spec->kind == JOIN_LEFT && has_lone_rows(p->right, p->count);
	int status = 0;
	out->row_count = p->count;
	if (trim_pairs(p) != 0 || table_hold(out, s->left) != 0 ||
	    table_hold(out, s->right) != 0)
		return -1;
	made = reel_malloc((out->column_count + 1) * sizeof *made);
	if (made == NULL)
		return -1;
	for (c = 0; status == 0 && c < out->column_count; c++) {
		const join_column *source = &s->sources[c];
		const table *t = source_table(s, source);
		const column *from = &t->columns[source->column];
		const row_id *side = source->right ? p->right : p->left;
		const row_id *map = side;
		if (from->map != NULL)
			map = compose(out, made, &made_count, side, from->map, p->count);
		else
			used[source->right] = true;
		if (map == NULL)
			status = -1;
		else
			make_view(&out->columns[c], t, from, map,
			          (source->right && lone) || from->lone);
	}
	reel_free(made);
	/* the pairs' arrays last: a failure above leaves them p's to free */
	if (status == 0 && used[0] && keep_map(out, p->left) != 0)
		status = -1;
	else if (status == 0 && used[0])
		p->left = NULL;
	if (status == 0 && used[1] && keep_map(out, p->right) != 0)
		status = -1;
	else if (status == 0 && used[1])
		p->right = NULL;
	return status;
}
/* }====== */

/* {====== Film names ====== */
/* The result column that column `col` of one side became, or -1. A right
** key, when left out, became its left key. */
static int result_column(const join_shape *s, bool right, size_t col)
{
	size_t c, k;
	for (c = 0; c < s->out->column_count; c++)
		if (s->sources[c].right == right && s->sources[c].column == col)
			return (int)c;
	for (k = 0; right && k < s->spec->key_count; k++)
		if (s->spec->right_keys[k] == col)
			return (int)s->spec->left_keys[k];
	return -1;
}

/* The film names of one side: all of the left's (an explicit mapping may
** shadow a column of its name, and keeps doing so), and those of the right
** that the result does not know yet. */
static int carry_aliases(const join_shape *s, bool right)
{
	const table *films = right ? s->right : s->left;
	size_t i;
	for (i = 0; i < films->alias_count; i++) {
		const column_alias *a = &films->aliases[i];
		int c = result_column(s, right, a->column);
		if (c < 0 || (right && table_column_index(s->out, a->name) >= 0))
			continue;
		if (table_set_alias(s->out, a->name, s->out->columns[c].name) != 0)
			return -1;
	}
	return 0;
}
/* }====== */


/* {====== Joins ====== */

static table *shape_failed(join_shape *s, reel_error *err)
{
	error_memory(err, "join");
	reel_free(s->sources);
	table_free(s->out);
	return NULL;
}

table *join_schema(const table *left, const table *right, const join_spec *spec,
                   join_column **sources, reel_error *err)
{
	join_shape s = {left, right, spec, reel_calloc(1, sizeof(table)), NULL};
	const char *suffix = spec->suffix != NULL && spec->suffix[0] != '\0'
	                     ? spec->suffix : "_2";
	if (s.out == NULL)
		return shape_failed(&s, err);
	s.out->references = 1;
	if (shape_columns(&s, suffix) != 0 || carry_aliases(&s, false) != 0 ||
	    carry_aliases(&s, true) != 0 || table_resolve_film_names(s.out) != 0)
		return shape_failed(&s, err);
	*sources = s.sources;
	return s.out;
}

/* Gives back what a failed fill made, leaving `out` with no rows. */
static int fill_failed(join_shape *s, matcher *m, row_pairs *p,
                       reel_error_code code, reel_error *err)
{
	if (code == REEL_ERROR_MEMORY)
		error_memory(err, "join");
	else if (code != REEL_ERROR_NONE)
		error_set(err, code, "join: more than 4294967294 rows");
	matcher_close(m);
	reel_free(p->left);
	reel_free(p->right);
	table_drop_cells(s->out);
	return -1;
}

int join_fill(table *out, const join_column *sources, const table *left,
              const selection *ls, const table *right, const selection *rs,
              const join_spec *spec, reel_error *err)
{
	join_shape s = {left, right, spec, out, (join_column *)sources};
	matcher m;
	row_pairs p = {NULL, NULL, 0, 0};
	memset(&m, 0, sizeof m);
	if (matcher_open(&m, left, ls, right, rs, spec, err) != 0)
		return fill_failed(&s, &m, &p, REEL_ERROR_NONE, err);
	if (pair_all(&m, ls, spec->kind, &p) != 0)
		return fill_failed(&s, &m, &p, p.count == NO_ROW ? REEL_ERROR_ARGUMENT
		                                                : REEL_ERROR_MEMORY, err);
	matcher_close(&m);
	if (fill_columns(&s, &p) != 0)
		return fill_failed(&s, &m, &p, REEL_ERROR_MEMORY, err);
	reel_free(p.left);
	reel_free(p.right);
	return 0;
}

table *join_tables(const table *left, const selection *ls, const table *right,
                   const selection *rs, const join_spec *spec, reel_error *err)
{
	join_column *sources = NULL;
	table *out = join_schema(left, right, spec, &sources, err);
	if (out != NULL &&
	    join_fill(out, sources, left, ls, right, rs, spec, err) != 0) {
		table_free(out);
		out = NULL;
	}
	reel_free(sources);
	return out;
}

int join_count(const table *left, const selection *ls, const table *right,
               const selection *rs, const join_spec *spec, size_t *count,
               reel_error *err)
{
	matcher m;
	probe_half h[2];
	memset(&m, 0, sizeof m);
	if (matcher_open(&m, left, ls, right, rs, spec, err) != 0) {
		matcher_close(&m);
		return -1;
	}
	probe_halves(&m, ls, spec->kind, true, NULL, h);
	matcher_close(&m);
	*count = h[0].pairs.count + h[1].pairs.count;
	if (*count >= NO_ROW)
		return error_set(err, REEL_ERROR_ARGUMENT,
		                 "join: more than 4294967294 rows");
	return 0;
}

selection *join_matching(const table *left, const selection *ls,
                         const table *right, const selection *rs,
                         const join_spec *spec, reel_error *err)
{
	matcher m;
	selection *out = NULL;
	memset(&m, 0, sizeof m);
	if (matcher_open(&m, left, ls, right, rs, spec, err) != 0) {
		matcher_close(&m);
		return NULL;
	}
	out = match_all(&m, ls, spec->kind == JOIN_SEMI);
	matcher_close(&m);
	if (out == NULL)
		error_memory(err, "join");
	return out;
}
/* }====== */
