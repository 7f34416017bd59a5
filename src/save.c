/*
** save.c: selected rows written to a file atomically (see save.h).
** The text comes from format_rows; it goes to a temporary file made by
** mkstemp next to the target (rename is only atomic within one file
** system), is fsync'ed, then renamed over the target. Relies on format.h,
** memory.h, zlib for .gz and POSIX file calls. Pure C.
*/
#include "save.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "memory.h"

static unsigned long writes_until_failure;

void save_fail_after(unsigned long n)
{
	writes_until_failure = n;
}

/* {====== Formats by extension ====== */
static bool ends_with(const char *name, size_t length, const char *suffix)
{
	size_t n = strlen(suffix), i;
	if (length < n)
		return false;
	for (i = 0; i < n; i++) {
		char c = name[length - n + i];
		if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != suffix[i])
			return false;
	}
	return true;
}

static bool is_gzip_path(const char *path)
{
	return ends_with(path, strlen(path), ".gz");
}

int save_format_from_path(const char *path)
{
	static const struct {
		const char *suffix;
		format_kind kind;
	} extensions[] = {
		{".csv", FORMAT_CSV}, {".tsv", FORMAT_TSV}, {".json", FORMAT_JSON},
		{".md", FORMAT_MARKDOWN}, {".markdown", FORMAT_MARKDOWN}, {NULL, 0}
	};
	size_t length = strlen(path), i;
	if (is_gzip_path(path))
		length -= 3;
	for (i = 0; extensions[i].suffix != NULL; i++)
		if (ends_with(path, length, extensions[i].suffix))
			return (int)extensions[i].kind;
	return -1;
}
/* }====== */

/* {====== gzip ====== */
/* zlib allocates through the core's allocator, so --max-memory sees it. */
static voidpf zlib_alloc(voidpf opaque, uInt items, uInt size)
{
	(void)opaque;
	return size != 0 && items > (size_t)-1 / size ? NULL
	       : reel_malloc((size_t)items * size);
}

static void zlib_free(voidpf opaque, voidpf block)
{
	(void)opaque;
	reel_free(block);
}

/* `text` compressed as one gzip member, replacing it. 0, or -1. */
static int gzip_text(text_buffer *text)
{
	z_stream z;
	char *packed;
	uLong room;
	memset(&z, 0, sizeof z);
	z.zalloc = zlib_alloc;
	z.zfree = zlib_free;
	if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8,
	                 Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	room = deflateBound(&z, (uLong)text->length) + 32;
	packed = reel_malloc(room);
	z.next_in = (Bytef *)text->data;
	z.avail_in = (uInt)text->length;
	z.next_out = (Bytef *)packed;
	z.avail_out = (uInt)room;
	if (packed == NULL || text->length > UINT32_MAX - 1 ||
	    deflate(&z, Z_FINISH) != Z_STREAM_END) {
		deflateEnd(&z);
		reel_free(packed);
		return -1;
	}
	reel_free(text->data);
	text->data = packed;
	text->length = text->capacity = (size_t)z.total_out;
	deflateEnd(&z);
	return 0;
}
/* }====== */

/* {====== Writing ====== */
/* One write(2), unless the test hook says this one fails. */
static ssize_t write_block(int fd, const char *data, size_t length)
{
	if (writes_until_failure > 0 && --writes_until_failure == 0) {
		errno = ENOSPC;
		return -1;
	}
	return write(fd, data, length);
}

static int write_all(int fd, const char *data, size_t length)
{
	while (length > 0) {
		size_t n = length < SAVE_BLOCK ? length : SAVE_BLOCK;
		ssize_t done = write_block(fd, data, n);
		if (done < 0 && errno == EINTR)
			continue;
		if (done <= 0)
			return -1;
		data += done;
		length -= (size_t)done;
	}
	return 0;
}

/* "DIR/.NAME.XXXXXX", the template of a temporary file beside `path`. */
static char *temporary_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t folder = slash != NULL ? (size_t)(slash - path) + 1 : 0;
	size_t length = strlen(path);
	char *name = reel_malloc(length + sizeof ".." "XXXXXX");
	if (name == NULL)
		return NULL;
	memcpy(name, path, folder);
	name[folder] = '.';
	memcpy(name + folder + 1, path + folder, length - folder);
	memcpy(name + length + 1, ".XXXXXX", sizeof ".XXXXXX");
	return name;
}

/* The new file gets the old one's permissions, or what the umask allows. */
static void set_mode(int fd, const char *path)
{
	struct stat old;
	mode_t mask;
	if (stat(path, &old) == 0) {
		(void)fchmod(fd, old.st_mode & 07777);
		return;
	}
	mask = umask(022);
	umask(mask);
	(void)fchmod(fd, 0666 & ~mask);
}

/* The folder's entry is flushed too, so the rename survives a crash. */
static void sync_folder(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *folder = slash == NULL ? reel_strdup(".")
	               : reel_strndup(path, slash == path ? 1 : (size_t)(slash - path));
	int fd = folder != NULL ? open(folder, O_RDONLY) : -1;
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	reel_free(folder);
}

static int save_failed(const char *path, const char *what, int error, char *err)
{
	snprintf(err, REEL_ERROR_MAX, "%s: %s: %s", path, what, strerror(error));
	return -1;
}

/* Writes `text` to a temporary file, then renames it over `path`. */
static int replace_file(const text_buffer *text, const char *path, char *err)
{
	char *temporary = temporary_name(path);
	int fd, error;
	if (temporary == NULL)
		return save_failed(path, "cannot save", ENOMEM, err);
	fd = mkstemp(temporary);
	if (fd < 0) {
		error = errno;
		reel_free(temporary);
		return save_failed(path, "cannot save", error, err);
	}
	set_mode(fd, path);
	if (write_all(fd, text->data, text->length) != 0 || fsync(fd) != 0) {
		error = errno;
		close(fd);
		unlink(temporary);
		reel_free(temporary);
		return save_failed(path, "cannot write", error, err);
	}
	if (close(fd) != 0 || rename(temporary, path) != 0) {
		error = errno;
		unlink(temporary);
		reel_free(temporary);
		return save_failed(path, "cannot save", error, err);
	}
	reel_free(temporary);
	sync_folder(path);
	return 0;
}

int save_rows(const table *t, const selection *s, format_kind kind,
              const format_options *opts, const char *path, char *err)
{
	text_buffer text;
	int status;
	char why[REEL_ERROR_MAX] = "";
	text_buffer_init(&text);
	if (format_rows(t, s, kind, opts, &text, why) != 0 || text.failed) {
		text_buffer_free(&text);
		/* why fits in err whatever the path's length (a cut path is
		** better than no reason) */
		snprintf(err, REEL_ERROR_MAX, "%.200s: %.300s", path,
		         why[0] != '\0' ? why : "out of memory");
		return -1;
	}
	if (is_gzip_path(path) && gzip_text(&text) != 0) {
		text_buffer_free(&text);
		snprintf(err, REEL_ERROR_MAX, "%s: cannot compress: out of memory", path);
		return -1;
	}
	status = replace_file(&text, path, err);
	text_buffer_free(&text);
	return status;
}
/* }====== */
