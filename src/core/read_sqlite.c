/*
** read_sqlite.c: a table of an SQLite database, read through SQLite's own
** API (see read_bytes.h). The database's bytes are already in memory (a
** file's read-only mapping, or what a stream or a zip member gave), so
** SQLite reads them in place (sqlite3_deserialize, read-only): no file is
** opened, locked or written, and no journal is made. The cells keep their
** storage classes: an INTEGER stays an integer, a REAL a number, a TEXT
** text (even "007"); a column of mixed classes settles as a CSV column
** would. A BLOB that is not text is read as null, with a warning. Relies
** on libsqlite3, the table builder (table.h), read_check.c and stop.h.
*/
#include "read_bytes.h"

#include <math.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memory.h"
#include "stop.h"
#include "table_builder.h"

/* How many SQLite steps run between checks of the stop request. */
#define STEPS_BETWEEN_CHECKS 10000

typedef struct database {
	sqlite3 *db;
	const char *name;   /* the file, for messages */
	reel_error *err;
	bool stopped;       /* the stop request ended a step */
} database;

/* {====== SQLite's memory ======
** SQLite allocates through the core's counted allocator, so its pages and
** caches count toward --max-memory as the films do, and a cap reached
** inside SQLite is SQLite's "out of memory", reported as reel's. Set once,
** before SQLite's first use; when SQLite was already started by someone
** else in the process (a Lua module of its own), its memory stays its own. */
static void *sqlite_malloc(int size)
{
	return size > 0 ? reel_malloc((size_t)size) : NULL;
}

static void *sqlite_realloc(void *block, int size)
{
	return size > 0 ? reel_realloc(block, (size_t)size) : NULL;
}

static int sqlite_size(void *block)
{
	return (int)reel_block_size(block);
}

static int sqlite_roundup(int size)
{
	return (size + 7) & ~7;
}

static int sqlite_init(void *data)
{
	(void)data;
	return SQLITE_OK;
}

static void sqlite_shutdown(void *data)
{
	(void)data;
}

static void count_sqlite_memory(void)
{
	static const sqlite3_mem_methods methods = {
		sqlite_malloc, reel_free, sqlite_realloc, sqlite_size, sqlite_roundup,
		sqlite_init, sqlite_shutdown, NULL
	};
	(void)sqlite3_config(SQLITE_CONFIG_MALLOC, &methods);
}

static pthread_once_t sqlite_memory_once = PTHREAD_ONCE_INIT;
/* }====== */

/* {====== Opening ====== */
static int stop_requested(void *context)
{
	database *d = context;
	if (stop_check(d->err) != 0)
		d->stopped = true;
	return d->stopped;
}

static int sqlite_fail(database *d, const char *what)
{
	if (d->stopped)
		return -1; /* err says why already */
	return error_set(d->err, REEL_ERROR_DATA, "%s: %s: %s", d->name, what,
	                 d->db != NULL ? sqlite3_errmsg(d->db) : "out of memory");
}

/* A database in WAL mode says so in its header (bytes 18 and 19), and
** SQLite would look for its WAL beside it; a copy that says "rollback
** journal" reads the same pages. The copy is SQLite's to free, and counts
** against the memory cap as if it were reel's. NULL when there is no room. */
static unsigned char *copy_without_wal(const char *data, size_t length)
{
	size_t cap = reel_memory_limit();
	unsigned char *copy;
	if (cap != 0 && reel_memory_used() + length > cap)
		return NULL;
	if ((copy = sqlite3_malloc64(length)) == NULL)
		return NULL;
	memcpy(copy, data, length);
	copy[18] = copy[19] = 1;
	return copy;
}

static bool in_wal_mode(const char *data, size_t length)
{
	return length > 19 && (data[18] == 2 || data[19] == 2);
}

/* An in-memory connection that reads `data` where it lies, read-only. */
static int open_database(database *d, const char *data, size_t length)
{
	unsigned flags = SQLITE_DESERIALIZE_READONLY;
	unsigned char *bytes = (unsigned char *)(uintptr_t)data;
	pthread_once(&sqlite_memory_once, count_sqlite_memory);
	if (sqlite3_open_v2(":memory:", &d->db, SQLITE_OPEN_READWRITE |
	                    SQLITE_OPEN_MEMORY, NULL) != SQLITE_OK)
		return sqlite_fail(d, "cannot open the database");
	if (in_wal_mode(data, length)) {
		if ((bytes = copy_without_wal(data, length)) == NULL)
			return error_memory(d->err, d->name);
		flags |= SQLITE_DESERIALIZE_FREEONCLOSE;
	}
	if (sqlite3_deserialize(d->db, "main", bytes, (sqlite3_int64)length,
	                        (sqlite3_int64)length, flags) != SQLITE_OK)
		return sqlite_fail(d, "cannot open the database");
	sqlite3_progress_handler(d->db, STEPS_BETWEEN_CHECKS, stop_requested, d);
	sqlite3_exec(d->db, "PRAGMA query_only = 1", NULL, NULL, NULL);
	return 0;
}

/* SQLite reads what it can of a damaged page without a word: its own
** check of the table's pages first (a pass over them, as the reading is),
** so a damaged file is an error, not films made of its debris. */
static int check_table(database *d, const char *wanted)
{
	sqlite3_stmt *s = NULL;
	char *sql = sqlite3_mprintf("PRAGMA main.quick_check(\"%w\")", wanted);
	int status = sql == NULL ? SQLITE_NOMEM
	             : sqlite3_prepare_v2(d->db, sql, -1, &s, NULL);
	char fault[200] = "";
	sqlite3_free(sql);
	if (status == SQLITE_OK && (status = sqlite3_step(s)) == SQLITE_ROW) {
		const char *text = (const char *)sqlite3_column_text(s, 0);
		const char *line = text != NULL ? text : "";
		if (strncmp(line, "*** ", 4) == 0 && strchr(line, '\n') != NULL)
			line = strchr(line, '\n') + 1; /* "*** in database main ***" */
		snprintf(fault, sizeof fault, "%.*s", (int)strcspn(line, "\n"), line);
	}
	sqlite3_finalize(s);
	if (status == SQLITE_ROW && strcmp(fault, "ok") == 0)
		return 0;
	if (status == SQLITE_ROW && !d->stopped)
		return error_set(d->err, REEL_ERROR_DATA, "%s: a damaged SQLite "
		                 "database: %s", d->name, fault);
	return sqlite_fail(d, "cannot be read as an SQLite database");
}
/* }====== */

/* {====== Choosing the table ====== */
/* The database's tables (and, when `views`, its views) by name, joined by
** ", " into `list` (cut to its size); how many there are, or -1. */
static int list_tables(database *d, bool views, char *list, size_t size)
{
	static const char *const sql[] = {
		"SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT "
		"LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
		"SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND "
		"name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
	};
	sqlite3_stmt *s;
	int count = 0, status;
	size_t used = 0;
	list[0] = '\0';
	if (sqlite3_prepare_v2(d->db, sql[views], -1, &s, NULL) != SQLITE_OK)
		return sqlite_fail(d, "cannot be read as an SQLite database");
	while ((status = sqlite3_step(s)) == SQLITE_ROW) {
		const char *found = (const char *)sqlite3_column_text(s, 0);
		int n = snprintf(list + used, size - used, "%s%s", count > 0 ? ", " : "",
		                 found != NULL ? found : "");
		used = n < 0 || (size_t)n >= size - used ? size - 1 : used + (size_t)n;
		count++;
	}
	sqlite3_finalize(s);
	if (status != SQLITE_DONE)
		return sqlite_fail(d, "cannot be read as an SQLite database");
	return count;
}

/* Whether the database has a table or view called `table`. */
static int has_table(database *d, const char *wanted)
{
	sqlite3_stmt *s;
	int status;
	if (sqlite3_prepare_v2(d->db, "SELECT 1 FROM sqlite_schema WHERE type IN "
	                       "('table', 'view') AND name = ?1", -1, &s,
	                       NULL) != SQLITE_OK)
		return sqlite_fail(d, "cannot be read as an SQLite database");
	sqlite3_bind_text(s, 1, wanted, -1, SQLITE_STATIC);
	status = sqlite3_step(s);
	sqlite3_finalize(s);
	if (status != SQLITE_ROW && status != SQLITE_DONE)
		return sqlite_fail(d, "cannot be read as an SQLite database");
	return status == SQLITE_ROW;
}

/* The table to read, in `chosen` (at most `size` bytes with its '\0'):
** the one asked for, else the database's only table. 0, or -1 with err
** saying which tables there are. */
static int choose_table(database *d, const char *asked, char *chosen,
                        size_t size)
{
	char list[REEL_ERROR_MAX / 2];
	int count, found;
	if (asked != NULL) {
		if ((found = has_table(d, asked)) < 0)
			return -1;
		if (found) {
			snprintf(chosen, size, "%s", asked);
			return 0;
		}
	}
	if ((count = list_tables(d, asked != NULL, list, sizeof list)) < 0)
		return -1;
	if (asked != NULL)
		return error_set(d->err, REEL_ERROR_DATA, "%s has no table '%s' (%s: "
		                 "%s)", d->name, asked, count > 0 ? "it has" : "it has "
		                 "none", count > 0 ? list : "no tables or views");
	if (count == 0)
		return error_set(d->err, REEL_ERROR_DATA, "%s: an SQLite database with "
		                 "no tables", d->name);
	if (count > 1)
		return error_set(d->err, REEL_ERROR_DATA, "%s: an SQLite database of "
		                 "%d tables: say which (table = \"...\"): %s", d->name,
		                 count, list);
	snprintf(chosen, size, "%s", list);
	return 0;
}
/* }====== */

/* {====== Cells ====== */
/* A REAL as the shortest decimal that reads back the same, with a
** fraction or an exponent, so its column comes out numbers. */
static size_t real_text(double x, char *text, size_t size)
{
	int n = snprintf(text, size, "%.15g", x);
	if (strtod(text, NULL) != x)
		n = snprintf(text, size, "%.17g", x);
	if (n > 0 && isfinite(x) && strpbrk(text, ".e") == NULL)
		n = snprintf(text, size, "%.1f", x);
	return n > 0 ? (size_t)n : 0;
}

typedef struct reading {
	database *d;
	sqlite3_stmt *s;
	table_builder *b;
	const char *table;
	bool *warned;        /* a column's BLOB warning was given */
	size_t row;
} reading;

static int bad_text(reading *r, int col, const char *why)
{
	return error_set(r->d->err, REEL_ERROR_DATA, "%s: table '%s', row %zu, "
	                 "column '%s': %s", r->d->name, r->table, r->row + 1,
	                 sqlite3_column_name(r->s, col), why);
}

/* Text (or a BLOB holding text) as the builder takes it. */
static int add_text(reading *r, int col, const char *text, int bytes)
{
	size_t n = bytes > 0 ? (size_t)bytes : 0;
	if (read_check_utf8(text != NULL ? text : "", n) != n)
		return bad_text(r, col, memchr(text, '\0', n) != NULL
		                ? "a NUL character: reel's text cannot hold it"
		                : "invalid UTF-8");
	return table_builder_add(r->b, text != NULL ? text : "", n);
}

/* A BLOB: its bytes when they are UTF-8 text, else null (warned once a
** column). */
static int add_blob(reading *r, int col)
{
	const char *bytes = sqlite3_column_blob(r->s, col);
	int n = sqlite3_column_bytes(r->s, col);
	if (n > 0 && read_check_utf8(bytes, (size_t)n) == (size_t)n)
		return add_text(r, col, bytes, n);
	if (n > 0 && !r->warned[col]) {
		r->warned[col] = true;
		read_warn("%.200s: column '%.100s' of table '%.100s' holds binary data "
		          "(BLOBs): read as null", r->d->name,
		          sqlite3_column_name(r->s, col), r->table);
	}
	return table_builder_add_null(r->b);
}

/* A TEXT cell keeps its column text (even "007"), unless it is one of the
** null markers (--nulls), which the builder reads as null as in a CSV. */
static int add_stored_text(reading *r, int col)
{
	const char *text = (const char *)sqlite3_column_text(r->s, col);
	int bytes = sqlite3_column_bytes(r->s, col);
	if (text == NULL ||
	    table_builder_null_marker(r->b, text, (size_t)bytes) == MARKER_NONE)
		table_builder_keep_text(r->b, (size_t)col);
	return add_text(r, col, text, bytes);
}

static int add_cell(reading *r, int col)
{
	char number[40];
	switch (sqlite3_column_type(r->s, col)) {
	case SQLITE_NULL:
		return table_builder_add_null(r->b);
	case SQLITE_INTEGER:
		return table_builder_add(r->b, number, (size_t)snprintf(number,
		                         sizeof number, "%lld",
		                         (long long)sqlite3_column_int64(r->s, col)));
	case SQLITE_FLOAT:
		return table_builder_add(r->b, number, real_text(sqlite3_column_double(
		                         r->s, col), number, sizeof number));
	case SQLITE_TEXT:
		return add_stored_text(r, col);
	default:
		return add_blob(r, col);
	}
}
/* }====== */

/* {====== Reading ====== */
static table_builder *new_builder(sqlite3_stmt *s)
{
	int count = sqlite3_column_count(s), i;
	const char **names = reel_calloc(count > 0 ? (size_t)count : 1, sizeof *names);
	table_builder *b;
	if (names == NULL)
		return NULL;
	for (i = 0; i < count; i++)
		if ((names[i] = sqlite3_column_name(s, i)) == NULL)
			names[i] = ""; /* SQLite ran out of memory naming it */
	b = table_builder_new((size_t)count, names);
	reel_free(names);
	if (b != NULL)
		table_builder_set_nulls(b, read_null_markers());
	return b;
}

/* The rows of the statement into the builder, its columns value columns
** (integers and numbers go straight to their slots) until a cell says
** text: the statement then runs again from the first row. 0, or -1 with
** err filled. */
static int read_rows(reading *r)
{
	int columns = sqlite3_column_count(r->s), col, status;
	table_builder_expect_numbers(r->b);
	while ((status = sqlite3_step(r->s)) == SQLITE_ROW) {
		for (col = 0; col < columns; col++)
			if (add_cell(r, col) != 0)
				return r->d->err->code != REEL_ERROR_NONE ? -1
				       : error_memory(r->d->err, r->d->name);
		if (table_builder_end_row(r->b, r->d->err) != 0)
			return -1;
		r->row++;
		if (table_builder_wants_restart(r->b)) {
			table_builder_restart(r->b);
			sqlite3_reset(r->s);
			r->row = 0;
		}
	}
	return status == SQLITE_DONE ? 0
	       : sqlite_fail(r->d, "cannot be read as an SQLite database");
}

/* SELECT * FROM "table", the name quoted as SQL quotes it. */
static sqlite3_stmt *select_all(database *d, const char *wanted)
{
	sqlite3_stmt *s = NULL;
	char *sql = sqlite3_mprintf("SELECT * FROM \"%w\"", wanted);
	if (sql == NULL) {
		error_memory(d->err, d->name);
		return NULL;
	}
	if (sqlite3_prepare_v2(d->db, sql, -1, &s, NULL) != SQLITE_OK)
		sqlite_fail(d, "cannot read the table");
	sqlite3_free(sql);
	return s;
}

static table *read_table(database *d, const char *name)
{
	reading r;
	table *t = NULL;
	memset(&r, 0, sizeof r);
	r.d = d;
	r.table = name;
	if (check_table(d, name) != 0 || (r.s = select_all(d, name)) == NULL)
		return NULL;
	r.b = new_builder(r.s);
	r.warned = reel_calloc((size_t)sqlite3_column_count(r.s) + 1,
	                       sizeof *r.warned);
	if (r.b == NULL || r.warned == NULL) {
		error_memory(d->err, d->name);
		table_builder_free(r.b);
	} else if (read_rows(&r) == 0) {
		t = table_builder_finish(r.b, d->err); /* it consumes the builder */
	} else {
		table_builder_free(r.b);
	}
	reel_free(r.warned);
	sqlite3_finalize(r.s);
	return t;
}

table *read_sqlite(const char *data, size_t length, const char *name,
                   const char *table_name, reel_error *err)
{
	reel_error ignored = REEL_ERROR_INIT;
	database d;
	char chosen[256];
	table *t = NULL;
	memset(&d, 0, sizeof d);
	d.name = name;
	d.err = err != NULL ? err : &ignored;
	if (open_database(&d, data, length) == 0 &&
	    choose_table(&d, table_name, chosen, sizeof chosen) == 0)
		t = read_table(&d, table_name != NULL ? table_name : chosen);
	sqlite3_close(d.db);
	return t;
}
/* }====== */
