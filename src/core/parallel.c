/*
** parallel.c: two parts of one piece of work, on two threads.
*/
#include "parallel.h"

#include <pthread.h>
#include <stdbool.h>

void parallel_both(void *(*run)(void *), void *first, void *second)
{
	pthread_t thread;
	bool threaded = pthread_create(&thread, NULL, run, second) == 0;
	run(first);
	if (threaded)
		pthread_join(thread, NULL);
	else
		run(second);
}
