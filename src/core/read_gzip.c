/*
** read_gzip.c: gzip catalogues, decompressed with zlib as they are read, so
** the compressed bytes are never held in memory beside the text.
** Relies on zlib and memory.h.
*/
#include "read.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "memory.h"

#define GZIP_CHUNK (1u << 20)

/* Grows *text so that `more` bytes fit after *length. */
static bool reserve_text(char **text, size_t *capacity, size_t length, size_t more)
{
	size_t cap = *capacity;
	char *grown;
	if (length + more + 1 <= cap)
		return true;
	while (cap < length + more + 1)
		cap = cap ? cap * 2 : GZIP_CHUNK;
	grown = reel_realloc(*text, cap);
	if (grown == NULL)
		return false;
	*text = grown;
	*capacity = cap;
	return true;
}

static void gzip_error(gzFile in, const char *path, reel_error *err)
{
	int code = Z_OK;
	const char *why = gzerror(in, &code);
	size_t named = strlen(path);
	if (code == Z_ERRNO)
		why = strerror(errno);
	else if (strncmp(why, path, named) == 0 && strncmp(why + named, ": ", 2) == 0)
		why += named + 2; /* zlib names the file too */
	error_set(err, REEL_ERROR_DATA, "%s: cannot decompress: %s", path, why);
}

char *read_gunzip(const char *path, size_t *length, reel_error *err)
{
	gzFile in = gzopen(path, "rb");
	char *text = NULL;
	size_t capacity = 0, used = 0;
	int got;
	if (in == NULL) {
		error_set(err, REEL_ERROR_IO, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	gzbuffer(in, 256 * 1024);
	do {
		if (!reserve_text(&text, &capacity, used, GZIP_CHUNK)) {
			error_memory(err, path);
			goto fail;
		}
		got = gzread(in, text + used, GZIP_CHUNK);
		if (got < 0) {
			gzip_error(in, path, err);
			goto fail;
		}
		used += (size_t)got;
	} while (got > 0);
	/* gzread ends a cut-off stream quietly; only gzerror tells it apart
	** from a whole one, and a shorter catalogue must not pass for one. */
	if (gzerror(in, &got) != NULL && got != Z_OK) {
		gzip_error(in, path, err);
		goto fail;
	}
	gzclose(in);
	text[used] = '\0';
	*length = used;
	return text;
fail:
	gzclose(in);
	reel_free(text);
	return NULL;
}
