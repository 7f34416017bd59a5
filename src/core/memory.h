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
char *reel_strdup(const char *text);
char *reel_strndup(const char *text, size_t length);

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
