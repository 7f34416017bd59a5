/*
** memory.h: the core's allocator.
** Every allocation of the pure-C core goes through these functions, so one
** counter sees all of it: --max-memory caps it, and a test build can make the
** N-th allocation fail. Relies on the C library's malloc only.
*/
#ifndef REEL_MEMORY_H
#define REEL_MEMORY_H

#include <stddef.h>

/* Like malloc/calloc/realloc/free/strdup; NULL when the limit would be
** passed or the system is out of memory (errno is not relied upon). */
void *reel_malloc(size_t size);
void *reel_calloc(size_t count, size_t size);
void *reel_realloc(void *block, size_t size);
void reel_free(void *block);
/* The size a block of reel_malloc, reel_calloc or reel_realloc was asked
** for (0 for NULL). */
size_t reel_block_size(const void *block);
char *reel_strdup(const char *text);
char *reel_strndup(const char *text, size_t length);

/* {====== Reservations ====== */
/* Room for a block that fills over time (a catalogue's text, its columns):
** from RESERVE_AT_LEAST bytes it is a mapping whose untouched pages cost
** nothing, counted only as its user says it is used (reel_use); a smaller
** one is an ordinary block, counted whole. Freed with reel_free; reel_realloc
** shrinks one (the count then never exceeds the new size) or grows it and
** counts it whole. NULL when the system has no room. */
#define RESERVE_AT_LEAST ((size_t)1 << 20)
void *reel_reserve(size_t size);
/* A reservation made `size` bytes (a block from reel_malloc becomes one if
** it grows that large): its count is unchanged, its bytes kept. NULL when
** there is no room (the block is unchanged). */
void *reel_reserve_grow(void *block, size_t size);
/* Counts `more` bytes of a reservation as in use, at most its size; 0, or
** -1 when the cap refuses them (nothing counted). Does nothing for an
** ordinary block. Safe from two threads. */
int reel_use(void *block, size_t more);
/* The reverse, for pages given back to the system. */
void reel_unuse(void *block, size_t fewer);
/* Asks for huge pages for a reservation (fewer page faults as it fills); a
** smaller block, a system without them, or a run under a memory cap (where
** pages must come as they are counted) is left as it is. */
void reel_advise_huge_pages(void *block);
/* Gives the whole pages within [from, to) back to the system (a mapping of
** a file reads them again if touched; anonymous ones come back zeroed). */
void reel_release_pages(const void *from, const void *to);
/* }====== */

/* Bytes handed out and not yet freed. */
size_t reel_memory_used(void);
/* Cap on reel_memory_used(); 0 means no cap. */
void reel_memory_set_limit(size_t bytes);
size_t reel_memory_limit(void);
/* What would have been in use had the cap not refused the last allocation
** it refused (0: none since reel_memory_forget_refusal), for the message
** that says how much was needed. */
size_t reel_memory_refused(void);
void reel_memory_forget_refusal(void);
/* Test hook: make the N-th allocation from now fail (0 turns it off). */
void reel_memory_fail_after(unsigned long n);


#endif
