/*
** value.c: the order of values (see value.h). Relies on the C library's
** math only. Pure C.
*/
#include "value.h"

#include <math.h>
#include <string.h>

/* {====== Values ====== */

/* Kinds in value order: numbers, then booleans, strings, null. */
static int kind_rank(value_kind kind)
{
	switch (kind) {
	case VALUE_INTEGER: case VALUE_NUMBER: return 0;
	case VALUE_BOOLEAN: return 1;
	case VALUE_STRING: return 2;
	case VALUE_DATE: return 3;
	default: return 4;
	}
}

int value_order_strings(const char *a, size_t a_length, const char *b,
                        size_t b_length)
{
	int c = memcmp(a, b, a_length < b_length ? a_length : b_length);
	if (c != 0)
		return c < 0 ? -1 : 1;
	return value_order_of(a_length < b_length, a_length > b_length);
}

int value_order_numbers(double a, double b)
{
	if (isnan(a) || isnan(b))
		return value_order_of(!isnan(a), !isnan(b));
	return value_order_of(a < b, a > b);
}

/* An integer against a double without rounding the integer: compare with
** the double's whole part (which fits int64 once in range), then its
** fraction. */
static int integer_number_order(int64_t i, double d)
{
	double whole;
	int64_t w;
	if (isnan(d) || d >= VALUE_TWO_TO_63)
		return -1;
	if (d < -VALUE_TWO_TO_63)
		return 1;
	whole = trunc(d);
	w = (int64_t)whole;
	if (i != w)
		return value_order_of(i < w, i > w);
	return value_order_of(d > whole, d < whole);
}

static int numeric_order(const value *a, const value *b)
{
	if (a->kind == VALUE_INTEGER && b->kind == VALUE_INTEGER)
		return value_order_of(a->as.integer < b->as.integer,
		                a->as.integer > b->as.integer);
	if (a->kind == VALUE_INTEGER)
		return integer_number_order(a->as.integer, b->as.number);
	if (b->kind == VALUE_INTEGER)
		return -integer_number_order(b->as.integer, a->as.number);
	return value_order_numbers(a->as.number, b->as.number);
}

int value_compare(const value *a, const value *b)
{
	int ra = kind_rank(a->kind), rb = kind_rank(b->kind);
	if (ra != rb)
		return ra < rb ? -1 : 1;
	switch (ra) {
	case 0: return numeric_order(a, b);
	case 1: return value_order_of(!a->as.boolean && b->as.boolean,
	                        a->as.boolean && !b->as.boolean);
	case 2: return value_order_strings(a->as.string.text, a->as.string.length,
	                            b->as.string.text, b->as.string.length);
	case 3: return value_order_of(a->as.integer < b->as.integer,
	                              a->as.integer > b->as.integer);
	default: return 0;
	}
}
const char *value_kind_plural(value_kind kind)
{
	switch (kind) {
	case VALUE_INTEGER: return "integers";
	case VALUE_NUMBER: return "numbers";
	case VALUE_BOOLEAN: return "booleans";
	case VALUE_STRING: return "strings";
	case VALUE_DATE: return "dates";
	default: return "nulls";
	}
}
/* }====== */
