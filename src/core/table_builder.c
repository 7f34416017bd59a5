/*
** table_builder.c: building the film table (see table.h, "Building").
** The builder copies a text column's cells into one growing arena and keeps,
** per column, only where each cell starts and which cells are null: a cell's
** length is where the next text cell starts, so while building a cell costs
** its bytes, a '\0' and eight bytes. Each cell is classified as it arrives, so
** finishing knows every column's type without reading the text twice; it then
** converts numeric text columns in place over their offsets, squeezes their
** text out of the arena, and packs each string cell's start and length into
** its slot. A reader that can read its input again may ask for value columns
** (table_builder_expect_numbers): their numbers go straight into the slots
** (4 bytes an integer while each fits 32 bits) and never reach the arena,
** and the first cell that is not a number turns the column to text and asks
** the reader to start over. A builder with room reserved can be split in two
** parts filled at once (one per thread) in the same blocks and joined where
** they stand: the rows meet with at most a move of the second part's slots,
** the text with a seam of unwritten bytes between the parts. The arena and
** the columns' slots are reservations (memory.h): room for the worst case
** costs nothing until it is filled, and they are counted as they fill, a
** megabyte ahead, so --max-memory sees the memory in use. Finishing is
** table_builder_finish.c's. Relies on cell.h to read each cell and
** memory.h for every block.
*/
#define _DEFAULT_SOURCE /* madvise's MADV_HUGEPAGE, where the system has it */
#include "table_builder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "memory.h"
#include "text.h"

/* {====== Building ====== */
/* Touching a new page costs a trap, dear on a virtual machine; the arena
** reserved whole (table_builder_reserve) asks for huge pages, so a
** million-film catalogue's text takes hundreds of traps instead of tens of
** thousands (memory.h advises the whole reservation, which stays one
** mapping and can still grow). Of the columns' slots, only a text column's
** are advised (turn_to_text): 4-byte integer slots fill half their block,
** each half of a split read its own part, and the huge pages left partly
** used cost 7 MB of peak memory on a million films. */
#define HUGE_PAGE ((size_t)2 << 20)

/* The pages of a block past its first `used` bytes go back to the system
** (they read as zeros if touched again): a block whose mapping huge-page
** advice split may not shrink in place, and its squeezed-out tail would
** stay resident. */
void table_builder_release_tail(void *block, size_t used, size_t capacity)
{
	uintptr_t start = ((uintptr_t)block + used + 4095) & ~(uintptr_t)4095;
	uintptr_t end = ((uintptr_t)block + capacity) & ~(uintptr_t)4095;
#ifdef MADV_DONTNEED
	if (block != NULL && capacity >= ((size_t)4 << 20) && end > start)
		madvise((void *)start, (size_t)(end - start), MADV_DONTNEED);
#else
	(void)start;
	(void)end;
#endif
}

#define FIRST_ROW_CAPACITY 64
#define WIDE_COLUMNS 4096
#define FIRST_ARENA_CAPACITY 4096

table_builder *table_builder_new(size_t column_count, const char *const *names)
{
	table_builder *b = reel_calloc(1, sizeof *b);
	size_t i;
	if (b == NULL)
		return NULL;
	b->column_count = column_count;
	b->names = reel_calloc(column_count + 1, sizeof *b->names);
	b->drafts = reel_calloc(column_count + 1, sizeof *b->drafts);
	b->arena = reel_malloc(FIRST_ARENA_CAPACITY);
	if (b->names == NULL || b->drafts == NULL || b->arena == NULL)
		goto fail;
	for (i = 0; i < column_count; i++) {
		b->names[i] = reel_strdup(names[i]);
		if (b->names[i] == NULL)
			goto fail;
		b->drafts[i].kinds = b->drafts[i].kept = KINDS_ANY;
	}
	/* offset 0 is the empty string that null string cells point at */
	b->arena[0] = '\0';
	b->arena_used = b->row_start = b->arena_base = 1;
	b->arena_capacity = b->arena_counted = FIRST_ARENA_CAPACITY;
	b->seam_row = b->oversized_row = SIZE_MAX;
	table_builder_set_nulls(b, NULL);
	return b;
fail:
	table_builder_free(b);
	return NULL;
}

static int grow_null_bits(uint64_t **nulls, size_t old_rows, size_t new_rows)
{
	size_t old_words = null_words(old_rows), new_words = null_words(new_rows);
	uint64_t *grown = reel_realloc(*nulls, new_words * sizeof *grown);
	if (grown == NULL)
		return -1;
	memset(grown + old_words, 0, (new_words - old_words) * sizeof *grown);
	*nulls = grown;
	return 0;
}

/* Room for `capacity` rows in every column. A failure part way leaves some
** columns larger than row_capacity says, which is harmless. */
static int set_row_capacity(table_builder *b, size_t capacity)
{
	size_t i;
	if (capacity > MAX_ROWS + 1)
		capacity = MAX_ROWS + 1;
	if (b->fixed || capacity <= b->row_capacity ||
	    capacity > SIZE_MAX / sizeof(uint64_t))
		return -1;
	for (i = 0; i < b->column_count; i++) {
		column_draft *d = &b->drafts[i];
		uint64_t *offsets = reel_reserve_grow(d->offsets, capacity * sizeof *offsets);
		if (offsets == NULL)
			return -1;
		d->offsets = offsets;
		if (d->nulls != NULL &&
		    grow_null_bits(&d->nulls, b->row_capacity, capacity) != 0)
			return -1;
	}
	b->row_capacity = capacity;
	return 0;
}

/* Room for one more row in every column: a wide table starts with less,
** so that a header of 200,000 names does not take 100 MB for its first row. */
static int grow_rows(table_builder *b)
{
	size_t first = b->column_count > WIDE_COLUMNS ? 4 : FIRST_ROW_CAPACITY;
	return set_row_capacity(b, b->row_capacity ? b->row_capacity + b->row_capacity / 2
	                                           : first);
}

static void arena_resized(table_builder *b, size_t capacity);

int table_builder_reserve(table_builder *b, size_t rows, size_t bytes)
{
	char *arena;
	if (b->fixed)
		return -1;
	if (rows > b->row_capacity && set_row_capacity(b, rows) != 0)
		return -1;
	if (bytes > TEXT_ARENA_MAX)
		bytes = TEXT_ARENA_MAX;
	if (bytes <= b->arena_capacity)
		return 0;
	arena = reel_reserve_grow(b->arena, bytes);
	if (arena == NULL)
		return -1;
	reel_advise_huge_pages(arena);
	arena_resized(b, bytes);
	b->arena = arena;
	return 0;
}

/* The arena is now `capacity` bytes: an ordinary block (under
** RESERVE_AT_LEAST) is counted whole, and one that just became a
** reservation still counts the ordinary block's bytes. */
static void arena_resized(table_builder *b, size_t capacity)
{
	if (capacity < RESERVE_AT_LEAST)
		b->arena_counted = capacity;
	else if (b->arena_capacity < RESERVE_AT_LEAST)
		b->arena_counted = b->arena_capacity;
	b->arena_capacity = capacity;
}

/* Grows the arena to hold a cell of `length` bytes and its '\0'. */
static int grow_arena(table_builder *b, size_t length)
{
	size_t need, capacity;
	char *grown;
	if (b->fixed || length >= SIZE_MAX - b->arena_used)
		return -1;
	need = b->arena_used + length + 1;
	if (need > TEXT_ARENA_MAX)
		return -1; /* a cell's start must fit its packed bits */
	/* by half again: doubling would overshoot a memory cap on big files */
	capacity = b->arena_capacity;
	capacity = capacity < SIZE_MAX / 2 ? capacity + capacity / 2 : SIZE_MAX;
	if (capacity < need)
		capacity = need;
	grown = reel_reserve_grow(b->arena, capacity);
	if (grown == NULL)
		return -1;
	b->arena = grown;
	arena_resized(b, capacity);
	return 0;
}

/* {====== Counting what is used ====== */
/* The arena and the slots are counted ahead of the writing, by a quarter
** of what they hold (so a small table is not charged a megabyte) up to a
** megabyte. */
#define USE_STEP ((size_t)1 << 20)

static size_t step_ahead(size_t held, size_t least)
{
	size_t step = held / 4;
	return step < least ? least : step > USE_STEP ? USE_STEP : step;
}

/* The arena bytes before `end` are counted as in use. */
static int use_arena(table_builder *b, size_t end)
{
	size_t upto;
	if (end <= b->arena_counted)
		return 0;
	upto = end + step_ahead(end, 4096);
	if (upto > b->arena_capacity)
		upto = b->arena_capacity;
	if (reel_use(b->arena, upto - b->arena_counted) != 0)
		return -1;
	b->arena_counted = upto;
	return 0;
}

/* The slots of rows from rows_counted on are counted as in use, a step of
** rows at a time (one row, for a table of many columns), each column's at
** the width it has (wide_enough). */
static int use_rows(table_builder *b)
{
	/* a part's slots lie inside the whole's blocks, which memory.h knows */
	const column_draft *blocks = b->whole != NULL ? b->whole->drafts : b->drafts;
	size_t columns = b->column_count > 0 ? b->column_count : 1, i;
	size_t step = step_ahead(b->rows_counted * 8 * columns, 512 * columns) / 8 / columns;
	size_t room = b->row_capacity - b->rows_counted;
	if (step == 0)
		step = 1;
	if (step > room)
		step = room;
	for (i = 0; i < b->column_count; i++)
		if (reel_use(blocks[i].offsets, step * b->drafts[i].counted_width) != 0) {
			while (i-- > 0)
				reel_unuse(blocks[i].offsets, step * b->drafts[i].counted_width);
			return -1;
		}
	b->rows_counted += step;
	return 0;
}

/* A column's slots are 4 bytes while it keeps narrow integers, else 8; when
** they widen (or the column's first cell comes), the rows counted so far
** count at the new width. */
static int wide_enough(table_builder *b, column_draft *d)
{
	const column_draft *blocks = b->whole != NULL ? b->whole->drafts : b->drafts;
	size_t col = (size_t)(d - b->drafts);
	unsigned char width = draft_is_narrow(d) ? 4 : 8;
	if (width <= d->counted_width)
		return 0;
	if (reel_use(blocks[col].offsets, b->rows_counted * (width - d->counted_width)) != 0)
		return -1;
	d->counted_width = width;
	return 0;
}

/* The room a new row needs: its slots in every column, grown and counted. */
static int room_for_row(table_builder *b)
{
	if (b->row_count == b->row_capacity && grow_rows(b) != 0)
		return -1;
	return b->row_count < b->rows_counted ? 0 : use_rows(b);
}
/* }====== */

/* {====== Building: value columns ====== */
/* The common cell of a value column, [-]digits (at most 18, so no
** overflow), read without copying it; false for anything else. */
static bool read_plain_integer(const char *text, size_t length,
                               uint64_t *magnitude, bool *negative)
{
	size_t i = 0;
	uint64_t m = 0;
	*negative = length > 1 && text[0] == '-';
	if (*negative)
		i = 1;
	if (length == 0 || length - i > 18)
		return false;
	for (; i < length; i++) {
		if (!cell_is_digit(text[i]))
			return false;
		m = m * 10 + (uint64_t)(text[i] - '0');
	}
	*magnitude = m;
	return true;
}

/* A 4-byte slot r lies at byte 4r of the column's block, an 8-byte one at
** byte 8r; both are reached through memcpy, the block being untyped. */
static int64_t narrow_slot(const column_draft *d, size_t row)
{
	int32_t x;
	memcpy(&x, (const char *)d->offsets + row * sizeof x, sizeof x);
	return x;
}

/* The first `rows` slots, 4 bytes each, become 8 in place: from the last,
** so that each is read before a wider one lands on it. */
static void widen_integers(column_draft *d, size_t rows)
{
	size_t r = rows;
	while (r-- > 0) {
		int64_t x = narrow_slot(d, r);
		memcpy(&d->offsets[r], &x, sizeof x);
	}
	d->wide = true;
}

static void store_integer(column_draft *d, size_t row, int64_t x)
{
	int32_t narrow = (int32_t)x;
	if (!d->wide && narrow != x)
		widen_integers(d, row);
	if (d->wide)
		memcpy(&d->offsets[row], &x, sizeof x);
	else
		memcpy((char *)d->offsets + row * sizeof narrow, &narrow, sizeof narrow);
}

/* An integer column's cells so far become doubles in place; the first
** decimal has arrived. A null slot holds 0 either way. */
static void promote_to_numbers(column_draft *d, size_t rows)
{
	size_t r;
	if (!d->wide)
		widen_integers(d, rows);
	for (r = 0; r < rows; r++) {
		int64_t whole;
		double x;
		memcpy(&whole, &d->offsets[r], sizeof whole);
		x = (double)whole; /* rounds to nearest, as reading the text would */
		memcpy(&d->offsets[r], &x, sizeof x);
	}
	d->mode = MODE_NUMBER;
}

/* The cell is not a value after all: the column keeps its text from now
** on, and the reader must give the cells again from the first row. A
** text column fills its 8-byte slots end to end, in both halves of a split
** read, so its reserved room is worth huge pages (see HUGE_PAGE). */
static int turn_to_text(table_builder *b, column_draft *d)
{
	if (b->row_capacity * sizeof *d->offsets >= 2 * HUGE_PAGE)
		reel_advise_huge_pages(d->offsets);
	d->mode = MODE_TEXT;
	b->restart = true;
	return 0;
}

static void store_number(column_draft *d, size_t row, double x)
{
	memcpy(&d->offsets[row], &x, sizeof x);
}

/* A cell the fast path declines: classified and read from a NUL-terminated
** copy left just past the arena's end (it is not kept). */
static int add_unusual_value(table_builder *b, column_draft *d,
                             const char *text, size_t length)
{
	size_t row = b->row_count;
	char *copy;
	unsigned kinds;
	if (b->arena_capacity - b->arena_used <= length && grow_arena(b, length) != 0)
		return -1;
	if (use_arena(b, b->arena_used + length + 1) != 0)
		return -1;
	copy = b->arena + b->arena_used;
	memcpy(copy, text, length);
	copy[length] = '\0';
	kinds = cell_kinds(copy, length);
	if ((kinds & KIND_INTEGER) && d->mode == MODE_INTEGER) {
		int64_t x = cell_integer(copy);
		d->negative_zero |= x == 0 && copy[0] == '-';
		store_integer(d, row, x);
		return 0;
	}
	if (!(kinds & KIND_NUMBER))
		return turn_to_text(b, d);
	if (d->mode == MODE_INTEGER) {
		if (d->negative_zero) /* "-0" read as 0 would not be -0.0 now */
			return turn_to_text(b, d);
		promote_to_numbers(d, row);
	}
	store_number(d, row, cell_number(copy, &b->decimals));
	return 0;
}

static int add_value(table_builder *b, column_draft *d, const char *text,
                     size_t length)
{
	uint64_t magnitude;
	bool negative;
	d->kept = d->kinds;
	d->kinds |= KIND_SEEN;
	if (!read_plain_integer(text, length, &magnitude, &negative))
		return add_unusual_value(b, d, text, length);
	if (d->mode == MODE_INTEGER) {
		d->negative_zero |= negative && magnitude == 0;
		store_integer(d, b->row_count,
		              negative ? -(int64_t)magnitude : (int64_t)magnitude);
	} else {
		/* at most 18 digits need not be exact: the rounding is the one
		** reading the text gives (2^53 and beyond round the same way) */
		double x = (double)magnitude;
		store_number(d, b->row_count, negative ? -x : x);
	}
	return 0;
}

void table_builder_expect_numbers(table_builder *b)
{
	size_t i;
	if (b->row_count != 0 || b->cell != 0)
		return; /* only before the first cell */
	for (i = 0; i < b->column_count; i++)
		b->drafts[i].mode = MODE_INTEGER;
}

bool table_builder_wants_restart(const table_builder *b)
{
	return b->restart;
}

/* A restart after this many rows is a late one; after LATE_RESTARTS of
** them every column turns to text, so that a wide file whose columns meet
** text one after another deep down is read at most a few times over. */
#define LATE_ROWS 4096
#define LATE_RESTARTS 3

/* Every cell given so far is forgotten; the columns keep their modes. */
void table_builder_restart(table_builder *b)
{
	size_t i;
	if (b->row_count >= LATE_ROWS && ++b->late_restarts >= LATE_RESTARTS)
		for (i = 0; i < b->column_count; i++)
			b->drafts[i].mode = MODE_TEXT;
	for (i = 0; i < b->column_count; i++) {
		column_draft *d = &b->drafts[i];
		d->kinds = d->kept = KINDS_ANY;
		d->negative_zero = false;
		d->marked = false;
		reel_free(d->nulls);
		d->nulls = NULL;
	}
	b->row_count = 0;
	b->cell = 0;
	b->arena_used = b->row_start = b->arena_base;
	b->restart = false;
	b->seam_row = b->oversized_row = SIZE_MAX;
}
/* }====== */

/* {====== Building: null markers ====== */
static const char *const default_nulls[] = {"\\N", "NULL", "NA", "N/A", NULL};

void table_builder_set_nulls(table_builder *b, const char *const *markers)
{
	size_t i;
	b->null_markers = markers != NULL ? markers : default_nulls;
	memset(b->marker_starts, 0, sizeof b->marker_starts);
	b->marker_longest = 0;
	for (i = 0; b->null_markers[i] != NULL; i++) {
		unsigned char first = (unsigned char)b->null_markers[i][0];
		size_t length = strlen(b->null_markers[i]);
		b->marker_starts[first >> 6] |= (uint64_t)1 << (first & 63);
		if (length > b->marker_longest)
			b->marker_longest = length;
	}
}

int table_builder_null_marker(const table_builder *b, const char *text,
                              size_t length)
{
	unsigned char first = length > 0 ? (unsigned char)text[0] : 0;
	size_t i;
	if (length == 0 || length > b->marker_longest ||
	    !((b->marker_starts[first >> 6] >> (first & 63)) & 1))
		return MARKER_NONE;
	for (i = 0; b->null_markers[i] != NULL; i++)
		if (strncmp(b->null_markers[i], text, length) == 0 &&
		    b->null_markers[i][length] == '\0')
			return length == 2 && text[0] == '\\' && text[1] == 'N'
			       ? MARKER_ALWAYS : MARKER_TYPED;
	return MARKER_NONE;
}

/* The test every cell meets, kept inline: most cells are too long for a
** marker or start with a byte none starts with. */
static inline bool could_be_marker(const table_builder *b, const char *text,
                                   size_t length)
{
	unsigned char first;
	if (length == 0 || length > b->marker_longest)
		return false;
	first = (unsigned char)text[0];
	return (b->marker_starts[first >> 6] >> (first & 63)) & 1;
}

/* A marker null only where its column is typed: a value column reads it as
** null (should the column turn to text, its cells are given again); a text
** column keeps its text without narrowing the column's kinds, and
** finishing makes it null if the column comes out typed. */
static int add_typed_marker(table_builder *b, column_draft *d, const char *text,
                            size_t length)
{
	char *copy;
	d->marked = true;
	if (d->mode != MODE_TEXT)
		return table_builder_add_null(b);
	if (b->arena_capacity - b->arena_used <= length && grow_arena(b, length) != 0)
		return -1;
	if ((b->arena_used + length + 1 > b->arena_counted &&
	     use_arena(b, b->arena_used + length + 1) != 0) || wide_enough(b, d) != 0)
		return -1;
	b->cell++;
	d->offsets[b->row_count] = b->arena_used;
	d->kept = d->kinds;
	copy = b->arena + b->arena_used;
	memcpy(copy, text, length);
	copy[length] = '\0';
	b->arena_used += length + 1;
	return 0;
}
/* }====== */

/* A text column's cell narrows what the column can be; a whole number too
** large for 64 bits is noted, as it keeps the column text. */
static void classify(table_builder *b, column_draft *d, unsigned kinds)
{
	if ((kinds & KIND_OVERSIZED) && b->row_count < b->oversized_row) {
		b->oversized_row = b->row_count;
		b->oversized_column = (size_t)(d - b->drafts);
	}
	d->kinds &= kinds | KIND_SEEN;
}

int table_builder_add(table_builder *b, const char *text, size_t length)
{
	column_draft *d;
	char *copy;
	int marker;
	if (b->cell >= b->column_count) {
		b->cell++; /* counted only, so end_row can say how many there were */
		return 0;
	}
	if (b->row_count >= b->rows_counted && room_for_row(b) != 0)
		return -1;
	if (length > TEXT_LENGTH_MAX)
		return -1; /* a cell's length must fit its packed bits */
	d = &b->drafts[b->cell];
	if (could_be_marker(b, text, length) &&
	    (marker = table_builder_null_marker(b, text, length)) != MARKER_NONE)
		return marker == MARKER_ALWAYS ? table_builder_add_null(b)
		                               : add_typed_marker(b, d, text, length);
	if (d->mode != MODE_TEXT) {
		b->cell++;
		return add_value(b, d, text, length) == 0 ? wide_enough(b, d) : -1;
	}
	if (b->arena_capacity - b->arena_used <= length && grow_arena(b, length) != 0)
		return -1;
	if ((b->arena_used + length + 1 > b->arena_counted &&
	     use_arena(b, b->arena_used + length + 1) != 0) || wide_enough(b, d) != 0)
		return -1;
	b->cell++;
	d->offsets[b->row_count] = b->arena_used;
	d->kept = d->kinds;
	copy = b->arena + b->arena_used;
	if (length > 0)
		memcpy(copy, text, length);
	copy[length] = '\0';
	b->arena_used += length + 1;
	if (d->kinds & KINDS_ANY)
		classify(b, d, cell_kinds(copy, length));
	d->kinds |= KIND_SEEN;
	return 0;
}

int table_builder_add_null(table_builder *b)
{
	column_draft *d;
	size_t row = b->row_count;
	if (b->cell >= b->column_count) {
		b->cell++;
		return 0;
	}
	if (row >= b->rows_counted && room_for_row(b) != 0)
		return -1;
	d = &b->drafts[b->cell];
	if (d->nulls == NULL) {
		d->nulls = reel_calloc(null_words(b->row_capacity), sizeof *d->nulls);
		if (d->nulls == NULL)
			return -1;
	}
	b->cell++;
	d->kept = d->kinds;
	/* no bytes: a text cell's length comes out 0, a value's slot holds 0 */
	if (d->mode == MODE_INTEGER)
		store_integer(d, row, 0);
	else
		d->offsets[row] = d->mode == MODE_TEXT ? b->arena_used : 0;
	d->nulls[row >> 6] |= (uint64_t)1 << (row & 63);
	return wide_enough(b, d);
}

/* Forgets the cells of the row being given. */
void table_builder_undo_row(table_builder *b)
{
	size_t i, row = b->row_count;
	for (i = 0; i < b->column_count && i < b->cell; i++) {
		column_draft *d = &b->drafts[i];
		d->kinds = d->kept;
		if (d->nulls != NULL)
			d->nulls[row >> 6] &= ~((uint64_t)1 << (row & 63));
	}
	b->arena_used = b->row_start;
	b->cell = 0;
}

int table_builder_end_row(table_builder *b, reel_error *err)
{
	if (b->cell != b->column_count) {
		error_set(err, REEL_ERROR_DATA, "expected %zu field%s, found %zu",
		          b->column_count, b->column_count == 1 ? "" : "s", b->cell);
		table_builder_undo_row(b);
		return -1;
	}
	if (b->row_count >= MAX_ROWS) {
		error_set(err, REEL_ERROR_DATA, "too many rows (at most %zu)", MAX_ROWS);
		table_builder_undo_row(b);
		return -1;
	}
	b->row_count++;
	b->cell = 0;
	b->row_start = b->arena_used;
	return 0;
}

size_t table_builder_row_count(const table_builder *b)
{
	return b->row_count;
}

bool table_builder_oversized(const table_builder *b, size_t *col,
                             size_t *row)
{
	if (b->oversized_row == SIZE_MAX)
		return false;
	*col = b->oversized_column;
	*row = b->oversized_row;
	return true;
}

void table_builder_free(table_builder *b)
{
	size_t i;
	if (b == NULL)
		return;
	for (i = 0; i < b->column_count; i++) {
		if (b->names != NULL)
			reel_free(b->names[i]);
		if (b->drafts != NULL) {
			if (!b->is_part)
				reel_free(b->drafts[i].offsets);
			reel_free(b->drafts[i].nulls);
		}
	}
	reel_free(b->names);
	reel_free(b->drafts);
	if (!b->is_part)
		reel_free(b->arena);
	cell_decimal_close(&b->decimals);
	reel_free(b);
}
/* }====== */

/* {====== Building in two parts ====== */
/* The part writes rows from `first_rows` and text from `first_bytes` on, in
** the whole's reserved blocks; the whole keeps what lies before. */
table_builder *table_builder_part(table_builder *b, size_t first_rows,
                                  size_t first_bytes)
{
	table_builder *part;
	size_t i;
	if (b->fixed || b->is_part || b->row_count != 0 || b->cell != 0 ||
	    first_rows > b->row_capacity || first_bytes < 1 ||
	    first_bytes > b->arena_capacity)
		return NULL;
	part = reel_calloc(1, sizeof *part);
	if (part == NULL)
		return NULL;
	part->drafts = reel_calloc(b->column_count + 1, sizeof *part->drafts);
	if (part->drafts == NULL) {
		reel_free(part);
		return NULL;
	}
	part->column_count = b->column_count;
	part->is_part = part->fixed = true;
	for (i = 0; i < b->column_count; i++) {
		part->drafts[i].kinds = part->drafts[i].kept = KINDS_ANY;
		part->drafts[i].mode = b->drafts[i].mode;
		part->drafts[i].wide = b->drafts[i].wide;
		part->drafts[i].offsets = b->drafts[i].offsets + first_rows;
	}
	part->row_capacity = b->row_capacity - first_rows;
	part->arena = b->arena;
	part->arena_capacity = b->arena_capacity;
	part->arena_used = part->row_start = part->arena_base = first_bytes;
	part->arena_counted = first_bytes;
	part->first_row = first_rows;
	part->whole = b;
	part->oversized_row = SIZE_MAX;
	part->seam_row = SIZE_MAX;
	part->null_markers = b->null_markers;
	memcpy(part->marker_starts, b->marker_starts, sizeof part->marker_starts);
	part->marker_longest = b->marker_longest;
	b->full_rows = b->row_capacity;
	b->full_bytes = b->arena_capacity;
	b->row_capacity = first_rows;
	b->arena_capacity = first_bytes;
	b->fixed = true;
	return part;
}

/* The whole may grow again; the part (if any) is gone. */
static void end_split(table_builder *b, table_builder *part)
{
	if (b->fixed) {
		b->row_capacity = b->full_rows;
		b->arena_capacity = b->full_bytes;
		b->fixed = false;
	}
	table_builder_free(part);
}

/* A part given up: what it filled is given back and no longer counted, as
** the whole will read those rows again itself. */
static void give_back_part(table_builder *b, const table_builder *part)
{
	size_t i, rows = part->rows_counted;
	for (i = 0; i < b->column_count; i++) {
		const char *slots = (const char *)(b->drafts[i].offsets + part->first_row);
		reel_release_pages(slots, slots + rows * 8);
		reel_unuse(b->drafts[i].offsets, rows * part->drafts[i].counted_width);
	}
	reel_release_pages(b->arena + part->arena_base, b->arena + part->arena_counted);
	reel_unuse(b->arena, part->arena_counted - part->arena_base);
}

void table_builder_drop_part(table_builder *b, table_builder *part)
{
	if (part != NULL)
		give_back_part(b, part);
	end_split(b, part);
	table_builder_restart(b);
}

/* Whether two drafts of a column may join: the same mode, or integers and
** numbers (the integers become doubles, unless one was "-0"). */
static bool modes_agree(const column_draft *a, const column_draft *z)
{
	if (a->mode == z->mode)
		return true;
	if (a->mode == MODE_TEXT || z->mode == MODE_TEXT)
		return false;
	return !(a->mode == MODE_INTEGER ? a->negative_zero : z->negative_zero);
}

bool table_builder_parts_agree(table_builder *b, table_builder *part)
{
	bool agree = true;
	size_t i;
	for (i = 0; i < b->column_count; i++) {
		column_draft *a = &b->drafts[i], *z = &part->drafts[i];
		if (modes_agree(a, z))
			continue;
		a->mode = z->mode = MODE_TEXT;
		agree = false;
	}
	return agree;
}

/* The part's null bits, rows shifted by `at`, set in the whole's. */
static int join_nulls(column_draft *d, const column_draft *z, size_t at,
                      size_t rows, size_t capacity)
{
	size_t r;
	for (r = 0; z->nulls != NULL && r < rows; r++) {
		size_t to = at + r;
		if (!((z->nulls[r >> 6] >> (r & 63)) & 1))
			continue;
		if (d->nulls == NULL &&
		    (d->nulls = reel_calloc(null_words(capacity), sizeof *d->nulls)) == NULL)
			return -1;
		d->nulls[to >> 6] |= (uint64_t)1 << (to & 63);
	}
	return 0;
}


/* One column of the part after the whole's rows: its slots move down when
** the whole had fewer rows than it had room for (blank lines, line breaks
** inside quotes), and integers meeting numbers become numbers. The part's
** 4-byte slots, which start where its 8-byte ones would, move
** down after the whole's; the pages they leave go back at once. */
static void join_narrow_slots(column_draft *d, const column_draft *z,
                              size_t rows, size_t part_rows, size_t first_rows)
{
	char *block = (char *)d->offsets;
	memmove(block + rows * sizeof(int32_t), z->offsets, part_rows * sizeof(int32_t));
	table_builder_release_tail(block, (rows + part_rows) * sizeof(int32_t),
	             (first_rows + part_rows) * sizeof(int64_t));
}

static int join_column(table_builder *b, size_t col, table_builder *part,
                       size_t first_rows)
{
	column_draft *d = &b->drafts[col], *z = &part->drafts[col];
	if (draft_is_narrow(d) && !draft_is_narrow(z))
		widen_integers(d, b->row_count);
	if (draft_is_narrow(z) && !draft_is_narrow(d))
		widen_integers(z, part->row_count);
	if (d->mode == MODE_INTEGER && z->mode == MODE_NUMBER)
		promote_to_numbers(d, b->row_count);
	if (z->mode == MODE_INTEGER && d->mode == MODE_NUMBER)
		promote_to_numbers(z, part->row_count);
	if (draft_is_narrow(d))
		join_narrow_slots(d, z, b->row_count, part->row_count, first_rows);
	else if (b->row_count != first_rows)
		memmove(d->offsets + b->row_count, d->offsets + first_rows,
		        part->row_count * sizeof *d->offsets);
	if (d->nulls != NULL &&
	    grow_null_bits(&d->nulls, first_rows, b->row_capacity) != 0)
		return -1;
	if (join_nulls(d, z, b->row_count, part->row_count, b->row_capacity) != 0)
		return -1;
	d->kinds = (d->kinds & z->kinds & KINDS_ANY) | ((d->kinds | z->kinds) & KIND_SEEN);
	d->kept = d->kinds;
	d->negative_zero |= z->negative_zero;
	d->marked |= z->marked;
	return 0;
}

int table_builder_join(table_builder *b, table_builder *part)
{
	size_t first_rows = b->row_capacity, i;
	if (!b->fixed || part == NULL || !table_builder_parts_agree(b, part) ||
	    b->cell != 0 || part->cell != 0 || b->restart || part->restart ||
	    b->row_count + part->row_count > MAX_ROWS) {
		table_builder_drop_part(b, part);
		return -1;
	}
	b->row_capacity = b->full_rows;
	b->arena_capacity = b->full_bytes;
	b->fixed = false;
	for (i = 0; i < b->column_count; i++)
		if (join_column(b, i, part, first_rows) != 0) {
			table_builder_drop_part(b, part);
			return -1;
		}
	if (part->oversized_row != SIZE_MAX && b->oversized_row == SIZE_MAX) {
		b->oversized_row = b->row_count + part->oversized_row;
		b->oversized_column = part->oversized_column;
	}
	b->seam_row = b->row_count;
	b->seam_end = b->arena_used;
	b->seam_next = part->arena_base;
	b->row_count += part->row_count;
	b->arena_used = b->row_start = part->arena_used;
	b->rows_counted = b->row_count; /* both parts' counts are in the blocks */
	b->arena_counted = part->arena_counted;
	table_builder_free(part);
	return 0;
}
/* }====== */


/* {====== Building: text kept ====== */
void table_builder_keep_text(table_builder *b, size_t col)
{
	unsigned values = KIND_INTEGER | KIND_NUMBER | KIND_BOOLEAN;
	if (col >= b->column_count)
		return;
	if (b->drafts[col].mode != MODE_TEXT) {
		turn_to_text(b, &b->drafts[col]); /* the rows are given again */
		return;
	}
	b->drafts[col].kinds &= ~values;
	b->drafts[col].kept &= ~values;
}
/* }====== */
