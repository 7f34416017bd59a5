/*
** read_csv.c: CSV (RFC 4180) and IMDb-style TSV catalogues.
** A line without a quote (nearly every line of a real catalogue) is split
** with memchr alone; only a line that holds a quote goes through the careful
** field-by-field reader, which also follows line breaks inside quotes. Cells
** go straight from the input into a table_builder. No line counter is kept
** while reading: an error finds its line and column by counting back from
** the start, which costs nothing until something is wrong. A big input is
** read in two halves at once, split at a line break near its middle, each
** half into its own part of one builder; anything unexpected (the split
** inside a quoted field, an error, the halves disagreeing on a column) and
** the input is read again whole, so a split never changes what is read.
** Each line's bytes are checked (no NUL, valid UTF-8) as it is read, and
** every megabyte the stop request (stop.h) is looked at. Relies on
** table.h, read_check.c, memory.h and POSIX threads.
*/
#define _DEFAULT_SOURCE /* madvise */
#include "read.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "list.h"
#include "memory.h"
#include "name_index.h"
#include "parallel.h"
#include "read_bytes.h"
#include "read_halves.h"
#include "stop.h"
#include "progress.h"

typedef struct text_reader {
	const char *name;
	const char *start;       /* the input after any byte-order mark */
	const char *end;
	const char *content_end; /* `end` less any trailing line breaks */
	const char *at;          /* where the next record begins */
	char delimiter;
	bool stops[256];         /* bytes that may end a bare field: the
	                            delimiter, CR, LF and the quote */
	bool tsv;                /* no quoting; \N and empty fields are null */
	bool in_header;          /* fields are column names, not cells */
	table_builder *builder;
	char **names;            /* the header, while it is read */
	size_t name_count;
	size_t name_capacity;
	name_index seen;         /* the names so far, for duplicates */
	char *scratch;           /* a quoted field with its doubled quotes undone */
	size_t scratch_capacity;
	reel_error *err;
} text_reader;

/* {====== Errors ====== */
/* The 1-based line and byte column of p, counted from the start. */
static void locate(const text_reader *r, const char *p, size_t *line, size_t *col)
{
	const char *line_start = r->start, *q = r->start, *newline;
	*line = 1;
	while (q < p && (newline = memchr(q, '\n', (size_t)(p - q))) != NULL) {
		++*line;
		q = line_start = newline + 1;
	}
	*col = (size_t)(p - line_start) + 1;
}

static int fail_at(text_reader *r, const char *p, const char *what)
{
	size_t line, col;
	locate(r, p, &line, &col);
	error_set(r->err, REEL_ERROR_DATA, "%s:%zu:%zu: %s", r->name, line, col, what);
	return -1;
}

static int fail_memory(text_reader *r)
{
	error_memory(r->err, r->name);
	return -1;
}
/* }====== */

/* {====== Fields ====== */
/* A column name from the header: an empty one is named by its position, and
** a name may appear only once (found by hashing: a header may hold
** hundreds of thousands). */
static int add_name(text_reader *r, const char *text, size_t length,
                    const char *begin)
{
	char *name, **grown, message[REEL_ERROR_MAX];
	if (r->name_count % 4096 == 4095 && stop_check(r->err) != 0)
		return -1;
	if (r->name_count == r->name_capacity) {
		size_t capacity = r->name_capacity ? r->name_capacity * 2 : 16;
		grown = reel_realloc(r->names, capacity * sizeof *grown);
		if (grown == NULL)
			return fail_memory(r);
		r->names = grown;
		r->name_capacity = capacity;
	}
	if (length > 0) {
		name = reel_strndup(text, length);
	} else {
		snprintf(message, sizeof message, "column%zu", r->name_count + 1);
		name = reel_strdup(message);
	}
	if (name == NULL)
		return fail_memory(r);
	r->names[r->name_count++] = name;
	if (name_index_find(&r->seen, (const char *const *)r->names, name,
	                    strlen(name)) >= 0) {
		snprintf(message, sizeof message, "duplicate column name \"%.200s\"",
		         name);
		return fail_at(r, begin, message);
	}
	if (name_index_add(&r->seen, (const char *const *)r->names,
	                   r->name_count - 1) != 0)
		return fail_memory(r);
	return 0;
}

/* One field of the record being read; `begin` is where it starts in the
** input (its opening quote, if quoted). */
static int take_field(text_reader *r, const char *text, size_t length,
                      bool is_null, const char *begin)
{
	int status;
	if (r->in_header)
		return add_name(r, text, length, begin);
	if (is_null)
		status = table_builder_add_null(r->builder);
	else
		status = table_builder_add(r->builder, text, length);
	return status == 0 ? 0 : fail_memory(r);
}

/* A field with no quoting: empty is null, and so is \N in TSV. */
static int take_plain_field(text_reader *r, const char *text, size_t length)
{
	bool is_null = length == 0 ||
		(r->tsv && length == 2 && text[0] == '\\' && text[1] == 'N');
	return take_field(r, text, length, is_null, text);
}

/* Splits the line [p, stop) at each delimiter (no quote is in it). */
static int split_line(text_reader *r, const char *p, const char *stop)
{
	for (;;) {
		const char *cut = memchr(p, r->delimiter, (size_t)(stop - p));
		const char *field_end = cut != NULL ? cut : stop;
		if (take_plain_field(r, p, (size_t)(field_end - p)) != 0)
			return -1;
		if (cut == NULL)
			return 0;
		p = cut + 1;
	}
}
/* }====== */

/* {====== Quoted records ====== */
/* Whether p ends a field: the delimiter, a line break (LF or CRLF), or EOF. */
static bool ends_field(const text_reader *r, const char *p)
{
	if (p == r->end || *p == r->delimiter || *p == '\n')
		return true;
	return *p == '\r' && (p + 1 == r->end || p[1] == '\n');
}

/* The field starting at p, unquoted: returns where it ends, NULL on error. */
static const char *read_bare_field(text_reader *r, const char *p)
{
	const char *q = p;
	for (;;) {
		while (q < r->end && !r->stops[(unsigned char)*q])
			q++;
		if (ends_field(r, q))
			break;
		if (*q == '"') {
			fail_at(r, q, "quote inside an unquoted field");
			return NULL;
		}
		q++; /* a CR that ends no line is data */
	}
	return take_plain_field(r, p, (size_t)(q - p)) == 0 ? q : NULL;
}

/* Copies [from, to) into the scratch buffer with each "" made one ". */
static const char *undouble_quotes(text_reader *r, const char *from,
                                   const char *to, size_t *length)
{
	size_t need = (size_t)(to - from), n = 0;
	if (need > r->scratch_capacity) {
		char *grown = reel_realloc(r->scratch, need);
		if (grown == NULL)
			return NULL;
		r->scratch = grown;
		r->scratch_capacity = need;
	}
	while (from < to) {
		if (*from == '"')
			from++; /* the first of a pair */
		r->scratch[n++] = *from++;
	}
	*length = n;
	return r->scratch;
}

/* The quoted field whose opening quote is at p: returns where it ends. */
static const char *read_quoted_field(text_reader *r, const char *p)
{
	const char *q = p + 1, *close, *text = p + 1;
	bool doubled = false;
	size_t length;
	for (;;) {
		close = memchr(q, '"', (size_t)(r->end - q));
		if (close == NULL) {
			fail_at(r, p, "unterminated quoted field");
			return NULL;
		}
		if (close + 1 < r->end && close[1] == '"') {
			doubled = true;
			q = close + 2;
			continue;
		}
		break;
	}
	length = (size_t)(close - text);
	if (doubled && (text = undouble_quotes(r, text, close, &length)) == NULL) {
		fail_memory(r);
		return NULL;
	}
	if (!ends_field(r, close + 1)) {
		fail_at(r, close + 1, "text after a closing quote");
		return NULL;
	}
	return take_field(r, text, length, false, p) == 0 ? close + 1 : NULL;
}

/* Where the record after a field ending at p begins. */
static const char *past_line_break(const text_reader *r, const char *p)
{
	if (p < r->end && *p == '\r')
		p++;
	if (p < r->end && *p == '\n')
		p++;
	return p;
}

/* A record holding a quote, read field by field from r->at. */
static int read_careful_record(text_reader *r)
{
	const char *p = r->at, *next;
	for (;;) {
		if (p < r->end && *p == '"')
			next = read_quoted_field(r, p);
		else
			next = read_bare_field(r, p);
		if (next == NULL)
			return -1;
		if (next < r->end && *next == r->delimiter) {
			p = next + 1;
			continue;
		}
		r->at = past_line_break(r, next);
		return 0;
	}
}
/* }====== */

/* {====== Records ====== */
/* The line at r->at: [r->at, *stop) without its line break; returns where
** the next line begins. */
static const char *line_at(const text_reader *r, const char **stop)
{
	const char *eol = memchr(r->at, '\n', (size_t)(r->end - r->at));
	const char *next = eol != NULL ? eol + 1 : r->end;
	if (eol == NULL)
		eol = r->end;
	if (eol > r->at && eol[-1] == '\r')
		eol--;
	*stop = eol;
	return next;
}

/* The bytes [from, to) are UTF-8 with no NUL, or an error names the first
** that is not. */
static int check_bytes(text_reader *r, const char *from, const char *to)
{
	char message[REEL_ERROR_MAX / 2];
	size_t length = (size_t)(to - from), good = read_check_utf8(from, length);
	if (good == length)
		return 0;
	read_check_explain(from + good, length - good, message, sizeof message);
	return fail_at(r, from + good, message);
}

/* Reads one record's fields; a blank line gives no fields at all. */
static int read_record(text_reader *r, bool *blank)
{
	const char *stop, *next = line_at(r, &stop);
	*blank = stop == r->at;
	if (*blank) {
		r->at = next;
		return 0;
	}
	if (check_bytes(r, r->at, stop) != 0)
		return -1;
	if (r->tsv || memchr(r->at, '"', (size_t)(stop - r->at)) == NULL) {
		if (split_line(r, r->at, stop) != 0)
			return -1;
		r->at = next;
		return 0;
	}
	if (read_careful_record(r) != 0)
		return -1;
	/* quoted line breaks: the lines after the first are checked too */
	return r->at > next ? check_bytes(r, next, r->at) : 0;
}

static int end_row(text_reader *r, const char *row)
{
	reel_error e = REEL_ERROR_INIT;
	if (table_builder_end_row(r->builder, &e) == 0)
		return 0;
	return fail_at(r, row, e.message);
}

/* {====== Mapped input ====== */
static bool input_is_mapped;

void read_csv_input_is_mapped(bool mapped)
{
	input_is_mapped = mapped;
}

/* A mapped input's whole pages in [from, to), already read, are given back;
** returns where the next release starts. A buffer that is not a mapping is
** left alone (giving its pages back would lose them). Every megabyte: the
** file's pages leave as fast as the table's arrive, which keeps a load's
** peak near the table's own size. */
#define RELEASE_STEP ((size_t)1 << 20)

static const char *release_read_pages(const char *from, const char *to)
{
#ifdef MADV_DONTNEED
	uintptr_t start = ((uintptr_t)from + 4095) & ~(uintptr_t)4095;
	uintptr_t end = (uintptr_t)to & ~(uintptr_t)4095;
	if (input_is_mapped && end > start)
		madvise((void *)start, (size_t)(end - start), MADV_DONTNEED);
#endif
	return to;
}
/* }====== */

/* Every record after the header. A blank line is skipped, except in a
** one-column file, where it is that row's null; blank lines at the very end
** are never rows. */
static int read_rows(text_reader *r)
{
	bool single = r->name_count == 1, blank;
	const char *released = r->at, *first = r->at;
	size_t rows = 0; /* since the last release, for progress.h */
	while (r->at < r->content_end) {
		const char *row = r->at;
		if (r->at - released >= (ptrdiff_t)RELEASE_STEP) {
			progress_add((uint64_t)(r->at - released), rows);
			rows = 0;
			released = release_read_pages(released, r->at);
			if (stop_check(r->err) != 0)
				return -1;
		}
		if (read_record(r, &blank) != 0)
			return -1;
		if (blank && !single)
			continue;
		if (blank && table_builder_add_null(r->builder) != 0)
			return fail_memory(r);
		if (end_row(r, row) != 0)
			return -1;
		rows++;
		if (table_builder_wants_restart(r->builder)) {
			/* a value column met text: read it all again as text */
			table_builder_restart(r->builder);
			r->at = first;
			released = first;
			rows = 0;
		}
	}
	progress_add((uint64_t)(r->at - released), rows);
	release_read_pages(released, r->at); /* the last stretch, before finishing */
	return 0;
}

static int read_header(text_reader *r)
{
	bool blank;
	if (r->content_end == r->start)
		return fail_at(r, r->start, "empty file, expected a header row");
	if (read_check_bom(r->start, (size_t)(r->end - r->start)))
		return fail_at(r, r->start, "a second byte-order mark");
	r->in_header = true;
	if (read_record(r, &blank) != 0)
		return -1;
	r->in_header = false;
	if (blank)
		return fail_at(r, r->start, "empty header row");
	return 0;
}
/* }====== */

/* {====== Readers ====== */
/* The delimiter used most in the header line, outside quotes; ties go to
** the earlier of , ; tab |. */
static char detect_delimiter(const char *p, const char *end)
{
	static const char candidates[] = ",;\t|";
	size_t counts[4] = {0, 0, 0, 0}, i, best = 0;
	bool quoted = false;
	for (; p < end && (quoted || *p != '\n'); p++) {
		const char *hit;
		if (*p == '"')
			quoted = !quoted;
		else if (!quoted && *p != '\0' && (hit = strchr(candidates, *p)) != NULL)
			counts[hit - candidates]++;
	}
	for (i = 1; i < 4; i++)
		if (counts[i] > counts[best])
			best = i;
	return candidates[best];
}

static void start_reader(text_reader *r, const char *data, size_t length,
                         const char *name, reel_error *err)
{
	memset(r, 0, sizeof *r);
	r->name = name;
	r->err = err;
	r->start = data;
	r->end = data + length;
	if (length >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		r->start += 3;
	r->content_end = r->end;
	while (r->content_end > r->start &&
	       (r->content_end[-1] == '\n' || r->content_end[-1] == '\r'))
		r->content_end--;
	r->at = r->start;
}

static void close_reader(text_reader *r)
{
	size_t i;
	for (i = 0; i < r->name_count; i++)
		reel_free(r->names[i]);
	reel_free(r->names);
	name_index_free(&r->seen);
	reel_free(r->scratch);
	table_builder_free(r->builder);
}

/* A big input's rows and cell bytes are known closely before reading: no
** more rows than line breaks, and no more cell bytes (each with its '\0')
** than input bytes, since every cell but the last is followed by a
** delimiter or a line break. Reserving them at once spares the columns'
** growth; a failure to reserve just leaves the growth to happen. */
#define RESERVE_AT_LEAST ((size_t)1 << 20)

/* Under a memory cap, a mapped input's pages counted are given back at
** once (the reading brings them back), so that the whole file is never
** resident beside the table. */
static size_t count_line_breaks(const char *p, const char *end)
{
	size_t breaks = 0;
	const char *eol, *released = p;
	bool capped = reel_memory_limit() != 0;
	while ((eol = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		breaks++;
		p = eol + 1;
		if (capped && p - released >= (ptrdiff_t)RELEASE_STEP)
			released = release_read_pages(released, p);
	}
	if (capped)
		release_read_pages(released, end);
	return breaks;
}

static void reserve_rows(text_reader *r)
{
	size_t bytes = (size_t)(r->end - r->at);
	if (bytes < RESERVE_AT_LEAST)
		return;
	table_builder_reserve(r->builder, count_line_breaks(r->at, r->end) + 1,
	                      bytes + 2);
}
/* }====== */

/* {====== Reading in halves (read_halves.h) ====== */
typedef struct half {
	text_reader reader;
	const char *from;   /* the half's first record */
	const char *to;     /* where the next half begins; NULL for the last */
	size_t breaks;      /* line breaks in it: a bound on its rows */
	reel_error err;
} half;

/* A reader for [from, to) of r's input, into `builder`; it counts lines
** from the input's start like r, and owns only its scratch buffer. */
static void start_half(half *h, const text_reader *r, table_builder *builder,
                       const char *from, const char *to)
{
	h->reader = *r;
	h->reader.builder = builder;
	h->reader.scratch = NULL;
	h->reader.scratch_capacity = 0;
	h->reader.err = &h->err;
	h->err.code = REEL_ERROR_NONE;
	h->err.message[0] = '\0';
	h->reader.at = h->from = from;
	h->reader.end = to == r->content_end ? r->end : to;
	h->reader.content_end = to;
	h->to = to == r->content_end ? NULL : to;
}

/* The first touch of a mapped input's pages is the dear part of reading
** it, so even counting its lines is done on both cores. */
static void *count_half(void *arg)
{
	half *h = arg;
	h->breaks = count_line_breaks(h->from, h->reader.end);
	return NULL;
}

/* The first half must end exactly where the second begins, between
** records (not inside a quoted field). */
static int read_half(void *arg, table_builder *builder)
{
	half *h = arg;
	h->reader.builder = builder;
	h->reader.at = h->from;
	if (read_rows(&h->reader) != 0)
		return -1;
	return h->to == NULL || h->reader.at == h->to ? 0 : -1;
}

/* The line break closest after the middle of the rows, or NULL. */
static const char *split_point(const text_reader *r)
{
	size_t bytes;
	const char *middle, *eol;
	if (r->content_end <= r->at ||
	    (bytes = (size_t)(r->content_end - r->at)) < READ_HALVES_AT_LEAST)
		return NULL;
	middle = r->at + bytes / 2;
	eol = memchr(middle, '\n', (size_t)(r->content_end - middle));
	return eol != NULL && eol + 1 < r->content_end ? eol + 1 : NULL;
}

/* A half stopped (stop.h): r takes its error, and nothing is read again. */
static bool halves_stopped(text_reader *r, const half *first, const half *second)
{
	const half *h = first->err.code == REEL_ERROR_STOPPED ? first
	              : second->err.code == REEL_ERROR_STOPPED ? second : NULL;
	if (h != NULL && r->err != NULL)
		*r->err = h->err;
	return h != NULL;
}

/* Reads the rows in two halves; returns 0 with every row in r->builder,
** -1 with the builder empty, to be read whole, or -2 when told to stop
** (r->err says so). The room reserved is an upper bound for each half (see
** reserve_rows), so neither outgrows it. */
static int read_in_halves(text_reader *r)
{
	const char *split = split_point(r);
	half halves[2];
	read_halves reading;
	int status;
	if (split == NULL)
		return -1;
	start_half(&halves[0], r, r->builder, r->at, split);
	start_half(&halves[1], r, NULL, split, r->content_end);
	parallel_both(count_half, &halves[0], &halves[1]);
	reading = (read_halves){r->builder, halves[0].breaks,
	                        halves[0].breaks + halves[1].breaks + 1,
	                        (size_t)(split - r->at) + 1, (size_t)(r->end - r->at) + 2,
	                        read_half, {&halves[0], &halves[1]}};
	status = read_halves_run(&reading);
	reel_free(halves[0].reader.scratch);
	reel_free(halves[1].reader.scratch);
	if (status != 0)
		return halves_stopped(r, &halves[0], &halves[1]) ? -2 : -1;
	return 0;
}
/* }====== */

/* {====== Reading ====== */

static table *read_text(text_reader *r)
{
	table *t = NULL;
	size_t col, row;
	bool oversized;
	int status;
	if (read_header(r) != 0)
		goto done;
	r->builder = table_builder_new(r->name_count, (const char *const *)r->names);
	if (r->builder == NULL) {
		fail_memory(r);
		goto done;
	}
	table_builder_set_nulls(r->builder, read_null_markers());
	table_builder_expect_numbers(r->builder);
	status = read_in_halves(r);
	if (status == -2)
		goto done;
	if (status != 0) {
		reserve_rows(r);
		if (read_rows(r) != 0)
			goto done;
	}
	oversized = table_builder_oversized(r->builder, &col, &row);
	t = table_builder_finish(r->builder, r->err);
	r->builder = NULL; /* finish consumes it */
	if (t == NULL)
		fail_memory(r);
	else if (oversized)
		read_warn_oversized(r->name, r->names[col], row);
done:
	close_reader(r);
	return t;
}

table *read_csv(const char *data, size_t length, const char *name,
                char delimiter, reel_error *err)
{
	text_reader r;
	if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
		error_set(err, REEL_ERROR_ARGUMENT,
		          "%s: a quote or line break cannot be the delimiter", name);
		return NULL;
	}
	start_reader(&r, data, length, name, err);
	r.delimiter = delimiter != '\0' ? delimiter : detect_delimiter(r.start, r.end);
	r.stops[(unsigned char)r.delimiter] = true;
	r.stops['\n'] = r.stops['\r'] = r.stops['"'] = true;
	return read_text(&r);
}

table *read_tsv(const char *data, size_t length, const char *name, reel_error *err)
{
	text_reader r;
	table *t;
	start_reader(&r, data, length, name, err);
	r.delimiter = '\t';
	r.tsv = true;
	t = read_text(&r);
	if (t != NULL) /* IMDb's datasets: genres, directors, writers */
		list_mark_known(t);
	return t;
}
/* }====== */
