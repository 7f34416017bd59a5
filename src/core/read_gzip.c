/*
** read_gzip.c: gzip catalogues, inflated with zlib a piece at a time as
** their bytes arrive, from a mapped file or a stream alike (see read.h,
** "Sources"). Members that follow one another are read on; zero bytes
** after the last member (tape padding) are allowed, anything else after it
** is an error, as is a stream cut short. The output grows by at most
** GZIP_STEP bytes between checks of the stop request (stop.h), and its
** first bytes are looked at (read_check_start) before a bomb of zeros can
** take the memory. Relies on zlib, memory.h and stop.h.
*/
#include "read_bytes.h"

#include <string.h>
#include <zlib.h>

#include "memory.h"
#include "stop.h"

#define GZIP_STEP ((size_t)1 << 20)

/* zlib allocates through the core's allocator, so --max-memory sees it. */
static voidpf gzip_alloc(voidpf opaque, uInt items, uInt size)
{
	(void)opaque;
	return size != 0 && items > (size_t)-1 / size ? NULL
	       : reel_malloc((size_t)items * size);
}

static void gzip_free(voidpf opaque, voidpf block)
{
	(void)opaque;
	reel_free(block);
}

int read_gzip_start(read_gzip *g, const char *name, reel_error *err)
{
	memset(g, 0, sizeof *g);
	g->name = name;
	g->z.zalloc = gzip_alloc;
	g->z.zfree = gzip_free;
	if (inflateInit2(&g->z, 15 + 16) != Z_OK) /* gzip wrapping only */
		return error_memory(err, name);
	g->inflating = true;
	return 0;
}

void read_gzip_end(read_gzip *g)
{
	if (g->inflating)
		inflateEnd(&g->z);
	g->inflating = false;
}

static int gzip_fail(read_gzip *g, const char *why, reel_error *err)
{
	return error_set(err, REEL_ERROR_DATA, "%s: cannot decompress: %s",
	                 g->name, why);
}

/* Bytes after a member's end: another member, zero padding, or garbage. */
static int after_member(read_gzip *g, const unsigned char *in, size_t n,
                        size_t *used, reel_error *err)
{
	size_t i;
	if (!g->padding && n > 0 && in[0] == 0x1f) {
		if (inflateReset(&g->z) != Z_OK)
			return gzip_fail(g, "cannot start the next member", err);
		g->ended = false;
		return 0;
	}
	for (i = 0; i < n; i++)
		if (in[i] != 0)
			return error_set(err, REEL_ERROR_DATA, "%s: cannot decompress: "
			                 "bytes that are not gzip after the compressed "
			                 "data (at byte %zu)", g->name, g->consumed + i + 1);
	g->padding = n > 0 || g->padding;
	*used = n;
	return 0;
}

/* Room for one step more of output. */
static int reserve_step(read_gzip *g, read_buffer *out, reel_error *err)
{
	if (read_buffer_reserve(out, GZIP_STEP) != 0)
		return error_memory(err, g->name);
	g->z.next_out = (Bytef *)out->data + out->length;
	g->z.avail_out = (uInt)GZIP_STEP;
	return 0;
}

/* One call of inflate over [in, in + n): *used is what it took. */
static int inflate_step(read_gzip *g, const unsigned char *in, size_t n,
                        read_buffer *out, size_t *used, reel_error *err)
{
	size_t before;
	int status;
	if (reserve_step(g, out, err) != 0)
		return -1;
	g->z.next_in = (Bytef *)(uintptr_t)in;
	g->z.avail_in = n > (1u << 30) ? 1u << 30 : (uInt)n;
	before = g->z.avail_in;
	status = inflate(&g->z, Z_NO_FLUSH);
	*used = before - g->z.avail_in;
	out->length = (size_t)((char *)g->z.next_out - out->data);
	if (read_buffer_count(out) != 0)
		return error_memory(err, g->name);
	if (status == Z_STREAM_END)
		g->ended = true;
	else if (status == Z_MEM_ERROR)
		return error_memory(err, g->name);
	else if (status != Z_OK && status != Z_BUF_ERROR)
		return gzip_fail(g, g->z.msg != NULL ? g->z.msg : "corrupt data", err);
	return 0;
}

int read_gzip_feed(read_gzip *g, const char *data, size_t n, read_buffer *out,
                   reel_error *err)
{
	const unsigned char *in = (const unsigned char *)data;
	while (n > 0 || (!g->ended && g->z.avail_out == 0 && out->length > 0)) {
		size_t used = 0;
		bool between = g->ended;
		if (stop_check(err) != 0)
			return -1;
		if (between ? after_member(g, in, n, &used, err) != 0
		            : inflate_step(g, in, n, out, &used, err) != 0)
			return -1;
		in += used;
		n -= used;
		g->consumed += used;
		if (between)
			continue;
		if (!g->checked && out->length >= READ_CHECK_BYTES) {
			g->checked = true;
			if (read_check_start(out->data, out->length, g->name, err) != 0)
				return -1;
		}
		if (used == 0 && !g->ended && g->z.avail_out != 0)
			break; /* inflate wants more input */
	}
	return 0;
}

int read_gzip_finish(read_gzip *g, read_buffer *out, reel_error *err)
{
	if (!g->ended)
		return gzip_fail(g, "unexpected end of file", err);
	if (!g->checked && read_check_start(out->data, out->length, g->name, err) != 0)
		return -1;
	g->checked = true;
	return 0;
}
