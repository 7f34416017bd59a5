/*
** read_json.h: inside the JSON reader, for its own files only (read_json.c
** parses the text in two passes, read_json_halves.c reads a big catalogue
** in two halves at once with it). Everyone else uses read.h's read_json.
** Pure C: no Lua here.
*/
#ifndef REEL_READ_JSON_H
#define REEL_READ_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "name_index.h"
#include "read.h"
#include "table.h"

/* One cell of the row being read: a span of the input, or of `unescaped`. */
typedef struct json_cell {
	size_t start;
	size_t length;
	bool present;
	bool is_null;
	bool in_scratch; /* the text is in the reader's unescaped buffer */
} json_cell;

typedef struct json_reader {
	bool restart;      /* a value column met text: read the rows again */
	const char *data;
	size_t length;
	size_t pos;
	const char *name;
	reel_error *err;
	bool failed;
	/* the columns: keys in first-seen order */
	char **keys;
	size_t key_count;
	size_t key_capacity;
	unsigned char *shapes; /* a column's SHAPE_* bits (read_json.c) */
	char *joiners;         /* a list column's joiner, once chosen */
	char *path;            /* the dotted name of the field being read */
	size_t path_capacity;
	name_index key_index;
	size_t checked_at;  /* where the stop request was last looked at */
	/* second pass: the row being read, and unescaped string text */
	table_builder *builder;
	json_cell *cells;
	char *scratch;
	size_t scratch_length;
	size_t scratch_capacity;
	/* progress.h: what the rows read so far have not yet counted */
	size_t counted, rows_uncounted;
	size_t objects;    /* read by the first pass */
} json_reader;

/* A reader of [data, data + length), named `name` in errors, which go to
** err; it holds nothing yet. */
void read_json_start(json_reader *r, const char *data, size_t length,
                     const char *name, reel_error *err);
/* Frees what the reader holds; the columns' names and index too, unless
** `keys_too` is false (a half that borrowed them). */
void read_json_close(json_reader *r, bool keys_too);
/* The second pass's builder, once the first has learnt the columns. */
bool read_json_start_rows(json_reader *r);
/* The table the second pass built (the builder consumed), or NULL. */
table *read_json_finish_rows(json_reader *r);
/* The objects of [from, r->length), and nothing else: a JSON Lines half,
** or an array's half (`first` opens it, the other closes it). */
bool read_json_objects(json_reader *r, size_t from, bool in_array, bool first);
/* The second half's columns joined to the first's, after them. */
bool read_json_join_keys(json_reader *first, const json_reader *second);

/* Reads big JSON Lines in halves: 0 with *t the table, or NULL when told
** to stop (err says so); -1 to read the text whole. */
int read_json_in_halves(const char *data, size_t length, const char *name,
                        reel_error *err, table **t);

#endif
