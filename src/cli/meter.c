/*
** meter.c: the progress of long steps on standard error, when it is a
** terminal (see cli.h). The core counts (core/progress.h); a thread of
** this file wakes half a second after a step began and redraws one line
** five times a second: what is done, the rows, the megabytes and their
** rate, the percentage where the total is known. The line is wiped when the
** step ends, so only a step that takes long shows anything at all. Relies
** on POSIX threads and the core's progress counts.
*/
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/progress.h"

/* A step shows after this long, and is redrawn this often. */
#define SHOW_AFTER 0.5
#define REDRAW_EVERY 0.2

static struct {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	bool started;      /* the thread runs */
	bool active;       /* a step is under way */
	bool shown;        /* its line is on the screen */
	bool output_is_terminal; /* printing to it draws its own progress */
	unsigned long step_number;
	struct timespec began;
	/* The rate counts from here: the step's start, or the last line drawn
	** before its bytes counted again from 0 (a gzip file inflated, then
	** read). */
	double rate_since;      /* seconds into the step */
	double last_drawn;      /* seconds into the step */
	uint64_t last_bytes;
} meter = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false, false,
           false, false, 0, {0, 0}, 0, 0, 0};

/* {====== The line ====== */

static double seconds_since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) +
	       (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

/* n with a comma every three digits. */
static void put_count(char *out, size_t size, uint64_t n)
{
	char digits[32];
	size_t length, i, o = 0;
	snprintf(digits, sizeof digits, "%llu", (unsigned long long)n);
	length = strlen(digits);
	for (i = 0; i < length && o + 2 < size; i++) {
		if (i > 0 && (length - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
}

static const char *step_verb(progress_step step)
{
	static const char *const verbs[] = {
		"loading", "saving", "printing", "running the query"
	};
	return verbs[step];
}

/* The line for the step under way, `elapsed` seconds in, its bytes
** counted for `counting` seconds. */
static void describe(char *line, size_t size, const progress_snapshot *p,
                     double elapsed, double counting)
{
	char rows[32], total[32];
	size_t n = (size_t)snprintf(line, size, PROGRAM ": %s%s%s:",
	                            step_verb(p->step), p->name[0] ? " " : "",
	                            p->name);
	put_count(rows, sizeof rows, p->rows);
	put_count(total, sizeof total, p->total_rows);
	if (p->total_rows > 0 && n < size)
		n += (size_t)snprintf(line + n, size - n, " %s of %s rows (%d%%),",
		                      rows, total, (int)(p->rows * 100 / p->total_rows));
	else if (p->rows > 0 && n < size)
		n += (size_t)snprintf(line + n, size - n, " %s rows,", rows);
	if (p->bytes > 0 && n < size)
		n += (size_t)snprintf(line + n, size - n, " %.1f MB at %.1f MB/s,",
		                      (double)p->bytes / 1e6,
		                      (double)p->bytes / 1e6 / (counting > 0 ? counting : 1));
	if (p->total_bytes > 0 && p->total_rows == 0 && n < size) {
		uint64_t percent = p->bytes * 100 / p->total_bytes;
		n += (size_t)snprintf(line + n, size - n, " %d%%,",
		                      (int)(percent < 99 ? percent : 99));
	}
	if (n < size)
		snprintf(line + n, size - n, " %.1f s", elapsed);
}

static size_t terminal_columns(void)
{
	struct winsize size;
	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 1)
		return size.ws_col;
	return 80;
}

static void write_all(const char *text, size_t length)
{
	while (length > 0) {
		ssize_t n = write(STDERR_FILENO, text, length);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		text += n;
		length -= (size_t)n;
	}
}

/* Redraws the line in place, cut short of the last column so that it never
** wraps (a wrapped line could not be wiped). Called with the lock held. */
static void draw(void)
{
	char line[512];
	progress_snapshot p;
	size_t width = terminal_columns() - 1, length;
	double elapsed = seconds_since(&meter.began);
	progress_read(&p);
	if (p.step == PROGRESS_PRINT && meter.output_is_terminal)
		return; /* the rows themselves show how far it got */
	if (p.bytes < meter.last_bytes)
		meter.rate_since = meter.last_drawn;
	meter.last_bytes = p.bytes;
	meter.last_drawn = elapsed;
	describe(line, sizeof line, &p, elapsed, elapsed - meter.rate_since);
	length = strlen(line);
	if (length > width)
		length = width; /* ASCII but for the name: good enough */
	write_all("\r\033[K", 4);
	write_all(line, length);
	meter.shown = true;
}

static void wipe(void)
{
	write_all("\r\033[K", 4);
	meter.shown = false;
}
/* }====== */

/* {====== The thread ====== */

static void add_seconds(struct timespec *t, double seconds)
{
	long nanoseconds = t->tv_nsec + (long)(seconds * 1e9);
	t->tv_sec += nanoseconds / 1000000000L;
	t->tv_nsec = nanoseconds % 1000000000L;
}

/* Sleeps until a step begins, then until SHOW_AFTER into it, then redraws
** every REDRAW_EVERY until it ends. */
static void *run_meter(void *unused)
{
	(void)unused;
	pthread_mutex_lock(&meter.lock);
	for (;;) {
		unsigned long step;
		struct timespec next;
		while (!meter.active)
			pthread_cond_wait(&meter.changed, &meter.lock);
		step = meter.step_number;
		next = meter.began;
		add_seconds(&next, SHOW_AFTER);
		while (meter.active && meter.step_number == step) {
			if (pthread_cond_timedwait(&meter.changed, &meter.lock,
			                           &next) != ETIMEDOUT)
				continue;
			if (meter.active && meter.step_number == step)
				draw();
			clock_gettime(CLOCK_MONOTONIC, &next);
			add_seconds(&next, REDRAW_EVERY);
		}
	}
	return NULL;
}

/* The thread takes no signals: Ctrl-C and the timers stay the main
** thread's. Its clock is the monotonic one, as the steps' start times. */
static bool start_thread(void)
{
	pthread_t thread;
	pthread_condattr_t clock;
	sigset_t all, old;
	bool made;
	pthread_condattr_init(&clock);
	pthread_condattr_setclock(&clock, CLOCK_MONOTONIC);
	pthread_cond_init(&meter.changed, &clock);
	pthread_condattr_destroy(&clock);
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	made = pthread_create(&thread, NULL, run_meter, NULL) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (made)
		pthread_detach(thread);
	return made;
}

/* progress.h's watcher: a step begins or ends. */
static void on_step(void *context, bool begins)
{
	(void)context;
	pthread_mutex_lock(&meter.lock);
	if (begins && !meter.started)
		meter.started = start_thread();
	if (begins) {
		meter.step_number++;
		clock_gettime(CLOCK_MONOTONIC, &meter.began);
		meter.rate_since = meter.last_drawn = 0;
		meter.last_bytes = 0;
	} else if (meter.shown) {
		wipe();
	}
	meter.active = begins;
	pthread_cond_signal(&meter.changed);
	pthread_mutex_unlock(&meter.lock);
}
/* }====== */

void meter_start(void)
{
	const char *term = getenv("TERM");
	if (!isatty(STDERR_FILENO) || (term != NULL && strcmp(term, "dumb") == 0))
		return;
	meter.output_is_terminal = isatty(STDOUT_FILENO);
	progress_watch(on_step, NULL);
}
