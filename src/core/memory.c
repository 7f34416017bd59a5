/*
** memory.c: the core's counted allocator (see memory.h).
** Each block carries a small header with its size, so reel_free and
** reel_realloc can keep the counter exact without the caller's help. The
** counter is atomic: the CSV reader fills a catalogue's two halves from two
** threads, and the cap must hold for both. Relies on C11 atomics.
*/
#include "memory.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* The header keeps the payload aligned for any type. */
typedef union block_header {
	size_t size;
	max_align_t align;
} block_header;

static atomic_size_t memory_used;
static atomic_size_t memory_limit;
static atomic_ulong fail_countdown;
static atomic_size_t refused_need; /* see reel_memory_refused */

/* Whether the test hook fails this allocation. */
static int fails_now(void)
{
	unsigned long n = atomic_load(&fail_countdown);
	while (n > 0)
		if (atomic_compare_exchange_weak(&fail_countdown, &n, n - 1))
			return n == 1;
	return 0;
}

/* Counts `more` bytes as handed out, if the cap allows them: checked and
** counted in one step, so two threads cannot both pass the cap. */
static int may_grow(size_t more)
{
	size_t used = atomic_load(&memory_used), limit = atomic_load(&memory_limit);
	if (fails_now())
		return 0;
	do {
		if (limit != 0 && (used > limit || more > limit - used)) {
			atomic_store(&refused_need, more > (size_t)-1 - used
			                            ? (size_t)-1 : used + more);
			return 0;
		}
	} while (!atomic_compare_exchange_weak(&memory_used, &used, used + more));
	return 1;
}

void *reel_malloc(size_t size)
{
	block_header *h;
	if (size > (size_t)-1 - sizeof *h || !may_grow(size))
		return NULL;
	h = malloc(sizeof *h + size);
	if (h == NULL) {
		atomic_fetch_sub(&memory_used, size);
		return NULL;
	}
	h->size = size;
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
	size_t old;
	if (block == NULL)
		return reel_malloc(size);
	h = (block_header *)block - 1;
	old = h->size;
	if (size > (size_t)-1 - sizeof *h)
		return NULL;
	if (size > old && !may_grow(size - old))
		return NULL;
	moved = realloc(h, sizeof *h + size);
	if (moved == NULL) {
		if (size > old)
			atomic_fetch_sub(&memory_used, size - old);
		return NULL;
	}
	if (size < old)
		atomic_fetch_sub(&memory_used, old - size);
	moved->size = size;
	return moved + 1;
}

void reel_free(void *block)
{
	block_header *h;
	if (block == NULL)
		return;
	h = (block_header *)block - 1;
	atomic_fetch_sub(&memory_used, h->size);
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

size_t reel_memory_used(void) { return atomic_load(&memory_used); }
void reel_memory_set_limit(size_t bytes) { atomic_store(&memory_limit, bytes); }
size_t reel_memory_limit(void) { return atomic_load(&memory_limit); }
void reel_memory_fail_after(unsigned long n) { atomic_store(&fail_countdown, n); }
size_t reel_memory_refused(void) { return atomic_load(&refused_need); }
void reel_memory_forget_refusal(void) { atomic_store(&refused_need, 0); }
