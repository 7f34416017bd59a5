/*
** sort.c: a stable sort of rows by columns (see sort.h): a counting sort
** for small integer spans, LSD radix sorts for integers and doubles, and
** for strings a radix on eight bytes at a time that finishes ties by merge
** sort, a large one on both cores. Relies on table.h, selection.h, memory.h
** and POSIX threads. Pure C.
*/
#include "sort.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "memory.h"
#include "parallel.h"

#define SIGN_BIT ((uint64_t)1 << 63)

/* {====== Sort ====== */

/* Work space for one sort_rows: the rows' keys for the radix sorts, and
** spare room for keys and rows. The key arrays are made when first needed:
** a counting sort does without them. */
typedef struct sort_space {
	uint64_t *keys, *spare_keys;
	row_id *spare_rows;
	size_t size;
} sort_space;

static int sort_space_keys(sort_space *space)
{
	if (space->keys != NULL)
		return 0;
	space->keys = reel_malloc(space->size * sizeof *space->keys);
	space->spare_keys = reel_malloc(space->size * sizeof *space->spare_keys);
	return space->keys != NULL && space->spare_keys != NULL ? 0 : -1;
}

/* The same space seen from position `start` on, for a run of rows. */
static sort_space sort_space_from(const sort_space *space, size_t start)
{
	sort_space part;
	part.keys = space->keys + start;
	part.spare_keys = space->spare_keys + start;
	part.spare_rows = space->spare_rows + start;
	part.size = space->size - start;
	return part;
}

/* A radix key whose unsigned order is the double's order: -0 with 0, NaN
** (made positive) after +inf. */
static uint64_t number_key(double d)
{
	uint64_t bits;
	if (isnan(d))
		d = NAN;
	else if (d == 0)
		d = 0.0;
	memcpy(&bits, &d, sizeof bits);
	return (bits & SIGN_BIT) ? ~bits : bits | SIGN_BIT;
}

/* One stable counting pass of the radix sort, by byte `byte` of the keys. */
static void radix_pass(const uint64_t *keys, const row_id *rows, size_t n,
                       size_t *count, int byte, uint64_t *to_keys, row_id *to_rows)
{
	size_t i, total = 0, c;
	for (c = 0; c < 256; c++) {
		size_t here = count[c];
		count[c] = total;
		total += here;
	}
	for (i = 0; i < n; i++) {
		size_t to = count[(keys[i] >> (8 * byte)) & 255]++;
		to_keys[to] = keys[i];
		to_rows[to] = rows[i];
	}
}

/* A stable LSD radix sort of rows[0 .. n-1] by space->keys, a byte at a
** time, skipping the bytes on which every key agrees. Leaves the keys
** sorted too. */
static void radix_sort(row_id *rows, size_t n, sort_space *space)
{
	size_t counts[8][256];
	uint64_t *keys = space->keys, *spare_keys = space->spare_keys, *k_swap;
	row_id *original = rows, *spare_rows = space->spare_rows, *r_swap;
	size_t i;
	int byte;
	memset(counts, 0, sizeof counts);
	for (i = 0; i < n; i++)
		for (byte = 0; byte < 8; byte++)
			counts[byte][(keys[i] >> (8 * byte)) & 255]++;
	for (byte = 0; byte < 8; byte++) {
		if (counts[byte][(keys[0] >> (8 * byte)) & 255] == n)
			continue;
		radix_pass(keys, rows, n, counts[byte], byte, spare_keys, spare_rows);
		k_swap = keys;
		keys = spare_keys;
		spare_keys = k_swap;
		r_swap = rows;
		rows = spare_rows;
		spare_rows = r_swap;
	}
	if (rows != original) {  /* an odd number of passes */
		memcpy(space->keys, keys, n * sizeof *keys);
		memcpy(original, rows, n * sizeof *rows);
	}
}

/* Move the null rows of column col after the others, keeping both orders;
** returns how many are not null. */
static size_t move_nulls_last(const column *col, row_id *rows, size_t n,
                              row_id *spare)
{
	size_t i, kept = 0, nulls = 0;
	if (!column_may_be_null(col))
		return n;
	for (i = 0; i < n; i++) {
		if (column_is_null(col, rows[i]))
			spare[nulls++] = rows[i];
		else
			rows[kept++] = rows[i];
	}
	if (nulls > 0)
		memcpy(rows + kept, spare, nulls * sizeof *rows);
	return kept;
}


/* Keys within a span of a few thousand (years, minutes, true and false):
** a stable counting sort, one bucket a value, no key arrays. */

static int counting_sort(const column *col, row_id *rows, size_t n, int64_t least,
                         uint64_t span, bool descending, row_id *spare)
{
	size_t *starts = reel_calloc(span + 1, sizeof *starts);
	size_t i, total = 0, c;
	if (starts == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		uint64_t b = (uint64_t)column_ordinal(col, rows[i]) - (uint64_t)least;
		starts[descending ? span - b : b]++;
	}
	for (c = 0; c <= span; c++) {
		size_t here = starts[c];
		starts[c] = total;
		total += here;
	}
	for (i = 0; i < n; i++) {
		uint64_t b = (uint64_t)column_ordinal(col, rows[i]) - (uint64_t)least;
		spare[starts[descending ? span - b : b]++] = rows[i];
	}
	memcpy(rows, spare, n * sizeof *rows);
	reel_free(starts);
	return 0;
}

static int sort_integers(const column *col, row_id *rows, size_t n,
                         bool descending, sort_space *space)
{
	uint64_t flip = descending ? ~(uint64_t)0 : 0, span;
	int64_t least = column_ordinal(col, rows[0]), most = least;
	size_t i;
	for (i = 1; i < n; i++) {
		int64_t x = column_ordinal(col, rows[i]);
		least = x < least ? x : least;
		most = x > most ? x : most;
	}
	span = (uint64_t)most - (uint64_t)least;
	if (span < SORT_COUNTING_SPAN && span <= 2 * (uint64_t)n)
		return counting_sort(col, rows, n, least, span, descending,
		                     space->spare_rows);
	if (sort_space_keys(space) != 0)
		return -1;
	for (i = 0; i < n; i++)
		space->keys[i] =
			((uint64_t)column_integer(col, rows[i]) - (uint64_t)least) ^ flip;
	radix_sort(rows, n, space);
	return 0;
}

static int sort_numbers(const column *col, row_id *rows, size_t n,
                        bool descending, sort_space *space)
{
	uint64_t flip = descending ? ~(uint64_t)0 : 0;
	size_t i;
	if (sort_space_keys(space) != 0)
		return -1;
	if (col->map == NULL)
		for (i = 0; i < n; i++)
			space->keys[i] = number_key(col->numbers[rows[i]]) ^ flip;
	else /* a view: its rows are not null here (move_nulls_last) */
		for (i = 0; i < n; i++)
			space->keys[i] = number_key(column_number(col, rows[i])) ^ flip;
	radix_sort(rows, n, space);
	return 0;
}
/* }====== */

/* {====== Sorting strings ====== */

/* Strings sort by radix on eight bytes at a time (big-endian, so unsigned
** order is byte order), then the rows that tie go on to the next eight.
** Runs that are short, or whose strings have ended, finish by merge sort. */
#define STRING_SMALL_RUN 16
#define STRING_MAX_DEPTH 16

typedef struct string_sort {
	const table *t;
	const column *col;
	bool descending;
	const column *texts; /* when col holds collation keys: the texts, whose
	                        bytes order rows with equal keys; else NULL */
	bool first_keys_made; /* a large sort's space->keys hold the rows' first
	                         eight bytes already */
} string_sort;

static int compare_cells(const table *t, const column *col, row_id a, row_id b)
{
	return value_order_strings(column_text(t, col, a), column_text_length(col, a),
	                           column_text(t, col, b), column_text_length(col, b));
}

/* Rows with equal keys are all in one merge sort in the end (they share
** every eight bytes, and the last eight end in a zero), so their texts are
** compared there, with no pass of its own over the sorted rows. */
static int compare_string_rows(void *context, row_id a, row_id b)
{
	const string_sort *s = context;
	int c = compare_cells(s->t, s->col, a, b);
	if (c == 0 && s->texts != NULL)
		c = compare_cells(s->t, s->texts, a, b);
	return s->descending ? -c : c;
}

/* Eight bytes of a text from `from` on, zeros past its end. */
static uint64_t eight_bytes(const char *bytes, size_t length, size_t from)
{
	const unsigned char *text = (const unsigned char *)bytes;
	size_t i;
	uint64_t key = 0;
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (from + 8 <= length) { /* eight whole bytes: one load, big-endian */
		memcpy(&key, text + from, 8);
		return __builtin_bswap64(key);
	}
#endif
	for (i = from; i < from + 8; i++)
		key = key << 8 | (i < length ? text[i] : 0);
	return key;
}

static uint64_t text_key(const string_sort *s, row_id r, size_t from)
{
	return eight_bytes(column_text(s->t, s->col, r), column_text_length(s->col, r),
	                   from);
}

static void merge_sort_strings(const string_sort *s, row_id *rows, size_t n,
                               row_id *spare)
{
	selection view;
	view.rows = rows;
	view.count = view.capacity = n;
	view.every_row = false;
	selection_sort_with(&view, spare, compare_string_rows, (void *)s);
}

static void sort_strings_from(const string_sort *s, row_id *rows, size_t n,
                              size_t depth, sort_space *space);

/* Whether the texts of rows[0 .. n-1] in col are all the same bytes. */
static bool same_texts(const table *t, const column *col, const row_id *rows,
                       size_t n)
{
	size_t length = column_text_length(col, rows[0]), i;
	const char *text = column_text(t, col, rows[0]);
	for (i = 1; i < n; i++)
		if (column_text_length(col, rows[i]) != length ||
		    memcmp(column_text(t, col, rows[i]), text, length) != 0)
			return false;
	return true;
}

/* Rows whose first `shared` bytes are the same, zeros past a string's end.
** When every string is as long and no longer than that, the strings are
** equal (the same title twice, most often): they keep their order, or,
** being collation keys, take their texts'. Else compare them whole. */
static void finish_run(const string_sort *s, row_id *rows, size_t n,
                       size_t shared, row_id *spare)
{
	size_t length = column_text_length(s->col, rows[0]), i;
	for (i = 1; i < n && column_text_length(s->col, rows[i]) == length; i++)
		;
	if (i < n || length > shared)
		merge_sort_strings(s, rows, n, spare);
	else if (s->texts != NULL && !same_texts(s->t, s->texts, rows, n)) {
		string_sort by_bytes = {s->t, s->texts, s->descending, NULL, false};
		merge_sort_strings(&by_bytes, rows, n, spare);
	}
}

/* The runs of equal keys among rows[from .. to-1] (sorted by keys, `from`
** a run's start), each sorted on by the bytes after the key's. */
static void sort_runs(const string_sort *s, row_id *rows, size_t from,
                      size_t to, size_t depth, sort_space *space)
{
	uint64_t flip = s->descending ? ~(uint64_t)0 : 0, *keys = space->keys;
	size_t start, end;
	for (start = from; start < to; start = end) {
		sort_space rest = sort_space_from(space, start);
		for (end = start + 1; end < to && keys[end] == keys[start]; end++)
			;
		if (end - start < 2)
			continue;
		/* A last byte of zero: the strings may end here. */
		if (((keys[start] ^ flip) & 255) == 0)
			finish_run(s, rows + start, end - start, 8 * (depth + 1),
			           rest.spare_rows);
		else
			sort_strings_from(s, rows + start, end - start, depth + 1,
			                  &rest);
	}
}

/* {====== On both cores ======
** A large sort's first step is split in two: the rows' first keys read by
** two threads (each cell is a cache miss), and once they are in order, the
** runs of the first half of the rows sorted on by one thread and the rest
** by another. Each works on its own part of the rows and of the space. */

typedef struct sort_half {
	const string_sort *s;
	row_id *rows;
	size_t from, to;
	sort_space *space;
	bool keys_only;  /* read the keys, or sort the runs */
} sort_half;

static void *sort_half_run(void *context)
{
	sort_half *h = context;
	uint64_t flip = h->s->descending ? ~(uint64_t)0 : 0;
	size_t i;
	if (h->keys_only)
		for (i = h->from; i < h->to; i++)
			h->space->keys[i] = text_key(h->s, h->rows[i], 0) ^ flip;
	else
		sort_runs(h->s, h->rows, h->from, h->to, 0, h->space);
	return NULL;
}

static void run_halves(sort_half h[2])
{
	parallel_both(sort_half_run, &h[0], &h[1]);
}

static void sort_strings_on_both_cores(const string_sort *s, row_id *rows,
                                       size_t n, sort_space *space)
{
	size_t middle = n / 2;
	sort_half h[2] = {{s, rows, 0, n / 2, space, true},
	                  {s, rows, n / 2, n, space, true}};
	if (!s->first_keys_made)
		run_halves(h);
	radix_sort(rows, n, space);
	while (middle < n && space->keys[middle] == space->keys[middle - 1])
		middle++; /* the second half starts a run */
	h[0] = (sort_half){s, rows, 0, middle, space, false};
	h[1] = (sort_half){s, rows, middle, n, space, false};
	run_halves(h);
}
/* }====== */

/* Sort rows[0 .. n-1], which share their first 8 * depth bytes. */
static void sort_strings_from(const string_sort *s, row_id *rows, size_t n,
                              size_t depth, sort_space *space)
{
	uint64_t flip = s->descending ? ~(uint64_t)0 : 0, *keys = space->keys;
	size_t i;
	if (n <= STRING_SMALL_RUN || depth == STRING_MAX_DEPTH) {
		merge_sort_strings(s, rows, n, space->spare_rows);
		return;
	}
	if (depth == 0 && n >= PARALLEL_ROWS) {
		sort_strings_on_both_cores(s, rows, n, space);
		return;
	}
	for (i = 0; i < n; i++)
		keys[i] = text_key(s, rows[i], 8 * depth) ^ flip;
	radix_sort(rows, n, space);
	sort_runs(s, rows, 0, n, depth, space);
}

/* A column of the rows' collation keys, read through the same radix sort,
** rows with equal keys put in the order of their texts' bytes. The keys'
** slots go by row id, as a column's do. */
static int sort_strings_by(const string_sort *s, row_id *rows, size_t n,
                           sort_space *space);

/* {====== Collation keys ======
** The collation keys of rows[from .. to-1] in a text buffer, each row's
** cell (its place in the keys' arena) in offsets, by row. A large sort
** makes its halves' keys on two threads, each into its own window of one
** reservation, so no key is copied after and the pages are first touched
** by the thread that fills them. A window is as long as its texts plus two
** bytes each plus the longest key a text could make: it may not grow, so a
** key that might not fit stops the half, and the keys are made again in
** buffers that grow. */
typedef struct key_half {
	const table *t;
	const column *col;
	collation collate;
	const row_id *rows;
	size_t from, to;
	uint64_t *offsets;
	text_buffer text;
	size_t base;   /* where text's bytes are in the keys' arena */
	bool fixed;    /* text is a window of a reservation: it may not grow */
	size_t room;   /* the bytes the texts take, two more each */
	size_t longest; /* the longest key a text of the half could make */
	uint64_t *first_keys; /* a large sort's radix keys, each key's first
	                         eight bytes (flipped when descending), or NULL */
	uint64_t flip;
} key_half;

static void *measure_texts(void *context)
{
	key_half *h = context;
	size_t i, longest = 0;
	h->room = 0;
	for (i = h->from; i < h->to; i++) {
		size_t length = column_text_length(h->col, h->rows[i]);
		h->room += length + 2;
		longest = length > longest ? length : longest;
	}
	h->longest = collate_key_room(h->collate, longest);
	return NULL;
}

static void *make_keys(void *context)
{
	key_half *h = context;
	size_t i;
	if (!h->fixed) { /* keys are about as long as texts */
		measure_texts(h);
		text_buffer_reserve(&h->text, h->room);
	}
	for (i = h->from; i < h->to && !h->text.failed; i++) {
		size_t start = h->text.length, length = column_text_length(h->col, h->rows[i]);
		if (h->fixed && h->text.capacity - start <= collate_key_room(h->collate, length)) {
			h->text.failed = true; /* it might not fit */
			break;
		}
		collate_key(h->collate, column_text(h->t, h->col, h->rows[i]), length, &h->text);
		if (h->text.length - start > TEXT_LENGTH_MAX ||
		    h->base + start >= TEXT_ARENA_MAX)
			h->text.failed = true;
		h->offsets[h->rows[i]] = text_cell(h->base + start, h->text.length - start);
		if (h->first_keys != NULL)
			h->first_keys[i] = eight_bytes(h->text.data + start,
			                               h->text.length - start, 0) ^ h->flip;
	}
	return NULL;
}

/* The keys of both halves in windows of one reservation; its start (the
** keys' arena), or NULL when a window was too short or memory ran out. */
static char *make_keys_in_windows(key_half h[2])
{
	char *block;
	size_t window[2], k;
	parallel_both(measure_texts, &h[0], &h[1]);
	for (k = 0; k < 2; k++)
		window[k] = h[k].room + h[k].longest + 1;
	/* under --max-memory, a reservation that counts its pages as they are
	** filled; else a plain block, whose pages the allocator keeps from one
	** sort to the next where a fresh mapping costs a fault a page */
	block = reel_memory_limit() != 0 ? reel_reserve(window[0] + window[1])
	                                 : reel_malloc(window[0] + window[1]);
	if (block == NULL)
		return NULL;
	reel_advise_huge_pages(block);
	for (k = 0; k < 2; k++) {
		h[k].fixed = true;
		h[k].base = k == 0 ? 0 : window[0];
		h[k].text = (text_buffer){block + h[k].base, 0, window[k], false};
	}
	parallel_both(make_keys, &h[0], &h[1]);
	if (h[0].text.failed || h[1].text.failed ||
	    reel_use(block, window[0] + h[1].text.length) != 0) {
		reel_free(block);
		return NULL;
	}
	return block;
}

/* Every row's key in h[0].text, the second half's after the first's when
** they were made apart. False when memory ran out or a key is too long. */
static bool make_keys_in_buffers(key_half h[2], size_t n)
{
	size_t i, base;
	h[0].fixed = h[1].fixed = false;
	h[0].base = h[1].base = 0;
	h[0].text = h[1].text = (text_buffer){NULL, 0, 0, false};
	if (n < PARALLEL_ROWS) {
		h[0].to = n;
		make_keys(&h[0]);
		return !h[0].text.failed;
	}
	parallel_both(make_keys, &h[0], &h[1]);
	base = h[0].text.length;
	if (h[0].text.failed || h[1].text.failed || base + h[1].text.length >= TEXT_ARENA_MAX)
		return false;
	text_buffer_append(&h[0].text, h[1].text.data != NULL ? h[1].text.data : "",
	                   h[1].text.length);
	for (i = h[1].from; i < n; i++)
		h[1].offsets[h[1].rows[i]] += (uint64_t)base << TEXT_LENGTH_BITS;
	return !h[0].text.failed;
}

static int sort_collated_strings(const table *t, const column *col,
                                 collation collate, row_id *rows, size_t n,
                                 bool descending, sort_space *space)
{
	column keys;
	key_half h[2];
	char *block = NULL;
	int status = -1;
	bool large = n >= PARALLEL_ROWS;
	string_sort s = {t, &keys, descending, col, large};
	memset(&keys, 0, sizeof keys);
	keys.type = COLUMN_STRING;
	keys.offsets = reel_malloc((t->row_count + 1) * sizeof *keys.offsets);
	h[0] = (key_half){t, col, collate, rows, 0, n / 2, keys.offsets,
	                  {NULL, 0, 0, false}, 0, false, 0, 0, NULL,
	                  descending ? ~(uint64_t)0 : 0};
	if (keys.offsets == NULL || (large && sort_space_keys(space) != 0)) {
		reel_free(keys.offsets);
		return -1;
	}
	h[0].first_keys = large ? space->keys : NULL;
	h[1] = h[0];
	h[1].from = n / 2;
	h[1].to = n;
	if (large)
		block = make_keys_in_windows(h);
	if (block != NULL || make_keys_in_buffers(h, n)) {
		keys.arena = block != NULL ? block : h[0].text.data != NULL ? h[0].text.data : "";
		status = sort_strings_by(&s, rows, n, space);
	}
	reel_free(keys.offsets);
	if (block != NULL)
		reel_free(block);
	else {
		text_buffer_free(&h[0].text);
		text_buffer_free(&h[1].text);
	}
	return status;
}
/* }====== */

bool sort_collated(const sort_key *keys, size_t count)
{
	size_t i;
	for (i = 0; i < count; i++)
		if (keys[i].collate != COLLATE_BINARY)
			return true;
	return false;
}

static int sort_strings_by(const string_sort *s, row_id *rows, size_t n,
                           sort_space *space)
{
	if (n > STRING_SMALL_RUN && sort_space_keys(space) != 0)
		return -1;
	sort_strings_from(s, rows, n, 0, space);
	return 0;
}

static int sort_strings(const table *t, const column *col, row_id *rows,
                        size_t n, bool descending, sort_space *space)
{
	string_sort s = {t, col, descending, NULL, false};
	return sort_strings_by(&s, rows, n, space);
}
/* }====== */

/* {====== Multi-key sort ====== */

/* One stable pass by one key; sort_rows runs them from the last key to the
** first, so earlier keys decide and later ones break their ties. */
static int sort_by_key(const table *t, selection *s, const sort_key *key,
                       sort_space *space)
{
	const column *col = &t->columns[key->column];
	size_t n = move_nulls_last(col, s->rows, s->count, space->spare_rows);
	if (n < 2)
		return 0;
	switch (col->type) {
	case COLUMN_STRING:
		if (key->collate != COLLATE_BINARY)
			return sort_collated_strings(t, col, key->collate, s->rows, n,
			                             key->descending, space);
		return sort_strings(t, col, s->rows, n, key->descending, space);
	case COLUMN_NUMBER:
		return sort_numbers(col, s->rows, n, key->descending, space);
	default:
		return sort_integers(col, s->rows, n, key->descending, space);
	}
}

selection *sort_rows(const table *t, const selection *in,
                      const sort_key *keys, size_t count)
{
	selection *out;
	sort_space space;
	size_t k;
	int failed = 0;
	for (k = 0; k < count; k++)
		if (keys[k].column >= t->column_count)
			return NULL;
	out = selection_copy(in);
	if (out == NULL || out->count < 2 || count == 0)
		return out;
	memset(&space, 0, sizeof space);
	space.size = out->count;
	space.spare_rows = reel_malloc(out->count * sizeof *space.spare_rows);
	failed = space.spare_rows == NULL;
	for (k = count; k-- > 0 && !failed;)
		failed = sort_by_key(t, out, &keys[k], &space) != 0;
	reel_free(space.keys);
	reel_free(space.spare_keys);
	reel_free(space.spare_rows);
	if (failed) {
		selection_free(out);
		return NULL;
	}
	return out;
}
/* }====== */
