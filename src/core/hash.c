/*
** hash.c: hashing, key equality, a chained index and distinct keys (see
** hash.h). Relies on table.h for the cells and memory.h. Pure C.
*/
#include "hash.h"

#include <math.h>
#include <string.h>

#include "memory.h"
#include "parallel.h"

/* {====== Values ====== */

uint64_t hash_mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 33);
}

static uint64_t rotate_left(uint64_t x, unsigned by)
{
	return (x << by) | (x >> (64 - by));
}

/* Eight bytes at a time with one multiply each, the last eight read where
** they end (overlapping the chunk before) instead of copied byte by byte;
** a text shorter than eight bytes read as two overlapping halves. The
** length seeds the hash, so the overlap never merges two texts; hash_mix
** spreads the result. Titles are short: hashing them is much of a join's
** or a grouping's work. */
uint64_t hash_bytes(const char *text, size_t length)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ (length * 0xff51afd7ed558ccdULL), chunk;
	uint32_t low, high;
	if (length > 8) {
		for (; length > 8; text += 8, length -= 8) {
			memcpy(&chunk, text, 8);
			h = rotate_left(h ^ (chunk * 0xc2b2ae3d27d4eb4fULL), 29) *
			    0x9e3779b97f4a7c15ULL;
		}
		memcpy(&chunk, text + length - 8, 8);
	} else if (length >= 4) {
		memcpy(&low, text, 4);
		memcpy(&high, text + length - 4, 4);
		chunk = (uint64_t)high << 32 | low;
	} else {
		chunk = length == 0 ? 0 :
		        (uint64_t)(unsigned char)text[0] << 16 |
		        (uint64_t)(unsigned char)text[length / 2] << 8 |
		        (unsigned char)text[length - 1];
	}
	return hash_mix(h ^ (chunk * 0xc2b2ae3d27d4eb4fULL));
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

static uint64_t hash_number(double x)
{
	int64_t i;
	uint64_t bits;
	if (number_as_integer(x, &i))
		return hash_mix((uint64_t)i);
	memcpy(&bits, &x, sizeof bits);
	return hash_mix(bits ^ 0x5bd1e995ULL);
}

uint64_t hash_value(const value *v)
{
	switch (v->kind) {
	case VALUE_INTEGER: return hash_mix((uint64_t)v->as.integer);
	case VALUE_DATE: return hash_mix((uint64_t)v->as.integer ^ 0xda7eULL);
	case VALUE_NUMBER: return hash_number(v->as.number);
	case VALUE_BOOLEAN: return hash_mix(v->as.boolean ? 3 : 2);
	case VALUE_STRING: return hash_bytes(v->as.string.text, v->as.string.length);
	default: return 0;
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

bool hash_same_value(const value *a, const value *b)
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
	if (a->kind != b->kind || a->kind == VALUE_NULL)
		return false;
	if (a->kind == VALUE_BOOLEAN)
		return a->as.boolean == b->as.boolean;
	if (a->kind == VALUE_DATE)
		return a->as.integer == b->as.integer;
	return a->as.string.length == b->as.string.length &&
	       memcmp(a->as.string.text, b->as.string.text, a->as.string.length) == 0;
}
/* }====== */

/* {====== Keys of rows ====== */

/* The hash of one key cell (not null). */
static uint64_t cell_hash(const table *t, const column *c, row_id r)
{
	switch (c->type) {
	case COLUMN_INTEGER: return hash_mix((uint64_t)column_integer(c, r));
	case COLUMN_DATE: return hash_mix((uint64_t)column_integer(c, r) ^ 0xda7eULL);
	case COLUMN_NUMBER: return hash_number(column_number(c, r));
	case COLUMN_BOOLEAN: return hash_mix(column_boolean(c, r) ? 3 : 2);
	default: return hash_bytes(column_text(t, c, r), column_text_length(c, r));
	}
}

/* One key column over the batch: its hash folded into each row's. */
static void hash_column(const table *t, const column *c, bool first,
                        bool nulls_match, const row_id *rows, size_t n,
                        uint64_t *hashes, bool *present)
{
	size_t i;
	for (i = 0; i < n; i++) {
		uint64_t h;
		if (column_is_null(c, rows[i]) && !nulls_match) {
			present[i] = false;
			continue;
		}
		if (column_is_null(c, rows[i]))
			h = 0x6e756c6cULL; /* every null alike */
		else if (c->type == COLUMN_INTEGER && c->narrow != NULL && c->map == NULL)
			h = hash_mix((uint64_t)(int64_t)c->narrow[rows[i]]);
		else
			h = cell_hash(t, c, rows[i]);
		hashes[i] = first ? h : hash_mix(hashes[i] ^ (h + 0x9e3779b97f4a7c15ULL));
	}
}

void hash_rows(const hash_keys *k, const row_id *rows, size_t n,
               uint64_t *hashes, bool *present)
{
	size_t i, c;
	for (i = 0; i < n; i++) {
		present[i] = true;
		hashes[i] = 0;
	}
	for (c = 0; c < k->count; c++)
		hash_column(k->films, &k->films->columns[k->columns[c]], c == 0,
		            k->nulls_match, rows, n, hashes, present);
}

/* Two cells of columns of one type, neither null, read straight. */
static bool same_cells(const table *ta, const column *ca, row_id a,
                       const table *tb, const column *cb, row_id b)
{
	size_t length;
	switch (ca->type) {
	case COLUMN_INTEGER: case COLUMN_DATE:
		return column_integer(ca, a) == column_integer(cb, b);
	case COLUMN_NUMBER: return column_number(ca, a) == column_number(cb, b);
	case COLUMN_BOOLEAN: return column_boolean(ca, a) == column_boolean(cb, b);
	default:
		length = column_text_length(ca, a);
		return length == column_text_length(cb, b) &&
		       memcmp(column_text(ta, ca, a), column_text(tb, cb, b), length) == 0;
	}
}

bool hash_same_keys(const hash_keys *ka, row_id a, const hash_keys *kb,
                    row_id b)
{
	size_t c;
	for (c = 0; c < ka->count; c++) {
		const column *ca = &ka->films->columns[ka->columns[c]];
		const column *cb = &kb->films->columns[kb->columns[c]];
		bool a_null = column_is_null(ca, a), b_null = column_is_null(cb, b);
		value va, vb;
		if (a_null || b_null) {
			if (a_null && b_null && ka->nulls_match)
				continue;
			return false;
		}
		if (ca->type == cb->type) {
			if (!same_cells(ka->films, ca, a, kb->films, cb, b))
				return false;
			continue;
		}
		va = table_value(ka->films, ka->columns[c], a); /* 7 against 7.0 */
		vb = table_value(kb->films, kb->columns[c], b);
		if (!hash_same_value(&va, &vb))
			return false;
	}
	return true;
}
/* }====== */

/* {====== Index ====== */

int hash_index_open(hash_index *h, size_t n)
{
	size_t buckets = 16;
	while (buckets < 2 * n)
		buckets *= 2;
	h->mask = buckets - 1;
	h->heads = reel_calloc(buckets, sizeof *h->heads);
	h->entries = reel_malloc((n > 0 ? n : 1) * sizeof *h->entries);
	return h->heads != NULL && h->entries != NULL ? 0 : -1;
}

void hash_index_free(hash_index *h)
{
	reel_free(h->heads);
	reel_free(h->entries);
	h->heads = NULL;
	h->entries = NULL;
}

/* Batches are walked backwards, so each chain ends up in the rows' order. */
int hash_index_rows(hash_index *h, const hash_keys *k, const selection *rows)
{
	uint64_t hashes[HASH_BATCH];
	bool present[HASH_BATCH];
	size_t end, i, start;
	if (hash_index_open(h, rows->count) != 0)
		return -1;
	for (end = rows->count; end > 0; end = start) {
		start = end > HASH_BATCH ? end - HASH_BATCH : 0;
		hash_rows(k, rows->rows + start, end - start, hashes, present);
		for (i = end - start; i-- > 0;)
			if (present[i])
				hash_index_add(h, start + i, hashes[i]);
	}
	return 0;
}
/* }====== */

/* {====== Distinct keys ====== */

/* Room for `capacity` groups, and slots for twice as many, the groups
** there are placed again. */
static int groups_grow(hash_groups *g, size_t capacity)
{
	row_id *first = reel_realloc(g->first, capacity * sizeof *first);
	uint64_t *hashes;
	hash_slot *slots;
	size_t size = 16, i;
	if (first == NULL)
		return -1;
	g->first = first;
	hashes = reel_realloc(g->hashes, capacity * sizeof *hashes);
	if (hashes == NULL)
		return -1;
	g->hashes = hashes;
	while (size < 2 * capacity)
		size *= 2;
	slots = reel_calloc(size, sizeof *slots);
	if (slots == NULL)
		return -1;
	for (i = 0; i < g->count; i++) {
		size_t at = (size_t)(g->hashes[i] & (size - 1));
		while (slots[at].group != 0)
			at = (at + 1) & (size - 1);
		slots[at].tag = HASH_TAG(g->hashes[i]);
		slots[at].group = (uint32_t)(i + 1);
	}
	reel_free(g->slots);
	g->slots = slots;
	g->mask = size - 1;
	g->capacity = capacity;
	return 0;
}

int hash_groups_open(hash_groups *g, const hash_keys *k, size_t expected)
{
	memset(g, 0, sizeof *g);
	g->keys = *k;
	return groups_grow(g, expected < 16 ? 16 : expected);
}

void hash_groups_expect(hash_groups *g, size_t rows)
{
	g->rows_expected = rows;
}

void hash_groups_close(hash_groups *g)
{
	reel_free(g->hashes);
	reel_free(g->slots);
	g->hashes = NULL;
	g->slots = NULL;
	g->capacity = g->mask = 0;
}

void hash_groups_free(hash_groups *g)
{
	reel_free(g->first);
	reel_free(g->hashes);
	reel_free(g->slots);
	memset(g, 0, sizeof *g);
}

/* The group of row r, added when its key is new; the caller made room. */
static uint32_t group_of(hash_groups *g, row_id r, uint64_t hash)
{
	size_t at = (size_t)(hash & g->mask);
	uint32_t tag = HASH_TAG(hash);
	hash_slot *slot;
	for (slot = &g->slots[at]; slot->group != 0;
	     at = (at + 1) & g->mask, slot = &g->slots[at])
		if (slot->tag == tag &&
		    hash_same_keys(&g->keys, g->first[slot->group - 1], &g->keys, r))
			return slot->group - 1;
	slot->tag = tag;
	slot->group = (uint32_t)(g->count + 1);
	g->first[g->count] = r;
	g->hashes[g->count] = hash;
	return (uint32_t)g->count++;
}

/* Room for the groups `n` rows may still add, `seen` rows in: after a
** sample, as many as the groups so far promise for the rest (placing every
** group again as a table doubles, a step at a time, costs a high
** cardinality key as much as finding them), else twice the room. The rows
** seen and to come count those of earlier and later adds when g knows. */
static size_t room_wanted(const hash_groups *g, size_t seen, size_t n)
{
	size_t room = 2 * g->capacity;
	seen += g->rows_seen;
	if (g->rows_expected > seen + n)
		n = g->rows_expected - seen;
	if (seen >= 4096 && g->count > seen / 8) {
		double promised = (double)g->count / (double)seen * (double)(seen + n);
		if (promised > (double)room)
			room = promised < (double)UINT32_MAX / 4 ? (size_t)promised : room;
	}
	return room;
}

#if defined(__GNUC__)
#define PREFETCH(address) __builtin_prefetch(address)
#else
#define PREFETCH(address) ((void)(address))
#endif

int hash_groups_add(hash_groups *g, const row_id *rows, size_t n, uint32_t *ids)
{
	uint64_t hashes[HASH_BATCH];
	bool present[HASH_BATCH];
	size_t start, i, m;
	for (start = 0; start < n; start += m) {
		m = n - start < HASH_BATCH ? n - start : HASH_BATCH;
		while (g->count + m > g->capacity)
			if (g->capacity >= UINT32_MAX / 4 ||
			    groups_grow(g, room_wanted(g, start, n - start)) != 0)
				return -1;
		hash_rows(&g->keys, rows + start, m, hashes, present);
		/* the slots of a big table are cache misses: ask for them all
		** before probing the first */
		for (i = 0; i < m; i++)
			PREFETCH(&g->slots[hashes[i] & g->mask]);
		for (i = 0; i < m; i++)
			ids[start + i] = group_of(g, rows[start + i], hashes[i]);
	}
	g->rows_seen += n;
	return 0;
}
/* }====== */

/* {====== Distinct keys on both cores ======
** Every row's hash is made first, a half on each core. Each core then walks
** all the rows and keeps those whose hash's top bit is its own in a table
** of its own: a key's rows all fall to one core, so the two tables never
** share a key, and nothing is locked. Each numbers its groups in order of
** first appearance; merging the two lists of first positions numbers them
** as one table would. */

typedef struct hash_half {
	const hash_keys *keys;
	const row_id *rows;
	uint64_t *hashes;
	size_t from, to;
} hash_half;

static void *hash_half_run(void *context)
{
	hash_half *h = context;
	bool present[HASH_BATCH];
	size_t i, m;
	for (i = h->from; i < h->to; i += m) {
		m = h->to - i < HASH_BATCH ? h->to - i : HASH_BATCH;
		hash_rows(h->keys, h->rows + i, m, h->hashes + i, present);
	}
	return NULL;
}

typedef struct group_part {
	hash_groups groups;
	const row_id *rows;
	const uint64_t *hashes;
	size_t n;
	uint64_t side;   /* the top bit of the hashes it keeps */
	uint32_t *ids;   /* position -> its group here, for its own positions */
	uint32_t *first; /* group -> the position of its first row, then its
	                    number in the merged table */
	int status;
} group_part;

/* Room for `capacity` groups in p's table and its first positions. */
static int part_grow(group_part *p, size_t seen)
{
	uint32_t *first;
	if (p->groups.capacity >= UINT32_MAX / 4 ||
	    groups_grow(&p->groups, room_wanted(&p->groups, seen, 0)) != 0)
		return -1;
	first = reel_realloc(p->first, p->groups.capacity * sizeof *first);
	if (first == NULL)
		return -1;
	p->first = first;
	return 0;
}

/* Works on a copy of its part on its own stack, copied back when done: the
** two parts lie side by side, and a count written on every new group would
** otherwise bounce their shared cache line between the cores. */
static void *group_part_run(void *context)
{
	group_part own = *(group_part *)context, *p = &own;
	hash_groups *g = &p->groups;
	size_t at[HASH_BATCH], i = 0, j, m, seen = 0;
	p->status = 0;
	while (i < p->n && p->status == 0) {
		for (m = 0; i < p->n && m < HASH_BATCH; i++)
			if ((p->hashes[i] >> 63) == p->side)
				at[m++] = i;
		while (g->count + m > g->capacity && p->status == 0)
			p->status = part_grow(p, seen);
		for (j = 0; j < m && p->status == 0; j++)
			PREFETCH(&g->slots[p->hashes[at[j]] & g->mask]);
		for (j = 0; j < m && p->status == 0; j++) {
			size_t before = g->count;
			uint32_t id = group_of(g, p->rows[at[j]], p->hashes[at[j]]);
			if (g->count > before)
				p->first[id] = (uint32_t)at[j];
			p->ids[at[j]] = id;
		}
		seen += m;
	}
	*(group_part *)context = own;
	return NULL;
}

/* g's first rows from both parts' first positions, in order; each part's
** first[] turned into its groups' merged numbers. */
static int merge_parts(hash_groups *g, group_part part[2], const row_id *rows)
{
	size_t a = 0, b = 0, k = 0, count = part[0].groups.count + part[1].groups.count;
	g->first = reel_malloc((count + 1) * sizeof *g->first);
	if (g->first == NULL)
		return -1;
	while (a < part[0].groups.count || b < part[1].groups.count) {
		bool from_a = b == part[1].groups.count ||
		              (a < part[0].groups.count &&
		               part[0].first[a] < part[1].first[b]);
		uint32_t *at = from_a ? &part[0].first[a++] : &part[1].first[b++];
		g->first[k] = rows[*at];
		*at = (uint32_t)k++;
	}
	g->count = count;
	return 0;
}

typedef struct renumber_half {
	const group_part *part;
	const uint64_t *hashes;
	uint32_t *ids;
	size_t from, to;
} renumber_half;

/* Each row's id in the merged numbering, from its part's. */
static void *renumber_run(void *context)
{
	renumber_half *r = context;
	const group_part *part = r->part;
	size_t i;
	for (i = r->from; i < r->to; i++)
		r->ids[i] = (r->hashes[i] >> 63)
		            ? part[1].first[part[1].ids[i]]
		            : part[0].first[part[0].ids[i]];
	return NULL;
}

static int find_on_both(hash_groups *g, const row_id *rows, size_t n,
                        uint32_t *ids, uint64_t *hashes)
{
	hash_half h[2] = {{&g->keys, rows, hashes, 0, n / 2},
	                  {&g->keys, rows, hashes, n / 2, n}};
	group_part part[2];
	renumber_half r[2] = {{part, hashes, ids, 0, n / 2},
	                      {part, hashes, ids, n / 2, n}};
	uint32_t *other = reel_malloc(n * sizeof *other);
	bool ready = other != NULL;
	int status = -1, side;
	memset(part, 0, sizeof part);
	parallel_both(hash_half_run, &h[0], &h[1]);
	for (side = 0; side < 2; side++) {
		part[side] = (group_part){.rows = rows, .hashes = hashes, .n = n,
		                          .side = (uint64_t)side,
		                          .ids = side == 0 ? ids : other};
		if (hash_groups_open(&part[side].groups, &g->keys, 1024) != 0 ||
		    (part[side].first = reel_malloc(1024 * sizeof *part[side].first))
		    == NULL)
			ready = false;
		hash_groups_expect(&part[side].groups, n / 2);
	}
	if (ready) {
		parallel_both(group_part_run, &part[0], &part[1]);
		if (part[0].status == 0 && part[1].status == 0 &&
		    merge_parts(g, part, rows) == 0) {
			parallel_both(renumber_run, &r[0], &r[1]);
			status = 0;
		}
	}
	for (side = 0; side < 2; side++) {
		hash_groups_free(&part[side].groups);
		reel_free(part[side].first);
	}
	reel_free(other);
	return status;
}

int hash_groups_find(hash_groups *g, const row_id *rows, size_t n,
                     uint32_t *ids)
{
	uint64_t *hashes;
	int status;
	if (n < PARALLEL_ROWS || g->count > 0 ||
	    (hashes = reel_malloc(n * sizeof *hashes)) == NULL) {
		status = hash_groups_add(g, rows, n, ids);
		hash_groups_close(g);
		return status;
	}
	hash_groups_close(g);
	reel_free(g->first);
	g->first = NULL;
	status = find_on_both(g, rows, n, ids, hashes);
	reel_free(hashes);
	return status;
}
/* }====== */
