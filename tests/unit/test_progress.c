/*
** test_progress.c: the counts core/progress.h keeps for a front end to
** draw. A watcher hears each outermost step begin and end; at its end the
** counts must add up: a save's and a print's rows and bytes (format_write
** streaming in slices), a CSV load's bytes and rows (also read in two
** halves on two threads), a JSON load's rows, a gzip load's compressed
** bytes. Nested steps count towards the outermost.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "core/format.h"
#include "core/progress.h"
#include "core/read.h"
#include "core/save.h"
#include "core/selection.h"
#include "tap.h"

/* What the watcher heard. */
static int begun, ended;
static progress_snapshot at_end;

static void watcher(void *context, bool begins)
{
	(void)context;
	if (begins) {
		begun++;
	} else {
		ended++;
		progress_read(&at_end);
	}
}

/* FILMS rows of CSV, over 4 MiB so that the reader splits it in halves. */
#define FILMS 60000

static text_buffer make_csv(void)
{
	text_buffer b;
	char line[160];
	int i;
	text_buffer_init(&b);
	text_buffer_append_string(&b, "id,title,year,duration\n");
	for (i = 1; i <= FILMS; i++) {
		snprintf(line, sizeof line, "%d,\"A film called %d, with a longish "
		         "title to fill the file\",%d,%d\n", i, i, 1950 + i % 70,
		         80 + i % 90);
		text_buffer_append_string(&b, line);
	}
	return b;
}

static void write_file(const char *path, const char *data, size_t length)
{
	FILE *f = fopen(path, "wb");
	if (f == NULL || fwrite(data, 1, length, f) != length || fclose(f) != 0)
		abort();
}

static long long file_size(const char *path)
{
	struct stat info;
	return stat(path, &info) == 0 ? (long long)info.st_size : -1;
}

static int discard(void *context, const char *text, size_t length)
{
	size_t *total = context;
	(void)text;
	*total += length;
	return 0;
}

static void check_csv_load(const char *path, size_t length)
{
	reel_error err = REEL_ERROR_INIT;
	table *t;
	begun = ended = 0;
	progress_begin(PROGRESS_LOAD, path, 0, 0);
	t = read_catalogue(path, NULL, &err);
	progress_end();
	ok(t != NULL, "the CSV loads: %s", err.message);
	is_integer(begun, 1, "a load: one step begins");
	is_integer(ended, 1, "and ends");
	is_integer(at_end.step, PROGRESS_LOAD, "a load is a PROGRESS_LOAD");
	is_string(at_end.name, path, "named by its path");
	is_integer(at_end.rows, FILMS, "every row counted once");
	is_integer(at_end.bytes, length - strlen("id,title,year,duration\n"),
	           "every byte after the header counted");
	is_integer(at_end.total_bytes, length, "the total is the file's size");
	table_free(t);
}

static void check_save(const table *t, const char *path)
{
	reel_error err = REEL_ERROR_INIT;
	selection *all = selection_all(t);
	begun = ended = 0;
	ok(save_rows(t, all, FORMAT_JSONL, NULL, path, &err) == 0, "saved: %s",
	   err.message);
	is_integer(begun, 1, "a save is one step");
	is_integer(at_end.step, PROGRESS_SAVE, "a PROGRESS_SAVE");
	is_integer(at_end.total_rows, FILMS, "its total is the rows to save");
	is_integer(at_end.rows, FILMS, "and every row is counted");
	is_integer(at_end.bytes, file_size(path), "its bytes are the file's");
	selection_free(all);
}

static void check_print(const table *t)
{
	reel_error err = REEL_ERROR_INIT;
	selection *all = selection_all(t);
	size_t written = 0;
	begun = ended = 0;
	progress_begin(PROGRESS_PRINT, NULL, 0, all->count);
	progress_begin(PROGRESS_QUERY, NULL, 0, 0); /* nested: no new step */
	progress_end();
	ok(format_write(t, all, FORMAT_TABLE, NULL, discard, &written, &err) == 0,
	   "a table streams");
	progress_end();
	is_integer(begun, 1, "a nested step begins no step of its own");
	is_integer(at_end.step, PROGRESS_PRINT, "the outermost step is the one shown");
	is_integer(at_end.rows, FILMS, "every row printed is counted");
	is_integer(at_end.bytes, written, "and every byte");
	ok(written > (size_t)FILMS * 40, "a table of every row went out");
	selection_free(all);
}

static void check_json_load(const char *path)
{
	reel_error err = REEL_ERROR_INIT;
	table *t;
	progress_begin(PROGRESS_LOAD, path, 0, 0);
	t = read_catalogue(path, NULL, &err);
	progress_end();
	ok(t != NULL, "JSON Lines load: %s", err.message);
	/* rows are counted in blocks of 4096 as they are read */
	ok(at_end.rows >= FILMS - 4096 && at_end.rows <= FILMS,
	   "a JSON load counts its rows (%llu)", (unsigned long long)at_end.rows);
	table_free(t);
}

static void check_gzip_load(const char *csv, size_t length, const char *path)
{
	reel_error err = REEL_ERROR_INIT;
	gzFile out = gzopen(path, "wb1");
	table *t;
	if (out == NULL || gzwrite(out, csv, (unsigned)length) != (int)length ||
	    gzclose(out) != Z_OK)
		abort();
	progress_begin(PROGRESS_LOAD, path, 0, 0);
	t = read_catalogue(path, NULL, &err);
	progress_end();
	ok(t != NULL, "the gzip file loads: %s", err.message);
	is_integer(at_end.rows, FILMS, "its rows are counted");
	is_integer(at_end.total_bytes, length, "then its text is the total");
	table_free(t);
}

int main(void)
{
	char folder[] = "/tmp/reel-progress-XXXXXX", path[256];
	text_buffer text = make_csv();
	const char *csv = text.data;
	size_t length = text.length;
	reel_error err = REEL_ERROR_INIT;
	table *t;
	if (text.failed || mkdtemp(folder) == NULL)
		return 1;
	progress_watch(watcher, NULL);
	snprintf(path, sizeof path, "%s/films.csv", folder);
	write_file(path, csv, length);
	check_csv_load(path, length);
	t = read_csv(csv, length, "films.csv", ',', &err);
	ok(t != NULL, "the catalogue");
	snprintf(path, sizeof path, "%s/films.jsonl", folder);
	check_save(t, path);
	check_print(t);
	check_json_load(path);
	unlink(path);
	snprintf(path, sizeof path, "%s/films.csv.gz", folder);
	check_gzip_load(csv, length, path);
	unlink(path);
	snprintf(path, sizeof path, "%s/films.csv", folder);
	unlink(path);
	rmdir(folder);
	table_free(t);
	text_buffer_free(&text);
	progress_watch(NULL, NULL);
	return done_testing();
}
