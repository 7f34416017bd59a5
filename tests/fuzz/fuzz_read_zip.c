/*
** fuzz_read_zip.c: a zip archive of arbitrary bytes read as reel.load
** reads one (read_catalogue_buffer): libzip opens it, a member is chosen
** and inflated within its declared size, then read by its own bytes (CSV,
** JSON, gzip, SQLite, a zip within). A table that comes back is formatted
** every way; nothing may crash, leak or read past the input.
*/
#include <stdlib.h>

#include "core/memory.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	reel_error err = REEL_ERROR_INIT;
	read_options opts = READ_OPTIONS_INIT;
	table *t;
	char *copy = fuzz_copy(data, size);
	/* an archive of several catalogues is read by the first byte's choice:
	** its only one, or the member called ratings.csv */
	if (size > 0 && (data[size - 1] & 1))
		opts.member = "ratings.csv";
	t = read_catalogue_buffer(copy != NULL ? copy : "", size, "fuzz.zip",
	                          &opts, &err);
	free(copy);
	fuzz_check_read(t);
	return 0;
}
