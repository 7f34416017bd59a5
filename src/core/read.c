/*
** read.c: a catalogue from a file or a buffer, whatever its format.
** The bytes come from read_input.c (mapped, read, streamed, inflated); text
** in another encoding is made UTF-8 and the first bytes are looked at
** (read_encoding.c, read_check.c). The format is the one asked for, else
** the file name's extension (a .gz after it means gzip), else a look at the
** content. After reading, the film names are resolved. Relies on the
** readers (read_csv.c, read_json.c), table.h and memory.h.
*/
#include "read.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "date.h"
#include "memory.h"
#include "progress.h"
#include "read_bytes.h"

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

catalogue_format read_format_from_name(const char *name)
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

bool read_has_extension(const char *name, size_t length, const char *suffix,
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
	if (stem != NULL)
		*stem = length - n;
	return true;
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
	read_has_extension(name, length, ".gz", &length);
	for (i = 0; extensions[i].suffix != NULL; i++) {
		size_t stem;
		if (read_has_extension(name, length, extensions[i].suffix, &stem))
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

/* The bytes say JSON whatever the name (films.csv that holds JSON is
** JSON); otherwise the extension tells CSV from TSV, else the bytes do. A
** .json file is read as JSON, whose reader then says what is wrong. */
static catalogue_format format_by_name_and_bytes(const char *name,
                                                 const char *data, size_t length,
                                                 char delimiter)
{
	catalogue_format by_name = format_from_extension(name);
	catalogue_format by_bytes = format_from_content(data, length, delimiter);
	if (by_bytes == CATALOGUE_JSON || by_name == CATALOGUE_DETECT)
		return by_bytes;
	return by_name;
}
/* }====== */

/* {====== The year from a release date ====== */
/* Whether a header names a release date: "Release Date", "release_date",
** "releaseDate", "released", ignoring case, spaces, '_' and '-'. */
static bool is_release_date_name(const char *name)
{
	static const char *const words[] = {"releasedate", "released", NULL};
	char folded[32];
	size_t n = 0, i;
	for (; *name != '\0'; name++) {
		char c = *name >= 'A' && *name <= 'Z' ? (char)(*name + 32) : *name;
		if (c == ' ' || c == '_' || c == '-')
			continue;
		if (n + 1 == sizeof folded)
			return false;
		folded[n++] = c;
	}
	folded[n] = '\0';
	for (i = 0; words[i] != NULL; i++)
		if (strcmp(folded, words[i]) == 0)
			return true;
	return false;
}

/* The first run of exactly four digits in a date ("2013-01-23",
** "23 Jan 2013", "01/23/2013"), or -1. */
static int64_t year_in_date(const char *text, size_t length)
{
	size_t i = 0, start;
	while (i < length) {
		for (start = i; i < length && text[i] >= '0' && text[i] <= '9'; i++)
			;
		if (i - start == 4)
			return (text[start] - '0') * 1000 + (text[start + 1] - '0') * 100 +
			       (text[start + 2] - '0') * 10 + (text[start + 3] - '0');
		if (i == start)
			i++;
	}
	return -1;
}

/* A date held as a number: a year (2013) or YYYYMMDD (20130123); else -1. */
static int64_t year_in_number(int64_t n)
{
	if (n >= 1000 && n <= 9999)
		return n;
	if (n >= 10000000 && n <= 99999999)
		return n / 10000;
	return -1;
}

static int64_t year_of_cell(const table *t, size_t date, row_id row)
{
	value v = table_value(t, date, row);
	if (v.kind == VALUE_STRING)
		return year_in_date(v.as.string.text, v.as.string.length);
	if (v.kind == VALUE_INTEGER)
		return year_in_number(v.as.integer);
	if (v.kind == VALUE_DATE)
		return date_year(v.as.integer);
	return -1;
}

/* The column's years, nulls where a date holds none (no bitmap when every
** date has one). 0, or -1 when memory runs out. */
static int fill_years(const table *t, size_t date, column *year)
{
	size_t words = (t->row_count + 63) / 64, r;
	bool any_null = false;
	year->integers = reel_malloc((t->row_count > 0 ? t->row_count : 1) *
	                             sizeof *year->integers);
	year->nulls = reel_calloc(words > 0 ? words : 1, sizeof *year->nulls);
	if (year->integers == NULL || year->nulls == NULL)
		return -1;
	for (r = 0; r < t->row_count; r++) {
		int64_t y = year_of_cell(t, date, (row_id)r);
		year->integers[r] = y < 0 ? 0 : y;
		if (y < 0) {
			year->nulls[r >> 6] |= (uint64_t)1 << (r & 63);
			any_null = true;
		}
	}
	if (!any_null) {
		reel_free(year->nulls);
		year->nulls = NULL;
	}
	return 0;
}

/* A catalogue with a release date but no year (nor a source for it) gets an
** integer column `year` taken from the date, so films:where{year = ...} and
** tostring(film) work on it. 0, or -1 when memory runs out. */
static int add_year_from_release_date(table *t)
{
	column year, *grown;
	size_t date;
	if (table_column_index(t, "year") >= 0)
		return 0;
	for (date = 0; date < t->column_count; date++)
		if (is_release_date_name(t->columns[date].name))
			break;
	if (date == t->column_count)
		return 0;
	memset(&year, 0, sizeof year);
	year.type = COLUMN_INTEGER;
	year.name = reel_strdup("year");
	grown = year.name != NULL && fill_years(t, date, &year) == 0
	        ? reel_realloc(t->columns, (t->column_count + 1) * sizeof *grown)
	        : NULL;
	if (grown == NULL) {
		reel_free(year.name);
		reel_free(year.integers);
		reel_free(year.nulls);
		return -1;
	}
	t->columns = grown;
	t->columns[t->column_count++] = year;
	return 0;
}
/* }====== */

/* {====== Warnings ====== */
static read_warning_fn *warning;
static void *warning_context;

void read_set_warning(read_warning_fn *warn, void *context)
{
	warning = warn;
	warning_context = context;
}

void read_warn(const char *format, ...)
{
	char message[REEL_ERROR_MAX];
	va_list ap;
	if (warning == NULL)
		return;
	va_start(ap, format);
	vsnprintf(message, sizeof message, format, ap);
	va_end(ap);
	warning(warning_context, message);
}
void read_warn_oversized(const char *name, const char *col, size_t row)
{
	read_warn("%.200s: column '%.100s' holds a whole number too large for 64 "
	          "bits (row %zu): the column is kept as text, every value exact",
	          name, col, row + 1);
}
/* }====== */

/* {====== Null markers ====== */
static const char *const *null_markers;

const char *const *read_null_markers(void)
{
	return null_markers;
}
/* }====== */

/* {====== Reading ====== */
/* An SQLite database's table, its TEXT cells held to the null markers. */
static table *read_database(const char *data, size_t length, const char *name,
                            const read_options *opts, reel_error *err)
{
	table *t;
	null_markers = opts != NULL ? opts->nulls : NULL;
	t = read_sqlite(data, length, name, opts != NULL ? opts->table : NULL, err);
	null_markers = NULL;
	return t;
}

/* UTF-8 text, read in its format; `mapped` says it is a file's mapping. */
static table *read_text(const char *data, size_t length, const char *name,
                        const read_options *opts, bool mapped, reel_error *err)
{
	catalogue_format format = opts != NULL ? opts->format : CATALOGUE_DETECT;
	char delimiter = opts != NULL ? opts->delimiter : '\0';
	table *t;
	if (read_check_start(data, length, name, err) != 0)
		return NULL;
	if (format == CATALOGUE_DETECT)
		format = format_by_name_and_bytes(name, data, length, delimiter);
	read_csv_input_is_mapped(mapped);
	null_markers = opts != NULL ? opts->nulls : NULL;
	if (format == CATALOGUE_TSV)
		t = read_tsv(data, length, name, err);
	else if (format == CATALOGUE_JSON)
		t = read_json(data, length, name, err);
	else
		t = read_csv(data, length, name, delimiter, err);
	read_csv_input_is_mapped(false);
	null_markers = NULL;
	return t;
}

/* Every failure says what it was, whatever path it came by. */
static void name_the_failure(const char *name, reel_error *err)
{
	if (err != NULL && (err->code == REEL_ERROR_NONE || err->message[0] == '\0'))
		error_set(err, err->code == REEL_ERROR_NONE ? REEL_ERROR_DATA : err->code,
		          "%s: cannot be read as a catalogue", name);
}

/* Text in its encoding, made UTF-8 when it is another, then read. */
static table *read_encoded(const char *data, size_t length, const char *name,
                           const read_options *opts, bool mapped, reel_error *err)
{
	read_encoding encoding = opts != NULL ? opts->encoding : READ_ENCODING_DETECT;
	read_buffer utf8 = READ_BUFFER_INIT;
	bool transcoded;
	table *t = NULL;
	if (read_encoding_transcode(data, length, encoding, name, &utf8,
	                            &transcoded, err) == 0)
		t = transcoded ? read_text(utf8.data, utf8.length, name, opts, false, err)
		               : read_text(data, length, name, opts, mapped, err);
	read_buffer_free(&utf8);
	return t;
}

/* Gzip in memory (a zip's member, or gzip in gzip), inflated whole and
** read by its bytes. A gzip that holds itself stops at the third level. */
static table *read_gzipped(const char *data, size_t length, const char *name,
                           const read_options *opts, reel_error *err)
{
	static int depth;
	read_encoding encoding = opts != NULL ? opts->encoding : READ_ENCODING_DETECT;
	read_buffer text = READ_BUFFER_INIT;
	table *t = NULL;
	if (depth >= 2) {
		error_set(err, REEL_ERROR_DATA, "%s: gzip in gzip in gzip: decompress "
		          "it first", name);
		return NULL;
	}
	depth++;
	if (read_gzip_whole(data, length, name, encoding == READ_ENCODING_DETECT ||
	                    encoding == READ_ENCODING_UTF8, &text, err) == 0)
		t = read_member(text.data, text.length, name, opts, false, err);
	depth--;
	read_buffer_free(&text);
	return t;
}

table *read_member(const char *data, size_t length, const char *name,
                   const read_options *opts, bool mapped, reel_error *err)
{
	const char *what;
	read_kind kind = read_check_kind(data, length, &what);
	if (opts != NULL && opts->member != NULL && kind != READ_KIND_ZIP) {
		error_set(err, REEL_ERROR_DATA, "%s: %s, not a zip archive (the "
		          "member option is for those)", name, what);
		return NULL;
	}
	if (opts != NULL && opts->table != NULL && kind != READ_KIND_SQLITE &&
	    kind != READ_KIND_ZIP) {
		error_set(err, REEL_ERROR_DATA, "%s: %s, not an SQLite database (the "
		          "table option is for those)", name, what);
		return NULL;
	}
	switch (kind) {
	case READ_KIND_TEXT:
		return read_encoded(data, length, name, opts, mapped, err);
	case READ_KIND_SQLITE:
		return read_database(data, length, name, opts, err);
	case READ_KIND_ZIP:
		return read_zip(data, length, name, opts, err);
	case READ_KIND_GZIP:
		return read_gzipped(data, length, name, opts, err);
	default:
		error_set(err, REEL_ERROR_DATA, "%s: %s, not a catalogue", name, what);
		return NULL;
	}
}

static table *read_bytes(const char *data, size_t length, const char *name,
                         const read_options *opts, bool mapped, reel_error *err)
{
	table *t = read_member(data, length, name, opts, mapped, err);
	if (t != NULL && (table_resolve_film_names(t) != 0 ||
	                  add_year_from_release_date(t) != 0)) {
		table_free(t);
		error_memory(err, name);
		return NULL;
	}
	if (t == NULL)
		name_the_failure(name, err);
	return t;
}

table *read_catalogue_buffer(const char *data, size_t length, const char *name,
                             const read_options *opts, reel_error *err)
{
	return read_bytes(data, length, name, opts, false, err);
}

table *read_catalogue(const char *path, const read_options *opts, reel_error *err)
{
	read_encoding encoding = opts != NULL ? opts->encoding : READ_ENCODING_DETECT;
	read_input in;
	table *t;
	if (read_input_open(&in, path, encoding == READ_ENCODING_DETECT ||
	                               encoding == READ_ENCODING_UTF8, err) != 0) {
		name_the_failure(strcmp(path, "-") == 0 ? "stdin" : path, err);
		return NULL;
	}
	progress_restart_bytes(in.length);
	t = read_bytes(in.data, in.length, in.name, opts, in.mapped, err);
	read_input_close(&in);
	return t;
}
/* }====== */
