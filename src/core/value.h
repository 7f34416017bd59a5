/*
** value.h: one cell's value as the operators see it, and the one order of
** values every operator shares (sort, top-k, group, aggregates, where).
** Pure C: no Lua here.
*/
#ifndef REEL_VALUE_H
#define REEL_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One cell's value, as the query and format layers see it. A string value
** points into the table's arena (or the caller's memory for operands). */
typedef enum value_kind {
	VALUE_NULL,
	VALUE_INTEGER,
	VALUE_NUMBER,
	VALUE_BOOLEAN,
	VALUE_STRING,
	VALUE_DATE     /* a date's stamp (date.h) in as.integer */
} value_kind;

typedef struct value {
	value_kind kind;
	union {
		int64_t integer;
		double number;
		bool boolean;
		struct {
			const char *text;
			size_t length;
		} string;
	} as;
} value;

/* 2^63 as a double: the first value past INT64_MAX. */
#define VALUE_TWO_TO_63 9223372036854775808.0

/* -1, 0 or 1 from two tests. */
static inline int value_order_of(bool less, bool greater)
{
	return less ? -1 : greater ? 1 : 0;
}

/* Order of two values: numbers (integers and doubles compared exactly),
** then booleans, then strings (bytewise), then dates (in time), nulls
** last; 0 when equal. */
int value_compare(const value *a, const value *b);
/* Bytewise, a prefix before the longer string. */
int value_order_strings(const char *a, size_t a_length, const char *b,
                        size_t b_length);
/* NaN after every number and equal to NaN: a total order. */
int value_order_numbers(double a, double b);
/* The kind in the plural ("integers"), for messages. */
const char *value_kind_plural(value_kind kind);

#endif
