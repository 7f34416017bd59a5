/*
** memory.c: the core's counted allocator (see memory.h).
** Each block carries a small header with its size, so reel_free and
** reel_realloc can keep the counter exact without the caller's help. The
** counter is atomic: the CSV reader fills a catalogue's two halves from two
** threads, and the cap must hold for both. A large reservation is a mapping
** of its own, whose pages the system gives only as they are touched: it
** counts what its user says is in use (reel_use), so the room a reader
** reserves for the worst case costs nothing under --max-memory until it is
** filled. Relies on C11 atomics and POSIX mappings (mremap where Linux has
** it).
*/
#define _GNU_SOURCE /* mremap */
#include "memory.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* The header keeps the payload aligned for any type. */
typedef union block_header {
	size_t size;
	max_align_t align;
} block_header;

/* A reservation's payload starts a page into its mapping: the page holds
** this record at its start and the block header at its end. The header's
** size has RESERVED set. */
typedef struct reservation {
	size_t mapped;          /* the mapping's length, first page included */
	atomic_size_t counted;  /* bytes of the payload counted as in use */
} reservation;

#define RESERVED ((size_t)1 << (sizeof(size_t) * 8 - 1))
#define FIRST_PAGE ((size_t)4096)
#define PAGE_UP(n) (((n) + FIRST_PAGE - 1) & ~(FIRST_PAGE - 1))

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

/* {====== Huge pages for large blocks ======
** A large block is fresh memory the system maps a page at a time as it is
** first touched; on a virtual machine each 4 KB fault costs microseconds,
** and a join's or an aggregate's arrays of a million rows take thousands.
** The system here gives huge pages (2 MB, one fault) only where asked, so
** the whole 2 MB stretches of a large block are asked for them. Not under
** a cap: a huge page is resident ahead of what is counted. */
#define HUGE_BLOCK ((size_t)4 << 20)
#define HUGE_PAGE ((uintptr_t)2 << 20)

static void advise_huge(void *block, size_t size)
{
#ifdef MADV_HUGEPAGE
	uintptr_t start = ((uintptr_t)block + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	uintptr_t end = ((uintptr_t)block + size) & ~(HUGE_PAGE - 1);
	if (size >= HUGE_BLOCK && end > start && atomic_load(&memory_limit) == 0)
		(void)madvise((void *)start, (size_t)(end - start), MADV_HUGEPAGE);
#else
	(void)block;
	(void)size;
#endif
}
/* }====== */

/* A block of `size` bytes, zeroed when `zeroed`: through calloc, which
** skips clearing the fresh pages of a large block (the system gives them
** zeroed), a pass over memory that aggregates and joins would pay for every
** array they make. */
static void *allocate(size_t size, bool zeroed)
{
	block_header *h;
	if (size > (size_t)-1 - sizeof *h || !may_grow(size))
		return NULL;
	h = zeroed ? calloc(1, sizeof *h + size) : malloc(sizeof *h + size);
	if (h == NULL) {
		atomic_fetch_sub(&memory_used, size);
		return NULL;
	}
	h->size = size;
	advise_huge(h + 1, size);
	return h + 1;
}

void *reel_malloc(size_t size)
{
	return allocate(size, false);
}

void *reel_calloc(size_t count, size_t size)
{
	if (size != 0 && count > (size_t)-1 / size)
		return NULL;
	return allocate(count * size, true);
}

static bool is_reserved(const void *block)
{
	return (((const block_header *)block - 1)->size & RESERVED) != 0;
}

static reservation *reservation_of(void *block)
{
	return (reservation *)(void *)((char *)block - FIRST_PAGE);
}

static size_t payload_size(const void *block)
{
	return ((const block_header *)block - 1)->size & ~RESERVED;
}

static void free_reserved(void *block)
{
	reservation *r = reservation_of(block);
	atomic_fetch_sub(&memory_used, atomic_load(&r->counted));
	munmap(r, r->mapped);
}

/* {====== Reservations ====== */
/* A mapping of `size` bytes of payload, nothing counted yet. */
static void *map_reservation(size_t size)
{
	size_t mapped;
	reservation *r;
	block_header *h;
	if (size > (SIZE_MAX & ~RESERVED) - 2 * FIRST_PAGE || fails_now())
		return NULL;
	mapped = PAGE_UP(FIRST_PAGE + size);
	r = mmap(NULL, mapped, PROT_READ | PROT_WRITE,
	         MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (r == MAP_FAILED)
		return NULL;
	r->mapped = mapped;
	atomic_init(&r->counted, 0);
	h = (block_header *)(void *)((char *)r + FIRST_PAGE) - 1;
	h->size = size | RESERVED;
	return h + 1;
}

void *reel_reserve(size_t size)
{
	return size < RESERVE_AT_LEAST ? reel_malloc(size) : map_reservation(size);
}

int reel_use(void *block, size_t more)
{
	reservation *r;
	size_t counted, room;
	if (block == NULL || !is_reserved(block))
		return 0; /* counted whole when it was allocated */
	r = reservation_of(block);
	counted = atomic_load(&r->counted);
	room = payload_size(block) > counted ? payload_size(block) - counted : 0;
	if (more > room)
		more = room; /* two parts may race here: the count stays an upper bound */
	if (more == 0)
		return 0;
	if (!may_grow(more))
		return -1;
	atomic_fetch_add(&r->counted, more);
	return 0;
}

void reel_unuse(void *block, size_t fewer)
{
	reservation *r;
	size_t counted, take;
	if (block == NULL || !is_reserved(block))
		return;
	r = reservation_of(block);
	counted = atomic_load(&r->counted);
	do
		take = fewer < counted ? fewer : counted;
	while (!atomic_compare_exchange_weak(&r->counted, &counted, counted - take));
	atomic_fetch_sub(&memory_used, take);
}

/* A reservation made smaller: its tail is unmapped, and no more than the
** new size stays counted. Never fails. */
static void *shrink_reserved(void *block, size_t size)
{
	reservation *r = reservation_of(block);
	size_t mapped = PAGE_UP(FIRST_PAGE + (size > 0 ? size : 1));
	size_t counted = atomic_load(&r->counted);
	if (mapped < r->mapped) {
		munmap((char *)r + mapped, r->mapped - mapped);
		r->mapped = mapped;
	}
	if (counted > size) {
		atomic_store(&r->counted, size);
		atomic_fetch_sub(&memory_used, counted - size);
	}
	((block_header *)block - 1)->size = size | RESERVED;
	return block;
}

/* A reservation made larger, its count unchanged: moved by the system
** without a copy where it can, else copied whole. NULL when there is no
** room (the block is unchanged). */
static void *grow_reserved(void *block, size_t size)
{
	reservation *r = reservation_of(block), *moved;
	size_t mapped;
	if (size > (SIZE_MAX & ~RESERVED) - 2 * FIRST_PAGE || fails_now())
		return NULL;
	mapped = PAGE_UP(FIRST_PAGE + size);
#ifdef MREMAP_MAYMOVE
	moved = mremap(r, r->mapped, mapped, MREMAP_MAYMOVE);
	if (moved != MAP_FAILED) {
		moved->mapped = mapped;
		block = (char *)moved + FIRST_PAGE;
		((block_header *)block - 1)->size = size | RESERVED;
		return block;
	}
#endif
	{
		void *copy = map_reservation(size);
		if (copy == NULL)
			return NULL;
		memcpy(copy, block, payload_size(block));
		moved = reservation_of(copy);
		atomic_store(&moved->counted, atomic_load(&r->counted));
		munmap(r, r->mapped);
		return copy;
	}
}

void reel_advise_huge_pages(void *block)
{
#ifdef MADV_HUGEPAGE
	/* the whole mapping, so that it stays one and mremap can move it; not
	** under a cap, where pages must come as they are counted (a huge page
	** is 2 MB resident ahead of the count) */
	if (block != NULL && is_reserved(block) && atomic_load(&memory_limit) == 0)
		madvise(reservation_of(block), reservation_of(block)->mapped,
		        MADV_HUGEPAGE);
#else
	(void)block;
#endif
}

/* A plain block becomes a reservation of `size`: its bytes are copied and
** stay counted as in use. */
static void *reserve_instead(void *block, size_t size)
{
	size_t old = payload_size(block);
	void *copy = map_reservation(size);
	if (copy == NULL)
		return NULL;
	memcpy(copy, block, old);
	atomic_store(&reservation_of(copy)->counted, old); /* still counted */
	free((block_header *)block - 1);
	return copy;
}

void *reel_reserve_grow(void *block, size_t size)
{
	if (block == NULL)
		return reel_reserve(size);
	if (is_reserved(block))
		return size <= payload_size(block) ? shrink_reserved(block, size)
		                                    : grow_reserved(block, size);
	if (size < RESERVE_AT_LEAST || size <= payload_size(block))
		return reel_realloc(block, size);
	return reserve_instead(block, size);
}
/* }====== */

void *reel_realloc(void *block, size_t size)
{
	block_header *h, *moved;
	size_t old;
	if (block == NULL)
		return reel_malloc(size);
	if (is_reserved(block)) {
		/* growing a reservation with realloc counts the new size whole */
		size_t counted = atomic_load(&reservation_of(block)->counted);
		if (size <= payload_size(block))
			return shrink_reserved(block, size);
		if (size > counted && !may_grow(size - counted))
			return NULL;
		moved = grow_reserved(block, size);
		if (moved == NULL) {
			atomic_fetch_sub(&memory_used, size - counted);
			return NULL;
		}
		atomic_store(&reservation_of(moved)->counted, size);
		return moved;
	}
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
	if (size > old)
		advise_huge(moved + 1, size);
	return moved + 1;
}

void reel_free(void *block)
{
	block_header *h;
	if (block == NULL)
		return;
	if (is_reserved(block)) {
		free_reserved(block);
		return;
	}
	h = (block_header *)block - 1;
	atomic_fetch_sub(&memory_used, h->size);
	free(h);
}

size_t reel_block_size(const void *block)
{
	return block != NULL ? payload_size(block) : 0;
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

void reel_release_pages(const void *from, const void *to)
{
#ifdef MADV_DONTNEED
	uintptr_t start = ((uintptr_t)from + 4095) & ~(uintptr_t)4095;
	uintptr_t end = (uintptr_t)to & ~(uintptr_t)4095;
	if (end > start)
		madvise((void *)start, (size_t)(end - start), MADV_DONTNEED);
#else
	(void)from;
	(void)to;
#endif
}
