/*
** name_index.c: column names by hash (see name_index.h): open addressing
** with linear probing, kept under half full, each slot holding its name's
** hash so that a probe compares text only when the hashes are equal.
** Names hash as every key does (hash.h). Relies on hash.h and memory.h.
*/
#include "name_index.h"

#include <stdbool.h>
#include <string.h>

#include "hash.h"
#include "memory.h"

#define FIRST_SLOTS 64

static bool same_name(const char *stored, const char *name, size_t length)
{
	return strncmp(stored, name, length) == 0 && stored[length] == '\0';
}

long name_index_find(const name_index *x, const char *const *names,
                     const char *name, size_t length)
{
	uint64_t h;
	size_t i;
	if (x->slots == NULL)
		return -1;
	h = hash_bytes(name, length);
	for (i = (size_t)h & x->mask; x->slots[i].position != 0; i = (i + 1) & x->mask)
		if (x->slots[i].hash == h &&
		    same_name(names[x->slots[i].position - 1], name, length))
			return (long)(x->slots[i].position - 1);
	return -1;
}

static void place(name_slot *slots, size_t mask, name_slot s)
{
	size_t i = (size_t)s.hash & mask;
	while (slots[i].position != 0)
		i = (i + 1) & mask;
	slots[i] = s;
}

/* Twice the slots, every name placed again. */
static int grow(name_index *x)
{
	size_t size = x->slots == NULL ? FIRST_SLOTS : (x->mask + 1) * 2, i;
	name_slot *slots;
	if (size > (size_t)-1 / 2 / sizeof *slots)
		return -1;
	slots = reel_calloc(size, sizeof *slots);
	if (slots == NULL)
		return -1;
	for (i = 0; x->slots != NULL && i <= x->mask; i++)
		if (x->slots[i].position != 0)
			place(slots, size - 1, x->slots[i]);
	reel_free(x->slots);
	x->slots = slots;
	x->mask = size - 1;
	return 0;
}

int name_index_add(name_index *x, const char *const *names, size_t position)
{
	name_slot s;
	if ((x->slots == NULL || (x->count + 1) * 2 > x->mask + 1) && grow(x) != 0)
		return -1;
	s.hash = hash_bytes(names[position], strlen(names[position]));
	s.position = position + 1;
	place(x->slots, x->mask, s);
	x->count++;
	return 0;
}

void name_index_free(name_index *x)
{
	reel_free(x->slots);
	x->slots = NULL;
	x->mask = 0;
	x->count = 0;
}
