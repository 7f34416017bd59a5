/*
** memory.c: the core's counted allocator (see memory.h).
** Each block carries a small header with its size, so reel_free and
** reel_realloc can keep the counter exact without the caller's help.
*/
#include "memory.h"

#include <stdlib.h>
#include <string.h>

/* The header keeps the payload aligned for any type. */
typedef union block_header {
	size_t size;
	max_align_t align;
} block_header;

static size_t memory_used;
static size_t memory_limit;
static unsigned long fail_countdown;

/* Whether `more` bytes may be handed out now. */
static int may_grow(size_t more)
{
	if (fail_countdown > 0 && --fail_countdown == 0)
		return 0;
	if (memory_limit == 0)
		return 1;
	return memory_used <= memory_limit && more <= memory_limit - memory_used;
}

void *reel_malloc(size_t size)
{
	block_header *h;
	if (size > (size_t)-1 - sizeof *h || !may_grow(size))
		return NULL;
	h = malloc(sizeof *h + size);
	if (h == NULL)
		return NULL;
	h->size = size;
	memory_used += size;
	return h + 1;
}

void *reel_calloc(size_t count, size_t size)
{
	void *block;
	if (size != 0 && count > (size_t)-1 / size)
		return NULL;
	block = reel_malloc(count * size);
	if (block != NULL)
		memset(block, 0, count * size);
	return block;
}

void *reel_realloc(void *block, size_t size)
{
	block_header *h, *moved;
	if (block == NULL)
		return reel_malloc(size);
	h = (block_header *)block - 1;
	if (size > h->size && !may_grow(size - h->size))
		return NULL;
	if (size > (size_t)-1 - sizeof *h)
		return NULL;
	moved = realloc(h, sizeof *h + size);
	if (moved == NULL)
		return NULL;
	memory_used = memory_used - moved->size + size;
	moved->size = size;
	return moved + 1;
}

void reel_free(void *block)
{
	block_header *h;
	if (block == NULL)
		return;
	h = (block_header *)block - 1;
	memory_used -= h->size;
	free(h);
}

char *reel_strndup(const char *text, size_t length)
{
	char *copy = reel_malloc(length + 1);
	if (copy == NULL)
		return NULL;
	memcpy(copy, text, length);
	copy[length] = '\0';
	return copy;
}

char *reel_strdup(const char *text)
{
	return reel_strndup(text, strlen(text));
}

size_t reel_memory_used(void) { return memory_used; }
void reel_memory_set_limit(size_t bytes) { memory_limit = bytes; }
size_t reel_memory_limit(void) { return memory_limit; }
void reel_memory_fail_after(unsigned long n) { fail_countdown = n; }
