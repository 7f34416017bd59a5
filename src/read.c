/*
** read.c: a catalogue from a file or a buffer, whatever its format.
** The format is the one asked for, else the file name's extension (a .gz
** after it means gzip), else a look at the content. After reading, the film
** names are resolved. Relies on the readers (read_csv.c, read_json.c,
** read_gzip.c), table.h and memory.h.
*/
#include "read.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "memory.h"

#define READ_CHUNK (1u << 16)

/* {====== Choosing a format ====== */
static bool same_word(const char *a, const char *b)
{
	for (; *a != '\0' && *b != '\0'; a++, b++) {
		char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
		if (x != *b)
			return false;
	}
	return *a == *b;
}

catalogue_format catalogue_format_from_name(const char *name)
{
	if (name == NULL)
		return CATALOGUE_DETECT;
	if (same_word(name, "csv"))
		return CATALOGUE_CSV;
	if (same_word(name, "tsv"))
		return CATALOGUE_TSV;
	if (same_word(name, "json"))
		return CATALOGUE_JSON;
	return CATALOGUE_DETECT;
}

/* Whether `name` ends with `suffix` (a lower-case extension with its dot),
** in any case; *stem is then how long the name is without it. */
static bool has_suffix(const char *name, size_t length, const char *suffix,
                       size_t *stem)
{
	size_t n = strlen(suffix), i;
	if (length < n)
		return false;
	for (i = 0; i < n; i++) {
		char c = name[length - n + i];
		if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != suffix[i])
			return false;
	}
	*stem = length - n;
	return true;
}

static bool is_gzip_name(const char *name)
{
	size_t stem;
	return has_suffix(name, strlen(name), ".gz", &stem);
}

/* The format a file name's extension names, looking past a final .gz. */
static catalogue_format format_from_extension(const char *name)
{
	static const struct {
		const char *suffix;
		catalogue_format format;
	} extensions[] = {
		{".csv", CATALOGUE_CSV}, {".tsv", CATALOGUE_TSV}, {".tab", CATALOGUE_TSV},
		{".json", CATALOGUE_JSON}, {".jsonl", CATALOGUE_JSON},
		{".ndjson", CATALOGUE_JSON}, {NULL, CATALOGUE_DETECT}
	};
	size_t length = strlen(name), i;
	has_suffix(name, length, ".gz", &length);
	for (i = 0; extensions[i].suffix != NULL; i++) {
		size_t stem;
		if (has_suffix(name, length, extensions[i].suffix, &stem))
			return extensions[i].format;
	}
	return CATALOGUE_DETECT;
}

/* JSON when the text opens with [ or {; else TSV when the first line has a
** tab (unless a CSV delimiter was given); else CSV. */
static catalogue_format format_from_content(const char *data, size_t length,
                                            char delimiter)
{
	const char *end = data + length, *eol;
	if (length >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		data += 3;
	while (data < end && (*data == ' ' || *data == '\t' || *data == '\r' ||
	                      *data == '\n'))
		data++;
	if (data < end && (*data == '[' || *data == '{'))
		return CATALOGUE_JSON;
	if (delimiter != '\0')
		return CATALOGUE_CSV;
	eol = memchr(data, '\n', (size_t)(end - data));
	if (eol == NULL)
		eol = end;
	return memchr(data, '\t', (size_t)(eol - data)) != NULL ? CATALOGUE_TSV
	                                                         : CATALOGUE_CSV;
}

static bool is_gzip_data(const char *data, size_t length)
{
	return length >= 2 && (unsigned char)data[0] == 0x1f &&
	       (unsigned char)data[1] == 0x8b;
}
/* }====== */

/* {====== Reading ====== */
table *read_catalogue_buffer(const char *data, size_t length, const char *name,
                             const read_options *opts, char *err)
{
	catalogue_format format = opts != NULL ? opts->format : CATALOGUE_DETECT;
	char delimiter = opts != NULL ? opts->delimiter : '\0';
	table *t = NULL;
	if (is_gzip_data(data, length)) {
		snprintf(err, REEL_ERROR_MAX,
		         "%s: gzip data can only be read from a file", name);
		return NULL;
	}
	if (format == CATALOGUE_DETECT)
		format = format_from_extension(name);
	if (format == CATALOGUE_DETECT)
		format = format_from_content(data, length, delimiter);
	if (format == CATALOGUE_TSV)
		t = read_tsv(data, length, name, err);
	else if (format == CATALOGUE_JSON)
		t = read_json(data, length, name, err);
	else
		t = read_csv(data, length, name, delimiter, err);
	if (t != NULL && table_resolve_film_names(t) != 0) {
		table_free(t);
		snprintf(err, REEL_ERROR_MAX, "%s: out of memory", name);
		return NULL;
	}
	return t;
}

/* Reads all of an open file into memory from reel_malloc. */
static char *read_whole(FILE *f, const char *path, size_t *length, char *err)
{
	struct stat info;
	size_t capacity = READ_CHUNK, used = 0, got;
	char *text, *grown;
	if (fstat(fileno(f), &info) == 0 && S_ISREG(info.st_mode) &&
	    (unsigned long long)info.st_size < (size_t)-1 - 1)
		capacity = (size_t)info.st_size + 1; /* one read, and room to see EOF */
	text = reel_malloc(capacity);
	while (text != NULL) {
		got = fread(text + used, 1, capacity - used, f);
		used += got;
		if (used < capacity) {
			if (ferror(f)) {
				snprintf(err, REEL_ERROR_MAX, "%s: cannot read: %s", path,
				         strerror(errno));
				reel_free(text);
				return NULL;
			}
			*length = used;
			return text;
		}
		grown = capacity < (size_t)-1 / 2 ? reel_realloc(text, capacity * 2) : NULL;
		if (grown == NULL)
			reel_free(text);
		text = grown;
		capacity *= 2;
	}
	snprintf(err, REEL_ERROR_MAX, "%s: out of memory", path);
	return NULL;
}

static char *read_file(const char *path, size_t *length, char *err)
{
	FILE *f = fopen(path, "rb");
	char *text;
	if (f == NULL) {
		snprintf(err, REEL_ERROR_MAX, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	text = read_whole(f, path, length, err);
	fclose(f);
	return text;
}

table *read_catalogue(const char *path, const read_options *opts, char *err)
{
	size_t length = 0;
	char *text = NULL;
	table *t;
	if (!is_gzip_name(path)) {
		text = read_file(path, &length, err);
		if (text == NULL)
			return NULL;
	}
	/* compressed, by name or by its first bytes */
	if (text == NULL || is_gzip_data(text, length)) {
		reel_free(text);
		text = read_gunzip(path, &length, err);
		if (text == NULL)
			return NULL;
	}
	t = read_catalogue_buffer(text, length, path, opts, err);
	reel_free(text);
	return t;
}
/* }====== */
