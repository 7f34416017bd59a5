/*
** list.h: list columns. A list is kept as a text column flagged with its
** separator (column.list): the cell is the list as it was written
** ("Drama,Romance"), and its elements are found by scanning it. So a list
** costs nothing over its text, prints as it was read, sorts and groups as
** that text, and an element is a span of the arena that an exploded
** column points at without a copy. Elements are trimmed of the blanks
** around them. Pure C: no Lua here.
*/
#ifndef REEL_LIST_H
#define REEL_LIST_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "table.h"
#include "text.h"

/* The separators a JSON array's elements are joined with, the first that
** none of a column's elements holds: the unit separator (a control
** character no film text has) only when every other one is taken. */
#define LIST_JOINERS ",|;\x1f"

/* Walks the elements of one list cell. */
typedef struct list_cursor {
	const char *at;     /* the rest of the cell; NULL once walked */
	const char *end;
	const char *separator;
	size_t separator_length;
} list_cursor;

#define column_is_list(c) ((c)->list[0] != '\0')

/* A cursor over the cell text[0 .. length-1] of list column `c`. An empty
** cell has no element. */
void list_open(list_cursor *cursor, const column *c, const char *text,
               size_t length);
/* The next element, trimmed, in *element and *length: false when none is
** left. An empty element (",,") is skipped. */
bool list_next(list_cursor *cursor, const char **element, size_t *length);
/* How many elements the cell has. */
size_t list_count(const column *c, const char *text, size_t length);
/* Whether an element of the cell is `needle` (its bytes). */
bool list_has(const column *c, const char *text, size_t length,
              const char *needle, size_t needle_length);

/* Whether an element of the cell, folded, is the finder's needle (case and
** accents folded away: where's has with accents = false): 1, 0, or -1 when
** memory runs out. */
int list_has_folded(const column *c, const char *text, size_t length,
                    text_finder *f);

/* Makes column `col` of `t` a list whose elements `separator` (1 to
** sizeof column.list - 1 bytes) parts; an empty
** separator makes it text again. 0, or -1 with err filled
** (REEL_ERROR_ARGUMENT) when the column holds no text or the separator
** does not fit. */
int list_mark(table *t, size_t col, const char *separator, reel_error *err);
/* The columns IMDb's datasets keep as comma-separated lists (genres,
** directors, writers), when they hold text. */
void list_mark_known(table *t);

#endif
