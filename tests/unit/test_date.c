/*
** test_date.c: reading dates in each form, refusing what is not one, the
** stamps' order, printing them back as ISO, and their years and months.
*/
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "tap.h"

/* The ISO text `text` reads as, or "(none)". */
static const char *reread(const char *text)
{
	static char out[DATE_TEXT_SIZE];
	int64_t stamp;
	if (!date_parse(text, strlen(text), &stamp, NULL))
		return "(none)";
	date_format(stamp, out);
	return out;
}

static int64_t stamp_of(const char *text)
{
	int64_t stamp = 0;
	date_parse(text, strlen(text), &stamp, NULL);
	return stamp;
}

static void test_iso(void)
{
	is_string(reread("1998-06-12"), "1998-06-12", "an ISO date");
	is_string(reread("1998-06-12T20:00:00Z"), "1998-06-12T20:00:00Z", "a date-time in UTC");
	is_string(reread("1998-06-12 20:00:00"), "1998-06-12T20:00:00Z", "a space for T, no zone");
	is_string(reread("1998-06-12T20:00"), "1998-06-12T20:00:00Z", "no seconds");
	is_string(reread("1998-06-12T20:00:00+02:00"), "1998-06-12T18:00:00Z", "an offset east");
	is_string(reread("1998-06-12T23:30:00-0130"), "1998-06-13T01:00:00Z", "an offset west crosses midnight");
	is_string(reread("1998-06-12T20:00:00.5Z"), "1998-06-12T20:00:00.5Z", "a fraction");
	is_string(reread("1998-06-12T20:00:00,123456789Z"), "1998-06-12T20:00:00.123456Z",
	          "a comma fraction, past microseconds dropped");
	is_string(reread("2000-02-29"), "2000-02-29", "a leap day of a 400th year");
	is_string(reread("1900-02-29"), "(none)", "1900 had no leap day");
	is_string(reread("1998-13-01"), "(none)", "month 13");
	is_string(reread("1998-06-31"), "(none)", "June 31");
	is_string(reread("1998-06-12T24:00"), "(none)", "hour 24");
	is_string(reread("1998-06-12T"), "(none)", "a T and nothing");
	is_string(reread("1998-06-12 "), "(none)", "a trailing space");
	is_string(reread("1998-6-12"), "(none)", "one-digit month");
	is_string(reread("0001-01-01"), "0001-01-01", "year 1");
	is_string(reread("9999-12-31T23:59:59.999999Z"), "9999-12-31T23:59:59.999999Z", "the last moment");
	is_string(reread("0000-01-01"), "(none)", "year 0");
	is_string(reread("1969-12-31T23:59:59Z"), "1969-12-31T23:59:59Z", "before 1970");
	is_string(reread("1066-10-14"), "1066-10-14", "long before 1970");
}

static void test_written(void)
{
	date_form form = DATE_FORM_ISO;
	is_string(reread("Jun 12 1998"), "1998-06-12", "Jun 12 1998");
	is_string(reread("June 12, 1998"), "1998-06-12", "June 12, 1998");
	is_string(reread("12 June 1998"), "1998-06-12", "12 June 1998");
	is_string(reread("12 Jun 1998"), "1998-06-12", "12 Jun 1998");
	is_string(reread("Sept 1, 2001"), "2001-09-01", "Sept");
	is_string(reread("sep. 1, 2001"), "2001-09-01", "lower case, a dot");
	is_string(reread("MAY 1 2001"), "2001-05-01", "upper case");
	is_string(reread("Jun 31 1998"), "(none)", "June 31 written");
	is_string(reread("Juni 12 1998"), "(none)", "not an English month");
	is_string(reread("Ju 12 1998"), "(none)", "two letters");
	is_string(reread("Jun 12 98"), "(none)", "a two-digit year");
	is_string(reread("12/06/1998"), "(none)", "slashes are ambiguous: not read");
	is_string(reread("June 123, 1998"), "(none)", "a three-digit day");
	is_string(reread("Junebug 12 1998"), "(none)", "a longer word");
	ok(date_parse("12 Jun 1998", 11, NULL, &form) && form == DATE_FORM_WRITTEN,
	   "the written form is told apart");
	ok(date_parse("1998-06-12", 10, NULL, &form) && form == DATE_FORM_ISO,
	   "from the ISO form");
}

static void test_not_dates(void)
{
	static const char *const texts[] = {
		"", "1998", "19980612", "Silenced", "2011-10-", "abcd-ef-gh",
		"1998-06-12T20:00:00Q", "1998-06-12T20:00:00+2", "true", NULL
	};
	size_t i;
	for (i = 0; texts[i] != NULL; i++)
		ok(!date_parse(texts[i], strlen(texts[i]), NULL, NULL), "'%s' is no date",
		   texts[i]);
}

static void test_order(void)
{
	ok(stamp_of("1998-06-12") < stamp_of("1998-06-12T00:00:00Z"),
	   "a date alone before its midnight");
	ok(stamp_of("1998-06-12T00:00:00Z") < stamp_of("1998-06-12T00:00:00.000001Z"),
	   "a microsecond later");
	ok(stamp_of("1998-06-12T23:59:59Z") < stamp_of("1998-06-13"),
	   "the day's last second before the next day");
	ok(stamp_of("1969-12-31") < stamp_of("1970-01-01"), "across 1970");
	ok(stamp_of("1998-06-12T20:00:00+02:00") == stamp_of("1998-06-12T18:00:00Z"),
	   "the same moment in two zones");
	is_integer(stamp_of("1970-01-01"), 0, "1970-01-01 is stamp 0");
	is_integer(stamp_of("Jun 12 1998"), stamp_of("1998-06-12"), "both forms, one stamp");
}

static void test_parts(void)
{
	is_integer(date_year(stamp_of("1998-06-12")), 1998, "year");
	is_integer(date_month(stamp_of("1998-06-12")), 6, "month");
	is_integer(date_year(stamp_of("1969-12-31T23:59:59Z")), 1969, "year before 1970");
	is_integer(date_month(stamp_of("1969-12-31T23:59:59Z")), 12, "month before 1970");
	is_integer(date_year(stamp_of("2000-01-01T00:30:00+01:00")), 1999,
	           "a year in UTC");
	ok(!date_has_time(stamp_of("1998-06-12")), "a date has no time");
	ok(date_has_time(stamp_of("1998-06-12T00:00:00Z")), "a date-time has one");
	is_integer(date_from_civil(1998, 6, 12), stamp_of("1998-06-12"), "from civil");
}

/* Every day from 1600 to 2400 prints as it was read. */
static void test_round_trip(void)
{
	int64_t year;
	int month, day, wrong = 0;
	char text[32], out[DATE_TEXT_SIZE];
	for (year = 1600; year <= 2400; year++)
		for (month = 1; month <= 12; month++)
			for (day = 1; day <= 31; day++) {
				int64_t stamp;
				snprintf(text, sizeof text, "%04d-%02d-%02d", (int)year, month, day);
				if (!date_parse(text, 10, &stamp, NULL))
					continue;
				date_format(stamp, out);
				wrong += strcmp(out, text) != 0 || date_year(stamp) != year ||
				         date_month(stamp) != month;
			}
	is_integer(wrong, 0, "every day of 800 years round-trips");
}

int main(void)
{
	test_iso();
	test_written();
	test_not_dates();
	test_order();
	test_parts();
	test_round_trip();
	return done_testing();
}
