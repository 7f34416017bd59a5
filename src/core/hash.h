/*
** hash.h: hashing and key equality, once for every operator that matches
** keys: join, aggregate and distinct, group, and `in`. Integers and whole
** numbers hash alike, so 7 and 7.0 meet; text hashes by its bytes. A key is
** one or more columns of a table; a null in any of them never matches.
** Pure C: no Lua here.
*/
#ifndef REEL_HASH_H
#define REEL_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "selection.h"
#include "table.h"

/* {====== Values ====== */
uint64_t hash_mix(uint64_t h);
uint64_t hash_bytes(const char *text, size_t length);
/* The hash of a non-null value. */
uint64_t hash_value(const value *v);
/* Whether two non-null values are the same key: numbers by value (7 = 7.0),
** text by its bytes, booleans by value; different kinds never. */
bool hash_same_value(const value *a, const value *b);
/* }====== */

/* {====== Keys of rows ====== */
/* Columns of a table that together make a row's key. A null key cell
** never matches (a join), or matches only a null (nulls_match: a group). */
typedef struct hash_keys {
	const table *films;
	const size_t *columns;
	size_t count;
	bool nulls_match;
} hash_keys;

/* Rows are hashed a batch at a time, column by column, in loops written
** for each column type. */
#define HASH_BATCH 64

/* The hashes of rows[0 .. n-1] (n <= HASH_BATCH); present[i] is false
** when any key cell of row i is null and nulls do not match. */
void hash_rows(const hash_keys *k, const row_id *rows, size_t n,
               uint64_t *hashes, bool *present);
/* Whether row a (of ka) and row b (of kb) have the same keys (non-null,
** unless ka's nulls match). */
bool hash_same_keys(const hash_keys *ka, row_id a, const hash_keys *kb,
                    row_id b);
/* }====== */

/* {====== Index ======
** Positions 0 .. n-1 of something (rows of a selection, values of a set)
** chained by bucket; each entry keeps the top half of its hash, which
** settles most mismatches without reading the key. */
typedef struct hash_entry {
	uint32_t next;  /* the next position on the chain, plus one; 0 ends it */
	uint32_t tag;
} hash_entry;

typedef struct hash_index {
	uint32_t *heads;     /* bucket -> first position plus one */
	hash_entry *entries; /* position -> its place on its chain */
	size_t mask;
} hash_index;

#define HASH_TAG(hash) ((uint32_t)((hash) >> 32))

/* Room for n positions. 0, or -1 when memory runs out (free it anyway). */
int hash_index_open(hash_index *h, size_t n);
void hash_index_free(hash_index *h);
/* Puts `position` first on its bucket's chain: adding positions from the
** last to the first leaves every chain in position order. */
static inline void hash_index_add(hash_index *h, size_t position, uint64_t hash)
{
	size_t bucket = (size_t)(hash & h->mask);
	h->entries[position].next = h->heads[bucket];
	h->entries[position].tag = HASH_TAG(hash);
	h->heads[bucket] = (uint32_t)(position + 1);
}
/* The first position plus one on hash's chain whose tag matches, or 0. */
static inline uint32_t hash_index_first(const hash_index *h, uint64_t hash)
{
	uint32_t p = h->heads[hash & h->mask];
	while (p != 0 && h->entries[p - 1].tag != HASH_TAG(hash))
		p = h->entries[p - 1].next;
	return p;
}
/* The next position plus one after p (plus one) with the same tag, or 0. */
static inline uint32_t hash_index_next(const hash_index *h, uint32_t p)
{
	uint32_t tag = h->entries[p - 1].tag;
	for (p = h->entries[p - 1].next; p != 0; p = h->entries[p - 1].next)
		if (h->entries[p - 1].tag == tag)
			break;
	return p;
}
/* The rows of `rows` by their keys: positions are places in `rows`, each
** chain in the selection's order; rows with a null key are left out. */
int hash_index_rows(hash_index *h, const hash_keys *k, const selection *rows);
/* }====== */

/* {====== Distinct keys ======
** The distinct keys of rows as they come, each numbered in order of first
** appearance: one pass groups rows by keys of any type. Open addressing:
** each slot keeps half of its key's hash beside its number (8 bytes: the
** slots' pages are a big part of the cost), so a probe reads one slot and
** compares keys only when the halves are equal. */
typedef struct hash_slot {
	uint32_t tag;   /* the top half of the key's hash */
	uint32_t group; /* plus one; 0: an empty slot */
} hash_slot;

typedef struct hash_groups {
	hash_keys keys;
	row_id *first;       /* group -> the first row with its key */
	uint64_t *hashes;    /* group -> its key's hash, to place it again */
	size_t count;
	size_t capacity;     /* room in first */
	hash_slot *slots;
	size_t mask;         /* slots - 1: never more than half are used */
	size_t rows_seen;    /* rows added so far */
	size_t rows_expected; /* rows the adds bring in all, when told */
} hash_groups;

int hash_groups_open(hash_groups *g, const hash_keys *k, size_t expected);
void hash_groups_free(hash_groups *g);
/* The groups of rows[0 .. n-1], each added when its key is new, in ids (a
** group's number is its order of first appearance, so a row's key is new
** exactly when its id is the count of groups before it). The keys must let
** nulls match. 0, or -1 when memory runs out. */
int hash_groups_add(hash_groups *g, const row_id *rows, size_t n, uint32_t *ids);
/* Tells g that its adds will bring `rows` rows in all: a caller adding a
** slice at a time gets room for what the groups so far promise for the
** rest, not a doubling at a time (each places every group again). */
void hash_groups_expect(hash_groups *g, size_t rows);
/* Done adding: frees the slots and hashes, which only adding reads, so that
** what comes next (the groups' sort) reuses their memory; g keeps first and
** count for reading, and is freed with hash_groups_free. */
void hash_groups_close(hash_groups *g);
/* All of rows[0 .. n-1] into an empty g at once, and g closed after: the
** same groups, numbers, first rows and ids as hash_groups_add, found on
** both cores when the rows are many (each core keeps the keys of half of
** the hashes; the two numberings are then merged by first appearance).
** 0, or -1 when memory runs out. */
int hash_groups_find(hash_groups *g, const row_id *rows, size_t n,
                     uint32_t *ids);
/* }====== */

#endif
