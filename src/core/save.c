/*
** save.c: selected rows written to a file atomically (see save.h).
** The text streams from format_write; it goes to a temporary file made by
** mkstemp next to the target (rename is only atomic within one file
** system), is fsync'ed, then renamed over the target. The temporary file
** is removed on every way out: an error, a stop (stop.h: the deadline,
** Ctrl-C, checked as each slice of text arrives), and a signal that ends
** the program (save_remove_temporary). Its name holds the saving process's
** id, so a later save to the same place removes one that SIGKILL left
** behind. A target that exists and is not a regular file (a device, a
** named pipe, a socket, a folder) is refused, never replaced. Relies on
** format.h, memory.h, stop.h, zlib for .gz and POSIX file calls. Pure C.
*/
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* sync_file_range: see write_all */
#endif
#include "save.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "memory.h"
#include "progress.h"
#include "read.h"
#include "stop.h"

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
	reel_error stop; /* a stop (stop.h) that cut the writing short */
	int fd;
	bool gzip;
	bool deflating;  /* z needs deflateEnd */
	z_stream z;
	char *block;     /* deflate's output, SAVE_BLOCK bytes */
	off_t written;   /* bytes in the file so far */
	off_t flushed;   /* of those, bytes whose writing to disk has begun */
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

/* The file is fsync'ed before it replaces the target; left to the end,
** that waits for the disk to take the whole file after the text is made.
** Linux can start writing each stretch as it is written, so the disk works
** while the next rows are formatted and the fsync finds little left. */
#define SAVE_FLUSH_BYTES ((off_t)8 << 20)

static void start_flush(save_output *o)
{
#if defined(__linux__)
	if (o->written - o->flushed >= SAVE_FLUSH_BYTES) {
		(void)sync_file_range(o->fd, o->flushed, o->written - o->flushed,
		                      SYNC_FILE_RANGE_WRITE);
		o->flushed = o->written;
	}
#else
	(void)o;
#endif
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
		o->written += done;
	}
	start_flush(o);
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

/* {====== Temporary files ====== */
/* "DIR/.NAME.reel-PID." starts the name of a temporary file beside
** `path`; mkstemp's six characters end it. */
#define TEMPORARY_MARK ".reel-"

/* The folder part of path, with its slash ("" for none): its length. */
static size_t folder_length(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash != NULL ? (size_t)(slash - path) + 1 : 0;
}

static char *temporary_name(const char *path)
{
	size_t folder = folder_length(path), length = strlen(path);
	char pid[32];
	char *name;
	int n = snprintf(pid, sizeof pid, TEMPORARY_MARK "%ld.XXXXXX", (long)getpid());
	name = reel_malloc(length + 2 + (size_t)n);
	if (name == NULL)
		return NULL;
	memcpy(name, path, folder);
	name[folder] = '.';
	memcpy(name + folder + 1, path + folder, length - folder);
	memcpy(name + length + 1, pid, (size_t)n + 1);
	return name;
}

/* The process id in a folder entry named like one of our temporary files
** for the file `base` ("." base TEMPORARY_MARK PID "." six characters), or
** 0 when it is named otherwise. */
static long temporary_owner(const char *entry, const char *base)
{
	size_t n = strlen(base), mark = sizeof TEMPORARY_MARK - 1;
	const char *p;
	long pid = 0;
	if (entry[0] != '.' || strncmp(entry + 1, base, n) != 0 ||
	    strncmp(entry + 1 + n, TEMPORARY_MARK, mark) != 0)
		return 0;
	for (p = entry + 1 + n + mark; *p >= '0' && *p <= '9' && pid < 1L << 40; p++)
		pid = pid * 10 + (*p - '0');
	return *p == '.' && strlen(p + 1) == 6 ? pid : 0;
}

/* Removes the temporary files of earlier saves to `path` whose process is
** gone (SIGKILL, a power cut): no signal handler could remove them. Done
** in a buffer on the stack: a cleanup that cannot be done is no failure of
** the save, so it takes no memory that could run out. */
static void remove_stale_temporaries(const char *path)
{
	char stale[4096];
	size_t folder = folder_length(path);
	struct dirent *e;
	DIR *d;
	if (folder + 1 >= sizeof stale)
		return;
	memcpy(stale, folder == 0 ? "./" : path, folder == 0 ? 2 : folder);
	stale[folder == 0 ? 2 : folder] = '\0';
	if ((d = opendir(stale)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		long pid = temporary_owner(e->d_name, path + folder);
		if (pid <= 0 || pid == (long)getpid() ||
		    kill((pid_t)pid, 0) == 0 || errno != ESRCH ||
		    folder + strlen(e->d_name) >= sizeof stale)
			continue;
		strcpy(stale + folder, e->d_name);
		(void)unlink(stale);
	}
	closedir(d);
}

/* The temporary file being written, for a signal handler to remove: a
** fixed buffer, as a handler may not allocate; set only once complete. */
static char current_temporary[4096];
static volatile sig_atomic_t has_temporary;

static void hold_temporary(const char *name)
{
	size_t n = strlen(name);
	if (n >= sizeof current_temporary)
		return; /* no such path exists: saving it has failed already */
	memcpy(current_temporary, name, n + 1);
	has_temporary = 1;
}

/* The temporary file is removed (by the caller, or it became the target). */
static void drop_temporary(void)
{
	has_temporary = 0;
}

void save_remove_temporary(void)
{
	if (has_temporary) {
		has_temporary = 0;
		(void)unlink(current_temporary);
	}
}

/* A target that is there and not a regular file is never replaced: a
** rename would put a file where a device, a pipe or a folder was. */
static int check_target(const char *path, reel_error *err)
{
	struct stat info;
	const char *what;
	if (stat(path, &info) != 0 || S_ISREG(info.st_mode))
		return 0;
	what = S_ISDIR(info.st_mode) ? "a folder"
	     : S_ISFIFO(info.st_mode) ? "a named pipe"
	     : S_ISSOCK(info.st_mode) ? "a socket"
	     : S_ISCHR(info.st_mode) || S_ISBLK(info.st_mode) ? "a device"
	     : "not a regular file";
	return error_set(err, REEL_ERROR_IO, "%s: cannot save over %s (only a "
	                 "regular file is replaced)", path, what);
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

/* format_write's sink: the temporary file (through deflate for .gz). A
** deadline or Ctrl-C (stop.h) stops the save between two slices. */
static int take_text(void *context, const char *text, size_t length)
{
	save_output *o = context;
	if (stop_check(&o->stop) != 0)
		return -1;
	return output_write(o, text, length);
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
	if (o->stop.code == REEL_ERROR_STOPPED)
		return error_set(err, REEL_ERROR_STOPPED, "%s", o->stop.message);
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

/* Removes the temporary file after a failure. Returns -1. */
static int abandon(char *temporary)
{
	drop_temporary();
	(void)unlink(temporary);
	reel_free(temporary);
	return -1;
}

/* A temporary file beside `path`, filled, then renamed over it. */
static int replace_file(save_job *job, const char *path, reel_error *err)
{
	char *temporary;
	int fd, error;
	if (check_target(path, err) != 0)
		return -1;
	remove_stale_temporaries(path);
	if ((temporary = temporary_name(path)) == NULL)
		return save_failed(path, "cannot save", ENOMEM, err);
	fd = mkstemp(temporary);
	if (fd < 0) {
		error = errno;
		reel_free(temporary);
		return save_failed(path, "cannot save", error, err);
	}
	hold_temporary(temporary);
	set_mode(fd, path);
	if (fill_file(job, fd, path, err) != 0)
		return abandon(temporary);
	if (rename(temporary, path) != 0) {
		error = errno;
		abandon(temporary);
		return save_failed(path, "cannot save", error, err);
	}
	drop_temporary();
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
