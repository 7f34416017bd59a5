/*
** format.h: rendering selected rows as text.
** Formats: a box-drawn table aligned by display width (Hangul and other wide
** characters count as two cells, via utf8proc), CSV (RFC 4180), TSV (IMDb
** style, null as \N), JSON (an array of objects), Markdown, lines (one film a
** line), and templates with {column} placeholders. Pure C: no Lua here.
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
	FORMAT_MARKDOWN,
	FORMAT_LINES,
	FORMAT_TEMPLATE
} format_kind;

/* The format called `name` ("table", "csv", ...); -1 when there is none. */
int format_kind_from_name(const char *name);

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

/* One film as a line: "Title (year, N min)", leaving out what the table
** lacks or holds null; a table without a title shows its first column. */
void format_film(const table *t, row_id row, text_buffer *out);

/* A cell as plain text (integers as %lld, numbers as Lua prints them, so 7.0
** stays "7.0", booleans true/false); null appends nothing. */
void format_value(const value *v, text_buffer *out);

/* Cells a UTF-8 string takes on a terminal; invalid bytes count as one
** cell each (they are shown as U+FFFD). */
size_t format_display_width(const char *text, size_t length);

#endif
