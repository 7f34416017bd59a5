/*
** read_json_halves.c: a big JSON catalogue read in two halves at once (see
** read_json.h, read_halves.h), split at a line break near the middle; when
** the split is not between two objects, or anything goes wrong, read_json
** reads the text again whole, so errors name the same places. Relies on
** read_json.c for the parsing, read_halves.c and parallel.h. Pure C.
*/
#include "read_json.h"

#include <stdbool.h>
#include <string.h>

#include "memory.h"
#include "parallel.h"
#include "read_bytes.h"
#include "read_halves.h"

/* The first half must end just after an object (and, in an array, the
** comma after it): a split inside an object makes it fail, as it makes the
** second half fail, and the text is read whole, so a split is never taken
** for a boundary it is not. Each half's first pass learns its own columns
** and counts its objects;
** the second half's columns new to the first go after the first's (the
** order a reading of the whole finds them in), their shapes joined. Then
** both halves read their rows into parts of one builder, the second half
** borrowing the first's columns, which no longer change. */

typedef struct json_half {
	json_reader reader;
	size_t from;    /* the half's first byte */
	bool in_array;  /* the objects are an array's: the first half opens it
	                   and ends with a comma, the second closes it */
	bool is_first;
	reel_error err;
	bool read;      /* the last pass read the whole half */
	bool borrowing; /* the reader's columns are the first half's */
} json_half;

/* The objects of [h->from, reader.length), and nothing else. */
static bool read_half_objects(json_half *h)
{
	return read_json_objects(&h->reader, h->from, h->in_array, h->is_first);
}

static void *learn_half(void *context)
{
	json_half *h = context;
	h->read = read_half_objects(h);
	return NULL;
}

static int read_half_rows(void *context, table_builder *builder)
{
	json_half *h = context;
	h->reader.builder = builder;
	while (!read_half_objects(h)) {
		if (!h->reader.restart)
			return -1;
		h->reader.restart = false;
		table_builder_restart(builder);
	}
	return 0;
}

/* The second half borrows the first's columns for the second pass. */
static bool share_columns(json_half h[2])
{
	json_reader *second = &h[1].reader;
	const json_reader *first = &h[0].reader;
	read_json_close(second, true);
	h[1].borrowing = true;
	second->keys = first->keys;
	second->key_count = second->key_capacity = first->key_count;
	second->shapes = first->shapes;
	second->joiners = first->joiners;
	second->key_index = first->key_index;
	second->path = NULL;
	second->path_capacity = 0;
	second->scratch = NULL;
	second->scratch_capacity = second->scratch_length = 0;
	second->builder = NULL;
	second->cells = reel_calloc(first->key_count, sizeof *second->cells);
	return second->cells != NULL;
}

/* The first byte from `at` on that is no blank, or -1. */
static int peek_byte(const char *data, size_t length, size_t at)
{
	while (at < length && (data[at] == ' ' || data[at] == '\t' ||
	                       data[at] == '\n' || data[at] == '\r'))
		at++;
	return at < length ? (unsigned char)data[at] : -1;
}

/* Where the second half begins: after the first line break past the
** middle; 0 when the text is too short to split or opens with neither an
** object nor an array. */
static size_t split_lines(const char *data, size_t length, size_t first)
{
	const char *middle, *eol;
	int opening = peek_byte(data, length, first);
	if (length < READ_HALVES_AT_LEAST || (opening != '{' && opening != '['))
		return 0;
	middle = data + length / 2;
	eol = memchr(middle, '\n', length - length / 2);
	return eol != NULL ? (size_t)(eol + 1 - data) : 0;
}

static void start_halves(json_half h[2], const char *data, size_t length,
                         const char *name, size_t first, size_t split)
{
	bool in_array = peek_byte(data, length, first) == '[';
	size_t k;
	for (k = 0; k < 2; k++) {
		h[k].err = (reel_error)REEL_ERROR_INIT;
		read_json_start(&h[k].reader, data, k == 0 ? split : length, name,
		                &h[k].err);
		h[k].from = k == 0 ? first : split;
		h[k].read = h[k].borrowing = false;
		h[k].is_first = k == 0;
		h[k].in_array = in_array;
	}
}

static bool read_halves_rows(json_half h[2])
{
	json_reader *first = &h[0].reader;
	read_halves reading;
	int status;
	if (!read_json_start_rows(first) || !share_columns(h))
		return false;
	reading = (read_halves){first->builder, first->objects,
	                        first->objects + h[1].reader.objects,
	                        first->length + 1, h[1].reader.length + 2,
	                        read_half_rows, {&h[0], &h[1]}};
	status = read_halves_run(&reading);
	h[0].reader.builder = reading.builder;
	h[1].reader.builder = NULL; /* the part, joined or dropped by now */
	return status == 0;
}

int read_json_in_halves(const char *data, size_t length, const char *name,
                        reel_error *err, table **t)
{
	size_t first = read_check_bom(data, length) ? 3 : 0;
	size_t split = split_lines(data, length, first);
	json_half h[2];
	int status = -1;
	if (split == 0)
		return -1;
	start_halves(h, data, length, name, first, split);
	parallel_both(learn_half, &h[0], &h[1]);
	if (h[0].read && h[1].read &&
	    read_json_join_keys(&h[0].reader, &h[1].reader) && read_halves_rows(h)) {
		h[0].reader.err = err;
		*t = read_json_finish_rows(&h[0].reader);
		status = 0;
	}
	if (h[0].err.code == REEL_ERROR_STOPPED || h[1].err.code == REEL_ERROR_STOPPED) {
		*err = h[0].err.code == REEL_ERROR_STOPPED ? h[0].err : h[1].err;
		status = 0;
	}
	read_json_close(&h[1].reader, !h[1].borrowing);
	read_json_close(&h[0].reader, true);
	return status;
}
