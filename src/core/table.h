/*
** table.h: the film table, stored by column.
** Provides typed columns (integers in 32 bits when they all fit, else 64;
** doubles; booleans; or strings kept in one arena, each cell's place and
** length packed in 8 bytes), a null bitmap per column, a schema, the film
** names that resolve to a catalogue's own columns, and a builder that readers
** fill cell by cell and that infers each column's type over the whole file.
** Pure C: no Lua here. Memory comes from memory.h.
*/
#ifndef REEL_TABLE_H
#define REEL_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "value.h"

/* A row's position in its table. 32 bits hold any catalogue we load. */
typedef uint32_t row_id;
/* No row: a left join's unmatched side, whose cells read as null. */
#define TABLE_NO_ROW UINT32_MAX

typedef enum column_type {
	COLUMN_INTEGER,
	COLUMN_NUMBER,
	COLUMN_BOOLEAN,
	COLUMN_STRING,
	COLUMN_DATE      /* dates and date-times as stamps (date.h) in `integers` */
} column_type;

typedef struct column {
	char *name;
	column_type type;
	int64_t *integers;  /* COLUMN_INTEGER, when a value needs 64 bits;
	                       COLUMN_DATE's stamps, always */
	int32_t *narrow;    /* COLUMN_INTEGER, when every value fits 32 bits
	                       (then integers is NULL): years, minutes, ids */
	double *numbers;    /* COLUMN_NUMBER */
	uint8_t *booleans;  /* COLUMN_BOOLEAN: 0 or 1 */
	uint64_t *offsets;  /* COLUMN_STRING: each value's start in the arena and
	                       its length in bytes, packed: see text_cell */
	uint64_t *nulls;    /* bit r set: row r is null; NULL when none is */
	const char *arena;  /* COLUMN_STRING: the arena its cells lie in when it
	                       is another table's (a join's view, or an
	                       aggregate's gathered column, which copies no
	                       text); NULL: the table's own */
	char list[8];       /* COLUMN_STRING: a list's separator, "" when the
	                       column is not a list (list.h) */
	/* COLUMN_INTEGER, COLUMN_DATE: the least and greatest non-null value
	** of the whole column, when `ranged` (a catalogue's columns, noted as it
	** is built; columns made otherwise are not): grouping by counting takes
	** its span from here instead of a pass over the rows */
	bool ranged;
	int64_t least, greatest;
	/* A view (a join's column): row r of this column is row map[r] of the
	** arrays above, which are another table's, borrowed (map[r] ==
	** TABLE_NO_ROW: a null); NULL for a column that owns its cells. The
	** map is the table's (table.maps), never the column's to free. */
	const row_id *map;
	bool lone;          /* a view with rows of no source row (a left join's
	                       right side): those read as null */
} column;

/* A string cell's 8 bytes: its start in the arena above TEXT_LENGTH_BITS,
** its length below. A cell holds at most TEXT_LENGTH_MAX bytes (256 MiB)
** and an arena at most TEXT_ARENA_MAX (64 GiB): one array a column instead
** of two keeps a big catalogue within 1.2 times its file's size. */
#define TEXT_LENGTH_BITS 28
#define TEXT_LENGTH_MAX (((uint64_t)1 << TEXT_LENGTH_BITS) - 1)
#define TEXT_ARENA_MAX ((uint64_t)1 << (64 - TEXT_LENGTH_BITS))
#define text_cell(start, length) \
	(((uint64_t)(start) << TEXT_LENGTH_BITS) | (uint64_t)(length))

/* A film name (canonical) and the column it stands for. */
typedef struct column_alias {
	char *name;
	size_t column;
} column_alias;

typedef struct table {
	size_t row_count;
	size_t column_count;
	column *columns;
	char *arena;        /* string values, each followed by a '\0' */
	size_t arena_size;
	column_alias *aliases;
	size_t alias_count;
	size_t references;  /* holders of the table: table_free drops one */
	struct table **held; /* tables whose arenas columns read, held */
	size_t held_count;
	row_id **maps;      /* the row maps its view columns read through
	                       (column.map): a join's rows of each side */
	size_t map_count;
	/* what q:similar reads, made by its first run and freed with the table
	** (similar_index.h) */
	struct similar_index *similar;
} table;


/* {====== Reading cells ======
** Every read of a cell goes through these (or takes a column's arrays
** straight only when its map is NULL): a view's row is first turned into
** its source row. */
/* The row of column c's arrays that row `row` of it reads: TABLE_NO_ROW
** for a view's row with none. */
static inline size_t column_source_row(const column *c, size_t row)
{
	return c->map != NULL ? (size_t)c->map[row] : row;
}
/* Whether cells of column c may be null: it has nulls, or is a view with
** rows of no source row. */
#define column_may_be_null(c) ((c)->nulls != NULL || (c)->lone)
/* Whether row `row` of column c (a column pointer) is null. */
static inline bool column_is_null(const column *c, size_t row)
{
	if (c->map != NULL && (row = c->map[row]) == TABLE_NO_ROW)
		return true;
	return c->nulls != NULL && ((c->nulls[row >> 6] >> (row & 63)) & 1);
}
#define table_is_null(t, col, row) column_is_null(&(t)->columns[col], row)
#define table_string_at(t, col, row) column_text(t, &(t)->columns[col], row)
#define table_string_length(t, col, row) \
	column_text_length(&(t)->columns[col], row)

value table_value(const table *t, size_t column, row_id row);

/* A cell of column c (one of t's columns), however the column keeps it:
** the integer of an integer column, the number, the boolean, the text and
** its length in bytes of a string column. A view's row with no source row
** reads as 0, false or "". */
static inline int64_t column_integer(const column *c, size_t row)
{
	if (c->map != NULL && (row = c->map[row]) == TABLE_NO_ROW)
		return 0;
	return c->narrow != NULL ? (int64_t)c->narrow[row] : c->integers[row];
}
static inline double column_number(const column *c, size_t row)
{
	if (c->map != NULL && (row = c->map[row]) == TABLE_NO_ROW)
		return 0;
	return c->numbers[row];
}
static inline uint8_t column_boolean(const column *c, size_t row)
{
	if (c->map != NULL && (row = c->map[row]) == TABLE_NO_ROW)
		return 0;
	return c->booleans[row];
}
/* A string cell's 8 bytes (text_cell). */
static inline uint64_t column_text_cell(const column *c, size_t row)
{
	if (c->map != NULL && (row = c->map[row]) == TABLE_NO_ROW)
		return 0;
	return c->offsets[row];
}
#define column_text(t, c, row) \
	(((c)->arena != NULL ? (c)->arena : (t)->arena) + \
	 (column_text_cell(c, row) >> TEXT_LENGTH_BITS))
#define column_text_length(c, row) \
	((size_t)(column_text_cell(c, row) & TEXT_LENGTH_MAX))
/* Whether a column's cells are int64 keys read by column_integer: integers,
** and dates' stamps. */
#define column_is_integral(c) \
	((c)->type == COLUMN_INTEGER || (c)->type == COLUMN_DATE)
/* An integer, date or boolean cell as a signed key. */
static inline int64_t column_ordinal(const column *c, size_t row)
{
	return column_is_integral(c) ? column_integer(c, row)
	       : column_boolean(c, row);
}
/* The order of two non-null cells of column c (one of t's): <0, 0, >0;
** numbers with NaN last, text bytewise. */
int table_cell_order(const table *t, const column *c, row_id a, row_id b);
const char *table_type_name(column_type type);
/* What a column of the type holds, in the plural ("integers"), for messages. */
const char *table_type_plural(column_type type);
/* }====== */

/* {====== Schema and film names ====== */
/* The column called `name`: a film name set by table_set_alias or resolved
** by table_resolve_film_names first (so an explicit mapping wins over a
** column of the same name), then the column's own name (exact). -1 when
** none. */
int table_column_index(const table *t, const char *name);
/* The column name closest to `name` (edit distance, case-insensitive), or
** NULL when nothing is close enough to suggest. */
const char *table_closest_column(const table *t, const char *name);
/* Make the film name `name` stand for the column `source` (a column's own
** name, else a film name). Returns 0, or -1 when there is no such column or
** memory runs out. */
int table_set_alias(table *t, const char *name, const char *source);
/* Resolve the film names (title, original_title, year, duration, director,
** genres, rating, description, cast, votes, type, imdb_id) from common
** sources' headers (IMDb datasets and exports, Letterboxd, TMDB),
** case-insensitively, where the table lacks them. */
int table_resolve_film_names(table *t);
/* }====== */

/* {====== Building ====== */
typedef struct table_builder table_builder;

/* A builder for a table whose header is `names`. NULL when out of memory. */
table_builder *table_builder_new(size_t column_count, const char *const *names);
/* Append the next cell of the current row (cells go row by row, left to
** right). The text is copied. Returns 0, or -1 when out of memory. */
int table_builder_add(table_builder *b, const char *text, size_t length);
int table_builder_add_null(table_builder *b);
/* Close the current row. Returns 0, or -1 when the row does not have one
** cell per column (err says how many it had) or memory runs out. */
int table_builder_end_row(table_builder *b, reel_error *err);
size_t table_builder_row_count(const table_builder *b);
/* Whether a column is kept as text for a whole number too large for 64
** bits (which a double would round, and every other value of the column
** with it): the first such column and its 0-based row. */
bool table_builder_oversized(const table_builder *b, size_t *col,
                             size_t *row);
/* Turn the cells into typed columns: a column whose every non-null cell is an
** integer becomes COLUMN_INTEGER, else a number COLUMN_NUMBER, else
** true/false COLUMN_BOOLEAN, else COLUMN_STRING. Always consumes `b`.
** Returns the table, or NULL with err filled. */
table *table_builder_finish(table_builder *b, reel_error *err);
void table_builder_free(table_builder *b);
/* }====== */

/* {====== Building: null markers ====== */
/* The cell texts read as null, a NULL-terminated list that must outlive the
** builder (NULL: `\N`, NULL, NA and N/A). `\N` is null in any column; the
** others are null where the rest of their column is typed (integers,
** numbers, booleans) or holds nothing else, and stay text in a text column
** (a film may be called "NA"). Call before the first cell. */
void table_builder_set_nulls(table_builder *b, const char *const *markers);
/* }====== */

/* {====== Building: a size hint ====== */
/* Room for `rows` rows and `bytes` bytes of cell text (each cell counts its
** length and one more), reserved at once so that a big catalogue's columns
** never grow. Only a hint: a builder grows past it as needed. Returns 0, or
** -1 when the memory is not there (the builder is still usable). */
int table_builder_reserve(table_builder *b, size_t rows, size_t bytes);
/* }====== */

/* {====== Building: value columns ====== */
/* For a reader that can give its cells again from the first row: every
** column starts as a value column, whose integers (or numbers) go straight
** into their slots with no text kept. Call before the first cell. When a
** value column meets a cell that is not a number, it turns to text for good
** and table_builder_wants_restart says so once the row is given; the reader
** then calls table_builder_restart and gives every row again from the
** first. The finished table is the one a text-only build would make. */
void table_builder_expect_numbers(table_builder *b);
bool table_builder_wants_restart(const table_builder *b);
/* Forgets every row given so far; the columns keep their modes. */
void table_builder_restart(table_builder *b);
/* }====== */

/* {====== Building: text kept ====== */
/* Column `col` stays text whatever its cells look like (an SQLite TEXT
** column's "007" is no number); may be called at any cell. A value column
** (table_builder_expect_numbers) turns to text, and wants a restart. */
void table_builder_keep_text(table_builder *b, size_t col);
/* }====== */

/* {====== Building in two parts ====== */
/* A builder with room reserved (table_builder_reserve) and no cell yet can
** be split: the part returned fills rows from `first_rows` and text from
** `first_bytes` on, in the same blocks, while the whole fills what lies
** before; the two may be filled at once from two threads. Neither grows
** (adding past its room fails), so the room must be an upper bound. NULL
** when the builder cannot be split. */
table_builder *table_builder_part(table_builder *b, size_t first_rows,
                                  size_t first_bytes);
/* Whether the two agree on every column's mode; where they do not, both
** turn the column to text (each must then be restarted and filled again). */
bool table_builder_parts_agree(table_builder *b, table_builder *part);
/* The part's rows follow the whole's. Consumes the part. Returns 0, or -1
** (out of memory, or the parts disagree) with the whole restarted, empty
** and whole again, to be filled alone. */
int table_builder_join(table_builder *b, table_builder *part);
/* Gives up the split: the part is freed, the whole restarted and whole. */
void table_builder_drop_part(table_builder *b, table_builder *part);
/* }====== */

/* {====== Gathering ====== */
/* A row picked as TABLE_NO_ROW gathers a null (a left join's lone rows). */
/* Column `col` of `out` (a table being made, whose columns are named)
** filled with the cells of column `from` of `t` at rows[0 .. n-1], typed as
** there; text is not copied: the column reads it where it lies, and out
** holds `t` for it. 0, or -1 when memory runs out. */
int table_gather(table *out, size_t col, const table *t, size_t from,
                 const row_id *rows, size_t n);
/* What table_gather does to `out` for text of `t`, done once ahead: then
** gathers from t change only their own columns, and may run on two
** threads. 0, or -1 when memory runs out. */
int table_hold(table *out, const table *t);
/* Frees every column's cells and the arena of a table being made, leaving
** its schema (names, types) and no rows. */
void table_drop_cells(table *out);
/* }====== */

/* Another holder of `t` (the plan nodes and the Lua Table that read it);
** returns t. */
table *table_retain(table *t);
/* Drops one holder of `t`; the last one frees it. A new table has one. */
void table_free(table *t);
/* Frees the arrays column c owns: none for a view, whose arrays are a held
** table's. Leaves its pointers as they were. */
void column_free_cells(column *c);

#endif
