/*
** fuzz_read_csv.c: read_csv on arbitrary bytes. A table that comes back
** is formatted every way; nothing may crash, leak or read past the input.
*/
#include <stdlib.h>

#include "core/memory.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	reel_error err = REEL_ERROR_INIT;
	table *t;
	/* The first byte picks the delimiter, '\0' letting the reader detect it. */
	static const char delimiters[] = {'\0', ',', ';', '\t', '|'};
	char *copy;
	if (size == 0)
		return 0;
	copy = fuzz_copy(data + 1, size - 1);
	t = read_csv(copy != NULL ? copy : "", size - 1, "fuzz.csv",
	             delimiters[data[0] % sizeof delimiters], &err);
	free(copy);
	fuzz_check_read(t);
	return 0;
}
