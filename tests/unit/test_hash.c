/*
** test_hash.c: hash_bytes spreads texts of every length (each length's
** short path, the overlapping last chunk) and hash_groups numbers keys in
** order of first appearance, however far its table grows, on one core or
** two.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "core/memory.h"
#include "tap.h"

static int compare_hashes(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Texts of each length 0 .. 40 that differ in one byte at each place, and
** the same bytes at different lengths: no two hash alike. */
static void distinct_texts_hash_apart(void)
{
	enum { LONGEST = 40 };
	size_t count = 0, length, at, collisions = 0, i;
	uint64_t *hashes = malloc((LONGEST + 1) * (LONGEST + 1) * 3 * sizeof *hashes);
	char text[LONGEST + 1];
	for (length = 0; length <= LONGEST; length++) {
		memset(text, 'a', sizeof text);
		hashes[count++] = hash_bytes(text, length);
		for (at = 0; at < length; at++) {
			text[at] = 'b';
			hashes[count++] = hash_bytes(text, length);
			text[at] = '\0';
			hashes[count++] = hash_bytes(text, length);
			text[at] = 'a';
		}
	}
	qsort(hashes, count, sizeof *hashes, compare_hashes);
	for (i = 1; i < count; i++)
		collisions += hashes[i] == hashes[i - 1];
	is_integer(collisions, 0, "texts that differ in one byte or in length hash apart");
	ok(hash_bytes("Parasite", 8) == hash_bytes("Parasite", 8), "a text hashes alike twice");
	free(hashes);
}

typedef int (*grouper)(hash_groups *g, const row_id *rows, size_t n,
                       uint32_t *ids);

/* 200,000 rows in reverse order with 50,000 distinct keys, grown from a
** table of 64: each row's id and each group's first row as one pass in the
** rows' order gives them, whether the groups are found on one core (add)
** or both (find). */
static void groups_number_in_first_appearance(grouper group, const char *how)
{
	enum { ROWS = 200000, KEYS = 50000 };
	table t;
	column c;
	int32_t *keys = malloc(ROWS * sizeof *keys);
	row_id *rows = malloc(ROWS * sizeof *rows);
	uint32_t *ids = malloc(ROWS * sizeof *ids), next = 0;
	size_t column_index = 0, i, wrong = 0, wrong_first = 0;
	int32_t *first_id = malloc(KEYS * sizeof *first_id);
	hash_groups g;
	memset(&t, 0, sizeof t);
	memset(&c, 0, sizeof c);
	c.name = "key";
	c.type = COLUMN_INTEGER;
	c.narrow = keys;
	t.row_count = ROWS;
	t.column_count = 1;
	t.columns = &c;
	for (i = 0; i < ROWS; i++) {
		keys[i] = (int32_t)((i * 7919) % KEYS);
		rows[i] = (row_id)(ROWS - 1 - i);
	}
	for (i = 0; i < KEYS; i++)
		first_id[i] = -1;
	ok(hash_groups_open(&g, &(hash_keys){&t, &column_index, 1, true}, 64) == 0 &&
	   group(&g, rows, ROWS, ids) == 0, "%s: 200,000 rows grouped", how);
	for (i = 0; i < ROWS; i++) {
		int32_t key = keys[rows[i]];
		if (first_id[key] < 0) {
			first_id[key] = (int32_t)next++;
			wrong_first += g.first[first_id[key]] != rows[i];
		}
		wrong += ids[i] != (uint32_t)first_id[key];
	}
	ok(g.count == KEYS, "%s: one group a distinct key (%zu)", how, g.count);
	ok(wrong == 0, "%s: each row in its key's group, numbered by first "
	   "appearance (%zu wrong)", how, wrong);
	ok(wrong_first == 0, "%s: each group's first row (%zu wrong)", how,
	   wrong_first);
	hash_groups_free(&g);
	free(keys);
	free(rows);
	free(ids);
	free(first_id);
}

int main(void)
{
	distinct_texts_hash_apart();
	groups_number_in_first_appearance(hash_groups_add, "one core");
	groups_number_in_first_appearance(hash_groups_find, "both cores");
	return done_testing();
}
