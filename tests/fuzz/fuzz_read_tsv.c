/*
** fuzz_read_tsv.c: read_tsv on arbitrary bytes. A table that comes back
** is formatted every way; nothing may crash, leak or read past the input.
*/
#include <stdlib.h>

#include "core/memory.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	reel_error err = REEL_ERROR_INIT;
	table *t;
	char *copy = fuzz_copy(data, size);
	t = read_tsv(copy != NULL ? copy : "", size, "fuzz.tsv", &err);
	free(copy);
	fuzz_check_read(t);
	return 0;
}
