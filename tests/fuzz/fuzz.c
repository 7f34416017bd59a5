/*
** fuzz.c: helpers shared by the fuzz targets (see fuzz.h).
*/
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/memory.h"

static const char fixed_csv[] =
	"rank,title,original_title,year,duration,rating,seen,director,released\n"
	"1,Miracle in Cell No. 7,7번방의 선물,2013,127,8.2,true,Lee Hwan-kyung,2013-01-23\n"
	"2,Wedding Dress,웨딩드레스,2010,109,,false,Kwon Hyung-jin,2010-10-28T20:00:00Z\n"
	"3,\"Hope, again\",소원,2013,,7.9,true,,\\N\n"
	"4,,,,95,6.5,,\"Park \"\"Chan\"\"\",1969-12-31 23:59:59.5-01:00\n"
	"5,Silenced,도가니,2011,125,8.0,false,Hwang Dong-hyuk,2011-09-22\n";

char *fuzz_copy(const uint8_t *data, size_t size)
{
	char *copy;
	if (size == 0)
		return NULL;
	copy = malloc(size);
	if (copy == NULL)
		abort();
	memcpy(copy, data, size);
	return copy;
}

table *fuzz_fixed_table(void)
{
	static table *t;
	reel_error err = REEL_ERROR_INIT;
	if (t != NULL)
		return t;
	t = read_csv(fixed_csv, sizeof fixed_csv - 1, "fixed.csv", ',', &err);
	if (t == NULL || table_resolve_film_names(t) != 0) {
		fprintf(stderr, "fixed table: %s\n", err.message);
		abort();
	}
	return t;
}

void fuzz_format_all(const table *t)
{
	static const format_kind kinds[] = {
		FORMAT_TABLE, FORMAT_CSV, FORMAT_TSV, FORMAT_JSON,
		FORMAT_MARKDOWN, FORMAT_LINES
	};
	format_options opts = {NULL, 0, 3, 24, NULL};
	selection *all = selection_all(t);
	reel_error err = REEL_ERROR_INIT;
	size_t i;
	if (all == NULL)
		return;
	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		text_buffer out;
		text_buffer_init(&out);
		if (format_rows(t, all, kinds[i], &opts, &out, &err) != 0 &&
		    !out.failed && strstr(err.message, "memory") == NULL) {
			fprintf(stderr, "format %d failed: %s\n", (int)kinds[i], err.message);
			abort();
		}
		text_buffer_free(&out);
	}
	selection_free(all);
}

void fuzz_check_read(table *t)
{
	if (t != NULL) {
		if (table_resolve_film_names(t) == 0)
			fuzz_format_all(t);
		table_free(t);
	}
	fuzz_check_no_core_memory();
}

void fuzz_check_no_core_memory(void)
{
	if (reel_memory_used() != 0) {
		fprintf(stderr, "the core still holds %zu bytes\n",
		        reel_memory_used());
		abort();
	}
}
