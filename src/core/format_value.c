/*
** format_value.c: one value as text, as every format writes it (see
** format.h): integers in decimal, numbers as Lua's tostring writes them,
** dates in ISO. Relies on text.h and date.h. Pure C.
*/
#include "format.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "date.h"
#include "text.h"

/* An integer in decimal; written by hand because printf is the slowest
** part of writing a large catalogue. */
static void format_integer(int64_t i, text_buffer *out)
{
	char text[24];
	char *p = text + sizeof text;
	uint64_t magnitude = i < 0 ? 0 - (uint64_t)i : (uint64_t)i;
	do {
		*--p = (char)('0' + magnitude % 10);
		magnitude /= 10;
	} while (magnitude > 0);
	if (i < 0)
		*--p = '-';
	text_buffer_append(out, p, (size_t)(text + sizeof text - p));
}

/* A number as Lua 5.4's tostring writes it: "%.14g", and ".0" added when
** that looks like an integer, so 7.0 never reads back as the integer 7.
** Whole numbers of up to 14 digits (what "%.14g" writes in full) skip
** printf; -0.0 keeps its sign. */
static void format_number(double x, text_buffer *out)
{
	char text[64];
	if (isnan(x) || isinf(x)) {
		text_buffer_append_string(out, isnan(x) ? "nan" : x < 0 ? "-inf" : "inf");
		return;
	}
	if (x == floor(x) && fabs(x) < 1e14 && (x != 0 || !signbit(x))) {
		format_integer((int64_t)x, out);
		text_buffer_append(out, ".0", 2);
		return;
	}
	snprintf(text, sizeof text, "%.14g", x);
	text_buffer_append_string(out, text);
	if (text[strspn(text, "-0123456789")] == '\0')
		text_buffer_append(out, ".0", 2);
}

void format_value(const value *v, text_buffer *out)
{
	switch (v->kind) {
	case VALUE_NULL:
		break;
	case VALUE_INTEGER:
		format_integer(v->as.integer, out);
		break;
	case VALUE_NUMBER:
		format_number(v->as.number, out);
		break;
	case VALUE_BOOLEAN:
		text_buffer_append_string(out, v->as.boolean ? "true" : "false");
		break;
	case VALUE_STRING:
		text_buffer_append(out, v->as.string.text, v->as.string.length);
		break;
	case VALUE_DATE: {
		char text[DATE_TEXT_SIZE];
		text_buffer_append(out, text, date_format(v->as.integer, text));
		break;
	}
	}
}
