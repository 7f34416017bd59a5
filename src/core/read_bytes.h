/*
** read_bytes.h: a catalogue's bytes before a reader parses them, shared by
** the read*.c files only: where the bytes come from (a mapped file, a file
** read whole, a stream; read_input.c), gzip inflated a piece at a time
** (read_gzip.c), the checks every reader makes of its bytes (read_check.c)
** and legacy encodings made UTF-8 (read_encoding.c). Pure C: no Lua here.
*/
#ifndef REEL_READ_BYTES_H
#define REEL_READ_BYTES_H

#include <stdbool.h>
#include <stddef.h>

#include <zlib.h>

#include "error.h"
#include "read.h"

/* A growing block of bytes (a reservation, memory.h), with room for a '\0'
** after them; what it holds is counted as it is filled (read_buffer_count). */
typedef struct read_buffer {
	char *data;
	size_t length;
	size_t capacity;
	size_t counted;  /* bytes counted as in use */
} read_buffer;

#define READ_BUFFER_INIT {NULL, 0, 0, 0}

/* Room for `more` bytes and a '\0' after `length`. 0, or -1 when memory
** runs out (the buffer is unchanged). */
int read_buffer_reserve(read_buffer *b, size_t more);
/* The bytes up to `length`, and its '\0', are counted as in use: called
** after each piece is written. 0, or -1 when the cap refuses them. */
int read_buffer_count(read_buffer *b);
void read_buffer_free(read_buffer *b);

/* What a file's first bytes say it is (read_check.c): text to read as
** CSV, TSV or JSON, a container reel reads (gzip, zip, SQLite), or a file
** of another kind (an image, a program, another archive). */
typedef enum read_kind {
	READ_KIND_TEXT,
	READ_KIND_GZIP,
	READ_KIND_ZIP,
	READ_KIND_SQLITE,
	READ_KIND_OTHER
} read_kind;
/* The kind of [data, data + length); *what (when not NULL) says it in
** words ("a PNG image"). */
read_kind read_check_kind(const char *data, size_t length, const char **what);

/* The first bytes of a catalogue looked at before reading: a file of
** another kind named (a PDF, a PNG image, ...), and NUL bytes refused; a
** container (gzip, zip, SQLite) passes, for its own reader. */
#define READ_CHECK_BYTES 4096
int read_check_start(const char *data, size_t length, const char *name,
                     reel_error *err);
/* How many of the first `length` bytes are valid UTF-8 without NUL: all of
** them, or where the first fault starts. */
size_t read_check_utf8(const char *text, size_t length);
/* The length of the UTF-8 sequence of two to four bytes at `text` (whose
** first byte is 0x80 or more), or 0 when it is not valid. */
size_t read_check_sequence(const char *text, size_t left);
/* The message for the fault at `text` (one read_check_utf8 stopped at),
** at most `size` bytes with its '\0'. */
void read_check_explain(const char *text, size_t left, char *message,
                        size_t size);
/* Whether data opens with a UTF-8 byte-order mark. */
bool read_check_bom(const char *data, size_t length);

/* Text in `encoding` (or UTF-16/32 with a byte-order mark, when DETECT)
** made UTF-8 in `out`; *done is false (and nothing made) when the text is
** to be read as it is. 0, or -1 with err filled (a character that cannot
** be, naming its line and column, or memory). */
int read_encoding_transcode(const char *data, size_t length,
                            read_encoding encoding, const char *name,
                            read_buffer *out, bool *done, reel_error *err);

/* The warning (read_warn) for a column kept as text because row `row`
** (0-based) holds a whole number too large for 64 bits. */
void read_warn_oversized(const char *name, const char *col, size_t row);

/* A catalogue's bytes, whatever they are (read_check_kind): a container's
** catalogue, or text in its encoding, read as read_catalogue_buffer reads
** it but without resolving the film names; `mapped` says the bytes are a
** file's mapping. A zip archive's members are read through it. NULL with
** err filled on failure. */
table *read_member(const char *data, size_t length, const char *name,
                   const read_options *opts, bool mapped, reel_error *err);

/* The table `table_name` of the SQLite database in [data, data + length)
** (read_sqlite.c), or its only table when NULL; the bytes are read where
** they lie, read-only, and must outlive the call. NULL with err filled. */
table *read_sqlite(const char *data, size_t length, const char *name,
                   const char *table_name, reel_error *err);

/* The catalogue in the zip archive in [data, data + length) (read_zip.c):
** opts->member, else its only catalogue, read by its own bytes (through
** read_member) as "NAME:MEMBER". NULL with err filled. */
table *read_zip(const char *data, size_t length, const char *name,
                const read_options *opts, reel_error *err);

/* A gzip stream inflated a piece at a time (read_gzip.c). */
typedef struct read_gzip {
	z_stream z;
	const char *name;
	size_t consumed;  /* compressed bytes taken */
	bool inflating;   /* z needs inflateEnd */
	bool ended;       /* a member ended: what follows is another, or padding */
	bool padding;     /* zero bytes after the last member */
	bool checked;     /* the first text was looked at (read_check_start) */
} read_gzip;
int read_gzip_start(read_gzip *g, const char *name, reel_error *err);
/* Inflates all of [data, data + n) onto `out`. 0, or -1 with err filled. */
int read_gzip_feed(read_gzip *g, const char *data, size_t n, read_buffer *out,
                   reel_error *err);
/* The input has ended: an error unless the last member was whole. */
int read_gzip_finish(read_gzip *g, read_buffer *out, reel_error *err);
void read_gzip_end(read_gzip *g);

/* A whole gzip file in memory inflated at once with libdeflate onto the
** empty `out` (read_gzip_whole.c); members one after another and zero
** padding allowed. `check`: its first text is looked at first
** (read_check_start). 0, or -1 with err filled (zlib's message for what
** libdeflate refuses). */
int read_gzip_whole(const char *data, size_t length, const char *name,
                    bool check, read_buffer *out, reel_error *err);

/* {====== Sources ====== */
/* A catalogue's bytes: mapped from a regular file, or read (and inflated)
** into `owned`. */
typedef struct read_input {
	const char *name;   /* for messages: the path, or "stdin" */
	const char *data;
	size_t length;
	bool mapped;        /* data is a private read-only mapping of the file */
	bool check;         /* the text is UTF-8: its first bytes are looked at */
	read_buffer owned;  /* data read or inflated into memory */
} read_input;

/* The bytes of `path` ("-": standard input), inflated when they are gzip;
** `check` says whether a stream's first bytes are looked at as UTF-8 text
** (read_check_start) before it is read to its end. 0, or -1 with err
** filled (nothing to close then). */
int read_input_open(read_input *in, const char *path, bool check,
                    reel_error *err);
void read_input_close(read_input *in);
/* }====== */

#endif
