/*
** error.c: filling a reel_error (see error.h). Relies on the C library only.
*/
#include "error.h"

#include <stdarg.h>
#include <stdio.h>

int error_set(reel_error *e, reel_error_code code, const char *format, ...)
{
	va_list ap;
	if (e == NULL)
		return -1;
	e->code = code;
	va_start(ap, format);
	vsnprintf(e->message, sizeof e->message, format, ap);
	va_end(ap);
	return -1;
}

int error_memory(reel_error *e, const char *where)
{
	if (where == NULL)
		return error_set(e, REEL_ERROR_MEMORY, "out of memory");
	return error_set(e, REEL_ERROR_MEMORY, "%.300s: out of memory", where);
}
