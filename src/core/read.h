/*
** read.h: the readers, which turn catalogue files into tables.
** Each reader takes a buffer and returns a table or an error; a failed read
** never yields a partial table. Error messages name the place at fault as
** "NAME:LINE:COLUMN: what is wrong" (lines and columns count from 1, columns
** in bytes). Every reader checks its bytes: a NUL byte, invalid UTF-8 or a
** second byte-order mark is an error. Long reads stop when told to
** (stop.h). Pure C: no Lua here.
*/
#ifndef REEL_READ_H
#define REEL_READ_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "table.h"

typedef enum catalogue_format {
	CATALOGUE_DETECT, /* from the extension, then the content */
	CATALOGUE_CSV,
	CATALOGUE_TSV,
	CATALOGUE_JSON
} catalogue_format;

/* How a catalogue's bytes are read: UTF-8, or UTF-16/UTF-32 when they open
** with a byte-order mark (READ_ENCODING_DETECT), or as the legacy encoding
** named, transcoded to UTF-8 before reading. */
typedef enum read_encoding {
	READ_ENCODING_DETECT,
	READ_ENCODING_UTF8,
	READ_ENCODING_LATIN1,
	READ_ENCODING_CP1252,
	READ_ENCODING_UTF16
} read_encoding;

/* The encoding a name stands for (utf-8, latin1, cp1252, utf-16 and their
** usual spellings, in any case); -1 when none. */
int read_encoding_from_name(const char *name);

typedef struct read_options {
	catalogue_format format;
	char delimiter; /* CSV only; '\0' detects among , ; tab | */
	read_encoding encoding;
	const char *table;  /* an SQLite database's table; NULL: its only one */
	const char *member; /* a zip archive's member; NULL: its only catalogue */
	/* The cell texts read as null (table_builder_set_nulls), NULL-terminated;
	** NULL: the defaults, `\N`, NULL, NA and N/A. */
	const char *const *nulls;
} read_options;

/* The options that detect everything, every other field zero: an option
** added later starts as its default (zero) everywhere. */
#define READ_OPTIONS_INIT {.format = CATALOGUE_DETECT}

/* CSV per RFC 4180 (quoted fields with commas, doubled quotes and line
** breaks; CRLF or LF; a UTF-8 byte-order mark skipped). The first row is the
** header. An empty unquoted field is null. `name` is used in messages. */
table *read_csv(const char *data, size_t length, const char *name,
                char delimiter, reel_error *err);

/* TSV as IMDb writes it: no quoting, "\N" is null. */
table *read_tsv(const char *data, size_t length, const char *name, reel_error *err);

/* JSON: an array of objects, or JSON Lines (one object after another). The
** columns are the union of the objects' keys in first-seen order, an object
** inside one flattened into dotted names (movie.title); a missing key is
** null, as is JSON null; an array of scalars is a list column (list.h), an
** array of arrays or objects its JSON text. */
table *read_json(const char *data, size_t length, const char *name, reel_error *err);

/* A whole file, in the format opts->format names or detects. `path` may be
** "-", standard input, named "stdin" in messages; a file that is not a
** regular one (a named pipe, /dev/fd/N, a terminal) is read as a stream;
** gzip is told by its first bytes. The film names are resolved
** (table_resolve_film_names). NULL with err filled on failure. */
table *read_catalogue(const char *path, const read_options *opts, reel_error *err);

/* A buffer, as read_catalogue would read it from a file called `name`. */
table *read_catalogue_buffer(const char *data, size_t length, const char *name,
                             const read_options *opts, reel_error *err);

catalogue_format read_format_from_name(const char *name);

/* Whether the first `length` bytes of `name` end with `suffix` (a lower-case
** extension with its dot, such as ".csv"), in any case; *stem (when not NULL)
** is then how long the name is without it. */
bool read_has_extension(const char *name, size_t length, const char *suffix,
                        size_t *stem);

/* {====== Mapped input ====== */
/* read_catalogue says (true) while the buffer it hands the CSV and TSV
** readers is a private read-only mapping of a file: they may then give its
** pages back once read, so a big catalogue is not resident twice (a page
** touched again comes back from the file). */
void read_csv_input_is_mapped(bool mapped);
/* }====== */

/* {====== Null markers ====== */
/* The null markers of the read under way (read_options.nulls), which the
** readers hand their builders; NULL: the defaults. */
const char *const *read_null_markers(void);
/* }====== */

/* {====== Warnings ====== */
/* Where a reader's warnings go (one line each, no newline), such as a
** whole number too large for 64 bits kept as text; none by default. */
typedef void read_warning_fn(void *context, const char *message);
void read_set_warning(read_warning_fn *warn, void *context);
/* Passes a warning on, printf-style. */
void read_warn(const char *format, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 1, 2)))
#endif
	;
/* }====== */


#endif
