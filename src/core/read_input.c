/*
** read_input.c: where a catalogue's bytes come from (see read_bytes.h). A
** regular file of some size is mapped, not read: the read() copy into fresh
** pages costs a third of a load, and a mapping is no memory reel allocates,
** so it fits under --max-memory too (the readers give its pages back as
** they pass them). A small file is read whole. Anything else (standard
** input, a named pipe, /dev/fd/N, a terminal) is a stream, read as it comes
** with poll(), so a deadline or Ctrl-C (stop.h) ends a wait for bytes that
** never come. Gzip is told by its first two bytes and inflated as it is
** read; a long load counts the bytes it takes in (progress.h). Relies on
** POSIX files and mappings, read_gzip.c, memory.h, progress.h, stop.h.
*/
#define _DEFAULT_SOURCE /* MAP_POPULATE, where the system has it */
#include "read_bytes.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "memory.h"
#include "progress.h"
#include "stop.h"

#define MAP_AT_LEAST ((size_t)1 << 16)
#define STREAM_CHUNK ((size_t)1 << 16)
#define INFLATE_CHUNK ((size_t)1 << 20)
/* Gzip files up to this size are inflated at once (inflate_whole). */
#define WHOLE_GZIP_MAX ((size_t)256 << 20)

/* {====== Buffers ====== */
int read_buffer_reserve(read_buffer *b, size_t more)
{
	size_t need, capacity = b->capacity;
	char *grown;
	if (more > (size_t)-1 - 1 - b->length)
		return -1;
	need = b->length + more + 1;
	if (need <= capacity)
		return 0;
	capacity = capacity < (size_t)-1 / 2 ? capacity * 2 : need;
	if (capacity < need)
		capacity = need;
	grown = reel_reserve_grow(b->data, capacity);
	if (grown == NULL)
		return -1;
	/* an ordinary block is counted whole; one just made a reservation
	** still counts the ordinary block's bytes */
	if (capacity < RESERVE_AT_LEAST)
		b->counted = capacity;
	else if (b->capacity < RESERVE_AT_LEAST)
		b->counted = b->capacity;
	b->data = grown;
	b->capacity = capacity;
	return 0;
}

int read_buffer_count(read_buffer *b)
{
	size_t need = b->length + 1;
	if (b->data == NULL || need <= b->counted)
		return 0;
	if (reel_use(b->data, need - b->counted) != 0)
		return -1;
	b->counted = need;
	return 0;
}

void read_buffer_free(read_buffer *b)
{
	reel_free(b->data);
	memset(b, 0, sizeof *b);
}
/* }====== */

/* {====== Errors ====== */
static int input_fail(const char *name, const char *what, int error,
                      reel_error *err)
{
	if (error == ENOMEM)
		return error_memory(err, name);
	return error_set(err, REEL_ERROR_IO, "%s: %s: %s", name, what,
	                 strerror(error));
}

static bool is_gzip(const char *data, size_t length)
{
	return length >= 2 && (unsigned char)data[0] == 0x1f &&
	       (unsigned char)data[1] == 0x8b;
}
/* }====== */

/* {====== Regular files ====== */
/* Maps the file whole: populated at once when nothing caps memory (one
** trap per huge stretch instead of one per page), else page by page as it
** is read, so that its pages come and go with the reading. */
static int map_file(read_input *in, int fd, size_t size, reel_error *err)
{
	int flags = MAP_PRIVATE;
	void *data;
#ifdef MAP_POPULATE
	if (reel_memory_limit() == 0)
		flags |= MAP_POPULATE;
#endif
	data = mmap(NULL, size, PROT_READ, flags, fd, 0);
	if (data == MAP_FAILED)
		return input_fail(in->name, "cannot read", errno, err);
	in->data = data;
	in->length = size;
	in->mapped = true;
	return 0;
}

static void unmap_file(read_input *in)
{
	if (in->mapped)
		munmap((void *)(uintptr_t)in->data, in->length);
	in->mapped = false;
}

/* A small file read whole into `owned`. */
static int read_file_whole(read_input *in, int fd, size_t size, reel_error *err)
{
	if (read_buffer_reserve(&in->owned, size) != 0)
		return error_memory(err, in->name);
	while (in->owned.length < size) {
		ssize_t got = read(fd, in->owned.data + in->owned.length,
		                   size - in->owned.length);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return input_fail(in->name, "cannot read", errno, err);
		if (got == 0)
			break; /* it shrank */
		in->owned.length += (size_t)got;
	}
	if (read_buffer_count(&in->owned) != 0)
		return error_memory(err, in->name);
	in->owned.data[in->owned.length] = '\0';
	in->data = in->owned.data;
	in->length = in->owned.length;
	return 0;
}

/* The gzip bytes of a file, mapped or read, inflated into `owned` a chunk
** at a time; the mapped ones are given back as they are passed. */
static int inflate_file(read_input *in, reel_error *err)
{
	read_buffer text = READ_BUFFER_INIT;
	read_gzip g;
	size_t at = 0;
	int status = read_gzip_start(&g, in->name, err);
	g.checked = !in->check;
	progress_restart_bytes(in->length); /* the compressed bytes, first */
	while (status == 0 && at < in->length) {
		size_t n = in->length - at < INFLATE_CHUNK ? in->length - at : INFLATE_CHUNK;
		status = read_gzip_feed(&g, in->data + at, n, &text, err);
		progress_add(n, 0);
		if (in->mapped)
			reel_release_pages(in->data + at, in->data + at + n);
		at += n;
	}
	if (status == 0)
		status = read_gzip_finish(&g, &text, err);
	read_gzip_end(&g);
	unmap_file(in);
	read_buffer_free(&in->owned);
	in->owned = text;
	if (status != 0)
		return -1;
	in->data = text.data != NULL ? text.data : "";
	in->length = text.length;
	return 0;
}

/* The gzip bytes of a file, inflated at once (read_gzip_whole.c): twice
** as fast as a stream, but deaf to a stop request while it runs, so only
** for a file that inflates in a second or two. */
static int inflate_whole(read_input *in, reel_error *err)
{
	read_buffer text = READ_BUFFER_INIT;
	int status;
	progress_restart_bytes(in->length);
	status = read_gzip_whole(in->data, in->length, in->name, in->check,
	                         &text, err);
	progress_add(in->length, 0);
	unmap_file(in);
	read_buffer_free(&in->owned);
	in->owned = text;
	if (status != 0)
		return -1;
	in->data = text.data != NULL ? text.data : "";
	in->length = text.length;
	return 0;
}

static int open_regular(read_input *in, int fd, size_t size, reel_error *err)
{
	int status = size >= MAP_AT_LEAST ? map_file(in, fd, size, err)
	                                  : read_file_whole(in, fd, size, err);
	if (status == 0 && is_gzip(in->data, in->length))
		status = in->length <= WHOLE_GZIP_MAX ? inflate_whole(in, err)
		                                      : inflate_file(in, err);
	return status;
}
/* }====== */

/* {====== Streams ====== */
/* Waits until fd has bytes (or its end) to read, or a stop is due. */
static int wait_for_bytes(int fd, const char *name, reel_error *err)
{
	for (;;) {
		struct pollfd p;
		int n;
		if (stop_check(err) != 0)
			return -1;
		p.fd = fd;
		p.events = POLLIN;
		p.revents = 0;
		n = poll(&p, 1, stop_wait_ms());
		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return input_fail(name, "cannot read", errno, err);
	}
}

/* Up to `size` bytes of the stream into `to`: how many, 0 at its end, or
** -1 with err filled. */
static ssize_t read_some(int fd, char *to, size_t size, const char *name,
                         reel_error *err)
{
	for (;;) {
		ssize_t got;
		if (wait_for_bytes(fd, name, err) != 0)
			return -1;
		got = read(fd, to, size);
		if (got >= 0)
			return got;
		if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK)
			return input_fail(name, "cannot read", errno, err);
	}
}

typedef struct stream {
	read_input *in;
	int fd;
	bool checked;       /* the first text was looked at */
	bool gzip;
	read_gzip g;
	char *chunk;        /* compressed bytes, once the stream is gzip */
} stream;

/* Once the first bytes say gzip: what was read so far is fed to zlib. */
static int start_inflating(stream *s, reel_error *err)
{
	read_buffer raw = s->in->owned;
	int status;
	memset(&s->in->owned, 0, sizeof s->in->owned);
	s->gzip = true;
	s->chunk = reel_malloc(STREAM_CHUNK);
	status = s->chunk == NULL ? error_memory(err, s->in->name)
	         : read_gzip_start(&s->g, s->in->name, err);
	s->g.checked = !s->in->check;
	if (status == 0)
		status = read_gzip_feed(&s->g, raw.data, raw.length, &s->in->owned, err);
	read_buffer_free(&raw);
	return status;
}

/* One read of the stream, stored or inflated; *end is set at its end. */
static int stream_step(stream *s, bool *end, reel_error *err)
{
	read_buffer *text = &s->in->owned;
	ssize_t got;
	if (s->gzip) {
		got = read_some(s->fd, s->chunk, STREAM_CHUNK, s->in->name, err);
		*end = got == 0;
		if (got > 0)
			progress_add((uint64_t)got, 0);
		return got < 0 ? -1 : read_gzip_feed(&s->g, s->chunk, (size_t)got, text, err);
	}
	if (read_buffer_reserve(text, STREAM_CHUNK) != 0)
		return error_memory(err, s->in->name);
	got = read_some(s->fd, text->data + text->length, STREAM_CHUNK, s->in->name, err);
	if (got < 0)
		return -1;
	progress_add((uint64_t)got, 0);
	*end = got == 0;
	text->length += (size_t)got;
	if (read_buffer_count(text) != 0)
		return error_memory(err, s->in->name);
	text->data[text->length] = '\0';
	if (text->length >= 2 && is_gzip(text->data, text->length))
		return start_inflating(s, err);
	return 0;
}

/* The first text is looked at once there is enough of it (or it ended):
** an endless stream of zeros or noise stops there. */
static int check_stream(stream *s, bool end, reel_error *err)
{
	const read_buffer *text = &s->in->owned;
	if (s->checked || !s->in->check || s->gzip ||
	    (!end && text->length < READ_CHECK_BYTES))
		return 0;
	s->checked = true;
	return read_check_start(text->data, text->length, s->in->name, err);
}

static int read_stream(read_input *in, int fd, reel_error *err)
{
	stream s;
	bool end = false;
	int status = 0;
	memset(&s, 0, sizeof s);
	s.in = in;
	s.fd = fd;
	while (status == 0 && !end) {
		status = stream_step(&s, &end, err);
		if (status == 0)
			status = check_stream(&s, end, err);
	}
	if (status == 0 && s.gzip)
		status = read_gzip_finish(&s.g, &in->owned, err);
	if (s.gzip)
		read_gzip_end(&s.g);
	reel_free(s.chunk);
	in->data = in->owned.data != NULL ? in->owned.data : "";
	in->length = in->owned.length;
	return status;
}
/* }====== */

/* {====== Opening ====== */
/* Opens path without waiting for a named pipe's writer (the wait is
** poll's, which a deadline cuts short). */
static int open_path(const char *path, const char *name, reel_error *err)
{
	int fd;
	do
		fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		input_fail(name, "cannot open", errno, err);
	return fd;
}

/* Whether a regular file's bytes are all there from offset 0 (standard
** input may have been read from already, or be positioned elsewhere). */
static bool whole_from_start(int fd)
{
	return lseek(fd, 0, SEEK_CUR) == 0;
}

int read_input_open(read_input *in, const char *path, bool check,
                    reel_error *err)
{
	bool standard = strcmp(path, "-") == 0;
	struct stat info;
	int fd, status;
	memset(in, 0, sizeof *in);
	in->name = standard ? "stdin" : path;
	in->check = check;
	fd = standard ? STDIN_FILENO : open_path(path, in->name, err);
	if (fd < 0)
		return -1;
	if (fstat(fd, &info) != 0)
		status = input_fail(in->name, "cannot read", errno, err);
	else if (S_ISDIR(info.st_mode))
		status = error_set(err, REEL_ERROR_DATA, "%s: a folder, not a catalogue",
		                   in->name);
	else if (S_ISREG(info.st_mode) && whole_from_start(fd) &&
	         (unsigned long long)info.st_size < (size_t)-1 / 2) {
		if (!standard)
			(void)fcntl(fd, F_SETFL, 0); /* blocking again, for read() */
		status = open_regular(in, fd, (size_t)info.st_size, err);
	} else {
		status = read_stream(in, fd, err);
	}
	if (!standard)
		close(fd);
	if (status != 0)
		read_input_close(in);
	return status;
}

void read_input_close(read_input *in)
{
	unmap_file(in);
	read_buffer_free(&in->owned);
	in->data = NULL;
	in->length = 0;
}
/* }====== */
