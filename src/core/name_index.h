/*
** name_index.h: column names found by hashing, for the readers: a header
** of 200,000 names is checked for duplicates, and a JSON key matched to its
** column, in time that grows with the names, not with their square. The
** names themselves stay in the caller's array; the index keeps positions
** into it and each name's hash. Pure C: no Lua here.
*/
#ifndef REEL_NAME_INDEX_H
#define REEL_NAME_INDEX_H

#include <stddef.h>
#include <stdint.h>

typedef struct name_slot {
	uint64_t hash;
	size_t position; /* plus one; 0: an empty slot */
} name_slot;

typedef struct name_index {
	name_slot *slots;
	size_t mask;     /* slots - 1 (a power of two), or 0 before the first */
	size_t count;
} name_index;

#define NAME_INDEX_INIT {NULL, 0, 0}

/* The position of `name` (its `length` bytes) among names[], as added, or
** -1 when it was never added. */
long name_index_find(const name_index *x, const char *const *names,
                     const char *name, size_t length);
/* Adds names[position] (which must not be in the index yet). 0, or -1 when
** memory runs out (the index is unchanged). */
int name_index_add(name_index *x, const char *const *names, size_t position);
void name_index_free(name_index *x);

#endif
