/*
** stop.c: a deadline and a stop request for long core work (see stop.h).
** Both live in atomics: the CSV reader checks them from two threads, and a
** signal handler sets the request. Relies on C11 atomics and POSIX clocks.
*/
#include "stop.h"

#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

static atomic_int requested;
static atomic_llong deadline_ns; /* CLOCK_MONOTONIC; 0: none */

static long long now_ns(void)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long long)now.tv_sec * 1000000000LL + now.tv_nsec;
}

void stop_set_deadline(double seconds)
{
	long long when = 0;
	if (seconds > 0)
		when = now_ns() + (seconds < 1e9 ? (long long)(seconds * 1e9)
		                                 : 1000000000LL * 1000000000LL);
	atomic_store(&deadline_ns, when);
}

void stop_request(void)
{
	atomic_store(&requested, 1);
}

void stop_forget_request(void)
{
	atomic_store(&requested, 0);
}

int stop_check(reel_error *err)
{
	long long when = atomic_load(&deadline_ns);
	if (atomic_load(&requested))
		return error_set(err, REEL_ERROR_STOPPED, "interrupted!");
	if (when != 0 && now_ns() >= when)
		return error_set(err, REEL_ERROR_STOPPED, "time limit exceeded");
	return 0;
}

int stop_wait_ms(void)
{
	long long when = atomic_load(&deadline_ns), left;
	if (when == 0)
		return STOP_WAIT_MAX;
	left = (when - now_ns()) / 1000000 + 1;
	if (left <= 0)
		return 0;
	return left < STOP_WAIT_MAX ? (int)left : STOP_WAIT_MAX;
}
