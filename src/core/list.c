/*
** list.c: list columns (see list.h): walking a cell's elements, `has`, and
** flagging the columns that are lists. Relies on table.h. Pure C.
*/
#include "list.h"

#include <string.h>

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

void list_open(list_cursor *cursor, const column *c, const char *text,
               size_t length)
{
	cursor->at = length > 0 ? text : NULL;
	cursor->end = text + length;
	cursor->separator = c->list;
	cursor->separator_length = strlen(c->list);
}

/* Where the separator next occurs in [from, end), or end. */
static const char *separator_from(const list_cursor *cursor, const char *from)
{
	const char *s = cursor->separator, *last;
	size_t n = cursor->separator_length;
	if (n == 1) {
		const char *hit = memchr(from, s[0], (size_t)(cursor->end - from));
		return hit != NULL ? hit : cursor->end;
	}
	if ((size_t)(cursor->end - from) < n)
		return cursor->end;
	for (last = cursor->end - n; from <= last; from++) {
		const char *hit = memchr(from, s[0], (size_t)(last - from) + 1);
		if (hit == NULL)
			break;
		if (memcmp(hit, s, n) == 0)
			return hit;
		from = hit;
	}
	return cursor->end;
}

bool list_next(list_cursor *cursor, const char **element, size_t *length)
{
	while (cursor->at != NULL) {
		const char *start = cursor->at;
		const char *stop = separator_from(cursor, start);
		cursor->at = stop < cursor->end ? stop + cursor->separator_length : NULL;
		while (start < stop && is_blank(*start))
			start++;
		while (stop > start && is_blank(stop[-1]))
			stop--;
		if (stop > start) {
			*element = start;
			*length = (size_t)(stop - start);
			return true;
		}
	}
	return false;
}

size_t list_count(const column *c, const char *text, size_t length)
{
	list_cursor cursor;
	const char *element;
	size_t n = 0, size;
	list_open(&cursor, c, text, length);
	while (list_next(&cursor, &element, &size))
		n++;
	return n;
}

/* Whether a separator ends at `end` after only blanks from `from` back to
** it (a separator may hold blanks itself: "; "). */
static bool separator_before(const column *c, const char *text,
                             const char *from, size_t sep)
{
	for (;; from--) {
		if ((size_t)(from - text) >= sep &&
		    memcmp(from - sep, c->list, sep) == 0)
			return true;
		if (from == text || !is_blank(from[-1]))
			return false;
	}
}

/* Whether a separator starts at `from`, or after blanks from there. */
static bool separator_after(const column *c, const char *from,
                            const char *end, size_t sep)
{
	for (;; from++) {
		if ((size_t)(end - from) >= sep && memcmp(from, c->list, sep) == 0)
			return true;
		if (from == end || !is_blank(*from))
			return false;
	}
}

/* Whether the needle found at `at` (n bytes) is a whole element: only
** blanks lie between it and the cell's ends or a separator. */
static bool whole_element(const column *c, const char *text, size_t length,
                          const char *at, size_t n)
{
	size_t sep = strlen(c->list);
	const char *before = at, *after = at + n, *end = text + length;
	while (before > text && is_blank(before[-1]))
		before--;
	while (after < end && is_blank(*after))
		after++;
	return (before == text || separator_before(c, text, at, sep)) &&
	       (after == end || separator_after(c, at + n, end, sep));
}

/* A find of the needle then a look at its ends, rather than a walk of
** every element: most cells do not hold the needle at all. */
bool list_has(const column *c, const char *text, size_t length,
              const char *needle, size_t needle_length)
{
	const char *at = text, *end = text + length;
	if (needle_length == 0 || needle_length > length)
		return false;
	while ((size_t)(end - at) >= needle_length) {
		const char *hit = memchr(at, needle[0],
		                         (size_t)(end - at) - needle_length + 1);
		if (hit == NULL)
			return false;
		if (memcmp(hit, needle, needle_length) == 0 &&
		    whole_element(c, text, length, hit, needle_length))
			return true;
		at = hit + 1;
	}
	return false;
}

int list_has_folded(const column *c, const char *text, size_t length,
                    text_finder *f)
{
	list_cursor cursor;
	const char *element;
	size_t size;
	list_open(&cursor, c, text, length);
	while (list_next(&cursor, &element, &size)) {
		int same = text_finder_equals(f, element, size);
		if (same != 0)
			return same;
	}
	return 0;
}

int list_mark(table *t, size_t col, const char *separator, reel_error *err)
{
	column *c = &t->columns[col];
	size_t n = strlen(separator);
	if (n >= sizeof c->list)
		return error_set(err, REEL_ERROR_ARGUMENT, "lists: the separator of "
		                 "'%.200s' is longer than %zu bytes", c->name,
		                 sizeof c->list - 1);
	if (n > 0 && c->type != COLUMN_STRING)
		return error_set(err, REEL_ERROR_ARGUMENT, "lists: column '%.200s' "
		                 "holds %s, not text, so it cannot be a list", c->name,
		                 table_type_plural(c->type));
	memcpy(c->list, separator, n + 1);
	return 0;
}

/* Spelled as IMDb's datasets spell them: an export's "Directors" is one
** text, whose names may hold commas themselves. */
void list_mark_known(table *t)
{
	static const char *const known[] = {
		"genres", "directors", "writers", NULL
	};
	size_t i, k;
	for (i = 0; i < t->column_count; i++)
		for (k = 0; known[k] != NULL; k++)
			if (t->columns[i].type == COLUMN_STRING &&
			    !column_is_list(&t->columns[i]) &&
			    strcmp(t->columns[i].name, known[k]) == 0)
				memcpy(t->columns[i].list, ",", 2);
}
