/*
** format.c: rendering selected rows as text (see format.h).
** Box tables and Markdown are aligned by display width, measured with
** utf8proc; CSV, TSV, JSON and JSON Lines (format_json.c), film lines and
** {column} templates (template.c) are written into a text_buffer, which a
** sink empties as rows end when the text streams out. Relies on table.h
** for cells and film names, progress.h to count what went out and
** memory.h for every allocation. Pure C: no Lua here.
*/
#include "format_writer.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <utf8proc.h>

#include "memory.h"
#include "progress.h"
#include "template.h"

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD, shown for a byte of no UTF-8 */
#define ELLIPSIS "…"                /* U+2026, one cell wide */

static int out_of_memory(reel_error *err)
{
	return error_memory(err, NULL);
}

/* {====== Text buffer helpers ====== */
/* Empty the buffer but keep its memory, for scratch text reused per cell. */
static void buffer_reset(text_buffer *b)
{
	b->length = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

static void buffer_repeat(text_buffer *b, const char *text, size_t times)
{
	size_t length = strlen(text);
	while (times-- > 0 && !b->failed)
		text_buffer_append(b, text, length);
}

static void buffer_spaces(text_buffer *b, size_t count)
{
	static const char spaces[] = "                                ";
	while (count > 0 && !b->failed) {
		size_t n = count < sizeof spaces - 1 ? count : sizeof spaces - 1;
		text_buffer_append(b, spaces, n);
		count -= n;
	}
}
/* }====== */

/* {====== Writing out ====== */
/* The text so far handed to the sink, and out emptied. */
void format_writer_flush(writer *w)
{
	if (w->sink == NULL || w->stopped || w->out->failed)
		return;
	if (w->out->length > 0 &&
	    w->sink(w->context, w->out->data, w->out->length) != 0)
		w->stopped = true;
	progress_add(w->out->length, w->rows);
	w->rows = 0;
	buffer_reset(w->out);
}
/* }====== */

/* {====== Values and widths ====== */
/* In the order of format_kind; a template is not named but written. */
static const char *const format_names[] = {
	"table", "csv", "tsv", "json", "jsonl", "markdown", "lines", NULL
};

int format_kind_from_name(const char *name)
{
	int i;
	for (i = 0; name != NULL && format_names[i] != NULL; i++)
		if (strcmp(name, format_names[i]) == 0)
			return i;
	return -1;
}

/* The names joined by ", ", made once: all of them, or those -o takes. */
const char *format_names_list(bool outputs_only)
{
	static char lists[2][128];
	char *list = lists[outputs_only];
	int i;
	if (list[0] != '\0')
		return list;
	for (i = 0; format_names[i] != NULL; i++) {
		if (outputs_only && !format_is_output(i))
			continue;
		if (list[0] != '\0')
			strcat(list, ", ");
		strcat(list, format_names[i]);
	}
	return list;
}

static size_t char_width(int32_t code)
{
	if (code < 0)
		return 1; /* shown as U+FFFD */
	if (code < 0x80)
		return code >= 0x20 && code < 0x7f ? 1 : 0;
	return (size_t)utf8proc_charwidth(code);
}

/* Cells as a terminal draws them (measured in tmux): code points by their
** width, but one joined to the one before by a zero-width joiner (U+200D,
** as in the emoji of a family) adds none: the sequence is one picture. A
** variation selector and a skin tone keep their own widths, as there. */
size_t format_display_width(const char *text, size_t length)
{
	size_t i = 0, width = 0;
	bool joined = false;
	while (i < length) {
		int32_t code;
		unsigned char c = (unsigned char)text[i];
		if (c >= 0x20 && c < 0x7f) { /* printable ASCII, the usual case */
			width++;
			i++;
			joined = false;
			continue;
		}
		i += next_char(text + i, length - i, &code);
		if (!joined)
			width += char_width(code);
		joined = code == 0x200D;
	}
	return width;
}

/* Bytes of the longest start of s that fits in `cells` cells (a wide
** character that would overhang is left out whole); its width in *width. */
static size_t fitting_prefix(const char *s, size_t length, size_t cells,
                             size_t *width)
{
	size_t i = 0, used = 0;
	while (i < length) {
		int32_t code;
		size_t n = next_char(s + i, length - i, &code);
		size_t w = char_width(code);
		if (used + w > cells)
			break;
		used += w;
		i += n;
	}
	*width = used;
	return i;
}
/* }====== */

/* {====== Cells for a terminal ====== */
typedef enum cell_style {
	CELL_TABLE,    /* line breaks and tabs become one space */
	CELL_MARKDOWN  /* line breaks become <br>, '|' is escaped */
} cell_style;

static bool is_control(int32_t code)
{
	return code < 0x20 || (code >= 0x7f && code < 0xa0);
}

/* What a character is shown as, or NULL when it is shown as itself. A CRLF
** pair is one line break, so *size may grow to take the LF too. Other
** control characters are replaced, so no escape sequence reaches the
** terminal and the measured width stays the shown width. */
static const char *shown_as(const char *s, size_t length, int32_t code,
                            cell_style style, size_t *size)
{
	bool markdown = style == CELL_MARKDOWN;
	if (code < 0)
		return REPLACEMENT;
	if (code == '|')
		return markdown ? "\\|" : NULL;
	if (code == '\r' && length > 1 && s[1] == '\n')
		*size = 2;
	if (code == '\r' || code == '\n')
		return markdown ? "<br>" : " ";
	if (code == '\t')
		return " ";
	return is_control(code) ? REPLACEMENT : NULL;
}

/* Appends s as it is shown in a cell: valid UTF-8 without control
** characters. Runs of plain text are copied in one piece. */
static void append_shown(const char *s, size_t length, cell_style style,
                         text_buffer *out)
{
	size_t start = 0, i = 0;
	while (i < length) {
		int32_t code;
		size_t size;
		const char *shown;
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f && c != '|') { /* shown as itself */
			i++;
			continue;
		}
		size = next_char(s + i, length - i, &code);
		shown = shown_as(s + i, length - i, code, style, &size);
		if (shown != NULL) {
			text_buffer_append(out, s + start, i - start);
			text_buffer_append_string(out, shown);
			start = i + size;
		}
		i += size;
	}
	text_buffer_append(out, s + start, length - start);
}

/* A cell's shown text (nothing for null). */
static void append_shown_cell(const table *t, size_t col, row_id row,
                              cell_style style, text_buffer *out)
{
	value v = table_value(t, col, row);
	if (v.kind == VALUE_STRING)
		append_shown(v.as.string.text, v.as.string.length, style, out);
	else
		format_value(&v, out); /* digits, signs, letters: nothing to hide */
}

static bool right_aligned(const table *t, size_t col)
{
	column_type type = t->columns[col].type;
	return type == COLUMN_INTEGER || type == COLUMN_NUMBER;
}

void format_shown_text(const char *text, size_t length, text_buffer *out)
{
	append_shown(text, length, CELL_TABLE, out);
}

/* Appends text padded to `width` cells, or cut to width - 1 cells and an
** ellipsis when it is wider. */
void format_fitted(const char *text, size_t length, size_t width,
                          bool right, text_buffer *out)
{
	size_t shown = format_display_width(text, length);
	bool cut = shown > width && width > 0;
	if (cut) { /* a space before the ellipsis would only look like a gap */
		length = fitting_prefix(text, length, width - 1, &shown);
		for (; length > 0 && text[length - 1] == ' '; length--)
			shown--;
		shown++;
	}
	if (right && shown < width)
		buffer_spaces(out, width - shown);
	text_buffer_append(out, text, length);
	if (cut)
		text_buffer_append_string(out, ELLIPSIS);
	if (!right && shown < width)
		buffer_spaces(out, width - shown);
}
/* }====== */

/* {====== Shown rows and columns ====== */
static int shown_open(shown_rows *v, const table *t, const selection *s,
                      const format_options *opts, reel_error *err)
{
	size_t i, count = opts->columns ? opts->column_count : t->column_count;
	v->t = t;
	v->s = s;
	v->column_count = count;
	v->columns = reel_malloc((count + 1) * sizeof *v->columns);
	if (v->columns == NULL)
		return out_of_memory(err);
	for (i = 0; i < count; i++) {
		v->columns[i] = opts->columns ? opts->columns[i] : i;
		if (v->columns[i] >= t->column_count) {
			error_set(err, REEL_ERROR_ARGUMENT, "format: no column %zu", v->columns[i] + 1);
			reel_free(v->columns);
			return -1;
		}
	}
	return 0;
}
/* }====== */

/* {====== Aligned layouts: box table and Markdown ====== */
#define MIN_CUT_WIDTH 3 /* a cut column still shows two cells and "…" */

typedef struct aligned_layout {
	const shown_rows *v;
	size_t row_count;  /* rows drawn (max_rows may hide the rest) */
	size_t *widths;    /* cells of each shown column */
	cell_style style;
	const char *bar;   /* between cells: "│" or "|" */
	text_buffer cell;  /* scratch: one cell's shown text */
} aligned_layout;

/* Puts the shown text of column i in l->cell: its header when `header`,
** else its cell in `row`. */
static void layout_cell(aligned_layout *l, size_t i, bool header, row_id row)
{
	const shown_rows *v = l->v;
	const char *name = column_name(v, i);
	buffer_reset(&l->cell);
	if (header)
		append_shown(name, strlen(name), l->style, &l->cell);
	else
		append_shown_cell(v->t, v->columns[i], row, l->style, &l->cell);
}

/* The widest shown text of a column, header included. */
static size_t column_width(aligned_layout *l, size_t i)
{
	size_t r, w, width;
	layout_cell(l, i, true, 0);
	width = format_display_width(l->cell.data, l->cell.length);
	for (r = 0; r < l->row_count && !l->cell.failed; r++) {
		layout_cell(l, i, false, l->v->s->rows[r]);
		w = format_display_width(l->cell.data, l->cell.length);
		if (w > width)
			width = w;
	}
	return width;
}

static int layout_open(aligned_layout *l, const shown_rows *v,
                       size_t row_count, cell_style style, reel_error *err)
{
	size_t i;
	l->v = v;
	l->row_count = row_count;
	l->style = style;
	l->bar = style == CELL_TABLE ? "│" : "|";
	text_buffer_init(&l->cell);
	l->widths = reel_malloc((v->column_count + 1) * sizeof *l->widths);
	if (l->widths == NULL)
		return out_of_memory(err);
	for (i = 0; i < v->column_count; i++)
		l->widths[i] = column_width(l, i);
	return 0;
}

/* Frees the layout; -1 when its scratch text or `out` ran out of memory. */
static int layout_close(aligned_layout *l, const text_buffer *out, reel_error *err)
{
	bool failed = l->cell.failed || out->failed;
	text_buffer_free(&l->cell);
	reel_free(l->widths);
	return failed ? out_of_memory(err) : 0;
}

/* One line of cells: the header when `header`, else the row. */
static void layout_line(aligned_layout *l, bool header, row_id row,
                        text_buffer *out)
{
	const shown_rows *v = l->v;
	size_t i;
	text_buffer_append_string(out, l->bar);
	for (i = 0; i < v->column_count; i++) {
		layout_cell(l, i, header, row);
		buffer_char(out, ' ');
		format_fitted(l->cell.data, l->cell.length, l->widths[i],
		              right_aligned(v->t, v->columns[i]), out);
		buffer_char(out, ' ');
		text_buffer_append_string(out, l->bar);
	}
	buffer_char(out, '\n');
}

static void layout_rows(aligned_layout *l, writer *w)
{
	size_t r;
	for (r = 0; r < l->row_count; r++) {
		layout_line(l, false, l->v->s->rows[r], w->out);
		if (!row_done(w))
			break;
	}
}
/* }====== */

/* {====== Box table ====== */
/* Cells of a table line: a bar, then each column's cells and " │ ". */
static size_t table_line_width(const aligned_layout *l)
{
	size_t i, width = 1;
	for (i = 0; i < l->v->column_count; i++)
		width += l->widths[i] + 3;
	return width;
}

/* Lowers the widest columns (all those tied, to the next width down or
** further) until `excess` cells are gone or every column is down to
** MIN_CUT_WIDTH. Each pass settles one width level, so it stays cheap. */
static size_t shrink_widest(aligned_layout *l, size_t excess)
{
	size_t i, widest = 0, next = MIN_CUT_WIDTH, ties = 0, room, drop, extra;
	for (i = 0; i < l->v->column_count; i++)
		if (l->widths[i] > widest)
			widest = l->widths[i];
	for (i = 0; i < l->v->column_count; i++) {
		if (l->widths[i] == widest)
			ties++;
		else if (l->widths[i] > next)
			next = l->widths[i];
	}
	if (widest <= MIN_CUT_WIDTH)
		return excess;
	room = (widest - next) * ties;
	drop = room <= excess ? widest - next : excess / ties;
	extra = room <= excess ? 0 : excess % ties; /* the leftmost lose one more */
	for (i = 0; i < l->v->column_count; i++) {
		if (l->widths[i] != widest)
			continue;
		l->widths[i] -= drop + (extra > 0);
		if (extra > 0)
			extra--;
	}
	return room <= excess ? excess - room : 0;
}

static void table_fit_width(aligned_layout *l, size_t max_width)
{
	size_t width = table_line_width(l), excess, left;
	if (max_width == 0 || width <= max_width)
		return;
	excess = width - max_width;
	while (excess > 0) {
		left = shrink_widest(l, excess);
		if (left == excess)
			break; /* nothing left to cut: the lines stay wider */
		excess = left;
	}
}

static void table_border(const aligned_layout *l, const char *left,
                         const char *middle, const char *right,
                         text_buffer *out)
{
	size_t i, count = l->v->column_count;
	text_buffer_append_string(out, left);
	for (i = 0; i < count; i++) {
		buffer_repeat(out, "─", l->widths[i] + 2);
		text_buffer_append_string(out, i + 1 < count ? middle : right);
	}
	buffer_char(out, '\n');
}

static void table_footer(const shown_rows *v, size_t drawn, text_buffer *out)
{
	char line[64];
	size_t hidden = v->s->count - drawn;
	if (v->s->count == 0)
		text_buffer_append_string(out, "(no rows)\n");
	else if (hidden > 0) {
		snprintf(line, sizeof line, "... %zu more %s\n", hidden,
		         hidden == 1 ? "row" : "rows");
		text_buffer_append_string(out, line);
	}
}

static int format_table(const shown_rows *v, const format_options *opts,
                        writer *w, reel_error *err)
{
	text_buffer *out = w->out;
	aligned_layout l;
	size_t drawn = v->s->count;
	if (v->column_count == 0) {
		text_buffer_append_string(out, "(no columns)\n");
		return 0;
	}
	if (opts->max_rows > 0 && opts->max_rows < drawn)
		drawn = opts->max_rows;
	if (layout_open(&l, v, drawn, CELL_TABLE, err) != 0)
		return -1;
	table_fit_width(&l, opts->max_width);
	table_border(&l, "┌", "┬", "┐", out);
	layout_line(&l, true, 0, out);
	if (drawn > 0)
		table_border(&l, "├", "┼", "┤", out);
	layout_rows(&l, w);
	table_border(&l, "└", "┴", "┘", out);
	table_footer(v, drawn, out);
	return layout_close(&l, out, err);
}
/* }====== */

/* {====== Markdown ====== */
/* GitHub's pipe table: the delimiter row needs three dashes, and a colon
** after them marks a right-aligned (numeric) column. */
static void markdown_delimiter(const aligned_layout *l, text_buffer *out)
{
	size_t i;
	buffer_char(out, '|');
	for (i = 0; i < l->v->column_count; i++) {
		bool right = right_aligned(l->v->t, l->v->columns[i]);
		buffer_char(out, ' ');
		buffer_repeat(out, "-", l->widths[i] - (right ? 1 : 0));
		text_buffer_append_string(out, right ? ": |" : " |");
	}
	buffer_char(out, '\n');
}

static int format_markdown(const shown_rows *v, writer *w, reel_error *err)
{
	text_buffer *out = w->out;
	aligned_layout l;
	size_t i;
	if (v->column_count == 0)
		return 0;
	if (layout_open(&l, v, v->s->count, CELL_MARKDOWN, err) != 0)
		return -1;
	for (i = 0; i < v->column_count; i++) {
		size_t least = right_aligned(v->t, v->columns[i]) ? 4 : 3;
		if (l.widths[i] < least)
			l.widths[i] = least;
	}
	layout_line(&l, true, 0, out);
	markdown_delimiter(&l, out);
	layout_rows(&l, w);
	return layout_close(&l, out, err);
}
/* }====== */

/* {====== CSV and TSV ====== */
/* RFC 4180 quotes a field holding the delimiter, a quote or a line break;
** leading or trailing blanks are quoted too so readers that trim keep them,
** and an empty string is quoted so it reads back as a string, not a null. */
static bool csv_needs_quotes(const char *s, size_t length)
{
	size_t i = 0;
	uint64_t x;
	if (length == 0)
		return true;
	if (s[0] == ' ' || s[0] == '\t' || s[length - 1] == ' ' ||
	    s[length - 1] == '\t')
		return true;
	for (; i + 8 <= length; i += 8) {
		memcpy(&x, s + i, 8);
		if ((lanes_equal(x, ',') | lanes_equal(x, '"') | lanes_equal(x, '\r') |
		     lanes_equal(x, '\n')) != 0)
			return true;
	}
	for (; i < length; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			return true;
	return false;
}

static void csv_field(const char *s, size_t length, text_buffer *out)
{
	size_t start = 0, i;
	if (!csv_needs_quotes(s, length)) {
		text_buffer_append(out, s, length);
		return;
	}
	buffer_char(out, '"');
	for (i = 0; i < length; i++)
		if (s[i] == '"') {
			text_buffer_append(out, s + start, i + 1 - start);
			start = i; /* the quote is written again: doubled */
		}
	text_buffer_append(out, s + start, length - start);
	buffer_char(out, '"');
}

/* TSV has no quoting at all: a tab or line break inside a value would end
** the field or the row, so each is written as a space. */
static void tsv_field(const char *s, size_t length, text_buffer *out)
{
	size_t start = 0, i;
	for (i = 0; i < length; i++)
		if (s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
			text_buffer_append(out, s + start, i - start);
			buffer_char(out, ' ');
			start = i + 1;
		}
	text_buffer_append(out, s + start, length - start);
}

typedef void (*field_writer)(const char *s, size_t length, text_buffer *out);

/* Header and rows, fields joined by `separator`; a null is `null_text`. */
static void format_delimited(const shown_rows *v, char separator,
                             field_writer field, const char *null_text,
                             writer *w)
{
	text_buffer *out = w->out;
	size_t i, r;
	for (i = 0; i < v->column_count; i++) {
		const char *name = column_name(v, i);
		if (i > 0)
			buffer_char(out, separator);
		field(name, strlen(name), out);
	}
	buffer_char(out, '\n');
	for (r = 0; r < v->s->count; r++) {
		for (i = 0; i < v->column_count; i++) {
			value cell = table_value(v->t, v->columns[i], v->s->rows[r]);
			if (i > 0)
				buffer_char(out, separator);
			if (cell.kind == VALUE_NULL)
				text_buffer_append_string(out, null_text);
			else if (cell.kind == VALUE_STRING)
				field(cell.as.string.text, cell.as.string.length, out);
			else
				format_value(&cell, out);
		}
		buffer_char(out, '\n');
		if (!row_done(w))
			break;
	}
}
/* }====== */

/* {====== Film lines ====== */
static bool film_has(const table *t, int col, row_id row)
{
	return col >= 0 && !table_is_null(t, (size_t)col, row);
}

static void film_cell(const table *t, int col, row_id row, text_buffer *out)
{
	value v = table_value(t, (size_t)col, row);
	format_value(&v, out);
}

void format_film(const table *t, row_id row, text_buffer *out)
{
	int title = table_column_index(t, "title");
	int year = table_column_index(t, "year");
	int duration = table_column_index(t, "duration");
	size_t start = out->length;
	bool has_year = film_has(t, year, row);
	bool has_duration = film_has(t, duration, row);
	if (title < 0 && t->column_count > 0)
		title = 0;
	if (title >= 0)
		film_cell(t, title, row, out);
	if (!has_year && !has_duration)
		return;
	text_buffer_append_string(out, out->length > start ? " (" : "(");
	if (has_year)
		film_cell(t, year, row, out);
	if (has_year && has_duration)
		text_buffer_append_string(out, ", ");
	if (has_duration) {
		film_cell(t, duration, row, out);
		text_buffer_append_string(out, " min");
	}
	buffer_char(out, ')');
}

static void format_lines(const table *t, const selection *s, writer *w)
{
	size_t r;
	for (r = 0; r < s->count; r++) {
		format_film(t, s->rows[r], w->out);
		buffer_char(w->out, '\n');
		if (!row_done(w))
			return;
	}
}
/* }====== */

/* {====== Templates ====== */
static int format_template(const table *t, const selection *s,
                           const char *text, writer *w, reel_error *err)
{
	film_template tp;
	size_t r, length;
	if (text == NULL) {
		error_set(err, REEL_ERROR_ARGUMENT, "template: no template text");
		return -1;
	}
	length = strlen(text);
	if (template_parse(&tp, t, text, err) != 0) {
		template_free(&tp);
		return -1;
	}
	for (r = 0; r < s->count; r++) {
		template_render(&tp, t, s->rows[r], w->out);
		if (length == 0 || text[length - 1] != '\n')
			buffer_char(w->out, '\n');
		if (!row_done(w))
			break;
	}
	template_free(&tp);
	return 0;
}
/* }====== */

/* {====== Formats ====== */
static int format_shown(const table *t, const selection *s, format_kind kind,
                        const format_options *opts, writer *w, reel_error *err)
{
	shown_rows v;
	int status = 0;
	if (shown_open(&v, t, s, opts, err) != 0)
		return -1;
	if (kind == FORMAT_TABLE)
		status = format_table(&v, opts, w, err);
	else if (kind == FORMAT_MARKDOWN)
		status = format_markdown(&v, w, err);
	else if (kind == FORMAT_CSV)
		format_delimited(&v, ',', csv_field, "", w);
	else if (kind == FORMAT_TSV)
		format_delimited(&v, '\t', tsv_field, "\\N", w);
	else
		status = format_json_kind(&v, kind, w, err);
	reel_free(v.columns);
	return status;
}

static int format_into(const table *t, const selection *s, format_kind kind,
                       const format_options *opts, writer *w, reel_error *err)
{
	static const format_options defaults = {NULL, 0, 0, 0, NULL};
	int status;
	if (opts == NULL)
		opts = &defaults;
	text_buffer_append(w->out, "", 0); /* even empty output is a string */
	if (kind == FORMAT_LINES) {
		format_lines(t, s, w);
		status = 0;
	} else if (kind == FORMAT_TEMPLATE)
		status = format_template(t, s, opts->template_text, w, err);
	else if (kind >= FORMAT_TABLE && kind <= FORMAT_MARKDOWN)
		status = format_shown(t, s, kind, opts, w, err);
	else {
		error_set(err, REEL_ERROR_ARGUMENT, "format: unknown format %d", (int)kind);
		return -1;
	}
	return status == 0 && w->out->failed ? out_of_memory(err) : status;
}

int format_rows(const table *t, const selection *s, format_kind kind,
                const format_options *opts, text_buffer *out, reel_error *err)
{
	writer w = {out, NULL, NULL, false, 0};
	return format_into(t, s, kind, opts, &w, err);
}

int format_write(const table *t, const selection *s, format_kind kind,
                 const format_options *opts, format_sink sink, void *context,
                 reel_error *err)
{
	text_buffer text;
	writer w = {&text, sink, context, false, 0};
	int status;
	text_buffer_init(&text);
	status = format_into(t, s, kind, opts, &w, err);
	if (status == 0)
		format_writer_flush(&w);
	text_buffer_free(&text);
	if (status == 0 && w.stopped)
		return error_set(err, REEL_ERROR_IO, "cannot write the rows");
	return status;
}
/* }====== */
