/*
** read_zip.c: a catalogue inside a zip archive, such as a Letterboxd
** export (see read_bytes.h). The archive is read in memory with libzip
** (a file's mapping, or what a stream gave); the member asked for, else
** the archive's only catalogue, is inflated into memory and read by its
** own bytes as any catalogue is (CSV, JSON, gzip, SQLite...), under the
** name "archive.zip:member". Nothing is ever written: a member's name is
** only compared and shown, so "../x" is a name like any other (shown with
** its control characters made '?'). A member is inflated only as far as
** the size it declares, the memory cap allows, and a ratio no catalogue
** reaches (a zip bomb stops before it takes the memory). Relies on libzip,
** memory.h, stop.h and read.c (read_member).
*/
#include "read_bytes.h"

#include <stdio.h>
#include <string.h>
#include <zip.h>

#include "memory.h"
#include "stop.h"

#define ZIP_CHUNK ((size_t)1 << 20)
/* A member larger than this that claims to inflate more than BOMB_RATIO
** times its compressed size is refused: text compresses ten to one, not a
** thousand. */
#define BOMB_SIZE ((zip_uint64_t)64 << 20)
#define BOMB_RATIO 200
/* A zip in a zip is read; deeper nesting (or an archive that holds
** itself) is not. */
#define MAX_DEPTH 2

static int depth;

typedef struct archive {
	zip_t *zip;
	const char *name;   /* the archive, for messages */
	reel_error *err;
} archive;

/* {====== Members ====== */
/* Whether the name ends with one of the extensions catalogues have. */
static bool catalogue_name(const char *member)
{
	static const char *const extensions[] = {
		".csv", ".tsv", ".tab", ".json", ".jsonl", ".ndjson", ".csv.gz",
		".tsv.gz", ".json.gz", ".jsonl.gz", ".db", ".sqlite", ".sqlite3", NULL
	};
	size_t length = strlen(member), i;
	for (i = 0; extensions[i] != NULL; i++)
		if (read_has_extension(member, length, extensions[i], NULL))
			return true;
	return false;
}

/* Folders, and the copies of macOS's resource forks (__MACOSX/, ._name),
** are no members to read. */
static bool is_file(const char *member)
{
	const char *base = strrchr(member, '/');
	size_t length = strlen(member);
	base = base != NULL ? base + 1 : member;
	return length > 0 && member[length - 1] != '/' &&
	       strncmp(member, "__MACOSX/", 9) != 0 && strncmp(base, "._", 2) != 0;
}

/* The member's name, or NULL when it has none or is no file. */
static const char *file_name(archive *a, zip_uint64_t i)
{
	const char *member = zip_get_name(a->zip, i, ZIP_FL_ENC_GUESS);
	return member != NULL && is_file(member) ? member : NULL;
}

/* Whether a path has a ".." segment, or starts with '/': such a name is
** matched only whole. */
static bool climbs(const char *member)
{
	const char *p = member;
	if (*member == '/')
		return true;
	for (; (p = strstr(p, "..")) != NULL; p += 2)
		if ((p == member || p[-1] == '/') && (p[2] == '\0' || p[2] == '/'))
			return true;
	return false;
}

/* Whether `member` is what was asked for: its whole name, or (for a name
** that does not climb) its last segment. */
static bool answers(const char *member, const char *asked, bool whole)
{
	const char *base = strrchr(member, '/');
	if (whole)
		return strcmp(member, asked) == 0;
	return base != NULL && !climbs(member) && strcmp(base + 1, asked) == 0;
}

/* Appends a name to a list for a message, control characters made '?'. */
static void list_name(char *list, size_t size, const char *member)
{
	size_t used = strlen(list), i;
	if (used + 3 >= size)
		return;
	if (used > 0) {
		memcpy(list + used, ", ", 2);
		used += 2;
	}
	for (i = 0; member[i] != '\0' && used + 4 < size; i++)
		list[used++] = (unsigned char)member[i] < 0x20 || member[i] == 0x7F
		               ? '?' : member[i];
	if (member[i] != '\0')
		memcpy(list + used, "...", 3), used += 3;
	list[used] = '\0';
}

/* The members that are files, catalogues first if `only_catalogues`: how
** many, the index of the last in *found, their names in `list`. */
static zip_int64_t gather(archive *a, bool only_catalogues, zip_uint64_t *found,
                          char *list, size_t size)
{
	zip_int64_t n = zip_get_num_entries(a->zip, 0), count = 0, i;
	list[0] = '\0';
	for (i = 0; i < n; i++) {
		const char *member = file_name(a, (zip_uint64_t)i);
		if (member == NULL || (only_catalogues && !catalogue_name(member)))
			continue;
		*found = (zip_uint64_t)i;
		list_name(list, size, member);
		count++;
	}
	return count;
}

/* The member asked for: by its whole name, else by its last segment when
** only one has it. 0 and its index, or -1 with err listing the members. */
static int find_member(archive *a, const char *asked, zip_uint64_t *found)
{
	char list[REEL_ERROR_MAX / 2];
	zip_int64_t n = zip_get_num_entries(a->zip, 0), i;
	int pass, matches = 0;
	for (pass = 0; pass < 2 && matches == 0; pass++)
		for (i = 0; i < n; i++) {
			const char *member = file_name(a, (zip_uint64_t)i);
			if (member != NULL && answers(member, asked, pass == 0)) {
				*found = (zip_uint64_t)i;
				matches++;
			}
		}
	if (matches == 1)
		return 0;
	gather(a, false, found, list, sizeof list);
	return error_set(a->err, REEL_ERROR_DATA, "%s has %s member '%s' (%s%s)",
	                 a->name, matches > 1 ? "more than one" : "no", asked,
	                 list[0] != '\0' ? "members: " : "it has no files", list);
}

/* The archive's one catalogue (or its one file, when no name says
** catalogue). 0 and its index, or -1 with err listing what there is. */
static int only_member(archive *a, zip_uint64_t *found)
{
	char list[REEL_ERROR_MAX / 2];
	zip_int64_t count = gather(a, true, found, list, sizeof list);
	if (count == 1)
		return 0;
	if (count > 1)
		return error_set(a->err, REEL_ERROR_DATA, "%s: a zip archive of %lld "
		                 "catalogues: say which (member = \"...\"): %s", a->name,
		                 (long long)count, list);
	if (gather(a, false, found, list, sizeof list) == 1)
		return 0;
	return error_set(a->err, REEL_ERROR_DATA, "%s: a zip archive with no "
	                 "catalogue in it%s%s%s", a->name, list[0] != '\0'
	                 ? " (members: " : "", list, list[0] != '\0' ? ")" : "");
}
/* }====== */

/* {====== Inflating ====== */
/* `shown` is "archive:member" as messages show it, or NULL for the
** archive itself. */
static int zip_fail(archive *a, const char *shown, zip_error_t *error)
{
	return error_set(a->err, REEL_ERROR_DATA, "%s: cannot be %s: %s",
	                 shown != NULL ? shown : a->name, shown != NULL
	                 ? "inflated" : "read as a zip archive",
	                 zip_error_strerror(error));
}

/* Whether a member's declared sizes fit: within the memory cap, and not a
** bomb. 0, or -1 with err filled. */
static int check_size(archive *a, const char *shown, const zip_stat_t *st)
{
	size_t cap = reel_memory_limit(), used = reel_memory_used();
	if (!(st->valid & ZIP_STAT_SIZE) || !(st->valid & ZIP_STAT_COMP_SIZE))
		return error_set(a->err, REEL_ERROR_DATA, "%s: a member of no known "
		                 "size", shown);
	if (st->size > BOMB_SIZE && st->size / BOMB_RATIO > st->comp_size)
		return error_set(a->err, REEL_ERROR_DATA, "%s: a zip bomb? it claims "
		                 "%llu bytes from %llu (more than %d to 1)", shown,
		                 (unsigned long long)st->size,
		                 (unsigned long long)st->comp_size, BOMB_RATIO);
	if (st->size > (zip_uint64_t)((size_t)-1 / 2) ||
	    (cap != 0 && (used >= cap || st->size > cap - used)))
		return error_set(a->err, REEL_ERROR_MEMORY, "%s: inflates to %llu "
		                 "bytes, more than the memory cap leaves", shown,
		                 (unsigned long long)st->size);
	return 0;
}

/* Reads the open member to its end into `out`, never past its declared
** size. 0, or -1 with err filled. */
static int inflate_member(archive *a, const char *shown, zip_file_t *f,
                          zip_uint64_t size, read_buffer *out)
{
	for (;;) {
		zip_int64_t got;
		if (stop_check(a->err) != 0)
			return -1;
		if (read_buffer_reserve(out, ZIP_CHUNK) != 0)
			return error_memory(a->err, a->name);
		got = zip_fread(f, out->data + out->length, ZIP_CHUNK);
		if (got < 0)
			return zip_fail(a, shown, zip_file_get_error(f));
		if (got == 0)
			break;
		out->length += (size_t)got;
		if (read_buffer_count(out) != 0)
			return error_memory(a->err, a->name);
		if (out->length > size)
			return error_set(a->err, REEL_ERROR_DATA, "%s: inflates past the "
			                 "size it declares", shown);
	}
	out->data[out->length] = '\0';
	return 0;
}

/* The member's bytes, inflated into `out`. 0, or -1 with err filled. */
static int extract(archive *a, zip_uint64_t i, const char *shown,
                   read_buffer *out)
{
	zip_stat_t st;
	zip_file_t *f;
	int status;
	if (zip_stat_index(a->zip, i, ZIP_FL_ENC_GUESS, &st) != 0)
		return zip_fail(a, shown, zip_get_error(a->zip));
	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
	    st.encryption_method != ZIP_EM_NONE)
		return error_set(a->err, REEL_ERROR_DATA, "%s: an encrypted member "
		                 "(unzip it with its password first)", shown);
	if (check_size(a, shown, &st) != 0)
		return -1;
	if ((f = zip_fopen_index(a->zip, i, 0)) == NULL)
		return zip_fail(a, shown, zip_get_error(a->zip));
	status = inflate_member(a, shown, f, st.size, out);
	zip_fclose(f);
	return status;
}
/* }====== */

/* {====== Reading ====== */
static int open_archive(archive *a, const char *data, size_t length)
{
	zip_error_t error;
	zip_source_t *source;
	zip_error_init(&error);
	source = zip_source_buffer_create(data, length, 0, &error);
	if (source != NULL &&
	    (a->zip = zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS,
	                                   &error)) == NULL)
		zip_source_free(source);
	if (a->zip == NULL)
		zip_fail(a, NULL, &error);
	zip_error_fini(&error);
	return a->zip != NULL ? 0 : -1;
}

/* The chosen member read by its bytes, under "archive:member". */
static table *read_chosen(archive *a, zip_uint64_t i, const read_options *opts)
{
	const char *member = zip_get_name(a->zip, i, ZIP_FL_ENC_GUESS);
	read_options inner = opts != NULL ? *opts : (read_options)READ_OPTIONS_INIT;
	read_buffer bytes = READ_BUFFER_INIT;
	char name[REEL_ERROR_MAX / 2];
	table *t = NULL;
	name[0] = '\0';
	list_name(name, sizeof name, a->name);
	strncat(name, ":", sizeof name - strlen(name) - 1);
	list_name(name + strlen(name), sizeof name - strlen(name), member);
	inner.member = NULL; /* it named this archive's member, not a nested one's */
	if (extract(a, i, name, &bytes) == 0)
		t = read_member(bytes.data, bytes.length, name, &inner, false, a->err);
	read_buffer_free(&bytes);
	return t;
}

table *read_zip(const char *data, size_t length, const char *name,
                const read_options *opts, reel_error *err)
{
	reel_error ignored = REEL_ERROR_INIT;
	const char *asked = opts != NULL ? opts->member : NULL;
	archive a;
	zip_uint64_t chosen = 0;
	table *t = NULL;
	memset(&a, 0, sizeof a);
	a.name = name;
	a.err = err != NULL ? err : &ignored;
	if (depth >= MAX_DEPTH) {
		error_set(a.err, REEL_ERROR_DATA, "%s: a zip archive in a zip archive in "
		          "a zip archive: unpack it first", name);
		return NULL;
	}
	if (open_archive(&a, data, length) != 0)
		return NULL;
	if ((asked != NULL ? find_member(&a, asked, &chosen)
	                   : only_member(&a, &chosen)) == 0) {
		depth++;
		t = read_chosen(&a, chosen, opts);
		depth--;
	}
	zip_discard(a.zip);
	return t;
}
/* }====== */
