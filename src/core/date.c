/*
** date.c: reading and printing dates (see date.h). The days between a
** civil date and 1970-01-01 come from the proleptic Gregorian calendar's
** 400-year eras, so every year from 1 to 9999 is exact, leap days
** included. Relies on the C library only. Pure C.
*/
#include "date.h"

#include <stdio.h>
#include <string.h>

#define MICROS_PER_SECOND INT64_C(1000000)
#define MICROS_PER_DAY (INT64_C(86400) * MICROS_PER_SECOND)

/* {====== The calendar ====== */
static int64_t floor_divide(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static bool is_leap(int64_t year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int days_in_month(int64_t year, int month)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return month == 2 && is_leap(year) ? 29 : days[month - 1];
}

/* Days from 1970-01-01 to the date, in eras of 400 years (146,097 days)
** counted from March, so that a leap day ends its year. */
static int64_t days_from_civil(int64_t year, int month, int day)
{
	int64_t era, year_of_era, day_of_year, day_of_era;
	year -= month <= 2;
	era = floor_divide(year, 400);
	year_of_era = year - era * 400;
	day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
	day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
	return era * 146097 + day_of_era - 719468;
}

static void civil_from_days(int64_t days, int64_t *year, int *month, int *day)
{
	int64_t era, day_of_era, year_of_era, day_of_year, m;
	days += 719468;
	era = floor_divide(days, 146097);
	day_of_era = days - era * 146097;
	year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 -
	               day_of_era / 146096) / 365;
	day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
	m = (5 * day_of_year + 2) / 153;
	*day = (int)(day_of_year - (153 * m + 2) / 5 + 1);
	*month = (int)(m < 10 ? m + 3 : m - 9);
	*year = year_of_era + era * 400 + (*month <= 2);
}

int64_t date_from_civil(int64_t year, int month, int day)
{
	return days_from_civil(year, month, day) * MICROS_PER_DAY * 2;
}

bool date_has_time(int64_t stamp)
{
	return (stamp & 1) != 0;
}

static int64_t micros_of(int64_t stamp)
{
	return floor_divide(stamp, 2);
}

int64_t date_year(int64_t stamp)
{
	int64_t year;
	int month, day;
	civil_from_days(floor_divide(micros_of(stamp), MICROS_PER_DAY), &year,
	                &month, &day);
	return year;
}

int date_month(int64_t stamp)
{
	int64_t year;
	int month, day;
	civil_from_days(floor_divide(micros_of(stamp), MICROS_PER_DAY), &year,
	                &month, &day);
	return month;
}
/* }====== */

/* {====== Reading ====== */
typedef struct date_cursor {
	const char *text;
	size_t length;
	size_t at;
} date_cursor;

static bool at_char(const date_cursor *c, char ch)
{
	return c->at < c->length && c->text[c->at] == ch;
}

static bool skip_char(date_cursor *c, char ch)
{
	if (!at_char(c, ch))
		return false;
	c->at++;
	return true;
}

static bool is_digit_at(const date_cursor *c)
{
	return c->at < c->length && (unsigned char)(c->text[c->at] - '0') < 10;
}

/* Exactly `n` digits as a number, or -1. */
static int64_t digits(date_cursor *c, size_t n)
{
	int64_t x = 0;
	size_t i;
	for (i = 0; i < n; i++) {
		if (!is_digit_at(c))
			return -1;
		x = x * 10 + (c->text[c->at++] - '0');
	}
	return x;
}

/* One or two digits (a written day), or -1. */
static int64_t short_number(date_cursor *c)
{
	int64_t x = digits(c, 1);
	if (x >= 0 && is_digit_at(c))
		x = x * 10 + (c->text[c->at++] - '0');
	return x >= 0 && is_digit_at(c) ? -1 : x;
}

static bool valid_day(int64_t year, int64_t month, int64_t day)
{
	return year >= 1 && year <= 9999 && month >= 1 && month <= 12 &&
	       day >= 1 && day <= days_in_month(year, (int)month);
}

/* A fraction of a second, after its '.' or ',': microseconds (digits past
** the sixth are dropped), or -1 when there are no digits. */
static int64_t fraction(date_cursor *c)
{
	int64_t micros = 0, scale = 100000;
	size_t first = c->at;
	while (is_digit_at(c)) {
		micros += (c->text[c->at++] - '0') * scale;
		scale /= 10;
	}
	return c->at > first ? micros : -1;
}

/* A zone: Z, or +HH, +HHMM or +HH:MM (and -); its offset east of UTC in
** seconds in *offset. True when none is there, or a good one. */
static bool zone(date_cursor *c, int64_t *offset)
{
	int64_t hours, minutes = 0, sign;
	*offset = 0;
	if (skip_char(c, 'Z') || skip_char(c, 'z') || c->at == c->length)
		return true;
	if (!at_char(c, '+') && !at_char(c, '-'))
		return false;
	sign = c->text[c->at++] == '-' ? -1 : 1;
	if ((hours = digits(c, 2)) < 0 || hours > 23)
		return false;
	if (c->at < c->length) {
		skip_char(c, ':');
		if ((minutes = digits(c, 2)) < 0 || minutes > 59)
			return false;
	}
	*offset = sign * (hours * 3600 + minutes * 60);
	return true;
}

/* After an ISO date: [T or space]HH:MM[:SS[.fraction]][zone]. The time's
** microseconds from midnight, moved to UTC, in *micros. */
static bool iso_time(date_cursor *c, int64_t *micros)
{
	int64_t hour, minute, second = 0, part = 0, offset;
	if ((hour = digits(c, 2)) < 0 || hour > 23 || !skip_char(c, ':') ||
	    (minute = digits(c, 2)) < 0 || minute > 59)
		return false;
	if (skip_char(c, ':') && ((second = digits(c, 2)) < 0 || second > 59))
		return false;
	if ((skip_char(c, '.') || skip_char(c, ',')) && (part = fraction(c)) < 0)
		return false;
	if (!zone(c, &offset) || c->at != c->length)
		return false;
	*micros = (hour * 3600 + minute * 60 + second - offset) * MICROS_PER_SECOND + part;
	return true;
}

static bool parse_iso(date_cursor *c, int64_t *stamp)
{
	int64_t year = digits(c, 4), month, day, micros;
	if (year < 0 || !skip_char(c, '-') || (month = digits(c, 2)) < 0 ||
	    !skip_char(c, '-') || (day = digits(c, 2)) < 0 ||
	    !valid_day(year, month, day))
		return false;
	*stamp = date_from_civil(year, (int)month, (int)day);
	if (c->at == c->length)
		return true;
	if (!skip_char(c, 'T') && !skip_char(c, 't') && !skip_char(c, ' '))
		return false;
	if (!iso_time(c, &micros))
		return false;
	*stamp += micros * 2 + 1;
	/* an offset may move the first or last day out of the years read */
	return date_year(*stamp) >= 1 && date_year(*stamp) <= 9999;
}

/* A month's English name, whole or its first three letters ("Sept" too),
** in any case, with an optional '.' after a short one: 1-12, or -1. */
static int month_name(date_cursor *c)
{
	static const char *const names[] = {
		"january", "february", "march", "april", "may", "june", "july",
		"august", "september", "october", "november", "december"
	};
	char word[12];
	size_t n = 0, m;
	while (c->at < c->length && n < sizeof word &&
	       ((c->text[c->at] | 0x20) >= 'a' && (c->text[c->at] | 0x20) <= 'z'))
		word[n++] = (char)(c->text[c->at++] | 0x20);
	for (m = 0; m < 12; m++) {
		size_t whole = strlen(names[m]);
		bool shortened = (n == 3 || (n == 4 && m == 8)) && n < whole;
		if ((n == whole || shortened) && strncmp(word, names[m], n) == 0) {
			if (shortened)
				skip_char(c, '.');
			return (int)m + 1;
		}
	}
	return -1;
}

static bool spaces(date_cursor *c)
{
	size_t first = c->at;
	while (at_char(c, ' '))
		c->at++;
	return c->at > first;
}

/* "Jun 12 1998", "June 12, 1998", or "12 June 1998", "12 Jun 1998". */
static bool parse_written(date_cursor *c, int64_t *stamp)
{
	int64_t day, year;
	int month;
	if (is_digit_at(c)) {
		if ((day = short_number(c)) < 0 || !spaces(c) ||
		    (month = month_name(c)) < 0)
			return false;
		skip_char(c, ',');
	} else {
		if ((month = month_name(c)) < 0 || !spaces(c) ||
		    (day = short_number(c)) < 0)
			return false;
		skip_char(c, ',');
	}
	if (!spaces(c) || (year = digits(c, 4)) < 0 || c->at != c->length ||
	    !valid_day(year, month, day))
		return false;
	*stamp = date_from_civil(year, month, (int)day);
	return true;
}

bool date_parse(const char *text, size_t length, int64_t *stamp,
                date_form *form)
{
	date_cursor c = {text, length, 0};
	int64_t s = 0;
	date_form f = DATE_FORM_ISO;
	if (length < 10 || length > 64)
		return false;
	if (length > 4 && text[4] == '-') {
		if (!parse_iso(&c, &s))
			return false;
	} else {
		f = DATE_FORM_WRITTEN;
		if (!parse_written(&c, &s))
			return false;
	}
	if (stamp != NULL)
		*stamp = s;
	if (form != NULL)
		*form = f;
	return true;
}
/* }====== */

/* {====== Printing ====== */
size_t date_format(int64_t stamp, char out[DATE_TEXT_SIZE])
{
	int64_t micros = micros_of(stamp), days = floor_divide(micros, MICROS_PER_DAY);
	int64_t year, in_day = micros - days * MICROS_PER_DAY, seconds, part;
	int month, day, n;
	civil_from_days(days, &year, &month, &day);
	n = snprintf(out, DATE_TEXT_SIZE, "%04lld-%02d-%02d", (long long)year, month, day);
	if (!date_has_time(stamp))
		return (size_t)n;
	seconds = in_day / MICROS_PER_SECOND;
	part = in_day % MICROS_PER_SECOND;
	n += snprintf(out + n, DATE_TEXT_SIZE - (size_t)n, "T%02d:%02d:%02d",
	              (int)(seconds / 3600), (int)(seconds / 60 % 60), (int)(seconds % 60));
	if (part != 0) {
		int width = 6;
		while (part % 10 == 0) {
			part /= 10;
			width--;
		}
		n += snprintf(out + n, DATE_TEXT_SIZE - (size_t)n, ".%0*lld", width,
		              (long long)part);
	}
	out[n++] = 'Z';
	out[n] = '\0';
	return (size_t)n;
}
/* }====== */
