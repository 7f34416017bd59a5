/*
** test_sqlite_memory.c: once reel has read an SQLite database, SQLite's
** own allocations go through the core's counted allocator: a connection
** shows in reel_memory_used, and a cap on the core's memory stops SQLite
** too, as its "out of memory".
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "core/error.h"
#include "core/memory.h"
#include "core/read.h"
#include "core/table.h"
#include "tap.h"

/* A database of a few films, as the bytes of its file; SQLite is shut down
** after, as a process that has not used it yet would find it. */
static unsigned char *film_database(sqlite3_int64 *size)
{
	sqlite3 *db = NULL;
	unsigned char *bytes = NULL, *copy = NULL;
	if (sqlite3_open(":memory:", &db) == SQLITE_OK &&
	    sqlite3_exec(db, "create table films(title text, year integer);"
	                 "insert into films values ('Silenced', 2011), "
	                 "('Poetry', 2010), ('Mother', 2009);",
	                 NULL, NULL, NULL) == SQLITE_OK)
		bytes = sqlite3_serialize(db, "main", size, 0);
	if (bytes != NULL && (copy = malloc((size_t)*size)) != NULL)
		memcpy(copy, bytes, (size_t)*size);
	sqlite3_free(bytes);
	sqlite3_close(db);
	sqlite3_shutdown();
	return copy;
}

int main(void)
{
	sqlite3_int64 size = 0;
	unsigned char *bytes = film_database(&size);
	read_options opts = READ_OPTIONS_INIT;
	reel_error err = REEL_ERROR_INIT;
	table *t;
	sqlite3 *db = NULL;
	size_t before;
	int status;
	ok(bytes != NULL, "a database made");
	t = bytes != NULL ? read_catalogue_buffer((const char *)bytes, (size_t)size,
	                                          "films.db", &opts, &err) : NULL;
	ok(t != NULL && t->row_count == 3, "its films read (%s)",
	   t != NULL ? "3 rows" : err.message);
	before = reel_memory_used();
	status = sqlite3_open(":memory:", &db);
	ok(status == SQLITE_OK && reel_memory_used() > before,
	   "a connection counts in the core's memory (%zu bytes more)",
	   reel_memory_used() - before);
	sqlite3_close(db);
	ok(reel_memory_used() == before, "and gives it back when closed");
	reel_memory_set_limit(reel_memory_used() + 1024);
	db = NULL;
	status = sqlite3_open(":memory:", &db);
	if (status == SQLITE_OK)
		status = sqlite3_exec(db, "create table t(x); insert into t values "
		                      "(randomblob(100000));", NULL, NULL, NULL);
	ok(status == SQLITE_NOMEM, "a cap on the core's memory stops SQLite "
	   "(status %d)", status);
	sqlite3_close(db);
	reel_memory_set_limit(0);
	table_free(t);
	free(bytes);
	return done_testing();
}
