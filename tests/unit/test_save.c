/*
** test_save.c: unit tests of save.h: formats from extensions, the file
** holding what format_rows gives, replacing a file whole, gzip, and the
** atomic failures (a missing folder, a write that fails at any block, memory
** running out): the old file untouched and no temporary left behind.
*/
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "core/format.h"
#include "core/memory.h"
#include "core/read.h"
#include "core/save.h"
#include "core/selection.h"
#include "core/table.h"
#include "tap.h"

/* {====== Helpers ====== */
static char folder[] = "/tmp/reel-save-XXXXXX";

static const char *in_folder(const char *name)
{
	static char path[256];
	snprintf(path, sizeof path, "%s/%s", folder, name);
	return path;
}

static table *csv(const char *text)
{
	reel_error err = REEL_ERROR_INIT;
	read_options opts = {.format = CATALOGUE_CSV, .delimiter = ','};
	return read_catalogue_buffer(text, strlen(text), "test.csv", &opts, &err);
}

/* A whole file, '\0'-terminated (NULL when it cannot be read). */
static char *slurp(const char *path, size_t *length)
{
	FILE *f = fopen(path, "rb");
	char *text;
	long size;
	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	text = malloc((size_t)size + 1);
	*length = fread(text, 1, (size_t)size, f);
	text[*length] = '\0';
	fclose(f);
	return text;
}

static void spit(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	fputs(text, f);
	fclose(f);
}

static size_t files_in_folder(void)
{
	DIR *d = opendir(folder);
	struct dirent *e;
	size_t n = 0;
	while (d != NULL && (e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	if (d != NULL)
		closedir(d);
	return n;
}

/* What format_rows gives for all of t. */
static char *rendered(const table *t, format_kind kind)
{
	reel_error err = REEL_ERROR_INIT;
	text_buffer b;
	selection *all = selection_all(t);
	char *copy;
	text_buffer_init(&b);
	format_rows(t, all, kind, NULL, &b, &err);
	copy = malloc(b.length + 1);
	memcpy(copy, b.data, b.length);
	copy[b.length] = '\0';
	text_buffer_free(&b);
	selection_free(all);
	return copy;
}

static int save_all(const table *t, format_kind kind, const char *path, reel_error *err)
{
	selection *all = selection_all(t);
	int status = save_rows(t, all, kind, NULL, path, err);
	selection_free(all);
	return status;
}
/* }====== */

static const char *const films_csv =
	"title,year,note\n"
	"\"Line one\nline two\",2013,\"He said \"\"no\"\"\"\n"
	"Empty,2010,\"\"\n"
	"Null,2011,\n"
	"소원,2013,Unicode\n";

static void test_formats_from_paths(void)
{
	is_integer(save_format_from_path("a.csv"), FORMAT_CSV, ".csv");
	is_integer(save_format_from_path("dir.d/A.TSV"), FORMAT_TSV, ".TSV in any case");
	is_integer(save_format_from_path("a.json"), FORMAT_JSON, ".json");
	is_integer(save_format_from_path("a.md"), FORMAT_MARKDOWN, ".md");
	is_integer(save_format_from_path("a.markdown"), FORMAT_MARKDOWN, ".markdown");
	is_integer(save_format_from_path("a.csv.gz"), FORMAT_CSV, "looking past .gz");
	is_integer(save_format_from_path("a.gz"), -1, "a bare .gz");
	is_integer(save_format_from_path("csv"), -1, "no extension");
	is_integer(save_format_from_path("a.txt"), -1, "an unknown extension");
}

static void test_writes_and_replaces(void)
{
	table *t = csv(films_csv), *back;
	reel_error err = REEL_ERROR_INIT;
	char *want = rendered(t, FORMAT_CSV), *got;
	size_t length;
	struct stat info;
	spit(in_folder("films.csv"), "an older, longer file\nwith more lines\nthan now\n"
	     "an older, longer file\nwith more lines\nthan now\n");
	chmod(in_folder("films.csv"), 0640);
	is_integer(save_all(t, FORMAT_CSV, in_folder("films.csv"), &err), 0, "save_rows");
	got = slurp(in_folder("films.csv"), &length);
	is_string(got, want, "the file holds what format_rows gives, and only that");
	stat(in_folder("films.csv"), &info);
	is_integer(info.st_mode & 0777, 0640, "the replaced file's permissions are kept");
	is_integer(files_in_folder(), 1, "no temporary file is left");
	back = read_catalogue(in_folder("films.csv"), NULL, &err);
	ok(back != NULL && back->row_count == 4, "it reads back");
	ok(back != NULL && table_is_null(back, 2, 2) && !table_is_null(back, 2, 1),
	   "a null and an empty string stay apart");
	table_free(back);
	free(got);
	free(want);
	unlink(in_folder("films.csv"));
	table_free(t);
}

static void test_gzip(void)
{
	table *t = csv(films_csv), *back;
	reel_error err = REEL_ERROR_INIT;
	size_t length;
	char *got;
	is_integer(save_all(t, FORMAT_JSON, in_folder("films.json.gz"), &err), 0, "save to .gz");
	got = slurp(in_folder("films.json.gz"), &length);
	ok(got != NULL && length > 2 && (unsigned char)got[0] == 0x1f &&
	   (unsigned char)got[1] == 0x8b, "the file is gzip");
	back = read_catalogue(in_folder("films.json.gz"), NULL, &err);
	ok(back != NULL && back->row_count == 4 && back->column_count == 3,
	   "and reads back as the JSON it holds");
	table_free(back);
	free(got);
	unlink(in_folder("films.json.gz"));
	table_free(t);
}

static void test_missing_folder(void)
{
	table *t = csv(films_csv);
	reel_error err = REEL_ERROR_INIT;
	char path[256];
	snprintf(path, sizeof path, "%s/missing/films.csv", folder);
	is_integer(save_all(t, FORMAT_CSV, path, &err), -1, "a missing folder fails");
	ok(strncmp(err.message, path, strlen(path)) == 0, "naming the path: %s", err.message);
	is_integer(files_in_folder(), 0, "nothing is made");
	table_free(t);
}

/* Rows enough for several blocks of output. */
static table *many_films(void)
{
	size_t n = 20000, i, room = n * 40 + 32, used;
	char *text = malloc(room);
	table *t;
	used = (size_t)snprintf(text, room, "title,year\n");
	for (i = 0; i < n; i++)
		used += (size_t)snprintf(text + used, room - used, "Film number %zu,%zu\n",
		                         i, 1900 + i % 120);
	t = csv(text);
	free(text);
	return t;
}

/* A write that fails at block 1, 2, ...: each time -1, a message, the old
** file as it was and no temporary file. */
static void test_failed_writes(void)
{
	table *t = many_films();
	const char *old = "title,year\nThe old file,1999\n";
	char *want = rendered(t, FORMAT_CSV), *got;
	size_t blocks = strlen(want) / SAVE_BLOCK + 1, n, length;
	bool untouched = true, said = true, tidy = true;
	ok(blocks >= 3, "the output takes %zu blocks", blocks);
	spit(in_folder("keep.csv"), old);
	for (n = 1; n <= blocks; n++) {
		reel_error err = REEL_ERROR_INIT;
		save_fail_after(n);
		if (save_all(t, FORMAT_CSV, in_folder("keep.csv"), &err) != -1)
			untouched = false;
		got = slurp(in_folder("keep.csv"), &length);
		untouched = untouched && got != NULL && strcmp(got, old) == 0;
		said = said && strstr(err.message, "keep.csv: cannot write: ") != NULL;
		tidy = tidy && files_in_folder() == 1;
		free(got);
	}
	save_fail_after(0);
	for (n = 1; n <= 2; n++) {
		reel_error err = REEL_ERROR_INIT;
		spit(in_folder("keep.csv.gz"), old);
		save_fail_after(n);
		if (save_all(t, FORMAT_CSV, in_folder("keep.csv.gz"), &err) != -1)
			untouched = false;
		got = slurp(in_folder("keep.csv.gz"), &length);
		untouched = untouched && got != NULL && strcmp(got, old) == 0;
		said = said && strstr(err.message, "keep.csv.gz: cannot write: ") != NULL;
		tidy = tidy && files_in_folder() == 2;
		free(got);
		unlink(in_folder("keep.csv.gz"));
	}
	save_fail_after(0);
	ok(untouched, "a failed write at any block leaves the old file untouched");
	ok(said, "and says it could not write the path");
	ok(tidy, "and leaves no temporary file");
	is_integer(save_all(t, FORMAT_CSV, in_folder("keep.csv"), NULL), 0,
	           "with the hook off, the save goes through");
	got = slurp(in_folder("keep.csv"), &length);
	ok(got != NULL && strcmp(got, want) == 0, "whole");
	free(got);
	free(want);
	unlink(in_folder("keep.csv"));
	table_free(t);
}

/* Large outputs go out in slices of rows: the file is still exactly what
** format_rows gives for all the rows at once. */
static void test_slices(void)
{
	static const struct {
		format_kind kind;
		const char *name;
	} cases[] = {
		{FORMAT_CSV, "big.csv"}, {FORMAT_TSV, "big.tsv"}, {FORMAT_JSON, "big.json"},
		{FORMAT_MARKDOWN, "big.md"}, {FORMAT_LINES, "big.txt"},
		{FORMAT_JSON, "big.json.gz"}
	};
	table *t = many_films(), *back;
	reel_error err = REEL_ERROR_INIT;
	size_t i, length;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *want = rendered(t, cases[i].kind), *got;
		bool packed = strstr(cases[i].name, ".gz") != NULL;
		is_integer(save_all(t, cases[i].kind, in_folder(cases[i].name), &err), 0,
		           cases[i].name);
		got = slurp(in_folder(cases[i].name), &length);
		if (!packed)
			ok(got != NULL && strcmp(got, want) == 0,
			   "%s: the whole rendering, slice by slice", cases[i].name);
		free(got);
		free(want);
	}
	back = read_catalogue(in_folder("big.json.gz"), NULL, &err);
	ok(back != NULL && back->row_count == t->row_count, "gzip in slices reads back whole");
	ok(back != NULL && strcmp(table_string_at(back, 0, 19999), "Film number 19999") == 0,
	   "to the last film");
	table_free(back);
	back = read_catalogue(in_folder("big.json"), NULL, &err);
	ok(back != NULL && back->row_count == t->row_count, "JSON in slices reads back");
	table_free(back);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		unlink(in_folder(cases[i].name));
	table_free(t);
}

static void test_out_of_memory(void)
{
	table *t = csv(films_csv);
	selection *all = selection_all(t);
	size_t before = reel_memory_used();
	unsigned long n;
	int status = -1;
	bool clean = true, tidy = true;
	for (n = 1; status != 0 && n < 200; n++) {
		reel_error err = REEL_ERROR_INIT;
		reel_memory_fail_after(n);
		status = save_rows(t, all, FORMAT_CSV, NULL, in_folder("m.csv.gz"), &err);
		reel_memory_fail_after(0);
		if (status != 0) {
			clean = clean && reel_memory_used() == before;
			tidy = tidy && files_in_folder() == 0;
		}
	}
	ok(status == 0 && n > 2, "a save succeeds once memory lasts (%lu tries)", n - 1);
	ok(clean, "each failure frees what it took");
	ok(tidy, "and leaves no file");
	unlink(in_folder("m.csv.gz"));
	selection_free(all);
	table_free(t);
}

int main(void)
{
	if (mkdtemp(folder) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_formats_from_paths();
	test_writes_and_replaces();
	test_gzip();
	test_missing_folder();
	test_failed_writes();
	test_slices();
	test_out_of_memory();
	rmdir(folder);
	return done_testing();
}
