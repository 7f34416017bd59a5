/*
** format_json.c: selected rows as JSON, an array of objects one a line,
** or JSON Lines (see format.h): strings escaped by RFC 8259, runs of plain
** text copied whole, list cells as arrays, and each column's key escaped
** once for all the rows. Relies on format_writer.h, shared with format.c,
** and list.h. Pure C: no Lua here.
*/
#include "format_writer.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "list.h"
#include "memory.h"

static void json_escape(unsigned char c, text_buffer *out)
{
	char code[8];
	switch (c) {
	case '"': text_buffer_append_string(out, "\\\""); return;
	case '\\': text_buffer_append_string(out, "\\\\"); return;
	case '\n': text_buffer_append_string(out, "\\n"); return;
	case '\r': text_buffer_append_string(out, "\\r"); return;
	case '\t': text_buffer_append_string(out, "\\t"); return;
	case '\b': text_buffer_append_string(out, "\\b"); return;
	case '\f': text_buffer_append_string(out, "\\f"); return;
	}
	if (c >= 0x80) { /* a byte of no valid UTF-8 sequence */
		text_buffer_append_string(out, "\\ufffd");
		return;
	}
	snprintf(code, sizeof code, "\\u%04x", c);
	text_buffer_append_string(out, code);
}

/* The length of s's first stretch that JSON takes as it is: printable
** ASCII but the quote and the backslash. Eight bytes are checked at once
** (see "Eight bytes at once" in format_writer.h): most titles and
** descriptions are one stretch. */
static size_t json_plain_length(const char *s, size_t length)
{
	size_t i = 0;
	uint64_t x;
	for (; i + 8 <= length; i += 8) {
		memcpy(&x, s + i, 8);
		if ((lanes_below(x, 0x20) | lanes_equal(x, '"') | lanes_equal(x, '\\') |
		     (x & LANE_HIGHS)) != 0)
			break;
	}
	while (i < length && (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x80 &&
	       s[i] != '"' && s[i] != '\\')
		i++;
	return i;
}

/* RFC 8259 string: valid UTF-8 passes through, runs copied whole. */
static void json_string(const char *s, size_t length, text_buffer *out)
{
	size_t start = 0, i = json_plain_length(s, length);
	buffer_char(out, '"');
	while (i < length) {
		unsigned char c = (unsigned char)s[i];
		int32_t code = 0;
		size_t size = 1;
		if (c >= 0x80)
			size = next_char(s + i, length - i, &code);
		if (c >= 0x20 && c != '"' && c != '\\' && code >= 0) {
			i += size;
			continue;
		}
		text_buffer_append(out, s + start, i - start);
		json_escape(c, out);
		start = ++i;
	}
	text_buffer_append(out, s + start, length - start);
	buffer_char(out, '"');
}

static void json_value(const value *v, text_buffer *out)
{
	if (v->kind == VALUE_NULL ||
	    (v->kind == VALUE_NUMBER && !isfinite(v->as.number)))
		text_buffer_append_string(out, "null"); /* JSON has no inf or nan */
	else if (v->kind == VALUE_STRING)
		json_string(v->as.string.text, v->as.string.length, out);
	else if (v->kind == VALUE_DATE) {
		buffer_char(out, '"'); /* ISO text needs no escapes */
		format_value(v, out);
		buffer_char(out, '"');
	} else
		format_value(v, out);
}

/* A list cell as a JSON array of its elements. */
static void json_list(const column *c, const value *v, text_buffer *out)
{
	list_cursor cursor;
	const char *element;
	size_t length;
	bool first = true;
	buffer_char(out, '[');
	list_open(&cursor, c, v->as.string.text, v->as.string.length);
	while (list_next(&cursor, &element, &length)) {
		if (!first)
			buffer_char(out, ',');
		json_string(element, length, out);
		first = false;
	}
	buffer_char(out, ']');
}

/* Each column's `"name":`, escaped once for all the rows: keys[i] starts
** at text.data + starts[i] and ends where keys[i + 1] starts. */
typedef struct json_keys {
	text_buffer text;
	size_t *starts;
} json_keys;

static bool json_keys_open(json_keys *k, const shown_rows *v)
{
	size_t i;
	text_buffer_init(&k->text);
	k->starts = reel_malloc((v->column_count + 1) * sizeof *k->starts);
	for (i = 0; k->starts != NULL && i < v->column_count; i++) {
		const char *name = column_name(v, i);
		k->starts[i] = k->text.length;
		json_string(name, strlen(name), &k->text);
		buffer_char(&k->text, ':');
	}
	if (k->starts != NULL)
		k->starts[v->column_count] = k->text.length;
	return k->starts != NULL && !k->text.failed;
}

static void json_keys_close(json_keys *k)
{
	text_buffer_free(&k->text);
	reel_free(k->starts);
}

static void json_object(const shown_rows *v, const json_keys *k, row_id row,
                        text_buffer *out)
{
	size_t i;
	buffer_char(out, '{');
	for (i = 0; i < v->column_count; i++) {
		const column *c = &v->t->columns[v->columns[i]];
		value cell = table_value(v->t, v->columns[i], row);
		if (i > 0)
			buffer_char(out, ',');
		text_buffer_append(out, k->text.data + k->starts[i],
		                   k->starts[i + 1] - k->starts[i]);
		if (cell.kind == VALUE_STRING && column_is_list(c))
			json_list(c, &cell, out);
		else
			json_value(&cell, out);
	}
	buffer_char(out, '}');
}

/* One object a line, so the output is easy to read and to grep. */
static void format_json(const shown_rows *v, const json_keys *k, writer *w)
{
	size_t r;
	if (v->s->count == 0) {
		text_buffer_append_string(w->out, "[]\n");
		return;
	}
	text_buffer_append_string(w->out, "[\n");
	for (r = 0; r < v->s->count; r++) {
		json_object(v, k, v->s->rows[r], w->out);
		text_buffer_append_string(w->out, r + 1 < v->s->count ? ",\n" : "\n");
		if (!row_done(w))
			return;
	}
	text_buffer_append_string(w->out, "]\n");
}

/* JSON Lines: each object on a line of its own, nothing around them. */
static void format_jsonl(const shown_rows *v, const json_keys *k, writer *w)
{
	size_t r;
	for (r = 0; r < v->s->count; r++) {
		json_object(v, k, v->s->rows[r], w->out);
		buffer_char(w->out, '\n');
		if (!row_done(w))
			return;
	}
}

int format_json_kind(const shown_rows *v, format_kind kind, writer *w,
                            reel_error *err)
{
	json_keys k;
	int status = 0;
	if (!json_keys_open(&k, v))
		status = error_memory(err, NULL);
	else if (kind == FORMAT_JSONL)
		format_jsonl(v, &k, w);
	else
		format_json(v, &k, w);
	json_keys_close(&k);
	return status;
}
