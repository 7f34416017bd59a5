/*
** where_set.h: the `in` sets of a where, for where.c and where_set.c only:
** a set's members as its column holds them (built in where_set.c), and the
** checks of a cell against them, inline because where.c's row loops make
** one a row. Everyone else uses where.h. Pure C: no Lua here.
*/
#ifndef REEL_WHERE_SET_H
#define REEL_WHERE_SET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "hash.h"
#include "table.h"
#include "value.h"

/* A set of this many members or fewer is searched in a line; a larger one
** through a hash index (hash.h) over its members. */
#define WHERE_SMALL_SET 8

/* The members of an in-set that can match the column: integers, numbers or
** strings by the column's type, each once. */
typedef struct where_set {
	void *items;       /* the one block behind the typed pointer in use */
	int64_t *integers;
	double *numbers;
	const value **strings;
	size_t count;
	hash_index index;  /* when count > WHERE_SMALL_SET */
	bool has_null, has_false, has_true;
} where_set;

/* The members of set[0 .. count-1] that can match a column of `type`:
** 0, or -1 when memory runs out. */
int where_set_open(where_set *m, column_type type, const value *set,
                   size_t count);
void where_set_close(where_set *m);

/* where.c's reading of an operand as a column of its type holds it: a
** whole number as an int64, a date (or text that reads as one) as its
** stamp, a number as a double when that loses nothing. */
bool where_whole_value(const value *v, int64_t *out);
bool where_operand_date(const value *v, int64_t *stamp);
bool where_exact_double(const value *v, double *out);

static inline uint64_t where_set_number_hash(double x)
{
	value v;
	v.kind = VALUE_NUMBER;
	v.as.number = x;
	return hash_value(&v);
}

static inline bool where_set_has_integer(const where_set *m, int64_t x)
{
	uint32_t p;
	size_t i;
	if (m->count <= WHERE_SMALL_SET) {
		for (i = 0; i < m->count; i++)
			if (m->integers[i] == x)
				return true;
		return false;
	}
	for (p = hash_index_first(&m->index, hash_mix((uint64_t)x)); p != 0;
	     p = hash_index_next(&m->index, p))
		if (m->integers[p - 1] == x)
			return true;
	return false;
}

static inline bool where_set_has_number(const where_set *m, double x)
{
	uint32_t p;
	size_t i;
	if (m->count <= WHERE_SMALL_SET) {
		for (i = 0; i < m->count; i++)
			if (m->numbers[i] == x)
				return true;
		return false;
	}
	for (p = hash_index_first(&m->index, where_set_number_hash(x)); p != 0;
	     p = hash_index_next(&m->index, p))
		if (m->numbers[p - 1] == x)
			return true;
	return false;
}

static inline bool where_set_same_text(const value *v, const char *text,
                                       size_t length)
{
	return v->as.string.length == length &&
	       memcmp(v->as.string.text, text, length) == 0;
}

static inline bool where_set_has_string(const where_set *m, const char *text,
                                        size_t length)
{
	uint32_t p;
	size_t i;
	if (m->count <= WHERE_SMALL_SET) {
		for (i = 0; i < m->count; i++)
			if (where_set_same_text(m->strings[i], text, length))
				return true;
		return false;
	}
	for (p = hash_index_first(&m->index, hash_bytes(text, length)); p != 0;
	     p = hash_index_next(&m->index, p))
		if (where_set_same_text(m->strings[p - 1], text, length))
			return true;
	return false;
}

#endif
