/*
** parallel.h: work split over the machine's two cores. An operator that
** splits its rows in two runs one part here and the other on a thread of
** its own; each part works on its own memory, so nothing is locked. When no
** thread can be had, the second part runs here after the first: the answer
** never depends on the thread. Pure C: no Lua here.
*/
#ifndef REEL_PARALLEL_H
#define REEL_PARALLEL_H

#include <stddef.h>

/* Below this many rows, a second thread costs more than it saves. */
#define PARALLEL_ROWS 65536

/* run(first) here and run(second) on a second thread, both done on return. */
void parallel_both(void *(*run)(void *), void *first, void *second);

#endif
