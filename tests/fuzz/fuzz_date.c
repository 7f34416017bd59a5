/*
** fuzz_date.c: date_parse on arbitrary bytes. Whatever it reads must print
** as ISO text that reads back to the same stamp, with a year and month in
** range; nothing may crash or read past the input.
*/
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_copy(data, size), printed[DATE_TEXT_SIZE];
	int64_t stamp, again;
	size_t length;
	if (text == NULL)
		return 0;
	if (date_parse(text, size, &stamp, NULL)) {
		length = date_format(stamp, printed);
		if (length != strlen(printed) || length >= DATE_TEXT_SIZE ||
		    !date_parse(printed, length, &again, NULL) || again != stamp ||
		    date_month(stamp) < 1 || date_month(stamp) > 12 ||
		    date_year(stamp) < 0 || date_year(stamp) > 10000)
			abort();
	}
	free(text);
	return 0;
}
