/*
** test_alloc_save.c: a save that fails part-way. A catalogue big enough to
** take several writes is saved over an existing file while the 1st write
** fails, then the 2nd, and so on until one passes them all; then the same
** for every core allocation. Each failed save must report an error naming
** the file, leave the previous file exactly as it was, and leave no
** temporary file and no core memory behind. Plain and gzip targets both.
** Relies on save.h's and memory.h's failure hooks.
*/
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "core/format.h"
#include "core/memory.h"
#include "core/read.h"
#include "core/save.h"
#include "core/selection.h"
#include "tap.h"

#define FILMS 20000 /* about 900 KB of CSV: many SAVE_BLOCK writes */

static const char previous[] = "rank,title\n1,The previous file\n";

static table *make_catalogue(void)
{
	text_buffer csv;
	reel_error err = REEL_ERROR_INIT;
	char line[128];
	table *t;
	int i;
	text_buffer_init(&csv);
	text_buffer_append_string(&csv, "rank,title,year,director\n");
	for (i = 1; i <= FILMS; i++) {
		snprintf(line, sizeof line, "%d,\"Film %d, a long title\",%d,"
		         "Director %d\n", i, i, 1950 + i % 70, i % 300);
		text_buffer_append_string(&csv, line);
	}
	t = csv.failed ? NULL
	    : read_csv(csv.data, csv.length, "made.csv", ',', &err);
	text_buffer_free(&csv);
	return t;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	if (f == NULL || fputs(text, f) == EOF || fclose(f) != 0)
		abort();
}

/* Whether the file holds exactly `text`. */
static int holds(const char *path, const char *text)
{
	char buffer[sizeof previous + 16];
	FILE *f = fopen(path, "rb");
	size_t n;
	if (f == NULL)
		return 0;
	n = fread(buffer, 1, sizeof buffer, f);
	fclose(f);
	return n == strlen(text) && memcmp(buffer, text, n) == 0;
}

/* Files in `folder` besides the target: leftovers of a failed save. */
static int leftovers(const char *folder)
{
	DIR *dir = opendir(folder);
	struct dirent *e;
	int n = 0;
	while (dir != NULL && (e = readdir(dir)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
		    strncmp(e->d_name, "films.", 6) != 0)
			n++;
	if (dir != NULL)
		closedir(dir);
	return n;
}

typedef struct outcome {
	unsigned long failures;  /* saves that failed */
	unsigned long unclean;   /* ... without a message naming the file */
	unsigned long damaged;   /* ... with the previous file changed */
	unsigned long littered;  /* ... leaving a temporary file */
	unsigned long leaky;     /* core memory left behind */
	int passed;              /* a save finally went through */
} outcome;

static void judge(outcome *o, int status, const char *err, const char *path,
                  const char *folder)
{
	if (status == 0) {
		o->passed = 1;
		return;
	}
	o->failures++;
	o->unclean += strstr(err, path) == NULL;
	o->damaged += !holds(path, previous);
	o->littered += leftovers(folder) != 0;
}

/* Saves over `path` with failure point n = 1, 2, ... set by `inject`,
** until a save passes. */
static outcome walk(const table *t, const char *path, const char *folder,
                    void (*inject)(unsigned long))
{
	outcome o = {0, 0, 0, 0, 0, 0};
	selection *all = selection_all(t);
	size_t held = reel_memory_used();
	unsigned long n;
	for (n = 1; !o.passed && n < 100000; n++) {
		reel_error err = REEL_ERROR_INIT;
		int status;
		write_file(path, previous);
		inject(n);
		status = save_rows(t, all, FORMAT_CSV, NULL, path, &err);
		inject(0);
		judge(&o, status, err.message, path, folder);
		o.leaky += reel_memory_used() != held;
	}
	selection_free(all);
	return o;
}

static void report(const outcome *o, const char *what)
{
	ok(o->failures >= 3, "%s: %lu failed saves", what, o->failures);
	ok(o->unclean == 0, "%s: each reports an error naming the file", what);
	ok(o->damaged == 0, "%s: each leaves the previous file untouched", what);
	ok(o->littered == 0, "%s: none leaves a temporary file", what);
	ok(o->leaky == 0, "%s: none leaves core memory behind", what);
	ok(o->passed, "%s: a save finally passes", what);
}

static void check_saved(const table *t, const char *path, const char *what)
{
	reel_error err = REEL_ERROR_INIT;
	read_options opts = READ_OPTIONS_INIT;
	table *back = read_catalogue(path, &opts, &err);
	ok(back != NULL && back->row_count == t->row_count,
	   "%s: the file holds every film after the save that passed", what);
	if (back != NULL)
		table_free(back);
}

int main(void)
{
	char folder[] = "/tmp/reel-save-XXXXXX", csv[64], gz[64];
	table *t = make_catalogue();
	outcome o;
	if (t == NULL || mkdtemp(folder) == NULL) {
		ok(0, "set up a catalogue and a folder");
		return done_testing();
	}
	snprintf(csv, sizeof csv, "%s/films.csv", folder);
	snprintf(gz, sizeof gz, "%s/films.csv.gz", folder);
	o = walk(t, csv, folder, save_fail_after);
	report(&o, "a write failing (.csv)");
	check_saved(t, csv, ".csv");
	o = walk(t, gz, folder, save_fail_after);
	report(&o, "a write failing (.csv.gz)");
	check_saved(t, gz, ".csv.gz");
	o = walk(t, csv, folder, reel_memory_fail_after);
	report(&o, "an allocation failing (.csv)");
	o = walk(t, gz, folder, reel_memory_fail_after);
	report(&o, "an allocation failing (.csv.gz)");
	unlink(csv);
	unlink(gz);
	rmdir(folder);
	table_free(t);
	ok(reel_memory_used() == 0, "no core memory left at the end");
	return done_testing();
}
