/*
** read_gzip_whole.c: a whole gzip file inflated at once with libdeflate,
** about twice as fast as zlib's stream (see read_bytes.h). libdeflate
** needs room for all of a member's output: the last member's ISIZE
** trailer (its size mod 2^32) is the hint, and the room doubles when a
** member needs more (it is then inflated again). Members that follow one
** another are read on, as are zero bytes after the last. Its first bytes
** are looked at before (a small inflation with zlib, read_check_start), so
** a bomb of zeros takes no memory; the room is counted against the memory
** cap before it is filled. Whatever libdeflate refuses (damage, a cut
** file, bytes after the end) is left to zlib's stream (read_gzip.c), whose
** messages say what and where. Relies on libdeflate, zlib, memory.h.
*/
#include "read_bytes.h"

#include <libdeflate.h>
#include <string.h>

#include "memory.h"

/* The compressed bytes inflated with zlib to look at the first text. */
#define PROBE_BYTES ((size_t)4096)
/* A member's header and trailer. */
#define GZIP_FRAME 18

/* {====== Room ====== */
/* The last member's ISIZE, little-endian in the last four bytes. */
static size_t size_hint(const unsigned char *data, size_t length)
{
	const unsigned char *p = data + length - 4;
	size_t isize = (size_t)p[0] | (size_t)p[1] << 8 | (size_t)p[2] << 16 |
	               (size_t)p[3] << 24;
	/* ISIZE wraps past 4 GiB, and is the last member's alone: at least
	** twice the compressed size, which text always exceeds */
	return isize > length * 2 ? isize : length * 2;
}

/* Room for `more` bytes after out->length, all of it counted as in use
** (libdeflate writes anywhere in it). 0, or -1 when memory or the cap
** refuses it. */
static int counted_room(read_buffer *out, size_t more)
{
	size_t length = out->length;
	int status;
	if (read_buffer_reserve(out, more) != 0)
		return -1;
	out->length = out->capacity - 1;
	status = read_buffer_count(out);
	out->length = length;
	return status;
}
/* }====== */

/* {====== Inflating ====== */
/* Whether [p, p + n) is all zero bytes (padding after the last member). */
static bool all_zeros(const unsigned char *p, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (p[i] != 0)
			return false;
	return true;
}

/* Inflated; refused by libdeflate (zlib is to say why); out of memory. */
typedef enum whole_result {
	WHOLE_DONE, WHOLE_REFUSED, WHOLE_FAILED
} whole_result;

/* One member at data + *at, onto `out`; *at moves past it. */
static whole_result inflate_member(struct libdeflate_decompressor *d,
                                   const unsigned char *data, size_t length,
                                   size_t *at, read_buffer *out)
{
	size_t room = out->capacity - out->length - 1;
	for (;;) {
		size_t used = 0, made = 0;
		enum libdeflate_result r = libdeflate_gzip_decompress_ex(d, data + *at,
		        length - *at, out->data + out->length, room, &used, &made);
		if (r == LIBDEFLATE_SUCCESS) {
			out->length += made;
			*at += used;
			return WHOLE_DONE;
		}
		if (r != LIBDEFLATE_INSUFFICIENT_SPACE)
			return WHOLE_REFUSED;
		room = room < ((size_t)1 << 20) ? (size_t)1 << 20 : room * 2;
		if (room > (size_t)-1 / 4 || counted_room(out, room) != 0)
			return WHOLE_FAILED;
		room = out->capacity - out->length - 1;
	}
}

static whole_result inflate_members(const unsigned char *data, size_t length,
                                    read_buffer *out)
{
	struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
	whole_result result = WHOLE_DONE;
	size_t at = 0;
	if (d == NULL || counted_room(out, size_hint(data, length)) != 0)
		result = WHOLE_FAILED;
	while (result == WHOLE_DONE && at < length &&
	       !(at > 0 && all_zeros(data + at, length - at))) {
		if (length - at < GZIP_FRAME || data[at] != 0x1f || data[at + 1] != 0x8b)
			result = WHOLE_REFUSED;
		else
			result = inflate_member(d, data, length, &at, out);
	}
	if (d != NULL)
		libdeflate_free_decompressor(d);
	return result;
}
/* }====== */

/* The first text, inflated by zlib from the first compressed bytes, is
** looked at (read_check_start): 0, or -1 with err filled. */
static int check_first_text(const char *data, size_t length, const char *name,
                            reel_error *err)
{
	read_buffer first = READ_BUFFER_INIT;
	read_gzip g;
	int status = read_gzip_start(&g, name, err);
	if (status == 0)
		status = read_gzip_feed(&g, data, length < PROBE_BYTES ? length
		                        : PROBE_BYTES, &first, err);
	if (status == 0 && !g.checked && first.length > 0)
		status = read_check_start(first.data, first.length, name, err);
	read_gzip_end(&g);
	read_buffer_free(&first);
	return status;
}

int read_gzip_whole(const char *data, size_t length, const char *name,
                    bool check, read_buffer *out, reel_error *err)
{
	whole_result result;
	read_gzip g;
	int status;
	if (check && check_first_text(data, length, name, err) != 0)
		return -1;
	if (length >= GZIP_FRAME) {
		result = inflate_members((const unsigned char *)data, length, out);
		if (result == WHOLE_DONE) {
			out->data[out->length] = '\0';
			return read_buffer_count(out) == 0 ? 0 : error_memory(err, name);
		}
		if (result == WHOLE_FAILED)
			return error_memory(err, name);
	}
	/* zlib says what is wrong, and where */
	read_buffer_free(out);
	status = read_gzip_start(&g, name, err);
	g.checked = !check;
	if (status == 0)
		status = read_gzip_feed(&g, data, length, out, err);
	if (status == 0)
		status = read_gzip_finish(&g, out, err);
	read_gzip_end(&g);
	return status;
}
