/*
** template.c: row templates (see template.h). A template is parsed once into
** parts, literal text (kept, unescaped, in one buffer) and columns, then
** rendered for every row. Relies on table.h for column names, format.h for
** cells as text and memory.h. Pure C: no Lua here.
*/
#include "template.h"

#include <string.h>

#include "format.h"
#include "memory.h"

static template_part *template_push(film_template *tp)
{
	if (tp->count == tp->capacity) {
		size_t capacity = tp->capacity ? tp->capacity * 2 : 8;
		template_part *grown =
			reel_realloc(tp->parts, capacity * sizeof *grown);
		if (grown == NULL)
			return NULL;
		tp->parts = grown;
		tp->capacity = capacity;
	}
	return &tp->parts[tp->count++];
}

/* Adds literal text, joined to the part before when that is literal too. */
static int template_literal(film_template *tp, const char *s, size_t length)
{
	template_part *part = tp->count ? &tp->parts[tp->count - 1] : NULL;
	if (part == NULL || part->is_column) {
		part = template_push(tp);
		if (part == NULL)
			return -1;
		part->is_column = false;
		part->start = tp->literals.length;
		part->length = 0;
	}
	text_buffer_append(&tp->literals, s, length);
	part->length += length;
	return tp->literals.failed ? -1 : 0;
}

static void template_unknown(const table *t, const char *name, reel_error *err)
{
	const char *close = table_closest_column(t, name);
	if (close != NULL)
		error_set(err, REEL_ERROR_ARGUMENT, "template: no column '%s' (did you mean '%s'?)",
		          name, close);
	else
		error_set(err, REEL_ERROR_ARGUMENT, "template: no column '%s'", name);
}

/* The placeholder whose '{' is at text[*at]: adds its column and moves *at
** past its '}'. A '{' inside a name means the first one was never closed. */
static int template_column(film_template *tp, const table *t,
                           const char *text, size_t *at, reel_error *err)
{
	size_t start = *at + 1, length = strcspn(text + start, "{}");
	char *name;
	int index;
	template_part *part;
	if (text[start + length] != '}') {
		error_set(err, REEL_ERROR_ARGUMENT, "template: unclosed '{' at offset %zu", start);
		return -1;
	}
	name = reel_strndup(text + start, length);
	if (name == NULL)
		return error_memory(err, NULL);
	index = table_column_index(t, name);
	if (index < 0)
		template_unknown(t, name, err);
	reel_free(name);
	if (index < 0)
		return -1;
	part = template_push(tp);
	if (part == NULL)
		return error_memory(err, NULL);
	part->is_column = true;
	part->column = (size_t)index;
	*at = start + length + 1;
	return 0;
}

/* Reads the piece of template at text[*at] and moves *at past it. Each
** piece is scanned once, so parsing stays linear in the template. */
static int template_piece(film_template *tp, const table *t,
                          const char *text, size_t *at, reel_error *err)
{
	char c = text[*at];
	bool doubled = (c == '{' || c == '}') && text[*at + 1] == c;
	size_t length = doubled ? 1 : strcspn(text + *at, "{}");
	if (c == '{' && !doubled)
		return template_column(tp, t, text, at, err);
	if (c == '}' && !doubled) {
		error_set(err, REEL_ERROR_ARGUMENT, "template: unmatched '}' at offset %zu "
		          "(write '}}' for a brace)", *at + 1);
		return -1;
	}
	if (template_literal(tp, text + *at, length) != 0)
		return error_memory(err, NULL);
	*at += doubled ? 2 : length;
	return 0;
}

int template_parse(film_template *tp, const table *t, const char *text,
                   reel_error *err)
{
	size_t at = 0, length = strlen(text);
	tp->parts = NULL;
	tp->count = tp->capacity = 0;
	text_buffer_init(&tp->literals);
	while (at < length)
		if (template_piece(tp, t, text, &at, err) != 0)
			return -1;
	return 0;
}

void template_free(film_template *tp)
{
	reel_free(tp->parts);
	text_buffer_free(&tp->literals);
}

void template_render(const film_template *tp, const table *t, row_id row,
                     text_buffer *out)
{
	size_t i;
	for (i = 0; i < tp->count; i++) {
		const template_part *part = &tp->parts[i];
		if (part->is_column) {
			value v = table_value(t, part->column, row);
			format_value(&v, out);
		} else
			text_buffer_append(out, tp->literals.data + part->start,
			                   part->length);
	}
}
