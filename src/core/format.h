/*
** format.h: rendering selected rows as text.
** Formats: a box-drawn table aligned by display width (Hangul and other wide
** characters count as two cells, via utf8proc), CSV (RFC 4180), TSV (IMDb
** style, null as \N), JSON (an array of objects), JSON Lines (an object a
** line), Markdown, lines (one film a line), and templates with {column}
** placeholders. Rows go into a text buffer, or stream to a sink a slice at
** a time. Pure C: no Lua here.
*/
#ifndef REEL_FORMAT_H
#define REEL_FORMAT_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "selection.h"
#include "text.h"
#include "table.h"

typedef enum format_kind {
	FORMAT_TABLE,
	FORMAT_CSV,
	FORMAT_TSV,
	FORMAT_JSON,
	FORMAT_JSONL,
	FORMAT_MARKDOWN,
	FORMAT_LINES,
	FORMAT_TEMPLATE
} format_kind;

/* The format called `name` ("table", "csv", ...); -1 when there is none. */
int format_kind_from_name(const char *name);
/* The formats queries may print in by default (reel -o), in the order
** format_kind lists them: table csv tsv json jsonl markdown. */
#define format_is_output(kind) ((kind) >= FORMAT_TABLE && (kind) <= FORMAT_MARKDOWN)
/* The names joined by ", " ("table, csv, ..."): all of them, or only those
** of format_is_output. */
const char *format_names_list(bool outputs_only);

typedef struct format_options {
	const size_t *columns;     /* the columns shown, in order; NULL: all */
	size_t column_count;
	size_t max_rows;           /* table: rows shown before "... N more"; 0: all */
	size_t max_width;          /* table: cut cells with an ellipsis so each
	                              line fits this many cells; 0: no limit */
	const char *template_text; /* FORMAT_TEMPLATE: "{title} ({year})" */
} format_options;


/* The rows of `s` rendered as `kind`, appended to `out`. Returns 0, or -1
** with err filled: a template naming an unknown column or with an unclosed
** brace (err gives the offset), or memory ran out. In a template "{{" and
** "}}" stand for literal braces; each row yields one line. */
int format_rows(const table *t, const selection *s, format_kind kind,
                const format_options *opts, text_buffer *out, reel_error *err);

/* Takes the next piece of rendered text: 0, or -1 to stop (a failed
** write; the sink keeps its own reason). */
typedef int (*format_sink)(void *context, const char *text, size_t length);

/* As format_rows, but the text goes to `sink` in slices of about 64 KiB, cut
** where rows end, so memory stays flat whatever the number of rows; the
** bytes and rows that go out are counted by progress.h. Returns 0; or -1
** with err filled as format_rows does, or REEL_ERROR_IO when the sink
** stopped it. */
int format_write(const table *t, const selection *s, format_kind kind,
                 const format_options *opts, format_sink sink, void *context,
                 reel_error *err);

/* One film as a line: "Title (year, N min)", leaving out what the table
** lacks or holds null; a table without a title shows its first column. */
void format_film(const table *t, row_id row, text_buffer *out);

/* A cell as plain text (integers as %lld, numbers as Lua prints them, so 7.0
** stays "7.0", booleans true/false); null appends nothing. */
void format_value(const value *v, text_buffer *out);

/* Text as a terminal cell shows it: valid UTF-8, line breaks and tabs as
** spaces, other control characters as U+FFFD. */
void format_shown_text(const char *text, size_t length, text_buffer *out);

/* Text padded to `width` cells (on the left when `right`), or cut to
** width - 1 cells and an ellipsis when it is wider. */
void format_fitted(const char *text, size_t length, size_t width, bool right,
                   text_buffer *out);

/* Cells a UTF-8 string takes on a terminal; invalid bytes count as one
** cell each (they are shown as U+FFFD). */
size_t format_display_width(const char *text, size_t length);

#endif
