/*
** fuzz_where.c: predicates decoded from arbitrary bytes, prepared and run
** once (where_once.h) on a small fixed table, then the result sorted,
** sliced, grouped and rendered. Whatever the predicates, the answer is a
** selection of rows that exist, or a refusal with a message; nothing may
** crash or leak.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/group.h"
#include "core/memory.h"
#include "core/sort.h"
#include "core/where.h"
#include "fuzz.h"
#include "../unit/where_once.h"

#define MAX_PREDICATES 8
#define MAX_SET 6

/* The input, read from the front; past its end every byte is 0. */
typedef struct byte_reader {
	const uint8_t *data;
	size_t size;
} byte_reader;

static uint8_t next_byte(byte_reader *r)
{
	uint8_t b = 0;
	if (r->size > 0) {
		b = *r->data++;
		r->size--;
	}
	return b;
}

static uint64_t next_word(byte_reader *r)
{
	uint64_t w = 0;
	int i;
	for (i = 0; i < 8; i++)
		w = w << 8 | next_byte(r);
	return w;
}

/* A value of a kind the input picks; strings point into the input. */
static value next_value(byte_reader *r)
{
	value v;
	uint64_t bits;
	memset(&v, 0, sizeof v);
	switch (next_byte(r) % 5) {
	case 0: v.kind = VALUE_NULL; break;
	case 1: v.kind = VALUE_INTEGER; v.as.integer = (int64_t)next_word(r); break;
	case 2:
		v.kind = VALUE_NUMBER;
		bits = next_word(r);
		memcpy(&v.as.number, &bits, sizeof bits); /* NaN and infinities too */
		break;
	case 3: v.kind = VALUE_BOOLEAN; v.as.boolean = next_byte(r) & 1; break;
	default:
		v.kind = VALUE_STRING;
		v.as.string.length = next_byte(r) % 16;
		if (v.as.string.length > r->size)
			v.as.string.length = r->size;
		v.as.string.text = (const char *)r->data;
		r->data += v.as.string.length;
		r->size -= v.as.string.length;
	}
	return v;
}

static void next_predicate(byte_reader *r, const table *t, predicate *p,
                           value *set)
{
	size_t i;
	p->column = next_byte(r) % t->column_count;
	p->op = (predicate_op)(next_byte(r) % (OP_NULL + 1));
	p->operand = next_value(r);
	p->upper = next_value(r);
	p->set_count = p->op == OP_IN ? next_byte(r) % (MAX_SET + 1) : 0;
	for (i = 0; i < p->set_count; i++)
		set[i] = next_value(r);
	p->set = set;
	p->no_accents = next_byte(r) & 1;
}

/* Every row of s exists in t. */
static void check_rows(const table *t, const selection *s)
{
	size_t i;
	for (i = 0; i < s->count; i++)
		if (s->rows[i] >= t->row_count)
			abort();
}

/* Sorts, slices, groups and renders the rows where kept. */
static void use_result(const table *t, const selection *s, byte_reader *r)
{
	sort_key key;
	selection *sorted, *slice;
	group_list *groups;
	key.column = next_byte(r) % t->column_count;
	key.descending = next_byte(r) & 1;
	key.collate = (collation)(next_byte(r) % COLLATE_COUNT);
	sorted = sort_rows(t, s, &key, 1);
	if (sorted != NULL) {
		check_rows(t, sorted);
		slice = selection_slice(sorted, next_byte(r), next_byte(r));
		selection_free(slice);
		selection_free(sorted);
	}
	groups = group_by(t, s, next_byte(r) % t->column_count);
	group_free(groups);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const table *t = fuzz_fixed_table();
	byte_reader r = {data, size};
	predicate predicates[MAX_PREDICATES];
	value sets[MAX_PREDICATES][MAX_SET];
	reel_error err = REEL_ERROR_INIT;
	size_t i, count = next_byte(&r) % (MAX_PREDICATES + 1);
	selection *all = selection_all(t), *kept;
	if (all == NULL)
		abort();
	for (i = 0; i < count; i++)
		next_predicate(&r, t, &predicates[i], sets[i]);
	err.message[0] = '\0';
	kept = where_once(t, all, predicates, count, &err);
	if (kept == NULL && err.message[0] == '\0') {
		fputs("where refused without a message\n", stderr);
		abort();
	}
	if (kept != NULL) {
		check_rows(t, kept);
		use_result(t, kept, &r);
		selection_free(kept);
	}
	selection_free(all);
	return 0;
}
