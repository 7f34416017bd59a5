/*
** tap.h: a small TAP producer for the C unit tests (run under prove).
** ok() records one assertion; done_testing() prints the plan and returns the
** exit status (1 when anything failed).
*/
#ifndef REEL_TAP_H
#define REEL_TAP_H

#include <stdbool.h>
#include <stddef.h>

void tap_ok(bool passed, const char *file, int line, const char *fmt, ...);
void tap_is_string(const char *got, const char *expected, const char *file,
                   int line, const char *what);
void tap_is_integer(long long got, long long expected, const char *file,
                    int line, const char *what);
int tap_done(void);

#define ok(cond, ...) tap_ok((cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_string(got, expected, what) \
	tap_is_string((got), (expected), __FILE__, __LINE__, (what))
#define is_integer(got, expected, what) \
	tap_is_integer((long long)(got), (long long)(expected), __FILE__, __LINE__, (what))
#define done_testing() tap_done()

#endif
