/*
** cell.h: what the text of one cell holds, for the table builder: the kinds
** it can be read as (integer, number, boolean), and its value once its
** column's type is settled. Pure C: no Lua here.
*/
#ifndef REEL_CELL_H
#define REEL_CELL_H

#include <locale.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a cell can be read as; a column keeps what all its cells allow. */
enum {
	KIND_INTEGER = 1,
	KIND_NUMBER = 2,
	KIND_BOOLEAN = 4,
	KIND_SEEN = 8,     /* the column has a non-null cell */
	KIND_OVERSIZED = 16, /* a whole number too large for 64 bits: no number,
	                       so that its column keeps every value exactly */
	KIND_DATE = 32,      /* an ISO date or date-time (date.h) */
	KIND_WRITTEN_DATE = 64 /* a date with a month's name: a column of dates
	                          keeps to one form, or stays text */
};
#define KINDS_ANY (KIND_INTEGER | KIND_NUMBER | KIND_BOOLEAN | KIND_DATE | \
                   KIND_WRITTEN_DATE)

/* strtod in the C locale, for the rare numbers the fast path declines. The
** locale is made once per use site (a finish, or one odd cell). */
typedef struct decimal_reader {
	locale_t c_locale;
	bool tried;
} decimal_reader;

bool cell_is_digit(char c);
/* What one non-null cell can be read as (s NUL-terminated at s[n]): KIND_*
** bits, 0 for text. */
unsigned cell_kinds(const char *s, size_t n);
/* A cell already known to be a date: its stamp (date.h). */
int64_t cell_date(const char *s, size_t n);
/* A cell already known to be an int64, so it cannot overflow. */
int64_t cell_integer(const char *s);
/* A cell already known to be a finite decimal, rounded correctly. */
double cell_number(const char *s, decimal_reader *dr);
void cell_decimal_close(decimal_reader *dr);

#endif
