/*
** save.c: selected rows written to a file atomically (see save.h).
** The text streams from format_write; it goes to a temporary file made by
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
#include "progress.h"
#include "read.h"

static unsigned long writes_until_failure;

void save_fail_after(unsigned long n)
{
	writes_until_failure = n;
}

/* {====== Formats by extension ====== */
static bool is_gzip_path(const char *path)
{
	return read_has_extension(path, strlen(path), ".gz", NULL);
}

int save_format_from_path(const char *path)
{
	static const struct {
		const char *suffix;
		format_kind kind;
	} extensions[] = {
		{".csv", FORMAT_CSV}, {".tsv", FORMAT_TSV}, {".json", FORMAT_JSON},
		{".jsonl", FORMAT_JSONL}, {".ndjson", FORMAT_JSONL},
		{".md", FORMAT_MARKDOWN}, {".markdown", FORMAT_MARKDOWN}, {NULL, 0}
	};
	size_t length = strlen(path), i;
	if (is_gzip_path(path))
		length -= 3;
	for (i = 0; extensions[i].suffix != NULL; i++)
		if (read_has_extension(path, length, extensions[i].suffix, NULL))
			return (int)extensions[i].kind;
	return -1;
}
/* }====== */

/* {====== Output, plain or gzip ====== */
/* Where the text goes: the temporary file, through deflate for .gz. The
** first failure is kept in `error` (an errno value) and `what`. */
typedef struct save_output {
	int fd;
	bool gzip;
	bool deflating;  /* z needs deflateEnd */
	z_stream z;
	char *block;     /* deflate's output, SAVE_BLOCK bytes */
	int error;
	const char *what;
} save_output;

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

static int output_fail(save_output *o, const char *what, int error)
{
	if (o->error == 0) {
		o->error = error;
		o->what = what;
	}
	return -1;
}

static int output_open(save_output *o, int fd, bool gzip)
{
	memset(o, 0, sizeof *o);
	o->fd = fd;
	o->gzip = gzip;
	if (!gzip)
		return 0;
	o->block = reel_malloc(SAVE_BLOCK);
	o->z.zalloc = zlib_alloc;
	o->z.zfree = zlib_free;
	if (o->block == NULL || deflateInit2(&o->z, Z_DEFAULT_COMPRESSION, Z_DEFLATED,
	                                     15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1; /* out of memory: no errno, so the message says so */
	o->deflating = true;
	return 0;
}

static void output_close(save_output *o)
{
	if (o->deflating)
		deflateEnd(&o->z);
	reel_free(o->block);
	o->deflating = false;
	o->block = NULL;
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

static int write_all(save_output *o, const char *data, size_t length)
{
	while (length > 0) {
		size_t n = length < SAVE_BLOCK ? length : SAVE_BLOCK;
		ssize_t done = write_block(o->fd, data, n);
		if (done < 0 && errno == EINTR)
			continue;
		if (done <= 0)
			return output_fail(o, "cannot write", done < 0 ? errno : EIO);
		data += done;
		length -= (size_t)done;
	}
	return 0;
}

/* Feeds `data` to deflate (`flush`: Z_NO_FLUSH, or Z_FINISH at the end),
** writing out each block it fills. */
static int deflate_all(save_output *o, const char *data, size_t length, int flush)
{
	int status;
	do {
		uInt feed = length > (1u << 30) ? 1u << 30 : (uInt)length;
		o->z.next_in = (Bytef *)(uintptr_t)data;
		o->z.avail_in = feed;
		do {
			o->z.next_out = (Bytef *)o->block;
			o->z.avail_out = SAVE_BLOCK;
			status = deflate(&o->z, feed == length ? flush : Z_NO_FLUSH);
			if (status == Z_STREAM_ERROR)
				return output_fail(o, "cannot compress", EINVAL);
			if (write_all(o, o->block, SAVE_BLOCK - o->z.avail_out) != 0)
				return -1;
		} while (o->z.avail_out == 0 && status != Z_STREAM_END);
		data += feed;
		length -= feed;
	} while (length > 0);
	return 0;
}

static int output_write(save_output *o, const char *data, size_t length)
{
	if (o->error != 0)
		return -1;
	if (o->gzip)
		return length > 0 ? deflate_all(o, data, length, Z_NO_FLUSH) : 0;
	return write_all(o, data, length);
}

static int output_finish(save_output *o)
{
	if (o->error != 0)
		return -1;
	return o->gzip ? deflate_all(o, "", 0, Z_FINISH) : 0;
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

static int save_failed(const char *path, const char *what, int error,
                       reel_error *err)
{
	if (error == ENOMEM)
		return error_memory(err, path);
	return error_set(err, REEL_ERROR_IO, "%s: %s: %s", path, what,
	                 strerror(error));
}

/* }====== */

/* {====== Rendering ====== */
/* What a save writes: the rows as format_write streams them, a slice at a
** time, so a large catalogue is never held twice in memory. */
typedef struct save_job {
	const table *films;
	const selection *rows;
	format_kind kind;
	const format_options *opts;
	reel_error why;            /* format_write's failure */
} save_job;

/* format_write's sink: the temporary file (through deflate for .gz). */
static int take_text(void *context, const char *text, size_t length)
{
	return output_write(context, text, length);
}

/* The rendered rows go to `o`. -1 with job->why set (a format error, or
** memory) or o->error set (a write failed). */
static int write_rows(save_job *job, save_output *o)
{
	return format_write(job->films, job->rows, job->kind, job->opts,
	                    take_text, o, &job->why);
}
/* }====== */

/* {====== Replacing the file ====== */
/* What went wrong, naming the path: a write (o->error), the rendering
** (job->why), or memory. */
static int save_failed_job(const char *path, const save_job *job,
                           const save_output *o, reel_error *err)
{
	if (o->error != 0)
		return save_failed(path, o->what, o->error, err);
	if (job->why.code == REEL_ERROR_NONE || job->why.code == REEL_ERROR_MEMORY ||
	    job->why.code == REEL_ERROR_IO)
		return error_memory(err, path);
	/* why fits in err whatever the path's length (a cut path is better
	** than no reason) */
	return error_set(err, job->why.code, "%.200s: %.300s", path,
	                 job->why.message);
}

/* Writes the rows to the open temporary file `fd`; closes it. */
static int fill_file(save_job *job, int fd, const char *path, reel_error *err)
{
	save_output o;
	int status = output_open(&o, fd, is_gzip_path(path));
	if (status == 0)
		status = write_rows(job, &o);
	if (status == 0)
		status = output_finish(&o);
	if (status == 0 && fsync(fd) != 0)
		status = output_fail(&o, "cannot write", errno);
	if (close(fd) != 0 && status == 0)
		status = output_fail(&o, "cannot write", errno);
	output_close(&o);
	return status == 0 ? 0 : save_failed_job(path, job, &o, err);
}

/* A temporary file beside `path`, filled, then renamed over it. */
static int replace_file(save_job *job, const char *path, reel_error *err)
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
	if (fill_file(job, fd, path, err) != 0) {
		unlink(temporary);
		reel_free(temporary);
		return -1;
	}
	if (rename(temporary, path) != 0) {
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
              const format_options *opts, const char *path, reel_error *err)
{
	save_job job;
	int status;
	job.films = t;
	job.rows = s;
	job.kind = kind;
	job.opts = opts;
	job.why.code = REEL_ERROR_NONE;
	job.why.message[0] = '\0';
	progress_begin(PROGRESS_SAVE, path, 0, s->count);
	status = replace_file(&job, path, err);
	progress_end();
	return status;
}
/* }====== */
