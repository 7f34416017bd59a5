/*
** read_gzip.c: gzip catalogues, decompressed with zlib as they are read, so
** the compressed bytes are never held in memory beside the text.
** Relies on zlib, memory.h and progress.h (a long load counts the
** compressed bytes it has inflated).
*/
#include "read.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "memory.h"
#include "progress.h"

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

/* A long load shows how far it got through the compressed file: what was
** inflated since *counted (the compressed bytes) is added. */
static void count_compressed(gzFile in, z_off_t *counted)
{
	z_off_t now = gzoffset(in);
	if (now > *counted)
		progress_add((uint64_t)(now - *counted), 0);
	*counted = now;
}

static uint64_t file_size(const char *path)
{
	struct stat info;
	return stat(path, &info) == 0 && S_ISREG(info.st_mode)
	       ? (uint64_t)info.st_size : 0;
}

char *read_gunzip(const char *path, size_t *length, reel_error *err)
{
	gzFile in = gzopen(path, "rb");
	char *text = NULL;
	size_t capacity = 0, used = 0;
	z_off_t counted = 0;
	int got;
	if (in == NULL) {
		error_set(err, REEL_ERROR_IO, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	gzbuffer(in, 256 * 1024);
	progress_restart_bytes(file_size(path));
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
		count_compressed(in, &counted);
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
