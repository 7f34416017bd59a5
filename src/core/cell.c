/*
** cell.c: what a cell's text holds (see cell.h): the kinds it can be read
** as, and its integer or number, read exactly. Relies on the C library and
** POSIX's locales (numbers read the same whatever locale the front end
** set). Pure C.
*/
#include "cell.h"

#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "text.h"


/* Any decimal exponent up to this cannot overflow a double (DBL_MAX ~ 1.8e308). */
#define SAFE_MAGNITUDE 300
#define EXPONENT_CAP 100000L

bool cell_is_digit(char c)
{
	return (unsigned char)(c - '0') < 10;
}

static double decimal_by_strtod(decimal_reader *dr, const char *text)
{
	locale_t previous;
	double x;
	if (!dr->tried) {
		dr->c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
		dr->tried = true;
	}
	if (dr->c_locale == (locale_t)0)
		return strtod(text, NULL);
	previous = uselocale(dr->c_locale);
	x = strtod(text, NULL);
	uselocale(previous);
	return x;
}

void cell_decimal_close(decimal_reader *dr)
{
	if (dr->c_locale != (locale_t)0)
		freelocale(dr->c_locale);
	dr->c_locale = (locale_t)0;
	dr->tried = false;
}

/* Whether a decimal (NUL-terminated) is finite as a double. */
static bool finite_decimal(const char *text)
{
	decimal_reader dr = {(locale_t)0, false};
	double x = decimal_by_strtod(&dr, text);
	cell_decimal_close(&dr);
	return x - x == 0; /* false for inf (and nan) */
}

/* Kinds of the unsigned digits d[0..n): an int64 when they fit (with the
** sign), else text: as a double it would be rounded, and the whole column
** with it (its integers would all become doubles). */
static unsigned integer_kinds(const char *d, size_t n, bool negative)
{
	static const char largest[] = "9223372036854775807";
	static const char smallest[] = "9223372036854775808"; /* its magnitude */
	while (n > 1 && d[0] == '0')
		d++, n--;
	if (n < 19)
		return KIND_INTEGER | KIND_NUMBER;
	if (n == 19 && memcmp(d, negative ? smallest : largest, 19) <= 0)
		return KIND_INTEGER | KIND_NUMBER;
	return KIND_OVERSIZED;
}

/* Skips an exponent's digits at s[*i..n), returning its value capped. */
static long exponent_value(const char *s, size_t n, size_t *i)
{
	bool negative = false;
	long e = 0;
	size_t first;
	if (*i < n && (s[*i] == '+' || s[*i] == '-'))
		negative = s[(*i)++] == '-';
	for (first = *i; *i < n && cell_is_digit(s[*i]); (*i)++)
		if (e < EXPONENT_CAP)
			e = e * 10 + (s[*i] - '0');
	if (*i == first)
		*i = n + 1; /* no digits: not a number */
	return negative ? -e : e;
}

/* Kinds of a cell that starts like a number: [+-]digits[.digits][e[+-]digits].
** `s` is NUL-terminated at s[n] (it is the arena's copy). */
static unsigned numeric_kinds(const char *s, size_t n)
{
	size_t i = 0, whole, fraction = 0;
	bool negative = false;
	long exponent = 0;
	if (s[0] == '+' || s[0] == '-')
		negative = s[i++] == '-';
	for (whole = i; i < n && cell_is_digit(s[i]); i++)
		;
	whole = i - whole;
	if (i == n && whole > 0 && whole <= SAFE_MAGNITUDE)
		return integer_kinds(s + i - whole, whole, negative);
	if (i < n && s[i] == '.') {
		size_t first = ++i;
		while (i < n && cell_is_digit(s[i]))
			i++;
		fraction = i - first;
	}
	if (whole + fraction == 0)
		return 0;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		exponent = exponent_value(s, n, &i);
	}
	if (i != n)
		return 0;
	if ((long)whole + exponent > SAFE_MAGNITUDE && !finite_decimal(s))
		return 0;
	return KIND_NUMBER;
}

static bool is_word(const char *s, size_t n, const char *word)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (word[i] == '\0' || text_ascii_lower((unsigned char)s[i]) != word[i])
			return false;
	return word[n] == '\0';
}

/* A date's kind, by its form; 0 when it is none. */
static unsigned date_kinds(const char *s, size_t n)
{
	date_form form;
	if (!date_parse(s, n, NULL, &form))
		return 0;
	return form == DATE_FORM_ISO ? KIND_DATE : KIND_WRITTEN_DATE;
}

unsigned cell_kinds(const char *s, size_t n)
{
	unsigned kinds;
	if (n == 0)
		return 0; /* the empty string is a string */
	if (cell_is_digit(s[0]) || s[0] == '-' || s[0] == '+' || s[0] == '.') {
		kinds = numeric_kinds(s, n);
		return kinds == 0 && cell_is_digit(s[0]) ? date_kinds(s, n) : kinds;
	}
	if (is_word(s, n, "true") || is_word(s, n, "false"))
		return KIND_BOOLEAN;
	return date_kinds(s, n);
}

int64_t cell_date(const char *s, size_t n)
{
	int64_t stamp = 0;
	date_parse(s, n, &stamp, NULL);
	return stamp;
}

int64_t cell_integer(const char *s)
{
	bool negative = *s == '-';
	uint64_t magnitude = 0;
	if (*s == '-' || *s == '+')
		s++;
	for (; cell_is_digit(*s); s++)
		magnitude = magnitude * 10 + (uint64_t)(*s - '0');
	if (!negative || magnitude == 0)
		return (int64_t)magnitude;
	return -(int64_t)(magnitude - 1) - 1;
}

#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
#define EXACT_DOUBLE_ARITHMETIC 1
#else
#define EXACT_DOUBLE_ARITHMETIC 0
#endif

/* Every power of ten up to 1e22 is exact as a double. */
static const double powers_of_ten[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

typedef struct decimal_digits {
	uint64_t mantissa;
	int significant; /* digits after leading zeros; > 19 means inexact */
	long scale;      /* the value is mantissa * 10^scale */
} decimal_digits;

static void add_digit(decimal_digits *d, char c, bool after_point)
{
	if (d->significant == 0 && c == '0') {
		/* a leading zero adds nothing */
	} else if (d->significant++ < 19) {
		d->mantissa = d->mantissa * 10 + (uint64_t)(c - '0');
	} else if (!after_point) {
		d->scale++;
	}
	if (after_point && d->significant <= 19)
		d->scale--;
}

/* When the digits and the power of ten are both exact, one multiplication
** or division rounds correctly; anything else goes to strtod. */
double cell_number(const char *s, decimal_reader *dr)
{
	decimal_digits d = {0, 0, 0};
	const char *p = s;
	bool negative = *p == '-';
	double x;
	if (*p == '-' || *p == '+')
		p++;
	for (; cell_is_digit(*p); p++)
		add_digit(&d, *p, false);
	if (*p == '.')
		for (p++; cell_is_digit(*p); p++)
			add_digit(&d, *p, true);
	if (*p == 'e' || *p == 'E') {
		size_t i = 1, n = strlen(p);
		d.scale += exponent_value(p, n, &i);
	}
	if (!EXACT_DOUBLE_ARITHMETIC || d.significant > 19 ||
	    d.mantissa > ((uint64_t)1 << 53) || d.scale < -22 || d.scale > 22)
		return decimal_by_strtod(dr, s);
	x = (double)d.mantissa;
	x = d.scale < 0 ? x / powers_of_ten[-d.scale] : x * powers_of_ten[d.scale];
	return negative ? -x : x;
}
