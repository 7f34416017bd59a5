/*
** progress.c: the counts of the step under way (see progress.h). Bytes and
** rows are atomic, since the CSV reader's two halves add from two threads,
** and so is the total of bytes, which a load may set again while a watcher
** reads it; the rest is written only by the thread that begins the step,
** before its watcher is told. Relies on C11 atomics.
*/
#include "progress.h"

#include <stdatomic.h>
#include <stddef.h>
#include <string.h>

static struct {
	progress_watcher watcher;
	void *context;
	int depth; /* steps begun and not ended; only the outermost shows */
	progress_step step;
	char name[PROGRESS_NAME_MAX];
	uint64_t total_rows;
} current;

/* What another thread reads while the step runs. */
static atomic_uint_least64_t bytes_done, rows_done, bytes_total;

void progress_watch(progress_watcher watcher, void *context)
{
	current.watcher = watcher;
	current.context = context;
}

void progress_begin(progress_step step, const char *name, uint64_t total_bytes,
                    uint64_t total_rows)
{
	if (current.depth++ > 0)
		return;
	current.step = step;
	current.name[0] = '\0';
	if (name != NULL) {
		strncpy(current.name, name, sizeof current.name - 1);
		current.name[sizeof current.name - 1] = '\0';
	}
	current.total_rows = total_rows;
	atomic_store(&bytes_total, total_bytes);
	atomic_store(&bytes_done, 0);
	atomic_store(&rows_done, 0);
	if (current.watcher != NULL)
		current.watcher(current.context, true);
}

void progress_add(uint64_t bytes, uint64_t rows)
{
	if (bytes > 0)
		atomic_fetch_add_explicit(&bytes_done, bytes, memory_order_relaxed);
	if (rows > 0)
		atomic_fetch_add_explicit(&rows_done, rows, memory_order_relaxed);
}

void progress_restart_bytes(uint64_t total_bytes)
{
	if (current.depth == 0)
		return;
	atomic_store(&bytes_total, total_bytes);
	atomic_store(&bytes_done, 0);
}

void progress_end(void)
{
	if (current.depth == 0 || --current.depth > 0)
		return;
	if (current.watcher != NULL)
		current.watcher(current.context, false);
}

void progress_read(progress_snapshot *s)
{
	s->step = current.step;
	memcpy(s->name, current.name, sizeof s->name);
	s->total_bytes = atomic_load(&bytes_total);
	s->total_rows = current.total_rows;
	s->bytes = atomic_load_explicit(&bytes_done, memory_order_relaxed);
	s->rows = atomic_load_explicit(&rows_done, memory_order_relaxed);
}
