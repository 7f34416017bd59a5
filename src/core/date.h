/*
** date.h: dates and date-times as one integer, a stamp: microseconds since
** 1970-01-01T00:00:00Z (UTC; a time with an offset is moved to UTC) times
** two, plus one when a time of day was given. Stamps order in time, a date
** alone before the same day's midnight, so sorting, comparing and grouping
** dates is integer work. Reads ISO 8601 ("1998-06-12", "1998-06-12T20:00:00Z",
** "1998-06-12 20:00:00.5+02:00") and the forms people write with a month's
** English name ("Jun 12 1998", "June 12, 1998", "12 June 1998"); prints
** ISO. Pure C: no Lua here.
*/
#ifndef REEL_DATE_H
#define REEL_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The forms a date is read in; a column of dates keeps to one. */
typedef enum date_form {
	DATE_FORM_ISO = 1,    /* 1998-06-12, with or without a time */
	DATE_FORM_WRITTEN = 2 /* with a month's name: Jun 12 1998, 12 June 1998 */
} date_form;

/* Room for any stamp's ISO text and its '\0'. */
#define DATE_TEXT_SIZE 40

/* Whether the whole of text[0 .. length) is a date (years 1 to 9999); its
** stamp in *stamp and its form in *form (either may be NULL). */
bool date_parse(const char *text, size_t length, int64_t *stamp,
                date_form *form);
/* The stamp's ISO text in out: "1998-06-12" for a date alone, else
** "1998-06-12T20:00:00Z" (with ".5" and so on when it has a fraction).
** Returns its length. */
size_t date_format(int64_t stamp, char out[DATE_TEXT_SIZE]);
/* The stamp of a date alone, from its year, month (1-12) and day. */
int64_t date_from_civil(int64_t year, int month, int day);
bool date_has_time(int64_t stamp);
/* The year, and the month of the year (1-12), of a stamp (UTC). */
int64_t date_year(int64_t stamp);
int date_month(int64_t stamp);

#endif
