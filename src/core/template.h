/*
** template.h: row templates such as "{title} ({year})", parsed once into
** literal text and columns, then rendered for each row. "{{" and "}}" stand
** for literal braces. Used by format.c. Pure C: no Lua here.
*/
#ifndef REEL_TEMPLATE_H
#define REEL_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "table.h"
#include "text.h"

typedef struct template_part {
	bool is_column;
	size_t column;        /* is_column */
	size_t start, length; /* literal: its bytes in film_template.literals */
} template_part;

typedef struct film_template {
	template_part *parts;
	size_t count, capacity;
	text_buffer literals;
} film_template;

/* Parses `text` against the columns of `t`. 0, or -1 with err filled: an
** unknown column (naming the closest), an unclosed '{' or a lone '}' (with
** its offset), or memory. Free it with template_free either way. */
int template_parse(film_template *tp, const table *t, const char *text,
                   reel_error *err);
/* Appends one row rendered; nulls append nothing. */
void template_render(const film_template *tp, const table *t, row_id row,
                     text_buffer *out);
void template_free(film_template *tp);

#endif
