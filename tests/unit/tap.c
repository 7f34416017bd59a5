/*
** tap.c: the TAP producer declared in tap.h.
*/
#include "tap.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tests_run;
static int tests_failed;

static void report(bool passed, const char *file, int line, const char *fmt,
                   va_list ap)
{
	tests_run++;
	if (!passed)
		tests_failed++;
	printf("%s %d - ", passed ? "ok" : "not ok", tests_run);
	vprintf(fmt, ap);
	printf("\n");
	if (!passed)
		printf("#   failed at %s line %d\n", file, line);
}

void tap_ok(bool passed, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(passed, file, line, fmt, ap);
	va_end(ap);
}

void tap_is_string(const char *got, const char *expected, const char *file,
                   int line, const char *what)
{
	bool same = got != NULL && expected != NULL && strcmp(got, expected) == 0;
	tap_ok(same, file, line, "%s", what);
	if (!same)
		printf("#          got: '%s'\n#     expected: '%s'\n",
		       got ? got : "(null)", expected ? expected : "(null)");
}

void tap_is_integer(long long got, long long expected, const char *file,
                    int line, const char *what)
{
	tap_ok(got == expected, file, line, "%s", what);
	if (got != expected)
		printf("#          got: %lld\n#     expected: %lld\n", got, expected);
}

int tap_done(void)
{
	printf("1..%d\n", tests_run);
	fflush(stdout);
	return tests_failed == 0 ? 0 : 1;
}
