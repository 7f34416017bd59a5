/*
** where_set.c: the `in` sets of a where (see where_set.h): each member
** read as the column holds it, kept once, and a hash index (hash.h) over
** a set larger than WHERE_SMALL_SET. Relies on where.c for reading the
** operands and memory.h. Pure C.
*/
#include "where_set.h"

#include <math.h>
#include <string.h>

#include "memory.h"

static uint64_t member_hash(const where_set *m, column_type type, size_t i)
{
	if (type == COLUMN_INTEGER || type == COLUMN_DATE)
		return hash_mix((uint64_t)m->integers[i]);
	if (type == COLUMN_NUMBER)
		return where_set_number_hash(m->numbers[i]);
	return hash_value(m->strings[i]);
}

/* Add set member v to the typed array of m (already sized). */
static void member_add(where_set *m, column_type type, const value *v)
{
	int64_t whole;
	double d;
	if (v->kind == VALUE_NULL) {
		m->has_null = true;
	} else if (type == COLUMN_INTEGER) {
		if (where_whole_value(v, &whole))
			m->integers[m->count++] = whole;
	} else if (type == COLUMN_DATE) {
		if (where_operand_date(v, &whole))
			m->integers[m->count++] = whole;
	} else if (type == COLUMN_NUMBER) {
		if (where_exact_double(v, &d) && !isnan(d))
			m->numbers[m->count++] = d;
	} else if (type == COLUMN_BOOLEAN) {
		*(v->as.boolean ? &m->has_true : &m->has_false) = true;
	} else {
		m->strings[m->count++] = v;
	}
}

int where_set_open(where_set *m, column_type type, const value *set,
                   size_t count)
{
	size_t size = type == COLUMN_INTEGER || type == COLUMN_DATE ? sizeof(int64_t) :
	              type == COLUMN_NUMBER ? sizeof(double) : sizeof(value *);
	void *items = reel_malloc((count + 1) * size);
	size_t i;
	memset(m, 0, sizeof *m);
	if (items == NULL)
		return -1;
	m->items = items;
	m->integers = items;
	m->numbers = items;
	m->strings = items;
	for (i = 0; i < count; i++)
		member_add(m, type, &set[i]);
	if (m->count <= WHERE_SMALL_SET)
		return 0;
	if (hash_index_open(&m->index, m->count) != 0) {
		where_set_close(m);
		return -1;
	}
	for (i = m->count; i-- > 0;)
		hash_index_add(&m->index, i, member_hash(m, type, i));
	return 0;
}

void where_set_close(where_set *m)
{
	reel_free(m->items);
	hash_index_free(&m->index);
}
