/*
** replay.c: runs a fuzz target over files, without libFuzzer, so make
** check replays the corpus (seeds and every crash once found) under the
** sanitizers. Usage: replay_TARGET FILE...
*/
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data = NULL;
	size_t size = 0, capacity = 0, n;
	if (f == NULL) {
		perror(path);
		return -1;
	}
	do {
		if (size == capacity) {
			uint8_t *grown = realloc(data, capacity = capacity * 2 + 4096);
			if (grown == NULL)
				abort();
			data = grown;
		}
		n = fread(data + size, 1, capacity - size, f);
		size += n;
	} while (n > 0);
	fclose(f);
	LLVMFuzzerTestOneInput(data, size);
	free(data);
	return 0;
}

int main(int argc, char **argv)
{
	int i, failed = 0;
	for (i = 1; i < argc; i++)
		failed |= replay_file(argv[i]) != 0;
	printf("replayed %d inputs\n", argc - 1);
	return failed;
}
